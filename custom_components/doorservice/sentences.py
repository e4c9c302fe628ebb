"""Door Service's sentences for Home Assistant's default conversation agent.

The integration ships sentence templates (``sentences/en.yaml`` and
``sentences/zh-Hans.yaml``). Home Assistant's default agent reads custom sentences
from ``<config>/custom_sentences/<language>/*.yaml``; whenever a site is set up (a
catalog edit reloads it) Door Service writes its templates there as
``doorservice.yaml``, with the list of service types filled from every loaded site's
catalog (names in both languages and the synonyms below), and asks the agent to
reload its sentences. Only that one file of each language is ever written.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util.yaml import dump, load_yaml_dict

from .const import DOMAIN, LOGGER
from .core.catalog import ServiceType
from .core.service_names import CHINESE, ENGLISH, service_name

TEMPLATES: Final = Path(__file__).parent / "sentences"
FILE_NAME: Final = "doorservice.yaml"
HEADER: Final = (
    "# Written by the Door Service integration from its sentence templates and the\n"
    "# service catalogs of its sites. Changes here are overwritten.\n"
)

AGENT_LANGUAGES: Final = {ENGLISH: "en", CHINESE: "zh-CN"}
"""Door Service language -> the default agent's language variant directory."""

SYNONYMS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "towels": {
        ENGLISH: ("towel", "towels", "fresh towels", "clean towels", "bath towels"),
        CHINESE: ("毛巾", "浴巾", "干净毛巾", "新毛巾"),
    },
    "room_cleaning": {
        ENGLISH: (
            "room cleaning",
            "clean my room",
            "clean the room",
            "housekeeping",
            "make up my room",
            "make up the room",
        ),
        CHINESE: ("打扫房间", "清洁房间", "收拾房间", "打扫卫生", "打扫"),
    },
    "standard_cleaning": {
        ENGLISH: ("standard cleaning", "regular cleaning", "normal cleaning"),
        CHINESE: ("普通清洁", "日常保洁", "保洁"),
    },
    "deep_cleaning": {
        ENGLISH: ("deep cleaning", "deep clean", "thorough cleaning"),
        CHINESE: ("深度保洁", "大扫除"),
    },
    "bed_linen": {
        ENGLISH: ("bed linen", "sheets", "new sheets", "clean sheets", "bedding"),
        CHINESE: ("床品", "床单", "被套", "换床单"),
    },
    "amenities": {
        ENGLISH: ("amenities", "toiletries", "shampoo", "soap", "toothbrush"),
        CHINESE: ("洗漱用品", "洗发水", "沐浴露", "牙刷", "牙膏", "香皂"),
    },
    "laundry": {
        ENGLISH: ("laundry", "laundry service", "washing"),
        CHINESE: ("洗衣", "洗衣服", "干洗"),
    },
    "minibar": {
        ENGLISH: ("minibar", "minibar refill", "drinks"),
        CHINESE: ("迷你吧", "补充迷你吧", "饮料"),
    },
    "room_service_meal": {
        ENGLISH: ("room service", "meal", "food", "breakfast", "lunch", "dinner"),
        CHINESE: ("送餐", "客房送餐", "早餐", "午餐", "晚餐"),
    },
    "repair": {
        ENGLISH: ("repair", "maintenance", "technician", "repairman"),
        CHINESE: ("修理", "维修工", "维修师傅"),
    },
    "wake_up_call": {
        ENGLISH: ("wake-up call", "wake up call", "wakeup call"),
        CHINESE: ("叫醒", "叫早"),
    },
    "luggage": {
        ENGLISH: ("luggage help", "help with my luggage", "luggage", "porter"),
        CHINESE: ("行李", "搬行李", "行李员"),
    },
    "call_staff": {
        ENGLISH: ("call staff", "staff", "a staff member", "front desk"),
        CHINESE: ("服务员", "工作人员", "前台"),
    },
}
"""Other words for the default types, per language (lower case)."""

