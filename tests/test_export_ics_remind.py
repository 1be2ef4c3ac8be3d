"""``--remind`` and the action reminders: a decision, tested.

``--remind`` sets the follow-up's reminder only; an action (an all-day event) keeps its own at
09:00 the day before, since "2h before" an all-day event would ring at 22:00 the night before.
``--remind 0min`` means no reminders (docs/configuration.md): none on the follow-up and none on
the actions either.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import icalendar
import pytest

from exports_support import GOLDEN_ZONE, import_fixture
from helpers import cli
from topcli.exporters import ics


def alarms(data: bytes) -> dict[str, list[timedelta]]:
    """Each event's reminder triggers, by UID prefix (followup or action) and UID."""
    calendar = icalendar.Calendar.from_ical(data)
    return {
        str(e["UID"]): [a["TRIGGER"].dt for a in e.walk("VALARM")] for e in calendar.walk("VEVENT")
    }


def export(monkeypatch: pytest.MonkeyPatch, **flags: Any) -> tuple[Any, dict[str, Any]]:
    session = import_fixture(monkeypatch)
    data = ics.EXPORTER.with_options(timezone=GOLDEN_ZONE, **flags).export(session)
    return session, alarms(data)


def open_action_uids(session: Any) -> list[str]:
    return [f"action-{a['id']}@topcli" for a in session.actions if a["status"] == "open"]


def test_remind_moves_the_follow_up_reminder_and_not_the_actions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session, found = export(monkeypatch, remind="2h")
    assert found[f"followup-{session.id}@topcli"] == [timedelta(hours=-2)]
    assert open_action_uids(session)
    for uid in open_action_uids(session):
        assert found[uid] == [ics.ACTION_TRIGGER] == [timedelta(hours=-15)]


def test_remind_zero_means_no_reminders_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    session, found = export(monkeypatch, remind="0min")
    assert found[f"followup-{session.id}@topcli"] == []
    assert all(triggers == [] for triggers in found.values())


def test_the_remind_setting_zero_turns_reminders_off_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TOPCLI_REMIND", "0min")
    session, found = export(monkeypatch)
    assert all(triggers == [] for triggers in found.values())


def test_plan_export_help_says_what_remind_covers() -> None:
    help_text = " ".join(cli("plan", "export", "--help").stdout.split())
    assert "0min for none" in help_text
    assert "Actions keep theirs at 09:00 the day before" in help_text
