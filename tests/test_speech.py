"""Spoken answers: a stay's media player speaks them through the site's TTS entity."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import (
    async_mock_service,
)

from custom_components.doorservice.const import (
    CONF_ACCEPTANCE_TIMEOUT,
    CONF_CODE_VALIDITY,
    CONF_DISPATCH_STRATEGY,
    CONF_TTS_ENTITY,
    DOMAIN,
)
from custom_components.doorservice.speech import tts_language
from homeassistant.components.media_player import (
    DOMAIN as MEDIA_PLAYER_DOMAIN,
    MediaPlayerEntity,
    MediaPlayerEntityFeature,
)
from homeassistant.components.tts import TextToSpeechEntity, TtsAudioType
from homeassistant.components.tts.const import DATA_COMPONENT as TTS_COMPONENT
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers.entity_component import EntityComponent
from homeassistant.setup import async_setup_component

from .conftest import room, setup_entry, site_entry, worker

POLICY = {
    CONF_DISPATCH_STRATEGY: "broadcast",
    CONF_ACCEPTANCE_TIMEOUT: 10,
    CONF_CODE_VALIDITY: 48,
}


class FrontDeskVoice(TextToSpeechEntity):
    """A text-to-speech engine that records what it says."""

    _attr_name = "Front desk voice"
    _attr_should_poll = False
    _attr_supported_languages = ["en-US", "zh-CN"]
    _attr_default_language = "en-US"

    def __init__(self) -> None:
        self.spoken: list[tuple[str, str]] = []

    def get_tts_audio(
        self, message: str, language: str, options: dict[str, Any]
    ) -> TtsAudioType:
        self.spoken.append((message, language))
        return "mp3", b""


class RoomSpeaker(MediaPlayerEntity):
    """A media player that records what it is asked to play."""

    _attr_name = "Room 101 speaker"
    _attr_should_poll = False
    _attr_supported_features = MediaPlayerEntityFeature.PLAY_MEDIA

    def __init__(self) -> None:
        self.played: list[str] = []

    async def async_play_media(
        self, media_type: str, media_id: str, **kwargs: Any
    ) -> None:
        self.played.append(media_id)


@pytest.fixture
async def speak_calls(hass: HomeAssistant) -> list[ServiceCall]:
    assert await async_setup_component(hass, "homeassistant", {})
    tts_component = EntityComponent[TextToSpeechEntity](
        logging.getLogger(__name__), "tts", hass
    )
    hass.data[TTS_COMPONENT] = tts_component
    await tts_component.async_add_entities([FrontDeskVoice()])
    players = EntityComponent[MediaPlayerEntity](
        logging.getLogger(__name__), MEDIA_PLAYER_DOMAIN, hass
    )
    await players.async_add_entities([RoomSpeaker()])
    return async_mock_service(hass, "tts", "speak")


async def test_answers_are_spoken_in_the_stay_language(
    hass: HomeAssistant, speak_calls: list[ServiceCall]
) -> None:
    assert hass.states.get("tts.front_desk_voice") is not None
    assert hass.states.get("media_player.room_101_speaker") is not None
    await setup_entry(
        hass,
        site_entry(
            "Hotel Aurora",
            "hotel",
            [room("Room 101"), worker("Mei", "housekeeping")],
            options=POLICY | {CONF_TTS_ENTITY: "tts.front_desk_voice"},
        ),
    )
    await hass.services.async_call(
        DOMAIN,
        "check_in",
        {
            "room": "Room 101",
            "guest_name": "Ada",
            "language": "zh-Hans",
            "notify_target": "media_player.room_101_speaker",
        },
        blocking=True,
        return_response=True,
    )
    result = await hass.services.async_call(
        DOMAIN,
        "request_service",
        {"room": "Room 101", "service_type": "towels"},
        blocking=True,
        return_response=True,
    )
    order_id = result["order"]["order_id"]
    await hass.services.async_call(
        DOMAIN, "accept_order", {"order_id": order_id, "worker": "Mei"}, blocking=True
    )
    await hass.async_block_till_done()
    said = [(c.data["message"], c.data.get("language")) for c in speak_calls]
    assert said[0] == ("欢迎入住！您的服务请求及答复将显示在这里。", "zh-CN")
    assert said[1] == (f"已收到您的请求：干净毛巾（{order_id}）。", "zh-CN")
    assert said[2][0].startswith("干净毛巾：Mei 正在前往")
    for call in speak_calls:
        assert call.data["entity_id"] == "tts.front_desk_voice"
        assert call.data["media_player_entity_id"] == "media_player.room_101_speaker"


async def test_nothing_is_spoken_without_a_tts_entity(
    hass: HomeAssistant,
    speak_calls: list[ServiceCall],
    caplog: pytest.LogCaptureFixture,
) -> None:
    entry = await setup_entry(
        hass,
        site_entry(
            "Hotel Aurora",
            "hotel",
            [room("Room 101")],
            options=POLICY | {CONF_TTS_ENTITY: "tts.gone"},
        ),
    )
    check_in = {
        "room": "Room 101",
        "guest_name": "Ada",
        "language": "en",
        "notify_target": "media_player.room_101_speaker",
    }
    await hass.services.async_call(
        DOMAIN, "check_in", check_in, blocking=True, return_response=True
    )
    await hass.async_block_till_done()
    assert "Text-to-speech entity tts.gone is not available" in caplog.text
    hass.config_entries.async_update_entry(entry, options=POLICY)
    await hass.async_block_till_done()
    await hass.services.async_call(
        DOMAIN,
        "request_service",
        {"room": "Room 101", "service_type": "towels"},
        blocking=True,
        return_response=True,
    )
    await hass.async_block_till_done()
    assert speak_calls == []


def test_tts_language_follows_the_engine() -> None:
    assert tts_language(["en-US", "zh-CN"], "zh-Hans") == "zh-CN"
    assert tts_language(["en-GB", "de"], "en") == "en-GB"
    assert tts_language(["de"], "zh-Hans") is None
    assert tts_language(None, "en") is None
    assert tts_language(["fr"], "fr") == "fr"
