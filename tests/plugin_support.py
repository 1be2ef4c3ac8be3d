"""What the plugin tests share: a plugin registered around a test, answers files, results."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import run_cli
from topcli.framework import Framework, Question
from topcli.plugins import PluginRecord, get_plugins
from topcli.session import Session

ROOT = Path(__file__).resolve().parents[1]
#: Copies of the examples in docs/plugins.md (tests/test_docs.py keeps them identical).
DATA = Path(__file__).resolve().parent / "data" / "plugins"
#: A complete answers file for the TOP framework.
SAM = ROOT / "docs" / "examples" / "sam-lee.yaml"
ACME_SRC = ROOT / "plugins" / "topcli-acme" / "src"

UsePlugin = Callable[[object, str], PluginRecord]


@pytest.fixture
def use_plugin() -> Iterator[UsePlugin]:
    """Register plugins for one test and unregister them afterwards, whatever happens."""
    names: list[str] = []

    def use(plugin: object, name: str) -> PluginRecord:
        names.append(name)
        return get_plugins().register(plugin, name, "registered by the test")

    yield use
    for name in reversed(names):
        get_plugins().unregister(name)


def top_answers() -> dict[str, Any]:
    """The answers of a complete TOP conversation (the README's example file)."""
    return dict(yaml.safe_load(SAM.read_text(encoding="utf-8"))["answers"])


def write_answers(
    path: Path,
    answers: Mapping[str, Any],
    *,
    person: str = "Sam Lee",
    framework: str | None = None,
) -> Path:
    document: dict[str, Any] = {"person": person, "answers": dict(answers)}
    if framework:
        document["framework"] = framework
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def start(answers: Path, *args: str, keys: str = "") -> Any:
    """``topcli start --answers FILE`` in-process; ``--no-input`` unless keys are typed."""
    extra = [] if keys else ["--no-input"]
    return run_cli(["start", "--answers", str(answers), *extra, *args], keys)


def sample_answer(question: Question) -> Any:
    """A valid answer of the right shape, for frameworks the test did not write itself."""
    return {
        "text": "An answer",
        "long_text": "A longer answer\nover two lines",
        "select": question.choices[0] if question.choices else None,
        "multiselect": list(question.choices[:1]),
        "confirm": True,
        "date": "2026-04-01",
        "number": 7,
        "actions": [{"what": "Try it out", "due": "2026-05-01"}],
        "followup": "2026-06-01",
    }[question.type]


def sample_answers(framework: Framework) -> dict[str, Any]:
    return {q.id: sample_answer(q) for _, q in framework.questions()}


def stored_sessions() -> list[Session]:
    from topcli.store import Store

    store = Store()
    return [store.load(row["id"]) for row in store.session_rows()]


def stderr_of(result: Any) -> str:
    """What the command printed to stderr (warnings and errors), on one line per message."""
    return " ".join(result.stderr.split())
