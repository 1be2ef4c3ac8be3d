"""The note key (Alt-N, or Esc then n): a private note at any question of a conversation.

Real key presses through the whole CLI (``run_cli``). In TOP the note goes to the stage's own
private question ("Your own notes on the Think stage"), appended; in a framework without private
questions it becomes the answer to ``<stage>_private_notes``, added to the conversation's
snapshot. Either way the interrupted question comes back with what was typed, and the note is
shown as private, kept in the JSON backup and left out of every shared export.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import Keys, block, line, run_cli, seed
from topcli.errors import FrameworkError
from topcli.framework import Question
from topcli.loader import load_framework
from topcli.prompt_keys import KEYS_HINT, LONG_TEXT_HINT, NOTE_KEY, long_text_hint
from topcli.prompts import ScriptedPrompter
from topcli.store import Store

DATA = Path(__file__).resolve().parent / "data" / "core"
EVERY_TYPE = str(DATA / "every-type.yaml")
NOTE = "\x1bn"  # Alt-N as a terminal sends it with "meta sends escape"; also Esc then n
NOTE_TEXT = "PRIVATE-KEY seemed tired\nask about on-call"
MARKS = ("PRIVATE-KEY", "on-call")
ONE_ACTION = [line("Give a talk"), line("2026-04-01"), line("Slides shared"), line("Review")]


def session_id_in(output: str) -> str:
    match = re.search(r"Conversation ([0-9a-f]{8}) with", output)
    assert match, output
    return match.group(1)


def record(session_id: str) -> dict[str, Any]:
    shown = run_cli(["sessions", "show", session_id, "--json"])
    assert shown.exit_code == 0, shown.output
    return dict(json.loads(shown.stdout))


def export(*args: str) -> str:
    result = run_cli(["plan", "export", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def top_answers(
    tmp_path: Path, unanswered: tuple[str, ...] = ("success_definition",), **changes: Any
) -> Path:
    """TOP's answers file with every question answered but ``unanswered``."""
    data = yaml.safe_load((DATA / "answers-top.yaml").read_text(encoding="utf-8"))
    answers = data["answers"]
    for question_id in unanswered:
        del answers[question_id]
    answers.update(
        opportunity_concerns="None.",
        opportunities_leader_notes="Fine.",
        plan_leader_notes="Fine.",
        checkin_rhythm="Monthly",
        followup="2026-06-01",
    )
    answers.update(changes)
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_note_at_a_text_question_is_appended_to_the_stages_private_notes(
    tmp_path: Path,
) -> None:
    # typed "Grow", the note key, the note, then the question again: " steadily" finishes it
    answers = top_answers(tmp_path, think_leader_notes="Earlier note.")
    keys = ["Grow", NOTE, block(NOTE_TEXT), line(" steadily")]
    result = run_cli(["start", "--answers", str(answers)], keys)
    assert result.exit_code == 0, result.output
    assert "Private note kept; back to the question." in result.output
    answers_now = record(session_id_in(result.output))["answers"]
    assert answers_now["success_definition"] == "Grow steadily"  # nothing typed was lost
    assert answers_now["think_leader_notes"] == "Earlier note.\n\n" + NOTE_TEXT


def test_an_unanswered_private_question_is_still_asked_with_the_note(tmp_path: Path) -> None:
    # Think's own notes question had no answer: it is asked when reached, the note offered;
    # a second line is added to it there
    answers = top_answers(tmp_path)
    assert "think_leader_notes" not in yaml.safe_load(answers.read_text())["answers"]
    keys = [NOTE, block("first"), line("Grow"), block("\nsecond")]
    result = run_cli(["start", "--answers", str(answers)], keys)
    assert result.exit_code == 0, result.output
    answers_now = record(session_id_in(result.output))["answers"]
    assert answers_now["success_definition"] == "Grow"
    assert answers_now["think_leader_notes"] == "first\nsecond"


def test_an_empty_note_keeps_nothing_and_the_question_comes_back(tmp_path: Path) -> None:
    answers = top_answers(tmp_path, think_leader_notes="Earlier note.")
    result = run_cli(["start", "--answers", str(answers)], ["Gr", NOTE, Keys.ESC_ENTER, line("ow")])
    assert result.exit_code == 0, result.output
    assert "No note added." in result.output
    answers_now = record(session_id_in(result.output))["answers"]
    assert answers_now["success_definition"] == "Grow"
    assert answers_now["think_leader_notes"] == "Earlier note."


