"""The one place topcli asks what time it is.

``TOPCLI_NOW`` (an ISO date or date-time) fixes the clock, so tests, demos and the pexpect
end-to-end runs see the same "today" as the code they check. Everything that needs a date calls
:func:`today` or :func:`now`; nothing else reads the system clock.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta


def now() -> datetime:
    """The current local time, timezone-aware (fixed by ``TOPCLI_NOW`` when set)."""
    fixed = os.environ.get("TOPCLI_NOW")
    if fixed:
        try:
            value = datetime.fromisoformat(fixed)
        except ValueError:
            from topcli.errors import UsageError

            raise UsageError(
                f"TOPCLI_NOW={fixed!r} is not an ISO date or date-time",
                hint="use e.g. TOPCLI_NOW=2026-01-15T09:30:00 or unset it",
            ) from None
        return value.astimezone() if value.tzinfo is None else value
    return datetime.now().astimezone()


def today() -> date:
    return now().date()


def _out_of_range(day: date, amount: int, unit: str) -> Exception:
    from topcli.errors import AnswerError

    return AnswerError(
        f"{day.isoformat()} plus {amount:,} {unit} is outside the calendar "
        f"({date.min.year:04d}-{date.max.year})",
        hint="give a nearer date, e.g. '+3 months' or a YYYY-MM-DD date",
    )


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the end of a shorter month.

    A result beyond the years 1-9999 (``+99999999 months``) is an :class:`AnswerError` naming
    the range, never an ``OverflowError`` or ``ValueError`` from ``datetime``.
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if not date.min.year <= year <= date.max.year:
        raise _out_of_range(day, months, "months")
    if year == date.max.year and month == 12:
        return date(year, 12, min(day.day, 31))
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - timedelta(days=1)).day
    return date(year, month, min(day.day, last_day))


def add_days(day: date, days: int) -> date:
    """``day`` plus ``days`` (negative goes back), or an :class:`AnswerError` off the calendar.

    For ``+N days`` and ``+N weeks`` (``add_days(day, 7 * n)``): ``day + timedelta(days=n)``
    raises ``OverflowError`` for a far date, which would reach the user as an internal error.
    """
    ordinal = day.toordinal() + days
    if not date.min.toordinal() <= ordinal <= date.max.toordinal():
        raise _out_of_range(day, days, "days")
    return date.fromordinal(ordinal)


def weekday_on_or_after(day: date) -> date:
    """``day``, or the Monday after it when it falls on a Saturday or Sunday."""
    return add_days(day, max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def timestamp() -> str:
    """An ISO 8601 timestamp with offset, to the second, for stored records."""
    return now().isoformat(timespec="seconds")
