"""Private notes stay private: shown to the leader, kept in the backup, never in a shared export.

A conversation held with TOP (which has one private "your own notes" question per stage) from the
Sam Lee example plus two private notes; every shared export of it is searched for the notes'
text, and each export that may hold them (the JSON record, ``--include-private``) is checked to
hold them, marked.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from exports_support import deterministic_ids, import_fixture
from helpers import run_cli
from topcli import hookimpl
from topcli.exporters import Exporter
from topcli.plugins import get_plugins
from topcli.session import Session
from topcli.store import Store

ROOT = Path(__file__).resolve().parents[1]
SAM = ROOT / "docs" / "examples" / "sam-lee.yaml"
#: The leader's notes: text that appears nowhere else, so a search for it is a real check.
NOTES = {
    "think_leader_notes": "PRIVATE-THINK seemed tired;\nask about the on-call load",
    "plan_leader_notes": "PRIVATE-PLAN talk to HR about the promotion budget",
}
MARKS = ("PRIVATE-THINK", "PRIVATE-PLAN", "on-call load", "promotion budget")


def sam_answers_with_notes(tmp_path: Path) -> Path:
    data = yaml.safe_load(SAM.read_text(encoding="utf-8"))
    data["answers"].update(NOTES)
    path = tmp_path / "sam-notes.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def hold_with_notes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Session:
    """Sam Lee's conversation with the leader's private notes, held with today's TOP."""
    deterministic_ids(monkeypatch)
    answers = sam_answers_with_notes(tmp_path)
    result = run_cli(["start", "--answers", str(answers), "--no-input"])
    assert result.exit_code == 0, result.output
    (row,) = Store().session_rows()
    return Store().load(row["id"])


@pytest.fixture
def noted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Session:
    return hold_with_notes(tmp_path, monkeypatch)


@pytest.fixture
def spy_plugin() -> Iterator[list[Session]]:
    """A plugin exporter (``spy``) that writes everything it is given, as JSON."""
    seen: list[Session] = []

    def export(session: Session) -> str:
        seen.append(session)
        return json.dumps(session.to_dict(), ensure_ascii=False) + "\n"

    def export_many(sessions: Any) -> str:
        return "".join(export(s) for s in sessions)

    plugin = SimpleNamespace(
        register_exporters=hookimpl(
            lambda register: register(
                Exporter(
                    name="spy",
                    suffix=".json",
                    description="everything it sees",
                    export=export,
                    export_many=export_many,
                )
            )
        )
    )
    get_plugins().register(plugin, "topcli-spy", "registered by the test")
    yield seen
    get_plugins().unregister("topcli-spy")


