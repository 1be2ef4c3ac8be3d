"""The prompt layer, driven by real key presses piped into questionary's prompts.

Most tests run ``topcli start`` on tests/data/core/every-type.yaml (one question of each type)
through ``run_cli``; a few call :class:`TerminalPrompter` or the answers-file functions directly.
"""

from __future__ import annotations

import io
import json
import re
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
from topcli.answers_file import prepare_answers
from topcli.errors import AnswerError, Interrupted
from topcli.framework import Question
from topcli.loader import load_answers_file, load_framework
from topcli.prompt_actions import split_draft
from topcli.prompts import (
    ScriptedPrompter,
    TerminalPrompter,
    _wrap,
    is_interactive,
)
from topcli.store import Store

DATA = Path(__file__).resolve().parent / "data" / "core"
EVERY_TYPE = str(DATA / "every-type.yaml")
TODAY = date(2026, 3, 2)


def start(*keys: str, person: str | None = "Kim") -> Any:
    args = ["start", "--framework", EVERY_TYPE]
    if person:
        args += ["--person", person]
    return run_cli(args, list(keys))


def only_session() -> Any:
    store = Store()
    rows = store.session_rows()
    assert len(rows) == 1
    return store.load(rows[0]["id"])


def session_id_in(output: str) -> str:
    match = re.search(r"Conversation ([0-9a-f]{8}) with", output)
    assert match, output
    return match.group(1)


#: The first stage answered plainly: the select keeps its default (Grow), so no follow-on.
FIRST_STAGE = [
    line("Engineer"),
    block("A good week."),
    Keys.ENTER,
    Keys.SPACE + Keys.ENTER,
]
#: The second stage: a number, the default date, "no" to the mentor, no notes.
SECOND_STAGE = [line("7"), Keys.ENTER, Keys.ENTER, Keys.ESC_ENTER]
#: One action, then the follow-up default.
PLAN_STAGE = [line("Give a talk"), line("2026-04-01"), line(""), line(""), line(""), Keys.ENTER]


# --------------------------------------------------------------------------- each widget


def test_a_whole_conversation_typed_key_by_key() -> None:
    result = start(*FIRST_STAGE, *SECOND_STAGE, *PLAN_STAGE)
    assert result.exit_code == 0, result.output
    session = only_session()
    assert session.is_complete
    assert dict(session.answers) == {
        "role": "Engineer",
        "story": "A good week.",
        "direction": "Grow",
        "interests": ["Mentoring"],
        "confidence": 7,
        "start_on": "2026-03-16",
        "wants_mentor": False,
        "notes": None,
        "actions": session.answers["actions"],
        "followup": "2026-06-02",
    }
    assert [(a["what"], a["due"]) for a in session.actions] == [("Give a talk", "2026-04-01")]


def test_stage_titles_purpose_tips_and_help_are_shown() -> None:
    result = start(*FIRST_STAGE, *SECOND_STAGE, *PLAN_STAGE)
    out = result.stdout
    assert "Stage 1 of 3: First things" in out
    assert "Warm up with the simple types." in out
    assert "Tips for you, the leader:" in out
    assert "• Listen more than you talk." in out
    assert "One line is enough." in out  # the help of the first question
    assert out.index("Stage 1 of 3") < out.index("Stage 2 of 3") < out.index("Stage 3 of 3")
    assert "Summary" in out
    assert "Follow-up conversation: Tue 2026-06-02" in out
    assert f"topcli sessions show {only_session().id}" in out


def test_select_moves_with_down_and_takes_enter_and_asks_the_follow_on() -> None:
    keys = [line("Engineer"), block("A week."), Keys.DOWN + Keys.ENTER, line("Research")]
    start(*keys, Keys.CTRL_C)
    answers = only_session().answers
    assert answers["direction"] == "Move"  # one down from the default, Grow
    assert answers["move_where"] == "Research"


def test_select_wraps_around_with_up() -> None:
    start(line("Engineer"), block("A week."), Keys.UP + Keys.UP + Keys.ENTER, Keys.CTRL_C)
    assert only_session().answers["direction"] == "Move"


def test_checkbox_ticks_with_space_and_refuses_none_when_required() -> None:
    pick = Keys.ENTER + Keys.SPACE + Keys.DOWN + Keys.DOWN + Keys.SPACE + Keys.ENTER
    start(line("Engineer"), block("A week."), Keys.ENTER, pick, Keys.CTRL_C)
    # the first Enter, with nothing ticked, was refused; the prompt stayed
    assert only_session().answers["interests"] == ["Mentoring", "Shadowing"]


