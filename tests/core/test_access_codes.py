"""Tests for one-time access codes and the keypad lockout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
import random

import pytest

from custom_components.doorservice.core.access_codes import (
    BASE_LOCKOUT,
    LOCKOUT_THRESHOLD,
    MAX_LOCKOUT,
    PROBATION,
    REPEAT_THRESHOLD,
    RESERVATION_TIMEOUT,
    CodeBook,
    CodeRejectedError,
    KeypadGuard,
    caller_source,
    keypad_source,
)
from custom_components.doorservice.core.codes import AccessCode, CodePurpose, EntryKind
from custom_components.doorservice.core.errors import DoorServiceError
from custom_components.doorservice.core.events import (
    CodeAccepted,
    CodeIssued,
    CodeRejected,
    CodeReleased,
    CodeReserved,
    CodeRevoked,
    CodeUsed,
    IssuedCode,
    KeypadLockedOut,
)

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def _locked(book: CodeBook, cabinet_id: str, now: datetime) -> bool:
    guard = book.guards.get(keypad_source(cabinet_id))
    return guard is not None and guard.is_locked(now)


def _until(book: CodeBook, cabinet_id: str, now: datetime) -> datetime | None:
    guard = book.guards.get(keypad_source(cabinet_id))
    return guard.locked_until if guard is not None and guard.is_locked(now) else None


def _book(seed: int = 1) -> CodeBook:
    return CodeBook.create(random.Random(seed))


def _issue(
    book: CodeBook,
    *,
    order_id: str = "DS-1",
    cabinet_id: str = "lobby",
    compartment: int = 1,
    purpose: CodePurpose = CodePurpose.DROPOFF,
    holder: str = "owner",
    valid_from: datetime = T0,
    valid_until: datetime = T0 + 24 * HOUR,
    now: datetime = T0,
) -> IssuedCode:
    return book.issue(
        order_id=order_id,
        cabinet_id=cabinet_id,
        compartment=compartment,
        purpose=purpose,
        holder=holder,
        valid_from=valid_from,
        valid_until=valid_until,
        now=now,
    )


def _rejected(
    book: CodeBook, cabinet_id: str, entry: str, now: datetime, **kw: object
) -> CodeRejectedError:
    codes_before = {k: v.to_dict() for k, v in book.codes.items()}
    with pytest.raises(CodeRejectedError) as info:
        book.verify(cabinet_id, entry, now, **kw)  # type: ignore[arg-type]
    # a refusal never touches the codes (only the keypad guard)
    assert {k: v.to_dict() for k, v in book.codes.items()} == codes_before
    assert isinstance(info.value.events[0], CodeRejected)
    assert info.value.events[0].reason == info.value.translation_key
    return info.value


def _wrong_pin(book: CodeBook, cabinet_id: str, rng: random.Random) -> str:
    while True:
        pin = f"{rng.randrange(10**6):06d}"
        if pin not in {"000000"}:
            digest = book._pin_digest(cabinet_id, pin)
            if digest not in book._by_pin:
                return pin


def test_issue_verify_consume() -> None:
    book = _book()
    issued = _issue(book)
    assert len(issued.pin) == 6
    assert issued.pin.isdigit()
    assert len(issued.token) >= 20
    code = issued.code
    assert issued.events == (
        CodeIssued(
            code.id,
            "DS-1",
            "lobby",
            1,
            CodePurpose.DROPOFF,
            "owner",
            T0,
            T0 + 24 * HOUR,
        ),
    )
    # repr of stored objects and of the result never shows the secrets
    for text in (repr(issued), repr(code), repr(book), str(issued.events)):
        assert issued.pin not in text
        assert issued.token not in text
    assert "******" in repr(issued)

    result = book.verify("lobby", f" {issued.pin} ", T0 + HOUR)
    assert result.code is code
    assert result.via is EntryKind.PIN
    assert result.events == (
        CodeAccepted(
            code.id,
            "DS-1",
            "lobby",
            1,
            CodePurpose.DROPOFF,
            "owner",
            EntryKind.PIN,
            T0 + HOUR,
        ),
    )
    # verify does not consume: the board may be offline, try again
    assert book.verify("lobby", issued.token, T0 + HOUR).via is EntryKind.QR
    assert code.used_at is None
    events = book.consume(code.id, T0 + HOUR)
    assert events == [
        CodeUsed(code.id, "DS-1", "lobby", 1, CodePurpose.DROPOFF, "owner", T0 + HOUR)
    ]
    assert code.used_at == T0 + HOUR
    err = _rejected(book, "lobby", issued.pin, T0 + 2 * HOUR)
    assert err.translation_key == "code_already_used"
    assert err.placeholders["used_at"] == (T0 + HOUR).isoformat()
    assert err.events[0] == CodeRejected(
        "lobby", "code_already_used", EntryKind.PIN, T0 + 2 * HOUR, code.id
    )
    err = _rejected(book, "lobby", issued.token, T0 + 2 * HOUR)
    assert err.translation_key == "code_already_used"
    with pytest.raises(DoorServiceError) as info:
        book.consume(code.id, T0 + 2 * HOUR)
    assert info.value.translation_key == "code_already_used"
    with pytest.raises(DoorServiceError) as info:
        book.consume("code-999", T0)
    assert info.value.translation_key == "unknown_code"
    assert book.invariant_violations(T0 + 2 * HOUR) == []


def test_secrets_random_by_default() -> None:
    book = CodeBook.create()
    issued = _issue(book)
    assert book.verify("lobby", issued.pin, T0).code is issued.code
    assert book.verify("lobby", issued.token, T0).code is issued.code
    assert len(book.to_dict()["secret"]) == 64


def test_validity_window() -> None:
    book = _book()
    issued = _issue(book, valid_from=T0 + HOUR, valid_until=T0 + 2 * HOUR)
    err = _rejected(book, "lobby", issued.pin, T0 + timedelta(minutes=59))
    assert err.translation_key == "code_not_yet_valid"
    assert err.placeholders == {
        "cabinet_id": "lobby",
        "valid_from": (T0 + HOUR).isoformat(),
    }
    assert book.verify("lobby", issued.pin, T0 + HOUR).code is issued.code
    err = _rejected(book, "lobby", issued.token, T0 + 2 * HOUR)
    assert err.translation_key == "code_expired"
    assert err.placeholders["valid_until"] == (T0 + 2 * HOUR).isoformat()
    assert book.active_for_order("DS-1", T0 + 2 * HOUR) == []
    assert book.active_for_order("DS-1", T0) == [issued.code]


def test_bad_issue_requests_change_nothing() -> None:
    book = _book()
    before = book.to_dict()
    for kwargs, key in [
        ({"order_id": ""}, "invalid_code_binding"),
        ({"cabinet_id": ""}, "invalid_code_binding"),
        ({"compartment": 0}, "unknown_compartment"),
        ({"holder": "somebody"}, "invalid_code_holder"),
        ({"holder": "worker:"}, "invalid_code_holder"),
        ({"valid_until": T0}, "invalid_validity_window"),
        (
            {"valid_from": T0 - 3 * HOUR, "valid_until": T0 - HOUR},
            "invalid_validity_window",
        ),
    ]:
        with pytest.raises(DoorServiceError) as info:
            _issue(book, **kwargs)  # type: ignore[arg-type]
        assert info.value.translation_key == key
    assert book.to_dict() == before
    with pytest.raises(DoorServiceError) as info:
        CodeBook(b"short")
    assert info.value.translation_key == "invalid_code_secret"


def test_wrong_purpose_and_holders() -> None:
    book = _book()
    issued = _issue(book, purpose=CodePurpose.PICKUP, holder="worker:anna")
    err = _rejected(book, "lobby", issued.pin, T0, purpose=CodePurpose.COLLECT)
    assert err.translation_key == "code_wrong_purpose"
    assert err.placeholders["purpose"] == "pickup"
    assert err.placeholders["expected"] == "collect"
    result = book.verify("lobby", issued.pin, T0, purpose=CodePurpose.PICKUP)
    assert result.code.holder == "worker:anna"
    operator = _issue(book, purpose=CodePurpose.RESTOCK, holder="operator")
    assert book.verify("lobby", operator.token, T0).code.purpose is CodePurpose.RESTOCK


def test_wrong_cabinet() -> None:
    book = _book()
    lobby = _issue(book, cabinet_id="lobby")
    garage = _issue(book, cabinet_id="garage", order_id="DS-2")
    # A code of another cabinet is just invalid here: no other cabinet is named,
    # and the PIN counts as a failure where it was typed.
    err = _rejected(book, "garage", lobby.pin, T0)
    assert err.translation_key == "code_invalid"
    assert err.placeholders == {"cabinet_id": "garage"}
    assert err.events[0].code_id is None  # type: ignore[union-attr]
    err = _rejected(book, "garage", lobby.token, T0)
    assert err.translation_key == "code_invalid"
    assert err.placeholders == {"cabinet_id": "garage"}
    assert err.events[0].code_id is None  # type: ignore[union-attr]
    assert len(book.guards[keypad_source("garage")].failures) == 1
    assert keypad_source("lobby") not in book.guards
    assert book.verify("garage", garage.pin, T0).code is garage.code
    # a used code of another cabinet is just a wrong code here
    book.consume(lobby.code.id, T0)
    assert _rejected(book, "garage", lobby.pin, T0).translation_key == "code_invalid"
    # and a QR entry that matches nothing
    assert (
        _rejected(book, "garage", "not-a-token", T0).translation_key == "code_invalid"
    )
    assert _rejected(book, "garage", "", T0).translation_key == "code_invalid"


class _ScriptedRandom(random.Random):
    """A Random whose randrange replays a script (to force PIN collisions)."""

    def __init__(self, values: list[int]) -> None:
        super().__init__(7)
        self.values = values

    def randrange(self, *args: object, **kwargs: object) -> int:
        return self.values.pop(0) if self.values else 424242


def test_pin_unique_among_active_codes_of_a_cabinet() -> None:
    rng = _ScriptedRandom([111111, 111111, 111111, 222222, 111111])
    book = CodeBook.create(rng)
    first = _issue(book, order_id="A", valid_until=T0 + HOUR)
    assert first.pin == "111111"
    # another cabinet may have the same PIN
    other = _issue(book, order_id="B", cabinet_id="garage")
    assert other.pin == "111111"
    # the same cabinet must not: regenerated
    second = _issue(book, order_id="C", compartment=2)
    assert second.pin == "222222"
    assert book.invariant_violations(T0) == []
    # once the first expired, its PIN can be given out again
    third = _issue(book, order_id="D", compartment=3, now=T0 + HOUR)
    assert third.pin == "111111"
    # the active one wins the lookup; the old one still explains itself when alone
    assert book.verify("lobby", "111111", T0 + HOUR).code is third.code
    assert book.invariant_violations(T0 + HOUR) == []


def test_pin_space_exhausted_changes_nothing() -> None:
    rng = _ScriptedRandom([5] * 10)
    book = CodeBook.create(rng)
    rng.values = [5] * 200
    _issue(book)
    before = book.to_dict()
    with pytest.raises(DoorServiceError) as info:
        _issue(book, order_id="B", compartment=2)
    assert info.value.translation_key == "no_free_pin"
    assert book.to_dict() == before


def test_reissue_replaces_and_revoke_for_order() -> None:
    book = _book()
    old = _issue(book, purpose=CodePurpose.PICKUP, holder="worker:anna")
    new = _issue(book, purpose=CodePurpose.PICKUP, holder="worker:anna", now=T0 + HOUR)
    assert new.events[0] == CodeRevoked(
        old.code.id, "DS-1", "lobby", 1, CodePurpose.PICKUP, T0 + HOUR
    )
    assert isinstance(new.events[1], CodeIssued)
    err = _rejected(book, "lobby", old.token, T0 + HOUR)
    assert err.translation_key == "code_revoked"
    with pytest.raises(DoorServiceError) as info:
        book.consume(old.code.id, T0 + HOUR)
    assert info.value.translation_key == "code_revoked"
    collect = _issue(book, purpose=CodePurpose.COLLECT, now=T0 + HOUR)
    assert {c.id for c in book.active_for_order("DS-1", T0 + HOUR)} == {
        new.code.id,
        collect.code.id,
    }
    # cancel: revoke everything but the owner's collect code
    events = book.revoke_for_order(
        "DS-1",
        T0 + 2 * HOUR,
        purposes={CodePurpose.DROPOFF, CodePurpose.PICKUP, CodePurpose.RETURN},
    )
    assert [e.code_id for e in events] == [new.code.id]  # type: ignore[union-attr]
    assert book.active_for_order("DS-1", T0 + 2 * HOUR) == [collect.code]
    assert [e.code_id for e in book.revoke_for_order("DS-1", T0 + 2 * HOUR)] == [  # type: ignore[union-attr]
        collect.code.id
    ]
    assert book.revoke_for_order("DS-1", T0 + 2 * HOUR) == []
    assert book.invariant_violations(T0 + 2 * HOUR) == []


def test_lockout_then_correct_code_refused_and_later_accepted() -> None:
    book = _book()
    issued = _issue(book)
    rng = random.Random(3)
    now = T0
    for attempt in range(1, 5):
        err = _rejected(book, "lobby", _wrong_pin(book, "lobby", rng), now)
        assert err.translation_key == "code_invalid"
        assert len(err.events) == 1
        assert not _locked(book, "lobby", now)
        now += timedelta(seconds=30 * attempt)
    # a wrong QR token is not counted (tokens are unguessable) ...
    err = _rejected(book, "lobby", "wrong-token", now)
    assert err.translation_key == "code_invalid"
    assert len(err.events) == 1
    # ... the fifth wrong PIN locks the keypad
    err = _rejected(book, "lobby", _wrong_pin(book, "lobby", rng), now)
    assert err.translation_key == "code_invalid"
    assert err.events[1] == KeypadLockedOut(
        "lobby",
        now,
        now + BASE_LOCKOUT,
        lockout_number=1,
        failures=5,
        source_kind="keypad",
    )
    assert _until(book, "lobby", now) == now + BASE_LOCKOUT
    # the correct code is refused during the lockout, without counting
    err = _rejected(book, "lobby", issued.pin, now + timedelta(minutes=1))
    assert err.translation_key == "keypad_locked_out"
    assert err.placeholders == {
        "cabinet_id": "lobby",
        "until": (now + BASE_LOCKOUT).isoformat(),
        "minutes": "4",
    }
    assert err.events == (
        CodeRejected(
            "lobby", "keypad_locked_out", EntryKind.PIN, now + timedelta(minutes=1)
        ),
    )
    assert book.guards[keypad_source("lobby")].failures == []
    # the QR token of the same code is never locked out
    assert book.verify("lobby", issued.token, now).code is issued.code
    # other cabinets and callers are not affected
    assert not _locked(book, "garage", now)
    assert _until(book, "garage", now) is None
    user = caller_source("user-1")
    assert book.verify("lobby", issued.pin, now, source=user).code is issued.code
    # after the lockout the same code is accepted
    after = now + BASE_LOCKOUT
    assert _until(book, "lobby", after) is None
    assert book.verify("lobby", issued.pin, after).code is issued.code


def test_failures_outside_window_do_not_lock() -> None:
    book = _book()
    rng = random.Random(5)
    now = T0
    for _ in range(20):
        _rejected(book, "lobby", _wrong_pin(book, "lobby", rng), now)
        now += timedelta(minutes=3, seconds=46)
    assert not _locked(book, "lobby", now)
    assert book.guards[keypad_source("lobby")].lockout_count == 0


def _attack(
    book: CodeBook, source: str | None, start: datetime, span: timedelta
) -> tuple[int, list[KeypadLockedOut]]:
    """A patient attacker: guesses as fast as allowed, waits out every lockout."""
    rng = random.Random(99)
    now = start
    counted = 0
    lockouts: list[KeypadLockedOut] = []
    while now < start + span:
        try:
            book.verify("lobby", f"{rng.randrange(10**6):06d}", now, source=source)
            raise AssertionError("a guess was accepted")
        except CodeRejectedError as err:
            if err.translation_key == "keypad_locked_out":
                until = book.guards[source or keypad_source("lobby")].locked_until
                assert until is not None
                now = until
                continue
            counted += 1
            lockouts.extend(e for e in err.events if isinstance(e, KeypadLockedOut))
        now += timedelta(seconds=2)
    return counted, lockouts


def test_brute_force_is_bounded_and_no_lockout_exceeds_15_minutes() -> None:
    book = _book()
    issued = [
        _issue(
            book, order_id=f"DS-{i}", compartment=i, valid_until=T0 + 400 * 24 * HOUR
        )
        for i in range(1, 6)
    ]
    day = timedelta(hours=24)
    guesses, lockouts = _attack(book, None, T0, day)
    # 5 failures lock the keypad for 5 min, then every 2 more lock it again for
    # 10, then 15 min (the cap): about 200 guesses a day against 10**6 PINs.
    assert guesses <= 200
    assert guesses >= 190
    durations = [e.until - e.at for e in lockouts]
    assert durations[:3] == [BASE_LOCKOUT, 2 * BASE_LOCKOUT, MAX_LOCKOUT]
    assert max(durations) == MAX_LOCKOUT == timedelta(minutes=15)
    assert [e.failures for e in lockouts[:3]] == [
        LOCKOUT_THRESHOLD,
        REPEAT_THRESHOLD,
        REPEAT_THRESHOLD,
    ]
    assert [e.lockout_number for e in lockouts] == list(range(1, len(lockouts) + 1))
    # However the attacker times it, a holder waits at most 15 minutes.
    guard = book.guards[keypad_source("lobby")]
    assert guard.locked_until is not None
    assert guard.locked_until - (T0 + day) <= MAX_LOCKOUT
    after = guard.locked_until
    assert book.verify("lobby", issued[0].pin, after).code is issued[0].code
    # The holder's own QR token works during the lockout, and so does the
    # holder typing the PIN from their own account.
    locked_at = lockouts[-1].at
    assert book.verify("lobby", issued[1].token, locked_at).code is issued[1].code
    assert (
        book.verify(
            "lobby", issued[1].pin, locked_at, source=caller_source("owner")
        ).code
        is issued[1].code
    )
    # A quiet probation period resets the source to the first threshold.
    quiet = after + PROBATION
    rng = random.Random(7)
    errors = [
        _rejected(book, "lobby", _wrong_pin(book, "lobby", rng), quiet)
        for _ in range(LOCKOUT_THRESHOLD)
    ]
    assert errors[-1].events[-1] == KeypadLockedOut(
        "lobby", quiet, quiet + BASE_LOCKOUT, 1, LOCKOUT_THRESHOLD, "keypad"
    )
    assert all(len(e.events) == 1 for e in errors[:-1])


def test_lockout_per_source() -> None:
    book = _book()
    issued = _issue(book)
    rng = random.Random(11)
    mallory = caller_source("mallory")
    for _ in range(LOCKOUT_THRESHOLD):
        wrong = _wrong_pin(book, "lobby", rng)
        err = _rejected(book, "lobby", wrong, T0, source=mallory)
    assert err.events[-1] == KeypadLockedOut(
        "lobby", T0, T0 + BASE_LOCKOUT, 1, LOCKOUT_THRESHOLD, "caller"
    )
    assert (
        _rejected(book, "lobby", issued.pin, T0, source=mallory).translation_key
        == "keypad_locked_out"
    )
    # the keypad and every other caller are untouched
    assert not _locked(book, "lobby", T0)
    assert book.verify("lobby", issued.pin, T0).code is issued.code
    assert (
        book.verify("lobby", issued.pin, T0, source=caller_source("anna")).code
        is issued.code
    )
    # a wrong guess anywhere is counted only at its own source
    assert set(book.guards) == {mallory}


def test_reserve_release_and_use() -> None:
    book = _book()
    issued = _issue(book)
    code = book.verify("lobby", issued.pin, T0).code
    events = book.reserve(code.id, T0)
    assert events == [
        CodeReserved(code.id, "DS-1", "lobby", 1, T0, T0 + RESERVATION_TIMEOUT)
    ]
    # a second entry of the same code (PIN or QR) is refused, and not counted
    for entry in (issued.pin, issued.token):
        err = _rejected(book, "lobby", entry, T0 + timedelta(seconds=1))
        assert err.translation_key == "code_in_use"
        assert len(err.events) == 1
    assert keypad_source("lobby") not in book.guards
    with pytest.raises(DoorServiceError, match="code_in_use"):
        book.reserve(code.id, T0)
    # a failed unlock releases it: valid again
    assert book.release(code.id, T0, "unlock_failed") == [
        CodeReleased(code.id, "DS-1", "lobby", 1, "unlock_failed", T0)
    ]
    assert book.release(code.id, T0, "unlock_failed") == []
    assert book.verify("lobby", issued.pin, T0).code is code
    # an unresolved reservation (restart mid-unlock) expires by itself
    book.reserve(code.id, T0)
    later = T0 + RESERVATION_TIMEOUT
    assert book.verify("lobby", issued.token, later).code is code
    # using the code ends its reservation
    book.reserve(code.id, later)
    assert book.reserved_for("DS-1", "lobby", 1, later) is code
    book.consume(code.id, later)
    assert code.reserved_until is None
    assert book.reserved_for("DS-1", "lobby", 1, later) is None
    assert book.release(code.id, later, "unlock_failed") == []
    restored = CodeBook.from_dict(json.loads(json.dumps(book.to_dict())))
    assert restored.to_dict() == book.to_dict()


def test_guard_doubling_is_capped() -> None:
    guard = KeypadGuard(lockout_count=40)
    now = T0
    result = None
    for _ in range(5):
        result = guard.record_failure(now)
    assert result == 41
    assert guard.locked_until == now + MAX_LOCKOUT


def test_purge() -> None:
    book = _book()
    used = _issue(book, order_id="A")
    book.consume(used.code.id, T0)
    expired = _issue(book, order_id="B", valid_until=T0 + HOUR)
    revoked = _issue(book, order_id="C")
    book.revoke_for_order("C", T0 + HOUR)
    active = _issue(book, order_id="D", valid_until=T0 + 30 * 24 * HOUR)
    # a second code sharing its PIN digest with a stale one keeps the PIN index entry
    rng_book = CodeBook.create(_ScriptedRandom([7, 7]))
    old = _issue(rng_book, order_id="X", valid_until=T0 + HOUR)
    new = _issue(rng_book, order_id="Y", now=T0 + HOUR)
    assert old.pin == new.pin

    assert book.purge(T0 + 2 * 24 * HOUR) == 0
    book.guards[keypad_source("lobby")] = KeypadGuard(failures=[T0])
    book.guards["user:x"] = KeypadGuard(
        locked_until=T0 + 8 * 24 * HOUR - HOUR, lockout_count=1
    )
    assert book.purge(T0 + 8 * 24 * HOUR) == 3
    assert set(book.codes) == {active.code.id}
    # a quiet source is forgotten; one on probation is kept
    assert set(book.guards) == {"user:x"}
    for gone in (used, expired, revoked):
        assert _rejected(
            book, "lobby", gone.token, T0 + 8 * 24 * HOUR
        ).translation_key == ("code_invalid")
    assert book.invariant_violations(T0 + 8 * 24 * HOUR) == []

    assert rng_book.purge(T0 + 8 * 24 * HOUR) == 1
    assert rng_book.verify("lobby", new.pin, T0 + 2 * HOUR).code is new.code
    assert rng_book.invariant_violations(T0) == []


def test_invariant_violations_detected() -> None:
    book = _book()
    a = _issue(book, order_id="A")
    b = _issue(book, order_id="B")
    b.code.pin_digest = a.code.pin_digest
    b.code.order_id = "A"
    b.code.token_digest = "0" * 64
    problems = book.invariant_violations(T0)
    assert any("token index" in p for p in problems)
    assert any("PIN index" in p for p in problems)
    assert any("PIN shared" in p for p in problems)
    assert any("second active code" in p for p in problems)


def test_round_trip_and_no_secrets_in_storage() -> None:
    book = _book()
    issued = [
        _issue(book, order_id="A"),
        _issue(book, order_id="B", purpose=CodePurpose.PICKUP, holder="worker:bo"),
        _issue(book, order_id="C", cabinet_id="garage", valid_from=T0 + HOUR),
    ]
    book.consume(issued[0].code.id, T0)
    book.revoke_for_order("B", T0)
    for _ in range(3):
        with pytest.raises(CodeRejectedError):
            book.verify("garage", "000000", T0)
    for n in range(5):
        with pytest.raises(CodeRejectedError):
            book.verify("lobby", f"99999{n}", T0)
    text = json.dumps(book.to_dict())
    for i in issued:
        assert i.pin not in text
        assert i.token not in text
    restored = CodeBook.from_dict(json.loads(text))
    assert restored.to_dict() == book.to_dict()
    assert _locked(restored, "lobby", T0)
    assert len(restored.guards[keypad_source("garage")].failures) == 3
    assert restored.codes[issued[2].code.id] == issued[2].code
    assert isinstance(restored.codes[issued[2].code.id], AccessCode)
    # lookups work after the restart
    assert restored.verify("garage", issued[2].pin, T0 + HOUR).code.order_id == "C"
    assert restored.verify("garage", issued[2].token, T0 + HOUR).code.order_id == "C"
    err = _rejected(restored, "garage", issued[0].pin, T0 + HOUR)
    assert err.translation_key == "code_invalid"
    # the sequence continues
    assert _issue(restored, order_id="D").code.id == "code-4"
    assert restored.invariant_violations(T0) == []
