"""Bringing the person's preparation into the conversation: ``start``/``checkin --prep FILE``,
in a terminal (offered to keep or edit) and without one (given; the answers file wins)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import Keys, cli, line, run_cli
from prep_support import sheet, stored, write_chat
from topcli.store import Store


@pytest.fixture
def chat(tmp_path: Path) -> Path:
    return write_chat(tmp_path)


def test_prepared_answers_are_offered_to_keep_or_change(tmp_path: Path, chat: Path) -> None:
    prep = sheet(tmp_path, chat, mood="Tired but hopeful", direction="Grow", score="11")
    keys = [
        Keys.ENTER,  # mood: keep "Tired but hopeful" as prepared
        Keys.DOWN + Keys.ENTER,  # direction: from the prepared "Grow" down to "Move"
        "y",  # ready: not prepared, asked as usual
        line("7"),  # score: "11" was shown as text to work from; 7 typed
        line("Ask for the project"),
        Keys.ENTER,  # follow-up: the default
    ]
    result = run_cli(["start", "-f", str(chat), "--prep", str(prep)], keys)
    assert result.exit_code == 0, result.output
    assert "Prepared by Sam Lee: Tired but hopeful" in result.stdout
    assert "Prepared by Sam Lee: Grow" in result.stdout
    assert "Enter keeps it" in result.stdout
    assert "not a valid answer as written" in result.stdout and "11" in result.stdout
    assert "is more than 10" in result.stderr  # listed before the first question too
    session = stored()
    assert session.person_name == "Sam Lee"  # from the sheet: no --person needed
    assert dict(session.answers) == {
        "mood": "Tired but hopeful",
        "direction": "Move",
        "ready": True,
        "score": 7,
        "first": "Ask for the project",
        "followup": "2026-06-02",
    }
    # kept as prepared: recorded; changed or typed: the conversation's own
    assert dict(session.answer_sources) == {"mood": "prep"}
    shown = cli("sessions", "show", session.id)
    assert "(as prepared)" in shown.stdout
    assert shown.stdout.count("(as prepared)") == 1


def test_pause_keeps_the_record_of_prepared_answers(tmp_path: Path, chat: Path) -> None:
    prep = sheet(tmp_path, chat, mood="Fine", direction="Stay")
    result = run_cli(["start", "-f", str(chat), "--prep", str(prep)], [Keys.ENTER, Keys.CTRL_C])
    assert result.exit_code != 0
    assert "topcli resume" in result.stderr
    session = stored()
    assert dict(session.answers) == {"mood": "Fine"}
    assert dict(session.answer_sources) == {"mood": "prep"}


def test_without_a_terminal_prepared_answers_count_and_the_answers_file_wins(
    tmp_path: Path, chat: Path
) -> None:
    prep = sheet(tmp_path, chat, mood="Fine", direction="Grow", ready="Yes")
    answers = tmp_path / "answers.yaml"
    answers.write_text("answers:\n  direction: Stay\n  score: 6\n  first: Ask\n", encoding="utf-8")
    result = cli(
        "start", "-f", str(chat), "--prep", str(prep), "--answers", str(answers), "--no-input"
    )
    assert result.exit_code == 0, result.output
    session = stored()
    assert session.answers["direction"] == "Stay"  # the answers file wins
    assert session.answers["mood"] == "Fine" and session.answers["ready"] is True
    assert dict(session.answer_sources) == {
        "mood": "prep",
        "ready": "prep",
        "direction": "answers-file",
        "score": "answers-file",
        "first": "answers-file",
    }
    data = json.loads(cli("plan", "export", session.id, "--json").stdout)
    assert data["schema_version"] == 2
    assert data["answer_sources"] == dict(session.answer_sources)


def test_without_a_terminal_missing_answers_are_still_refused(tmp_path: Path, chat: Path) -> None:
    prep = sheet(tmp_path, chat, mood="Fine", score="11")
    result = cli("start", "-f", str(chat), "--prep", str(prep), "--no-input")
    assert result.exit_code == 2
    # the invalid answer is shown as text, never dropped silently
    assert "answer to 'score' kept as text" in result.stderr
    assert "score: 11" in result.stderr
    assert "- score: How happy" in result.stderr
    assert "Traceback" not in result.output
    assert not Store().conversation_summaries()


def test_text_under_no_question_is_listed(tmp_path: Path, chat: Path) -> None:
    prep = sheet(tmp_path, chat, mood="Fine")
    prep.write_text(
        prep.read_text(encoding="utf-8").replace("## Think", "A note up here\n\n## Think"),
        encoding="utf-8",
    )
    result = cli("start", "-f", str(chat), "--prep", str(prep), "--no-input")
    assert "could not be matched to a question" in result.stderr
    assert "text under no question: A note up here" in result.stderr


def test_a_sheet_for_someone_else_is_refused_without_force(tmp_path: Path, chat: Path) -> None:
    prep = sheet(tmp_path, chat, mood="Fine", direction="Grow", ready="No", score="5")
    args = ["start", "-f", str(chat), "--prep", str(prep), "--person", "Alex Kim"]
    refused = cli(*args, "--no-input")
    assert refused.exit_code == 2
    assert "this sheet is for Sam Lee, not Alex Kim" in refused.stderr
    assert "--force" in refused.stderr
    assert not Store().conversation_summaries()
    answers = tmp_path / "answers.yaml"
    answers.write_text("answers:\n  first: Ask\n", encoding="utf-8")
    forced = cli(*args, "--no-input", "--force", "--answers", str(answers))
    assert forced.exit_code == 0, forced.output
    assert stored().person_name == "Alex Kim"


def test_in_a_terminal_a_sheet_for_someone_else_is_offered(tmp_path: Path, chat: Path) -> None:
    prep = sheet(tmp_path, chat, mood="Fine")
    args = ["start", "-f", str(chat), "--prep", str(prep), "--person", "Alex Kim"]
    declined = run_cli(args, [Keys.ENTER])  # "Use this preparation anyway?" defaults to no
    assert declined.exit_code == 2
    assert "this sheet is for Sam Lee, not Alex Kim" in declined.output
    keys = ["y", Keys.ENTER, Keys.ENTER, "y", line("5"), line("Ask"), Keys.ENTER]
    accepted = run_cli(args, keys)
    assert accepted.exit_code == 0, accepted.output
    assert stored().answers["mood"] == "Fine"


def test_a_sheet_for_another_framework_is_refused(tmp_path: Path, chat: Path) -> None:
    prep = tmp_path / "top.md"
    assert cli("prep", "Sam Lee", "-o", str(prep)).exit_code == 0
    result = cli("start", "-f", str(chat), "--prep", str(prep), "--no-input")
    assert result.exit_code == 2
    assert "this sheet is for framework 'top', not 'chat'" in result.stderr


def test_an_empty_sheet_is_a_clear_error(tmp_path: Path, chat: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("\n  \n", encoding="utf-8")
    result = cli("start", "-f", str(chat), "--prep", str(empty), "--no-input")
    assert result.exit_code == 2
    assert "the preparation sheet is empty" in result.stderr
    assert "Traceback" not in result.output
    missing = cli("start", "--prep", str(tmp_path / "nope.md"), "--no-input")
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_the_framework_comes_from_the_sheet(tmp_path: Path) -> None:
    """Without --framework the conversation uses the framework the sheet was written from."""
    prep = tmp_path / "grow.yaml"
    assert cli("prep", "Sam Lee", "-f", "grow", "-o", str(prep)).exit_code == 0
    text = prep.read_text(encoding="utf-8")
    prep.write_text(text.replace("  session_goal:\n", "  session_goal: A plan\n"), "utf-8")
    result = cli("start", "--prep", str(prep), "--no-input")
    assert result.exit_code == 2  # only one answer prepared: the other required ones are missing
    assert "- longer_term_goal:" in result.stderr
    assert "session_goal" not in result.stderr


# --------------------------------------------------------------------------- check-ins


def test_checkin_brings_the_preparation_into_the_revisited_stages(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from helpers import seed
    from prep_support import fill_yaml
    from test_checkin import checkin_file, ids_by_what, review_answers

    seed(monkeypatch, "sam-first.yaml")
    answers = review_answers(ids_by_what())
    del answers["revisit_think"]  # the sheet's Think answers open the stage
    prep = tmp_path / "sam.yaml"
    assert cli("prep", "Sam Lee", "--yaml", "-o", str(prep)).exit_code == 0
    prep.write_text(
        fill_yaml(prep.read_text(encoding="utf-8"), {"core_values": "Craft and trust."}),
        encoding="utf-8",
    )
    path = checkin_file(tmp_path, answers)
    result = cli("checkin", "Sam", "--answers", path, "--prep", str(prep), "--no-input")
    assert result.exit_code == 0, result.output
    session = stored()
    assert session.kind == "checkin"
    assert session.answers["revisit_think"] is True
    assert session.answers["think_core_values"] == "Craft and trust."
    assert session.answer_sources["think_core_values"] == "prep"
    assert session.answer_sources["since_last"] == "answers-file"
    # another person's sheet is refused
    assert cli("prep", "Alex Kim", "--yaml", "-o", str(tmp_path / "alex.yaml")).exit_code == 0
    refused = cli("checkin", "Sam", "--prep", str(tmp_path / "alex.yaml"), "--no-input")
    assert refused.exit_code == 2
    assert "this sheet is for Alex Kim, not Sam Lee" in refused.stderr


def test_a_sheet_from_a_framework_file_needs_that_file(tmp_path: Path, chat: Path) -> None:
    prep = sheet(tmp_path, chat, mood="Fine")
    result = cli("start", "--prep", str(prep), "--no-input")
    assert result.exit_code == 3
    assert "the sheet was written from a framework that is not here" in result.stderr
    assert "--framework" in result.stderr


def test_the_sheet_is_the_default_only_the_first_time_a_question_is_asked() -> None:
    """Gone back to (the runner asks again with the answer given since), the question starts
    from that answer; keeping the prepared answer is what marks it as prepared."""
    from topcli.framework import Question
    from topcli.prep_use import Prepared, PreparedPrompter

    seen: list[Any] = []

    class Echo:
        console = None

        def ask(self, question: Any, default: Any, draft: Any = None, keep: Any = None) -> Any:
            seen.append(default)
            return default if len(seen) != 2 else "changed"

    prompter = PreparedPrompter(Echo(), Prepared(source="s.md", person="Sam", answers={"q": "x"}))
    question = Question(id="q", prompt="Q?")
    assert prompter.ask(question, None) == "x" and prompter.kept == {"q"}
    assert prompter.ask(question, "x") == "changed" and prompter.kept == set()
    assert prompter.ask(question, "changed") == "changed"
    assert seen == ["x", "x", "changed"]


@pytest.mark.e2e
def test_prepared_answers_in_a_real_terminal(
    tmp_path: Path, chat: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The installed topcli in a pseudo-terminal: the prepared answer is on the screen before
    its question and Enter keeps it."""
    from conftest import FIXED_NOW
    from helpers import Terminal, terminal_env

    prep = sheet(tmp_path, chat, mood="Tired but hopeful", direction="Grow")
    home = tmp_path / "terminal-home"
    term = Terminal(["start", "-f", str(chat), "--prep", str(prep)], terminal_env(home, FIXED_NOW))
    term.expect("Prepared by Sam Lee: Tired but hopeful")
    term.accept("How are things?")
    term.expect("Prepared by Sam Lee: Grow")
    term.choose("Which way?", downs=1)  # from Grow to Move
    term.expect("Ready for more?")
    term.keys("n")
    term.answer("How happy", "6")
    term.answer("First step?", "Ask")
    term.accept("Meet again?")
    assert term.finish() == 0, term.output()
    monkeypatch.setenv("TOPCLI_HOME", str(home))
    session = stored()
    assert session.answers["mood"] == "Tired but hopeful"
    assert session.answers["direction"] == "Move"
    assert dict(session.answer_sources) == {"mood": "prep"}
