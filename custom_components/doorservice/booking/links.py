"""The links of the public booking page: cabinet tokens, status tokens, form tokens.

* A cabinet's booking page lives at ``/doorservice/book/<token>``: the token is
  ``secrets.token_urlsafe(24)`` (192 bits) kept in the cabinet subentry's data with
  the on/off switch (``public_booking``, off by default). Rotating it kills the old
  link at once.
* An order's private status page lives at ``/doorservice/status/<order>/<token>``:
  the token is an HMAC-SHA256 of the order id under the site's code secret (the
  secret the code book keys its hashes with), cut to 144 bits. Nothing per order is
  stored; a site's links stay valid across restarts.
* The booking form carries a same-origin form token: the time it was served and an
  HMAC of (cabinet, time) under the same secret; a form older than
  :data:`FORM_TOKEN_MAX_AGE` or for another cabinet is refused.

Absolute links use the site's **external** URL (Settings > System > Network). Without
one there is no link to print: the image entity says what to configure and a repair
issue (``booking_url_missing``) is raised while a cabinet has public booking on.

This module imports the coordinator only (cabinet_glue.py uses it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.network import NoURLAvailableError, get_url

from ..const import (
    CONF_BOOKING_TOKEN,
    CONF_PUBLIC_BOOKING,
    DOMAIN,
    ISSUE_BOOKING_URL_MISSING,
    SubentryType,
)
from ..coordinator import SiteCoordinator

BOOK_PATH = "/doorservice/book"
STATUS_PATH = "/doorservice/status"
STICKER_PATH = "/api/doorservice/sticker"
STATUS_TOKEN_BYTES = 18  # 144 bits
FORM_TOKEN_MAX_AGE = 2 * 3600  # seconds


def new_cabinet_token() -> str:
    """A fresh cabinet link token (192 bits)."""
    return secrets.token_urlsafe(24)


def external_base(hass: HomeAssistant) -> str | None:
    """The site's external URL (no trailing slash), or None when none is set."""
    try:
        return get_url(
            hass, allow_internal=False, allow_ip=True, prefer_external=True
        ).rstrip("/")
    except NoURLAvailableError:
        return None


def public_booking_on(subentry: ConfigSubentry) -> bool:
    """Whether the cabinet's booking page is on (and has a token)."""
    return bool(subentry.data.get(CONF_PUBLIC_BOOKING)) and bool(
        subentry.data.get(CONF_BOOKING_TOKEN)
    )


def booking_path(subentry: ConfigSubentry) -> str | None:
    """The path of the cabinet's booking page, or None while it is off."""
    if not public_booking_on(subentry):
        return None
    return f"{BOOK_PATH}/{subentry.data[CONF_BOOKING_TOKEN]}"


def cabinet_booking_url(hass: HomeAssistant, subentry: ConfigSubentry) -> str | None:
    """The absolute booking link of a cabinet, or None (off, or no external URL)."""
    if (path := booking_path(subentry)) is None or (
        base := external_base(hass)
    ) is None:
        return None
    return base + path


def _mac(runtime: SiteCoordinator, message: str, size: int) -> str:
    key = bytes.fromhex(runtime.site.codes.secret_hex)
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()[:size]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def status_token(runtime: SiteCoordinator, order_id: str) -> str:
    """The private status token of ``order_id`` at ``runtime``'s site."""
    return _mac(runtime, f"status\x00{runtime.entry.entry_id}\x00{order_id}", 18)


def status_path(runtime: SiteCoordinator, order_id: str) -> str:
    """The path of an order's private status page."""
    return f"{STATUS_PATH}/{order_id}/{status_token(runtime, order_id)}"


def status_url(hass: HomeAssistant, runtime: SiteCoordinator, order_id: str) -> str:
    """The status link for a message: absolute when an external URL is set."""
    return (external_base(hass) or "") + status_path(runtime, order_id)


def form_token(runtime: SiteCoordinator, cabinet_id: str, now: float) -> str:
    """A same-origin form token for one cabinet's booking form, served at ``now``."""
    issued = int(now)
    return f"{issued}.{_mac(runtime, f'form\x00{cabinet_id}\x00{issued}', 16)}"


def form_token_valid(
    runtime: SiteCoordinator, cabinet_id: str, token: str, now: float | None = None
) -> bool:
    """Whether ``token`` was served by this site for this cabinet, recently."""
    now = time.time() if now is None else now
    issued_text, _, mac = token.partition(".")
    if not issued_text.isdigit() or not mac:
        return False
    issued = int(issued_text)
    if not 0 <= now - issued <= FORM_TOKEN_MAX_AGE:
        return False
    expected = form_token(runtime, cabinet_id, issued).partition(".")[2]
    return hmac.compare_digest(expected, mac)


def same_token(expected: str, given: str) -> bool:
    """Compare two tokens in constant time."""
    return hmac.compare_digest(expected.encode(), given.encode())


def booking_cabinets(
    runtime: SiteCoordinator,
) -> list[ConfigSubentry]:
    """The cabinets of a site whose booking page is on."""
    return [
        sub
        for sub in runtime.subentries(SubentryType.CABINET)
        if public_booking_on(sub)
    ]


def async_update_url_issue(hass: HomeAssistant, runtime: SiteCoordinator) -> None:
    """Raise the repair issue while a cabinet books publicly without external URL."""
    issue_id = f"{ISSUE_BOOKING_URL_MISSING}_{runtime.entry.entry_id}"
    if booking_cabinets(runtime) and external_base(hass) is None:
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_BOOKING_URL_MISSING,
            translation_placeholders={"site": runtime.name},
            learn_more_url="https://www.home-assistant.io/docs/configuration/remote/",
        )
    else:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