def test_checkbox_space_twice_unticks() -> None:
    pick = Keys.SPACE + Keys.DOWN + Keys.SPACE + Keys.SPACE + Keys.ENTER
    start(line("Engineer"), block("A week."), Keys.ENTER, pick, Keys.CTRL_C)
    assert only_session().answers["interests"] == ["Mentoring"]


def test_confirm_yes_asks_the_question_that_depends_on_it() -> None:
    second = [line("7"), Keys.ENTER, "y", line("Roadmaps"), block("Nothing\nelse")]
    result = start(*FIRST_STAGE, *second, *PLAN_STAGE)
    assert result.exit_code == 0, result.output
    answers = only_session().answers
    assert answers["wants_mentor"] is True
    assert answers["mentor_wish"] == "Roadmaps"
    assert answers["notes"] == "Nothing\nelse"


def test_multi_line_text_keeps_every_line_and_finishes_with_esc_enter() -> None:
    story = "First line.\nSecond line.\n\nAfter a blank line."
    start(line("Engineer"), block(story), Keys.CTRL_C)
    assert only_session().answers["story"] == story


def test_a_required_text_refuses_an_empty_answer_and_waits() -> None:
    start(Keys.ENTER, line("Engineer"), Keys.CTRL_C)
    assert only_session().answers["role"] == "Engineer"


def test_a_bad_date_is_refused_then_corrected() -> None:
    date_keys = Keys.CTRL_U + line("2026-02-30") + Keys.CTRL_U + line("+3 weeks")
    start(*FIRST_STAGE, line("7"), date_keys, Keys.CTRL_C)
    assert only_session().answers["start_on"] == "2026-03-23"


def test_a_date_default_is_prefilled_and_can_be_edited() -> None:
    # the default (+2 weeks) is in the box: backspace the day and type another
    edit = Keys.BACKSPACE * 2 + line("20")
    start(*FIRST_STAGE, line("7"), edit, Keys.CTRL_C)
    assert only_session().answers["start_on"] == "2026-03-20"


def test_a_bad_number_is_refused_then_corrected() -> None:
    start(*FIRST_STAGE, line("seven"), Keys.CTRL_U + line("6.5"), Keys.CTRL_C)
    assert only_session().answers["confidence"] == 6.5


def test_the_followup_default_can_be_replaced_with_a_relative_date() -> None:
    plan = [*PLAN_STAGE[:-1], Keys.CTRL_U + line("+6 weeks")]
    result = start(*FIRST_STAGE, *SECOND_STAGE, *plan)
    assert result.exit_code == 0, result.output
    assert only_session().followup == "2026-04-13"


def test_actions_are_entered_one_at_a_time_until_what_is_left_empty() -> None:
    plan = [
        Keys.ENTER,  # an empty first action is refused: the question is required
        line("Give a talk"),
        line("+6 weeks"),
        line("Talk delivered"),
        line("Slide review"),
        line("Read a book"),
        line("not a date"),  # refused, the prompt stays
        Keys.CTRL_U + line("2026-05-01"),
        line(""),
        line(""),
        line(""),
        Keys.ENTER,
    ]
    result = start(*FIRST_STAGE, *SECOND_STAGE, *plan)
    assert result.exit_code == 0, result.output
    assert "Action 1 added, due Mon 2026-04-13." in result.stdout
    assert [(a["what"], a["due"], a["success"], a["support"]) for a in only_session().actions] == [
        ("Give a talk", "2026-04-13", "Talk delivered", "Slide review"),
        ("Read a book", "2026-05-01", "", ""),
    ]


def test_a_partial_answers_file_in_a_terminal_asks_only_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(
        "person: Kim\nanswers:\n  role: Engineer\n  story: A week\n  direction: Move\n"
        "  move_where: Research\n"
    )
    keys = [Keys.SPACE + Keys.ENTER, *SECOND_STAGE, *PLAN_STAGE]
    result = run_cli(["start", "-f", EVERY_TYPE, "--answers", str(path)], keys)
    assert result.exit_code == 0, result.output
    answers = only_session().answers
    assert answers["move_where"] == "Research"
    assert answers["interests"] == ["Mentoring"]
    assert answers["confidence"] == 7


