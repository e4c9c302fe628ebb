"""The faces walk in a real browser (issue #14), on a real hass with the demo.

The default dashboard is the ``custom:doorservice`` strategy, so each user gets the
views the strategy builds for them: the room terminal user only Room 101, Mei only
her terminal, the manager everything. Steps and screenshots: ``faces_walk.mjs``
(``tests/browser/output/test_faces_walk/``).
"""

from __future__ import annotations

import json
from pathlib import Path

from .harness import HassProcess, run_walk

WALK = Path(__file__).with_name("faces_walk.mjs")
SITE = "Hotel Aurora"


def _strategy_dashboard(config: Path) -> None:
    """Make the default dashboard the Door Service strategy (as the README says)."""
    (config / ".storage" / "lovelace").write_text(
        json.dumps(
            {
                "version": 1,
                "minor_version": 1,
                "key": "lovelace",
                "data": {"config": {"strategy": {"type": "custom:doorservice"}}},
            }
        )
    )


def test_towels_through_the_faces(
    hass_process: HassProcess, browser_output: Path
) -> None:
    """Room asks for towels; Mei swipes to linen, accepts, finishes; board shows it."""
    tablet = hass_process.add_user("room101", "room101-secret", "Room 101 tablet")
    mei = hass_process.add_user("mei", "mei-secret", "Mei")
    hass_process.update_subentry(SITE, "Room 101", users=[tablet.user_id])
    hass_process.update_subentry(SITE, "Mei", user_id=mei.user_id)
    _strategy_dashboard(hass_process.config)
    hass_process.start()
    hass_process.call("doorservice.check_in", {"room": "Room 101", "guest_name": "Ada"})

    result = run_walk(
        WALK,
        {
            "base_url": hass_process.url,
            "tokens": {
                "room": hass_process.frontend_tokens(tablet),
                "staff": hass_process.frontend_tokens(mei),
                "manager": hass_process.frontend_tokens(),
            },
            "views": {
                "room": "room-101",
                "staff": "mei",
                "manager": "hotel-aurora-manager",
            },
        },
        browser_output,
        timeout=300,
    )
    (browser_output / "steps.json").write_text(json.dumps(result["steps"], indent=1))
    steps = {step["step"]: step["text"] for step in result["steps"]}
    assert list(steps) == [
        "room-terminal",
        "room-confirm-towels",
        "room-request-sent",
        "manager-open-order",
        "staff-phone",
        "staff-swiped-to-linen",
        "staff-accepted",
        "room-on-the-way",
        "staff-started",
        "staff-done",
        "room-done",
        "room-left-handed",
        "room-chinese",
        "manager-board",
        "staff-card-editor",
    ]
    # The tablet shows its room only, never another room's or the board.
    assert "Room 101" in steps["room-terminal"]
    assert "Room 102" not in steps["room-terminal"]
    assert "Request sent" in steps["room-request-sent"]
    assert "Fresh towels" in steps["manager-open-order"]
    assert "Fresh towels" in steps["staff-swiped-to-linen"]
    assert "On the way" in steps["room-on-the-way"]
    assert "Mei" in steps["room-on-the-way"]
    assert "Done" in steps["room-done"]
    assert "我的请求" in steps["room-chinese"]
    assert "Mei" in steps["manager-board"]
    editor = json.loads(steps["staff-card-editor"])
    assert editor["config"]["swipe"] == {
        "left": "next",
        "up": "linen",
        "right": "cleaning",
    }
    assert {"site", "worker", "swipe_left", "swipe_right"} <= set(editor["fields"])
    shots = [Path(p) for p in result["screenshots"]]
    assert len(shots) == len(steps)
    assert all(p.exists() and p.stat().st_size > 10_000 for p in shots)
    # The order went all the way through the real actions.
    assert hass_process.call(
        "doorservice.get_orders", {"room": "Room 101"}, response=True
    )["orders"][0]["state"] in ("completed", "closed")