def hold_every_type_with_a_note() -> str:
    """every-type.yaml (no private question): a note at its first question, "role"."""
    keys = [
        "Eng",
        NOTE,
        block(NOTE_TEXT),
        line("ineer"),
        block("A good week."),
        Keys.ENTER,
        Keys.SPACE + Keys.ENTER,
        line("7"),
        Keys.ENTER,
        Keys.ENTER,
        Keys.ESC_ENTER,
        *ONE_ACTION,
        line(""),
        Keys.ENTER,
    ]
    result = run_cli(["start", "--framework", EVERY_TYPE, "--person", "Kim"], keys)
    assert result.exit_code == 0, result.output
    return session_id_in(result.output)


def test_a_note_without_a_private_question_adds_one_to_the_snapshot() -> None:
    session_id = hold_every_type_with_a_note()
    shown = record(session_id)
    assert shown["answers"]["role"] == "Engineer"
    assert shown["answers"]["first_private_notes"] == NOTE_TEXT
    stored = Store().load(session_id)
    (stage,) = [s for s in stored.framework.stages if s.id == "first"]
    added = stage.questions[-1]  # at the end of the stage the note was taken in
    assert (added.id, added.type, added.required, added.private) == (
        "first_private_notes",
        "long_text",
        False,
        True,
    )
    assert added.prompt == "Private notes"
    assert stored.is_private("first_private_notes")


def test_the_note_is_private_in_show_kept_in_json_and_in_no_shared_export() -> None:
    session_id = hold_every_type_with_a_note()
    shown = run_cli(["sessions", "show", session_id])
    assert shown.exit_code == 0, shown.output
    assert "PRIVATE-KEY" in shown.stdout
    noted_line = next(row for row in shown.stdout.splitlines() if "Private notes" in row)
    assert "(private)" in noted_line
    backup = json.loads(export("--json"))
    assert backup["answers"]["first_private_notes"] == NOTE_TEXT
    for args in (["--md"], ["--md", "--full"], ["--ics"]):
        text = export(*args)
        for mark in MARKS:
            assert mark not in text, args


def test_a_note_in_an_action_field_keeps_the_action_typed_so_far() -> None:
    first_stage = [line("Engineer"), block("A good week."), Keys.ENTER, Keys.SPACE + Keys.ENTER]
    second_stage = [line("7"), Keys.ENTER, Keys.ENTER, Keys.ESC_ENTER]
    keys = [
        *first_stage,
        *second_stage,
        line("Give a talk"),
        "2026-04-",
        NOTE,
        block("plan note"),
        # asked again from the draft: each field typed so far is offered
        Keys.ENTER,
        line("01"),
        line("Slides shared"),
        line("Review"),
        line(""),
        Keys.ENTER,
    ]
    result = run_cli(["start", "--framework", EVERY_TYPE, "--person", "Kim"], keys)
    assert result.exit_code == 0, result.output
    answers = record(session_id_in(result.output))["answers"]
    assert answers["plan_private_notes"] == "plan note"
    assert [a["what"] for a in answers["actions"]] == ["Give a talk"]
    assert answers["actions"][0]["due"] == "2026-04-01"


@pytest.mark.parametrize("hint", [KEYS_HINT, LONG_TEXT_HINT])
def test_the_key_is_shown_at_the_start_and_in_the_multi_line_hint(hint: str) -> None:
    assert "Alt-N" in NOTE_KEY and "Esc then n" in NOTE_KEY
    assert NOTE_KEY in hint


def test_an_answers_file_alone_never_takes_a_note(tmp_path: Path) -> None:
    # no terminal: the scripted prompter answers everything and adds no private question
    path = tmp_path / "answers.yaml"
    answers = {"role": "Engineer", "story": "A good week", "interests": ["Course"]}
    answers.update(confidence=7, actions=[{"what": "Enrol", "due": "today"}])
    path.write_text(yaml.safe_dump({"person": "Kim", "answers": answers}), encoding="utf-8")
    result = run_cli(["start", "--framework", EVERY_TYPE, "--answers", str(path), "--no-input"])
    assert result.exit_code == 0, result.output
    (row,) = Store().session_rows()
    stored = Store().load(row["id"])
    assert not any(question.private for _, question in stored.framework.questions())
    assert stored.framework == load_framework(DATA / "every-type.yaml")
    assert not hasattr(ScriptedPrompter, "ask_note")


