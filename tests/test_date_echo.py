"""Dates typed during a conversation: a free-form date is echoed as the date it became, right
after the answer, and a due date in the past is allowed with a note, also right after it."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from helpers import Keys, cli, line, run_cli, seed
from test_prompts import EVERY_TYPE, FIRST_STAGE, only_session
from topcli.framework import Question
from topcli.prompts import TerminalPrompter
from topcli.store import Store

TODAY = date(2026, 3, 2)  # a Monday, the suite's fixed clock
PAST_NOTE = "2026-01-10 is in the past; the action is kept and will show as overdue."


def ask(question: Question, *keys: str) -> tuple[Any, str]:
    """Ask ``question`` in a terminal prompter fed ``keys``; the answer and the screen."""
    screen = io.StringIO()
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("".join(keys))
        pipe.close()
        prompter = TerminalPrompter(TODAY, console=Console(file=screen, width=200))
        answer = prompter.ask(question, None)
    return answer, screen.getvalue()


def test_a_free_form_date_is_echoed_as_the_date_it_became() -> None:
    question = Question(id="when", prompt="When?", type="date")
    answer, screen = ask(question, line("next friday"))
    assert answer == "2026-03-06"
    assert "next friday → Fri 2026-03-06" in screen


def test_a_follow_up_typed_as_a_period_is_echoed() -> None:
    question = Question(id="next", prompt="Follow-up?", type="followup")
    answer, screen = ask(question, line("+2w"))
    assert answer == "2026-03-16"
    assert "+2w → Mon 2026-03-16" in screen


def test_a_date_typed_as_it_is_stored_is_not_echoed() -> None:
    question = Question(id="when", prompt="When?", type="date", required=False)
    answer, screen = ask(question, line("2026-03-06"))
    assert answer == "2026-03-06"
    assert "→" not in screen
    answer, screen = ask(question, line(""))  # no answer: nothing to echo
    assert answer is None and "→" not in screen


def test_an_actions_due_date_is_echoed_right_after_it_is_typed() -> None:
    question = Question(id="acts", prompt="Actions?", type="actions", required=False)
    keys = [line("Give a talk"), line("+6 weeks"), line(""), line(""), line("")]
    answer, screen = ask(question, *keys)
    assert [a["due"] for a in answer] == ["2026-04-13"]
    echoed = screen.index("+6 weeks → Mon 2026-04-13")
    assert echoed < screen.index("Action 1 added, due Mon 2026-04-13.")


def test_a_past_due_date_gets_its_note_once_right_after_it_is_typed() -> None:
    question = Question(id="acts", prompt="Actions?", type="actions", required=False)
    keys = [line("Old promise"), line("2026-01-10"), line(""), line(""), line("")]
    answer, screen = ask(question, *keys)
    assert [a["due"] for a in answer] == ["2026-01-10"]
    assert screen.count(PAST_NOTE) == 1
    assert "→" not in screen  # typed as it is stored
    assert screen.index(PAST_NOTE) < screen.index("Action 1 added, due Sat 2026-01-10.")


def test_in_a_conversation_dates_are_echoed_and_a_past_due_date_noted() -> None:
    second_stage = [line("7"), Keys.CTRL_U + line("next friday"), Keys.ENTER, Keys.ESC_ENTER]
    plan = [
        line("Old promise"),
        line("2026-01-10"),
        line(""),
        line(""),
        line(""),
        Keys.CTRL_U + line("+2 weeks"),
    ]
    result = run_cli(
        ["start", "--framework", EVERY_TYPE, "--person", "Kim"],
        [
            *FIRST_STAGE,
            *second_stage,
            *plan,
        ],
    )
    assert result.exit_code == 0, result.output
    out = re.sub(r"\s+", " ", result.stdout)
    assert "next friday → Fri 2026-03-06" in out
    assert PAST_NOTE in out
    assert "+2 weeks → Mon 2026-03-16" in out
    session = only_session()
    assert session.actions[0]["due"] == "2026-01-10"
    assert session.followup == "2026-03-16"


def test_actions_edit_says_the_moved_due_date_with_weekdays(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed(monkeypatch, "alex-first.yaml")  # one action, due 2026-03-09
    (session,) = Store().session_rows()
    (action,) = Store().load(session["id"]).actions
    result = cli("actions", "edit", action["id"], "--due", "+2w")
    assert result.exit_code == 0, result.output
    assert "due Mon 2026-03-09 → Mon 2026-03-16" in result.stdout
    # the note stored on the action, like every export, keeps ISO dates
    (after,) = Store().load(session["id"]).actions
    assert after["notes"][-1]["text"] == "Edited: due 2026-03-09 → 2026-03-16"
