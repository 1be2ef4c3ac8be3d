"""``topcli sessions edit``: correcting answers afterwards, by key presses and with ``--set``.

Each edit goes through the stored framework snapshot and ``Question.parse``, re-evaluates the
``when`` conditions, is written in one transaction (Ctrl-C changes nothing), is recorded in the
``edits`` table and raises the conversation's ``updated_at``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from helpers import Keys, block, cli, line, run_cli, seed
from topcli.store import DB_NAME, Store

EXPLORE = "Explore something new; I am not sure yet"


@pytest.fixture
def alex(monkeypatch: pytest.MonkeyPatch) -> str:
    """Alex Kim's conversation (held 2026-01-05; the suite's clock is 2026-03-02)."""
    seed(monkeypatch, "alex-first.yaml")
    return str(Store().session_rows()[0]["id"])


def stored(session_id: str) -> Any:
    return Store().load(session_id)


def edits(session_id: str) -> list[dict[str, Any]]:
    return Store().session_edits(session_id)


def test_a_typo_is_fixed_by_re_asking_the_question_with_its_answer_as_default(alex: str) -> None:
    before = stored(alex)
    result = run_cli(
        ["sessions", "edit", alex, "success_definition"],
        Keys.CTRL_U + line("Work I am really proud of"),
    )
    assert result.exit_code == 0, result.output
    assert "Changed success_definition: Work I am proud of. → Work I am really proud of" in (
        result.stdout
    )
    after = stored(alex)
    assert after.answers["success_definition"] == "Work I am really proud of"
    assert after.updated_at > before.updated_at
    assert [e["what"] for e in edits(alex)] == ["changed success_definition"]
    assert edits(alex)[0]["at"] == after.updated_at
    # the answer keeps its place in the export (answers are listed as first given)
    assert list(after.to_dict()["answers"]) == list(before.to_dict()["answers"])


def test_pressing_enter_keeps_the_current_answer_and_changes_nothing(alex: str) -> None:
    before = stored(alex)
    result = run_cli(["sessions", "edit", alex, "success_definition"], Keys.ENTER)
    assert result.exit_code == 0, result.output
    assert "Nothing changed." in result.stdout
    assert stored(alex).updated_at == before.updated_at
    assert edits(alex) == []


def test_the_back_key_in_sessions_edit_steps_to_the_question_before(alex: str) -> None:
    """PageUp re-asks the question edited before (it used to be an internal error)."""
    page_up = "\x1b[5~"
    keys = (
        Keys.CTRL_U
        + block("First try")  # career_so_far
        + page_up  # at success_definition: back to career_so_far
        + Keys.CTRL_U
        + block("Second try")
        + Keys.ENTER  # success_definition kept
    )
    result = run_cli(["sessions", "edit", alex, "career_so_far", "success_definition"], keys)
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output
    assert stored(alex).answers["career_so_far"] == "Second try"


def test_without_question_ids_a_picker_offers_the_answered_questions(alex: str) -> None:
    # the first answered question is career_so_far (a long answer)
    result = run_cli(["sessions", "edit", alex], Keys.ENTER + Keys.CTRL_U + block("Shipping v2."))
    assert result.exit_code == 0, result.output
    assert stored(alex).answers["career_so_far"] == "Shipping v2."


def test_the_picker_leaves_out_the_actions_question(alex: str) -> None:
    from topcli.editing import pick_question

    class Recorder:
        def choose(self, message: str, choices: Any, *, key: str | None = None) -> Any:
            self.choices = choices
            return choices[0][1]

    recorder = Recorder()
    pick_question(stored(alex), recorder)  # type: ignore[arg-type]
    ids = [value for _, value in recorder.choices]
    assert "actions" not in ids and "uncertainty" not in ids
    assert ids[0] == "career_so_far" and "followup" in ids


def test_set_changes_answers_without_a_terminal(alex: str) -> None:
    result = cli(
        "sessions",
        "edit",
        alex[:4],
        "--set",
        "learning_style=By doing",
        "--set",
        "opportunity_types=Mentoring,Coaching",
        "--set",
        "mentor_profile=Sam, for design reviews",
    )
    assert result.exit_code == 0, result.output
    answers = stored(alex).answers
    assert answers["learning_style"] == "By doing"
    assert answers["opportunity_types"] == ["Mentoring", "Coaching"]
    # newly applying because of the change in the same edit
    assert answers["mentor_profile"] == "Sam, for design reviews"


def test_a_when_that_flips_off_removes_the_answers_that_no_longer_apply(alex: str) -> None:
    result = cli(
        "sessions",
        "edit",
        alex,
        "--set",
        f"career_direction={EXPLORE}",
        "--set",
        "uncertainty=A few small projects",
    )
    assert result.exit_code == 0, result.output
    assert stored(alex).answers["uncertainty"] == "A few small projects"
    result = cli(
        "sessions", "edit", alex, "--set", "career_direction=Grow deeper in my current role"
    )
    assert result.exit_code == 0, result.output
    assert "Removed the answer to uncertainty: it no longer applies." in result.stdout
    session = stored(alex)
    assert "uncertainty" not in session.answers
    assert "uncertainty" not in session.to_dict()["answers"]
    assert edits(alex)[-1]["what"] == (
        "changed career_direction; removed uncertainty (no longer asked)"
    )


def test_a_when_that_flips_on_asks_the_new_question_in_a_terminal(alex: str) -> None:
    # career_direction's current answer is the first choice; the fourth is "Explore"
    keys = Keys.DOWN * 3 + Keys.ENTER + block("Talk to two other teams.")
    result = run_cli(["sessions", "edit", alex, "career_direction"], keys)
    assert result.exit_code == 0, result.output
    answers = stored(alex).answers
    assert answers["career_direction"] == EXPLORE
    assert answers["uncertainty"] == "Talk to two other teams."
    assert "Answered uncertainty: Talk to two other teams." in result.stdout


def test_a_when_that_flips_on_without_a_terminal_lists_what_is_missing(alex: str) -> None:
    before = stored(alex)
    result = cli("sessions", "edit", alex, "--set", f"career_direction={EXPLORE}")
    assert result.exit_code == 2
    assert "uncertainty: What would help you become clearer" in result.stderr
    assert "nothing was changed" in result.stderr
    assert "--set uncertainty=VALUE" in result.stderr
    assert stored(alex) == before


def test_an_unknown_question_id_gets_did_you_mean(alex: str) -> None:
    result = cli("sessions", "edit", alex, "--set", "carer_direction=x")
    assert result.exit_code == 2
    assert "has no question 'carer_direction'; did you mean 'career_direction'?" in (result.stderr)
    result = run_cli(["sessions", "edit", alex, "sucess_definition"])
    assert result.exit_code == 2
    assert "did you mean 'success_definition'?" in result.stderr


def test_a_question_that_does_not_apply_is_refused_with_what_it_depends_on(alex: str) -> None:
    result = cli("sessions", "edit", alex, "--set", "uncertainty=x")
    assert result.exit_code == 2
    assert "it is asked only when 'career_direction' is" in result.stderr
    assert f"topcli sessions edit {alex} career_direction" in result.stderr


def test_the_actions_question_points_to_actions_edit(alex: str) -> None:
    result = run_cli(["sessions", "edit", alex, "actions"])
    assert result.exit_code == 2
    assert "topcli actions edit ACTION_ID" in result.stderr


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("career_direction=Sideways", "'Sideways' is not a choice"),
        ("learning_style", "is not QUESTION_ID=VALUE"),
        ("=x", "is not QUESTION_ID=VALUE"),
        ("success_definition=", "an answer is needed"),
        ("success_definition=a\x00b", "NUL"),
    ],
)
def test_bad_set_values_are_refused_and_nothing_changes(
    alex: str, setting: str, message: str
) -> None:
    before = stored(alex)
    result = cli("sessions", "edit", alex, "--set", setting)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert stored(alex) == before


def test_without_a_terminal_the_questions_to_ask_need_set(alex: str) -> None:
    for args in ([], ["learning_style"]):
        result = cli("sessions", "edit", alex, *args)
        assert result.exit_code == 2
        assert "--set QUESTION_ID=VALUE" in result.stderr


def test_an_unknown_conversation_is_not_found(alex: str) -> None:
    result = cli("sessions", "edit", "ffffffff", "--set", "learning_style=x")
    assert result.exit_code == 4


def test_ctrl_c_part_way_through_changes_nothing(alex: str) -> None:
    before = stored(alex)
    # the first question is answered, the second interrupted: neither is written
    keys = Keys.CTRL_U + line("Changed") + Keys.CTRL_C
    result = run_cli(["sessions", "edit", alex, "success_definition", "learning_style"], keys)
    assert result.exit_code == 130
    assert "nothing was changed" in result.stderr
    assert "Traceback" not in result.output
    assert stored(alex) == before
    assert edits(alex) == []


def test_end_of_input_inside_an_edit_changes_nothing(alex: str) -> None:
    before = stored(alex)
    result = run_cli(["sessions", "edit", alex, "success_definition"], Keys.CTRL_U + "half")
    assert result.exit_code == 130
    assert "nothing was changed" in result.stderr
    assert stored(alex) == before


FRAMEWORK = """\
id: tiny
name: Tiny
version: "{version}"
stages:
  - id: only
    title: Only
    questions:
      - id: mood
        prompt: How are you?
        type: select
        choices: [{choices}]
      - id: followup
        prompt: When next?
        type: followup