_EN_HOURS = "zero one two three four five six seven eight nine ten eleven twelve"
_ZH_DIGITS = "零一二三四五六七八九"


def _zh_number(number: int) -> str:
    """Return 0..23 in Chinese words (十一, 二十三)."""
    if number < 10:
        return _ZH_DIGITS[number]
    tens, ones = divmod(number, 10)
    return (
        ("" if tens == 1 else _ZH_DIGITS[tens]) + "十" + (_ZH_DIGITS[ones] or "")
    ).replace("零", "")


def _hours(language: str) -> list[dict[str, Any]]:
    """The hour list: digits 0..23 and words."""
    values: list[dict[str, Any]] = [{"in": str(h), "out": h} for h in range(24)]
    if language == CHINESE:
        values += [{"in": _zh_number(h), "out": h} for h in range(24)]
        values.append({"in": "两", "out": 2})
    else:
        values += [{"in": word, "out": h} for h, word in enumerate(_EN_HOURS.split())]
        values += [{"in": "noon", "out": 12}, {"in": "midnight", "out": 0}]
    return values


def phrases(kind: ServiceType, language: str) -> list[str]:
    """Return what a guest may call ``kind`` in ``language`` (name first)."""
    names = [service_name(kind, language)]
    if language == ENGLISH:
        names.append(kind.id.replace("_", " "))
    names += SYNONYMS.get(kind.id, {}).get(language, ())
    return list(dict.fromkeys(" ".join(n.lower().split()) for n in names if n))


def service_values(
    service_types: Iterable[ServiceType], language: str
) -> list[dict[str, str]]:
    """Return the ``doorservice_service`` list: phrase -> service type id.

    A phrase two types share goes to the first of them.
    """
    seen: dict[str, str] = {}
    for kind in service_types:
        for phrase in phrases(kind, language):
            seen.setdefault(phrase, kind.id)
    return [{"in": phrase, "out": type_id} for phrase, type_id in seen.items()]


def build(language: str, service_types: Iterable[ServiceType]) -> dict[str, Any]:
    """Return the sentences of ``language`` with the catalog's service types."""
    sentences: dict[str, Any] = _plain(
        load_yaml_dict(str(TEMPLATES / f"{language}.yaml"))
    )
    lists = sentences["lists"]
    lists["doorservice_service"]["values"] = service_values(service_types, language)
    lists["doorservice_hour"]["values"] = _hours(language)
    return sentences


def _plain(value: Any) -> Any:
    """Return loaded YAML as plain dicts, lists and scalars (no line numbers)."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)


def _write(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` when it differs; return True when it was written."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def _install(config_dir: Path, service_types: list[ServiceType]) -> bool:
    changed = False
    for language, variant in AGENT_LANGUAGES.items():
        text = HEADER + dump(build(language, service_types))
        changed |= _write(config_dir / "custom_sentences" / variant / FILE_NAME, text)
    return changed


def catalog_types(hass: HomeAssistant) -> list[ServiceType]:
    """Return the service types of every loaded site (first site first)."""
    running = (ConfigEntryState.LOADED, ConfigEntryState.SETUP_IN_PROGRESS)
    return [
        kind
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.state in running and getattr(entry, "runtime_data", None) is not None
        for kind in entry.runtime_data.site.catalog
    ]


async def async_install_sentences(hass: HomeAssistant) -> bool:
    """Write the sentences of both languages and reload the agent when they changed.

    Returns True when a file changed. A failure to write is logged, not raised: a
    site works without voice.
    """
    try:
        changed = await hass.async_add_executor_job(
            _install, Path(hass.config.path()), catalog_types(hass)
        )
    except OSError as err:
        LOGGER.warning("Could not install the Door Service sentences: %s", err)
        return False
    if changed and hass.services.has_service("conversation", "reload"):
        try:
            await hass.services.async_call("conversation", "reload", {}, blocking=True)
        except (HomeAssistantError, OSError) as err:
            LOGGER.warning("Could not reload the conversation sentences: %s", err)
    return bool(changed)
