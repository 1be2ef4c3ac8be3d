"""``--remind`` and the action reminders: a decision, tested.

``--remind`` (and the ``remind`` setting) sets the follow-up's reminder only; an action (an
all-day event) keeps its own at 09:00 the day before, on purpose: "2h before" an all-day event
would ring at 22:00 the night before. ``plan export --help`` and docs/exports.md say so.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
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


def test_the_remind_setting_leaves_the_actions_reminder_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TOPCLI_REMIND", "3d")
    session, found = export(monkeypatch)
    assert found[f"followup-{session.id}@topcli"] == [timedelta(days=-3)]
    for uid in open_action_uids(session):
        assert found[uid] == [timedelta(hours=-15)]


def test_plan_export_help_and_docs_say_what_remind_covers() -> None:
    help_text = " ".join(cli("plan", "export", "--help").stdout.split())
    assert "reminder before the follow-up" in help_text
    assert "Actions (all-day events) keep theirs: 09:00 the day before." in help_text
    docs = (Path(__file__).parents[1] / "docs" / "exports.md").read_text()
    assert "`--remind` does not change it, on purpose" in " ".join(docs.split())
