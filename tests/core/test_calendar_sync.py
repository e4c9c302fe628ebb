"""The pure part of booking calendars: planning, the ledger, the operations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.doorservice.core.calendar_bookings import (
    CalendarBookings,
    CalendarCleaning,
)
from custom_components.doorservice.core.calendar_sync import (
    CleaningPolicy,
    Location,
    Reservation,
    WantedCleaning,
    book_checkout,
    cancel_checkout,
    forget_past,
    move_checkout,
    plan_cleanings,
)
from custom_components.doorservice.core.catalog import Role
from custom_components.doorservice.core.site import Site, SiteConfig, WorkerConfig

NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)
POLICY = CleaningPolicy("standard_cleaning", timedelta(minutes=30))
HOME = Location(address="12 Lake Road")


def _site() -> Site:
    return Site(
        SiteConfig(
            "Lakeside",
            "EUR",
            workers=(WorkerConfig("anna", "Anna", frozenset({Role.CLEANING})),),
        )
    )


def _wanted(days: int, hours: int = 0) -> WantedCleaning:
    checkout = NOW + timedelta(days=days, hours=hours)
    return WantedCleaning("a", checkout, checkout + timedelta(minutes=30), None)


def test_the_ledger_round_trips() -> None:
    entry = CalendarCleaning("lake", "a", "DS-1", NOW, NOW, NOW + timedelta(hours=3))
    other = CalendarCleaning("lake", "b", "DS-2", NOW, NOW, None)
    ledger = CalendarBookings([entry, other])
    again = CalendarBookings.from_dict(ledger.to_dict())
    assert again.to_dict() == ledger.to_dict()
    assert again.get("lake", "a") == entry
    assert [e.uid for e in again.of_feed("lake")] == ["a", "b"]
    assert again.of_feed("other") == []
    assert CalendarBookings.from_dict(None).entries == {}


def test_the_ledger_is_part_of_the_site_state() -> None:
    site = _site()
    book_checkout(site, "lake", _wanted(2), HOME, POLICY, "calendar:Lake", NOW)
    restored = Site.from_dict(site.to_dict(), site.config)
    assert restored.calendar_bookings.to_dict() == site.calendar_bookings.to_dict()


def test_a_checkout_is_booked_once() -> None:
    site = _site()
    order_id, events = book_checkout(
        site, "lake", _wanted(2), HOME, POLICY, "calendar:Lake", NOW
    )
    assert events
    assert site.order(order_id).address == "12 Lake Road"
    with pytest.raises(ValueError, match="already booked"):
        book_checkout(site, "lake", _wanted(2), HOME, POLICY, "calendar:Lake", NOW)


def test_a_started_cleaning_is_not_moved_and_only_forgotten() -> None:
    site = _site()
    order_id, _ = book_checkout(
        site, "lake", _wanted(2), HOME, POLICY, "calendar:Lake", NOW
    )
    site.assign(order_id, "anna", "manager", NOW)
    site.accept(order_id, "anna", NOW)
    site.start(order_id, "anna", NOW)
    with pytest.raises(ValueError, match="has started"):
        move_checkout(site, "lake", _wanted(2, 3), HOME, POLICY, "calendar:Lake", NOW)
    _, events = cancel_checkout(site, "lake", "a", NOW)
    assert events == []
    assert site.order(order_id).state.value == "in_progress"
    assert site.calendar_bookings.entries == {}


def test_old_entries_are_forgotten() -> None:
    site = _site()
    book_checkout(site, "lake", _wanted(2), HOME, POLICY, "calendar:Lake", NOW)
    assert forget_past(site, NOW + timedelta(days=3)) == []
    assert forget_past(site, NOW + timedelta(days=5)) == ["lake:a"]
    assert site.calendar_bookings.entries == {}


def test_planning_skips_past_and_far_checkouts() -> None:
    reservations = [
        Reservation("past", NOW - timedelta(days=3), NOW - timedelta(days=1)),
        Reservation("soon", NOW + timedelta(days=1), NOW + timedelta(days=2)),
        Reservation("far", NOW + timedelta(days=100), NOW + timedelta(days=102)),
    ]
    wanted = plan_cleanings(reservations, POLICY, NOW, timedelta(days=90))
    assert list(wanted) == ["soon"]
    # Due by the next check-in, even one beyond the horizon.
    assert wanted["soon"].end == NOW + timedelta(days=100)
