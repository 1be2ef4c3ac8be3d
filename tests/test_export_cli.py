"""``topcli plan export`` and ``plan schema`` through the CLI: choosing, writing, refusing."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from exports_support import ANSWERS, fixture_data, import_data, import_fixture
from helpers import file_mode, run_cli
from topcli import hookimpl
from topcli.exporters import Exporter
from topcli.plugins import get_plugins
from topcli.session import Session
from topcli.store import Store


@pytest.fixture
def session(monkeypatch: pytest.MonkeyPatch) -> Session:
    return import_fixture(monkeypatch)


@pytest.fixture
def txt_plugin() -> Iterator[list[Any]]:
    """A plugin exporter (``txt``, without export_many), registered around the test."""
    seen: list[Any] = []

    def export(session: Session) -> str:
        seen.append(session)
        return f"{session.person_name}: {len(session.actions)} actions\n"

    plugin = SimpleNamespace(
        register_exporters=hookimpl(
            lambda register: register(
                Exporter(name="txt", suffix=".txt", description="plain text", export=export)
            )
        )
    )
    get_plugins().register(plugin, "topcli-txt", "registered by the test")
    yield seen
    get_plugins().unregister("topcli-txt")


# --------------------------------------------------------------------------- choosing


def test_markdown_to_stdout_from_the_latest_conversation(session: Session) -> None:
    result = run_cli(["plan", "export", "--md"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Career conversation with Priya Raman\n")


def test_each_builtin_format_by_flag_and_by_format_name(session: Session) -> None:
    for flag, name, start in (
        ("--ics", "ics", "BEGIN:VCALENDAR"),
        ("--json", "json", "{"),
        ("--md", "md", "# Career"),
    ):
        by_flag = run_cli(["plan", "export", session.id, flag])
        by_name = run_cli(["plan", "export", session.id, "--format", name])
        assert by_flag.exit_code == 0 and by_name.exit_code == 0, by_flag.output
        assert by_flag.stdout == by_name.stdout
        assert by_flag.stdout.startswith(start)


def test_person_picks_their_latest_conversation(monkeypatch: pytest.MonkeyPatch) -> None:
    data = fixture_data(monkeypatch)
    import_data(data)
    other = json.loads(json.dumps(data))
    other.update(id="0000beef", person={**data["person"], "id": "sam", "name": "Sam Lee"})
    other["started_at"] = "2026-01-05T09:00:00+00:00"
    for n, action in enumerate(other["answers"]["actions"]):
        action["id"] = f"b{n:05d}"
    import_data(other)
    result = run_cli(["plan", "export", "--person", "Sam", "--json"])
    assert json.loads(result.stdout)["id"] == "0000beef"
    result = run_cli(["plan", "export", "--json"])
    assert json.loads(result.stdout)["id"] == data["id"]  # the most recent overall


def test_plugin_exporter_works_with_format_and_its_own_flag(
    session: Session, txt_plugin: list[Any]
) -> None:
    for args in (["--format", "txt"], ["--txt"], ["-F", "txt"]):
        result = run_cli(["plan", "export", *args])
        assert result.exit_code == 0, result.output
        assert result.stdout == "Priya Raman: 3 actions\n"
    assert [s.id for s in txt_plugin] == [session.id] * 3


def test_all_is_refused_for_an_exporter_without_export_many(
    session: Session, txt_plugin: list[Any]
) -> None:
    result = run_cli(["plan", "export", "--all", "--txt"])
    assert result.exit_code == 7
    assert "cannot put several conversations in one file" in result.stderr


@pytest.mark.parametrize("args", [["--pdf"], ["--format", "pdf"], ["--pdf", "--md"]])
def test_unknown_format_lists_the_formats_and_names_the_package(
    session: Session, args: list[str]
) -> None:
    result = run_cli(["plan", "export", *args])
    assert result.exit_code == 2
    assert "unknown export format 'pdf'" in result.stderr
    assert "ics (" in result.stderr and "json (" in result.stderr and "md (" in result.stderr
    assert "pip install topcli-pdf" in result.stderr
    assert "Traceback" not in result.output


def test_a_mistyped_option_is_not_taken_for_a_format(session: Session) -> None:
    result = run_cli(["plan", "export", "--md", "--forse"])
    assert result.exit_code == 2
    assert "did you mean --force?" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "choose an export format"),
        (["--md", "--ics"], "choose one export format"),
        (["--md", "--time", "09:00"], "calendar options"),
        (["--ics", "--duration", "forever"], "not a length of time"),
        (["--ics", "--timezone", "Nowhere/Atlantis"], "unknown time zone"),
        (["--all", "0000", "--md"], "not both"),
    ],
)
def test_usage_errors(session: Session, args: list[str], message: str) -> None:
    result = run_cli(["plan", "export", *args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_calendar_flags_reach_the_ics_exporter(session: Session) -> None:
    calendar = ["--timezone", "Europe/Paris", "--time", "08:30", "--duration", "1h"]
    result = run_cli(["plan", "export", "--ics", *calendar, "--remind", "30min"])
    assert result.exit_code == 0, result.output
    assert "DTSTART;TZID=Europe/Paris:20260602T083000" in result.stdout
    assert "DTEND;TZID=Europe/Paris:20260602T093000" in result.stdout
    assert "TRIGGER:-PT30M" in result.stdout


# --------------------------------------------------------------------------- writing


def test_output_file_is_private_and_never_overwritten_without_force(
    session: Session, tmp_path: Path
) -> None:
    target = tmp_path / "plan.md"
    result = run_cli(["plan", "export", "--md", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"Wrote {target}" in result.stderr
    assert target.read_text(encoding="utf-8").startswith("# Career conversation")
    assert file_mode(target) == 0o600
    target.write_text("keep me", encoding="utf-8")
    result = run_cli(["plan", "export", "--md", "-o", str(target)])
    assert result.exit_code == 7
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    result = run_cli(["plan", "export", "--md", "-o", str(target), "--force"])
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# Career conversation")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("missing/plan.ics", "does not exist"),
        ("a-file/plan.ics", "is not a folder"),
        (".", "is a folder"),
    ],
)
def test_unwritable_output_paths(
    session: Session, tmp_path: Path, where: str, message: str
) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    result = run_cli(["plan", "export", "--ics", "-o", str(tmp_path / where)])
    assert result.exit_code == 7
    assert message in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "topcli-home"]


def test_a_failed_write_leaves_nothing_behind(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    target = tmp_path / "out" / "plan.json"
    target.parent.mkdir()
    result = run_cli(["plan", "export", "--json", "-o", str(target)])
    assert result.exit_code == 7
    assert "No space left on device" in result.stderr
    assert list(target.parent.iterdir()) == []


def test_nothing_is_written_when_the_export_is_refused(session: Session, tmp_path: Path) -> None:
    target = tmp_path / "plan.pdf"
    result = run_cli(["plan", "export", "--pdf", "-o", str(target)])
    assert result.exit_code == 2
    assert not target.exists()


# --------------------------------------------------------------------------- which conversations


def pause_conversation(name: str) -> str:
    """A conversation with ``name`` paused after its first answer: no plan yet."""
    from topcli.catalog import resolve_framework

    store = Store()
    framework = resolve_framework("top")
    person = store.person_for_new_session(name)
    session_id = store.create_session(person["id"], framework)
    store.save_answer(session_id, framework.question("career_so_far"), "Shipping the app.")
    return session_id


def test_a_newer_paused_conversation_does_not_hide_the_latest_plan(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOPCLI_NOW", "2026-03-09T09:00:00+00:00")
    paused = pause_conversation("Priya Raman")
    assert Store().latest_session_row()["id"] == paused
    for person in ([], ["--person", "Priya"]):
        markdown = run_cli(["plan", "export", "--md", *person])
        assert markdown.exit_code == 0, markdown.output
        assert f"conversation {session.id}" in markdown.stdout
        calendar = run_cli(["plan", "export", "--ics", *person])
        assert f"UID:followup-{session.id}@topcli" in calendar.stdout
        backup = run_cli(["plan", "export", "--json", *person])
        assert json.loads(backup.stdout)["id"] == session.id
        shown = run_cli(["plan", "show", "--json", *person])
        assert json.loads(shown.stdout)["session"] == session.id
        assert len(json.loads(shown.stdout)["actions"]) == 3
    # by its id, the paused conversation is still refused with the command that finishes it
    result = run_cli(["plan", "export", "--md", paused])
    assert result.exit_code == 7
    assert "has no plan yet" in result.stderr and f"topcli resume {paused}" in result.stderr


def test_someone_else_s_newer_paused_conversation_does_not_hide_the_latest_plan(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOPCLI_NOW", "2026-03-09T09:00:00+00:00")
    paused = pause_conversation("Ana Lima")
    result = run_cli(["plan", "show"])
    assert result.exit_code == 0, result.output
    assert "Priya Raman" in result.stdout and session.id in result.stdout
    # Ana has no plan at all: her latest conversation is named, with how to finish it
    result = run_cli(["plan", "export", "--md", "--person", "Ana"])
    assert result.exit_code == 7
    assert f"conversation {paused} with Ana Lima has no plan yet" in result.stderr
    assert f"topcli resume {paused}" in result.stderr
    result = run_cli(["plan", "show", "--person", "Ana"])
    assert result.exit_code == 0, result.output
    assert "No actions in this plan yet." in result.stdout
    assert f"topcli resume {paused}" in result.stdout


def test_a_conversation_without_a_plan_is_refused_except_as_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pause_conversation("Sam Lee")
    monkeypatch.setenv("TOPCLI_NOW", "2026-03-09T09:00:00+00:00")
    session_id = pause_conversation("Ana Lima")
    # none has a plan: the error names the latest conversation
    for flag in ("--md", "--ics"):
        result = run_cli(["plan", "export", flag, "-o", str(tmp_path / f"x{flag}")])
        assert result.exit_code == 7
        assert "has no plan yet" in result.stderr
        assert f"topcli resume {session_id}" in result.stderr
        assert not (tmp_path / f"x{flag}").exists()
    result = run_cli(["plan", "export", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["answers"] == {"career_so_far": "Shipping the app."}


def test_no_conversations_at_all() -> None:
    result = run_cli(["plan", "export", "--md"])
    assert result.exit_code == 4
    assert "no conversations yet" in result.stderr


def test_all_exports_every_conversation(monkeypatch: pytest.MonkeyPatch) -> None:
    data = fixture_data(monkeypatch)
    first = import_data(data)
    second = json.loads(json.dumps(data))
    second.update(id="0000beef", previous_id=first.id, started_at="2026-06-02T10:00:00+01:00")
    for n, action in enumerate(second["answers"]["actions"]):
        action["id"] = f"b{n:05d}"
    import_data(second)
    bundle = json.loads(run_cli(["plan", "export", "--all", "--json"]).stdout)
    assert [s["id"] for s in bundle["sessions"]] == [first.id, "0000beef"]
    markdown = run_cli(["plan", "export", "--all", "--md"]).stdout
    assert markdown.count("# Career conversation with Priya Raman\n") == 2
    calendar = run_cli(["plan", "export", "--all", "--ics", "--timezone", "UTC"]).stdout
    assert f"UID:followup-{first.id}@topcli" not in calendar
    assert "UID:followup-0000beef@topcli" in calendar


def test_export_after_a_real_conversation(tmp_path: Path) -> None:
    """The issue's 'done when': start from an answers file, then all three exports to files."""
    result = run_cli(["start", "--answers", str(ANSWERS), "--no-input"])
    assert result.exit_code == 0, result.output
    for flags, name in (
        (["--ics"], "plan.ics"),
        (["--md", "--full"], "plan.md"),
        (["--md"], "summary.md"),
        (["--json"], "plan.json"),
    ):
        result = run_cli(["plan", "export", *flags, "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "plan.ics").read_bytes().count(b"BEGIN:VEVENT") == 4
    assert "| What | By when | Success measure | Support |" in (tmp_path / "plan.md").read_text()
    summary = (tmp_path / "summary.md").read_text()
    assert "| What | By when | How we'll know | Support |" in summary
    assert json.loads((tmp_path / "plan.json").read_text())["followup"] == "2026-06-02"


# --------------------------------------------------------------------------- schema


def test_plan_schema_prints_the_shipped_schema() -> None:
    from topcli.exporters.json_export import schema

    result = run_cli(["plan", "schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == schema()


def test_help_lists_the_formats_and_calendar_options() -> None:
    result = run_cli(["plan", "export", "--help"])
    assert result.exit_code == 0
    for option in ("--ics", "--md", "--json", "--format", "--force", "--all", "--remind"):
        assert option in result.stdout
