"""topcli's keys on every prompt, pressed for real: no stray exits, the back keys, the editor.

Keys are piped into questionary's prompts with ``create_pipe_input`` (see tests/helpers.py).
"""

from __future__ import annotations

import io
import stat
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from helpers import Keys, block, line, run_cli
from topcli.errors import Interrupted
from topcli.framework import Question
from topcli.prompt_keys import GoBack
from topcli.prompts import TerminalPrompter

TODAY = date(2026, 3, 2)
EVERY_TYPE = str(Path(__file__).resolve().parent / "data" / "core" / "every-type.yaml")

ESC = "\x1b"
PAGE_UP = "\x1b[5~"
#: Alt-Up as xterm sends it, as a terminal whose Alt sends Esc sends it, and Esc then Up typed
ALT_UP = "\x1b[1;3A"
ESC_UP = "\x1b\x1b[A"
CTRL_X_CTRL_E = "\x18\x05"

SELECT = Question(id="s", prompt="Where?", type="select", choices=("Stay", "Grow", "Move"))
CHECKBOX = Question(id="m", prompt="Which?", type="multiselect", choices=("A", "B", "C"))
CONFIRM = Question(id="c", prompt="Sure?", type="confirm")
LONG = Question(id="story", prompt="Tell me a story.", type="long_text")


@pytest.fixture
def typed() -> Iterator[Any]:
    """Type keys into one TerminalPrompter.ask() and return the answer."""

    def ask(question: Question, *keys: str, default: Any = None) -> Any:
        with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
            pipe.send_text("".join(keys))
            pipe.close()
            prompter = TerminalPrompter(TODAY, console=Console(file=io.StringIO()))
            return prompter.ask(question, default)

    yield ask