"""


def test_the_conversations_own_framework_snapshot_is_used_not_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    framework = tmp_path / "tiny.yaml"
    framework.write_text(FRAMEWORK.format(version="1", choices="Good, Tired"))
    answers = tmp_path / "answers.yaml"
    answers.write_text("person: Kim\nanswers:\n  mood: Good\n  followup: 2026-04-01\n")
    result = cli("start", "--framework", str(framework), "--answers", str(answers), "--no-input")
    assert result.exit_code == 0, result.output
    session_id = str(Store().session_rows()[0]["id"])
    # the file changes afterwards: a choice renamed, another added
    framework.write_text(FRAMEWORK.format(version="2", choices="Great, Tired, Busy"))
    assert cli("sessions", "edit", session_id, "--set", "mood=Busy").exit_code == 2
    result = cli("sessions", "edit", session_id, "--set", "mood=Tired")
    assert result.exit_code == 0, result.output
    session = stored(session_id)
    assert session.answers["mood"] == "Tired"
    assert session.framework.version == "1"


def test_editing_the_follow_up_answer_keeps_the_listing_column_in_step(alex: str) -> None:
    result = cli("sessions", "edit", alex, "--set", "followup=+2 weeks")
    assert result.exit_code == 0, result.output
    assert Store().session_row(alex)["followup"] == "2026-03-16"
    assert stored(alex).followup == "2026-03-16"


def test_every_edit_raises_updated_at_even_with_a_fixed_clock(alex: str) -> None:
    stamps = [stored(alex).updated_at]
    for value in ("One", "Two", "Three"):
        assert cli("sessions", "edit", alex, "--set", f"first_step={value}").exit_code == 0
        stamps.append(stored(alex).updated_at)
    assert stamps == sorted(stamps) and len(set(stamps)) == 4


def test_raised_stamp_is_now_or_a_second_after_the_latest_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from topcli.store.edits import raised_stamp

    monkeypatch.setenv("TOPCLI_NOW", "2026-03-02T09:00:00+00:00")
    assert raised_stamp("2026-03-01T09:00:00+00:00") == "2026-03-02T09:00:00+00:00"
    # another offset, the same instant: one second later
    assert raised_stamp("2026-03-02T10:00:00+01:00") == "2026-03-02T09:00:01+00:00"
    assert raised_stamp("2026-03-02T09:00:05+00:00", "") == "2026-03-02T09:00:06+00:00"


def test_a_migrated_0_1_0_database_has_the_edits_table(home: Path) -> None:
    import shutil

    release = Path(__file__).resolve().parent / "data" / "releases" / "0.1.0"
    home.mkdir(mode=0o700)
    shutil.copyfile(release / DB_NAME, home / DB_NAME)
    store = Store()
    session_id = str(store.session_rows()[0]["id"])
    store.record_edit(session_id, "a test")
    assert store.session_edits(session_id)[0]["what"] == "a test"
    db = sqlite3.connect(home / DB_NAME)
    try:
        plan = db.execute(
            "EXPLAIN QUERY PLAN SELECT at, what FROM edits WHERE session_id = ? ORDER BY id",
            ("x",),
        ).fetchall()
    finally:
        db.close()
    assert any("edits_by_session" in str(row) for row in plan)


def test_deleting_a_conversation_deletes_its_edits(alex: str) -> None:
    assert cli("sessions", "edit", alex, "--set", "first_step=One").exit_code == 0
    assert cli("sessions", "delete", alex, "--yes").exit_code == 0
    count = Store().db.execute("SELECT COUNT(*) AS n FROM edits").fetchone()["n"]
    assert count == 0


def test_ctrl_c_at_the_picker_changes_nothing(alex: str) -> None:
    before = stored(alex)
    result = run_cli(["sessions", "edit", alex], Keys.CTRL_C)
    assert result.exit_code == 130
    assert "nothing was changed" in result.stderr
    assert stored(alex) == before


@pytest.mark.e2e
def test_an_answer_is_corrected_in_a_real_terminal(alex: str, home: Path) -> None:
    from conftest import FIXED_NOW
    from helpers import Terminal, terminal_env

    terminal = Terminal(["sessions", "edit", alex[:4]], terminal_env(home, FIXED_NOW))
    terminal.expect("Which answer do you want to change?")
    terminal.keys(Keys.DOWN * 7, Keys.ENTER)  # the eighth answered question: success_definition
    terminal.expect("successful career in your own words?")  # whole: the picker shortens it
    terminal.keys(Keys.CTRL_U, line("Work that matters"))
    terminal.expect("Changed success_definition")
    assert terminal.finish() == 0, terminal.output()
    assert stored(alex).answers["success_definition"] == "Work that matters"


def test_a_paused_conversation_leaves_newly_applying_questions_to_resume(alex: str) -> None:
    store = Store()
    framework = store.load(alex).framework
    paused = store.create_session(store.add_person("Kim")["id"], framework)
    store.save_answer(
        paused, framework.question("career_direction"), "Grow deeper in my current role"
    )
    result = cli("sessions", "edit", paused, "--set", f"career_direction={EXPLORE}")
    assert result.exit_code == 0, result.output
    session = stored(paused)
    assert session.answers == {"career_direction": EXPLORE}
    assert session.status == "in_progress"
