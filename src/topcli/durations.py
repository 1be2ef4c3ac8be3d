"""The one grammar for lengths of time, periods and relative dates.

Every place a person types an amount of time goes through here, so a form accepted in one place
is accepted (or refused with the same reason) in every other:

- dates in answers (``due`` of an action, the follow-up, ``date`` questions): :func:`parse_date`;
- periods of calendar days (``followup --within``, ``actions list --within``):
  :func:`parse_period` and :class:`Period`;
- fixed lengths for the calendar (``--duration``, ``--remind``): :func:`parse_span`;
- times of day (``--time``): :func:`parse_time`;
- and back for people: a date with its weekday (:func:`with_weekday`), and what is odd about a
  follow-up date (:func:`followup_warnings`).

An amount is one or more terms ``N unit`` (``2w``, ``2 weeks``, ``1h30min``). The units are
``min``, ``h``, ``d``, ``w``, ``mo``, ``y`` and their words (minute(s), hour(s), day(s),
week(s), month(s), year(s)). A bare ``m`` is refused: it means minutes to some people and months
to others, and guessing wrong moves a reminder by a month.

Arithmetic is bounded: a far date (``+99999999 months``) or an absurd length is refused with an
:class:`~topcli.errors.AnswerError` or :class:`~topcli.errors.UsageError`, never an
``OverflowError``. The module is pure (dates come in as arguments) and imports nothing heavy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from topcli.clock import add_months
from topcli.errors import AnswerError, UsageError
from topcli.wording import plural

#: Every spelling of a unit, to its short form.
UNITS: dict[str, str] = {
    "min": "min",
    "mins": "min",
    "minute": "min",
    "minutes": "min",
    "h": "h",
    "hr": "h",
    "hrs": "h",
    "hour": "h",
    "hours": "h",
    "d": "d",
    "day": "d",
    "days": "d",
    "w": "w",
    "wk": "w",
    "wks": "w",
    "week": "w",
    "weeks": "w",
    "mo": "mo",
    "mos": "mo",
    "month": "mo",
    "months": "mo",
    "y": "y",
    "yr": "y",
    "yrs": "y",
    "year": "y",
    "years": "y",
}
#: The word for each short unit, for messages.
UNIT_WORDS: dict[str, str] = {
    "min": "minute",
    "h": "hour",
    "d": "day",
    "w": "week",
    "mo": "month",
    "y": "year",
}
WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
#: Weekday names as shown beside dates: fixed English, not the locale's, like the rest of the text.
WEEKDAY_SHORT: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: The forms a relative date may take, for hints.
DATE_FORMS = (
    "YYYY-MM-DD, 'today', 'tomorrow', a weekday ('friday', 'next friday') "
    "or a distance ('+2w', '+2 weeks', '3 months')"
)
PERIOD_EXAMPLES = "14d, 2w, 1mo or 1y"
SPAN_EXAMPLES = "45min, 1h, 1h30min, 1d or 1w"
#: The last date topcli accepts: far enough for any plan, with room for a calendar event's end
#: and a time zone's offset before Python's ``date.max``.
LATEST_DATE = date(9000, 12, 31)
#: The longest calendar length (a meeting's duration or a reminder's lead time).
LONGEST_SPAN = timedelta(days=366)
#: Periods of calendar days: at most about a thousand years.
LONGEST_PERIOD_DAYS = 366_000

_TERM_RE = re.compile(r"(\d+)\s*([a-z]+)\s*")
#: More digits than this cannot be a sensible amount (and ``int()`` refuses over 4300).
_MAX_DIGITS = 9
_ABBREVIATIONS = {day[:3]: day for day in WEEKDAYS}


class _Refused(Exception):
    """A recognisable amount that cannot be used; callers turn it into their own error."""

    def __init__(self, reason: str, hint: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


def terms(text: str) -> list[tuple[int, str]] | None:
    """``"1h 30min"`` -> ``[(1, "h"), (30, "min")]``; ``None`` when ``text`` is not an amount.

    Raises :class:`_Refused` (which each parser turns into its own error) for a bare ``m`` and
    for an amount with more digits than any real one.
    """
    raw = text.strip().lower()
    found: list[tuple[int, str]] = []
    pos = 0
    while pos < len(raw):
        match = _TERM_RE.match(raw, pos)
        if match is None:
            return None
        digits, unit = match.groups()
        if unit == "m":
            raise _Refused(
                "could mean minutes or months",
                hint=f"write {digits}min for minutes or {digits}mo for months",
            )
        if unit not in UNITS:
            return None
        if len(digits.lstrip("0")) > _MAX_DIGITS:
            raise _Refused("is too large", hint="use a smaller amount")
        found.append((int(digits), UNITS[unit]))
        pos = match.end()
    return found or None


# --------------------------------------------------------------------------- dates


def _shift(day: date, amounts: list[tuple[int, str]]) -> date:
    """``day`` moved by calendar months/years first, then by weeks and days (bounded)."""
    if any(unit in ("min", "h") for _, unit in amounts):
        raise _Refused(
            "is not a date: a date moves by whole days",
            hint="use days, weeks, months or years, e.g. +2w",
        )
    months = sum(n * (12 if unit == "y" else 1) for n, unit in amounts if unit in ("mo", "y"))
    days = sum(n * (7 if unit == "w" else 1) for n, unit in amounts if unit in ("d", "w"))
    try:
        moved = add_months(day, months) if months else day
        moved = moved + timedelta(days=days)
    except (OverflowError, ValueError, AnswerError):
        # off the calendar altogether: the same "too far ahead" as any date past the last one
        moved = date.max
    if moved > LATEST_DATE:
        raise _Refused("is too far ahead", hint=f"give a date up to {LATEST_DATE.isoformat()}")
    return moved


def parse_date(value: Any, *, today: date | None = None) -> date:
    """An ISO date, or (when ``today`` is given) a date relative to it.

    Relative forms: ``today``, ``tomorrow``, a weekday (``friday`` or ``next friday``: the
    first one after today; today itself is ``today``), or a distance with or without ``+``
    or ``in`` (``+2w``, ``+2 weeks``, ``2 weeks``, ``in 3 months``).
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().lower()
    try:
        if today is not None:
            relative = _relative_date(text, today)
            if relative is not None:
                return relative
        try:
            day = date.fromisoformat(text)
        except ValueError:
            forms = DATE_FORMS if today is not None else "YYYY-MM-DD"
            raise AnswerError(f"{value!r} is not a date", hint=f"use the form {forms}") from None
        if day > LATEST_DATE:
            raise _Refused("is too far ahead", hint=f"give a date up to {LATEST_DATE.isoformat()}")
        return day
    except _Refused as refused:
        raise AnswerError(f"{value!r} {refused.reason}", hint=refused.hint) from None


