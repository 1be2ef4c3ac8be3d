"""``topcli actions edit``, ``topcli plan reschedule``, and what calendars see afterwards.

An edit raises ``updated_at``, so the next ``.ics`` export carries a higher ``SEQUENCE`` and
``LAST-MODIFIED`` for the same UIDs; ``sessions import --replace`` of changed content does the
same, and of identical content changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import Keys, cli, line, run_cli, seed
from topcli.store import Store


@pytest.fixture
def alex(monkeypatch: pytest.MonkeyPatch) -> str:
    """Alex Kim's conversation (2026-01-05): one action due 2026-03-09, follow-up 2026-05-04."""
    seed(monkeypatch, "alex-first.yaml")
    return str(Store().session_rows()[0]["id"])


def action_of(session_id: str) -> dict[str, Any]:
    (action,) = Store().load(session_id).actions
    return action


# --------------------------------------------------------------------------- actions edit


def test_actions_edit_with_flags_changes_the_fields_and_notes_the_edit(alex: str) -> None:
    before = action_of(alex)
    result = cli(
        "actions", "edit", before["id"][:3], "--due", "+2w", "--what", "Audit every component"
    )
    assert result.exit_code == 0, result.output
    after = action_of(alex)
    assert after["id"] == before["id"]
    assert after["what"] == "Audit every component"
    assert after["due"] == "2026-03-16"  # today (2026-03-02) plus two weeks
    assert after["success"] == before["success"]
    assert after["notes"][-1]["text"] == (
        "Edited: what 'Audit the design components' → 'Audit every component'; "
        "due 2026-03-09 → 2026-03-16"
    )
    assert after["updated_at"] > before["updated_at"]
    assert Store().load(alex).updated_at >= after["updated_at"]
    assert "Edited: what" in result.stdout


def test_actions_edit_asks_each_field_with_its_current_value_when_no_flag_is_given(
    alex: str,
) -> None:
    keys = (
        Keys.CTRL_U
        + line("Audit every component")  # what
        + Keys.ENTER  # due: keep 2026-03-09
        + Keys.ENTER  # success: keep
        + line("Design time")  # support was empty
    )
    result = run_cli(["actions", "edit", action_of(alex)["id"]], keys)
    assert result.exit_code == 0, result.output
    after = action_of(alex)
    assert (after["what"], after["due"], after["success"], after["support"]) == (
        "Audit every component",
        "2026-03-09",
        "Audit shared",
        "Design time",
    )


def test_actions_edit_interactively_accepts_a_relative_due_date(alex: str) -> None:
    keys = Keys.ENTER + Keys.CTRL_U + line("+2w") + Keys.ENTER + Keys.ENTER
    result = run_cli(["actions", "edit", action_of(alex)["id"]], keys)
    assert result.exit_code == 0, result.output
    assert action_of(alex)["due"] == "2026-03-16"  # 2026-03-02 plus two weeks
    assert action_of(alex)["notes"][-1]["text"] == "Edited: due 2026-03-09 → 2026-03-16"


def test_a_due_date_in_the_past_is_allowed_with_a_warning(alex: str) -> None:
    result = cli("actions", "edit", action_of(alex)["id"], "--due", "2026-02-01")
    assert result.exit_code == 0, result.output
    assert "warning: 2026-02-01 is in the past" in result.stderr
    assert action_of(alex)["due"] == "2026-02-01"


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ("done", "is done; only open actions are edited"),
        ("dropped", "is dropped; only open actions are edited"),
        ("carried", "was carried over to a later plan"),
    ],
)
def test_a_closed_or_carried_action_is_refused_with_the_reason(
    alex: str, status: str, reason: str
) -> None:
    action_id = action_of(alex)["id"]
    Store().set_action_status(action_id, status)
    before = action_of(alex)
    result = cli("actions", "edit", action_id, "--due", "+1w")
    assert result.exit_code == 2
    assert reason in result.stderr
    assert action_of(alex) == before


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--due", "someday"], "'due'"),
        (["--what", " "], "'what' is required"),
        (["--due", "+3m"], "min"),
    ],
)
def test_bad_action_values_are_refused(alex: str, flags: list[str], message: str) -> None:
    before = action_of(alex)
    result = cli("actions", "edit", before["id"], *flags)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert action_of(alex) == before


