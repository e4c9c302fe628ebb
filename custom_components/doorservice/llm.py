"""LLM tools: Door Service's Assist intents for LLM conversation agents.

Home Assistant's Assist API asks each integration's ``llm`` platform for tools; the
tools are the intents of :mod:`.voice` (same room rules: the satellite's area or the
user's room-terminal role), offered while a Door Service site is loaded.
"""

from __future__ import annotations

from typing import Final

from homeassistant.components.llm import LLMTools
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import intent
from homeassistant.helpers.llm import (
    LLM_API_ASSIST,
    IntentTool,
    LLMContext,
    Tool,
    ToolAnnotations,
)

from .const import DOMAIN
from .voice import (
    INTENT_BILL,
    INTENT_BOOK,
    INTENT_DND,
    INTENT_PRICE,
    INTENT_REQUEST,
    INTENT_STATUS,
)

LLM_INTENTS: Final = {
    INTENT_REQUEST: ("Request a room service", False),
    INTENT_PRICE: ("Price of a room service", True),
    INTENT_STATUS: ("Status of a room request", True),
    INTENT_DND: ("Do not disturb", False),
    INTENT_BILL: ("Read the room's bill", True),
    INTENT_BOOK: ("Book a cleaning visit", False),
}
"""Intent -> (tool title, read only)."""


@callback
def async_get_tools(
    hass: HomeAssistant, llm_context: LLMContext, api_id: str
) -> LLMTools | None:
    """Return the Door Service tools of the Assist API while a site is loaded."""
    if api_id != LLM_API_ASSIST or not any(
        entry.state is ConfigEntryState.LOADED
        for entry in hass.config_entries.async_entries(DOMAIN)
    ):
        return None
    tools: list[Tool] = [
        IntentTool(
            f"{DOMAIN}__{handler.intent_type}",
            handler,
            title=LLM_INTENTS[handler.intent_type][0],
            integration=DOMAIN,
            annotations=ToolAnnotations(
                read_only=LLM_INTENTS[handler.intent_type][1], open_world=False
            ),
        )
        for handler in intent.async_get(hass)
        if handler.intent_type in LLM_INTENTS
    ]
    return LLMTools(tools=tools)
