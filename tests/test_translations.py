"""Translations: English is complete, Chinese matches it, every raised key exists."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

import yaml

PACKAGE = Path(__file__).parents[1] / "custom_components" / "doorservice"
PLACEHOLDER = re.compile(r"{(\w+)}")


def _load(name: str) -> dict[str, Any]:
    return json.loads((PACKAGE / name).read_text(encoding="utf-8"))


def _leaves(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out.update(_leaves(value, path))
        else:
            out[path] = value
    return out


def test_english_translation_is_strings_json() -> None:
    assert _load("translations/en.json") == _load("strings.json")


def test_chinese_has_every_key_with_the_same_placeholders() -> None:
    english = _leaves(_load("strings.json"))
    chinese = _leaves(_load("translations/zh-Hans.json"))
    assert set(chinese) == set(english)
    for path, text in english.items():
        assert set(PLACEHOLDER.findall(chinese[path])) == set(
            PLACEHOLDER.findall(text)
        ), path
        assert chinese[path].strip(), path


def test_every_raised_translation_key_exists() -> None:
    exceptions = set(_load("strings.json")["exceptions"])
    raised: set[str] = set()
    patterns = (
        re.compile(r'DoorServiceError\(\s*"(\w+)"'),
        re.compile(r'DriverError\(\s*"(\w+)"'),
        re.compile(r'translation_key="(\w+)"'),
        re.compile(r'_error\(\s*"(\w+)"'),
    )
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in patterns:
            raised.update(pattern.findall(text))
    entity_or_flow_keys = {key for key in raised if key not in exceptions}
    strings = json.dumps(_load("strings.json"))
    missing = sorted(key for key in entity_or_flow_keys if f'"{key}"' not in strings)
    assert missing == []
    assert {"unknown_room", "unknown_worker", "unknown_cabinet"} <= exceptions


def test_services_are_described_everywhere() -> None:
    described = set(yaml.safe_load((PACKAGE / "services.yaml").read_text()))
    translated = set(_load("strings.json")["services"])
    icons = set(_load("icons.json")["services"])
    assert described == translated == icons
    for name, service in yaml.safe_load(
        (PACKAGE / "services.yaml").read_text()
    ).items():
        assert set(service.get("fields", {})) == set(
            _load("strings.json")["services"][name]["fields"]
        ), name