def test_the_person_is_asked_when_not_given() -> None:
    result = start(Keys.ENTER, line("  Kim   Park "), Keys.CTRL_C, person=None)
    assert result.exit_code == 130
    assert only_session().person_name == "Kim Park"


# --------------------------------------------------------------------------- pausing


def test_ctrl_c_midway_pauses_and_resume_continues_at_the_first_unanswered() -> None:
    paused = start(*FIRST_STAGE, Keys.CTRL_C)
    assert paused.exit_code == 130
    session_id = session_id_in(paused.stdout)
    assert "stopped: conversation with Kim paused; 4 answers saved" in (paused.stderr)
    assert f"hint: continue where you left off with: topcli resume {session_id}" in paused.stderr
    assert "Traceback" not in paused.output
    assert only_session().status == "in_progress"

    resumed = run_cli(["resume", session_id], [*SECOND_STAGE, *PLAN_STAGE])
    assert resumed.exit_code == 0, resumed.output
    assert f"Resuming conversation {session_id} with Kim: 4 answers already saved." in (
        resumed.stdout
    )
    # the second stage is where it starts again; the first is not shown
    assert "Stage 1 of 3" not in resumed.stdout
    assert "Stage 2 of 3: Second things" in resumed.stdout
    session = only_session()
    assert session.is_complete
    assert session.answers["role"] == "Engineer"
    assert session.answers["confidence"] == 7


def test_resume_without_an_id_takes_the_latest_unfinished() -> None:
    start(line("Engineer"), Keys.CTRL_C)
    resumed = run_cli(["resume"], [block("A week."), *FIRST_STAGE[2:], Keys.CTRL_C])
    assert resumed.exit_code == 130
    assert set(only_session().answers) == {"role", "story", "direction", "interests"}


def test_end_of_input_pauses_like_ctrl_c() -> None:
    result = start(line("Engineer"))  # and then the keys run out
    assert result.exit_code == 130
    assert "paused (input ended); 1 answer saved" in result.stderr
    assert "topcli resume" in result.stderr


def test_ctrl_c_while_typing_actions_keeps_the_actions_already_entered() -> None:
    first_action = [line("Give a talk"), line("2026-04-01"), line("Delivered"), line("")]
    paused = start(*FIRST_STAGE, *SECOND_STAGE, *first_action, line("Half an act"), Keys.CTRL_C)
    assert paused.exit_code == 130
    session_id = session_id_in(paused.stdout)
    store = Store()
    whole, unfinished = split_draft(store.draft(session_id, "actions"))
    assert [a["what"] for a in whole] == ["Give a talk"]
    # the half-typed action is kept too (issue 8.3) and offered again: cleared here
    assert unfinished == {"what": "Half an act"}
    assert "actions" not in store.load(session_id).answers

    second_action = [
        Keys.CTRL_U + line("Read a book"),
        line("2026-05-01"),
        line(""),
        line(""),
        line(""),
    ]
    resumed = run_cli(["resume", session_id], [*second_action, Keys.ENTER])
    assert resumed.exit_code == 0, resumed.output
    assert "1 action kept from last time." in resumed.stdout
    assert [a["what"] for a in only_session().actions] == ["Give a talk", "Read a book"]
    assert store.draft(session_id, "actions") is None


def test_ctrl_c_at_the_person_prompt_creates_nothing() -> None:
    result = start(Keys.CTRL_C, person=None)
    assert result.exit_code == 130
    assert "stopped: nothing was saved yet (no conversation started)" in result.stderr
    assert Store().session_rows() == []


def test_interrupted_answers_survive_in_the_json_record() -> None:
    paused = start(line("Engineer"), block("Line one\nLine two"), Keys.CTRL_C)
    shown = run_cli(["sessions", "show", session_id_in(paused.stdout), "--json"])
    record = json.loads(shown.stdout)
    assert record["status"] == "in_progress"
    assert record["answers"] == {"role": "Engineer", "story": "Line one\nLine two"}


# --------------------------------------------------------------------------- TerminalPrompter


@pytest.fixture
def typed() -> Iterator[Any]:
    """Type keys into one TerminalPrompter.ask() and return the answer."""

    def ask(question: Question, *keys: str, default: Any = None, draft: Any = None) -> Any:
        kept: list[Any] = []
        with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
            pipe.send_text("".join(keys))
            pipe.close()
            prompter = TerminalPrompter(TODAY, console=Console(file=io.StringIO()))
            answer = prompter.ask(question, default, draft=draft, keep=kept.append)
        return answer, kept

    yield ask


