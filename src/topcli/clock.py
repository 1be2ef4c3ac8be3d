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


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - timedelta(days=1)).day
    return date(year, month, min(day.day, last_day))


def weekday_on_or_after(day: date) -> date:
    """``day``, or the Monday after it when it falls on a Saturday or Sunday."""
    return day + timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def timestamp() -> str:
    """An ISO 8601 timestamp with offset, to the second, for stored records."""
    return now().isoformat(timespec="seconds")
