"""The import graph of the package: no cycles anywhere, and core/ stays pure.

The graph is built from the AST of every module of ``custom_components/doorservice``,
so it sees every import: module level, inside functions, and under
``if TYPE_CHECKING:``. An edge ``a -> b`` means module ``a`` names module ``b`` in an
import statement:

* absolute (``import custom_components.doorservice.x.y``,
  ``from custom_components.doorservice.x import y``) and relative imports
  (``from .x import y``, ``from ..x import y``) are resolved to a package module;
* in ``from <pkg> import name`` the edge goes to ``<pkg>.name`` when ``name`` is a
  submodule (or subpackage) of ``<pkg>``, else to ``<pkg>`` itself (its ``__init__``);
* the parent packages that Python imports on the way (``a.b`` before ``a.b.c``) are
  not edges: every module would otherwise be in a cycle with its own package.

Run as a script, it prints the graph (one line per module, sorted) and its cycles::

    .venv/bin/python tests/test_import_graph.py
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
import subprocess
import sys

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIR = ROOT / "custom_components" / "doorservice"
PACKAGE = "custom_components.doorservice"
CORE = f"{PACKAGE}.core"


@dataclass(frozen=True)
class Import:
    """One imported name: the module that imports it, where, and what it resolves to."""

    importer: str
    line: int
    target: str  # dotted module name as written (resolved if relative)


def module_name(path: Path) -> str:
    """Return the dotted module name of a source file of the package."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_modules() -> dict[str, Path]:
    """Return every module of the package, by dotted name."""
    return {module_name(p): p for p in sorted(PACKAGE_DIR.rglob("*.py"))}


def _base_package(module: str, path: Path, level: int) -> str:
    """Return the package a relative import of ``level`` dots starts from."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(level - 1):
        package = package.rpartition(".")[0]
    return package


def imports_of(
    module: str, path: Path, modules: Mapping[str, Path]
) -> Iterator[Import]:
    """Yield every import of ``module``, resolved to the most specific module name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _base_package(module, path, node.level)
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                yield Import(
                    module, node.lineno, submodule if submodule in modules else source
                )


def _owning_module(target: str, modules: Mapping[str, Path]) -> str | None:
    """Return the package module ``target`` names (or its closest parent module)."""
    while target:
        if target in modules:
            return target
        target = target.rpartition(".")[0]
    return None


def import_graph() -> dict[str, set[str]]:
    """Return ``module -> package modules it imports`` for the whole package."""
    modules = package_modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for imp in imports_of(name, path, modules):
            if imp.target == PACKAGE or imp.target.startswith(f"{PACKAGE}."):
                target = _owning_module(imp.target, modules)
                if target is not None and target != name:
                    graph[name].add(target)
                elif target == name:
                    graph[name].add(name)  # a self-import is a cycle too
    return graph


