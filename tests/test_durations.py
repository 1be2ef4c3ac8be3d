"""The one grammar for amounts of time: dates, periods, calendar lengths and times of day.

Table-driven: each form is checked in every parser that takes it, so a form accepted in one
place and refused in another shows up here (issue 10.4, issue 13).
"""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from topcli.durations import (
    LATEST_DATE,
    Period,
    parse_date,
    parse_period,
    parse_span,
    parse_time,
    terms,
)
from topcli.errors import AnswerError, ExitCode, UsageError

MONDAY = date(2026, 3, 2)
WEDNESDAY = date(2026, 3, 4)


# --------------------------------------------------------------------------- the vocabulary


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5min", [(5, "min")]),
        ("5 minutes", [(5, "min")]),
        ("1 minute", [(1, "min")]),
        ("2h", [(2, "h")]),
        ("2 hours", [(2, "h")]),
        ("1 hour", [(1, "h")]),
        ("3d", [(3, "d")]),
        ("3 days", [(3, "d")]),
        ("1 day", [(1, "d")]),
        ("2w", [(2, "w")]),
        ("2 weeks", [(2, "w")]),
        ("1 week", [(1, "w")]),
        ("4mo", [(4, "mo")]),
        ("4 months", [(4, "mo")]),
        ("1 month", [(1, "mo")]),
        ("1y", [(1, "y")]),
        ("2 years", [(2, "y")]),
        ("1 year", [(1, "y")]),
        ("1h30min", [(1, "h"), (30, "min")]),
        (" 1 Hour 30 Minutes ", [(1, "h"), (30, "min")]),
        ("1w2d", [(1, "w"), (2, "d")]),
    ],
)
def test_every_unit_has_a_short_form_and_its_words(
    text: str, expected: list[tuple[int, str]]
) -> None:
    assert terms(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "2", "d2", "1.5h", "-2d", "2 fortnights", "2x"])
def test_what_is_not_an_amount_is_none(text: str) -> None:
    assert terms(text) is None


# --------------------------------------------------------------------------- a bare m


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (lambda t: parse_span(t, what="--remind", allow_zero=True), "1m"),
        (lambda t: parse_span(t, what="--duration"), "1h30m"),
        (lambda t: parse_period(t, option="--within"), "1m"),
        (lambda t: parse_date(t, today=MONDAY), "+1m"),
    ],
)
def test_a_bare_m_is_refused_everywhere_with_both_spellings(parse, text: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises((UsageError, AnswerError)) as caught:
        parse(text)
    assert "could mean minutes or months" in caught.value.message
    assert "min for minutes" in (caught.value.hint or "")
    assert "mo for months" in (caught.value.hint or "")


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("2026-04-15", MONDAY, date(2026, 4, 15)),
        ("today", MONDAY, MONDAY),
        ("tomorrow", MONDAY, date(2026, 3, 3)),
        ("+2w", MONDAY, date(2026, 3, 16)),
        ("+2 weeks", MONDAY, date(2026, 3, 16)),
        ("2 weeks", MONDAY, date(2026, 3, 16)),
        ("in 10 days", MONDAY, date(2026, 3, 12)),
        ("+3mo", MONDAY, date(2026, 6, 2)),
        ("+1y", date(2028, 2, 29), date(2029, 2, 28)),  # clamped to the shorter month
        ("+1mo1w", date(2026, 1, 31), date(2026, 3, 7)),  # months first, then days
        ("monday", MONDAY, date(2026, 3, 9)),  # never today: that is 'today'
        ("next monday", MONDAY, date(2026, 3, 9)),
        ("friday", WEDNESDAY, date(2026, 3, 6)),
        ("next friday", WEDNESDAY, date(2026, 3, 6)),
        ("tue", WEDNESDAY, date(2026, 3, 10)),
        ("Sunday", WEDNESDAY, date(2026, 3, 8)),
    ],
)
def test_dates_iso_or_relative(text: str, today: date, expected: date) -> None:
    assert parse_date(text, today=today) == expected


@pytest.mark.parametrize("text", ["+2h", "+30 minutes"])
def test_a_date_does_not_move_by_hours(text: str) -> None:
    with pytest.raises(AnswerError, match="a date moves by whole days"):
        parse_date(text, today=MONDAY)


