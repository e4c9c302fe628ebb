"""Spoken answers: a room's media player says them through the site's TTS entity.

A stay whose notify target is a media player (``media_player.room_101``) hears its
answers through Home Assistant's ``tts.speak`` with the site's TTS entity (site
option ``tts_entity``), in the stay's language when the engine speaks it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.util import language as language_util

from .const import CONF_TTS_ENTITY, LOGGER

if TYPE_CHECKING:
    from .coordinator import SiteCoordinator

TTS_DOMAIN = "tts"
SPEAK = "speak"

LANGUAGE_CANDIDATES = {"en": ("en", "en-US", "en-GB"), "zh-Hans": ("zh-Hans", "zh-CN")}
"""The engine language codes a stay language may be spoken in, best first."""


def tts_language(supported: list[str] | None, language: str) -> str | None:
    """Return the engine's code for ``language`` (None: the engine's default)."""
    if not supported:
        return None
    for candidate in LANGUAGE_CANDIDATES.get(language, (language,)):
        if matches := language_util.matches(candidate, supported):
            return matches[0]
    return None


def _supported_languages(runtime: SiteCoordinator, entity_id: str) -> list[str] | None:
    from homeassistant.components.tts.const import (  # noqa: PLC0415
        DATA_COMPONENT,
    )

    component = runtime.hass.data.get(DATA_COMPONENT)
    entity = component.get_entity(entity_id) if component is not None else None
    return list(entity.supported_languages) if entity is not None else None


def async_speak(
    runtime: SiteCoordinator, media_player: str, text: str, language: str
) -> bool:
    """Say ``text`` on ``media_player``; return False when the site cannot speak."""
    hass = runtime.hass
    engine = runtime.entry.options.get(CONF_TTS_ENTITY)
    if not engine or not hass.services.has_service(TTS_DOMAIN, SPEAK):
        LOGGER.debug("%s has no text-to-speech entity to speak with", runtime.name)
        return False
    if hass.states.get(str(engine)) is None:
        LOGGER.warning("Text-to-speech entity %s is not available", engine)
        return False
    data: dict[str, object] = {
        "entity_id": str(engine),
        "media_player_entity_id": media_player,
        "message": text,
    }
    if code := tts_language(_supported_languages(runtime, str(engine)), language):
        data["language"] = code
    hass.async_create_task(
        hass.services.async_call(TTS_DOMAIN, SPEAK, data, blocking=False),
        eager_start=True,
    )
    return True
