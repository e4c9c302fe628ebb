"""Issue #11's walk in headless Chromium on a real hass with the demo site.

A phone-sized browser opens the Lobby cabinet's booking link, books a cleaning with
a key, reads the PIN from the confirmation page, the PIN is typed on the demo's
virtual keypad, and the status page moves to "Waiting for a cleaner". Screenshots
of each page: ``tests/browser/output/test_booking_walk_on_a_phone/``.
"""

from __future__ import annotations

import json
from pathlib import Path
import re

from .harness import HassProcess, run_walk

WALK = Path(__file__).with_name("booking_walk.mjs")


def _booking_token(hass: HassProcess) -> str:
    stored = json.loads((hass.config / ".storage" / "core.config_entries").read_text())
    for entry in stored["data"]["entries"]:
        for sub in entry.get("subentries", []):
            if sub["title"] == "Lobby cabinet" and sub["data"].get("public_booking"):
                return str(sub["data"]["booking_token"])
    raise AssertionError("the demo cabinet has no public booking link")


def test_booking_walk_on_a_phone(
    hass_process: HassProcess, browser_output: Path
) -> None:
    token = _booking_token(hass_process)
    hass_process.start()
    booking_url = f"{hass_process.url}/doorservice/book/{token}"
    # The cabinet's QR encodes exactly this link (the external URL is the process).
    qr = hass_process.state("image.lobby_cabinet_booking_qr_code")
    assert qr["state"] != "unavailable"

    result = run_walk(
        WALK,
        {
            "base_url": hass_process.url,
            "booking_url": booking_url,
            "admin_token": hass_process.token(),
            "cabinet": "Lobby cabinet",
        },
        browser_output,
    )
    (browser_output / "walk.json").write_text(json.dumps(result, indent=2))
    walk = {step["page"]: step for step in result["walk"]}
    form = walk["booking form"]
    assert form["title"] == "Book a visit"
    assert form["address"] == "Lakeside Home, 12 Lake Road"
    assert any("Standard cleaning" in s for s in form["services"])
    confirmation = walk["confirmation"]
    assert confirmation["title"] == "Booked"
    assert re.fullmatch(r"DS-[0-9A-Z]{4}", confirmation["order_id"])
    assert confirmation["qr_svg"] is True
    assert walk["status (before the key)"]["state"] == "Waiting for your key"
    after = walk["status (key in)"]
    assert after["state"] == "Waiting for a cleaner"
    assert after["data_state"] in ("queued", "offered")
    assert after["shows_pin"] is False
    assert walk["booking form (zh-Hans)"]["title"] == "预约上门服务"

    # The order as Home Assistant has it.
    orders = hass_process.call(
        "doorservice.get_orders", {"site": "Lakeside Home"}, response=True
    )["orders"]
    (order,) = [o for o in orders if o["order_id"] == result["order_id"]]
    assert order["state"] in ("queued", "offered")
    names = [Path(p).name for p in result["screenshots"]]
    assert names == [
        "01-booking-form.png",
        "02-booking-form-filled.png",
        "03-confirmation.png",
        "04-status-waiting-for-key.png",
        "05-status-waiting-for-cleaner.png",
        "06-booking-form-zh.png",
    ]
    for path in result["screenshots"]:
        assert Path(path).stat().st_size > 1000
