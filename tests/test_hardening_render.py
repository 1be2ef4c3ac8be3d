"""Hostile text through every renderer: escape sequences in every stored field are shown, never
reach the terminal raw (sessions show, plan show, plan export to a terminal, the end-of-
conversation summary, check-in prompts, errors that quote stored names)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import cli, run_cli

ROOT = Path(__file__).resolve().parents[1]
SAM = ROOT / "docs" / "examples" / "sam-lee.yaml"

#: What an attacker puts in a field: retitle (OSC 0 + BEL), clear (CSI 2J), clipboard (OSC 52),
#: hide the cursor (CSI ?25l), a one-byte C1 CSI, and a right-to-left override.
HOSTILE = "\x1b]0;owned\x07\x1b[2J\x1b]52;c;aGk=\x07\x1b[?25l\x9b2J\u202e"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def assert_shown_not_obeyed(output: str) -> None:
    for char in RAW:
        assert char not in output, f"{char!r} reached the terminal raw"
    assert "\\x1b]0;owned\\x07" in output  # shown, so the reader sees something is odd


def hostile_answers(tmp_path: Path) -> Path:
    """Sam Lee's conversation with ``HOSTILE`` in the name and every text answer and action."""
    document = yaml.safe_load(SAM.read_text(encoding="utf-8"))
    answers: dict[str, Any] = document["answers"]
    for key, value in answers.items():
        if key in ("career_so_far", "aspirations") or key.endswith(("_work", "_values")):
            answers[key] = HOSTILE + value
    for key in ("strengths", "first_step", "obstacles", "leader_support"):
        answers[key] = HOSTILE + answers[key]
    for action in answers["actions"]:
        for field in ("what", "success", "support"):
            action[field] = HOSTILE + action[field]
    document["person"] = "Sam" + HOSTILE
    path = tmp_path / "hostile.json"
    # JSON, as an attacker's file would be: YAML refuses raw control characters
    path.write_text(json.dumps(document, default=str), encoding="utf-8")
    return path


@pytest.fixture
def hostile(tmp_path: Path) -> str:
    result = run_cli(["start", "--answers", str(hostile_answers(tmp_path)), "--no-input"])
    assert result.exit_code == 0, result.output
    assert_shown_not_obeyed(result.stdout + result.stderr)  # the summary at the end
    listed = json.loads(cli("sessions", "list", "--json").stdout)
    return str(listed[0]["id"])


def test_sessions_show_shows_every_field_safely(hostile: str) -> None:
    result = cli("sessions", "show", hostile)
    assert result.exit_code == 0, result.output
    assert_shown_not_obeyed(result.stdout)
    assert result.stdout.count("\\x1b]0;owned") >= 10  # name, answers and each action field


def test_the_stored_text_is_unchanged(hostile: str) -> None:
    shown = json.loads(cli("sessions", "show", hostile, "--json").stdout)
    assert shown["person"]["name"] == "Sam" + HOSTILE  # escaping is for display only
    assert shown["answers"]["actions"][0]["what"].startswith(HOSTILE)


def test_plan_show_shows_actions_safely(hostile: str) -> None:
    result = cli("plan", "show", hostile)
    assert result.exit_code == 0, result.output
    assert_shown_not_obeyed(result.stdout)


def test_resume_of_a_complete_conversation_is_safe(hostile: str) -> None:
    result = cli("resume", hostile)
    assert result.exit_code == 0, result.output
    assert_shown_not_obeyed(result.stdout)


