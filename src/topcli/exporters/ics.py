"""The iCalendar export (RFC 5545): the follow-up conversation and each action's deadline.

- The follow-up is a timed event on the plan's follow-up date, in an explicit time zone (the
  user's local zone, or ``--timezone``) with its VTIMEZONE, at ``--time`` (10:00) for
  ``--duration`` (45 minutes), with a reminder ``--remind`` (1 day) ahead. A flag not given
  comes from the settings ``timezone``, ``meeting_time``, ``duration`` and ``remind``
  (environment, then config file; see docs/configuration.md). Its description is
  the plan: every action with its date, success measure and support.
- Each action is an all-day event on its due date, with the action, success measure and
  support as its description, and a reminder at 09:00 the day before (``TRIGGER:-PT15H``).
  Deliberately not ``--remind``: an all-day event starts at midnight, so "2h before" would ring
  at 22:00 the night before; a working-hours reminder the day before is what a deadline needs.
  Done actions keep their event without a reminder; dropped ones, and ones carried over to a
  later plan (which has its own event for them), are ``STATUS:CANCELLED``.

So that importing an updated export updates the events instead of adding copies, the UIDs come
from the ids (``followup-<conversation id>@topcli``, ``action-<action id>@topcli``), and
``SEQUENCE`` and ``LAST-MODIFIED`` come from when the conversation or action last changed:
``SEQUENCE`` is the number of whole seconds from 2020-01-01T00:00:00Z to that moment, so it grows
with every change and is the same in every export until something changes (capped at RFC 5545's
largest integer, reached in 2088; a timestamp with no UTC form is clamped to
9999-12-31T23:59:59Z). ``DTSTAMP`` is the time of the export (:func:`topcli.clock.now`).

The calendar is written with the ``icalendar`` library, which escapes text, folds long lines and
writes TZID with its VTIMEZONE; see ``docs/exports.md`` for why not the ``ics`` package.
``icalendar`` and ``tzlocal`` are imported inside the functions that need them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, BinaryIO

from topcli.durations import parse_span, parse_time
from topcli.errors import UsageError
from topcli.exporters.ics_text import action_description, followup_description

if TYPE_CHECKING:
    from topcli.session import Session

PRODID = "-//topcli//topcli career conversations//EN"
#: SEQUENCE counts seconds from here to the last change (fits RFC 5545's integer until 2088).
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
#: RFC 5545's largest integer: SEQUENCE stays there for changes after 2088-01-19 (an imported
#: or far-future timestamp), instead of making the export fail.
SEQUENCE_LIMIT = 2**31 - 1
#: Action reminders: 09:00 on the day before the all-day event (which starts at 00:00).
ACTION_TRIGGER = timedelta(hours=-15)
#: How a calendar ends (``Calendar.to_ical()`` writes it after the last component).
_END = b"END:VCALENDAR\r\n"


@dataclass(frozen=True)
class CalendarOptions:
    """How the follow-up appears in the calendar. Built from the CLI flags by :func:`options`."""

    #: IANA time zone name; ``None`` means the user's local zone (UTC if it cannot be found).
    timezone: str | None = None
    start: time = time(10, 0)
    duration: timedelta = timedelta(minutes=45)
    remind: timedelta = timedelta(days=1)


def zone(name: str) -> tzinfo:
    """The IANA zone ``name``, or a :class:`UsageError` that says how to name one."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"unknown time zone '{name}'",
            hint="use an IANA name such as Europe/London, America/New_York or UTC",
        ) from None


def local_zone_name() -> str:
    """The user's local IANA zone name, or ``UTC`` when the system does not say."""
    try:
        import tzlocal

        name = tzlocal.get_localzone_name()
    except Exception:  # tzlocal raises assorted errors on odd systems; UTC is a safe answer
        name = None
    return name or "UTC"


