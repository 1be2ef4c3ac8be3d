"""``plan export --all`` streams: one conversation in memory at a time, the same bytes as before.

The built-in exporters' ``write_many`` must write exactly what their ``export_many`` wrote when
it built the whole document in memory (for the calendar: one ``Calendar.to_ical()`` holding every
event); the service reads the conversations lazily and streams into the temporary file, which
becomes the export only after the last byte.
"""

from __future__ import annotations

import copy
import gc
import io
import os
import weakref
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from exports_support import GOLDEN_ZONE, fixture_data, import_data
from helpers import file_mode, run_cli
from topcli import hookimpl
from topcli.errors import ExportError
from topcli.exporters import Exporter, RegisteredExporter, ics, json_export, markdown
from topcli.exporters.service import get_exporter, prepare, render
from topcli.output import Printable, stream_to_stdout
from topcli.plugins import get_plugins
from topcli.safefiles import TEMP_PREFIX, private_writer
from topcli.selection import StoredSessions, pick_sessions
from topcli.session import Session
from topcli.store import Store


def conversation(
    data: dict[str, Any], ident: str, person: str, started: str, **changes: Any
) -> dict[str, Any]:
    """A copy of the fixture as another conversation (new ids for it and its actions)."""
    copied = copy.deepcopy(data)
    copied.update(id=ident, started_at=started, updated_at=started, completed_at=started)
    copied["person"] = {"id": person, "name": person.title(), "created_at": started}
    copied["answered_at"] = {q: started for q in copied["answered_at"]}
    for n, action in enumerate(copied["answers"]["actions"]):
        action.update(id=f"x{ident[0]}{ident[-1]}{n}", created_at=started, updated_at=started)
    copied.update(changes)
    if "followup" in changes:
        copied["answers"]["followup"] = changes["followup"]
    return copied


@pytest.fixture
def several(monkeypatch: pytest.MonkeyPatch) -> list[Session]:
    """Five conversations of three people: a carried action, a closed plan, no follow-up."""
    data = fixture_data(monkeypatch)
    first = conversation(data, "a0000001", "ana", "2026-01-05T09:00:00+00:00")
    first["answers"]["actions"][0]["status"] = "carried"
    later = conversation(data, "a0000002", "ana", "2026-02-05T09:00:00+00:00")
    later["previous_id"] = first["id"]
    later["answers"]["actions"][0]["carried_from"] = first["answers"]["actions"][0]["id"]
    later["followup"] = later["answers"]["followup"] = "2026-05-01"
    other = conversation(data, "b0000001", "bo", "2026-01-10T09:00:00+00:00")
    for action in other["answers"]["actions"]:
        action["status"] = "done"
    no_followup = conversation(data, "c0000001", "cy", "2026-01-20T09:00:00+00:00")
    # paused before the follow-up question: a plan of actions, no follow-up date yet
    no_followup.update(followup=None, status="in_progress", completed_at=None)
    del no_followup["answers"]["followup"], no_followup["answered_at"]["followup"]
    newer = conversation(data, "b0000002", "bo", "2026-02-20T09:00:00+00:00")
    for item in (first, other, no_followup, later, newer):
        import_data(item)
    store = Store()
    return [store.load(i) for i in store.session_ids()]


def whole_calendar(exporter: ics.IcsExporter, sessions: list[Session]) -> bytes:
    """The calendar as ``export_many`` built it before streaming: one Calendar, every event."""
    builder = ics._Builder(exporter._options(), title="Career plans")
    latest: dict[str, Session] = {}
    for session in sessions:
        current = latest.get(session.person_id)
        if current is None or session.started_at >= current.started_at:
            latest[session.person_id] = session
    carried = {a["carried_from"] for s in sessions for a in s.actions if a["carried_from"]}
    for session in sessions:
        if latest[session.person_id] is session:
            builder.add_followup(session)
        for action in session.actions:
            if action["status"] == "open" and action["id"] not in carried:
                builder.add_action(session, action)
    return builder.to_ical()


def streamed(write_many: Any, sessions: Iterable[Session]) -> bytes:
    out = io.BytesIO()
    write_many(sessions, out)
    return out.getvalue()


# --------------------------------------------------------------------------- the same bytes


@pytest.mark.parametrize("zone", [GOLDEN_ZONE, "UTC", "America/New_York"])
def test_streamed_calendar_is_the_whole_calendar_byte_for_byte(
    several: list[Session], zone: str
) -> None:
    exporter = ics.EXPORTER.with_options(timezone=zone)
    expected = whole_calendar(exporter, several)
    assert streamed(exporter.write_many, several) == expected
    assert exporter.export_many(several) == expected
    assert (b"BEGIN:VTIMEZONE" in expected) is (zone != "UTC")
    assert b"followup-a0000001@topcli" not in expected  # not ana's latest
    assert b"action-xa10@topcli" not in expected  # carried over to her later plan
    assert b"followup-a0000002@topcli" in expected


