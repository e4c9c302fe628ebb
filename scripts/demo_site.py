"""Prepare config/ for `scripts/develop`: demo login, onboarding done, demo site.

Idempotent: existing users, onboarding and Door Service sites are left alone. The
config entries are built with Home Assistant's own ConfigEntry class and written in
its own storage format, exactly as if they had been created through the UI.
"""

from __future__ import annotations

from datetime import UTC, datetime
import json
from pathlib import Path
import secrets
import subprocess
import sys
from typing import Any

from homeassistant import config_entries
from homeassistant.config_entries import ConfigEntry, ConfigSubentryData
from homeassistant.helpers.json import JSONEncoder

DEMO_USER = "demo"
DEMO_PASSWORD = "doorservice"

POLICY = {
    "dispatch_strategy": "broadcast",
    "acceptance_timeout": 10,
    "code_validity": 48,
}


DEMO_APPLIANCES = [
    {"id": "light", "name": "Light", "kind": "light", "checkout_state": "off"},
    {
        "id": "ac",
        "name": "Air conditioning",
        "kind": "climate",
        "checkout_state": "off",
    },
    {"id": "curtain", "name": "Curtain", "kind": "cover", "checkout_state": "closed"},
]


def _sub(kind: str, title: str, **data: Any) -> ConfigSubentryData:
    return ConfigSubentryData(
        subentry_type=kind, title=title, unique_id=None, data=data
    )


DEMO_SITES: list[dict[str, Any]] = [
    {
        "title": "Lakeside Home",
        "data": {"name": "Lakeside Home", "site_type": "home", "currency": "EUR"},
        "subentries": [
            # Public booking on (issue #11): the QR on the cabinet and its sticker
            # open /doorservice/book/<token> on the site's external URL.
            _sub(
                "cabinet",
                "Lobby cabinet",
                compartments=6,
                driver="virtual",
                address="Lakeside Home, 12 Lake Road",
                public_booking=True,
                booking_token=secrets.token_urlsafe(24),
            ),
            _sub(
                "worker",
                "Anna",
                roles=["cleaning"],
            ),
        ],
    },
    {
        "title": "Hotel Aurora",
        "data": {"name": "Hotel Aurora", "site_type": "hotel", "currency": "EUR"},
        "subentries": [
            _sub("room", "Room 101", address="1st floor", appliances=DEMO_APPLIANCES),
            _sub("room", "Room 102", address="1st floor", appliances=DEMO_APPLIANCES),
            _sub("room", "Room 201", address="2nd floor", appliances=DEMO_APPLIANCES),
            _sub("worker", "Mei", roles=["housekeeping"]),
            _sub("worker", "Tom", roles=["maintenance"]),
        ],
    },
]


def ensure_login(config: Path) -> None:
    """Create the demo login once (the user object is made at first login)."""
    providers = config / ".storage" / "auth_provider.homeassistant"
    if providers.exists() and DEMO_USER in providers.read_text():
        return
    subprocess.run(
        [
            str(Path(sys.executable).with_name("hass")),
            "--script",
            "auth",
            "-c",
            str(config),
            "add",
            DEMO_USER,
            DEMO_PASSWORD,
        ],
        check=True,
        capture_output=True,
    )


def ensure_onboarded(config: Path) -> None:
    """Mark onboarding as done so the login page comes at once."""
    path = config / ".storage" / "onboarding"
    if path.exists():
        return
    path.write_text(
        json.dumps(
            {
                "version": 4,
                "minor_version": 1,
                "key": "onboarding",
                "data": {"done": ["user", "core_config", "analytics", "integration"]},
            }
        )
    )


def ensure_http(config: Path) -> None:
    """Listen on 127.0.0.1:8123 only.

    Home Assistant 2026.10 keeps its HTTP settings in storage (YAML is migrated
    once and then has to be confirmed in the UI); a confirmed ("stable") setting
    written here needs no confirmation dialog.
    """
    if (config / ".storage" / "http").exists():
        return
    write_http(config, HTTP_STABLE | {"created_at": datetime.now(UTC).isoformat()})


HTTP_STABLE: dict[str, Any] = {
    "server_port": 8123,
    "server_host": ["127.0.0.1"],
    "cors_allowed_origins": ["https://cast.home-assistant.io"],
    "login_attempts_threshold": -1,
    "ip_ban_enabled": True,
    "ssl_profile": "modern",
    "use_x_frame_options": True,
    "created_at": "2026-01-01T00:00:00+00:00",
    "error": None,
    "error_message": None,
}


def write_http(config: Path, stable: dict[str, Any]) -> None:
    """Write Home Assistant's stored HTTP settings (confirmed, no dialog)."""
    path = config / ".storage" / "http"
    path.write_text(
        json.dumps(
            {
                "version": 2,
                "minor_version": 2,
                "key": "http",
                "data": {
                    "stable": stable,
                    "pending": None,
                    "yaml_migration_done": True,
                },
            },
            indent=2,
        )
    )


def ensure_demo_sites(config: Path) -> None:
    """Add the demo sites unless Door Service sites exist already."""
    path = config / ".storage" / config_entries.STORAGE_KEY
    stored: dict[str, Any] = (
        json.loads(path.read_text())
        if path.exists()
        else {
            "version": config_entries.STORAGE_VERSION,
            "minor_version": config_entries.STORAGE_VERSION_MINOR,
            "key": config_entries.STORAGE_KEY,
            "data": {"entries": []},
        }
    )
    entries = stored["data"]["entries"]
    if any(entry["domain"] == "doorservice" for entry in entries):
        return
    for site in DEMO_SITES:
        entry = ConfigEntry(
            data=site["data"],
            discovery_keys={},  # type: ignore[arg-type]
            domain="doorservice",
            minor_version=1,
            options=POLICY,
            source=config_entries.SOURCE_USER,
            subentries_data=site["subentries"],
            title=site["title"],
            unique_id=site["data"]["name"].lower().replace(" ", "_"),
            version=1,
        )
        entries.append(json.loads(json.dumps(entry.as_dict(), cls=JSONEncoder)))
    path.write_text(json.dumps(stored, indent=2))


def main() -> None:
    """Prepare the configuration directory given as the only argument."""
    config = Path(sys.argv[1])
    (config / ".storage").mkdir(parents=True, exist_ok=True)
    ensure_login(config)
    ensure_onboarded(config)
    ensure_http(config)
    ensure_demo_sites(config)


if __name__ == "__main__":
    main()