def strongly_connected_components(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm (iterative); components in a stable order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return sorted(components)


def _shortest_cycle_through(
    start: str, graph: Mapping[str, set[str]], members: set[str]
) -> list[str]:
    """Return a shortest path ``start -> ... -> start`` inside one component."""
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node] & members):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    raise AssertionError(f"{start} is in no cycle")  # pragma: no cover


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Return, per cyclic component, every distinct shortest cycle through a member.

    Each cycle is a path ``[a, b, ..., a]``. Every module that is in a cycle appears
    in at least one of the returned paths.
    """
    found: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    for component in strongly_connected_components(graph):
        members = set(component)
        if len(component) == 1 and component[0] not in graph[component[0]]:
            continue
        for start in component:
            path = _shortest_cycle_through(start, graph, members)
            ring = path[:-1]
            turn = ring.index(min(ring))
            key = tuple(ring[turn:] + ring[:turn])
            if key not in seen:
                seen.add(key)
                found.append([*key, key[0]])
    return found


def short(module: str) -> str:
    """Return a module name relative to the package (the package itself: __init__)."""
    if module == PACKAGE:
        return "__init__"
    return module.removeprefix(f"{PACKAGE}.")


def summary(graph: Mapping[str, set[str]]) -> str:
    """Return the graph, one line per module (sorted), then the cycles."""
    lines = [
        f"{short(m)} -> {', '.join(sorted(short(t) for t in graph[m])) or '(none)'}"
        for m in sorted(graph, key=short)
    ]
    found = cycles(graph)
    lines.append("")
    lines.append(f"cycles: {len(found)}" if found else "cycles: none")
    lines += ["  " + " -> ".join(short(m) for m in cycle) for cycle in found]
    return "\n".join(lines)


# --- the graph builder itself -------------------------------------------------------


def test_graph_resolves_every_kind_of_import() -> None:
    """The builder sees relative, absolute, submodule and TYPE_CHECKING imports."""
    graph = import_graph()
    modules = package_modules()
    assert set(graph) == set(modules)
    assert PACKAGE in graph
    assert f"{CORE}.site" in graph
    # ``from .runtime import X`` and ``from ..runtime import X``.
    assert f"{PACKAGE}.runtime" in graph[f"{PACKAGE}.lock"]
    assert f"{PACKAGE}.runtime" in graph[f"{PACKAGE}.entities.orders"]
    # ``from ..core.appliances import ApplianceKind`` from a subpackage.
    assert f"{CORE}.appliances" in graph[f"{PACKAGE}.drivers.base"]
    # Edges only to modules of the package, never to themselves unless written.
    assert all(t in modules for targets in graph.values() for t in targets)


def test_graph_builder_on_a_synthetic_package(tmp_path: Path) -> None:
    """Absolute, ``from . import submodule`` and TYPE_CHECKING imports; a cycle."""
    pkg = tmp_path / "custom_components" / "doorservice"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from . import a\n")
    (pkg / "a.py").write_text("from .sub import b, NAME\n")
    (pkg / "sub" / "__init__.py").write_text("NAME = 1\n")
    (pkg / "sub" / "b.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    import custom_components.doorservice.c\n"
    )
    (pkg / "c.py").write_text(
        "def later():\n    from custom_components.doorservice.sub import b\n"
    )
    modules = {
        ".".join(p.relative_to(tmp_path).with_suffix("").parts).removesuffix(
            ".__init__"
        ): p
        for p in pkg.rglob("*.py")
    }
    graph = {
        name: {
            i.target
            for i in imports_of(name, path, modules)
            if i.target.startswith(PACKAGE)
        }
        for name, path in modules.items()
    }
    assert graph == {
        PACKAGE: {f"{PACKAGE}.a"},
        f"{PACKAGE}.a": {f"{PACKAGE}.sub", f"{PACKAGE}.sub.b"},
        f"{PACKAGE}.sub": set(),
        f"{PACKAGE}.sub.b": {f"{PACKAGE}.c"},
        f"{PACKAGE}.c": {f"{PACKAGE}.sub.b"},
    }
    assert cycles(graph) == [[f"{PACKAGE}.c", f"{PACKAGE}.sub.b", f"{PACKAGE}.c"]]
    assert cycles({"x": {"x"}}) == [["x", "x"]]
    assert cycles({"x": {"y"}, "y": set()}) == []


# --- the rules ----------------------------------------------------------------------


def test_no_import_cycles() -> None:
    """No module of the package imports itself, directly or through others."""
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join(
        " -> ".join(short(m) for m in cycle) for cycle in found
    )


def test_core_imports_neither_home_assistant_nor_the_glue() -> None:
    """core/ imports no Home Assistant and nothing of the package outside core/."""
    modules = package_modules()
    offenders = []
    for name, path in modules.items():
        if name != CORE and not name.startswith(f"{CORE}."):
            continue
        for imp in imports_of(name, path, modules):
            top = imp.target.split(".")[0]
            outside_core = top == "custom_components" and not (
                imp.target == CORE or imp.target.startswith(f"{CORE}.")
            )
            if top == "homeassistant" or outside_core:
                offenders.append(f"{short(name)}:{imp.line}: {imp.target}")
    assert offenders == []


def test_core_imports_in_a_fresh_interpreter_without_home_assistant() -> None:
    """Importing every core module must not pull homeassistant into sys.modules."""
    core_dir = PACKAGE_DIR / "core"
    modules = [
        f"core.{p.stem}" for p in sorted(core_dir.glob("*.py")) if p.stem != "__init__"
    ]
    code = (
        "import importlib, sys\n"
        f"sys.path.insert(0, {str(PACKAGE_DIR)!r})\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(sorted(m for m in sys.modules if m.startswith('homeassistant')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


if __name__ == "__main__":
    print(summary(import_graph()))  # noqa: T201
