"""The iCalendar export: golden file, and the calendar parsed back with icalendar field by field."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest

from exports_support import (
    GOLDEN_ZONE,
    check_golden,
    fixture_data,
    hostile_data,
    import_data,
    import_fixture,
)
from topcli.errors import UsageError
from topcli.exporters import ics
from topcli.session import Session
from topcli.store import Store

LONDON = ZoneInfo(GOLDEN_ZONE)


def export(session: Session, **flags: str) -> bytes:
    return ics.EXPORTER.with_options(timezone=GOLDEN_ZONE, **flags).export(session)


def events(data: bytes) -> dict[str, Any]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


# --------------------------------------------------------------------------- golden


def test_golden_ics(monkeypatch: pytest.MonkeyPatch) -> None:
    check_golden("session.ics", export(import_fixture(monkeypatch)))


# --------------------------------------------------------------------------- field by field


def test_followup_event_is_timed_in_the_zone_with_its_vtimezone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = import_fixture(monkeypatch)
    data = export(session)
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == ics.PRODID
    assert [tz.tz_name for tz in calendar.walk("VTIMEZONE")] == [GOLDEN_ZONE]
    followup = events(data)[f"followup-{session.id}@topcli"]
    start = followup["DTSTART"]
    assert start.params["TZID"] == GOLDEN_ZONE
    assert start.dt == datetime(2026, 6, 2, 10, 0, tzinfo=LONDON)
    assert start.dt.utcoffset() == timedelta(hours=1)  # British Summer Time
    assert followup["DTEND"].dt - start.dt == timedelta(minutes=45)
    assert followup["DTSTAMP"].dt == datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("UTC"))
    assert str(followup["SUMMARY"]) == "Career conversation follow-up with Priya Raman"
    description = str(followup["DESCRIPTION"])
    for action in session.actions:
        assert f"{action['what']} (by {action['due']})" in description
        assert f"Success measure: {action['success']}" in description
        assert f"Support: {action['support']}" in description
    (alarm,) = followup.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm["TRIGGER"].dt == timedelta(days=-1)
    assert str(followup["CLASS"]) == "PRIVATE"


def test_each_action_is_an_all_day_event_with_a_reminder_the_day_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = import_fixture(monkeypatch)
    found = events(export(session))
    assert len(found) == 1 + len(session.actions)
    for action in session.actions:
        event = found[f"action-{action['id']}@topcli"]
        due = date.fromisoformat(action["due"])
        assert event["DTSTART"].dt == due and not isinstance(event["DTSTART"].dt, datetime)
        assert event["DTSTART"].params["VALUE"] == "DATE"
        assert event["DTEND"].dt == due + timedelta(days=1)
        assert str(event["SUMMARY"]) == f"Priya Raman: {action['what']}"
        description = str(event["DESCRIPTION"])
        assert description.startswith(action["what"] + "\n")
        assert f"Success measure: {action['success']}" in description
        assert f"Support: {action['support']}" in description
        assert str(event["TRANSP"]) == "TRANSPARENT"
        alarms = event.walk("VALARM")
        if action["status"] == "open":
            (alarm,) = alarms
            trigger = alarm["TRIGGER"].dt
            # 15 hours before midnight: 09:00 on the day before the due date
            assert datetime.combine(due, time(0)) + trigger == datetime.combine(
                due - timedelta(days=1), time(9)
            )
        else:
            assert alarms == []  # done: no reminder
            assert "Latest note (2026-03-21): Met Amara on the 19th" in description


def test_uids_sequence_and_last_modified_grow_when_something_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = import_fixture(monkeypatch)
    before = events(export(session))
    assert before == events(export(Store().load(session.id)))  # stable until a change
    action_id = session.actions[0]["id"]
    monkeypatch.setenv("TOPCLI_NOW", "2026-04-10T08:15:00+01:00")
    Store().add_action_note(action_id, "Review booked for the 16th.")
    after = events(export(Store().load(session.id)))
    assert set(after) == set(before)  # same UIDs: an import updates, it does not duplicate
    for uid in (f"action-{action_id}@topcli", f"followup-{session.id}@topcli"):
        assert after[uid]["SEQUENCE"] > before[uid]["SEQUENCE"]
        assert after[uid]["LAST-MODIFIED"].dt > before[uid]["LAST-MODIFIED"].dt
        assert after[uid]["LAST-MODIFIED"].dt == datetime(
            2026, 4, 10, 7, 15, tzinfo=ZoneInfo("UTC")
        )
    untouched = f"action-{session.actions[2]['id']}@topcli"
    assert after[untouched]["SEQUENCE"] == before[untouched]["SEQUENCE"]


def test_hostile_text_round_trips_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    data = hostile_data(monkeypatch)
    session = import_data(data)
    raw = export(session)
    found = events(raw)
    name = data["person"]["name"]
    for action in data["answers"]["actions"]:
        event = found[f"action-{action['id']}@topcli"]
        assert str(event["SUMMARY"]) == f"{name}: {action['what']}"
        description = str(event["DESCRIPTION"])
        assert f"Success measure: {action['success']}\n" in description
        assert f"Support: {action['support']}\n" in description
    followup = found[f"followup-{session.id}@topcli"]
    assert str(followup["SUMMARY"]) == f"Career conversation follow-up with {name}"
    # RFC 5545: CRLF line ends, folded at 75 octets, text escaped
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert b"\\;" in raw and b"\\," in raw and b"\\\\" in raw and b"\\n" in raw
    assert raw.endswith(b"END:VCALENDAR\r\n")


def test_flags_set_time_duration_reminder_and_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    session = import_fixture(monkeypatch)
    data = ics.EXPORTER.with_options(
        timezone="America/New_York", start="14:30", duration="1h30min", remind="2h"
    ).export(session)
    followup = events(data)[f"followup-{session.id}@topcli"]
    new_york = ZoneInfo("America/New_York")
    assert followup["DTSTART"].params["TZID"] == "America/New_York"
    assert followup["DTSTART"].dt == datetime(2026, 6, 2, 14, 30, tzinfo=new_york)
    assert followup["DTEND"].dt == datetime(2026, 6, 2, 16, 0, tzinfo=new_york)
    assert followup.walk("VALARM")[0]["TRIGGER"].dt == timedelta(hours=-2)
    calendar = icalendar.Calendar.from_ical(data)
    assert [tz.tz_name for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]


def test_local_zone_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    session = import_fixture(monkeypatch)
    monkeypatch.setattr(ics, "local_zone_name", lambda: "Asia/Kolkata")
    followup = events(ics.EXPORTER.export(session))[f"followup-{session.id}@topcli"]
    assert followup["DTSTART"].params["TZID"] == "Asia/Kolkata"
    assert followup["DTSTART"].dt == datetime(2026, 6, 2, 10, 0, tzinfo=ZoneInfo("Asia/Kolkata"))


def test_utc_when_the_local_zone_is_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    import tzlocal

    def broken() -> str:
        raise LookupError("no zone configured")

    monkeypatch.setattr(tzlocal, "get_localzone_name", broken)
    assert ics.local_zone_name() == "UTC"
    session = import_fixture(monkeypatch)
    data = ics.EXPORTER.export(session)
    followup = events(data)[f"followup-{session.id}@topcli"]
    assert followup["DTSTART"].dt == datetime(2026, 6, 2, 10, 0, tzinfo=ZoneInfo("UTC"))
    assert b"DTSTART:20260602T100000Z" in data  # UTC needs no VTIMEZONE
    assert b"BEGIN:VTIMEZONE" not in data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45min", timedelta(minutes=45)),
        ("1h", timedelta(hours=1)),
        ("1h30min", timedelta(minutes=90)),
        ("1d", timedelta(days=1)),
        ("1w", timedelta(weeks=1)),
        ("1w2d", timedelta(days=9)),
        ("90", timedelta(minutes=90)),
        (" 2H ", timedelta(hours=2)),
    ],
)
def test_parse_span(text: str, expected: timedelta) -> None:
    assert ics.parse_span(text, what="--duration") == expected


@pytest.mark.parametrize("text", ["", "soon", "1x", "h", "-5m", "1.5h"])
def test_parse_span_refuses_what_is_not_a_length(text: str) -> None:
    with pytest.raises(UsageError, match="not a length of time"):
        ics.parse_span(text, what="--duration")


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"start": "25:00"}, "not a time of day"),
        ({"start": "ten"}, "not a time of day"),
        ({"duration": "0min"}, "is zero"),
        ({"timezone": "Mars/Olympus_Mons"}, "unknown time zone"),
    ],
)
def test_bad_calendar_options(flags: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        ics.options(**flags)


def test_all_conversations_calendar_has_only_open_items(monkeypatch: pytest.MonkeyPatch) -> None:
    """The latest conversation's follow-up per person, and every open action across them."""
    data = fixture_data(monkeypatch)
    first = import_data(data)
    later = dict(data, id="0000beef", previous_id=first.id, followup="2026-09-01")
    later["started_at"] = "2026-06-02T10:00:00+01:00"
    later["answers"] = dict(data["answers"], followup="2026-09-01")
    later["answers"]["actions"] = [
        dict(a, id=f"b{n:05d}") for n, a in enumerate(data["answers"]["actions"])
    ]
    second = import_data(later)
    found = events(ics.EXPORTER.with_options(timezone=GOLDEN_ZONE).export_many([first, second]))
    assert f"followup-{first.id}@topcli" not in found
    assert found[f"followup-{second.id}@topcli"]["DTSTART"].dt.date() == date(2026, 9, 1)
    open_ids = [a["id"] for s in (first, second) for a in s.actions if a["status"] == "open"]
    assert sorted(found) == sorted(
        [f"followup-{second.id}@topcli", *(f"action-{i}@topcli" for i in open_ids)]
    )
