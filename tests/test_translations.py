"""Translations: every key the code uses exists at its own path, in every language.

Where a key is used decides where it must be (Home Assistant looks nowhere else):

* a raised error (``DoorServiceError("key")``, ``DriverError("key")``, ``_error("key")``
  or ``translation_key=`` on any ``...Error``) -> ``exceptions.<key>.message``, with
  every placeholder of the message given where the key is raised literally;
* ``ir.async_create_issue(..., translation_key=...)`` -> ``issues.<key>.title`` and
  ``.description``;
* an entity description ``<Platform>EntityDescription(translation_key=...)``
  -> ``entity.<platform>.<key>``; every entity the demo sites create -> a name at
  ``entity.<domain>.<key>.name`` and, for enum sensors, every option under ``state``;
* a selector config's ``translation_key`` (also flow_fields' ``dropdown(options, key)``)
  -> ``selector.<key>.options`` (an object selector's: ``selector.<key>.fields``);
* every registered action and each of its fields -> ``services.<action>`` with a name
  and a description, the same set as ``services.yaml`` and ``icons.json``.

Keys are string literals or module-level string constants of the package. Then
``translations/en.json`` is ``strings.json``, and ``zh-Hans.json`` has the same key
tree with the same placeholders in every text.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
import json
from pathlib import Path
import re
from typing import Any

from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from custom_components.doorservice.const import DOMAIN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from scripts.demo_site import DEMO_SITES, POLICY

from .conftest import setup_entry

PACKAGE = Path(__file__).parents[1] / "custom_components" / "doorservice"
PLACEHOLDER = re.compile(r"(?<!{){(\w+)}(?!})")
REFERENCE = re.compile(r"\[%key:([\w.:-]+)%\]")
# Errors our code raises with the translation key as first positional argument.
KEY_FIRST_ERRORS = {"DoorServiceError", "DriverError", "CodeRejectedError", "_error"}
HA_PLATFORMS = {
    "BinarySensor": "binary_sensor",
    "Calendar": "calendar",
    "Climate": "climate",
    "Cover": "cover",
    "Event": "event",
    "Fan": "fan",
    "Image": "image",
    "Light": "light",
    "Lock": "lock",
    "Select": "select",
    "Sensor": "sensor",
    "Switch": "switch",
    "TodoList": "todo",
    "Todo": "todo",
}


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


def _get(tree: dict[str, Any], path: str) -> Any:
    node: Any = tree
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _modules() -> dict[Path, ast.Module]:
    return {
        path: ast.parse(path.read_text(encoding="utf-8"), str(path))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def _string_constants(modules: dict[Path, ast.Module]) -> dict[str, set[str]]:
    """Module-level ``NAME = "text"`` (or ``NAME: Final = "text"``) of the package."""
    constants: dict[str, set[str]] = {}
    for tree in modules.values():
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                target, value = node.target, node.value
            else:
                continue
            if (
                isinstance(target, ast.Name)
                and isinstance(value, ast.Constant)
                and isinstance(value.value, str)
            ):
                constants.setdefault(target.id, set()).add(value.value)
    return constants


@dataclass(frozen=True)
class KeyUse:
    """One translation key used in code: where it must be and where it is used."""

    section: str  # exceptions / issues / entity.<platform> / entity.* / selector
    key: str
    where: str
    placeholders: frozenset[str] | None = None  # given names; None: unknown


def _name_of(func: ast.expr) -> str:
    if isinstance(func, ast.Subscript):  # a generic description: ``X[Part](...)``
        func = func.value
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _given_placeholders(call: ast.Call, key_first: bool) -> frozenset[str] | None:
    """Placeholder names a raise gives, when all of them are written out."""
    if key_first:
        if any(kw.arg is None for kw in call.keywords):
            return None
        return frozenset(kw.arg for kw in call.keywords if kw.arg is not None)
    for kw in call.keywords:
        if kw.arg == "translation_placeholders":
            if isinstance(kw.value, ast.Dict) and all(
                isinstance(k, ast.Constant) for k in kw.value.keys
            ):
                return frozenset(
                    str(k.value) for k in kw.value.keys if isinstance(k, ast.Constant)
                )
            return None
    return frozenset()


def key_uses() -> Iterator[KeyUse]:
    """Yield every translation key the package names as a literal or constant."""
    modules = _modules()
    constants = _string_constants(modules)

    def values(node: ast.expr) -> set[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        name = _name_of(node)
        return constants.get(name, set()) if name.isupper() else set()

    for path, tree in modules.items():
        for node in ast.walk(tree):
            where = f"{path.relative_to(PACKAGE)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Dict):  # a selector written as a dict
                for k, v in zip(node.keys, node.values, strict=True):
                    if isinstance(k, ast.Constant) and k.value == "translation_key":
                        for key in values(v):
                            yield KeyUse("selector", key, where)
                continue
            if not isinstance(node, ast.Call):
                continue
            name = _name_of(node.func)
            if name in KEY_FIRST_ERRORS and node.args:
                # The glue adds context to domain and driver errors when it turns
                # them into Home Assistant errors: only ``_error`` is final.
                given = _given_placeholders(node, True) if name == "_error" else None
                for key in values(node.args[0]):
                    yield KeyUse("exceptions", key, where, given)
            if name == "dropdown" and len(node.args) > 1:  # the flows' dropdowns
                for key in values(node.args[1]):
                    yield KeyUse("selector", key, where)
            for kw in node.keywords:
                if kw.arg != "translation_key":
                    continue
                if name in {"async_create_issue", "create_issue"}:
                    section = "issues"
                elif name.endswith("EntityDescription"):
                    platform = HA_PLATFORMS.get(
                        name.removesuffix("EntityDescription").removeprefix(
                            "DoorService"
                        )
                    )
                    section = f"entity.{platform}" if platform else "entity.*"
                elif name == "ObjectSelectorConfig":
                    section = "selector_fields"
                elif name.endswith("SelectorConfig"):
                    section = "selector"
                elif name.endswith(("Error", "Unauthorized", "NotReady")):
                    section = "exceptions"
                else:
                    section = f"unknown call {name}"
                for key in values(kw.value):
                    placeholders = (
                        _given_placeholders(node, False)
                        if section == "exceptions"
                        else None
                    )
                    yield KeyUse(section, key, where, placeholders)


def test_the_scanner_finds_every_kind_of_use() -> None:
    """Guard the scanner itself: it sees each kind of use the package has today."""
    uses = list(key_uses())
    sections = {u.section.split(".")[0] for u in uses}
    assert {"exceptions", "issues", "entity", "selector", "selector_fields"} <= sections
    assert not [u for u in uses if u.section.startswith("unknown")]
    exceptions = {u.key for u in uses if u.section == "exceptions"}
    assert {"unknown_room", "unknown_worker", "unknown_cabinet"} <= exceptions
    assert {u.key for u in uses if u.section == "issues"} >= {"board_offline"}


def test_every_key_used_in_code_exists_at_its_path() -> None:
    strings = _load("strings.json")
    missing: list[str] = []
    for use in key_uses():
        if use.section == "exceptions":
            paths = [f"exceptions.{use.key}.message"]
        elif use.section == "issues":
            paths = [f"issues.{use.key}.title", f"issues.{use.key}.description"]
        elif use.section == "selector":
            paths = [f"selector.{use.key}.options"]
        elif use.section == "selector_fields":
            paths = [f"selector.{use.key}.fields"]
        elif use.section == "entity.*":
            found = [p for p in strings["entity"] if use.key in strings["entity"][p]]
            paths = [f"entity.{found[0] if found else '?'}.{use.key}"]
        else:
            paths = [f"{use.section}.{use.key}"]
        missing += [f"{use.where}: {p}" for p in paths if _get(strings, p) is None]
    assert missing == []


def test_raised_errors_give_every_placeholder_of_their_message() -> None:
    exceptions = _load("strings.json")["exceptions"]
    wrong: list[str] = []
    for use in key_uses():
        if use.section != "exceptions" or use.placeholders is None:
            continue
        message = (exceptions.get(use.key) or {}).get("message", "")
        needed = set(PLACEHOLDER.findall(message))
        if not needed <= use.placeholders:
            wrong.append(
                f"{use.where}: {use.key} needs {sorted(needed)}, "
                f"gets {sorted(use.placeholders)}"
            )
    assert wrong == []


def test_english_translation_is_strings_json() -> None:
    assert _load("translations/en.json") == _load("strings.json")


def test_references_in_strings_resolve() -> None:
    """``[%key:component::doorservice::a::b%]`` points at a text that exists."""
    strings = _load("strings.json")
    broken = []
    for path, text in _leaves(strings).items():
        for ref in REFERENCE.findall(text):
            parts = ref.split("::")
            if parts[:2] == ["component", DOMAIN] and not isinstance(
                _get(strings, ".".join(parts[2:])), str
            ):
                broken.append(f"{path}: {ref}")
    assert broken == []


def test_chinese_has_the_same_key_tree_and_placeholders() -> None:
    english = _leaves(_load("strings.json"))
    chinese = _leaves(_load("translations/zh-Hans.json"))
    assert sorted(set(english) - set(chinese)) == []
    assert sorted(set(chinese) - set(english)) == []
    wrong = [
        path
        for path, text in english.items()
        if sorted(PLACEHOLDER.findall(chinese[path]))
        != sorted(PLACEHOLDER.findall(text))
        or REFERENCE.findall(chinese[path]) != REFERENCE.findall(text)
        or not str(chinese[path]).strip()
    ]
    assert wrong == []


def test_services_are_described_everywhere() -> None:
    described = yaml.safe_load((PACKAGE / "services.yaml").read_text())
    strings = _load("strings.json")["services"]
    icons = _load("icons.json")["services"]
    assert set(described) == set(strings) == set(icons)
    missing = []
    for name, service in described.items():
        text = strings[name]
        missing += [f"{name}.{k}" for k in ("name", "description") if not text.get(k)]
        fields = service.get("fields") or {}
        assert set(fields) == set(text.get("fields", {})), name
        missing += [
            f"{name}.fields.{field}.{k}"
            for field in fields
            for k in ("name", "description")
            if not text["fields"][field].get(k)
        ]
    assert missing == []


async def test_demo_entities_and_actions_are_translated(
    hass: HomeAssistant, entity_registry: er.EntityRegistry
) -> None:
    """Every entity the demo sites create, and every registered action, is named."""
    for site in DEMO_SITES:
        await setup_entry(
            hass,
            MockConfigEntry(
                domain=DOMAIN,
                title=site["title"],
                data=site["data"],
                options=POLICY,
                subentries_data=site["subentries"],
                unique_id=site["data"]["name"].lower().replace(" ", "_"),
            ),
        )
    strings = _load("strings.json")
    entries = [e for e in entity_registry.entities.values() if e.platform == DOMAIN]
    assert entries
    missing = []
    for entry in entries:
        if entry.translation_key is None:
            continue  # named by the user (an appliance), not by us
        base = f"entity.{entry.domain}.{entry.translation_key}"
        if _get(strings, f"{base}.name") is None:
            missing.append(f"{entry.entity_id}: {base}.name")
        state = hass.states.get(entry.entity_id)
        for option in (state.attributes.get("options") or []) if state else []:
            if (
                entry.domain == "sensor"
                and _get(strings, f"{base}.state.{option}") is None
            ):
                missing.append(f"{entry.entity_id}: {base}.state.{option}")
    assert missing == []

    registered = set(hass.services.async_services_for_domain(DOMAIN))
    described = set(yaml.safe_load((PACKAGE / "services.yaml").read_text()))
    assert registered == described