def options(
    *,
    timezone: str | None = None,
    start: str | None = None,
    duration: str | None = None,
    remind: str | None = None,
) -> CalendarOptions:
    """Calendar options from the CLI's text flags; a flag not given (``None``) comes from its
    setting: flag > environment > config file > built-in default.

    A flag keeps its own messages (``--remind '1m' could mean...``); a value from a setting is
    named by where it came from (``remind (from env TOPCLI_REMIND)``).
    """
    timezone, zone_from = _setting("timezone", timezone, "--timezone")
    start, start_from = _setting("meeting_time", start, "--time")
    duration, duration_from = _setting("duration", duration, "--duration")
    remind, remind_from = _setting("remind", remind, "--remind")
    chosen = CalendarOptions()
    if timezone is not None and timezone != "local":
        try:
            zone(timezone)
        except UsageError as exc:
            exc.message += "" if zone_from == "--timezone" else f" ({zone_from})"
            raise
        chosen = replace(chosen, timezone=timezone)
    if start is not None:
        chosen = replace(chosen, start=parse_time(start, what=start_from))
    if duration is not None:
        chosen = replace(chosen, duration=parse_span(duration, what=duration_from))
    if remind is not None:
        chosen = replace(chosen, remind=parse_span(remind, what=remind_from, allow_zero=True))
    return chosen


def _setting(key: str, flag: str | None, flag_name: str) -> tuple[str | None, str]:
    """The flag's value if given, else the setting's, and how to name it in a message."""
    if flag is not None:
        return flag, flag_name
    from topcli import config

    setting = config.resolve(key)
    return setting.value, f"{key} (from {setting.source})"


# --------------------------------------------------------------------------- the exporter


@dataclass(frozen=True)
class IcsExporter:
    """The built-in ``ics`` exporter; ``with_options`` applies the calendar flags."""

    name: str = "ics"
    suffix: str = ".ics"
    description: str = "iCalendar: the follow-up and each action's due date"
    needs_plan: bool = True
    #: ``None``: the settings' values (:func:`options` with no flags), read at export time.
    calendar_options: CalendarOptions | None = None

    def with_options(self, **flags: str | None) -> IcsExporter:
        return replace(self, calendar_options=options(**flags))

    def _options(self) -> CalendarOptions:
        return self.calendar_options if self.calendar_options is not None else options()

    def export(self, session: Session) -> bytes:
        """One conversation: its follow-up and every action with a due date."""
        builder = _Builder(self._options(), title=f"Career plan with {session.person_name}")
        builder.add_followup(session)
        for action in session.actions:
            builder.add_action(session, action)
        return builder.to_ical()

    def export_many(self, sessions: Sequence[Session]) -> bytes:
        """:meth:`write_many` into memory (the same bytes)."""
        from io import BytesIO

        buffer = BytesIO()
        self.write_many(sessions, buffer)
        return buffer.getvalue()

    def write_many(self, sessions: Iterable[Session], out: BinaryIO) -> None:
        """Every open follow-up and action across conversations, in one calendar, streamed.

        A follow-up is open when it belongs to the person's latest conversation; an action when
        its status is ``open`` and no later action was carried over from it. Neither is known
        before the last conversation, and the VTIMEZONE (which spans the events' dates) comes
        before the events: so a first pass over ``sessions`` keeps only those facts
        (:class:`_Survey`) and checks every date, and the second writes the calendar's header,
        its VTIMEZONE, each event as it is built, then the end. The bytes are those of one
        ``Calendar.to_ical()`` holding every event: icalendar folds and writes each content line
        on its own, so a calendar's lines are its components' lines in order.
        """
        survey = _Survey.of(sessions)
        builder = _Builder(self._options(), title="Career plans")
        out.write(builder.header(survey.dates(), survey.first_followup()))
        for session in sessions:
            if survey.is_latest(session):
                event = builder.followup_event(session)
                if event is not None:
                    out.write(event.to_ical())
            for action in session.actions:
                if action["status"] == "open" and action["id"] not in survey.carried:
                    event = builder.action_event(session, action)
                    if event is not None:
                        out.write(event.to_ical())
        out.write(_END)