def test_streamed_calendar_refuses_before_the_first_byte(several: list[Session]) -> None:
    """Nothing open: the calendar is refused, and nothing has been written."""
    out = io.BytesIO()
    exporter = ics.EXPORTER.with_options(timezone="UTC")
    only_done = [s for s in several if s.id == "c0000001"]  # cy's plan: no follow-up date
    for action in only_done[0].actions:
        action["status"] = "done"
    with pytest.raises(ExportError, match="nothing to put in a calendar"):
        exporter.write_many(only_done, out)
    assert out.getvalue() == b""


def test_a_date_no_calendar_can_hold_is_refused_before_the_first_byte(
    several: list[Session],
) -> None:
    """Checked in the first pass, as the whole-calendar build checked it (open events only)."""
    exporter = ics.EXPORTER.with_options(timezone="UTC")
    latest = next(s for s in several if s.id == "b0000002")
    latest.actions[2]["due"] = "9500-01-01"
    closed = next(s for s in several if s.id == "b0000001")
    closed.actions[0]["due"] = "9600-01-01"  # done: no event, so never checked
    out = io.BytesIO()
    with pytest.raises(ExportError, match=r"action xb22 is on 9500-01-01") as streamed_error:
        exporter.write_many(several, out)
    assert out.getvalue() == b""
    with pytest.raises(ExportError) as whole_error:
        whole_calendar(exporter, several)
    assert streamed_error.value.message == whole_error.value.message


def test_streamed_json_is_the_bundle_byte_for_byte(several: list[Session]) -> None:
    assert streamed(json_export.write_many, several) == json_export.export_many(several).encode()
    assert streamed(json_export.write_many, several[:1]) == (
        json_export.export_many(several[:1]).encode()
    )
    assert streamed(json_export.write_many, []) == json_export.export_many([]).encode()


@pytest.mark.parametrize("full", [False, True])
def test_streamed_markdown_is_the_document_byte_for_byte(
    several: list[Session], full: bool
) -> None:
    exporter = markdown.EXPORTER.full() if full else markdown.EXPORTER
    assert streamed(exporter.write_many, several) == exporter.export_many(several).encode()


@pytest.mark.parametrize("name", ["ics", "json", "md"])
def test_cli_all_to_a_file_is_what_it_prints(
    several: list[Session], tmp_path: Path, name: str
) -> None:
    printed = run_cli(["plan", "export", "--all", f"--{name}"])
    assert printed.exit_code == 0, printed.output
    target = tmp_path / f"all.{name}"
    args = ["plan", "export", "--all", f"--{name}", "-o", str(target)]
    written = run_cli(args)
    assert written.exit_code == 0, written.output
    assert target.read_bytes() == printed.stdout_bytes
    assert file_mode(target) == 0o600
    assert "5 conversations" in written.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]


# --------------------------------------------------------------------------- one at a time


def test_stored_sessions_are_read_one_at_a_time_and_again(several: list[Session]) -> None:
    store = Store()
    loads: list[str] = []
    real = store.load

    def counting(ident: str) -> Session:
        loads.append(ident)
        return real(ident)

    store.load = counting  # type: ignore[method-assign]
    picked = pick_sessions(store, None, every=True)
    assert isinstance(picked, StoredSessions)
    assert len(picked) == 5 and several[0] in picked and loads == []
    iterator = iter(picked)
    assert next(iterator).id == "a0000001" and loads == ["a0000001"]
    assert [s.id for s in picked] == [s.id for s in several]  # a second pass reads again


class Tracked:
    """Conversations handed out one at a time, counting how many are alive at once."""

    def __init__(self, sessions: list[Session]) -> None:
        self.ids = [s.id for s in sessions]
        self.alive = 0
        self.most = 0

    def __iter__(self) -> Iterator[Session]:
        store = Store()
        for ident in self.ids:
            gc.collect()
            session = store.load(ident)
            self.alive += 1
            self.most = max(self.most, self.alive)
            weakref.finalize(session, self._gone)
            yield session
            del session

    def _gone(self) -> None:
        self.alive -= 1


@pytest.mark.parametrize("name", ["ics", "json", "md"])
def test_every_builtin_exporter_holds_one_conversation_at_a_time(
    several: list[Session], name: str
) -> None:
    tracked = Tracked(several)
    entry = get_exporter(name)
    if name == "ics":
        entry = entry.with_calendar_options({"timezone": "UTC"})
    writer = prepare(entry, tracked, every=True)
    writer(io.BytesIO())
    assert tracked.most <= 2  # the one being written, and at most the one before it


# --------------------------------------------------------------------------- all or nothing


def test_private_writer_renames_only_after_the_last_byte(tmp_path: Path) -> None:
    target = tmp_path / "out.ics"
    with private_writer(target, force=False) as out:
        out.write(b"first ")
        assert not target.exists()
        out.write(b"second")
    assert target.read_bytes() == b"first second"
    assert file_mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ics"]


