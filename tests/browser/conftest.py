"""Fixtures of the browser tests (see harness.py)."""

from .harness import browser_output, hass_process

__all__ = ["browser_output", "hass_process"]
