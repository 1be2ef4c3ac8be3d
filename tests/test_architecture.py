"""Architecture rules a newcomer can rely on: dependencies point one way, and rooms stay small.

The import checker reads the source (it never imports it): every ``import`` and ``from ...
import`` counts, inside functions too, because a cycle hidden in a function is still a cycle to
a reader and breaks the moment someone hoists the import. Imports under ``if TYPE_CHECKING:``
are left out: they never run. Relative imports and ``from topcli import x`` (``x`` a module)
are resolved to the module they load.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src"
PACKAGE = "topcli"
#: The largest module a reader should have to hold in their head (docs/architecture.md).
MAX_LINES = 450


# --------------------------------------------------------------------------- the checker


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Every module of ``package`` under ``root`` by dotted name (a package by its own name)."""
    modules: dict[str, Path] = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _import_nodes(tree: ast.AST) -> Iterable[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except those guarded by ``if TYPE_CHECKING:``."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
            continue
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def imports_of(name: str, path: Path, modules: Mapping[str, Path]) -> set[str]:
    """The modules of the package that module ``name`` (at ``path``) imports."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()

    def add(target: str) -> None:
        # "import topcli.a.b" loads topcli.a.b; a name that is not a module is something
        # defined in the nearest module above it
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target and target != name:
            found.add(target)

    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE:
                    add(alias.name)
            continue
        if node.level:
            # relative: level 1 is this module's package (the module itself if a package)
            base = name.split(".")
            base = base if is_package else base[:-1]
            base = base[: len(base) - (node.level - 1)]
            origin = ".".join(base + ([node.module] if node.module else []))
        else:
            origin = node.module or ""
        if origin.split(".")[0] != PACKAGE:
            continue
        for alias in node.names:
            candidate = f"{origin}.{alias.name}"
            add(candidate if candidate in modules else origin)
    return found


def import_graph(root: Path, package: str = PACKAGE) -> dict[str, set[str]]:
    modules = module_names(root, package)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """One cycle (as a path that ends where it starts) per strongly connected group of modules."""
    return [_a_cycle(group, graph) for group in groups(graph)]


def groups(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Modules that import each other, directly or through others (each group sorted)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []

    def connect(node: str) -> None:  # Tarjan's algorithm; the graph is a few dozen modules
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(found)


def _a_cycle(group: list[str], graph: Mapping[str, set[str]]) -> list[str]:
    """The shortest cycle through the first module of a strongly connected group."""
    start, members = group[0], set(group)
    paths: dict[str, list[str]] = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & members):
            if target == start:
                return [*paths[node], start]
            if target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    raise AssertionError(f"no cycle through {start}")  # a group always has one


# --------------------------------------------------------------------------- the rules


def test_no_import_cycles_among_topcli_modules() -> None:
    graph = import_graph(SRC)
    found = [
        f"  {' -> '.join(_a_cycle(group, graph))}  (modules in the loop: {', '.join(group)})"
        for group in groups(graph)
    ]
    assert not found, "import cycles (imports inside functions count):\n" + "\n".join(found)


def test_no_module_is_too_big_to_hold_in_your_head() -> None:
    too_big = {
        str(path.relative_to(SRC)): n
        for path in sorted((SRC / PACKAGE).rglob("*.py"))
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_big, f"modules over {MAX_LINES} lines: {too_big}"


def test_the_model_does_not_depend_on_validation() -> None:
    graph = import_graph(SRC)
    assert "topcli.framework" in graph["topcli.validation"]
    assert "topcli.validation" not in graph["topcli.framework"]
    assert graph["topcli.durations"] <= {"topcli.clock", "topcli.errors", "topcli.wording"}


# --------------------------------------------------------------------------- the checker itself


def write(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # an import inside a function is still an edge
        (
            {"topcli/__init__.py": "", "topcli/a.py": "def f():\n    import topcli.b\n",
             "topcli/b.py": "from topcli.a import f\n"},
            [["topcli.a", "topcli.b", "topcli.a"]],
        ),
        # TYPE_CHECKING imports never run
        (
            {"topcli/__init__.py": "",
             "topcli/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                            "    from topcli.b import B\nelse:\n    pass\n",
             "topcli/b.py": "import topcli.a\n"},
            [],
        ),
        # relative imports and "from package import module" are resolved
        (
            {"topcli/__init__.py": "", "topcli/x/__init__.py": "from . import y\n",
             "topcli/x/y.py": "from ..z import thing\n",
             "topcli/z.py": "from topcli import x\nthing = 1\n"},
            [["topcli.x", "topcli.x.y", "topcli.z", "topcli.x"]],
        ),
        # a name from a module, and imports from outside the package, are no module edges
        (
            {"topcli/__init__.py": "import os\n", "topcli/a.py": "from topcli.b import name\n",
             "topcli/b.py": "from topcli import hookimpl\nname = 1\n"},
            [],
        ),
    ],
)  # fmt: skip
def test_the_checker_finds_cycles_as_python_would_run_them(
    tmp_path: Path, files: dict[str, str], expected: list[list[str]]
) -> None:
    assert cycles(import_graph(write(tmp_path, files))) == expected


def test_the_architecture_doc_names_every_module() -> None:
    """docs/architecture.md says where each concern lives: a module it does not name is one a
    newcomer cannot find (and a sign the doc no longer matches the code)."""
    doc = (SRC.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    unnamed = [
        str(path.relative_to(SRC / PACKAGE))
        for path in sorted((SRC / PACKAGE).rglob("*.py"))
        if not path.name.startswith("__") and path.stem not in doc
    ]
    assert not unnamed, f"docs/architecture.md does not name: {unnamed}"