@dataclass
class _Survey:
    """What the first pass of :meth:`IcsExporter.write_many` keeps: one entry per person and
    one per open action, never one per conversation."""

    #: person id -> (started_at, id, follow-up) of their latest conversation so far; the
    #: follow-up, if it has one, is (its place in the export, the date as stored).
    latest: dict[str, tuple[str, str, tuple[int, str] | None]]
    #: ids of actions carried over to a later plan.
    carried: set[str]
    #: (place in the export, id, due date as stored) of each open action with a due date.
    actions: list[tuple[int, str, str]]

    @classmethod
    def of(cls, sessions: Iterable[Session]) -> _Survey:
        survey = cls({}, set(), [])
        place = 0
        for session in sessions:
            followup = None
            if session.followup:
                followup, place = (place, session.followup), place + 1
            current = survey.latest.get(session.person_id)
            if current is None or session.started_at >= current[0]:
                survey.latest[session.person_id] = (session.started_at, session.id, followup)
            for action in session.actions:
                if action["carried_from"]:
                    survey.carried.add(action["carried_from"])
                if action["status"] == "open" and action.get("due"):
                    survey.actions.append((place, action["id"], action["due"]))
                    place += 1
        return survey

    def is_latest(self, session: Session) -> bool:
        return self.latest[session.person_id][1] == session.id

    def events(self) -> list[tuple[str, str, str]]:
        """(kind, id, date as stored) of every event the calendar will hold, in export order."""
        followups = [(f[0], "followup", i, f[1]) for _, i, f in self.latest.values() if f]
        actions = [(n, "action", i, due) for n, i, due in self.actions if i not in self.carried]
        return [event[1:] for event in sorted(followups + actions)]

    def dates(self) -> list[date]:
        """The day of every event the calendar will hold (checked, in export order)."""
        return [
            _on_calendar(
                iso, f"the follow-up of conversation {i}" if kind == "followup" else f"action {i}"
            )
            for kind, i, iso in self.events()
        ]

    def first_followup(self) -> date | None:
        """The day of the first follow-up event (it decides whether a VTIMEZONE is needed)."""
        for kind, _, iso in self.events():
            if kind == "followup":
                return date.fromisoformat(iso)
        return None


