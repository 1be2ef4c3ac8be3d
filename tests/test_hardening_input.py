"""Text never changed silently (NUL, wrong-typed action fields, carried-from chains), far dates,
exports written only to regular files with stale temp files cleaned, and ``sessions purge``."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from exports_support import fixture_data, import_data
from helpers import cli, seed
from topcli.errors import AnswerError, ExportError, ImportFileError, UsageError
from topcli.framework import Question, parse_action
from topcli.transfer import import_text

TODAY = date(2026, 3, 2)


def as_text(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)


# --------------------------------------------------------------------------- NUL, wrong types


@pytest.mark.parametrize("kind", ["text", "long_text"])
def test_a_typed_nul_is_refused_by_the_question_itself(kind: str) -> None:
    question = Question(id="goal", prompt="Goal?", type=kind)
    with pytest.raises(AnswerError, match=r"NUL character \(\\x00\)"):
        question.parse("before\x00after", today=TODAY)


def test_a_lone_surrogate_is_refused_by_the_question_itself() -> None:
    question = Question(id="goal", prompt="Goal?", type="text")
    with pytest.raises(AnswerError, match="lone surrogate"):
        question.parse("x\ud83d", today=TODAY)


def test_a_nul_inside_an_action_is_refused() -> None:
    question = Question(id="actions", prompt="Actions?", type="actions")
    raw = [{"what": "a\x00b", "due": "2026-04-01"}]
    with pytest.raises(AnswerError, match="NUL"):
        question.parse(raw, today=TODAY)


@pytest.mark.parametrize(
    ("value", "kind"), [(["x"], "a list"), ({"a": 1}, "a mapping"), (True, "true/false")]
)
@pytest.mark.parametrize("field", ["what", "success", "support"])
def test_an_action_field_of_the_wrong_type_is_refused_not_stored_as_its_repr(
    field: str, value: Any, kind: str
) -> None:
    raw = {"what": "Ship it", "due": "2026-04-01", field: value}
    with pytest.raises(AnswerError, match=f"'{field}' must be text, not {kind}"):
        parse_action(raw, today=TODAY, where="action 1")


def test_numbers_and_dates_in_action_text_still_read_as_text() -> None:
    action = parse_action(
        {"what": 2026, "due": "2026-04-01", "success": 1.5, "support": date(2026, 1, 1)},
        today=TODAY,
    )
    assert (action["what"], action["success"], action["support"]) == ("2026", "1.5", "2026-01-01")


def test_an_answers_file_with_a_listed_action_field_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        "person: Sam\nanswers:\n  actions:\n    - what: [a, b]\n      due: 2026-04-01\n",
        encoding="utf-8",
    )
    result = cli("start", "--answers", str(path), "--no-input")
    assert result.exit_code == 2
    assert "'what' must be text, not a list" in result.stderr
    assert "['a', 'b']" not in result.stderr


@pytest.mark.parametrize(
    "spot",
    [
        ("person", "name"),
        ("answers", "career_so_far"),
        ("answers", "actions", 0, "what"),
        ("answers", "actions", 0, "notes"),
        ("framework", "name"),
    ],
)
def test_an_imported_nul_is_refused_with_its_place(
    monkeypatch: pytest.MonkeyPatch, spot: tuple[Any, ...]
) -> None:
    data = fixture_data(monkeypatch)
    *path, last = spot
    target: Any = data
    for key in path:
        target = target[key]
    if last == "notes":
        target[last] = [{"at": data["updated_at"], "status": None, "text": "a\x00b"}]
        where = ".".join(str(k) for k in path).replace(".0", "[0]") + ".notes[0].text"
    else:
        target[last] = "a\x00b"
        where = ".".join(str(k) for k in spot).replace(".0.", "[0].")
    with pytest.raises(ImportFileError) as caught:
        import_text(as_text(data), source="in.json")
    assert f"in.json: {where}: contains a NUL character" in caught.value.message
    assert "remove that character" in (caught.value.hint or "")


def test_an_imported_lone_surrogate_escape_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    text = as_text(fixture_data(monkeypatch)).replace('"Priya Raman"', '"Priya \\ud800"', 1)
    with pytest.raises(ImportFileError, match=r"person\.name: contains a lone surrogate"):
        import_text(text, source="in.json")


def test_an_imported_action_field_that_is_a_list_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = fixture_data(monkeypatch)
    data["answers"]["actions"][0]["support"] = ["x"]
    with pytest.raises(ImportFileError, match=r"actions\[0\]\.support: must be text, not a list"):
        import_text(as_text(data), source="in.json")


# --------------------------------------------------------------------------- carried-from


def test_an_action_carried_from_itself_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = fixture_data(monkeypatch)
    action = data["answers"]["actions"][0]
    action["carried_from"] = action["id"]
    with pytest.raises(ImportFileError, match=f"action '{action['id']}' is carried from itself"):
        import_text(as_text(data), source="in.json")


def test_a_carried_from_loop_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = fixture_data(monkeypatch)
    first, second = data["answers"]["actions"][:2]
    first["carried_from"], second["carried_from"] = second["id"], first["id"]
    with pytest.raises(ImportFileError, match="carried-from loop"):
        import_text(as_text(data), source="in.json")
    assert not cli("sessions", "list", "--json").stdout.strip("[]\n ")


def test_a_dangling_carried_from_is_left_out_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    data = fixture_data(monkeypatch)
    action = data["answers"]["actions"][0]
    action["carried_from"] = "nowhere1"
    result = import_text(as_text(data), source="in.json")
    assert any("carried over from action nowhere1" in note for note in result.notes)
    (stored,) = [a for a in result.sessions[0].actions if a["id"] == action["id"]]
    assert stored["carried_from"] is None


def test_a_carried_from_to_a_stored_action_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    data = fixture_data(monkeypatch)
    first = import_data(data)
    later = json.loads(as_text(data))
    later.update(id="0000beef", previous_id=first.id)
    for n, action in enumerate(later["answers"]["actions"]):
        action.update(id=f"b{n:05d}", carried_from=data["answers"]["actions"][n]["id"])
    result = import_text(as_text(later), source="in.json")
    assert not result.notes
    assert [a["carried_from"] for a in result.sessions[0].actions] == [
        a["id"] for a in data["answers"]["actions"]
    ]


# --------------------------------------------------------------------------- far dates


def test_period_end_is_bounded_at_the_calendars_end() -> None:
    from topcli.durations import Period, parse_period

    with pytest.raises(UsageError, match="too far ahead"):
        parse_period("1y").end(date(9000, 12, 1))
    with pytest.raises(UsageError, match="too far ahead"):
        Period(10**9, "m").end(TODAY)
    with pytest.raises(UsageError, match="too far ahead"):
        Period(10**12, "d").end(date.max)
    assert parse_period("2w").end(TODAY) == date(2026, 3, 16)


def test_an_import_timestamp_with_no_utc_form_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = fixture_data(monkeypatch)
    data["updated_at"] = "9999-12-31T23:00:00-05:00"
    with pytest.raises(ImportFileError, match=r"updated_at: .*within the years 1-9999 in UTC"):
        import_text(as_text(data), source="in.json")


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "America/Adak", "Asia/Kolkata"])
def test_ics_at_the_last_date_in_a_non_utc_zone_does_not_overflow(
    monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    from topcli.exporters.ics import IcsExporter, options

    data = fixture_data(monkeypatch)
    far = "9000-12-31"  # the last date topcli stores
    data["answers"]["followup"] = data["followup"] = far
    for action in data["answers"]["actions"]:
        action["due"] = far
    session = import_data(data)
    for action in session.actions:
        # no UTC form (only a hand-edited database has it): clamped, not an OverflowError
        action["updated_at"] = "9999-12-31T23:59:59-11:00"
    chosen = options(timezone=zone, start="23:59", duration="1d", remind="1w")
    text = IcsExporter(calendar_options=chosen).export(session).decode()
    assert "DTSTART;TZID=" in text and "90001231" in text
    assert "LAST-MODIFIED:99991231T235959Z" in text


def test_ics_refuses_a_date_past_9000_from_a_hand_edited_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from topcli.exporters.ics import IcsExporter, options

    session = import_data(fixture_data(monkeypatch))
    session.actions[0]["due"] = "9999-12-31"
    with pytest.raises(ExportError, match="after the last date topcli handles"):
        IcsExporter(calendar_options=options(timezone="America/Adak")).export(session)


# --------------------------------------------------------------------------- safe writes


@pytest.fixture
def sam(monkeypatch: pytest.MonkeyPatch) -> None:
    seed(monkeypatch, "sam-first.yaml")


def test_export_refuses_a_fifo_even_with_force(sam: None, tmp_path: Path) -> None:
    fifo = tmp_path / "plan.md"
    os.mkfifo(fifo)
    result = cli("plan", "export", "--md", "-o", str(fifo), "--force")
    assert result.exit_code == 7
    assert "is a pipe (FIFO)" in result.stderr and "even with --force" in result.stderr


def test_export_refuses_a_symlink_even_with_force_and_keeps_its_target(
    sam: None, tmp_path: Path
) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    link = tmp_path / "plan.md"
    link.symlink_to(target)
    result = cli("plan", "export", "--md", "-o", str(link), "--force")
    assert result.exit_code == 7
    assert "is a symbolic link" in result.stderr
    assert target.read_text() == "keep me" and link.is_symlink()


def test_export_leaves_no_temp_file_and_cleans_a_stale_one(sam: None, tmp_path: Path) -> None:
    stale = tmp_path / ".topcli-tmp-killed.part"
    stale.write_text("half a plan")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    young = tmp_path / ".topcli-tmp-running.part"
    young.write_text("another export, still writing")
    result = cli("plan", "export", "--md", "-o", str(tmp_path / "plan.md"))
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert young.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [young.name]


def test_the_data_folder_is_cleaned_of_stale_temp_files_on_open(sam: None, home: Path) -> None:
    stale = home / ".topcli-tmp-write-test-x"
    stale.write_text("")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    assert cli("sessions", "list").exit_code == 0
    assert not stale.exists()


# --------------------------------------------------------------------------- purge


def test_sessions_purge_compacts_and_erases_deleted_text(
    monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    seed(monkeypatch, "sam-first.yaml")
    seed(monkeypatch, "alex-first.yaml")
    listed = json.loads(cli("sessions", "list", "--json").stdout)
    alex = next(s for s in listed if s["person"]["name"].startswith("Alex"))
    assert cli("sessions", "delete", alex["id"], "--yes").exit_code == 0
    db = home / "topcli.db"
    before = db.stat().st_size
    result = cli("sessions", "purge")
    assert result.exit_code == 0, result.output
    assert "Compacted" in result.stdout and "freed" in result.stdout
    assert db.stat().st_size <= before
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert b"Alex" not in db.read_bytes()
    assert len(json.loads(cli("sessions", "list", "--json").stdout)) == 1


def test_sessions_purge_says_the_size_in_words(home: Path) -> None:
    from topcli.cli.sessions import _size

    assert (_size(512), _size(4096), _size(3 * 1024 * 1024)) == (
        "512 bytes",
        "4.0 KiB",
        "3.0 MiB",
    )
    assert cli("sessions", "purge").exit_code == 0
