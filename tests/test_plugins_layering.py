"""The plugin machinery imports one way: cli -> services -> catalog -> plugins -> hookspecs.

Imports inside functions count (they are cycles all the same, only later); imports under
``if TYPE_CHECKING:`` do not (they never run). The whole-package cycle checker may cover this
too; this test keeps the plugin, catalog and exporter modules honest on their own.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PLUGIN_SIDE = (
    "topcli.plugins",
    "topcli.catalog",
    "topcli.hookspecs",
    "topcli.blame",
    "topcli.guard",
    "topcli.selection",
    "topcli.exporters",
    "topcli.builtins",
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """Every topcli module ``path`` imports at run time, wherever the import statement is."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(child) for stmt in node.body for child in ast.walk(stmt)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # "from topcli import catalog" imports the module topcli.catalog
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.startswith("topcli")}


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in (SRC / "topcli").rglob("*.py")}
    return {
        name: {i for i in imports(path) if i in modules} - {name} for name, path in modules.items()
    }


def cycle_through(start: str, edges: dict[str, set[str]]) -> list[str] | None:
    """A path from ``start`` back to itself, if there is one."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in edges.get(node, ()):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def test_plugin_catalog_and_exporter_modules_are_in_no_import_cycle() -> None:
    edges = graph()
    for name in sorted(edges):
        if name.startswith(PLUGIN_SIDE):
            cycle = cycle_through(name, edges)
            assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_plugin_manager_knows_nothing_of_the_catalog_or_the_exporters() -> None:
    edges = graph()
    assert not {"topcli.catalog", "topcli.exporters"} & edges["topcli.plugins"]
    assert not {i for i in edges["topcli.exporters.service"] if i.startswith("topcli.plugins")}
    assert "topcli.catalog" in edges["topcli.exporters.service"]


def test_the_cycle_check_sees_a_cycle() -> None:
    assert cycle_through("a", {"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle_through("a", {"a": {"b"}, "b": {"c"}, "c": set()}) is None
