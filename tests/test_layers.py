"""The layers: core/ never imports Home Assistant."""

from __future__ import annotations

import ast
from pathlib import Path
import subprocess
import sys

CORE = Path(__file__).parents[1] / "custom_components" / "doorservice" / "core"


def test_core_sources_import_no_home_assistant() -> None:
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            offenders += [
                f"{path.name}: {name}"
                for name in names
                if name.split(".")[0] in {"homeassistant", "custom_components"}
            ]
    assert offenders == []


def test_core_imports_in_a_fresh_interpreter_without_home_assistant() -> None:
    """Importing every core module must not pull homeassistant into sys.modules."""
    modules = [
        f"core.{p.stem}" for p in sorted(CORE.glob("*.py")) if p.stem != "__init__"
    ]
    code = (
        "import importlib, sys\n"
        f"sys.path.insert(0, {str(CORE.parent)!r})\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(sorted(m for m in sys.modules if m.startswith('homeassistant')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
