"""``topcli sessions import``: exact restore, all-or-nothing, and clear refusals."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from exports_support import fixture_data, hold_conversation, hostile_data, import_data
from helpers import run_cli
from topcli.errors import ImportFileError
from topcli.store import Store
from topcli.transfer import import_text

TABLES = {
    "people": "SELECT id, name, created_at FROM people ORDER BY id",
    "sessions": "SELECT s.id, person_id, kind, previous_id, framework_id, framework_version,"
    " f.framework_json, status, started_at, updated_at, completed_at, followup"
    " FROM sessions s JOIN snapshots f ON f.id = s.snapshot_id ORDER BY s.id",
    "answers": "SELECT session_id, question_id, value_json, answered_at FROM answers"
    " ORDER BY session_id, rowid",
    "actions": "SELECT * FROM actions ORDER BY id",
    "action_notes": "SELECT action_id, at, status, text FROM action_notes ORDER BY id",
}


def dump(home: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored row that matters (not SQLite's own row numbers)."""
    db = sqlite3.connect(home / "topcli.db")
    try:
        return {table: [tuple(r) for r in db.execute(sql)] for table, sql in TABLES.items()}
    finally:
        db.close()


def move_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str) -> Path:
    """A new, empty data folder: the 'new laptop'."""
    home = tmp_path / name
    monkeypatch.setenv("TOPCLI_HOME", str(home))
    return home


def stored_sessions() -> int:
    return len(Store().session_rows())


def write(tmp_path: Path, data: Any, name: str = "in.json") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, indent=2)
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- exact restore


def test_export_import_export_is_identical_and_restores_every_row(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, home: Path
) -> None:
    session = hold_conversation(monkeypatch)
    monkeypatch.setenv("TOPCLI_NOW", "2026-03-02T09:00:00+00:00")
    exported = tmp_path / "backup.json"
    assert run_cli(["plan", "export", "--json", "-o", str(exported)]).exit_code == 0
    original_rows = dump(home)

    new_home = move_home(monkeypatch, tmp_path, "laptop")
    result = run_cli(["sessions", "import", str(exported)])
    assert result.exit_code == 0, result.output
    assert f"Imported conversation {session.id} with Priya Raman" in result.stderr
    again = run_cli(["plan", "export", "--json"])
    assert again.stdout == exported.read_text(encoding="utf-8")
    assert dump(new_home) == original_rows


