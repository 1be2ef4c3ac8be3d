"""One vocabulary across commands: --person everywhere, one --within, --debug anywhere, dates
with weekdays, follow-up warnings, and output that survives a Latin-1 terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from helpers import run_cli
from topcli.durations import followup_warnings, with_weekday

DATA = Path(__file__).parent / "data"
FOLLOW = DATA / "followthrough"


def cli(*args: str) -> object:
    return run_cli(list(args))


@pytest.fixture
def two_people(home: Path) -> None:
    for name in ("alex-first.yaml", "sam-first.yaml"):
        result = run_cli(["start", "--answers", str(FOLLOW / name), "--no-input"])
        assert result.exit_code == 0, result.output


def as_json(*args: str) -> object:
    result = run_cli([*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- --person wherever a person is chosen -----------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["history"],
        ["followup", "--all"],
        ["actions", "list"],
        ["sessions", "list"],
        ["plan", "show"],
    ],
    ids=lambda c: " ".join(c),
)
def test_person_option_is_accepted_and_narrows_to_that_person(
    two_people: None, command: list[str]
) -> None:
    result = run_cli([*command, "--person", "Sam", "--json"])
    assert result.exit_code in (0, 10), result.output  # followup: 10 when something is overdue
    text = result.stdout
    assert "Sam" in text
    assert "Alex" not in text


def test_person_option_and_argument_are_the_same(two_people: None) -> None:
    assert as_json("history", "--person", "Alex") == as_json("history", "Alex")
    assert as_json("history", "-p", "Alex") == as_json("history", "Alex")


def test_two_different_people_are_refused(two_people: None) -> None:
    result = run_cli(["history", "Alex", "--person", "Sam"])
    assert result.exit_code == 2
    assert "two people given: 'Alex' and --person 'Sam'" in result.stderr


@pytest.mark.parametrize("command", ["history", "checkin", "prep"])
def test_no_person_at_all_says_how_to_give_one(home: Path, command: str) -> None:
    result = run_cli([command])
    assert result.exit_code == 2
    assert "no person given" in result.stderr
    assert f"topcli {command} --person NAME" in result.stderr


def test_prep_takes_person_as_an_option(home: Path) -> None:
    result = run_cli(["prep", "--person", "Sam Lee"])
    assert result.exit_code == 0, result.output
    assert "**For:** Sam Lee" in result.stdout


def test_checkin_takes_person_as_an_option(two_people: None, tmp_path: Path) -> None:
    # without a terminal and without answers it stops at the first question: that it got
    # there shows --person found Sam's last plan
    result = run_cli(["checkin", "--person", "Sam", "--no-input"])
    assert "no earlier conversation" not in result.stderr
    assert "Traceback" not in result.output


# --- --no-input wherever a command may prompt -------------------------------------------------


def test_resume_no_input_never_prompts_even_in_a_terminal(home: Path) -> None:
    from topcli.loader import load_framework
    from topcli.store import Store

    framework = load_framework(DATA / "core" / "every-type.yaml")
    store = Store()
    session_id = store.create_session(store.person_for_new_session("Kim")["id"], framework)
    # run_cli wires keys in, as a terminal would: --no-input must still not ask
    result = run_cli(["resume", session_id, "--no-input"], "typed answer\r")
    assert result.exit_code == 2, result.output
    assert "required questions have no answer" in result.stderr


# --- one --within -----------------------------------------------------------------------------


def test_actions_list_within_and_the_old_due_within_agree(two_people: None) -> None:
    within = as_json("actions", "list", "--within", "1w")
    short = as_json("actions", "list", "-w", "1w")
    old = as_json("actions", "list", "--due-within", "1w")
    assert within == short == old
    assert within != as_json("actions", "list")


def test_the_old_name_is_hidden_from_help() -> None:
    text = run_cli(["actions", "list", "--help"]).stdout
    assert "--within" in text
    assert "--due-within" not in text


def test_a_bad_period_names_the_flag_that_was_used(two_people: None) -> None:
    assert "--within: '3m'" in run_cli(["actions", "list", "--within", "3m"]).stderr
    assert "--due-within: '3m'" in run_cli(["actions", "list", "--due-within", "3m"]).stderr


# --- --debug anywhere -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--debug", "sessions", "show", "nope"],
        ["sessions", "--debug", "show", "nope"],
        ["sessions", "show", "nope", "--debug"],
    ],
)
def test_debug_is_accepted_anywhere_on_the_line(home: Path, args: list[str]) -> None:
    result = run_cli(args)
    assert result.exit_code == 4, result.output
    assert "Traceback" in result.stderr
    assert "No such option" not in result.output


def test_topcli_debug_environment_variable(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "Traceback" not in run_cli(["sessions", "show", "nope"]).stderr
    monkeypatch.setenv("TOPCLI_DEBUG", "1")
    assert "Traceback" in run_cli(["sessions", "show", "nope"]).stderr
    monkeypatch.setenv("TOPCLI_DEBUG", "0")
    assert "Traceback" not in run_cli(["sessions", "show", "nope"]).stderr


def test_debug_after_double_dash_is_an_argument(home: Path) -> None:
    result = run_cli(["sessions", "show", "--", "--debug"])
    assert "no conversation" in result.stderr.lower() or result.exit_code == 4
    assert "Traceback" not in result.stderr


def test_debug_does_not_stick_to_the_next_run(home: Path) -> None:
    run_cli(["--debug", "sessions", "show", "nope"])
    assert "Traceback" not in run_cli(["sessions", "show", "nope"]).stderr


# --- dates for people -------------------------------------------------------------------------


def test_with_weekday() -> None:
    assert with_weekday(date(2026, 6, 1)) == "Mon 2026-06-01"
    assert with_weekday("2026-06-07") == "Sun 2026-06-07"
    assert with_weekday("someday") == "someday"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-03-04", []),
        ("2026-03-07", ["is a Saturday"]),
        ("2026-02-02", ["is in the past"]),
        ("2026-02-01", ["is in the past", "is a Sunday"]),
    ],
)
def test_followup_warnings(day: str, expected: list[str]) -> None:
    found = followup_warnings(day, date(2026, 3, 2))
    assert len(found) == len(expected)
    for text, part in zip(found, expected, strict=True):
        assert part in text and day in text


def test_plan_show_has_weekdays_and_json_keeps_iso(two_people: None) -> None:
    shown = run_cli(["plan", "show", "--person", "Alex"]).stdout
    assert "Follow-up conversation: Mon 2026-05-04" in shown
    data = as_json("plan", "show", "--person", "Alex")
    assert data["followup"] == "2026-05-04"
    assert all(len(action["due"]) == 10 for action in data["actions"])


def test_a_followup_at_a_weekend_is_a_warning_not_an_error(home: Path, tmp_path: Path) -> None:
    answers = tmp_path / "saturday.yaml"
    text = (FOLLOW / "alex-first.yaml").read_text()
    answers.write_text(text.replace("followup: 2026-05-04", "followup: 2026-05-02"))
    result = run_cli(["start", "--answers", str(answers), "--no-input"])
    assert result.exit_code == 0, result.output
    assert "warning: the follow-up date 2026-05-02 is a Saturday" in result.stderr
    assert "Follow-up conversation: Sat 2026-05-02" in result.stdout


def test_a_weekday_followup_has_no_warning(home: Path) -> None:
    result = run_cli(["start", "--answers", str(FOLLOW / "alex-first.yaml"), "--no-input"])
    assert "warning" not in result.stderr


# --- a Latin-1 terminal -----------------------------------------------------------------------


def _latin1_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOPCLI_")}
    env.update(
        TOPCLI_HOME=str(home),
        TOPCLI_NOW="2026-03-02T09:00:00+00:00",
        TOPCLI_DISABLE_PLUGIN_AUTOLOAD="1",
        PYTHONIOENCODING="latin-1",
        LANG="C",
        LC_ALL="C",
    )
    return env


def test_a_latin1_terminal_never_crashes(home: Path, tmp_path: Path) -> None:
    answers = tmp_path / "unicode.yaml"
    text = (FOLLOW / "alex-first.yaml").read_text(encoding="utf-8")
    # characters Latin-1 cannot show: a name in Greek, an arrow, an emoji
    answers.write_text(
        text.replace("Alex Kim", "Αλέξης Kim").replace(
            "followup: 2026-05-04", "followup: 2026-03-04"
        )
        + "\n",
        encoding="utf-8",
    )
    env = _latin1_env(home)
    topcli = str(Path(sys.executable).parent / "topcli")

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([topcli, *args], env=env, capture_output=True, timeout=60)

    started = run("start", "--answers", str(answers), "--no-input")
    assert started.returncode == 0, started.stderr.decode("latin-1")
    session_id = json.loads(run("sessions", "list", "--json").stdout)[0]["id"]
    for args in (["followup"], ["actions", "list"], ["sessions", "show", session_id]):
        result = run(*args)
        err = result.stderr.decode("latin-1")
        assert "UnicodeEncodeError" not in err and "internal error" not in err, (args, err)
        assert result.returncode in (0, 10), (args, err)
        assert b"Kim" in result.stdout
