"""Shared by the export and import tests: a deterministic conversation, hostile text, goldens.

The golden files in ``tests/golden/`` come from ``session.json``, a conversation held with the
real runner from ``tests/data/answers-top.yaml`` under the fixed clock, with ids made
deterministic, and one action marked done a few weeks later. Tests import that file (which
also checks the importer) and compare each export with its golden file.

To regenerate everything after an intended change: ``UPDATE_GOLDEN=1 .venv/bin/pytest -q
tests/test_export_json.py tests/test_export_markdown.py tests/test_export_ics.py
tests/test_export_summary.py``, then review the diff of ``tests/golden/``. That rebuilds
``session.json`` with today's built-in TOP too (1.1, with its private and summary questions),
which changes every golden file; ``summary.md`` checks the summary of a framework without
summary questions only while the fixture is held with TOP 1.0.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import os
from pathlib import Path
from typing import Any

import pytest

from topcli.session import Session
from topcli.store import Store

TESTS = Path(__file__).parent
GOLDEN = TESTS / "golden"
FIXTURE = GOLDEN / "session.json"
ANSWERS = TESTS / "data" / "answers-top.yaml"
#: The calendar golden file must not depend on the machine's zone.
GOLDEN_ZONE = "Europe/London"
#: When the action in the fixture was marked done (after the conversation).
DONE_AT = "2026-03-21T17:30:00+00:00"

#: Text that has broken exporters before: every field of the hostile tests gets these.
ONE_LINE = [
    "commas, semicolons; backslash \\ and \\n (not a newline) and \\\\ two",
    "emoji 🎉👩🏽‍💻 and é (e + combining accent) and ß",
    "right-to-left: مرحبا بالعالم — שלום עולם (mixed with LTR)",
    "# not a heading > not a quote | pipe | `code` <b>bold</b> <!-- c --> &amp; &copy;",
    "[link](http://example.com) ![img](x.png) *em* _em_ **strong** ~~strike~~ {#id} \\*",
    "1. not a list item; - not a bullet; === not an underline",
    "long " + "word " * 120 + "end",
]
MULTI_LINE = [
    "line one\nline two\n\nline four after a blank line",
    "# heading?\n> quote?\n- bullet?\n+ plus?\n1. ordered?\n12) ordered?\n===\n---\n***",
    "```\ncode fence?\n```\n    four spaces: code?\n<div>html block?</div>\n<script>x</script>",
    "trailing spaces  \nand a tab\tin the middle\n  leading spaces\n\\\nbackslash line",
    "a,b;c\\d\ne🎉f\nمرحبا | שלום\n" + "x" * 500,
]


def golden_path(name: str) -> Path:
    return GOLDEN / name


def check_golden(name: str, content: str | bytes) -> None:
    """Compare with ``tests/golden/NAME``; with ``UPDATE_GOLDEN=1`` write it instead."""
    path = golden_path(name)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(data)
        return
    assert path.exists(), f"{path} is missing; create it with UPDATE_GOLDEN=1"
    expected = path.read_bytes()
    if data != expected:
        # a readable diff rather than two walls of bytes
        assert data.decode("utf-8") == expected.decode("utf-8")


def deterministic_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ids from a counter (hashed, so they still look like ids), not from ``secrets``."""
    counter = itertools.count(1)

    def new_id(nbytes: int = 4) -> str:
        return hashlib.sha256(str(next(counter)).encode()).hexdigest()[: nbytes * 2]

    monkeypatch.setattr("topcli.store.new_id", new_id)


def hold_conversation(monkeypatch: pytest.MonkeyPatch) -> Session:
    """The fixture's conversation, held with the real runner from the answers file."""
    from topcli.pipeline import StartRequest, start_session

    deterministic_ids(monkeypatch)
    session = start_session(StartRequest(answers_file=str(ANSWERS), interactive=False))
    monkeypatch.setenv("TOPCLI_NOW", DONE_AT)
    store = Store()
    meet_amara = session.actions[1]["id"]
    store.set_action_status(meet_amara, "done", "Met Amara on the 19th; notes in the wiki.")
    return store.load(session.id)


def fixture_data(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """``session.json`` as data (rebuilt from the runner when regenerating the goldens)."""
    if os.environ.get("UPDATE_GOLDEN") == "1" and not getattr(fixture_data, "done", False):
        from topcli.exporters.json_export import export

        with monkeypatch.context() as patch:
            home = Path(os.environ["TOPCLI_HOME"]).with_name("golden-build")
            patch.setenv("TOPCLI_HOME", str(home))
            FIXTURE.write_text(export(hold_conversation(patch)), encoding="utf-8")
        fixture_data.done = True  # type: ignore[attr-defined]
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def import_data(data: dict[str, Any], **kwargs: Any) -> Session:
    """Put ``data`` (one conversation) into the test's store through the importer."""
    from topcli.transfer import import_text

    result = import_text(json.dumps(data, ensure_ascii=False), source="test.json", **kwargs)
    (session,) = result.sessions
    return session


def import_fixture(monkeypatch: pytest.MonkeyPatch) -> Session:
    return import_data(fixture_data(monkeypatch))


def long_text_questions(data: dict[str, Any]) -> list[str]:
    return [
        q["id"]
        for stage in data["framework"]["stages"]
        for q in stage["questions"]
        if q["type"] == "long_text" and q["id"] in data["answers"]
    ]


def text_questions(data: dict[str, Any]) -> list[str]:
    return [
        q["id"]
        for stage in data["framework"]["stages"]
        for q in stage["questions"]
        if q["type"] == "text" and q["id"] in data["answers"]
    ]


def hostile_data(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The fixture with hostile text in every free-text field: names, answers, actions, notes."""
    data = copy.deepcopy(fixture_data(monkeypatch))
    data["person"]["name"] = "Zoë O'Brien-Nasser, Jr.; \\ <b>#1</b> | مرحبا 🎉"
    for n, qid in enumerate(long_text_questions(data)):
        data["answers"][qid] = MULTI_LINE[n % len(MULTI_LINE)]
    for n, qid in enumerate(text_questions(data)):
        data["answers"][qid] = ONE_LINE[n % len(ONE_LINE)]
    actions = data["answers"]["actions"]
    texts = ONE_LINE + MULTI_LINE
    for n, action in enumerate(actions):
        action["what"] = texts[(3 * n) % len(texts)]
        action["success"] = texts[(3 * n + 1) % len(texts)]
        action["support"] = texts[(3 * n + 2) % len(texts)]
        for note in action["notes"]:
            note["text"] = MULTI_LINE[n % len(MULTI_LINE)]
    return data