def test_bundle_round_trip_keeps_links_between_conversations(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data = fixture_data(monkeypatch)
    first = import_data(data)
    later = json.loads(json.dumps(data))
    later.update(id="0000beef", previous_id=first.id, started_at="2026-06-02T10:00:00+01:00")
    for n, action in enumerate(later["answers"]["actions"]):
        action.update(id=f"b{n:05d}", carried_from=data["answers"]["actions"][n]["id"])
    import_data(later)
    bundle = run_cli(["plan", "export", "--all", "--json"]).stdout

    move_home(monkeypatch, tmp_path, "restore")
    result = run_cli(["sessions", "import", str(write(tmp_path, bundle, "all.json"))])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("Imported conversation") == 2
    assert run_cli(["plan", "export", "--all", "--json"]).stdout == bundle
    assert Store().load("0000beef").previous_id == first.id


def test_import_counts_answers_and_actions_in_words(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data = fixture_data(monkeypatch)
    one_action = json.loads(json.dumps(data))
    one_action["answers"]["actions"] = data["answers"]["actions"][:1]
    answers = len(one_action["answers"])
    result = run_cli(["sessions", "import", str(write(tmp_path, one_action))])
    assert result.exit_code == 0, result.output
    assert f"2026-03-02, {answers} answers, 1 action)." in result.stderr

    first = next(iter(data["answers"]))
    one_answer = json.loads(json.dumps(data))
    one_answer.update(
        id="0000beef",
        status="in_progress",
        completed_at=None,
        followup=None,
        answers={first: data["answers"][first]},
        answered_at={first: data["answered_at"][first]},
    )
    result = run_cli(["sessions", "import", str(write(tmp_path, one_answer, "one.json"))])
    assert result.exit_code == 0, result.output
    assert "2026-03-02, 1 answer, 0 actions)." in result.stderr


def test_hostile_text_is_restored_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    data = hostile_data(monkeypatch)
    session = import_data(data)
    assert session.to_dict() == data
    assert session.person_name == data["person"]["name"]


def test_a_question_added_by_a_plugin_is_restored_with_its_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The plugin may be gone on the new laptop: the conversation still carries its question."""
    data = fixture_data(monkeypatch)
    data["framework"]["stages"][0]["questions"].append(
        {
            "id": "acme_values",
            "prompt": "Which Acme value?",
            "type": "text",
            "required": True,
            "source": "topcli-acme",
        }
    )
    data["answers"]["acme_values"] = "Customer first"
    data["answered_at"]["acme_values"] = data["completed_at"]
    session = import_data(data)
    assert session.framework.question("acme_values").source == "topcli-acme"
    assert session.to_dict() == data


def test_a_link_to_an_absent_conversation_is_left_out_with_a_note(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = fixture_data(monkeypatch)
    data["previous_id"] = "abcdef12"
    result = import_text(json.dumps(data), source="x.json")
    assert result.sessions[0].previous_id is None
    (note,) = result.notes
    assert "abcdef12" in note and "--all" in note


def test_import_reads_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    text = json.dumps(fixture_data(monkeypatch))
    result = run_cli(["sessions", "import", "-"], input=text)
    assert result.exit_code == 0, result.output
    assert stored_sessions() == 1


# --------------------------------------------------------------------------- already stored


def test_existing_conversation_is_refused_unless_replace(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, home: Path
) -> None:
    data = fixture_data(monkeypatch)
    import_data(data)
    before = dump(home)
    changed = json.loads(json.dumps(data))
    changed["answers"]["actions"][0]["status"] = "dropped"
    path = write(tmp_path, changed)

    result = run_cli(["sessions", "import", str(path)])
    assert result.exit_code == 8
    assert f"already stored here: conversation {data['id']} (with Priya Raman)" in result.stderr
    assert "--replace" in result.stderr
    assert dump(home) == before

    result = run_cli(["sessions", "import", str(path), "--replace"])
    assert result.exit_code == 0, result.output
    assert f"Replaced conversation {data['id']}" in result.stderr
    assert Store().load(data["id"]).actions[0]["status"] == "dropped"
    assert stored_sessions() == 1


def test_the_hint_for_one_stored_conversation_is_a_command_that_works(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data = fixture_data(monkeypatch)
    import_data(data)
    path = write(tmp_path, data)
    result = run_cli(["sessions", "import", str(path)])
    assert result.exit_code == 8
    hint = result.stderr.split("hint:", 1)[1]
    assert "--replace" in hint
    command = hint.split("topcli ", 1)[1].split()
    assert command == ["sessions", "delete", data["id"]]
    assert run_cli([*command, "--yes"]).exit_code == 0
    result = run_cli(["sessions", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert stored_sessions() == 1


def bundle_of(data: dict[str, Any], count: int) -> dict[str, Any]:
    """``count`` copies of one conversation with their own conversation and action ids."""
    sessions = []
    for n in range(count):
        session = json.loads(json.dumps(data))
        session["id"] = f"{n:04d}beef"
        for m, action in enumerate(session["answers"]["actions"]):
            action["id"] = f"b{n:02d}{m:03d}"
        sessions.append(session)
    return {"schema_version": 1, "sessions": sessions}


def test_importing_a_bundle_twice_counts_the_stored_ones_and_suggests_replace(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, home: Path
) -> None:
    bundle = bundle_of(fixture_data(monkeypatch), 7)
    path = write(tmp_path, bundle, "all.json")
    assert run_cli(["sessions", "import", str(path)]).exit_code == 0
    before = dump(home)

    result = run_cli(["sessions", "import", str(path)])
    assert result.exit_code == 8
    message, hint = result.stderr.split("hint:", 1)
    assert "7 of its conversations are already stored here" in message
    assert "0000beef (with Priya Raman)" in message and "0004beef" in message
    assert "0005beef" not in message and "and 2 more" in message
    assert "nothing was imported" in message
    # `sessions delete` takes one id: the hint must not offer it for several
    assert "delete" not in hint
    assert "--replace" in hint and "all 7" in hint
    assert dump(home) == before

    result = run_cli(["sessions", "import", str(path), "--replace"])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("Replaced conversation") == 7
    assert stored_sessions() == 7


def test_replace_keeps_later_conversations_pointing_at_the_replaced_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = fixture_data(monkeypatch)
    import_data(data)
    later = json.loads(json.dumps(data))
    later.update(id="0000beef", previous_id=data["id"], started_at="2026-06-02T10:00:00+01:00")
    for n, action in enumerate(later["answers"]["actions"]):
        action["id"] = f"b{n:05d}"
    import_data(later)
    import_text(json.dumps(data), source="x.json", replace=True)
    assert Store().load("0000beef").previous_id == data["id"]


def test_a_bundle_with_one_stored_conversation_imports_nothing(
    monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    data = fixture_data(monkeypatch)
    import_data(data)
    before = dump(home)
    fresh = json.loads(json.dumps(data))
    fresh["id"] = "0000beef"
    for n, action in enumerate(fresh["answers"]["actions"]):
        action["id"] = f"b{n:05d}"
    bundle = {"schema_version": 1, "sessions": [fresh, data]}
    with pytest.raises(ImportFileError, match="nothing was imported"):
        import_text(json.dumps(bundle), source="all.json")
    assert dump(home) == before


def test_an_action_id_used_by_another_conversation_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = fixture_data(monkeypatch)
    import_data(data)
    other = json.loads(json.dumps(data))
    other["id"] = "0000beef"
    with pytest.raises(ImportFileError, match="already used by stored conversation"):
        import_text(json.dumps(other), source="x.json")
    assert stored_sessions() == 1


def test_a_person_id_with_another_name_here_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = fixture_data(monkeypatch)
    Store().add_person("Priya Someone-Else", person_id="priya-raman")
    with pytest.raises(ImportFileError, match="is 'Priya Someone-Else' here"):
        import_text(json.dumps(data), source="x.json")
    assert stored_sessions() == 0


def test_replacing_all_of_a_persons_conversations_restores_them_as_in_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = fixture_data(monkeypatch)
    renamed = json.loads(json.dumps(data))
    renamed["person"].update(name="Priya R.", created_at="2026-03-05T10:00:00+00:00")
    import_data(renamed)
    with pytest.raises(ImportFileError, match="already stored"):
        import_text(json.dumps(data), source="x.json")
    session = import_text(json.dumps(data), source="x.json", replace=True).sessions[0]
    assert session.to_dict() == data
    assert [tuple(p) for p in Store().people()] == [
        ("priya-raman", "Priya Raman", "2026-03-02T09:00:00+00:00")
    ]


def test_the_same_person_is_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = fixture_data(monkeypatch)
    Store().add_person("Priya Raman", person_id="priya-raman")
    session = import_data(data)
    assert session.person_id == "priya-raman"
    assert len(Store().people()) == 1


# --------------------------------------------------------------------------- malformed


def _bad_answers(d: dict[str, Any]) -> None:
    d["answers"]["checkin_rhythm"] = "Daily"


def _number_as_text(d: dict[str, Any]) -> None:
    d["answers"]["career_direction"] = 3


def _unknown_question(d: dict[str, Any]) -> None:
    d["answers"]["favourite_colour"] = "blue"
    d["answered_at"]["favourite_colour"] = d["started_at"]


def _answered_at_mismatch(d: dict[str, Any]) -> None:
    d["answered_at"].pop("strengths")


def _followup_mismatch(d: dict[str, Any]) -> None:
    d["followup"] = "2026-07-01"


def _broken_framework(d: dict[str, Any]) -> None:
    d["framework"]["stages"][0]["questions"][1]["id"] = "career_so_far"


def _padded_action(d: dict[str, Any]) -> None:
    d["answers"]["actions"][0]["what"] = "  padded  "


def _duplicate_session(d: dict[str, Any]) -> dict[str, Any]:
    return {"schema_version": 1, "sessions": [d, d]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_bad_answers, "answers.checkin_rhythm: 'Daily' is not a choice"),
        (_number_as_text, "answers.career_direction"),
        (_unknown_question, "'favourite_colour' is not a question of framework 'top'"),
        (_answered_at_mismatch, "answered_at: must have exactly the question ids"),
        (_followup_mismatch, "does not match the follow-up answer"),
        (_broken_framework, "duplicate question id 'career_so_far'"),
        (_padded_action, "spaces at its ends"),
        (_duplicate_session, "appears twice"),
        (lambda d: d.pop("person") and None, "missing 'person'"),
        (lambda d: d.update(sessions=[]), "unknown key 'sessions'"),
        (lambda d: d["person"].update(name=" "), "person.name: must not be empty"),
        (lambda d: d.update(completed_at=5), "completed_at: 5 is not an ISO 8601 date-time"),
        (lambda d: [1, 2], "an export is a JSON object"),
        (lambda d: {"sessions": []}, "'schema_version' is missing"),
        (lambda d: dict(d, schema_version="1"), "'1' is not a format version"),
    ],
)
def test_malformed_files_are_refused_with_where_and_nothing_is_written(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, change: Any, message: str
) -> None:
    data = fixture_data(monkeypatch)
    replaced = change(data)
    path = write(tmp_path, data if replaced is None else replaced)
    result = run_cli(["sessions", "import", str(path)])
    assert result.exit_code == 8, result.output
    assert message in result.stderr
    assert str(path) in result.stderr
    assert "Traceback" not in result.output
    assert stored_sessions() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"schema_version": 1,\n  "id": }', "in.json:2:9: not valid JSON"),
        ('{"schema_version": 1, "schema_version": 1}', "appears twice"),
        ('{"schema_version": NaN}', "NaN is not a JSON number"),
        ("", "not valid JSON"),
    ],
)
def test_not_json(tmp_path: Path, text: str, message: str) -> None:
    result = run_cli(["sessions", "import", str(write(tmp_path, text))])
    assert result.exit_code == 8
    assert message in result.stderr


def test_newer_schema_version_says_to_upgrade(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data = fixture_data(monkeypatch)
    data["schema_version"] = 3
    data["something_new"] = {"from": "the future"}
    result = run_cli(["sessions", "import", str(write(tmp_path, data))])
    assert result.exit_code == 8
    assert "written by a newer topcli (schema_version 3)" in result.stderr
    assert "pip install -U topcli" in result.stderr


def test_missing_and_binary_files(tmp_path: Path) -> None:
    result = run_cli(["sessions", "import", str(tmp_path / "nope.json")])
    assert result.exit_code == 8
    assert "cannot read" in result.stderr and "nope.json" in result.stderr
    binary = tmp_path / "x.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    result = run_cli(["sessions", "import", str(binary)])
    assert result.exit_code == 8
    assert "is not UTF-8" in result.stderr


def test_a_bad_second_conversation_leaves_the_first_out_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = fixture_data(monkeypatch)
    second = json.loads(json.dumps(data))
    second["id"] = "0000beef"
    second["answers"]["actions"][0]["due"] = "2026-02-30"
    bundle = {"schema_version": 1, "sessions": [data, second]}
    with pytest.raises(ImportFileError, match=r"sessions\[1\]\.answers\.actions\[0\]\.due"):
        import_text(json.dumps(bundle), source="all.json")
    assert stored_sessions() == 0
