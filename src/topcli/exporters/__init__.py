"""Exporters turn a stored conversation into a file: Markdown, JSON, iCalendar, or a plugin's.

An exporter is any object with ``name``, ``suffix``, ``description`` and
``export(session) -> str | bytes``; :class:`Exporter` is a ready-made one for plugins. Two
optional attributes widen what ``topcli plan export`` can do with it:

- ``export_many(sessions) -> str | bytes`` makes ``--all`` work (one document for many
  conversations); without it ``--all`` is refused for that format.
- ``needs_plan`` (default true) refuses conversations that have no plan yet (no actions and no
  follow-up date). The JSON exporter sets it false: it is the complete record, a backup too.

The built-in exporters register through the ``register_exporters`` hook like any plugin
(``topcli.builtins.exporters``). This module also holds the export service the CLI calls:
choosing the exporter, the conversations, rendering, and writing the file all-or-nothing.
It imports nothing heavy, so ``topcli --help`` stays fast.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from topcli.errors import ExportError, TopcliError, UsageError, did_you_mean

if TYPE_CHECKING:
    from topcli.plugins import PluginRecord
    from topcli.session import Session
    from topcli.store import Store


@dataclass(frozen=True)
class Exporter:
    name: str
    suffix: str
    description: str
    export: Callable[[Session], str | bytes]
    #: One document for several conversations (``--all``); ``None`` refuses ``--all``.
    export_many: Callable[[Sequence[Session]], str | bytes] | None = None
    #: Refuse a conversation without a plan yet (no actions, no follow-up date).
    needs_plan: bool = True


# --------------------------------------------------------------------------- choosing


def available_exporters() -> dict[str, tuple[Any, str]]:
    """Every registered exporter by name (built-in and plugins), with its plugin's name."""
    from topcli.catalog import exporters

    return exporters()


def get_exporter(name: str) -> Any:
    """The exporter called ``name``, or a :class:`UsageError` that lists the available ones."""
    known = available_exporters()
    if name in known:
        return known[name][0]
    listing = ", ".join(f"{n} ({known[n][0].description})" for n in sorted(known)) or "none"
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


def pick_sessions(
    store: Store, session_id: str | None, *, person: str | None, every: bool
) -> list[Session]:
    """The conversations to export: one by id, a person's latest, the latest, or ``--all``."""
    if not every:
        from topcli.selection import pick_session

        return [pick_session(store, session_id, person=person)]
    if session_id:
        raise UsageError("give a conversation id or --all, not both")
    person_id = store.find_person(person)["id"] if person else None
    rows = store.session_rows(person_id=person_id)
    if not rows:
        from topcli.errors import NotFoundError

        raise NotFoundError("there are no conversations yet", hint="start one with: topcli start")
    return [store.load(row["id"]) for row in rows]


# --------------------------------------------------------------------------- rendering


def render(exporter: Any, sessions: Sequence[Session], *, every: bool) -> bytes:
    """The whole export in memory, so a failure never leaves a file half written.

    A plugin's exporter that raises, or returns something that is not text, becomes an
    :class:`ExportError` that names the plugin and the line that raised.
    """
    needs_plan = getattr(exporter, "needs_plan", True)
    if every:
        export_many = getattr(exporter, "export_many", None)
        if not callable(export_many):
            raise ExportError(
                f"the '{exporter.name}' exporter cannot put several conversations in one file",
                hint="export them one at a time: topcli plan export ID --format " + exporter.name,
            )
        chosen = [s for s in sessions if s.has_plan] if needs_plan else list(sessions)
        if not chosen:
            raise ExportError(
                "none of the conversations has a plan yet (actions or a follow-up date)",
                hint="finish one with: topcli resume",
            )
        result = _call(exporter, export_many, chosen)
    else:
        (session,) = sessions
        if needs_plan and not session.has_plan:
            raise ExportError(
                f"conversation {session.id} with {session.person_name} has no plan yet "
                "(no actions and no follow-up date)",
                hint=f"finish it with: topcli resume {session.id}"
                if not session.is_complete
                else "use --json to export the conversation as it is",
            )
        result = _call(exporter, exporter.export, session)
    if isinstance(result, str):
        return result.encode("utf-8")
    if isinstance(result, bytes):
        return result
    raise ExportError(
        f"{_exporter_of(exporter)} returned {type(result).__name__}, not str or bytes",
        hint="its export() must return str or bytes; " + _fix_hint(exporter),
    )


