"""The CLI with the session runner: start, resume and sessions, without a terminal.

Every error case checks the exit code, the message, and that no traceback is shown.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from helpers import Keys, run_cli
from topcli import __version__
from topcli.loader import load_framework
from topcli.store import Store

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data" / "core"
EVERY_TYPE = DATA / "every-type.yaml"


def run(args: list[str]) -> Any:
    """The CLI without a terminal: stdin is not one and no keys are wired in, as in a script."""
    from topcli.cli import app

    return CliRunner().invoke(app, args, catch_exceptions=False)


def answers_file(tmp_path: Path, document: dict[str, Any], name: str = "answers.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def top_answers() -> dict[str, Any]:
    return yaml.safe_load((DATA / "answers-top.yaml").read_text())


def failed(result: Any, code: int) -> str:
    """Check a refused command: its exit code, no traceback; return what it said on stderr."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.stderr


def sessions() -> list[Any]:
    store = Store()
    return [store.load(row["id"]) for row in store.session_rows()]


def stored_session_count(home: Path) -> int:
    if not (home / "topcli.db").exists():
        return 0
    return len(Store().session_rows())


def in_progress(answers: dict[str, Any], framework: Path | None = None) -> str:
    """A conversation paused after ``answers``, made through the store as the runner does."""
    fw = load_framework(framework or EVERY_TYPE)
    store = Store()
    session_id = store.create_session(store.person_for_new_session("Kim")["id"], fw)
    for question_id, value in answers.items():
        store.save_answer(session_id, fw.question(question_id), value)
    return session_id


# --------------------------------------------------------------------------- the package


