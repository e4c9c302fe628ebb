"""The browser-test harness itself: a real hass, extra users, chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import HassHTTPError, HassProcess, run_walk

WALK = Path(__file__).with_name("smoke.mjs")


def test_real_hass_users_and_chromium(
    hass_process: HassProcess, browser_output: Path
) -> None:
    anna = hass_process.add_user("anna", "anna-secret", "Anna")
    hass_process.update_subentry("Lakeside Home", "Anna", user_id=anna.user_id)
    hass_process.start()

    config = hass_process.api("GET", "/api/config")
    assert config["external_url"] == hass_process.url
    # Anna is a plain user: the admin-only template API refuses her.
    with pytest.raises(HassHTTPError) as refused:
        hass_process.api("POST", "/api/template", {"template": "1"}, user=anna)
    assert refused.value.status == 401
    assert hass_process.api("POST", "/api/template", {"template": "1"}) == 1
    me = hass_process.states(r"^sensor\.")  # the admin sees the demo's sensors
    assert me

    result = run_walk(
        WALK,
        {
            "base_url": hass_process.url,
            "tokens": hass_process.frontend_tokens(anna),
            "user_name": "Anna",
        },
        browser_output,
    )
    assert "/auth/authorize" in result["login_url"]
    assert result["profile_url"].endswith("/profile/general")
    assert [Path(p).name for p in result["screenshots"]] == [
        "01-login-page.png",
        "02-profile.png",
    ]