def export(*args: str) -> str:
    result = run_cli(["plan", "export", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def assert_no_private_text(text: str) -> None:
    for mark in MARKS:
        assert mark not in text


def calendar_text(data: bytes) -> str:
    """Every SUMMARY and DESCRIPTION of a calendar, unfolded and unescaped by icalendar."""
    import icalendar

    calendar = icalendar.Calendar.from_ical(data)
    texts = [
        str(component.get(key))
        for component in calendar.walk()
        for key in ("SUMMARY", "DESCRIPTION")
        if component.get(key) is not None
    ]
    assert texts
    return "\n".join(texts)


# --------------------------------------------------------------------------- the model


def test_top_has_an_optional_private_question_per_stage(noted: Session) -> None:
    private = [(s.id, q) for s, q in noted.framework.questions() if q.private]
    assert [stage for stage, _ in private] == ["think", "opportunities", "plan"]
    assert all(q.type == "long_text" and not q.required for _, q in private)
    assert all("private: never in a shared export" in q.prompt for _, q in private)
    assert noted.framework.version == "1.1"
    assert noted.is_private("think_leader_notes") and not noted.is_private("strengths")
    assert not noted.is_private("no_such_question")


def test_shared_view_has_no_private_question_nor_answer(noted: Session) -> None:
    shared = noted.shared()
    assert noted.answers["think_leader_notes"] == NOTES["think_leader_notes"]
    assert not any(q.private for _, q in shared.framework.questions())
    assert not {"think_leader_notes", "opportunities_leader_notes"} & set(shared.answers)
    assert not set(shared.answered_at) - set(shared.answers)
    assert shared.answers == noted.shared_answers()
    assert_no_private_text(json.dumps(shared.to_dict()))
    assert '"private"' not in json.dumps(shared.to_dict())
    # everything else is the same conversation
    assert (shared.id, shared.actions, shared.followup) == (noted.id, noted.actions, "2026-06-02")
    assert shared.answers["strengths"] == noted.answers["strengths"]


def test_shared_view_of_a_conversation_without_private_questions_is_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = import_fixture(monkeypatch)  # held with TOP 1.0, before the private notes
    assert not session.has_private
    assert session.shared() is session


# --------------------------------------------------------------------------- shared exports


@pytest.mark.parametrize(
    "args",
    [["--md"], ["--md", "--full"], ["--md", "--all"], ["--md", "--full", "--all"]],
    ids=["summary", "full", "summary-all", "full-all"],
)
def test_markdown_exports_hold_no_private_note(noted: Session, args: list[str]) -> None:
    text = export(*args)
    assert_no_private_text(text)
    assert "Your own notes" not in text
    assert "(private)" not in text and "Private notes" not in text
    assert "People come to me to make sense of messy systems" in text


@pytest.mark.parametrize("every", [False, True], ids=["one", "all"])
def test_calendar_holds_no_private_note(noted: Session, every: bool) -> None:
    result = run_cli(["plan", "export", "--ics", *(["--all"] if every else [])])
    assert result.exit_code == 0, result.output
    text = calendar_text(result.stdout_bytes)
    assert "Lead the Q3 platform migration" in text
    assert_no_private_text(text)
    assert_no_private_text(result.stdout_bytes.decode("utf-8"))


@pytest.mark.parametrize("every", [False, True], ids=["one", "all"])
def test_plugin_exporter_gets_the_shared_view(
    noted: Session, spy_plugin: list[Session], every: bool
) -> None:
    text = export("--spy", *(["--all"] if every else []))
    assert_no_private_text(text)
    assert '"private"' not in text
    (seen,) = spy_plugin
    assert not any(q.private for _, q in seen.framework.questions())
    assert "plan_leader_notes" not in seen.answers


def test_json_backup_keeps_private_notes_marked(noted: Session) -> None:
    record = json.loads(export("--json"))
    assert record["answers"]["think_leader_notes"] == NOTES["think_leader_notes"]
    assert record["answers"]["plan_leader_notes"] == NOTES["plan_leader_notes"]
    questions = {q["id"]: q for s in record["framework"]["stages"] for q in s["questions"]}
    assert questions["think_leader_notes"]["private"] is True
    assert "private" not in questions["strengths"]
    assert questions["strengths"]["summary"] is True
    bundle = json.loads(export("--json", "--all"))
    assert bundle["sessions"][0] == record
    # the shipped schema knows the marks
    import jsonschema

    from topcli.exporters import json_export

    jsonschema.Draft202012Validator(json_export.schema()).validate(record)
    jsonschema.Draft202012Validator(json_export.schema()).validate(bundle)


def test_json_backup_round_trips_private_notes(noted: Session, tmp_path: Path) -> None:
    from topcli.transfer import import_text

    record = export("--json")
    result = run_cli(["sessions", "delete", noted.id, "--yes"])
    assert result.exit_code == 0, result.output
    (restored,) = import_text(record, source=str(tmp_path / "backup.json")).sessions
    assert restored.answers["plan_leader_notes"] == NOTES["plan_leader_notes"]
    assert restored.is_private("plan_leader_notes")
    assert export("--json") == record


# --------------------------------------------------------------------------- --include-private


def test_include_private_puts_the_notes_in_the_summary_marked(noted: Session) -> None:
    text = export("--md", "--include-private")
    head, notes = text.split("## Private notes (yours: not for sharing)\n")
    assert_no_private_text(head)
    assert "PRIVATE-THINK seemed tired;\n\nask about the on-call load" in notes
    assert "PRIVATE-PLAN talk to HR about the promotion budget" in notes
    # the optional note left out is not listed
    assert "Opportunities stage" not in notes


def test_include_private_puts_the_notes_in_the_transcript_marked(noted: Session) -> None:
    text = export("--md", "--full", "--include-private")
    assert (
        "#### Your own notes on the Think stage (private: never in a shared export) (private)\n"
        "\nPRIVATE-THINK seemed tired;\n\nask about the on-call load\n"
    ) in text


def test_include_private_gives_a_plugin_the_whole_conversation(
    noted: Session, spy_plugin: list[Session]
) -> None:
    text = export("--spy", "--include-private")
    assert "PRIVATE-PLAN" in text
    (seen,) = spy_plugin
    assert seen.answers["plan_leader_notes"] == NOTES["plan_leader_notes"]
    assert seen.is_private("plan_leader_notes")
    assert set(seen.answers) - set(seen.shared_answers()) == {
        "think_leader_notes",
        "opportunities_leader_notes",
        "plan_leader_notes",
    }


def test_include_private_changes_nothing_for_the_json_record(noted: Session) -> None:
    assert export("--json", "--include-private") == export("--json")


# --------------------------------------------------------------------------- --full refused


@pytest.mark.parametrize("flag", ["--ics", "--json"])
def test_full_is_refused_for_a_format_with_one_form(noted: Session, flag: str) -> None:
    result = run_cli(["plan", "export", flag, "--full"])
    assert result.exit_code == 2
    assert "--full" in result.stderr and "--md" in result.stderr
    assert not result.stdout


# --------------------------------------------------------------------------- sessions show


def test_sessions_show_marks_private_answers(noted: Session) -> None:
    result = run_cli(["sessions", "show", noted.id])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if "│" in line]
    # TOP's own prompts say "(private: never in a shared export)": no second marker added
    marked = [line for line in rows if "(private" in line]
    assert len(marked) == 3  # the three notes (one skipped), each once
    assert not any("(private)" in line for line in rows)
    assert "PRIVATE-THINK" in result.stdout and "PRIVATE-PLAN" in result.stdout
    # the shared answers are not marked
    strengths = next(line for line in rows if "What strengths do others rely on" in line)
    assert "(private" not in strengths
