"""The Prompter's own questions (confirm, choose) and the one place Ctrl-C becomes Interrupted."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from helpers import Keys
from topcli.errors import AnswerError, Interrupted
from topcli.prompts import ScriptedPrompter, TerminalPrompter, interrupts

CHOICES = [("Sam Lee (id sam-lee)", "sam-lee"), ("Sam Park (id sam-park)", "sam-park")]


def typed(keys: str, ask: Any) -> Any:
    """Type ``keys`` into a TerminalPrompter and return what ``ask(prompter)`` gives back."""
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(keys)
        pipe.close()
        return ask(TerminalPrompter(date(2026, 3, 2), console=Console(file=io.StringIO())))


# --------------------------------------------------------------------------- interrupts


@pytest.mark.parametrize(
    ("raised", "reason"), [(KeyboardInterrupt, "interrupted"), (EOFError, "input ended")]
)
def test_interrupts_turns_ctrl_c_and_end_of_input_into_interrupted(
    raised: type[BaseException], reason: str
) -> None:
    with pytest.raises(Interrupted) as caught, interrupts():
        raise raised
    assert caught.value.message == reason
    with pytest.raises(Interrupted) as caught, interrupts("nothing was deleted"):
        raise raised
    assert caught.value.message == "nothing was deleted"
    with (
        pytest.raises(Interrupted) as caught,
        interrupts(lambda why: Interrupted(f"paused ({why})")),
    ):
        raise raised
    assert caught.value.message == f"paused ({reason})"


def test_interrupts_rewords_an_inner_interruption_or_lets_it_through() -> None:
    inner = Interrupted("conversation paused", hint="topcli resume x")
    with pytest.raises(Interrupted) as caught, interrupts():
        raise inner
    assert caught.value is inner  # nothing to add: the hint is kept
    with pytest.raises(Interrupted) as caught, interrupts(lambda why: Interrupted(f"outer: {why}")):
        raise inner
    assert caught.value.message == "outer: conversation paused"


def test_interrupts_leaves_other_errors_and_normal_exits_alone() -> None:
    with interrupts("unused"):
        pass
    with pytest.raises(ValueError), interrupts("unused"):
        raise ValueError("not an interruption")


# --------------------------------------------------------------------------- terminal


def test_terminal_confirm_takes_the_default_with_enter_and_y_or_n() -> None:
    assert typed(Keys.ENTER, lambda p: p.confirm("Sure?")) is False
    assert typed(Keys.ENTER, lambda p: p.confirm("Sure?", default=True)) is True
    assert typed("y", lambda p: p.confirm("Sure?")) is True


def test_terminal_choose_returns_the_value_of_the_choice_picked() -> None:
    assert typed(Keys.ENTER, lambda p: p.choose("Which?", CHOICES)) == "sam-lee"
    assert typed(Keys.DOWN + Keys.ENTER, lambda p: p.choose("Which?", CHOICES)) == "sam-park"


@pytest.mark.parametrize(
    ("key", "reason"), [(Keys.CTRL_C, "interrupted"), (Keys.CTRL_D, "input ended")]
)
def test_terminal_confirm_and_choose_are_interrupted_by_ctrl_c_and_ctrl_d(
    key: str, reason: str
) -> None:
    with pytest.raises(Interrupted, match=reason):
        typed(key, lambda p: p.confirm("Sure?"))
    with pytest.raises(Interrupted, match=reason):
        typed(key, lambda p: p.choose("Which?", CHOICES))


# --------------------------------------------------------------------------- scripted


def test_scripted_confirm_answers_by_key_else_falls_back_else_takes_the_default() -> None:
    assert ScriptedPrompter({"delete": True}).confirm("Delete?", key="delete") is True
    assert ScriptedPrompter({}).confirm("Delete?", key="delete") is False
    assert ScriptedPrompter({}).confirm("Delete?", default=True) is True

    class Fallback:
        def confirm(self, message: str, *, default: bool = False, key: str | None = None) -> bool:
            return True

    assert ScriptedPrompter({}, Fallback()).confirm("Delete?") is True  # type: ignore[arg-type]


def test_scripted_choose_takes_a_value_or_a_label_and_refuses_anything_else() -> None:
    assert ScriptedPrompter({"person": "sam-park"}).choose("Which?", CHOICES, key="person") == (
        "sam-park"
    )
    by_label = ScriptedPrompter({"person": "Sam Lee (id sam-lee)"})
    assert by_label.choose("Which?", CHOICES, key="person") == "sam-lee"
    with pytest.raises(AnswerError, match="'person': 'Sam Kim' is not one of the choices"):
        ScriptedPrompter({"person": "Sam Kim"}).choose("Which?", CHOICES, key="person")
    with pytest.raises(AnswerError, match="no answer to 'person'"):
        ScriptedPrompter({}).choose("Which?", CHOICES, key="person")

    class Fallback:
        def choose(self, message: str, choices: Any, *, key: str | None = None) -> Any:
            return choices[-1][1]

    fallback = ScriptedPrompter({}, Fallback())  # type: ignore[arg-type]
    assert fallback.choose("Which?", CHOICES) == "sam-park"