@pytest.fixture
def no_editor(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("VISUAL", "EDITOR", "TOPCLI_EDITOR", "TOPCLI_LONG_ANSWERS_IN_EDITOR"):
        monkeypatch.delenv(name, raising=False)


# --------------------------------------------------------------------------- stray keys


@pytest.mark.parametrize("stray", [Keys.ESC_ENTER, ESC + Keys.DOWN + Keys.UP])
def test_esc_and_esc_enter_keep_a_select_open(typed: Any, stray: str) -> None:
    # before: Esc-Enter ended the select with '' and the conversation with "an answer is needed"
    assert typed(SELECT, stray, Keys.DOWN + Keys.ENTER, default="Grow") == "Move"
    assert typed(SELECT, stray, Keys.ENTER, default="Grow") == "Grow"


@pytest.mark.parametrize("stray", [Keys.ESC_ENTER, ESC + Keys.DOWN + Keys.UP])
def test_esc_and_esc_enter_keep_a_checkbox_open(typed: Any, stray: str) -> None:
    assert typed(CHECKBOX, stray, Keys.SPACE + Keys.ENTER) == ["A"]
    # Enter with nothing ticked is refused (required) and the checkbox stays open too
    assert typed(CHECKBOX, Keys.ENTER, stray, Keys.DOWN + Keys.SPACE + Keys.ENTER) == ["B"]


@pytest.mark.parametrize("stray", [Keys.ESC_ENTER, ESC + Keys.DOWN])
def test_esc_and_esc_enter_keep_a_confirm_open(typed: Any, stray: str) -> None:
    assert typed(CONFIRM, stray, "n") is False
    assert typed(CONFIRM, stray, Keys.ENTER, default=True) is True


def test_esc_enter_on_a_list_no_longer_ends_the_conversation() -> None:
    keys = [line("Engineer"), block("A week."), Keys.ESC_ENTER, Keys.ESC_ENTER, Keys.ENTER]
    result = run_cli(["start", "--framework", EVERY_TYPE, "--person", "Kim"], [*keys, Keys.CTRL_C])
    assert "an answer is needed" not in result.output
    # the select was answered with its default, then the checkbox was on screen at Ctrl-C
    assert "paused; 3 answers saved" in result.output
    assert "topcli resume" in result.output
    assert result.exit_code == 130


def test_the_only_ways_out_print_the_resume_command() -> None:
    for end in (Keys.CTRL_C, ""):  # Ctrl-C, and end of input
        result = run_cli(
            ["start", "--framework", EVERY_TYPE, "--person", "Kim"],
            [line("Engineer"), Keys.ESC_ENTER, ESC + Keys.DOWN, end],
        )
        assert result.exit_code == 130
        assert "hint: continue where you left off with: topcli resume" in result.output


# --------------------------------------------------------------------------- back keys

BACK_KEYS = [PAGE_UP, ALT_UP, ESC_UP]
EVERY_KIND = [
    Question(id="t", prompt="Text?"),
    LONG,
    SELECT,
    CHECKBOX,
    CONFIRM,
    Question(id="d", prompt="When?", type="date"),
    Question(id="n", prompt="How many?", type="number"),
    Question(id="f", prompt="Again?", type="followup"),
    Question(id="a", prompt="Actions?", type="actions"),
]


@pytest.mark.parametrize("back", BACK_KEYS, ids=["PageUp", "Alt-Up", "Esc-Up"])
@pytest.mark.parametrize("question", EVERY_KIND, ids=lambda q: q.type)
def test_each_back_key_leaves_every_kind_of_question(
    typed: Any, question: Question, back: str
) -> None:
    with pytest.raises(GoBack):
        typed(question, "x" if question.type in ("text", "long_text") else "", back)


def test_questions_outside_a_framework_have_no_back_key() -> None:
    # a confirm or a pick of "sessions delete" or "people": nobody handles GoBack there
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(PAGE_UP + Keys.ESC_ENTER + Keys.DOWN + Keys.ENTER)
        pipe.close()
        prompter = TerminalPrompter(TODAY, console=Console(file=io.StringIO()))
        assert prompter.choose("Which one?", [("one", 1), ("two", 2)]) == 2
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(PAGE_UP + Keys.ESC_ENTER + "y")
        pipe.close()
        prompter = TerminalPrompter(TODAY, console=Console(file=io.StringIO()))
        assert prompter.confirm("Delete?", default=False) is True


def test_the_keys_are_shown_once_as_the_conversation_starts() -> None:
    result = run_cli(
        ["start", "--framework", EVERY_TYPE, "--person", "Kim"],
        [line("Engineer"), block("A week."), Keys.ENTER, Keys.SPACE + Keys.ENTER, Keys.CTRL_C],
    )
    assert result.output.count("PageUp or Alt-Up (Esc then Up) goes back") == 1
    assert result.output.index("Keys:") < result.output.index("Stage 1 of 3")


# --------------------------------------------------------------------------- the editor


def fake_editor(tmp_path: Path, body: str, *, status: int = 0) -> Path:
    """An editor script: saves what it was shown beside it, then writes ``body`` above it."""
    script = tmp_path / "fake-editor"
    script.write_text(
        f"#!{sys.executable}\n"
        "import pathlib, sys\n"
        "path = pathlib.Path(sys.argv[1])\n"
        "shown = path.read_text()\n"
        f"pathlib.Path({str(tmp_path / 'shown.txt')!r}).write_text(shown)\n"
        f"path.write_text({body!r} + shown)\n"
        f"sys.exit({status})\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_ctrl_x_ctrl_e_puts_the_edited_text_back_into_the_prompt(
    typed: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_editor: None
) -> None:
    monkeypatch.setenv("EDITOR", str(fake_editor(tmp_path, "From the editor.\n")))
    answer = typed(LONG, "Typed first.", CTRL_X_CTRL_E, " More.", Keys.ESC_ENTER)
    assert answer == "From the editor.\nTyped first. More."
    shown = (tmp_path / "shown.txt").read_text()
    assert shown.startswith("Typed first.\n# ------------------------ >8")
    assert "# Tell me a story." in shown  # the question, as a comment


def test_ctrl_x_ctrl_e_without_an_editor_keeps_the_text(typed: Any, no_editor: None) -> None:
    assert typed(LONG, "Kept.", CTRL_X_CTRL_E, Keys.ESC_ENTER) == "Kept."


def test_an_editor_that_fails_keeps_the_old_text(
    typed: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_editor: None
) -> None:
    monkeypatch.setenv("EDITOR", str(fake_editor(tmp_path, "Lost.\n", status=3)))
    assert typed(LONG, "Kept.", CTRL_X_CTRL_E, Keys.ESC_ENTER) == "Kept."
    monkeypatch.setenv("EDITOR", str(tmp_path / "no-such-editor"))
    assert typed(LONG, "Kept.", CTRL_X_CTRL_E, Keys.ESC_ENTER) == "Kept."


def test_the_setting_opens_the_editor_at_once_for_every_long_answer(
    typed: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_editor: None
) -> None:
    monkeypatch.setenv("EDITOR", str(fake_editor(tmp_path, "Written in the editor.")))
    monkeypatch.setenv("TOPCLI_LONG_ANSWERS_IN_EDITOR", "true")
    assert typed(LONG, Keys.ESC_ENTER, default="Before.") == "Written in the editor.Before."
    # a one-line question is not a long answer
    assert typed(Question(id="t", prompt="Text?"), line("Short")) == "Short"
    monkeypatch.setenv("TOPCLI_LONG_ANSWERS_IN_EDITOR", "false")
    assert typed(LONG, Keys.ESC_ENTER, default="Before.") == "Before."


def test_the_editor_key_is_only_in_multi_line_prompts(
    typed: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_editor: None
) -> None:
    monkeypatch.setenv("EDITOR", str(fake_editor(tmp_path, "Edited.")))
    assert typed(Question(id="t", prompt="Text?"), "Plain", CTRL_X_CTRL_E, Keys.ENTER) == "Plain"
    assert not (tmp_path / "shown.txt").exists()


def test_ctrl_c_in_a_prompt_reopened_after_the_editor_still_pauses(
    typed: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_editor: None
) -> None:
    monkeypatch.setenv("EDITOR", str(fake_editor(tmp_path, "Edited.")))
    with pytest.raises(Interrupted, match="interrupted"):
        typed(LONG, CTRL_X_CTRL_E, Keys.CTRL_C)


def test_a_bad_editor_setting_does_not_end_the_conversation(
    typed: Any, monkeypatch: pytest.MonkeyPatch, no_editor: None
) -> None:
    monkeypatch.setenv("TOPCLI_LONG_ANSWERS_IN_EDITOR", "maybe")
    assert typed(LONG, Keys.ESC_ENTER, default="Kept.") == "Kept."
