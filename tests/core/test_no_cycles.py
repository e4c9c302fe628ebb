"""No import cycles among the modules of core/ (TYPE_CHECKING imports included)."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).parents[2] / "custom_components" / "doorservice" / "core"


def import_graph(package: Path = CORE) -> dict[str, set[str]]:
    """Return module -> the modules of ``package`` it imports (relative imports).

    Every ``from .x import ...`` / ``from . import x`` counts, wherever it is:
    at the top, inside functions and under ``if TYPE_CHECKING:``.
    """
    modules = {path.stem for path in package.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in sorted(package.glob("*.py")):
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.ImportFrom) or node.level != 1:
                continue
            if node.module:
                targets.add(node.module.split(".")[0])
            else:
                targets.update(alias.name for alias in node.names)
        graph[path.stem] = (targets & modules) - {path.stem}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Return one cycle as a path of modules, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)) is not None:
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)) is not None:
            return cycle
    return None


def describe(graph: dict[str, set[str]]) -> str:
    """Return the graph as lines ``module -> imports``."""
    return "\n".join(
        f"{module} -> {', '.join(sorted(targets)) or '-'}"
        for module, targets in sorted(graph.items())
    )


def test_core_has_no_import_cycle() -> None:
    graph = import_graph()
    assert "site" in graph
    assert "events" in graph
    cycle = find_cycle(graph)
    assert cycle is None, " -> ".join(cycle or []) + "\n" + describe(graph)


def test_nothing_in_core_imports_the_site() -> None:
    graph = import_graph()
    importers = sorted(module for module, targets in graph.items() if "site" in targets)
    assert importers == []


def test_the_checker_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


if __name__ == "__main__":  # pragma: no cover
    print(describe(import_graph()))  # noqa: T201