class _Builder:
    """Collects the events of one VCALENDAR, then adds the VTIMEZONE they need."""

    def __init__(self, chosen: CalendarOptions, *, title: str) -> None:
        from icalendar import Calendar

        from topcli import clock

        self.options = chosen
        self.zone_name = chosen.timezone or local_zone_name()
        self.zone = zone(self.zone_name)
        self.stamp = clock.now().astimezone(UTC).replace(microsecond=0)
        self.calendar = Calendar()
        self.calendar.add("prodid", PRODID)
        self.calendar.add("version", "2.0")
        self.calendar.add("calscale", "GREGORIAN")
        self.calendar.add("method", "PUBLISH")
        self.calendar.add("x-wr-calname", title)
        self.dates: list[date] = []
        self.tzid: str | None = None

    def _event(self, uid: str, changed: str, created: str) -> Any:
        from icalendar import Event

        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", self.stamp)
        modified = _utc(changed)
        event.add("created", _utc(created))
        event.add("last-modified", modified)
        seconds = int((modified - SEQUENCE_EPOCH).total_seconds())
        event.add("sequence", max(-SEQUENCE_LIMIT - 1, min(seconds, SEQUENCE_LIMIT)))
        event.add("class", "PRIVATE")
        return event

    def add_followup(self, session: Session) -> None:
        event = self.followup_event(session)
        if event is not None:
            self.calendar.add_component(event)
            self.dates.append(_on_calendar(session.followup, ""))

    def add_action(self, session: Session, action: dict[str, Any]) -> None:
        event = self.action_event(session, action)
        if event is not None:
            self.calendar.add_component(event)
            self.dates.append(_on_calendar(action["due"], ""))

    def _start(self, day: date) -> datetime:
        return datetime.combine(day, self.options.start, tzinfo=self.zone)

    def followup_event(self, session: Session) -> Any:
        """The follow-up's event (``None`` without a follow-up date); sets :attr:`tzid`."""
        if not session.followup:
            return None
        from icalendar import Alarm

        start = self._start(
            _on_calendar(session.followup, f"the follow-up of conversation {session.id}")
        )
        changed = max([session.updated_at, *(a["updated_at"] for a in session.actions)], key=_utc)
        event = self._event(f"followup-{session.id}@topcli", changed, session.started_at)
        event.add("summary", f"Career conversation follow-up with {session.person_name}")
        event.add("description", followup_description(session))
        event.add("dtstart", start)
        event.add("dtend", start + self.options.duration)
        # icalendar writes UTC as ...Z without TZID; any other zone needs its VTIMEZONE
        self.tzid = event["DTSTART"].params.get("TZID") or self.tzid
        event.add("status", "CONFIRMED")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Follow-up career conversation with {session.person_name}")
        alarm.add("trigger", -self.options.remind)
        event.add_component(alarm)
        return event

    def action_event(self, session: Session, action: dict[str, Any]) -> Any:
        """The all-day event of an action's due date (``None`` without one)."""
        if not action.get("due"):
            return None
        from icalendar import Alarm

        day = _on_calendar(action["due"], f"action {action['id']}")
        event = self._event(
            f"action-{action['id']}@topcli", action["updated_at"], action["created_at"]
        )
        event.add("summary", f"{session.person_name}: {action['what']}")
        event.add("description", action_description(session, action))
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        # a dropped action is off; a carried one goes on as another action with its own event
        closed = action["status"] in ("dropped", "carried")
        event.add("status", "CANCELLED" if closed else "CONFIRMED")
        if action["status"] == "open":  # its own reminder, not --remind: see the docstring
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Due tomorrow: {action['what']}")
            alarm.add("trigger", ACTION_TRIGGER)
            event.add_component(alarm)
        return event

    def to_ical(self) -> bytes:
        """The whole calendar of the events added, with the VTIMEZONE they need first."""
        self._check(self.dates)
        if self.tzid:
            self.calendar.subcomponents.insert(0, self._vtimezone(self.dates))
        return self.calendar.to_ical()

    def header(self, dates: list[date], first_followup: date | None) -> bytes:
        """What :meth:`to_ical` writes before the first event, for a calendar of events on
        ``dates`` (the first follow-up on ``first_followup``): the calendar's properties and
        the VTIMEZONE, when a follow-up needs one."""
        self._check(dates)
        head = self.calendar.to_ical()
        if not head.endswith(_END):  # icalendar changed how it writes a calendar
            raise AssertionError("a calendar without components ends with END:VCALENDAR")
        head = head[: -len(_END)]
        if first_followup is not None:
            from icalendar import Event

            probe = Event()
            probe.add("dtstart", self._start(first_followup))
            self.tzid = probe["DTSTART"].params.get("TZID")
        if self.tzid:
            head += self._vtimezone(dates).to_ical()
        return bytes(head)

    @staticmethod
    def _check(dates: list[date]) -> None:
        if not dates:
            from topcli.errors import ExportError

            # RFC 5545 wants at least one component; an empty calendar would help no one
            raise ExportError(
                "nothing to put in a calendar: no open follow-up or action",
                hint="'topcli plan show' lists the actions and the follow-up date",
            )

    def _vtimezone(self, dates: list[date]) -> Any:
        """The zone's rules for the years the events span, before the events that use it."""
        from icalendar import Timezone

        first = _clamped(min(dates), -366)
        last = _clamped(max(dates), 366)
        return Timezone.from_tzid(self.tzid, first_date=first, last_date=last)


def _on_calendar(iso: str, what: str) -> date:
    """A stored date that a calendar event can hold in any zone, or an :class:`ExportError`.

    topcli stores no date after :data:`~topcli.durations.LATEST_DATE` (9000-12-31), which leaves
    room for an event's end and any zone's offset before Python's last date (9999-12-31); a
    later one can only come from a database changed by hand.
    """
    from topcli.durations import LATEST_DATE

    day = date.fromisoformat(iso)
    if day > LATEST_DATE:
        from topcli.errors import ExportError

        raise ExportError(
            f"{what} is on {iso}, after the last date topcli handles ({LATEST_DATE})",
            hint="the database was changed outside topcli; correct that date, then export again",
        )
    return day


def _clamped(day: date, days: int) -> date:
    """``day`` moved by ``days``, stopping at the first or last date Python knows."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def _utc(stamp: str) -> datetime:
    """A stored timestamp in UTC; one that falls off the calendar there is clamped to its end.

    ``9999-12-31T23:00:00-05:00`` is a valid timestamp with no UTC form (it would be in the year
    10000): it becomes the last representable second (or the first, at the other end), so the
    export never fails on a record's bookkeeping time.
    """
    value = datetime.fromisoformat(stamp)
    try:
        if value.tzinfo is None:
            value = value.astimezone()
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        edge = datetime.max if value.year > 1 else datetime.min
        return edge.replace(microsecond=0, tzinfo=UTC)


#: The registered instance (defaults; the CLI applies flags with ``with_options``).
EXPORTER = IcsExporter()