@pytest.mark.parametrize("text", ["+99999999 months", "+999999999 days", "+7000y", "9999-01-01"])
def test_far_dates_are_refused_not_overflowed(text: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_date(text, today=MONDAY)
    assert "too far ahead" in caught.value.message
    assert caught.value.exit_code == ExitCode.USAGE


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (lambda t: parse_date(t, today=MONDAY), "+9999999999999 days"),
        (lambda t: parse_period(t), "9999999999999d"),
        (lambda t: parse_span(t, what="--remind"), "9999999999999h"),
        (lambda t: parse_date(t, today=MONDAY), "+" + "9" * 5000 + "d"),  # past int()'s limit
    ],
)
def test_amounts_with_absurd_digits_are_refused_everywhere(parse, text: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises((UsageError, AnswerError)) as caught:
        parse(text)
    assert "is too large" in caught.value.message


def test_the_latest_date_is_accepted() -> None:
    assert parse_date(LATEST_DATE.isoformat(), today=MONDAY) == LATEST_DATE


def test_an_error_lists_every_form_of_date() -> None:
    with pytest.raises(AnswerError) as caught:
        parse_date("someday", today=MONDAY)
    hint = caught.value.hint or ""
    for form in ("YYYY-MM-DD", "today", "tomorrow", "next friday", "+2w", "+2 weeks", "3 months"):
        assert form in hint


# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("14", Period(14, "d")),
        ("14d", Period(14, "d")),
        ("2 days", Period(2, "d")),
        ("2w", Period(2, "w")),
        ("+2 weeks", Period(2, "w")),  # refused before: the same words as a relative date
        ("1mo", Period(1, "m")),
        ("3 months", Period(3, "m")),
        ("1y", Period(12, "m")),
        ("1 year 6 months", Period(18, "m")),
        ("1w2d", Period(9, "d")),
    ],
)
def test_periods(text: str, period: Period) -> None:
    assert parse_period(text) == period


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("3h", "a period counts whole days"),
        ("90 minutes", "a period counts whole days"),
        ("1mo2d", "mixes months with days"),
        ("99999y", "too long"),
        ("two weeks", "is not a period"),
    ],
)
def test_periods_refused_name_the_option(text: str, reason: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_period(text, option="--within")
    assert caught.value.message.startswith(f"--within: {text!r}")
    assert reason in caught.value.message


def test_a_period_past_the_last_date_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="too far ahead"):
        parse_period("900y").end(date(8500, 1, 1))


@pytest.mark.parametrize(
    ("period", "shown", "words"),
    [
        (Period(1, "m"), "1mo", "1 month"),
        (Period(2, "w"), "2w", "2 weeks"),
        (Period(1, "d"), "1d", "1 day"),
    ],
)
def test_a_period_is_shown_in_the_vocabulary(period: Period, shown: str, words: str) -> None:
    assert str(period) == shown
    assert parse_period(shown) == period
    assert period.words() == words


# --------------------------------------------------------------------------- calendar lengths


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("45", timedelta(minutes=45)),
        ("45min", timedelta(minutes=45)),
        ("1 hour 30 minutes", timedelta(minutes=90)),
        ("1h 30min", timedelta(minutes=90)),
        ("2d", timedelta(days=2)),
        ("1 week", timedelta(weeks=1)),
        ("366d", timedelta(days=366)),
    ],
)
def test_calendar_lengths(text: str, span: timedelta) -> None:
    assert parse_span(text, what="--duration") == span


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1mo", "months and years vary"),
        ("1y", "months and years vary"),
        ("53w", "is too long"),
        ("999999999w", "is too long"),
        ("99999999999999", "not a length of time"),
        ("0min", "is zero"),
    ],
)
def test_calendar_lengths_refused(text: str, reason: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_span(text, what="--duration")
    assert caught.value.message.startswith(f"--duration {text!r}")
    assert reason in caught.value.message


@pytest.mark.parametrize(("text", "expected"), [("10:00", time(10, 0)), (" 14:30 ", time(14, 30))])
def test_times_of_day(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "ten", "10", "10:00:00"])
def test_times_of_day_refused(text: str) -> None:
    with pytest.raises(UsageError, match="not a time of day"):
        parse_time(text)


# --------------------------------------------------------------------------- through the CLI


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (["plan", "export", "--ics", "--remind", "1m"], "--remind '1m'", "write 1min"),
        (["plan", "export", "--ics", "--duration", "2mo"], "not a fixed length", "4w"),
        (["followup", "--within", "1m"], "--within: '1m'", "1mo for months"),
        (["actions", "list", "--due-within", "3h"], "whole days", "14d, 2w, 1mo or 1y"),
    ],
)
def test_the_cli_refuses_with_exit_2_and_a_hint(args: list[str], message: str, hint: str) -> None:
    from typer.testing import CliRunner

    from topcli.cli import app

    result = CliRunner().invoke(app, args)
    assert result.exit_code == ExitCode.USAGE, result.output
    assert message in result.output
    assert hint in result.output
    assert "Traceback" not in result.output


def test_the_cli_takes_relative_date_words_as_a_period() -> None:
    from typer.testing import CliRunner

    from topcli.cli import app

    result = CliRunner().invoke(app, ["followup", "--within", "+2 weeks"])
    assert result.exit_code == 0, result.output
    assert "next 2 weeks" in result.output
