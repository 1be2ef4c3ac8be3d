"""Follow-through dates: "due", "overdue" and "in N days" (periods such as ``2w`` are
:mod:`topcli.durations`'s).

The date logic is pure: every function that decides "due", "overdue" or "in N days" takes
``today`` (callers pass :func:`topcli.clock.today`, the local date of ``TOPCLI_NOW`` when set), so
it can be tested at month ends and in any time zone without touching the clock. The rest of
follow-through builds on it: :mod:`topcli.people` reads people and their actions from the store,
:mod:`topcli.followup` says what is due, :mod:`topcli.action_changes` closes and notes actions and
:mod:`topcli.history` tells how a person's plan moved over time.

Vocabulary: a *follow-up* is the date of the next conversation, set at the end of a person's
latest finished conversation; an *action* is one line of a plan, ``open`` until it is ``done``,
``dropped`` or ``carried`` over to a check-in's plan.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from topcli.errors import ExitCode
from topcli.wording import plural

if TYPE_CHECKING:
    from topcli.session import Session


#: ``topcli followup`` exits with this when something is overdue (0 when nothing is). Distinct from
#: every error's exit code (1-8, 130), so a cron job or shell prompt can tell "overdue" from
#: "broken"; a test keeps it that way.
OVERDUE_EXIT_CODE = ExitCode.OVERDUE


# --------------------------------------------------------------------------- dates


def days_until(day: date, today: date) -> int:
    """Whole days from ``today`` to ``day``: negative when ``day`` has passed."""
    return (day - today).days


def due_state(day: date, today: date) -> str:
    """``overdue`` (before today), ``today`` or ``upcoming``."""
    days = days_until(day, today)
    if days < 0:
        return "overdue"
    return "today" if days == 0 else "upcoming"


def describe_days(days: int) -> str:
    """How a person says it: "today", "tomorrow", "in 5 days", "1 day overdue"."""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 1:
        return f"in {days} days"
    return f"{plural(-days, 'day')} overdue"


def session_date(session: Session) -> date:
    """The local date a conversation was held (its start, as stored with its offset)."""
    return date.fromisoformat(session.started_at[:10])
