"""Going back during a conversation, and a paused plan kept field by field.

Real key presses through the whole CLI (``run_cli``) on tests/data/core/every-type.yaml: role,
story, direction (select; Move asks move_where), interests | confidence, start_on, wants_mentor
(yes asks mentor_wish), notes | actions, followup.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from helpers import Keys, block, line, run_cli
from topcli.prompt_actions import draft_value, split_draft
from topcli.prompts import ScriptedPrompter
from topcli.runner import SessionRunner
from topcli.store import Store

EVERY_TYPE = str(Path(__file__).resolve().parent / "data" / "core" / "every-type.yaml")
BACK = "\x1b[5~"  # PageUp
ALT_UP = "\x1b[1;3A"

FIRST_STAGE = [line("Engineer"), block("A good week."), Keys.ENTER, Keys.SPACE + Keys.ENTER]
SECOND_STAGE = [line("7"), Keys.ENTER, Keys.ENTER, Keys.ESC_ENTER]
ONE_ACTION = [line("Give a talk"), line("2026-04-01"), line("Slides shared"), line("Review")]


def start(*keys: str) -> Any:
    return run_cli(["start", "--framework", EVERY_TYPE, "--person", "Kim"], list(keys))


def session_id_in(output: str) -> str:
    match = re.search(r"Conversation ([0-9a-f]{8}) with", output)
    assert match, output
    return match.group(1)


def record(session_id: str) -> dict[str, Any]:
    shown = run_cli(["sessions", "show", session_id, "--json"])
    assert shown.exit_code == 0, shown.output
    return dict(json.loads(shown.stdout))


def test_back_across_a_stage_boundary_shows_the_saved_answer_and_keeps_it() -> None:
    # at "How confident" (stage 2), back to the checkbox of stage 1: Enter keeps its ticks
    result = start(*FIRST_STAGE, BACK, Keys.ENTER, *SECOND_STAGE, *ONE_ACTION, line(""), Keys.ENTER)
    assert result.exit_code == 0, result.output
    # the stage is shown again when the walk goes back into it, and forward again
    assert result.output.count("Stage 1 of 3: First things") == 2
    assert result.output.count("Stage 2 of 3: Second things") == 2
    answers = record(session_id_in(result.output))["answers"]
    assert answers["interests"] == ["Mentoring"]
    assert answers["confidence"] == 7


def test_back_twice_then_a_changed_answer_and_the_next_one_kept() -> None:
    # at the checkbox: back to the select (Enter keeps Grow), back to the story, changed;
    # forward again: the select and the checkbox offer their answers
    keys = [
        line("Engineer"),
        block("A good week."),
        Keys.ENTER,
        BACK,
        BACK,
        Keys.CTRL_U,
        block("A better week."),
        Keys.ENTER,
        Keys.SPACE + Keys.ENTER,
        Keys.CTRL_C,
    ]
    result = start(*keys)
    answers = record(session_id_in(result.output))["answers"]
    assert answers["story"] == "A better week."
    assert answers["direction"] == "Grow"
    assert answers["interests"] == ["Mentoring"]


def test_alt_up_goes_back_too_and_a_changed_pick_is_saved() -> None:
    # the checkbox offers its saved ticks: Down, Space adds the second choice
    result = start(*FIRST_STAGE, ALT_UP, Keys.DOWN + Keys.SPACE + Keys.ENTER, Keys.CTRL_C)
    assert record(session_id_in(result.output))["answers"]["interests"] == [
        "Mentoring",
        "Course",
    ]


def test_back_at_the_first_question_asks_it_again() -> None:
    result = start(BACK, BACK, line("Engineer"), Keys.CTRL_C)
    assert result.exit_code == 130
    assert record(session_id_in(result.output))["answers"] == {"role": "Engineer"}


def test_a_when_that_flips_off_removes_the_answer_it_no_longer_asks_for() -> None:
    move = Keys.DOWN + Keys.ENTER  # Grow -> Move: "Where would you move?" is asked
    stay = Keys.UP + Keys.UP + Keys.ENTER  # Move -> Stay
    keys = [line("Engineer"), block("A week."), move, line("Research"), BACK, BACK, stay]
    result = start(*keys, Keys.SPACE + Keys.ENTER, Keys.CTRL_C)
    session_id = session_id_in(result.output)
    kept = record(session_id)
    assert kept["answers"]["direction"] == "Stay"
    assert "move_where" not in kept["answers"]
    assert "move_where" not in kept["answered_at"]
    assert kept["answers"]["interests"] == ["Mentoring"]
    # and it is gone from every export
    exported = run_cli(["plan", "export", session_id, "--md"])
    assert "Research" not in exported.output


def test_a_when_that_flips_on_asks_the_question_that_now_applies() -> None:
    # wants_mentor: no, then back from notes to it and yes: mentor_wish is asked
    second = [line("7"), Keys.ENTER, Keys.ENTER, BACK, "y", line("Roadmaps"), Keys.ESC_ENTER]
    result = start(*FIRST_STAGE, *second, Keys.CTRL_C)
    answers = record(session_id_in(result.output))["answers"]
    assert answers["wants_mentor"] is True
    assert answers["mentor_wish"] == "Roadmaps"
    assert answers["notes"] is None


def test_back_inside_an_action_moves_field_by_field_and_keeps_what_was_typed() -> None:
    # at "how will we know": back to "by when" (changed), forward, then back from action 2's
    # "what" into action 1's last field
    action = [
        line("Give a talk"),
        line("2026-04-01"),
        BACK,
        Keys.CTRL_U + line("+6 weeks"),
        line("Slides shared"),
        line("Review"),
        BACK,
        Keys.CTRL_U + line("Pairing"),
        line(""),
        Keys.ENTER,
    ]
    result = start(*FIRST_STAGE, *SECOND_STAGE, *action)
    assert result.exit_code == 0, result.output
    actions = record(session_id_in(result.output))["answers"]["actions"]
    assert [(a["what"], a["due"], a["success"], a["support"]) for a in actions] == [
        ("Give a talk", "2026-04-13", "Slides shared", "Pairing")
    ]


def test_back_from_the_first_field_of_the_first_action_asks_the_question_before() -> None:
    # notes (optional, long) is the question before the actions: changed, then on to the plan
    keys = [
        *FIRST_STAGE,
        *SECOND_STAGE,
        line("Give a t"),
        BACK,
        BACK,
        block("Changed notes"),
        Keys.CTRL_U + line("Give a talk"),
        line("2026-04-01"),
        line(""),
        line(""),
        line(""),
        Keys.ENTER,
    ]
    result = start(*keys)
    assert result.exit_code == 0, result.output
    answers = record(session_id_in(result.output))["answers"]
    assert answers["notes"] == "Changed notes"
    # the half-typed action was kept while away and offered again on the way back
    assert [a["what"] for a in answers["actions"]] == ["Give a talk"]


def test_back_into_a_saved_plan_keeps_its_actions_and_their_ids() -> None:
    paused = start(*FIRST_STAGE, *SECOND_STAGE, *ONE_ACTION, line(""), Keys.CTRL_C)
    session_id = session_id_in(paused.output)
    before = record(session_id)["answers"]["actions"]
    # resumed at the follow-up: back into the plan, which offers the saved action; none added
    resumed = run_cli(["resume", session_id], [BACK, line(""), Keys.ENTER])
    assert resumed.exit_code == 0, resumed.output
    assert "1 action kept from last time." in resumed.output
    after = record(session_id)["answers"]["actions"]
    assert [(a["id"], a["what"]) for a in after] == [(before[0]["id"], "Give a talk")]


def test_ctrl_c_mid_action_keeps_the_fields_typed_and_resume_offers_them() -> None:
    typed = [line("Give a talk"), line("+4 weeks")]
    paused = start(*FIRST_STAGE, *SECOND_STAGE, *typed, "Half", Keys.CTRL_C)
    assert paused.exit_code == 130
    session_id = session_id_in(paused.output)
    whole, unfinished = split_draft(Store().draft(session_id, "actions"))
    # the relative date is kept as the date it was on the day it was typed
    assert (whole, unfinished) == ([], {"what": "Give a talk", "due": "2026-03-30"})

    shown = run_cli(["sessions", "show", session_id])
    assert shown.exit_code == 0, shown.output
    assert "Draft: What will you do, and by when?" in shown.output
    assert "Give a talk" in shown.output and "2026-03-30" in shown.output
    assert "unfinished" in shown.output

    resumed = run_cli(
        ["resume", session_id],
        [Keys.ENTER, Keys.ENTER, line("Delivered"), line(""), line(""), Keys.ENTER],
    )
    assert resumed.exit_code == 0, resumed.output
    assert "Action 1 was half-typed" in resumed.output
    actions = record(session_id)["answers"]["actions"]
    assert [(a["what"], a["due"], a["success"]) for a in actions] == [
        ("Give a talk", "2026-03-30", "Delivered")
    ]
    assert Store().draft(session_id, "actions") is None


def test_sessions_show_lists_saved_actions_and_the_draft_of_a_paused_plan() -> None:
    paused = start(*FIRST_STAGE, *SECOND_STAGE, *ONE_ACTION, line("Read a book"), Keys.CTRL_C)
    shown = run_cli(["sessions", "show", session_id_in(paused.output)])
    assert shown.exit_code == 0, shown.output
    draft = shown.output[shown.output.index("Draft:") :]
    assert "Give a talk" in draft and "typed" in draft
    assert "Read a book" in draft and "unfinished" in draft
    assert "Not finished: continue with topcli resume" in shown.output


def test_forget_answers_removes_answers_actions_and_drafts() -> None:
    result = start(*FIRST_STAGE, *SECOND_STAGE, *ONE_ACTION, line(""), Keys.ENTER)
    session_id = session_id_in(result.output)
    store = Store()
    store.save_draft(session_id, "notes", "half")
    store.forget_answers(session_id, ["actions", "notes"])
    store.forget_answers(session_id, [])
    session = store.load(session_id)
    assert "actions" not in session.answers and "notes" not in session.answers
    assert session.actions == [] and store.draft(session_id, "notes") is None
    assert session.answers["role"] == "Engineer"


def test_a_scripted_conversation_never_goes_back(tmp_path: Path) -> None:
    # the answers-file path runs the same walk, straight through
    answers = tmp_path / "answers.yaml"
    answers.write_text("answers:\n  role: Engineer\n")
    started = run_cli(
        ["start", "--framework", EVERY_TYPE, "--person", "Kim", "--answers", str(answers)],
        [Keys.CTRL_C],
    )
    session_id = session_id_in(started.output)
    store = Store()
    values = {
        "story": "A week.",
        "interests": ["Course"],
        "confidence": 3,
        "actions": [{"what": "Read", "due": "2026-04-01", "success": "", "support": ""}],
    }
    done = SessionRunner(store, ScriptedPrompter(values), date(2026, 3, 2)).run(session_id)
    assert done.is_complete
    assert done.answers["direction"] == "Grow" and done.answers["confidence"] == 3


def test_a_draft_from_before_this_release_reads_as_whole_actions() -> None:
    old = [{"what": "Read", "due": "2026-04-01", "success": "", "support": ""}]
    assert split_draft(old) == (old, {})
    assert split_draft(None) == ([], {})
    assert split_draft(draft_value(old, {"what": "Half", "due": ""})) == (old, {"what": "Half"})
    assert draft_value(old, {"what": ""}) == old
