"""One-time access codes for cabinet compartments, and the lockout of guessing.

An issued code is a 6-digit PIN and a QR token bound to one order, one cabinet, one
compartment, one purpose and one holder, valid within ``[valid_from, valid_until)``
and usable once. The clear PIN and token exist only in the ``IssuedCode`` handed back
by ``CodeBook.issue``; the book stores keyed hashes (HMAC-SHA256 with a per-site secret)
of ``cabinet id + PIN`` and of the token, so a lookup is one dict access by digest.

Reserve, then unlock, then use: ``verify`` checks an entry and returns the matching
code without changing it; ``reserve`` holds it for one unlock (``RESERVATION_TIMEOUT``)
so a second simultaneous entry of the same code is refused (``code_in_use``) before
any unlock command goes out; ``release`` gives it back when the unlock failed or the
door never opened, and ``consume`` uses it up once the door opened (or, on a board
without door sensors, the lock confirmed). A reservation nobody resolves (Home
Assistant restarted mid-unlock) simply expires.

Lockout, per source (``keypad_source`` for a cabinet's keypad, ``caller_source`` for
a Home Assistant user calling the action, ``SYSTEM_SOURCE`` for calls without one):
every wrong PIN (``code_invalid``) counts as a failure of the source it came from,
at the cabinet where it was typed; a real code of the cabinet at the wrong moment
(used, expired, not yet valid, revoked, wrong purpose, in use) is refused but not
counted (``NOT_COUNTED``).
A PIN valid at another cabinet is just ``code_invalid`` here (no other cabinet is
named). ``LOCKOUT_THRESHOLD`` failures within ``FAILURE_WINDOW`` lock that source's
PIN entries for ``BASE_LOCKOUT``; after a lockout the source is on probation for
``PROBATION``: ``REPEAT_THRESHOLD`` further failures lock it again, for twice as long,
never longer than ``MAX_LOCKOUT`` (15 minutes). So no lockout keeps anyone out for
more than 15 minutes, a wrong guess from one user never locks another user or the
keypad out, and guessing stays bounded (see README: about 200 guesses a day per
source). QR tokens (128 random bits) are unguessable: they are never locked out and
a wrong token is not counted. During a lockout every PIN entry, even a correct one,
is refused with ``keypad_locked_out`` and not counted.

A rejected entry is the one refusal that records something: the failure counter and
lockout state, which is the point of the lockout. Nothing else changes.
"""

from __future__ import annotations

import base64
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import hashlib
import hmac
import math
import random
import re
import secrets
from typing import Any

from .codes import AccessCode, CodePurpose, EntryKind
from .errors import DoorServiceError
from .events import (
    CodeAccepted,
    CodeEvent,
    CodeIssued,
    CodeRejected,
    CodeReleased,
    CodeReserved,
    CodeRevoked,
    CodeUsed,
    IssuedCode,
    KeypadLockedOut,
)

PIN_LENGTH = 6
LOCKOUT_THRESHOLD = 5
"""Failures within ``FAILURE_WINDOW`` that lock a source out the first time."""
REPEAT_THRESHOLD = 2
"""Failures that lock a source out again while it is on probation."""
FAILURE_WINDOW = timedelta(minutes=15)
BASE_LOCKOUT = timedelta(minutes=5)
MAX_LOCKOUT = timedelta(minutes=15)
"""No lockout lasts longer: nobody can keep a holder out for more than this."""
PROBATION = timedelta(hours=24)
"""After a lockout ends, this long without another one resets a source."""
LOCKOUT_RESET_AFTER = PROBATION
RESERVATION_TIMEOUT = timedelta(minutes=2)
"""How long a reserved code waits for its unlock and door before it is valid again.

Longer than the longest unlock confirmation a cabinet may be configured with (60 s)
plus the drivers' door-open timeout (30 s).
"""
SYSTEM_SOURCE = "system"
NOT_COUNTED = frozenset(
    {
        "code_in_use",
        "code_already_used",
        "code_expired",
        "code_not_yet_valid",
        "code_revoked",
        "code_wrong_purpose",
    }
)
"""Refusals of a real code of this cabinet (a holder's, at the wrong moment).

They are no guess: a wrong PIN is ``code_invalid`` and always counts, so not
counting these gives a guesser nothing and spares the holder who types their
used or not yet valid code twice.
"""
DEFAULT_PURGE_AFTER = timedelta(days=7)
MAX_PIN_ATTEMPTS = 100