class _Terminal(io.TextIOWrapper):
    """A standard output that says it is a terminal, keeping the bytes written to it."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8")

    def isatty(self) -> bool:
        return True

    def written(self) -> str:
        self.flush()
        return self.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]


@pytest.mark.parametrize("flag", ["--md", "--json", "--ics"])
def test_plan_export_to_a_terminal_is_shown_safely(
    hostile: str, flag: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from topcli.cli._base import write_document

    data = cli("plan", "export", hostile, flag).stdout_bytes
    terminal = _Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    write_document(data)
    shown = terminal.written()
    for char in RAW:
        assert char not in shown
    assert len(shown) >= len(data.decode("utf-8"))


def test_plan_export_into_a_pipe_stays_byte_exact(hostile: str, tmp_path: Path) -> None:
    data = cli("plan", "export", hostile, "--json").stdout_bytes
    assert cli("plan", "export", hostile, "--json", "-o", str(tmp_path / "p.json")).exit_code == 0
    assert data == (tmp_path / "p.json").read_bytes()  # redirected, it is the record exactly
    assert json.loads(data)["person"]["name"] == "Sam" + HOSTILE


def test_an_error_quoting_a_stored_name_is_safe(hostile: str) -> None:
    result = cli("plan", "export", hostile, "--md", "-o", "/nonexistent-folder/plan.md")
    assert result.exit_code == 7
    result = cli("start", "--person", "Sam" + HOSTILE, "--framework", "nope", "--no-input")
    assert result.exit_code != 0
    assert_no_raw(result.stdout + result.stderr)


def assert_no_raw(output: str) -> None:
    for char in RAW:
        assert char not in output, f"{char!r} reached the terminal raw"


def test_sessions_delete_names_the_person_safely(hostile: str) -> None:
    result = cli("sessions", "delete", hostile, "--yes")
    assert result.exit_code == 0, result.output
    assert_shown_not_obeyed(result.stdout)


def test_sessions_import_reports_names_safely(hostile: str, tmp_path: Path) -> None:
    exported = tmp_path / "backup.json"
    assert cli("plan", "export", hostile, "--json", "-o", str(exported)).exit_code == 0
    assert cli("sessions", "delete", hostile, "--yes").exit_code == 0
    result = cli("sessions", "import", str(exported))
    assert result.exit_code == 0, result.output
    assert_shown_not_obeyed(result.stderr)


def test_the_error_handler_shows_stored_text_safely(capsys: pytest.CaptureFixture[str]) -> None:
    from topcli.cli._base import report_error
    from topcli.errors import NotFoundError

    report_error(NotFoundError(f"no person called {HOSTILE}", hint=f"try {HOSTILE}"))
    err = capsys.readouterr().err
    assert_shown_not_obeyed(err)


def test_check_in_prompts_quote_stored_actions_safely(hostile: str) -> None:
    from topcli import clock
    from topcli.checkin import build_checkin_framework, checkin_basis
    from topcli.store import Store

    store = Store()
    person = store.find_person("Sam" + HOSTILE)
    framework = build_checkin_framework(checkin_basis(store, person), clock.today())
    texts = [framework.description] + [
        text
        for stage in framework.stages
        for _, question in [(stage, q) for q in stage.questions]
        for text in (question.prompt, question.help or "", stage.purpose or "")
    ]
    assert any("\\x1b]0;owned" in text for text in texts)
    for text in texts:
        assert_no_raw(text)


def test_starting_and_resuming_name_the_person_safely(tmp_path: Path) -> None:
    document = yaml.safe_load(SAM.read_text(encoding="utf-8"))
    document["person"] = "Sam" + HOSTILE
    document["answers"] = {"career_so_far": "Billing."}  # unfinished: resume has work to do
    path = tmp_path / "partial.json"
    path.write_text(json.dumps(document, default=str), encoding="utf-8")
    started = run_cli(["start", "--answers", str(path)])
    assert "\\x1b]0;owned" in started.stdout + started.stderr
    assert_no_raw(started.stdout + started.stderr)
    resumed = run_cli(["resume"])
    assert "\\x1b]0;owned" in resumed.stdout + resumed.stderr
    assert_no_raw(resumed.stdout + resumed.stderr)


def test_json_on_a_terminal_is_safe_and_still_the_same_json(
    hostile: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--json`` read on a terminal: C1 controls and bidi overrides (which ``json.dumps`` leaves
    raw) become ``\\uXXXX`` escapes, so the text is safe and parses to the same value."""
    from topcli.cli._base import print_json

    value = {"name": "Sam" + HOSTILE, "notes": ["\x9b2J", "\u202e"]}
    terminal = _Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    print_json(value)
    shown = terminal.written()
    for char in RAW:
        assert char not in shown
    assert json.loads(shown) == value
