"""Due, upcoming and overdue: pure date logic at month ends, and "today" across time zones."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import run_cli
from topcli import clock, errors
from topcli.cli import app
from topcli.durations import Period, parse_period
from topcli.errors import UsageError
from topcli.followthrough import OVERDUE_EXIT_CODE, days_until, describe_days, due_state

DATA = Path(__file__).parent / "data" / "followthrough"


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("14d", Period(14, "d")),
        ("2w", Period(2, "w")),
        ("1mo", Period(1, "m")),
        ("14", Period(14, "d")),
        (" 3 weeks ", Period(3, "w")),
        ("1 month", Period(1, "m")),
        ("2 Days", Period(2, "d")),
    ],
)
def test_parse_period_accepts_days_weeks_months(text: str, period: Period) -> None:
    assert parse_period(text) == period


@pytest.mark.parametrize("text", ["", "3x", "d14", "-2d", "1.5m", "two weeks"])
def test_parse_period_refuses_with_the_option_and_an_example(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_period(text, option="--within")
    assert caught.value.message.startswith("--within: ")
    assert "14d, 2w, 1mo or 1y" in (caught.value.hint or "")


@pytest.mark.parametrize(
    ("today", "period", "end"),
    [
        (date(2026, 1, 31), "1mo", date(2026, 2, 28)),  # clamped to the shorter month
        (date(2028, 1, 31), "1mo", date(2028, 2, 29)),  # leap year
        (date(2026, 3, 31), "1mo", date(2026, 4, 30)),
        (date(2026, 12, 31), "2mo", date(2027, 2, 28)),  # across the year end
        (date(2026, 2, 28), "1w", date(2026, 3, 7)),
        (date(2026, 12, 25), "14d", date(2027, 1, 8)),
    ],
)
def test_period_end_uses_calendar_months(today: date, period: str, end: date) -> None:
    assert parse_period(period).end(today) == end


def test_days_until_counts_calendar_days_across_month_ends() -> None:
    assert days_until(date(2026, 3, 1), date(2026, 1, 31)) == 29
    assert days_until(date(2028, 3, 1), date(2028, 2, 28)) == 2
    assert days_until(date(2026, 1, 31), date(2026, 2, 1)) == -1


def test_due_state_is_overdue_only_before_today() -> None:
    today = date(2026, 2, 28)
    assert due_state(date(2026, 2, 27), today) == "overdue"
    assert due_state(date(2026, 2, 28), today) == "today"
    assert due_state(date(2026, 3, 1), today) == "upcoming"


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (0, "today"),
        (1, "tomorrow"),
        (5, "in 5 days"),
        (-1, "1 day overdue"),
        (-3, "3 days overdue"),
    ],
)
def test_describe_days(days: int, words: str) -> None:
    assert describe_days(days) == words


def test_overdue_exit_code_collides_with_no_error() -> None:
    def codes(cls: type[errors.TopcliError]) -> set[int]:
        found = {cls.exit_code}
        for sub in cls.__subclasses__():
            found |= codes(sub)
        return found

    taken = codes(errors.TopcliError) | {2}  # 2: click's own usage errors
    assert OVERDUE_EXIT_CODE not in taken


# --------------------------------------------------------------------------- through the CLI


def _seed_one_action(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, due: str, followup: str
) -> None:
    """Alex Kim's conversation on 2026-01-05 with one action due ``due``."""
    text = (DATA / "alex-first.yaml").read_text()
    text = text.replace("due: 2026-03-09", f"due: {due}")
    text = text.replace("followup: 2026-05-04", f"followup: {followup}")
    answers = tmp_path / "alex.yaml"
    answers.write_text(text)
    monkeypatch.setenv("TOPCLI_NOW", "2026-01-05T10:00:00+00:00")
    result = run_cli(["start", "--answers", str(answers), "--no-input"])
    assert result.exit_code == 0, result.output


def _followup_json(now: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, dict]:
    monkeypatch.setenv("TOPCLI_NOW", now)
    result = CliRunner().invoke(app, ["followup", "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_same_instant_is_due_today_in_new_york_and_overdue_in_tokyo(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _seed_one_action(monkeypatch, tmp_path, due="2026-01-31", followup="2026-04-30")
    new_york = "2026-01-31T23:30:00-05:00"
    tokyo = "2026-02-01T13:30:00+09:00"  # the same instant

    monkeypatch.setenv("TOPCLI_NOW", new_york)
    assert clock.today() == date(2026, 1, 31)
    code, data = _followup_json(new_york, monkeypatch)
    assert code == 0
    assert data["today"] == "2026-01-31"
    assert data["overdue"] == 0
    action = next(i for i in data["items"] if i["type"] == "action")
    assert (action["days"], action["state"]) == (0, "today")

    code, data = _followup_json(tokyo, monkeypatch)
    assert code == OVERDUE_EXIT_CODE
    assert data["today"] == "2026-02-01"
    action = next(i for i in data["items"] if i["type"] == "action")
    assert (action["days"], action["state"]) == (-1, "overdue")
    assert data["overdue"] == 1


def test_window_of_one_month_from_january_31_ends_february_28(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _seed_one_action(monkeypatch, tmp_path, due="2026-02-28", followup="2026-03-01")
    code, data = _followup_json("2026-01-31T12:00:00+00:00", monkeypatch)
    assert code == 0
    assert data["items"] == []  # 14 days by default: neither is within it
    assert data["next"]["date"] == "2026-02-28"

    monkeypatch.setenv("TOPCLI_NOW", "2026-01-31T12:00:00+00:00")
    result = CliRunner().invoke(app, ["followup", "--within", "1mo", "--json"])
    data = json.loads(result.stdout)
    assert data["until"] == "2026-02-28"
    assert [(i["type"], i["date"], i["days"]) for i in data["items"]] == [
        ("action", "2026-02-28", 28)
    ]
    assert data["next"]["type"] == "conversation"
    assert data["next"]["days"] == 29

    listed = CliRunner().invoke(app, ["actions", "list", "--due-within", "1mo", "--json"])
    assert [a["due"] for a in json.loads(listed.stdout)] == ["2026-02-28"]


def test_follow_up_due_today_is_not_overdue_on_a_leap_day(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _seed_one_action(monkeypatch, tmp_path, due="2028-03-31", followup="2028-02-29")
    code, data = _followup_json("2028-02-29T08:00:00+01:00", monkeypatch)
    assert code == 0
    conversation = next(i for i in data["items"] if i["type"] == "conversation")
    assert (conversation["days"], conversation["state"]) == (0, "today")

    code, data = _followup_json("2028-03-01T00:00:01+01:00", monkeypatch)
    assert code == OVERDUE_EXIT_CODE
    assert data["overdue"] == 1