_PIN_RE = re.compile(r"\d{6}")
_HOLDER_RE = re.compile(r"owner|operator|worker:[^\s:]+")


@dataclass(frozen=True, slots=True)
class Verification:
    """A successful ``verify``: the matching code (not yet used) and the events."""

    code: AccessCode
    via: EntryKind
    events: tuple[CodeEvent, ...]


class CodeRejectedError(DoorServiceError):
    """An entry was refused; ``events`` tells the glue what to fire (incl. lockout)."""

    def __init__(
        self,
        translation_key: str,
        events: tuple[CodeEvent, ...],
        **placeholders: object,
    ) -> None:
        """Create the refusal with its events."""
        super().__init__(translation_key, **placeholders)
        self.events = events


def keypad_source(cabinet_id: str) -> str:
    """The lockout source of a cabinet's own keypad (and its board's QR reader)."""
    return f"keypad:{cabinet_id}"


def caller_source(user_id: str | None) -> str:
    """The lockout source of an action call: its Home Assistant user, or the system."""
    return SYSTEM_SOURCE if user_id is None else f"user:{user_id}"


def source_kind(source: str) -> str:
    """``keypad`` or ``caller``: whose entries a lockout refuses (no user id)."""
    return "keypad" if source.startswith("keypad:") else "caller"