def test_terminal_prompter_marks_optional_questions_and_parses_answers(typed: Any) -> None:
    question = Question(id="n", prompt="How many?", type="number", required=False)
    assert typed(question, line("")) == (None, [])
    assert typed(question, line("12")) == (12, [])


def test_terminal_prompter_confirm_default_is_taken_with_enter(typed: Any) -> None:
    question = Question(id="c", prompt="Sure?", type="confirm")
    assert typed(question, Keys.ENTER, default=False)[0] is False
    assert typed(question, Keys.ENTER)[0] is True
    assert typed(question, "n")[0] is False


def test_terminal_prompter_multiselect_starts_from_the_default(typed: Any) -> None:
    question = Question(id="m", prompt="Which?", type="multiselect", choices=("A", "B", "C"))
    answer, _ = typed(question, Keys.DOWN + Keys.SPACE + Keys.ENTER, default=["A"])
    assert answer == ["A", "B"]


def test_terminal_prompter_actions_keeps_each_action_as_a_draft(typed: Any) -> None:
    question = Question(id="acts", prompt="Actions?", type="actions", required=False)
    keys = [line("One"), line("today"), line(""), line(""), line("Two")]
    with pytest.raises(Interrupted, match="input ended"):
        typed(question, *keys)
    draft = [{"what": "Zero", "due": "2026-03-03", "success": "", "support": ""}]
    answer, kept = typed(question, line("One"), line("today"), line(""), line(""), line(""),
                         draft=draft)  # fmt: skip
    assert [a["what"] for a in answer] == ["Zero", "One"]
    assert kept == [answer]


def test_terminal_prompter_optional_actions_can_be_left_empty(typed: Any) -> None:
    question = Question(id="acts", prompt="Actions?", type="actions", required=False)
    assert typed(question, line("")) == ([], [])


def test_ctrl_c_and_ctrl_d_become_interrupted(typed: Any) -> None:
    question = Question(id="t", prompt="Text?")
    with pytest.raises(Interrupted, match="interrupted"):
        typed(question, Keys.CTRL_C)
    with pytest.raises(Interrupted, match="input ended"):
        typed(question, Keys.CTRL_D)


def test_a_long_question_is_wrapped_for_the_multi_line_prompt() -> None:
    text = "Looking back over your career so far, which moments are you proudest of, and why?"
    assert _wrap(text, 40).split("\n") == [
        "Looking back over your career so far,",
        "  which moments are you proudest of, and",
        "  why?",
    ]
    assert _wrap("Short?", 40) == "Short?"


def test_is_interactive_only_with_a_terminal_or_wired_input() -> None:
    assert not is_interactive()  # pytest's stdin is not a terminal
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        assert is_interactive()


# --------------------------------------------------------------------------- answers files


@pytest.fixture
def every_type() -> list[Question]:
    return [q for _, q in load_framework(EVERY_TYPE).questions()]


def test_scripted_prompter_answers_from_values_then_default_then_fallback() -> None:
    question = Question(id="a", prompt="A?")
    scripted = ScriptedPrompter({"a": "given"})
    assert scripted.ask(question, "default") == "given"
    assert scripted.ask(Question(id="b", prompt="B?"), "default") == "default"
    with pytest.raises(AnswerError, match="no person given"):
        scripted.ask_person()

    class Fallback:
        def ask(self, question: Question, default: Any, draft: Any, keep: Any) -> str:
            return f"typed {question.id}"

        def ask_person(self) -> str:
            return "Kim"

    with_fallback = ScriptedPrompter({"a": "given"}, Fallback())  # type: ignore[arg-type]
    assert with_fallback.ask(Question(id="b", prompt="B?"), None) == "typed b"
    assert with_fallback.ask_person() == "Kim"


def test_prepare_answers_parses_and_lists_what_is_missing(every_type: list[Question]) -> None:
    parsed, missing = prepare_answers(
        every_type, {"role": " Engineer ", "direction": "Move", "confidence": "7"}, TODAY, "f"
    )
    assert parsed == {"role": "Engineer", "direction": "Move", "confidence": 7}
    # move_where applies now; start_on, wants_mentor and followup have defaults;
    # mentor_wish and notes are optional
    assert [q.id for q in missing] == ["story", "move_where", "interests", "actions"]


