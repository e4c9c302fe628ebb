"""The domain tests need no Home Assistant instance."""

import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the Home Assistant fixture of the parent conftest: nothing to enable."""