def test_actions_edit_needs_a_flag_without_a_terminal(alex: str) -> None:
    result = cli("actions", "edit", action_of(alex)["id"])
    assert result.exit_code == 2
    assert "--what, --due, --success or --support" in result.stderr


def test_an_unknown_action_is_not_found(alex: str) -> None:
    assert cli("actions", "edit", "zzzzzz", "--due", "+1w").exit_code == 4


def test_ctrl_c_inside_an_action_edit_changes_nothing(alex: str) -> None:
    before = action_of(alex)
    keys = Keys.CTRL_U + line("Half typed") + Keys.CTRL_C
    result = run_cli(["actions", "edit", before["id"]], keys)
    assert result.exit_code == 130
    assert "nothing was changed" in result.stderr
    assert action_of(alex) == before


# --------------------------------------------------------------------------- plan reschedule


def test_reschedule_moves_the_latest_follow_up_by_a_relative_date(alex: str) -> None:
    before = Store().load(alex)
    result = cli("plan", "reschedule", "+2", "weeks")  # unquoted: two words, one date
    assert result.exit_code == 0, result.output
    after = Store().load(alex)
    # an offset pushes the follow-up (2026-05-04) back, not two weeks from today (2026-03-02)
    assert after.followup == "2026-05-18"
    assert Store().session_row(alex)["followup"] == "2026-05-18"
    assert after.updated_at > before.updated_at
    assert "moved from Mon 2026-05-04 to Mon 2026-05-18 (2 weeks later)" in result.stdout
    assert result.stderr == ""
    assert Store().session_edits(alex)[-1]["what"] == "follow-up moved: 2026-05-04 → 2026-05-18"


@pytest.mark.parametrize("when", ["+2w", "+2 weeks", "2 weeks", "2w", "+14d"])
def test_every_offset_form_counts_from_the_current_follow_up(alex: str, when: str) -> None:
    result = cli("plan", "reschedule", alex, when)
    assert result.exit_code == 0, result.output
    assert Store().load(alex).followup == "2026-05-18"
    assert "later)" in result.stdout


@pytest.mark.parametrize(
    "when, expected, how",
    [
        ("2026-05-20", "2026-05-20", ""),
        ("tomorrow", "2026-03-03", " (tomorrow, counted from today)"),
        ("next friday", "2026-03-06", " (next friday, counted from today)"),
        ("in 2 weeks", "2026-03-16", " (in 2 weeks, counted from today)"),
    ],
)
def test_dates_and_day_names_stay_counted_from_today(
    alex: str, when: str, expected: str, how: str
) -> None:
    result = cli("plan", "reschedule", alex, when)
    assert result.exit_code == 0, result.output
    assert Store().load(alex).followup == expected
    assert f"to {expected}" not in result.stdout  # shown with its weekday
    assert f" {expected}{how}. Update calendars" in result.stdout


def test_moving_the_follow_up_earlier_is_warned_about(alex: str) -> None:
    result = cli("plan", "reschedule", alex, "next friday")
    assert result.exit_code == 0, result.output
    assert "moved from Mon 2026-05-04 to Fri 2026-03-06" in result.stdout
    assert "warning: 2026-03-06 is earlier than the current follow-up (2026-05-04)" in result.stderr
    later = cli("plan", "reschedule", alex, "2026-05-20")
    assert later.exit_code == 0 and "earlier" not in later.stderr


def test_an_offset_with_a_bad_unit_is_refused_as_before(alex: str) -> None:
    result = cli("plan", "reschedule", alex, "+2m")
    assert result.exit_code == 2
    assert "could mean minutes or months" in result.stderr
    assert Store().load(alex).followup == "2026-05-04"