def _relative_date(text: str, today: date) -> date | None:
    if text == "today":
        return today
    if text == "tomorrow":
        return _shift(today, [(1, "d")])
    name = text.removeprefix("next ").strip()
    name = _ABBREVIATIONS.get(name, name)
    if name in WEEKDAYS:
        ahead = (WEEKDAYS.index(name) - today.weekday() - 1) % 7 + 1
        return _shift(today, [(ahead, "d")])
    distance = text.removeprefix("+").removeprefix("in ").strip()
    amounts = terms(distance) if distance[:1].isdigit() else None
    return None if amounts is None else _shift(today, amounts)


def with_weekday(day: date | str) -> str:
    """``Tue 2026-06-02``: a date as a person plans with it (terminal output only; JSON,
    Markdown and calendars keep plain ISO dates). Text that is not a date is returned as is."""
    try:
        parsed = day if isinstance(day, date) else date.fromisoformat(str(day))
    except ValueError:
        return str(day)
    return f"{WEEKDAY_SHORT[parsed.weekday()]} {parsed.isoformat()}"


def followup_warnings(day: date | str, today: date) -> list[str]:
    """What may be a slip in a follow-up date: the past, or a weekend. Not errors (a late plan
    is recorded late; some people do meet on a Saturday), so callers print them as warnings."""
    try:
        parsed = day if isinstance(day, date) else date.fromisoformat(str(day))
    except ValueError:
        return []
    found = []
    if parsed < today:
        found.append(
            f"the follow-up date {parsed.isoformat()} is in the past; "
            "'topcli followup' will show it as overdue"
        )
    if parsed.weekday() >= 5:
        name = WEEKDAYS[parsed.weekday()].capitalize()
        found.append(
            f"the follow-up date {parsed.isoformat()} is a {name}; "
            "if that is not meant, pick a weekday"
        )
    return found