def test_private_writer_leaves_nothing_when_the_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.ics"
    with pytest.raises(ExportError, match="boom"), private_writer(target, force=False) as out:
        out.write(b"x" * 200_000)  # past the buffer: some of it is in the temporary file
        raise ExportError("boom")
    assert list(tmp_path.iterdir()) == []


def test_private_writer_keeps_the_old_file_when_a_forced_export_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.ics"
    target.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), private_writer(target, force=True) as out:
        out.write(b"new")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ics"]


def test_a_failure_midway_through_all_leaves_no_file(
    several: list[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fourth conversation fails to render: the three before it were already streamed."""
    real = Session.to_dict
    calls: list[str] = []

    def failing(self: Session) -> dict[str, Any]:
        calls.append(self.id)
        if len(calls) == 4:
            raise ExportError("the fourth conversation is broken")
        return real(self)

    monkeypatch.setattr(Session, "to_dict", failing)
    target = tmp_path / "all.json"
    result = run_cli(["plan", "export", "--all", "--json", "-o", str(target)])
    assert result.exit_code == 7
    assert "the fourth conversation is broken" in result.stderr
    assert calls[:3] == [s.id for s in several[:3]]
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]


# --------------------------------------------------------------------------- plugins


@pytest.fixture
def streaming_plugin() -> Iterator[list[str]]:
    """A plugin exporter with ``write_many`` (and no ``export_many``)."""
    seen: list[str] = []

    def write_many(sessions: Iterable[Session], out: Any) -> None:
        for session in sessions:
            seen.append(session.id)
            out.write(f"{session.person_name}\n".encode())
            if session.person_name == "Cy":
                raise RuntimeError("cannot write Cy")

    plugin = SimpleNamespace(
        register_exporters=hookimpl(
            lambda register: register(
                Exporter(
                    name="names",
                    suffix=".txt",
                    description="names",
                    export=lambda s: s.person_name,
                    write_many=write_many,
                )
            )
        )
    )
    get_plugins().register(plugin, "topcli-names", "registered by the test")
    yield seen
    get_plugins().unregister("topcli-names")


def test_a_plugin_exporter_may_stream(several: list[Session], streaming_plugin: list[str]) -> None:
    result = run_cli(["plan", "export", "--all", "--names", "--person", "ana"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "Ana\nAna\n"


def test_a_streaming_plugin_that_fails_is_named_and_leaves_no_file(
    several: list[Session], streaming_plugin: list[str], tmp_path: Path
) -> None:
    target = tmp_path / "names.txt"
    result = run_cli(["plan", "export", "--all", "--names", "-o", str(target)])
    assert result.exit_code == 7
    assert "exporter 'names' of plugin 'topcli-names'" in result.stderr
    assert "cannot write Cy" in result.stderr
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_a_plugin_with_only_export_many_gets_a_list(several: list[Session]) -> None:
    got: list[Any] = []

    def export_many(sessions: Any) -> str:
        got.append(sessions)
        return "".join(s.id + "\n" for s in sessions)

    exporter = Exporter(
        name="ids", suffix=".txt", description="ids", export=str, export_many=export_many
    )
    entry = RegisteredExporter(exporter, plugin="p", origin="file /p.py")
    data = render(entry, StoredSessions(Store(), [s.id for s in several]), every=True)
    assert data.decode() == "".join(s.id + "\n" for s in several)
    assert isinstance(got[0], list)


def test_a_reader_that_stops_early_is_no_error(several: list[Session]) -> None:
    """``topcli plan export --all --json | head``: the export stops quietly, exit code 0."""
    import subprocess
    import sys

    env = dict(os.environ, TOPCLI_PLUGINS="")
    child = subprocess.Popen(
        [sys.executable, "-m", "topcli", "plan", "export", "--all", "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.read(100)
    child.stdout.close()
    stderr = child.stderr.read()
    assert child.wait(timeout=60) == 0, stderr
    assert stderr == b""


def test_a_plugin_writing_to_a_closed_pipe_is_not_blamed(
    several: list[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    def closed(sessions: Any, out: Any) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    entry = RegisteredExporter(
        Exporter(name="x", suffix=".x", description="x", export=str, write_many=closed),
        plugin="p",
        origin="file /p.py",
    )
    writer = prepare(entry, several, every=True)
    stream_to_stdout(writer)  # quietly: the reader went away
    assert capsys.readouterr().err == ""


# --------------------------------------------------------------------------- a terminal


def test_a_terminal_sees_escapes_even_when_a_character_is_split() -> None:
    raw = io.BytesIO()
    out = Printable(raw)
    data = "é \x1b[31m 🎉\n".encode()
    for n in range(len(data)):
        out.write(data[n : n + 1])
    out.write(b"\xff")
    out.flush()
    from topcli.safetext import printable

    assert raw.getvalue() == (printable("é \x1b[31m 🎉\n") + "\\xff").encode()
    assert b"\x1b" not in raw.getvalue()
