"""Property: any text in any answer field either travels exactly, answers file → store → JSON
export → import → JSON export and into the calendar, or is refused with a clear message.

tests/test_hardening_property.py checks the first step (the answers file against
``Question.parse``); this follows the same text through everything that stores or writes it.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from helpers import cli
from topcli.errors import ExitCode, TopcliError
from topcli.framework import Question, parse_action

#: The characters that broke answers before, mixed into arbitrary text (as in the sibling test).
AWKWARD = [
    "\ud83d",
    "\U0001f600",
    "\x00",
    "\x85",
    "\u2028",
    "\ufeff",
    "\r",
    "\r\n",
    "\n",
    "\t",
    "\x7f",
    "\x9b",
    "\x1b]52;c;aGk=\x07",
    "\u202e",
    "\\",
    '"',
    ";",
    ",",
    "[b]",
]
TEXT = st.lists(
    st.one_of(st.sampled_from(AWKWARD), st.text(st.characters(exclude_categories=()))),
    max_size=6,
).map("".join)

FRAMEWORK = """\
id: roundtrip
name: Round trip
version: "1"
stages:
  - id: one
    title: One
    purpose: Everything a conversation stores.
    questions:
      - {id: goal, prompt: "Goal?", type: long_text}
      - {id: actions, prompt: "Actions?", type: actions}
      - {id: followup, prompt: "When next?", type: followup}
"""


def _in_home(home: Path, *args: str) -> Any:
    os.environ["TOPCLI_HOME"] = str(home)
    return cli(*args)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=TEXT)
def test_any_text_travels_exactly_or_is_refused(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        here = Path(folder)
        framework = here / "roundtrip.yaml"
        framework.write_text(FRAMEWORK, encoding="utf-8")
        action = {"what": text or "x", "due": "2026-04-01", "success": text, "support": text}
        answers = {"person": "Sam Lee", "answers": {"goal": text or "x", "actions": [action]}}
        answers_file = here / "answers.json"
        answers_file.write_bytes(
            json.dumps(answers, ensure_ascii=False).encode("utf-8", errors="surrogatepass")
        )
        started = _in_home(
            here / "a", "start", "-f", str(framework), "--answers", str(answers_file), "--no-input"
        )
        try:  # what the same values would give typed: the one definition of a valid answer
            today = date(2026, 3, 2)
            goal = Question(id="goal", prompt="Goal?", type="long_text").parse(
                text or "x", today=today
            )
            kept_action = parse_action(action, today=today)
        except TopcliError:
            goal = kept_action = None
        if started.exit_code != 0:
            # refused: said clearly, naming the file, never an internal error
            assert started.exit_code == ExitCode.USAGE, started.output
            assert "internal error" not in started.output
            assert str(answers_file) in started.stderr
            event("refused")
            return
        assert goal is not None, "the file accepted what a typed answer would refuse"
        event("accepted: stored, exported, imported and put in the calendar")
        exported = _in_home(here / "a", "plan", "export", "--all", "--json")
        assert exported.exit_code == 0, exported.output
        record = json.loads(exported.stdout)["sessions"][0]
        stored = record["answers"]
        # what the answers file said is what was stored and exported, to the character
        assert stored["goal"] == goal
        (kept,) = stored["actions"]
        fields = ("what", "due", "success", "support")
        assert {k: kept[k] for k in fields} == {k: kept_action[k] for k in fields}

        # a JSON backup restores exactly: the same bytes after an import into an empty home
        backup = here / "backup.json"
        backup.write_bytes(exported.stdout_bytes)
        restored = _in_home(here / "b", "sessions", "import", str(backup))
        assert restored.exit_code == 0, restored.output
        again = _in_home(here / "b", "plan", "export", "--all", "--json")
        assert again.stdout_bytes == exported.stdout_bytes

        # the calendar carries the action's text exactly (icalendar unescapes what it escaped)
        calendar = _in_home(here / "a", "plan", "export", "--ics")
        assert calendar.exit_code == 0, calendar.output
        from icalendar import Calendar

        summaries = [
            str(event.get("summary"))
            for event in Calendar.from_ical(calendar.stdout_bytes).walk("VEVENT")
        ]
        assert f"Sam Lee: {kept_action['what']}" in summaries, summaries
    monkeypatch.undo()
