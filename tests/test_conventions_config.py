"""Settings applied by the real commands: flag > environment > config file > built-in default.

Each table row sets some of the three places and names the one that must win; the command's
own output says which value it used. (``topcli config`` itself is tested in test_config_cli.py.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from helpers import run_cli

DATA = Path(__file__).parent / "data"


def write_config(home: Path, text: str) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- framework --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "env", "config", "used"),
    [
        (None, None, None, "top"),
        (None, None, "grow", "grow"),
        (None, "grow", "top", "grow"),
        ("top", "grow", "grow", "top"),
        ("grow", None, "top", "grow"),
    ],
)
def test_framework_of_prep_flag_env_config_default(
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    flag: str | None,
    env: str | None,
    config: str | None,
    used: str,
) -> None:
    if config:
        write_config(home, f'framework = "{config}"\n')
    if env:
        monkeypatch.setenv("TOPCLI_FRAMEWORK", env)
    result = run_cli(["prep", "Sam", *(["-f", flag] if flag else [])])
    assert result.exit_code == 0, result.output
    assert f"(framework `{used}`" in result.stdout


def test_start_uses_the_framework_setting_but_an_answers_file_still_says_its_own(
    home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TOPCLI_FRAMEWORK", "grow")
    # the answers file names 'top': it was written for that framework, so it wins
    result = run_cli(["start", "-a", str(DATA / "answers-top.yaml"), "--no-input"])
    assert result.exit_code == 0, result.output
    listed = json.loads(run_cli(["sessions", "list", "--json"]).stdout)
    assert listed[0]["framework"]["id"] == "top"


def test_an_unknown_framework_setting_names_where_it_was_set(home: Path) -> None:
    path = write_config(home, '\nframework = "gorw"\n')
    result = run_cli(["prep", "Sam"])
    assert result.exit_code != 0
    assert f"unknown framework 'gorw' (the 'framework' setting, from {path}:2)" in result.stderr
    assert "did you mean 'grow'" in result.stderr
    assert "Traceback" not in result.output


# --- follow-up interval -----------------------------------------------------------------------


def answers_without_followup(tmp_path: Path) -> Path:
    data = yaml.safe_load((DATA / "answers-top.yaml").read_text(encoding="utf-8"))
    del data["answers"]["followup"]
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("env", "config", "followup"),
    [
        # the suite's today is Monday 2026-03-02
        (None, None, "2026-06-02"),  # 3mo, a Tuesday
        (None, "6w", "2026-04-13"),
        (None, "2 months", "2026-05-04"),  # Saturday 05-02 moved to the Monday
        ("1w", "6w", "2026-03-09"),
        ("10d", None, "2026-03-12"),
    ],
)
def test_followup_default_comes_from_followup_interval(
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    env: str | None,
    config: str | None,
    followup: str,
) -> None:
    if config:
        write_config(home, f'followup_interval = "{config}"\n')
    if env:
        monkeypatch.setenv("TOPCLI_FOLLOWUP_INTERVAL", env)
    result = run_cli(["start", "-a", str(answers_without_followup(tmp_path)), "--no-input"])
    assert result.exit_code == 0, result.output
    assert json.loads(run_cli(["sessions", "list", "--json"]).stdout)[0]["followup"] == followup


def test_a_bad_followup_interval_in_the_environment_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TOPCLI_FOLLOWUP_INTERVAL", "3m")
    result = run_cli(["start", "-a", str(answers_without_followup(tmp_path)), "--no-input"])
    assert result.exit_code == 2
    assert "TOPCLI_FOLLOWUP_INTERVAL" in result.stderr
    assert "'3mo' for months" in result.stderr
    assert "Traceback" not in result.output


# --- calendar ---------------------------------------------------------------------------------


@pytest.fixture
def plan(home: Path) -> None:
    result = run_cli(["start", "-a", str(DATA / "answers-top.yaml"), "--no-input"])
    assert result.exit_code == 0, result.output


def followup_event(calendar: str) -> str:
    return calendar.split("BEGIN:VEVENT")[1].split("END:VEVENT")[0]


#: key -> (environment variable, flag, three values, what the event shows for each value)
CALENDAR = {
    "meeting_time": (
        "TOPCLI_MEETING_TIME",
        "--time",
        ("08:15", "09:30", "11:00"),
        ("T081500", "T093000", "T110000"),
    ),
    "duration": (
        "TOPCLI_DURATION",
        "--duration",
        ("1h", "30min", "2h"),
        ("T0900", "T0830", "T1000"),
    ),
    "remind": ("TOPCLI_REMIND", "--remind", ("2d", "3h", "0min"), ("-P2D", "-PT3H", "P0D")),
    "timezone": (
        "TOPCLI_TIMEZONE",
        "--timezone",
        ("Europe/Paris", "Asia/Tokyo", "America/Chicago"),
        ("Europe/Paris", "Asia/Tokyo", "America/Chicago"),
    ),
}


def shown(key: str, event: str) -> str:
    """The part of the follow-up event that the setting ``key`` decides."""
    if key == "meeting_time":
        return re.search(r"DTSTART[^:\n]*:\d{8}(T\d{6})", event).group(1)  # type: ignore[union-attr]
    if key == "duration":
        # the start is 08:00 in every duration case (set by the config file), so the end says it
        return re.search(r"DTEND[^:\n]*:\d{8}(T\d{4})", event).group(1)  # type: ignore[union-attr]
    if key == "remind":
        return re.search(r"TRIGGER:(\S+)", event).group(1)  # type: ignore[union-attr]
    return re.search(r"DTSTART;TZID=([^:]+):", event).group(1)  # type: ignore[union-attr]


@pytest.mark.parametrize("key", sorted(CALENDAR))
@pytest.mark.parametrize(
    ("where", "winner"),
    [
        ({"config"}, 0),
        ({"config", "env"}, 1),
        ({"env"}, 1),
        ({"config", "env", "flag"}, 2),
        ({"config", "flag"}, 2),
    ],
    ids=lambda v: "+".join(sorted(v)) if isinstance(v, set) else f"wins={v}",
)
def test_calendar_settings_flag_env_config(
    plan: None,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    key: str,
    where: set[str],
    winner: int,
) -> None:
    env_name, flag, values, expected = CALENDAR[key]
    lines = [f'{key} = "{values[0]}"'] if "config" in where else []
    if key == "duration":
        lines.append('meeting_time = "08:00"')
    write_config(home, "\n".join(lines) + "\n")
    if "env" in where:
        monkeypatch.setenv(env_name, values[1])
    args = ["plan", "export", "--ics", *([flag, values[2]] if "flag" in where else [])]
    result = run_cli(args)
    assert result.exit_code == 0, result.output
    assert shown(key, followup_event(result.stdout)) == expected[winner]


def test_calendar_defaults_without_any_setting(plan: None) -> None:
    result = run_cli(["plan", "export", "--ics", "--timezone", "UTC"])
    event = followup_event(result.stdout)
    assert "DTSTART:20260602T100000Z" in event
    assert "DTEND:20260602T104500Z" in event
    assert "TRIGGER:-P1D" in event


def test_a_setting_does_not_count_as_a_calendar_flag_for_other_formats(
    plan: None, home: Path
) -> None:
    write_config(home, 'remind = "2h"\nmeeting_time = "09:00"\n')
    result = run_cli(["plan", "export", "--md"])
    assert result.exit_code == 0, result.output


def test_a_bad_calendar_setting_names_the_file_and_line(plan: None, home: Path) -> None:
    path = write_config(home, '# mine\n\nremind = "1m"\n')
    result = run_cli(["plan", "export", "--ics"])
    assert result.exit_code == 2
    assert f"{path}:3" in result.stderr
    assert "'1min' for minutes" in result.stderr


def test_a_flag_works_while_the_setting_from_the_environment_is_bad(
    plan: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOPCLI_REMIND", "soon")
    assert run_cli(["plan", "export", "--ics", "--remind", "1h"]).exit_code == 0
    refused = run_cli(["plan", "export", "--ics"])
    assert refused.exit_code == 2
    assert "TOPCLI_REMIND" in refused.stderr


# --- a broken config file ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["--help"], ["--version"], ["config", "path"], ["sessions", "list"], ["prep", "--help"]],
)
def test_a_broken_config_file_never_stops_help_version_or_commands_without_settings(
    home: Path, args: list[str]
) -> None:
    write_config(home, "this is = = not toml\n")
    result = run_cli(args)
    assert result.exit_code == 0, result.output


def test_a_broken_config_file_is_reported_by_a_command_that_needs_a_setting(home: Path) -> None:
    path = write_config(home, "this is = = not toml\n")
    result = run_cli(["prep", "Sam"])
    assert result.exit_code == 2
    assert f"{path}:1" in result.stderr
    assert "topcli config edit" in result.stderr


# --- one grammar for the file and the flags ---------------------------------------------------


@pytest.mark.parametrize(
    ("value", "normal"), [("1h30min", "1h30min"), ("1h 30 min", "1h30min"), ("2 hrs", "2h")]
)
def test_the_config_file_takes_what_the_flags_take(
    plan: None, home: Path, value: str, normal: str
) -> None:
    assert run_cli(["config", "set", "duration", value]).exit_code == 0
    assert run_cli(["config", "get", "duration"]).stdout == f"{normal}\n"
    flag = run_cli(["plan", "export", "--ics", "--timezone", "UTC", "--duration", value]).stdout
    setting = run_cli(["plan", "export", "--ics", "--timezone", "UTC"]).stdout
    assert followup_event(flag) == followup_event(setting)


@pytest.mark.parametrize("value", ["1h30m", "99999999999999min", "h1"])
def test_the_config_file_refuses_what_the_flags_refuse(home: Path, value: str) -> None:
    result = run_cli(["config", "set", "duration", value])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