@dataclass(slots=True)
class KeypadGuard:
    """Failure counting and lockout state of one source (a keypad or a caller)."""

    failures: list[datetime] = field(default_factory=list)
    locked_until: datetime | None = None
    lockout_count: int = 0

    def is_locked(self, now: datetime) -> bool:
        """Whether the source is locked out at ``now``."""
        return self.locked_until is not None and now < self.locked_until

    def threshold(self, now: datetime) -> int:
        """How many failures in the window lock the source out now."""
        on_probation = (
            self.lockout_count
            and self.locked_until is not None
            and now - self.locked_until < PROBATION
        )
        return REPEAT_THRESHOLD if on_probation else LOCKOUT_THRESHOLD

    def record_failure(self, now: datetime) -> int | None:
        """Count a failure; return the lockout number when it starts a lockout."""
        if self.locked_until is not None and now - self.locked_until >= PROBATION:
            self.lockout_count = 0
        self.failures = [t for t in self.failures if now - t < FAILURE_WINDOW]
        self.failures.append(now)
        if len(self.failures) < self.threshold(now):
            return None
        duration = min(BASE_LOCKOUT * (2 ** min(self.lockout_count, 8)), MAX_LOCKOUT)
        self.lockout_count += 1
        self.locked_until = now + duration
        self.failures = []
        return self.lockout_count

    def is_quiet(self, now: datetime) -> bool:
        """Nothing to remember: no recent failure, no lockout, no probation."""
        return not any(now - t < FAILURE_WINDOW for t in self.failures) and (
            self.locked_until is None or now - self.locked_until >= PROBATION
        )

    def to_dict(self) -> dict[str, Any]:
        """Serialize to a JSON-safe dict."""
        return {
            "failures": [t.isoformat() for t in self.failures],
            "locked_until": _iso(self.locked_until),
            "lockout_count": self.lockout_count,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> KeypadGuard:
        """Rebuild from ``to_dict`` output."""
        return cls(
            failures=[datetime.fromisoformat(t) for t in data["failures"]],
            locked_until=_from_iso(data["locked_until"]),
            lockout_count=int(data["lockout_count"]),
        )


class CodeBook:
    """All access codes of one site, indexed by keyed digest, and its keypad guards."""

    __slots__ = (
        "_by_order",
        "_by_pin",
        "_by_token",
        "_rng",
        "_secret",
        "codes",
        "guards",
        "next_seq",
    )

    def __init__(
        self,
        secret: bytes,
        codes: Collection[AccessCode] = (),
        guards: Mapping[str, KeypadGuard] | None = None,
        next_seq: int = 1,
        rng: random.Random | None = None,
    ) -> None:
        """Create a book; ``rng`` makes PINs and tokens deterministic for tests."""
        if len(secret) < 16:
            raise DoorServiceError("invalid_code_secret")
        self._secret = secret
        self._rng = rng
        self.codes: dict[str, AccessCode] = {}
        self.guards: dict[str, KeypadGuard] = dict(guards or {})
        self.next_seq = next_seq
        self._by_pin: dict[str, list[str]] = {}
        self._by_token: dict[str, str] = {}
        self._by_order: dict[str, list[str]] = {}
        for code in codes:
            self._index(code)

    @classmethod
    def create(cls, rng: random.Random | None = None) -> CodeBook:
        """Create an empty book with a fresh 32-byte site secret."""
        secret = rng.randbytes(32) if rng is not None else secrets.token_bytes(32)
        return cls(secret, rng=rng)

    def __repr__(self) -> str:
        """Summarize without the secret."""
        return f"CodeBook(codes={len(self.codes)}, guards={len(self.guards)})"

    # -- issuing ----------------------------------------------------------------

    def issue(
        self,
        *,
        order_id: str,
        cabinet_id: str,
        compartment: int,
        purpose: CodePurpose,
        holder: str,
        valid_from: datetime,
        valid_until: datetime,
        now: datetime,
    ) -> IssuedCode:
        """Issue a code; the returned ``IssuedCode`` is the only copy of its secrets.

        An earlier active code with the same binding (order, cabinet, compartment,
        purpose, holder) is revoked: a re-sent code replaces the old one.
        """
        if not order_id or not cabinet_id:
            raise DoorServiceError("invalid_code_binding")
        if compartment < 1:
            raise DoorServiceError(
                "unknown_compartment", cabinet_id=cabinet_id, number=compartment
            )
        if not _HOLDER_RE.fullmatch(holder):
            raise DoorServiceError("invalid_code_holder", holder=holder)
        if valid_until <= valid_from or valid_until <= now:
            raise DoorServiceError(
                "invalid_validity_window",
                valid_from=valid_from.isoformat(),
                valid_until=valid_until.isoformat(),
            )
        pin, pin_digest = self._fresh_pin(cabinet_id, now)
        token = self._fresh_token()
        replaced = [
            c
            for c in self.active_for_order(order_id, now)
            if c.is_active(now)
            and (c.order_id, c.cabinet_id, c.compartment, c.purpose, c.holder)
            == (order_id, cabinet_id, compartment, purpose, holder)
        ]
        events: list[CodeEvent] = [self._revoke(c, now) for c in replaced]
        code = AccessCode(
            id=f"code-{self.next_seq}",
            order_id=order_id,
            cabinet_id=cabinet_id,
            compartment=compartment,
            purpose=purpose,
            holder=holder,
            valid_from=valid_from,
            valid_until=valid_until,
            issued_at=now,
            pin_digest=pin_digest,
            token_digest=self._digest("qr", token),
        )
        self.next_seq += 1
        self._index(code)
        events.append(
            CodeIssued(
                code.id,
                order_id,
                cabinet_id,
                compartment,
                purpose,
                holder,
                valid_from,
                valid_until,
            )
        )
        return IssuedCode(code=code, pin=pin, token=token, events=tuple(events))

    def _fresh_pin(self, cabinet_id: str, now: datetime) -> tuple[str, str]:
        for _ in range(MAX_PIN_ATTEMPTS):
            value = (
                self._rng.randrange(10**PIN_LENGTH)
                if self._rng is not None
                else secrets.randbelow(10**PIN_LENGTH)
            )
            pin = f"{value:0{PIN_LENGTH}d}"
            digest = self._pin_digest(cabinet_id, pin)
            if not any(
                self.codes[i].is_active(now) for i in self._by_pin.get(digest, ())
            ):
                return pin, digest
        raise DoorServiceError("no_free_pin", cabinet_id=cabinet_id)

    def _fresh_token(self) -> str:
        if self._rng is None:
            return secrets.token_urlsafe(16)
        raw = self._rng.randbytes(16)
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

    # -- verifying and using ------------------------------------------------------

    def verify(
        self,
        cabinet_id: str,
        entry: str,
        now: datetime,
        purpose: CodePurpose | None = None,
        *,
        source: str | None = None,
    ) -> Verification:
        """Check a keypad PIN or scanned QR token at ``cabinet_id`` without using it.

        ``source`` is where the entry came from (default: the cabinet's keypad); a
        refused PIN counts as a failure of that source. Raises ``CodeRejectedError``
        (a ``DoorServiceError``) with the reason as its translation key and the
        events to fire (``CodeRejected``, maybe ``KeypadLockedOut``).
        """
        entry = entry.strip()
        via = EntryKind.PIN if _PIN_RE.fullmatch(entry) else EntryKind.QR
        source = source or keypad_source(cabinet_id)
        guard = self.guards.get(source) if via is EntryKind.PIN else None
        if guard is not None and guard.is_locked(now):
            assert guard.locked_until is not None
            remaining = guard.locked_until - now
            raise CodeRejectedError(
                "keypad_locked_out",
                (CodeRejected(cabinet_id, "keypad_locked_out", via, now),),
                cabinet_id=cabinet_id,
                until=guard.locked_until.isoformat(),
                minutes=math.ceil(remaining.total_seconds() / 60),
            )
        code, reason, placeholders = self._match(cabinet_id, entry, via, now, purpose)
        if reason is None:
            assert code is not None
            accepted = CodeAccepted(
                code.id,
                code.order_id,
                cabinet_id,
                code.compartment,
                code.purpose,
                code.holder,
                via,
                now,
            )
            return Verification(code=code, via=via, events=(accepted,))
        events: list[CodeEvent] = [
            CodeRejected(
                cabinet_id, reason, via, now, None if code is None else code.id
            )
        ]
        if via is EntryKind.PIN and reason not in NOT_COUNTED:
            guard = self.guards.setdefault(source, KeypadGuard())
            lockout_number = guard.record_failure(now)
            if lockout_number is not None:
                assert guard.locked_until is not None
                events.append(
                    KeypadLockedOut(
                        cabinet_id,
                        now,
                        guard.locked_until,
                        lockout_number,
                        LOCKOUT_THRESHOLD if lockout_number == 1 else REPEAT_THRESHOLD,
                        source_kind(source),
                    )
                )
        raise CodeRejectedError(
            reason, tuple(events), cabinet_id=cabinet_id, **placeholders
        )

    def _match(
        self,
        cabinet_id: str,
        entry: str,
        via: EntryKind,
        now: datetime,
        purpose: CodePurpose | None,
    ) -> tuple[AccessCode | None, str | None, dict[str, object]]:
        """Find the code for an entry and say why it is refused (``None``: accepted).

        A code of another cabinet is ``code_invalid``: nothing about it is told.
        """
        if via is EntryKind.PIN:
            candidates = [
                self.codes[i]
                for i in self._by_pin.get(self._pin_digest(cabinet_id, entry), ())
            ]
            if not candidates:
                return None, "code_invalid", {}
            code = max(candidates, key=lambda c: (c.is_usable(now), c.issued_at))
        else:
            token_id = self._by_token.get(self._digest("qr", entry))
            if token_id is None or self.codes[token_id].cabinet_id != cabinet_id:
                return None, "code_invalid", {}
            code = self.codes[token_id]
        if code.revoked_at is not None:
            return code, "code_revoked", {}
        if code.used_at is not None:
            return code, "code_already_used", {"used_at": code.used_at.isoformat()}
        if now < code.valid_from:
            return (
                code,
                "code_not_yet_valid",
                {"valid_from": code.valid_from.isoformat()},
            )
        if now >= code.valid_until:
            return code, "code_expired", {"valid_until": code.valid_until.isoformat()}
        if purpose is not None and code.purpose is not purpose:
            return (
                code,
                "code_wrong_purpose",
                {"purpose": code.purpose, "expected": purpose},
            )
        if code.is_reserved(now):
            return code, "code_in_use", {}
        return code, None, {}

    def reserve(
        self, code_id: str, now: datetime, hold: timedelta = RESERVATION_TIMEOUT
    ) -> list[CodeEvent]:
        """Hold a verified code for one unlock: other entries of it are refused."""
        code = self.get(code_id)
        if not code.is_usable(now):
            raise DoorServiceError("code_invalid", cabinet_id=code.cabinet_id)
        if code.is_reserved(now):
            raise DoorServiceError("code_in_use", cabinet_id=code.cabinet_id)
        code.reserved_until = now + hold
        return [
            CodeReserved(
                code.id,
                code.order_id,
                code.cabinet_id,
                code.compartment,
                now,
                code.reserved_until,
            )
        ]

    def release(self, code_id: str, now: datetime, reason: str) -> list[CodeEvent]:
        """End a reservation without using the code (valid again); [] when none."""
        code = self.codes.get(code_id)
        if code is None or code.reserved_until is None or code.used_at is not None:
            return []
        code.reserved_until = None
        return [
            CodeReleased(
                code.id, code.order_id, code.cabinet_id, code.compartment, reason, now
            )
        ]

    def reserved_for(
        self, order_id: str, cabinet_id: str, number: int, now: datetime
    ) -> AccessCode | None:
        """The order's code reserved for an unlock of that compartment, if any."""
        for code_id in self._by_order.get(order_id, ()):
            code = self.codes[code_id]
            if (
                code.cabinet_id == cabinet_id
                and code.compartment == number
                and code.is_reserved(now)
            ):
                return code
        return None

    def consume(self, code_id: str, now: datetime) -> list[CodeEvent]:
        """Mark a verified (or reserved) code used, once the compartment opened."""
        code = self.get(code_id)
        if code.revoked_at is not None:
            raise DoorServiceError("code_revoked", cabinet_id=code.cabinet_id)
        if code.used_at is not None:
            raise DoorServiceError(
                "code_already_used",
                cabinet_id=code.cabinet_id,
                used_at=code.used_at.isoformat(),
            )
        code.used_at = now
        code.reserved_until = None
        return [
            CodeUsed(
                code.id,
                code.order_id,
                code.cabinet_id,
                code.compartment,
                code.purpose,
                code.holder,
                now,
            )
        ]

    # -- queries and housekeeping -----------------------------------------------

    def get(self, code_id: str) -> AccessCode:
        """Return a stored code by id or raise ``unknown_code``."""
        try:
            return self.codes[code_id]
        except KeyError:
            raise DoorServiceError("unknown_code", code_id=code_id) from None

    def of_order(self, order_id: str) -> list[AccessCode]:
        """Return every stored code of an order (used, expired and live)."""
        return [self.codes[code_id] for code_id in self._by_order.get(order_id, ())]

    def active_for_order(self, order_id: str, now: datetime) -> list[AccessCode]:
        """Return the order's codes that are unused, not revoked and not expired."""
        return [
            code
            for code_id in self._by_order.get(order_id, ())
            if (code := self.codes[code_id]).is_active(now)
        ]

    def live_for_order(self, order_id: str, now: datetime | None) -> bool:
        """Whether the order has a code that may still open something.

        Unused and not revoked, and (when ``now`` is given) not expired.
        """
        return any(
            _is_live(self.codes[code_id], now)
            for code_id in self._by_order.get(order_id, ())
        )

    def forget_order(self, order_id: str, now: datetime | None = None) -> int:
        """Forget an order's codes that can no longer open anything.

        Live codes (see :meth:`live_for_order`) stay. Returns how many went.
        """
        finished = [
            self.codes[code_id]
            for code_id in self._by_order.get(order_id, ())
            if not _is_live(self.codes[code_id], now)
        ]
        for code in finished:
            self._drop(code)
        return len(finished)

    def revoke_for_order(
        self,
        order_id: str,
        now: datetime,
        purposes: Collection[CodePurpose] | None = None,
    ) -> list[CodeEvent]:
        """Revoke the order's active codes (only those of ``purposes`` when given)."""
        return [
            self._revoke(c, now)
            for c in self.active_for_order(order_id, now)
            if purposes is None or c.purpose in purposes
        ]

    def _revoke(self, code: AccessCode, now: datetime) -> CodeRevoked:
        code.revoked_at = now
        return CodeRevoked(
            code.id, code.order_id, code.cabinet_id, code.compartment, code.purpose, now
        )

    def purge(self, now: datetime, older_than: timedelta = DEFAULT_PURGE_AFTER) -> int:
        """Forget codes used, revoked or expired more than ``older_than`` ago.

        Also drops failures that fell out of the counting window. Returns how many
        codes were removed.
        """
        cutoff = now - older_than
        stale = [
            c
            for c in self.codes.values()
            if not c.is_active(now) and c.finished_at() < cutoff
        ]
        for code in stale:
            self._drop(code)
        for source in [k for k, g in self.guards.items() if g.is_quiet(now)]:
            del self.guards[source]
        for guard in self.guards.values():
            guard.failures = [t for t in guard.failures if now - t < FAILURE_WINDOW]
        return len(stale)

    def invariant_violations(self, now: datetime) -> list[str]:
        """Describe every broken code invariant (an empty list when all hold).

        PINs are unique among a cabinet's active codes, every active binding has one
        code, and the digest indexes match the stored codes.
        """
        problems: list[str] = []
        seen_pins: set[str] = set()
        seen_bindings: set[tuple[str, str, int, CodePurpose, str]] = set()
        for code in self.codes.values():
            if self._by_token.get(code.token_digest) != code.id:
                problems.append(f"{code.id}: token index mismatch")
            if code.id not in self._by_pin.get(code.pin_digest, ()):
                problems.append(f"{code.id}: PIN index mismatch")
            if not code.is_active(now):
                continue
            if code.pin_digest in seen_pins:
                problems.append(f"{code.id}: PIN shared with another active code")
            seen_pins.add(code.pin_digest)
            binding = (
                code.order_id,
                code.cabinet_id,
                code.compartment,
                code.purpose,
                code.holder,
            )
            if binding in seen_bindings:
                problems.append(f"{code.id}: second active code for {binding}")
            seen_bindings.add(binding)
        return problems

    # -- internals ----------------------------------------------------------------

    def _digest(self, kind: str, value: str) -> str:
        return hmac.new(
            self._secret, f"{kind}\x00{value}".encode(), hashlib.sha256
        ).hexdigest()

    def _pin_digest(self, cabinet_id: str, pin: str) -> str:
        return self._digest("pin", f"{cabinet_id}\x00{pin}")

    def _index(self, code: AccessCode) -> None:
        self.codes[code.id] = code
        self._by_pin.setdefault(code.pin_digest, []).append(code.id)
        self._by_token[code.token_digest] = code.id
        self._by_order.setdefault(code.order_id, []).append(code.id)

    def _drop(self, code: AccessCode) -> None:
        del self.codes[code.id]
        del self._by_token[code.token_digest]
        for index, key in (
            (self._by_pin, code.pin_digest),
            (self._by_order, code.order_id),
        ):
            ids = index[key]
            ids.remove(code.id)
            if not ids:
                del index[key]

    @property
    def secret_hex(self) -> str:
        """Return the site's code secret in hex (stored beside the codes)."""
        return self._secret.hex()

    def to_dict(self) -> dict[str, Any]:
        """Serialize to a JSON-safe dict: secret (hex), hashed codes, keypad guards."""
        return {
            "secret": self._secret.hex(),
            "next_seq": self.next_seq,
            "codes": [c.to_dict() for c in self.codes.values()],
            "guards": {k: g.to_dict() for k, g in self.guards.items()},
        }

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], rng: random.Random | None = None
    ) -> CodeBook:
        """Rebuild from ``to_dict`` output."""
        return cls(
            bytes.fromhex(data["secret"]),
            codes=[AccessCode.from_dict(c) for c in data["codes"]],
            guards={k: KeypadGuard.from_dict(g) for k, g in data["guards"].items()},
            next_seq=int(data["next_seq"]),
            rng=rng,
        )


def _is_live(code: AccessCode, now: datetime | None) -> bool:
    if code.used_at is not None or code.revoked_at is not None:
        return False
    return now is None or now < code.valid_until


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _from_iso(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)
