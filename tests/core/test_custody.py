"""Tests for key custody, and the cabinet flows at domain level.

The flow tests play the glue: they allocate compartments, issue codes, verify and
consume them, and move the key, asserting after every step that the key has exactly
one holder and that cabinet, codes, custody and stock agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import json
import random

import pytest

from custom_components.doorservice.core.access_codes import CodeBook, CodeRejectedError
from custom_components.doorservice.core.cabinet import Cabinet
from custom_components.doorservice.core.codes import CodePurpose
from custom_components.doorservice.core.custody import (
    CustodyHop,
    CustodyLedger,
    CustodyStatus,
    KeyCustody,
)
from custom_components.doorservice.core.errors import DoorServiceError
from custom_components.doorservice.core.events import (
    CompartmentSize,
    Contents,
    CustodyClosed,
    Holder,
    HolderKind,
    IssuedCode,
    KeyMoved,
)
from custom_components.doorservice.core.supplies import Stock, SupplyCatalog

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
OWNER = Holder.owner()
ANNA = Holder.worker("anna")


def _box(n: int, cabinet: str = "lobby") -> Holder:
    return Holder.compartment(cabinet, n)


# --- holders -----------------------------------------------------------------


def test_holders() -> None:
    assert str(OWNER) == "owner"
    assert str(_box(3)) == "compartment:3"
    assert str(ANNA) == "worker:anna"
    assert _box(3) == Holder(HolderKind.COMPARTMENT, "lobby", 3)
    assert _box(3) != _box(3, "garage")
    for holder in (OWNER, _box(3), ANNA):
        assert Holder.from_dict(json.loads(json.dumps(holder.to_dict()))) == holder


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": HolderKind.COMPARTMENT, "cabinet_id": "lobby"},
        {
            "kind": HolderKind.COMPARTMENT,
            "cabinet_id": "lobby",
            "compartment_number": 0,
        },
        {"kind": HolderKind.COMPARTMENT, "compartment_number": 1},
        {
            "kind": HolderKind.COMPARTMENT,
            "cabinet_id": "l",
            "compartment_number": 1,
            "worker_id": "x",
        },
        {"kind": HolderKind.WORKER},
        {"kind": HolderKind.WORKER, "worker_id": "a", "cabinet_id": "l"},
        {"kind": HolderKind.WORKER, "worker_id": "a", "compartment_number": 1},
        {"kind": HolderKind.OWNER, "worker_id": "a"},
        {"kind": HolderKind.OWNER, "cabinet_id": "l"},
        {"kind": HolderKind.OWNER, "compartment_number": 2},
    ],
)
def test_bad_holders(kwargs: dict[str, object]) -> None:
    with pytest.raises(DoorServiceError) as info:
        Holder(**kwargs)  # type: ignore[arg-type]
    assert info.value.translation_key == "invalid_key_holder"


# --- a single custody ------------------------------------------------------------


def _refused_move(
    custody: KeyCustody, key: str, to: Holder, actor: str, now: datetime
) -> DoorServiceError:
    before = custody.to_dict()
    with pytest.raises(DoorServiceError) as info:
        custody.move(to, actor, now)
    assert info.value.translation_key == key
    assert custody.to_dict() == before
    return info.value


def test_custody_hops_and_refusals() -> None:
    custody = KeyCustody("DS-1")
    assert custody.holder == OWNER
    assert [custody.status] == [CustodyStatus.NOT_STARTED]
    assert (custody.is_open, custody.is_closed) == (False, False)
    for target in (OWNER, ANNA):
        err = _refused_move(custody, "custody_illegal_hop", target, "owner", T0)
        assert err.placeholders["from_holder"] == "owner"
    _refused_move(custody, "custody_actor_required", _box(1), "", T0)

    assert custody.move(_box(1), "owner", T0) == [
        KeyMoved("DS-1", T0, OWNER, _box(1), "owner")
    ]
    assert custody.is_open
    _refused_move(custody, "custody_illegal_hop", _box(2), "operator", T0)
    _refused_move(custody, "custody_time_order", ANNA, "worker:anna", T0 - MIN)
    custody.move(ANNA, "worker:anna", T0 + MIN)
    _refused_move(custody, "custody_illegal_hop", OWNER, "worker:anna", T0 + 2 * MIN)
    _refused_move(
        custody, "custody_illegal_hop", Holder.worker("bo"), "worker:anna", T0 + 2 * MIN
    )
    custody.move(_box(2), "worker:anna", T0 + 2 * MIN)
    events = custody.move(OWNER, "owner", T0 + 3 * MIN)
    assert events == [
        KeyMoved("DS-1", T0 + 3 * MIN, _box(2), OWNER, "owner"),
        CustodyClosed("DS-1", T0 + 3 * MIN),
    ]
    assert custody.is_closed
    assert custody.status == CustodyStatus.CLOSED
    _refused_move(custody, "custody_closed", _box(1), "owner", T0 + 4 * MIN)
    assert [str(h.to_holder) for h in custody.hops] == [
        "compartment:1",
        "worker:anna",
        "compartment:2",
        "owner",
    ]
    assert custody.invariant_violations() == []
    restored = KeyCustody.from_dict(json.loads(json.dumps(custody.to_dict())))
    assert restored == custody


def test_custody_invariant_violations_detected() -> None:
    custody = KeyCustody(
        "DS-1",
        [
            CustodyHop(T0, OWNER, _box(1), "owner"),
            CustodyHop(T0 - MIN, ANNA, OWNER, "x"),
            CustodyHop(T0, OWNER, _box(1), "owner"),
        ],
    )
    problems = custody.invariant_violations()
    assert problems == [
        "hop 1 starts at worker:anna, not compartment:1",
        "hop 1 is illegal",
        "hop 1 goes back in time",
        "hop 2 follows the key's return",
    ]


def test_ledger() -> None:
    ledger = CustodyLedger()
    a = ledger.start("A")
    ledger.start("B")
    assert "A" in ledger
    assert len(ledger) == 2
    assert list(ledger) == [a, ledger.get("B")]
    for call, args, key in [
        (ledger.start, ("A",), "custody_exists"),
        (ledger.start, ("",), "invalid_order_id"),
        (ledger.get, ("Z",), "unknown_custody"),
        (ledger.discard, ("Z",), "unknown_custody"),
    ]:
        with pytest.raises(DoorServiceError) as info:
            call(*args)
        assert info.value.translation_key == key
    ledger.move("A", _box(1), "owner", T0)
    assert ledger.get("A").holder == _box(1)
    assert ledger.key_in("lobby", 1) is a
    assert ledger.key_in("lobby", 2) is None
    assert [c for c in ledger if c.is_open] == [a]
    # a compartment takes one key at a time
    before = ledger.to_dict()
    with pytest.raises(DoorServiceError) as info:
        ledger.move("B", _box(1), "owner", T0)
    assert info.value.translation_key == "compartment_holds_key"
    assert ledger.to_dict() == before
    ledger.move("B", _box(2), "owner", T0)
    with pytest.raises(DoorServiceError) as info:
        ledger.discard("A")
    assert info.value.translation_key == "custody_open"
    assert info.value.placeholders == {"order_id": "A", "holder": "compartment:1"}
    # the worker brings A's key back to the same compartment: allowed
    ledger.move("A", ANNA, "worker:anna", T0 + MIN)
    ledger.move("A", _box(1), "worker:anna", T0 + 2 * MIN)
    ledger.move("A", OWNER, "owner", T0 + 3 * MIN)
    assert ledger.invariant_violations() == []
    restored = CustodyLedger.from_dict(json.loads(json.dumps(ledger.to_dict())))
    assert restored == ledger
    ledger.discard("A")
    ledger.start("C")
    ledger.discard("C")
    assert list(ledger.custodies) == ["B"]


def test_ledger_invariant_violations_detected() -> None:
    ledger = CustodyLedger(
        {
            "A": KeyCustody("A", [CustodyHop(T0, OWNER, _box(1), "owner")]),
            "B": KeyCustody("B", [CustodyHop(T0, OWNER, _box(1), "owner")]),
            "C": KeyCustody("X"),
        }
    )
    assert ledger.invariant_violations() == [
        "B: compartment:1 also holds A's key",
        "C: filed under the wrong order",
    ]


# --- flows at domain level ---------------------------------------------------------


@dataclass
class SiteModel:
    """What the glue keeps for one site, driven the way the glue will drive it."""

    cabinet: Cabinet = field(default_factory=lambda: Cabinet.build("lobby", 8))
    book: CodeBook = field(default_factory=lambda: CodeBook.create(random.Random(4)))
    ledger: CustodyLedger = field(default_factory=CustodyLedger)
    catalog: SupplyCatalog = field(default_factory=SupplyCatalog.default)
    stock: Stock = field(default_factory=lambda: Stock("lobby"))
    live: set[str] = field(default_factory=set)

    def check(self, now: datetime) -> None:
        """Assert every invariant across the site."""
        assert self.cabinet.invariant_violations(self.live) == []
        assert self.book.invariant_violations(now) == []
        assert self.ledger.invariant_violations() == []
        assert self.stock.invariant_violations() == []
        for custody in self.ledger:
            holder = custody.holder
            # exactly one holder, and the cabinet agrees with the ledger
            seen = [
                f"compartment:{c.number}"
                for c in self.cabinet
                if c.contents.holds_key and c.order_id == custody.order_id
            ]
            if holder.kind is not HolderKind.COMPARTMENT:
                seen.append(str(holder))
            assert seen == [str(holder)]

    def round_trip(self) -> None:
        """Simulate a restart: rebuild everything from JSON."""
        self.cabinet = Cabinet.from_dict(json.loads(json.dumps(self.cabinet.to_dict())))
        self.book = CodeBook.from_dict(json.loads(json.dumps(self.book.to_dict())))
        self.ledger = CustodyLedger.from_dict(
            json.loads(json.dumps(self.ledger.to_dict()))
        )
        self.stock = Stock.from_dict(json.loads(json.dumps(self.stock.to_dict())))

    def issue(
        self,
        order_id: str,
        number: int,
        purpose: CodePurpose,
        holder: str,
        now: datetime,
    ) -> IssuedCode:
        return self.book.issue(
            order_id=order_id,
            cabinet_id=self.cabinet.id,
            compartment=number,
            purpose=purpose,
            holder=holder,
            valid_from=now - 5 * MIN,
            valid_until=now + timedelta(hours=12),
            now=now,
        )

    def open_with(self, entry: str, now: datetime, board_offline: bool = False) -> None:
        """Keypad entry -> verify -> unlock confirmed -> consume -> door closed -> hop.

        With ``board_offline`` the first unlock fails after verification and HA
        restarts: the code is not burnt and works on the second try.
        """
        verification = self.book.verify(self.cabinet.id, entry, now)
        if board_offline:
            self.round_trip()
            verification = self.book.verify(self.cabinet.id, entry, now + MIN)
            now += MIN
        code = verification.code
        number = code.compartment
        self.book.consume(code.id, now)
        self.cabinet.update_door(number, True)
        self.cabinet.update_door(number, False)
        contents = self.cabinet.compartment(number).contents
        supplies = contents in (Contents.SUPPLIES, Contents.KEY_AND_SUPPLIES)
        order = code.order_id
        if code.purpose is CodePurpose.DROPOFF:
            self.cabinet.set_contents(number, Contents.KEY, order)
            self.ledger.move(order, _box(number), "owner", now)
        elif code.purpose is CodePurpose.PICKUP:
            if contents.holds_key:
                worker = Holder.worker(code.holder.removeprefix("worker:"))
                self.ledger.move(order, worker, code.holder, now)
            if supplies:
                self.stock.consume(order)
            # the key comes back to this compartment, so it stays bound to the order
            keep = Contents.RESERVED if order in self.ledger else Contents.EMPTY
            self.cabinet.set_contents(number, keep, order)
        elif code.purpose is CodePurpose.RETURN:
            self.cabinet.set_contents(number, Contents.KEY, order)
            self.ledger.move(order, _box(number), code.holder, now)
        elif code.purpose is CodePurpose.COLLECT:
            self.ledger.move(order, OWNER, "owner", now)
            self.cabinet.set_contents(number, Contents.EMPTY, order)
        else:
            filled = (
                Contents.KEY_AND_SUPPLIES if contents.holds_key else Contents.SUPPLIES
            )
            self.cabinet.set_contents(number, filled, order)

    def cancel(self, order_id: str, now: datetime) -> IssuedCode | None:
        """Cancel an order: free what can be freed, hand the owner a collect code."""
        self.live.discard(order_id)
        self.book.revoke_for_order(order_id, now)
        collect = None
        for compartment in self.cabinet.compartments_for(order_id):
            if compartment.contents.holds_key:
                collect = self.issue(
                    order_id, compartment.number, CodePurpose.COLLECT, "owner", now
                )
            else:
                self.cabinet.release(compartment.number, order_id)
        if order_id in self.stock.reservations:
            self.stock.release(order_id, self.catalog)
        if order_id in self.ledger and not self.ledger.get(order_id).is_open:
            self.ledger.discard(order_id)
        return collect


def test_full_keyed_flow_with_supplies_and_restarts() -> None:
    site = SiteModel()
    site.stock.restock("trash_bags", 6, site.catalog)
    now = T0
    site.check(now)

    # 1. booking: compartment reserved, supplies reserved, dropoff code handed out
    number, _ = site.cabinet.allocate("DS-1", CompartmentSize.SMALL)
    lines, _ = site.stock.reserve("DS-1", [("trash_bags", 2)], site.catalog)
    assert [line.amount for line in lines] == [lines[0].unit_price * 2]
    site.ledger.start("DS-1")
    site.live.add("DS-1")
    dropoff = site.issue("DS-1", number, CodePurpose.DROPOFF, "owner", now)
    assert site.ledger.get("DS-1").holder == OWNER
    site.check(now)
    site.round_trip()

    # 2. the owner drops the key off
    now += 10 * MIN
    site.open_with(dropoff.pin, now, board_offline=True)
    assert site.ledger.get("DS-1").holder == _box(number)
    assert site.cabinet.compartment(number).contents is Contents.KEY
    site.check(now)
    site.round_trip()

    # the operator puts the purchased supplies in with a restock code
    restock = site.issue("DS-1", number, CodePurpose.RESTOCK, "operator", now)
    site.open_with(restock.token, now)
    assert site.cabinet.compartment(number).contents is Contents.KEY_AND_SUPPLIES
    site.check(now)

    # 3. the worker accepted and picks up key and supplies
    now += 60 * MIN
    pickup = site.issue("DS-1", number, CodePurpose.PICKUP, "worker:anna", now)
    # the used dropoff code is refused, the pickup code is not
    with pytest.raises(CodeRejectedError):
        site.book.verify("lobby", dropoff.pin, now)
    site.round_trip()
    site.open_with(pickup.token, now, board_offline=True)
    assert site.ledger.get("DS-1").holder == ANNA
    assert site.cabinet.compartment(number).contents is Contents.RESERVED
    assert site.stock.on_hand["trash_bags"] == 4
    site.check(now)

    # 4. work done: the worker returns the key
    now += 120 * MIN
    return_code = site.issue("DS-1", number, CodePurpose.RETURN, "worker:anna", now)
    site.round_trip()
    site.open_with(return_code.pin, now, board_offline=True)
    assert site.ledger.get("DS-1").holder == _box(number)
    site.check(now)

    # the owner collects: custody closed, compartment free again
    now += 30 * MIN
    collect = site.issue("DS-1", number, CodePurpose.COLLECT, "owner", now)
    site.round_trip()
    site.open_with(collect.pin, now, board_offline=True)
    assert site.ledger.get("DS-1").is_closed
    assert site.cabinet.compartment(number).is_free
    site.live.discard("DS-1")
    site.check(now)
    assert [str(h.to_holder) for h in site.ledger.get("DS-1").hops] == [
        f"compartment:{number}",
        "worker:anna",
        f"compartment:{number}",
        "owner",
    ]
    assert site.book.active_for_order("DS-1", now) == []
    site.ledger.discard("DS-1")
    site.check(now)


def test_supplies_only_flow() -> None:
    site = SiteModel()
    site.stock.restock("sponges", 6, site.catalog)
    now = T0
    number, _ = site.cabinet.allocate("DS-2")
    site.stock.reserve("DS-2", [("sponges", 2)], site.catalog)
    site.live.add("DS-2")
    site.check(now)
    restock = site.issue("DS-2", number, CodePurpose.RESTOCK, "operator", now)
    site.open_with(restock.pin, now)
    assert site.cabinet.compartment(number).contents is Contents.SUPPLIES
    site.check(now)
    pickup = site.issue("DS-2", number, CodePurpose.PICKUP, "worker:bo", now)
    site.round_trip()
    site.open_with(pickup.pin, now)
    assert site.cabinet.compartment(number).is_free
    assert site.stock.on_hand["sponges"] == 4
    assert "DS-2" not in site.stock.reservations
    assert "DS-2" not in site.ledger
    site.live.discard("DS-2")
    site.check(now)


def _booked(site: SiteModel, order_id: str, now: datetime) -> tuple[int, IssuedCode]:
    number, _ = site.cabinet.allocate(order_id)
    site.ledger.start(order_id)
    site.live.add(order_id)
    site.stock.reserve(order_id, [("trash_bags", 1)], site.catalog)
    return number, site.issue(order_id, number, CodePurpose.DROPOFF, "owner", now)


def test_cancel_before_dropoff() -> None:
    site = SiteModel()
    site.stock.restock("trash_bags", 3, site.catalog)
    now = T0
    number, dropoff = _booked(site, "DS-3", now)
    site.check(now)
    assert site.cancel("DS-3", now + MIN) is None
    site.check(now + MIN)
    assert site.cabinet.compartment(number).is_free
    assert site.stock.available("trash_bags") == 3
    assert "DS-3" not in site.ledger
    with pytest.raises(CodeRejectedError) as info:
        site.book.verify("lobby", dropoff.pin, now + 2 * MIN)
    assert info.value.translation_key == "code_revoked"


def test_cancel_with_key_in_compartment_issues_collect_code() -> None:
    site = SiteModel()
    site.stock.restock("trash_bags", 3, site.catalog)
    now = T0
    number, dropoff = _booked(site, "DS-4", now)
    site.open_with(dropoff.pin, now + MIN)
    site.check(now + MIN)
    collect = site.cancel("DS-4", now + 2 * MIN)
    assert collect is not None
    # the key stays in the compartment, custody stays open until the owner collects
    assert site.ledger.get("DS-4").is_open
    assert site.cabinet.compartment(number).contents is Contents.KEY
    assert site.stock.available("trash_bags") == 3
    site.check(now + 2 * MIN)
    site.round_trip()
    site.open_with(collect.token, now + 30 * MIN)
    assert site.ledger.get("DS-4").is_closed
    assert site.cabinet.compartment(number).is_free
    site.check(now + 30 * MIN)


def test_cancel_after_accept_before_pickup() -> None:
    site = SiteModel()
    site.stock.restock("trash_bags", 3, site.catalog)
    now = T0
    number, dropoff = _booked(site, "DS-5", now)
    site.open_with(dropoff.pin, now)
    pickup = site.issue("DS-5", number, CodePurpose.PICKUP, "worker:anna", now + MIN)
    site.check(now + MIN)
    collect = site.cancel("DS-5", now + 2 * MIN)
    assert collect is not None
    site.check(now + 2 * MIN)
    # the worker's pickup code no longer opens anything
    with pytest.raises(CodeRejectedError) as info:
        site.book.verify("lobby", pickup.pin, now + 3 * MIN)
    assert info.value.translation_key == "code_revoked"
    assert site.ledger.get("DS-5").holder == _box(number)
    site.open_with(collect.pin, now + 4 * MIN)
    assert site.ledger.get("DS-5").is_closed
    site.check(now + 4 * MIN)


def test_two_orders_share_a_cabinet() -> None:
    site = SiteModel()
    site.stock.restock("trash_bags", 3, site.catalog)
    now = T0
    n1, d1 = _booked(site, "A", now)
    n2, d2 = _booked(site, "B", now)
    assert n1 != n2
    site.open_with(d2.token, now + MIN)
    site.open_with(d1.pin, now + MIN)
    site.check(now + MIN)
    assert site.ledger.key_in("lobby", n1) is site.ledger.get("A")
    assert site.ledger.key_in("lobby", n2) is site.ledger.get("B")
    # an owner's dropoff code of one order cannot open the other's compartment again
    with pytest.raises(CodeRejectedError):
        site.book.verify("lobby", d1.pin, now + 2 * MIN)
    site.check(now + 2 * MIN)
