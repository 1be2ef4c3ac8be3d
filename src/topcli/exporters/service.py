"""The export service ``topcli plan export`` calls: choose the exporter, render, write.

Private notes stay private here, in one place: every exporter gets each conversation's
:meth:`~topcli.session.Session.shared` view (no private questions, no private answers), except an
exporter of the complete record (``includes_private``, the JSON backup) and except when the user
passed ``--include-private``.

``--all`` is streamed: conversations are read one at a time and written as the exporter goes
(:func:`prepare`, the optional ``write_many``), into a temporary file renamed into place after the
last byte, so a failing exporter never leaves half a file, at any size.
A plugin's exporter runs through :func:`topcli.guard.plugin_code`: its prints
go to stderr (standard output may be the export itself), and whatever it raises, ``SystemExit``
too, becomes an :class:`ExportError` naming the plugin. Exporters get no time limit: an export is
the one thing the user is waiting for, and Ctrl-C stops it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from topcli.errors import ExportError, TopcliError, UsageError, did_you_mean

if TYPE_CHECKING:
    from topcli.exporters import RegisteredExporter
    from topcli.session import Session


# --------------------------------------------------------------------------- choosing


def available_exporters() -> dict[str, RegisteredExporter]:
    """Every registered exporter by name (built-in and plugins), with whose it is."""
    from topcli.catalog import exporters

    return exporters()


def get_exporter(name: str) -> RegisteredExporter:
    """The exporter called ``name``, or a :class:`UsageError` that lists the available ones."""
    known = available_exporters()
    if name in known:
        return known[name]
    listing = ", ".join(f"{n} ({known[n].description})" for n in sorted(known)) or "none"
    raise UsageError(
        f"unknown export format '{name}'{did_you_mean(name, known)}; available: {listing}",
        hint=f"a plugin may provide it: pip install topcli-{name}",
    )


def choose_format(flags: Mapping[str, bool], formats: Sequence[str]) -> str:
    """Exactly one format from ``--ics``/``--md``/``--json``/``--format NAME``/``--NAME``."""
    chosen = [name for name, on in flags.items() if on] + list(formats)
    unique = list(dict.fromkeys(chosen))
    if not unique:
        raise UsageError(
            "choose an export format",
            hint="add --md, --json or --ics (or --format NAME for a plugin's exporter)",
        )
    for name in unique:
        get_exporter(name)  # an unknown name gets its own message first
    if len(unique) > 1:
        raise UsageError(
            "choose one export format, not " + " and ".join(f"'{n}'" for n in unique),
            hint="run the export once per format",
        )
    return unique[0]


def with_calendar_options(entry: RegisteredExporter, flags: dict[str, str]) -> RegisteredExporter:
    """``entry`` with the calendar flags applied (refused for a format without them)."""
    if not flags:
        return entry
    return _call(entry, entry.with_calendar_options, flags)  # type: ignore[no-any-return]


def with_full_transcript(entry: RegisteredExporter, full: bool) -> RegisteredExporter:
    """``entry`` writing the complete conversation (``--full``), refused for a format without it."""
    if not full:
        return entry
    if not entry.takes_full:
        raise UsageError(
            f"--full is for formats with a summary and a full version; '{entry.name}' has one form",
            hint="use --full with --md (the whole conversation as Markdown)",
        )
    return replace(entry, exporter=_call(entry, lambda _: entry.exporter.full(), None))


# --------------------------------------------------------------------------- rendering


#: Writes a whole export to a binary stream (a file's temporary file, or standard output).
Writer = Callable[[BinaryIO], None]


class _Visible:
    """What an exporter may see of some conversations, computed as each one is read.

    Re-iterable like the conversations it wraps (an exporter may make two passes), and holding
    none of them: ``--all`` at any size keeps one conversation in memory at a time.
    """

    def __init__(self, sessions: Iterable[Session], *, shared: bool, plan_only: bool) -> None:
        self._sessions = sessions
        self._shared = shared
        self._plan_only = plan_only

    def __iter__(self) -> Iterator[Session]:
        for session in self._sessions:
            if self._plan_only and not session.has_plan:
                continue
            yield session.shared() if self._shared else session


def visible_sessions(
    entry: RegisteredExporter, sessions: Iterable[Session], *, include_private: bool
) -> list[Session]:
    """What ``entry`` may see of ``sessions``: the shared views, unless private notes belong.

    The complete record (``includes_private``) and ``--include-private`` get the conversations
    as stored, private answers marked by the framework (:meth:`Session.is_private`).
    """
    return list(_visible(entry, sessions, include_private=include_private))


def _visible(
    entry: RegisteredExporter,
    sessions: Iterable[Session],
    *,
    include_private: bool,
    plan_only: bool = False,
) -> _Visible:
    shared = not (include_private or entry.includes_private)
    return _Visible(sessions, shared=shared, plan_only=plan_only)


def prepare(
    entry: RegisteredExporter,
    sessions: Iterable[Session],
    *,
    every: bool,
    include_private: bool = False,
) -> Writer:
    """Refuse what can be refused before the first byte; return what writes the export.

    With ``every``, the conversations are read one at a time as the exporter reaches them
    (``sessions`` may be iterated more than once: :class:`topcli.selection.StoredSessions`
    reads them again). An exporter with the optional ``write_many`` streams them to the stream
    it is given; one with only ``export_many`` gets them in one list (as before streaming).
    Private notes are left out unless ``include_private`` or the exporter writes the complete
    record (:func:`visible_sessions`). A plugin's exporter that raises, or returns something
    that is not text, becomes an :class:`ExportError` that names the plugin and the line that
    raised.
    """
    if not every:
        (session,) = visible_sessions(entry, sessions, include_private=include_private)
        if entry.needs_plan and not session.has_plan:
            raise ExportError(
                f"conversation {session.id} with {session.person_name} has no plan yet "
                "(no actions and no follow-up date)",
                hint=f"finish it with: topcli resume {session.id}"
                if not session.is_complete
                else "use --json to export the conversation as it is",
            )
        return lambda out: out.write(_as_bytes(entry, _call(entry, entry.exporter.export, session)))
    write_many, export_many = entry.write_many, entry.export_many
    if write_many is None and export_many is None:
        raise ExportError(
            f"the '{entry.name}' exporter cannot put several conversations in one file",
            hint="export them one at a time: topcli plan export ID --format " + entry.name,
        )
    chosen = _visible(entry, sessions, include_private=include_private, plan_only=entry.needs_plan)
    if next(iter(chosen), None) is None:
        raise ExportError(
            "none of the conversations has a plan yet (actions or a follow-up date)",
            hint="finish one with: topcli resume",
        )
    if write_many is not None:
        return lambda out: _call(entry, lambda _: write_many(chosen, out), None)
    assert export_many is not None
    return lambda out: out.write(_as_bytes(entry, _call(entry, export_many, list(chosen))))


def render(
    entry: RegisteredExporter,
    sessions: Iterable[Session],
    *,
    every: bool,
    include_private: bool = False,
) -> bytes:
    """The whole export in memory (:func:`prepare`, written into a buffer)."""
    from io import BytesIO

    buffer = BytesIO()
    prepare(entry, sessions, every=every, include_private=include_private)(buffer)
    return buffer.getvalue()


def _as_bytes(entry: RegisteredExporter, result: object) -> bytes:
    if isinstance(result, str):
        return result.encode("utf-8")
    if isinstance(result, bytes):
        return result
    raise ExportError(
        f"{entry.credit()} returned {type(result).__name__}, not str or bytes",
        hint="its export() must return str or bytes; " + entry.fix_hint(),
    )


def _call(entry: RegisteredExporter, function: Callable[[Any], Any], argument: Any) -> Any:
    """Run an exporter; a plugin's crash is the plugin's error, not an internal one.

    A :class:`~topcli.errors.TopcliError` (a refusal the exporter meant) goes through as it is,
    and so does Ctrl-C and a crash of a built-in exporter: that is a bug in topcli.
    """
    from topcli.guard import plugin_code

    try:
        with plugin_code():
            return function(argument)
    except (TopcliError, KeyboardInterrupt, BrokenPipeError):
        raise  # a closed pipe on standard output is the reader's doing, not the plugin's
    except BaseException as exc:
        if entry.builtin:
            raise
        from topcli.blame import describe, where_raised

        raise ExportError(
            f"{entry.credit()} failed: {describe(exc)}{where_raised(exc)}",
            hint=entry.fix_hint()
            + "; add --debug before the command for the traceback (topcli --debug plan export ...)",
        ) from exc


# --------------------------------------------------------------------------- writing


def write_export(path: Path, data: bytes, *, force: bool) -> None:
    """Write ``data`` to ``path`` all-or-nothing, owner-only (mode 0600).

    The one writing path (:func:`stream_export`, :func:`topcli.safefiles.private_writer`): only
    a regular file (with ``force``) or a new path, never a symlink, FIFO or device; a
    ``.topcli-tmp-*`` file renamed into place. A run killed half-way leaves such a file,
    holding the plan: the next export into the same folder removes it first.
    """
    stream_export(path, lambda out: out.write(data), force=force)


def stream_export(path: Path, writer: Writer, *, force: bool) -> None:
    """:func:`write_export` for an export written piece by piece (:func:`prepare`).

    The pieces go into the temporary file as they come (:func:`topcli.safefiles.private_writer`);
    the rename happens only after the last one, so a failure midway leaves no file, and no
    temporary file either.
    """
    from topcli.safefiles import clean_stale_temp, private_writer

    path = Path(path)
    clean_stale_temp(path.parent)
    with private_writer(path, force=force) as out:
        writer(out)