def test_reschedule_by_id_and_by_person(alex: str, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(monkeypatch, "sam-first.yaml", now="2026-01-06T10:00:00+00:00")
    assert cli("plan", "reschedule", alex[:5], "2026-04-01").exit_code == 0
    assert Store().load(alex).followup == "2026-04-01"
    assert cli("plan", "reschedule", "--person", "Alex", "next friday").exit_code == 0
    assert Store().load(alex).followup == "2026-03-06"
    assert cli("plan", "reschedule", alex, "--person", "Alex", "+1w").exit_code == 2


def test_reschedule_warns_about_a_weekend_and_the_past(alex: str) -> None:
    result = cli("plan", "reschedule", alex, "2026-03-07")
    assert result.exit_code == 0, result.output
    assert "warning: 2026-03-07 is a Saturday" in result.stderr
    result = cli("plan", "reschedule", alex, "2026-02-01")
    assert result.exit_code == 0, result.output
    assert "warning: 2026-02-01 is in the past" in result.stderr
    assert Store().load(alex).followup == "2026-02-01"


def test_reschedule_to_the_same_date_changes_nothing(alex: str) -> None:
    before = Store().load(alex)
    result = cli("plan", "reschedule", alex, "2026-05-04")
    assert result.exit_code == 0
    assert "already on 2026-05-04; nothing changed" in result.stdout
    assert Store().load(alex) == before


def test_reschedule_refuses_a_bad_date_and_a_conversation_without_a_follow_up(
    alex: str,
) -> None:
    result = cli("plan", "reschedule", alex, "soonish")
    assert result.exit_code == 2
    assert "the new follow-up date" in result.stderr
    store = Store()
    paused = store.create_session(store.add_person("Kim")["id"], store.load(alex).framework)
    result = cli("plan", "reschedule", paused, "+1w")
    assert result.exit_code == 2
    assert f"topcli resume {paused}" in result.stderr


def test_reschedule_without_conversations_is_not_found() -> None:
    assert cli("plan", "reschedule", "+1w").exit_code == 4


# --------------------------------------------------------------------------- calendars


def events(path: Path) -> dict[str, tuple[int, Any, Any]]:
    """UID -> (SEQUENCE, LAST-MODIFIED, DTSTART) of every event in an .ics file."""
    from icalendar import Calendar

    calendar = Calendar.from_ical(path.read_bytes())
    return {
        str(e["UID"]): (int(e["SEQUENCE"]), e["LAST-MODIFIED"].dt, e["DTSTART"].dt)
        for e in calendar.walk("VEVENT")
    }


def export_ics(session_id: str, path: Path) -> dict[str, tuple[int, Any, Any]]:
    result = cli("plan", "export", session_id, "--ics", "--timezone", "UTC", "-o", str(path))
    assert result.exit_code == 0, result.output
    return events(path)


def test_after_edits_the_calendar_export_has_higher_sequences_and_the_same_uids(
    alex: str, tmp_path: Path
) -> None:
    before = export_ics(alex, tmp_path / "before.ics")
    action_id = action_of(alex)["id"]
    assert cli("actions", "edit", action_id, "--due", "2026-03-20").exit_code == 0
    assert cli("plan", "reschedule", alex, "2026-05-11").exit_code == 0
    after = export_ics(alex, tmp_path / "after.ics")
    assert set(after) == set(before) == {f"followup-{alex}@topcli", f"action-{action_id}@topcli"}
    for uid in after:
        assert after[uid][0] > before[uid][0], uid
        assert after[uid][1] > before[uid][1], uid
    assert str(after[f"action-{action_id}@topcli"][2]) == "2026-03-20"
    assert after[f"followup-{alex}@topcli"][2].date().isoformat() == "2026-05-11"


def test_an_answer_edit_raises_the_follow_up_sequence(alex: str, tmp_path: Path) -> None:
    before = export_ics(alex, tmp_path / "before.ics")
    assert cli("sessions", "edit", alex, "--set", "first_step=Audit buttons").exit_code == 0
    after = export_ics(alex, tmp_path / "after.ics")
    uid = f"followup-{alex}@topcli"
    assert after[uid][0] > before[uid][0]


# --------------------------------------------------------------------------- import --replace


def export_json(session_id: str) -> dict[str, Any]:
    result = cli("plan", "export", session_id, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def import_replace(data: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(data), encoding="utf-8")
    result = cli("sessions", "import", str(path), "--replace")
    assert result.exit_code == 0, result.output


def test_import_replace_of_identical_content_keeps_updated_at(alex: str, tmp_path: Path) -> None:
    data = export_json(alex)
    import_replace(data, tmp_path / "same.json")
    assert export_json(alex) == data
    assert Store().session_edits(alex) == []


def test_import_replace_of_changed_content_raises_updated_at_and_the_sequence(
    alex: str, tmp_path: Path
) -> None:
    before_ics = export_ics(alex, tmp_path / "before.ics")
    data = export_json(alex)
    changed = json.loads(json.dumps(data))
    changed["answers"]["actions"][0]["due"] = "2026-03-27"  # edited by hand
    import_replace(changed, tmp_path / "changed.json")
    stored = export_json(alex)
    assert stored["updated_at"] > data["updated_at"]
    action = stored["answers"]["actions"][0]
    assert action["due"] == "2026-03-27"
    assert action["updated_at"] > data["answers"]["actions"][0]["updated_at"]
    assert Store().session_edits(alex)[-1]["what"].startswith("replaced by an import of ")
    after_ics = export_ics(alex, tmp_path / "after.ics")
    assert set(after_ics) == set(before_ics)
    assert all(after_ics[uid][0] > before_ics[uid][0] for uid in after_ics)


def test_import_replace_of_a_changed_answer_raises_only_the_conversation(
    alex: str, tmp_path: Path
) -> None:
    data = export_json(alex)
    changed = json.loads(json.dumps(data))
    changed["answers"]["first_step"] = "Audit the buttons first."
    import_replace(changed, tmp_path / "changed.json")
    stored = export_json(alex)
    assert stored["updated_at"] > data["updated_at"]
    assert stored["answers"]["actions"] == data["answers"]["actions"]
    assert stored["answers"]["first_step"] == "Audit the buttons first."


# --------------------------------------------------------------------------- after a check-in


def test_after_a_check_in_the_carried_action_names_its_open_copy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from test_checkin import checkin_file, ids_by_what, review_answers

    seed(monkeypatch, "sam-first.yaml")
    ids = ids_by_what()
    answers = checkin_file(tmp_path, review_answers(ids))
    assert cli("checkin", "Sam", "--answers", answers, "--no-input").exit_code == 0
    old = ids["Draft the Q2 migration plan"]
    copy = Store().action(old)["carried_to"]
    result = cli("actions", "edit", old, "--due", "+1w")
    assert result.exit_code == 2
    assert f"was carried over to a later plan as action {copy}" in result.stderr
    assert f"topcli actions edit {copy}" in result.stderr
    result = cli("actions", "edit", copy, "--due", "2026-04-15")
    assert result.exit_code == 0, result.output
    assert Store().action(copy)["due"] == "2026-04-15"
    # a finished check-in's review answers did their work: they are not edited afterwards
    checkin_id = Store().action(copy)["session_id"]
    result = cli("sessions", "edit", checkin_id, "--set", f"a_{old}_new_due=2026-05-01")
    assert result.exit_code == 2
    assert f"decided what happened to action {old}" in result.stderr
    result = cli("sessions", "edit", checkin_id, "--set", "since_last=A busy month.")
    assert result.exit_code == 0, result.output


def test_the_store_refuses_an_action_closed_meanwhile_and_writes_nothing(alex: str) -> None:
    from topcli.errors import UsageError

    store = Store()
    action_id = action_of(alex)["id"]
    store.set_action_status(action_id, "done")  # another topcli got there first
    before = action_of(alex)
    with pytest.raises(UsageError, match="is done now"):
        store.edit_action(action_id, {"due": "2026-04-01"}, "Edited: due")
    with pytest.raises(UsageError, match="no field 'status'"):
        store.edit_action(action_id, {"status": "open"}, "Edited: status")
    assert action_of(alex) == before


def test_the_back_key_in_actions_edit_steps_to_the_field_before(alex: str) -> None:
    """PageUp while editing an action goes back a field (it used to be an internal error)."""
    page_up = "\x1b[5~"
    keys = (
        Keys.CTRL_U
        + line("Reworded")  # what
        + page_up  # at "by when": back to "what", which now holds "Reworded"
        + Keys.CTRL_U
        + line("Reworded again")
        + Keys.ENTER  # due kept
        + Keys.ENTER  # success kept
        + Keys.ENTER  # support kept (empty)
    )
    result = run_cli(["actions", "edit", action_of(alex)["id"]], keys)
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output
    assert action_of(alex)["what"] == "Reworded again"