def _call(exporter: Any, function: Callable[[Any], Any], argument: Any) -> Any:
    """Run an exporter; a plugin's crash is the plugin's error, not an internal one.

    A :class:`~topcli.errors.TopcliError` (a refusal the exporter meant) goes through as it is,
    and so does a crash of a built-in exporter: that is a bug in topcli.
    """
    try:
        return function(argument)
    except TopcliError:
        raise
    except Exception as exc:
        record = _plugin_record(exporter)
        if record is not None and record.builtin:
            raise
        from topcli.plugins import _describe, _where_raised

        raise ExportError(
            f"{_exporter_of(exporter)} failed: {_describe(exc)}{_where_raised(exc)}",
            hint=_fix_hint(exporter)
            + "; add --debug before the command for the traceback (topcli --debug plan export ...)",
        ) from exc


def _plugin_record(exporter: Any) -> PluginRecord | None:
    """The plugin that registered the exporter with this name (``None`` if none did)."""
    from topcli.plugins import get_plugins

    entry = available_exporters().get(getattr(exporter, "name", None))
    return get_plugins().records.get(entry[1]) if entry is not None else None


def _exporter_of(exporter: Any) -> str:
    """``exporter 'csv' of plugin 'x' (file /x.py)``, for messages."""
    record = _plugin_record(exporter)
    where = f" of plugin '{record.name}' ({record.origin})" if record is not None else ""
    return f"exporter '{exporter.name}'{where}"


def _fix_hint(exporter: Any) -> str:
    record = _plugin_record(exporter)
    if record is None:
        return "fix the exporter, or report it to its author"
    if record.package:
        return f"fix the plugin, or uninstall it: pip uninstall {record.package}"
    if record.origin.startswith(("file ", "module ")):
        return "fix the plugin, or remove it from TOPCLI_PLUGINS"
    return "fix the plugin, or uninstall it"


# --------------------------------------------------------------------------- writing


def write_export(path: Path, data: bytes, *, force: bool) -> None:
    """Write ``data`` to ``path`` all-or-nothing, owner-only (mode 0600).

    The bytes go to a temporary file in the same folder, then replace ``path`` in one step, so a
    full disk or a crash never leaves half a file. An existing file is kept unless ``force``.
    """
    path = Path(path)
    folder = path.parent
    if path.is_dir():
        raise ExportError(f"{path} is a folder", hint="give a file name, e.g. -o plan.md")
    if not folder.is_dir():
        raise ExportError(
            f"cannot write {path}: {folder} "
            + ("is not a folder" if folder.exists() else "does not exist"),
            hint="create the folder first, or choose another path with -o",
        )
    if path.exists() and not force:
        raise ExportError(f"{path} already exists", hint="add --force to overwrite it")
    try:
        handle, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ExportError(
            f"cannot write in {folder}: {exc.strerror or exc}",
            hint="check the folder's permissions, or choose another path with -o",
        ) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o600)
        _move_into_place(temp, path, force=force)
    except OSError as exc:
        raise ExportError(
            f"cannot write {path}: {exc.strerror or exc}",
            hint="check the disk space and permissions, or choose another path with -o",
        ) from None
    finally:
        temp.unlink(missing_ok=True)


def _move_into_place(temp: Path, path: Path, *, force: bool) -> None:
    if force:
        os.replace(temp, path)
        return
    try:
        # a hard link never replaces: a file that appeared meanwhile is not overwritten
        os.link(temp, path)
    except FileExistsError:
        raise ExportError(f"{path} already exists", hint="add --force to overwrite it") from None
    except OSError:
        # file systems without hard links: the check above has to do
        if path.exists():
            raise ExportError(
                f"{path} already exists", hint="add --force to overwrite it"
            ) from None
        os.replace(temp, path)
