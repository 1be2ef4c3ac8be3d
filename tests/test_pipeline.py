"""The start pipeline and the runner: who finishes a conversation, and which way imports point."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from topcli.framework import Framework, Question, Stage
from topcli.pipeline import create_with_answers, finish
from topcli.prompts import ScriptedPrompter
from topcli.runner import SessionRunner
from topcli.store import Store

SRC = Path(__file__).resolve().parent.parent / "src"
TODAY = date(2026, 3, 2)
TINY = Framework(
    id="tiny",
    name="Tiny",
    version="1",
    stages=(Stage(id="s", title="S", questions=(Question(id="q", prompt="Q?"),)),),
)


# --------------------------------------------------------------------------- finishing


def test_the_runner_finishes_through_on_finish_in_the_completing_transaction() -> None:
    store = Store()
    with store.transaction():
        person = store.person_for_new_session("Kim")
    session_id = create_with_answers(store, person["id"], TINY, {"q": "given"})
    seen: list[str] = []

    def broken(store: Store, session: Any) -> None:
        seen.append(session.id)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        SessionRunner(store, ScriptedPrompter({}), TODAY, on_finish=broken).run(session_id)
    assert seen == [session_id]
    assert not store.load(session_id).is_complete  # rolled back with the failed finish
    assert SessionRunner(store, ScriptedPrompter({}), TODAY).run(session_id).is_complete


def test_finishing_a_conversation_that_is_not_a_check_in_changes_no_action() -> None:
    store = Store()
    with store.transaction():
        person = store.person_for_new_session("Kim")
    session_id = create_with_answers(store, person["id"], TINY, {"q": "given"})
    before = store.load(session_id)
    finish(store, before)
    assert store.load(session_id).to_dict() == before.to_dict()


# --------------------------------------------------------------------------- import cycles

#: The modules of conversations, check-ins and follow-through (and their commands): none of them
#: may sit on an import cycle, counting imports inside functions and not ``TYPE_CHECKING`` ones.
OWN = (
    "topcli.runner",
    "topcli.pipeline",
    "topcli.prompts",
    "topcli.checkin",
    "topcli.checkin_outcome",
    "topcli.followthrough",
    "topcli.people",
    "topcli.followup",
    "topcli.action_changes",
    "topcli.history",
    "topcli.wording",
    "topcli.render",
    "topcli.render_followthrough",
    "topcli.cli.conversation",
    "topcli.cli.sessions",
    "topcli.cli.actions",
    "topcli.cli.followup",
    "topcli.cli.checkin",
    "topcli.cli.people",
    "topcli.cli.history",
)


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / "topcli").rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(path: Path, name: str, modules: dict[str, Path]) -> set[str]:
    """What ``name`` imports from topcli, wherever the import is, outside ``TYPE_CHECKING``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(n) for child in node.body for n in ast.walk(child)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                targets.add(sub if sub in modules else base)
    # a package is its submodules' parent, not a dependency: importing it is how they load
    return {t for t in targets if t in modules and t != name and not name.startswith(t + ".")}


def _cycles() -> list[set[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    modules = _modules()
    graph = {name: _imports(path, name, modules) for name, path in modules.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                top = stack.pop()
                component.add(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(component)

    for name in graph:
        if name not in index:
            visit(name)
    return found


def test_no_conversation_or_follow_through_module_is_on_an_import_cycle() -> None:
    modules = _modules()
    assert set(OWN) <= set(modules), set(OWN) - set(modules)
    tangled = [sorted(c) for c in _cycles() if c & set(OWN)]
    assert tangled == []


def test_the_cycle_finder_sees_imports_inside_functions(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from topcli import store\n"
        "def f():\n    from topcli.checkin import CARRY\n"
    )
    modules = {"topcli.m": path, "topcli.checkin": path, "topcli.store": path}
    assert _imports(path, "topcli.m", modules) == {"topcli.checkin"}