def test_version() -> None:
    result = run(["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"topcli {__version__}\n"


def test_console_script_and_python_m_run_the_same_cli() -> None:
    script = Path(sys.executable).parent / "topcli"
    for command in ([str(script)], [sys.executable, "-m", "topcli"]):
        done = subprocess.run(
            [*command, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"topcli {__version__}"


def test_no_arguments_shows_the_commands() -> None:
    result = run([])
    assert "start" in result.output
    assert "resume" in result.output
    assert "sessions" in result.output


@pytest.mark.e2e
def test_the_wheel_ships_the_framework_files(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        timeout=120,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("topcli-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        assert "topcli = topcli.cli:main" in archive.read(entry_points).decode()
        for name in ("top.yaml", "grow.yaml"):
            shipped = archive.read(f"topcli/frameworks/{name}").decode()
            assert shipped == (ROOT / "frameworks" / name).read_text()
    assert "topcli/builtins/frameworks.py" in names


# --------------------------------------------------------------------------- start


def test_start_with_an_answers_file_runs_without_prompting() -> None:
    result = run(["start", "--answers", str(DATA / "answers-top.yaml")])
    assert result.exit_code == 0, result.output
    (session,) = sessions()
    assert session.is_complete
    assert session.person_name == "Sam Rivera"
    assert session.framework.id == "top"
    assert (
        session.answers["career_so_far"] == "Shipping the v2 launch.\nMentoring two new starters."
    )
    assert session.answers["opportunity_types"] == ["Mentoring", "Job shadowing"]  # TOP's order
    assert session.answers["checkin_rhythm"] == "Every two weeks"  # the default
    assert session.answers["opportunity_concerns"] is None  # optional, not given
    assert [(a["what"], a["due"]) for a in session.actions] == [
        ("Give a lightning talk", "2026-04-15"),
        ("Shadow Priya for a day", "2026-04-13"),  # +6 weeks from the fixed today
    ]
    assert session.followup == "2026-06-02"  # three months ahead
    out = result.stdout
    assert "Plan with Sam Rivera" in out
    assert "Give a lightning talk" in out
    assert "Follow-up conversation: Tue 2026-06-02" in out
    assert f"topcli sessions show {session.id}" in out
    assert "topcli followup" in out


def test_start_with_a_json_answers_file_and_the_grow_framework() -> None:
    result = run(["start", "--answers", str(DATA / "answers-grow.json"), "--no-input"])
    assert result.exit_code == 0, result.output
    (session,) = sessions()
    assert session.framework.id == "grow"
    assert session.answers["goal_progress"] == 4
    assert session.answers["support_types"] == ["Mentoring", "Feedback"]
    assert session.answers["help_needed"].startswith("Introduce me")
    assert session.followup == "2026-05-04"


def test_person_flag_wins_over_the_file(tmp_path: Path) -> None:
    result = run(["start", "-a", str(DATA / "answers-top.yaml"), "--person", "Kim Park"])
    assert result.exit_code == 0, result.output
    assert sessions()[0].person_name == "Kim Park"


def test_a_second_conversation_with_the_same_person_reuses_them() -> None:
    for _ in range(2):
        assert run(["start", "-a", str(DATA / "answers-top.yaml")]).exit_code == 0
    first, second = sessions()
    assert first.person_id == second.person_id == "sam-rivera"
    assert first.id != second.id


def test_start_with_a_framework_path_and_its_defaults(tmp_path: Path) -> None:
    path = answers_file(
        tmp_path,
        {
            "person": "Kim",
            "answers": {
                "role": "Engineer",
                "story": "A good week",
                "interests": ["Course"],
                "confidence": 7,
                "actions": [{"what": "Enrol", "due": "today"}],
            },
        },
    )
    result = run(["start", "--framework", str(EVERY_TYPE), "--answers", str(path)])
    assert result.exit_code == 0, result.output
    (session,) = sessions()
    assert session.framework.id == "every-type"
    assert session.answers["direction"] == "Grow"  # the select's default
    assert "move_where" not in session.answers  # its condition is false
    assert session.answers["start_on"] == "2026-03-16"  # "+2 weeks"
    assert session.answers["wants_mentor"] is False
    assert "mentor_wish" not in session.answers
    assert session.answers["notes"] is None
    assert session.actions[0]["due"] == "2026-03-02"
    assert session.followup == "2026-06-02"


def test_no_input_without_answers_lists_what_is_missing_and_creates_nothing(home: Path) -> None:
    err = failed(run(["start", "--no-input"]), 2)
    assert "error: 21 required questions have no answer:" in err
    assert "  - person: who the conversation is with" in err
    assert "  - career_so_far: Looking back over your career so far" in err
    assert "  - actions: What actions will you take" in err
    assert "checkin_rhythm" not in err  # it has a default
    assert "opportunity_concerns" not in err  # optional
    assert "hint: answer them in an answers file (--answers FILE" in err
    assert stored_session_count(home) == 0


def test_without_a_terminal_missing_answers_are_refused_without_waiting(home: Path) -> None:
    # CliRunner's stdin is not a terminal and no keys are wired in: nobody can be asked
    err = failed(run(["start", "--answers", str(DATA / "answers-partial.yaml")]), 2)
    assert "required questions have no answer:" in err
    assert "person:" not in err
    assert "  - opportunity_types: Which kinds of opportunities interest you most?" in err
    assert "career_so_far" not in err
    assert "uncertainty" not in err  # career_direction does not lead there
    assert stored_session_count(home) == 0


def test_no_input_with_a_framework_lists_that_frameworks_questions(home: Path) -> None:
    err = failed(run(["start", "--no-input", "-f", "grow", "-p", "Kim"]), 2)
    assert "  - session_goal: What would you like to get out of our conversation today?" in err
    assert "person:" not in err
    assert "needs_help" not in err  # a confirm with a default
    assert "help_needed" not in err  # its default (no) keeps this one away
    assert stored_session_count(home) == 0


def test_no_input_wins_over_a_terminal(home: Path) -> None:
    err = failed(run_cli(["start", "--no-input", "-p", "Kim"], Keys.ENTER), 2)
    assert "required questions have no answer" in err
    assert stored_session_count(home) == 0


def test_a_missing_person_is_the_only_thing_missing(tmp_path: Path) -> None:
    document = top_answers()
    del document["person"]
    err = failed(run(["start", "-a", str(answers_file(tmp_path, document)), "--no-input"]), 2)
    assert "1 required question has no answer:\n  - person: who the conversation is with" in err


def test_an_unknown_question_id_in_the_answers_file(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("person: Kim\nanswers:\n  carer_so_far: Shipping v2\n")
    err = failed(run(["start", "-a", str(path)]), 2)
    assert (
        f"error: {path}:3:3: unknown question id 'carer_so_far'; did you mean 'career_so_far'?"
        in err
    )
    assert "hint: 'topcli frameworks show ID' lists the question ids" in err
    assert stored_session_count(home) == 0


@pytest.mark.parametrize(
    ("question", "value", "message"),
    [
        (
            "followup",
            "2026-02-30",
            "answer to 'followup': '2026-02-30' is not a date",
        ),
        (
            "career_direction",
            "Grow deeper",
            "answer to 'career_direction': 'Grow deeper' is not a choice",
        ),
        (
            "opportunity_types",
            ["Mentoring", "Yoga"],
            "answer to 'opportunity_types': 'Yoga' is not a choice",
        ),
        (
            "actions",
            [{"what": "Talk", "due": "soon"}],
            "answer to 'actions': action 1: 'due': 'soon' is not a date",
        ),
        ("first_step", ["a", "list"], "answer to 'first_step': expected text"),
    ],
)
def test_a_wrong_value_in_the_answers_file(
    tmp_path: Path, home: Path, question: str, value: Any, message: str
) -> None:
    document = top_answers()
    document["answers"][question] = value
    path = answers_file(tmp_path, document)
    err = failed(run(["start", "-a", str(path)]), 2)
    assert f"error: {path}:" in err
    assert message in err
    assert stored_session_count(home) == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("person: Kim\nanswer:\n  a: b\n", ":2:1: unknown key 'answer'; did you mean 'answers'?"),
        ("person: Kim\nanswers: [a, b]\n", ": 'answers' must be a mapping of question id"),
        ("- just\n- a list\n", ": an answers file is a mapping with 'person', 'framework'"),
        ("person: Kim\nanswers:\n  a: [b\n", ":4:1: YAML syntax error: expected ',' or ']'"),
    ],
)
def test_a_malformed_answers_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(text)
    err = failed(run(["start", "-a", str(path)]), 2)
    assert f"error: {path}{message}" in err


def test_a_missing_answers_file(tmp_path: Path) -> None:
    err = failed(run(["start", "-a", str(tmp_path / "nope.yaml")]), 2)
    assert f"error: {tmp_path / 'nope.yaml'}: no such file" in err


def test_an_unknown_framework_id_suggests_one(home: Path) -> None:
    err = failed(run(["start", "--framework", "tpo", "--no-input"]), 3)
    assert "error: unknown framework 'tpo'; did you mean 'top'?" in err
    assert "hint: available: grow, top; or give the path to a framework YAML file" in err
    assert stored_session_count(home) == 0


def test_an_unknown_framework_in_the_answers_file(tmp_path: Path) -> None:
    document = top_answers()
    document["framework"] = "grwo"
    err = failed(run(["start", "-a", str(answers_file(tmp_path, document))]), 3)
    assert "unknown framework 'grwo'; did you mean 'grow'?" in err


def test_a_framework_path_that_does_not_exist_or_is_invalid(tmp_path: Path) -> None:
    err = failed(run(["start", "-f", str(tmp_path / "mine.yaml"), "--no-input"]), 3)
    assert f"error: {tmp_path / 'mine.yaml'}: no such file" in err
    bad = DATA / "invalid" / "unknown-type.yaml"
    err = failed(run(["start", "-f", str(bad), "--no-input"]), 3)
    assert f"error: {bad}:10:9: unknown type 'longtext'" in err


def test_a_data_folder_that_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("TOPCLI_HOME", str(blocker / "data"))
    err = failed(run(["start", "-a", str(DATA / "answers-top.yaml")]), 5)
    assert f"error: cannot write to the data folder {blocker / 'data'}: Not a directory" in err
    assert "hint: set TOPCLI_HOME to a folder you can write to" in err
    err = failed(run(["sessions", "list"]), 5)
    assert "cannot write to the data folder" in err


def test_a_bad_topcli_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOPCLI_NOW", "yesterday")
    err = failed(run(["start", "-a", str(DATA / "answers-top.yaml")]), 2)
    assert "error: TOPCLI_NOW='yesterday' is not an ISO date or date-time" in err


def test_debug_shows_the_traceback() -> None:
    result = run(["--debug", "start", "--framework", "tpo", "--no-input"])
    assert result.exit_code == 3
    assert "Traceback" in result.stderr
    assert "FrameworkNotFound" in result.stderr


# --------------------------------------------------------------------------- resume


def test_resume_without_a_terminal_lists_what_is_left() -> None:
    session_id = in_progress({"role": "Engineer", "story": "A week"})
    err = failed(run(["resume", session_id]), 2)
    assert "error: 3 required questions have no answer:" in err
    assert "  - interests: What interests you?" in err
    assert "  - confidence: How confident are you, 0 to 10?" in err
    assert "direction" not in err  # a default answers it
    assert "start_on" not in err
    assert "notes" not in err  # optional
    assert f"hint: run 'topcli resume {session_id}' in a terminal to answer them" in err
    assert sessions()[0].status == "in_progress"


def test_resume_without_a_terminal_finishes_when_only_defaults_and_optional_are_left() -> None:
    answers = {
        "role": "Engineer",
        "story": "A week",
        "direction": "Stay",
        "interests": ["Course"],
        "confidence": 5,
        "actions": [{"what": "Enrol", "due": "2026-04-01", "success": "", "support": ""}],
    }
    session_id = in_progress(answers)
    result = run(["resume", session_id])
    assert result.exit_code == 0, result.output
    (session,) = sessions()
    assert session.is_complete
    assert session.answers["start_on"] == "2026-03-16"
    assert session.answers["notes"] is None
    assert session.followup == "2026-06-02"
    assert "Follow-up conversation: Tue 2026-06-02" in result.stdout


def test_resume_a_complete_conversation_shows_its_summary() -> None:
    run(["start", "-a", str(DATA / "answers-top.yaml")])
    session_id = sessions()[0].id
    result = run(["resume", session_id[:4]])
    assert result.exit_code == 0
    assert f"Conversation {session_id} with Sam Rivera is already complete" in result.stdout
    assert "Plan with Sam Rivera" in result.stdout


def test_resume_when_nothing_is_in_progress() -> None:
    err = failed(run(["resume"]), 4)
    assert "error: there is no conversation in progress to resume" in err
    assert "hint: start one with: topcli start" in err


def test_resume_an_unknown_id() -> None:
    err = failed(run(["resume", "deadbeef"]), 4)
    assert "error: no conversation with id 'deadbeef'" in err
    assert "hint: 'topcli sessions list' shows the ids" in err


# --------------------------------------------------------------------------- sessions


def test_sessions_list_when_there_are_none() -> None:
    result = run(["sessions", "list"])
    assert result.exit_code == 0
    assert "No conversations yet. Start one with: topcli start" in result.stdout
    assert json.loads(run(["sessions", "list", "--json"]).stdout) == []


def test_sessions_list_and_json() -> None:
    run(["start", "-a", str(DATA / "answers-top.yaml")])
    paused = in_progress({"role": "Engineer"})
    result = run(["sessions", "list"])
    assert result.exit_code == 0
    assert "Sam Rivera" in result.stdout
    assert "complete" in result.stdout
    assert "in progress" in result.stdout
    listed = json.loads(run(["sessions", "list", "--json"]).stdout)
    assert [(s["person"]["name"], s["status"], s["answers"]) for s in listed] == [
        ("Sam Rivera", "complete", 28),  # 25 + the three optional private notes, skipped
        ("Kim", "in_progress", 1),
    ]
    assert listed[0]["framework"] == {"id": "top", "version": "1.1"}
    assert listed[0]["followup"] == "2026-06-02"
    assert listed[1]["id"] == paused


def test_sessions_show_every_answer_the_plan_and_the_followup() -> None:
    run(["start", "-a", str(DATA / "answers-top.yaml")])
    session_id = sessions()[0].id
    result = run(["sessions", "show", session_id])
    assert result.exit_code == 0
    out = result.stdout
    heading = "Sam Rivera · TOP career conversation 1.1 · started 2026-03-02 · complete"
    assert f"{heading} · id {session_id}" in out
    assert "Shipping the v2 launch." in out
    assert "Mentoring, Job shadowing" in out
    assert "(skipped)" in out  # the optional question left out
    assert "Give a lightning talk" in out
    assert "Follow-up conversation: Tue 2026-06-02" in out
    assert "Not finished" not in out


def test_sessions_show_an_unfinished_one_says_how_to_resume() -> None:
    session_id = in_progress({"role": "Engineer"})
    result = run(["sessions", "show", session_id])
    assert result.exit_code == 0
    assert f"Not finished: continue with topcli resume {session_id}" in result.stdout


def test_sessions_show_json_is_the_whole_record() -> None:
    run(["start", "-a", str(DATA / "answers-grow.json")])
    session_id = sessions()[0].id
    result = run(["sessions", "show", session_id[:5], "--json"])
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["schema_version"] == 2
    assert record["id"] == session_id
    assert record["person"]["name"] == "Kim Park"
    assert record["status"] == "complete"
    assert record["framework"]["id"] == "grow"
    assert record["answers"]["needs_help"] is True
    assert record["answers"]["actions"][0]["what"] == "Draft the migration plan"
    assert record["answers"]["actions"][0]["status"] == "open"
    assert set(record["answered_at"]) == set(record["answers"])
    assert record["followup"] == "2026-05-04"


def test_sessions_show_an_unknown_id() -> None:
    err = failed(run(["sessions", "show", "nope"]), 4)
    assert "error: no conversation with id 'nope'" in err


def test_sessions_delete_with_yes(home: Path) -> None:
    session_id = in_progress({"role": "Engineer"})
    result = run(["sessions", "delete", session_id, "--yes"])
    assert result.exit_code == 0
    assert f"Deleted conversation {session_id} with Kim." in result.stdout
    assert stored_session_count(home) == 0
    assert Store().people() == []


def test_sessions_delete_refuses_without_a_terminal_or_yes(home: Path) -> None:
    session_id = in_progress({"role": "Engineer"})
    err = failed(run(["sessions", "delete", session_id]), 2)
    assert "error: deleting needs confirmation" in err
    assert "hint: add --yes to confirm" in err
    assert stored_session_count(home) == 1


def test_sessions_delete_asks_in_a_terminal(home: Path) -> None:
    session_id = in_progress({"role": "Engineer"})
    kept = run_cli(["sessions", "delete", session_id], Keys.ENTER)  # the default is no
    assert kept.exit_code == 0
    assert "Nothing deleted." in kept.stdout
    assert stored_session_count(home) == 1
    interrupted = run_cli(["sessions", "delete", session_id], Keys.CTRL_C)
    assert interrupted.exit_code == 130
    assert "nothing was deleted" in interrupted.stderr
    assert stored_session_count(home) == 1
    deleted = run_cli(["sessions", "delete", session_id], "y")
    assert deleted.exit_code == 0
    assert stored_session_count(home) == 0


def test_sessions_delete_an_unknown_id() -> None:
    err = failed(run(["sessions", "delete", "nope", "--yes"]), 4)
    assert "no conversation with id 'nope'" in err


def test_names_with_brackets_are_shown_as_typed() -> None:
    # rich would read "[ops]" as a style and drop it, and "[/x]" would crash the summary
    result = run(["start", "-a", str(DATA / "answers-top.yaml"), "-p", "Sam [ops] [/x]"])
    assert result.exit_code == 0, result.output
    assert "with Sam [ops] [/x] is saved" in result.stdout
    session_id = sessions()[0].id
    deleted = run(["sessions", "delete", session_id, "--yes"])
    assert f"Deleted conversation {session_id} with Sam [ops] [/x]." in deleted.stdout


def test_the_data_is_private(home: Path) -> None:
    run(["start", "-a", str(DATA / "answers-top.yaml")])
    assert oct(os.stat(home).st_mode & 0o777) == "0o700"
    assert oct(os.stat(home / "topcli.db").st_mode & 0o777) == "0o600"


def test_plan_show_marks_open_actions_past_their_date_as_overdue(tmp_path: Path) -> None:
    document = yaml.safe_load((DATA / "answers-top.yaml").read_text(encoding="utf-8"))
    document["answers"]["actions"][0]["due"] = "2026-02-01"  # the tests' today is 2026-03-02
    assert run(["start", "-a", str(answers_file(tmp_path, document))]).exit_code == 0
    shown = run(["plan", "show"]).stdout
    overdue_row = next(row for row in shown.splitlines() if "2026-02-01" in row)
    assert "overdue" in overdue_row
    later_row = next(row for row in shown.splitlines() if "2026-04-13" in row)  # +6 weeks
    assert "open" in later_row and "overdue" not in later_row


def test_an_unexpected_error_is_one_line_and_a_traceback_only_with_debug(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import topcli.store

    def broken(self: Any, **kwargs: Any) -> Any:
        raise ValueError("day is out of range for month")

    monkeypatch.setattr(topcli.store.Store, "iter_conversation_summaries", broken)
    result = run(["sessions", "list"])
    assert result.exit_code == 1
    assert "error: internal error: ValueError: day is out of range for month" in result.stderr
    assert "topcli --debug" in result.stderr
    assert "Traceback" not in result.output
    debug = run(["--debug", "sessions", "list"])
    assert debug.exit_code == 1
    assert "Traceback (most recent call last)" in debug.stderr
    assert 'raise ValueError("day is out of range for month")' in debug.stderr