# --------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    """A span of calendar days such as ``14d``, ``2w`` or ``1mo``, counted from a day.

    Kept as amount and unit, not days, because a month from Jan 31 and from Mar 31 differ
    (Jan 31 + 1mo = Feb 28). ``unit`` is ``"d"``, ``"w"`` or ``"m"`` (calendar months; a year is
    twelve of them).
    """

    amount: int
    unit: str

    def end(self, today: date) -> date:
        """The last day inside the period that starts ``today``."""
        unit = "mo" if self.unit == "m" else self.unit
        try:
            return _shift(today, [(self.amount, unit)])
        except _Refused as refused:
            raise UsageError(f"{self} from {today} {refused.reason}", hint=refused.hint) from None

    def words(self) -> str:
        """How a person says it: ``2 weeks``, ``1 month``."""
        return plural(self.amount, {"d": "day", "w": "week", "m": "month"}[self.unit])

    def __str__(self) -> str:
        return f"{self.amount}{'mo' if self.unit == 'm' else self.unit}"


def parse_period(text: str, *, option: str = "--due-within") -> Period:
    """``14d``, ``2w``, ``1mo``, ``1y`` (or the words; a bare number is days)."""
    # "+2 weeks" reads like a relative date; accept it the same way
    raw = str(text).strip().lower().removeprefix("+").strip()
    if raw.isdecimal():
        raw += "d"
    hint = f"use a number of days, weeks, months or years, e.g. {PERIOD_EXAMPLES}"
    try:
        amounts = terms(raw)
        if amounts is None:
            raise UsageError(f"{option}: {text!r} is not a period", hint=hint)
        period = _period(amounts)
    except _Refused as refused:
        raise UsageError(f"{option}: {text!r} {refused.reason}", hint=refused.hint) from None
    days = period.amount * {"d": 1, "w": 7, "m": 31}[period.unit]
    if days > LONGEST_PERIOD_DAYS:
        raise UsageError(f"{option}: {text!r} is too long", hint="use a shorter period")
    return period


def _period(amounts: list[tuple[int, str]]) -> Period:
    units = {unit for _, unit in amounts}
    if units & {"min", "h"}:
        raise _Refused(
            "is not a period: a period counts whole days", hint=f"use e.g. {PERIOD_EXAMPLES}"
        )
    if units <= {"mo", "y"}:
        return Period(sum(n * (12 if u == "y" else 1) for n, u in amounts), "m")
    if units == {"w"}:
        return Period(sum(n for n, _ in amounts), "w")
    if units <= {"d", "w"}:
        return Period(sum(n * (7 if u == "w" else 1) for n, u in amounts), "d")
    raise _Refused(
        "is not a period: it mixes months with days",
        hint=f"use one kind of unit, e.g. {PERIOD_EXAMPLES}",
    )


# --------------------------------------------------------------------------- calendar lengths


def parse_span(text: str, *, what: str, allow_zero: bool = False) -> timedelta:
    """A fixed length: ``45min``, ``1h``, ``1h30min``, ``2d``, ``1w``, or a number of minutes.

    Months and years are refused: a calendar duration or reminder needs a fixed length.
    """
    raw = text.strip().lower().removeprefix("+").strip()
    hint = f"use minutes, hours, days or weeks, e.g. {SPAN_EXAMPLES}"
    try:
        amounts = [(int(raw), "min")] if raw.isdecimal() and len(raw) <= _MAX_DIGITS else terms(raw)
    except _Refused as refused:
        raise UsageError(f"{what} {text!r} {refused.reason}", hint=refused.hint) from None
    if amounts is None:
        raise UsageError(f"{what} {text!r} is not a length of time", hint=hint)
    if any(unit in ("mo", "y") for _, unit in amounts):
        raise UsageError(
            f"{what} {text!r} is not a fixed length: months and years vary",
            hint="use weeks or days, e.g. 4w or 30d",
        )
    sizes = {"min": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
    sizes["w"] = timedelta(weeks=1)
    try:
        span = sum((n * sizes[unit] for n, unit in amounts), timedelta())
    except OverflowError:
        span = timedelta.max
    if span > LONGEST_SPAN:
        raise UsageError(f"{what} {text!r} is too long", hint="use at most 366 days")
    if not span and not allow_zero:
        raise UsageError(f"{what} {text!r} is zero", hint="use e.g. 45min or 1h")
    return span


def parse_time(text: str, *, what: str = "--time") -> time:
    """A time of day, 24-hour ``HH:MM``."""
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise UsageError(
            f"{what} {text!r} is not a time of day",
            hint="use 24-hour HH:MM, e.g. 10:00 or 14:30",
        ) from None