@pytest.mark.parametrize(
    ("unanswered", "keys", "question_id", "expected"),
    [
        # the choice pointed at is pointed at again
        (
            ("career_direction", "uncertainty"),
            [Keys.DOWN, Keys.DOWN, NOTE, block("n"), Keys.ENTER],
            "career_direction",
            "Move sideways into a different area",
        ),
        # the boxes ticked stay ticked (the pointer starts at the top again)
        (
            ("opportunity_types", "mentor_profile"),
            [Keys.DOWN, Keys.SPACE, NOTE, block("n")] + [Keys.DOWN] * 2 + [Keys.SPACE, Keys.ENTER],
            "opportunity_types",
            ["Stretch assignment", "Lateral move"],
        ),
    ],
)
def test_a_note_at_a_list_or_checkbox_keeps_what_was_picked(
    tmp_path: Path, unanswered: tuple[str, ...], keys: list[str], question_id: str, expected: Any
) -> None:
    answers = top_answers(
        tmp_path, unanswered, success_definition="Growing", think_leader_notes="Fine."
    )
    result = run_cli(["start", "--answers", str(answers)], keys)
    assert result.exit_code == 0, result.output
    assert record(session_id_in(result.output))["answers"][question_id] == expected


def test_resuming_after_a_note_holds_the_added_question(tmp_path: Path) -> None:
    # a note at "role", then Ctrl-C at "story": resume finds the added question in the snapshot
    keys = ["Engineer", NOTE, block(NOTE_TEXT), Keys.ENTER, Keys.CTRL_C]
    result = run_cli(["start", "--framework", EVERY_TYPE, "--person", "Kim"], keys)
    assert result.exit_code != 0
    session_id = session_id_in(result.output)
    assert record(session_id)["answers"]["first_private_notes"] == NOTE_TEXT
    assert "first_private_notes" in Store().load(session_id).framework.question_ids()


def test_replace_snapshot_stores_it_content_keyed_and_checks_it(home: Path) -> None:
    framework = load_framework(DATA / "every-type.yaml")
    store = Store()
    ids = [
        store.create_session(store.person_for_new_session(name)["id"], framework)
        for name in ("Sam", "Kim")
    ]
    count = "SELECT COUNT(*) FROM snapshots"
    notes = Question("first_private_notes", "Private notes", "long_text", required=False)
    added = framework.with_question("first", notes)
    store.replace_snapshot(ids[0], added)
    assert store.db.execute(count).fetchone()[0] == 2  # Kim's conversation keeps the old one
    store.replace_snapshot(ids[1], added)
    assert store.db.execute(count).fetchone()[0] == 1  # one copy of the same content; old gone
    assert store.load(ids[1]).framework == added
    with pytest.raises(FrameworkError):  # a second question with the same id is refused
        store.replace_snapshot(ids[1], added.with_question("first", notes))
    assert store.load(ids[1]).framework == added
    store.close()


def test_the_note_key_is_off_where_no_conversation_is_held(monkeypatch: pytest.MonkeyPatch) -> None:
    # "sessions edit" asks a question again outside the runner: no stage to keep a note in, so
    # the key is not bound (Esc is ignored and n is typed), and nothing breaks
    seed(monkeypatch, "alex-first.yaml")
    session_id = str(Store().session_rows()[0]["id"])
    keys = Keys.CTRL_U + "Own it" + NOTE + line("ow")
    result = run_cli(["sessions", "edit", session_id, "success_definition"], keys)
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output
    assert Store().load(session_id).answers["success_definition"] == "Own itnow"
    assert LONG_TEXT_HINT.endswith(f"({NOTE_KEY}: a private note)")
    assert long_text_hint() == LONG_TEXT_HINT.rsplit("\n", 1)[0]  # no note key named there


def test_the_added_question_survives_a_backup_and_restore(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = hold_every_type_with_a_note()
    backup = tmp_path / "backup.json"
    assert run_cli(["plan", "export", "--json", "-o", str(backup)]).exit_code == 0
    monkeypatch.setenv("TOPCLI_HOME", str(tmp_path / "restored"))
    result = run_cli(["sessions", "import", str(backup)])
    assert result.exit_code == 0, result.output
    restored = Store().load(session_id)
    assert restored.answers["first_private_notes"] == NOTE_TEXT
    assert restored.is_private("first_private_notes")
    assert run_cli(["plan", "export", "--json"]).stdout == backup.read_text(encoding="utf-8")


def test_a_note_at_the_private_question_itself_follows_what_was_typed(tmp_path: Path) -> None:
    answers = top_answers(tmp_path, success_definition="Growing")
    keys = ["typed here", NOTE, block("and the note"), Keys.ESC_ENTER]
    result = run_cli(["start", "--answers", str(answers)], keys)
    assert result.exit_code == 0, result.output
    notes = record(session_id_in(result.output))["answers"]["think_leader_notes"]
    assert notes == "typed here\n\nand the note"