def test_prepare_answers_uses_defaults_for_conditions(tmp_path: Path) -> None:
    # a confirm defaulting to yes makes its follow-on required, even when not in the file
    questions = [
        Question(id="needs_help", prompt="Help?", type="confirm", default=True),
        Question(id="what_help", prompt="What?", when=_condition("needs_help", True)),
    ]
    _, missing = prepare_answers(questions, {}, TODAY, "f")
    assert [q.id for q in missing] == ["what_help"]
    _, missing = prepare_answers(questions, {"needs_help": "no"}, TODAY, "f")
    assert missing == []


def test_prepare_answers_skips_what_a_resumed_conversation_has(every_type: list[Question]) -> None:
    answered = {"role": "x", "story": "y", "direction": "Stay", "interests": ["Course"]}
    _, missing = prepare_answers(every_type, {}, TODAY, "resume", answered=answered)
    assert [q.id for q in missing] == ["confidence", "actions"]


def test_an_unknown_question_id_in_a_file_is_named_with_its_line_and_a_suggestion(
    tmp_path: Path, every_type: list[Question]
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("person: Kim\nanswers:\n  role: Engineer\n  confidance: 7\n")
    given = load_answers_file(path)
    with pytest.raises(AnswerError) as caught:
        prepare_answers(every_type, given["answers"], TODAY, str(path))
    assert caught.value.message == (
        f"{path}:4:3: unknown question id 'confidance'; did you mean 'confidence'?"
    )
    assert caught.value.hint == "'topcli frameworks show ID' lists the question ids"


def test_a_wrong_value_in_a_file_goes_through_the_same_validation(
    tmp_path: Path, every_type: list[Question]
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("answers:\n  direction: Moving\n")
    with pytest.raises(AnswerError) as caught:
        prepare_answers(every_type, load_answers_file(path)["answers"], TODAY, str(path))
    assert caught.value.message == (
        f"{path}:2:3: answer to 'direction': 'Moving' is not a choice; did you mean 'Move'?"
    )
    assert caught.value.hint == "choose one of: Stay, Grow, Move"


def _condition(question: str, value: Any) -> Any:
    from topcli.framework import Condition

    return Condition(question, (value,))


def test_terminal_prompter_accepts_a_past_due_date_with_a_note() -> None:
    question = Question(id="acts", prompt="Actions?", type="actions", required=False)
    screen = io.StringIO()
    keys = [line("Old promise"), line("2026-02-01"), line(""), line(""), line("")]
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("".join(keys))
        pipe.close()
        prompter = TerminalPrompter(TODAY, console=Console(file=screen, width=200))
        answer = prompter.ask(question, None)
    assert [(a["what"], a["due"]) for a in answer] == [("Old promise", "2026-02-01")]
    assert "2026-02-01 is in the past; the action is kept and will show as overdue" in (
        screen.getvalue()
    )


def test_every_problem_in_an_answers_file_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "person: Kim\n"
        "framework: grow\n"
        "answers:\n"
        "  goal_progress: 12\n"
        "  followup: 2027-02-30\n"
        "  goal_statment: typo\n",
        encoding="utf-8",
    )
    result = run_cli(["start", "--answers", str(path), "--no-input"])
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert f"3 problems in {path}:" in message
    assert f"{path}:6:3: unknown question id 'goal_statment'" in message
    assert f"{path}:4:3: answer to 'goal_progress': 12 is more than 10" in message
    assert f"{path}:5:3: answer to 'followup': '2027-02-30' is not a date" in message
    assert "Traceback" not in result.output


def test_a_pause_keeps_every_answer_the_file_gave_and_resume_asks_only_the_rest(
    tmp_path: Path,
) -> None:
    path = tmp_path / "partial.yaml"
    path.write_text(
        "person: Kim\nframework: grow\nanswers:\n  goal_progress: 4\n  followup: '+2 months'\n",
        encoding="utf-8",
    )
    paused = run_cli(["start", "--answers", str(path)], Keys.CTRL_C)
    assert paused.exit_code == 130
    session = only_session()
    # the first question was still open, yet a later one from the file is already kept
    assert dict(session.answers) == {"goal_progress": 4, "followup": "2026-05-02"}
    resumed = run_cli(["resume"], Keys.CTRL_C)
    assert "2 answers already saved" in resumed.stdout
    assert "paused; 2 answers saved" in resumed.stderr
