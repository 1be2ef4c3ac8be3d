"""Exporters turn a stored conversation into a file: Markdown, JSON, iCalendar, or a plugin's.

An exporter is any object with ``name``, ``suffix``, ``description`` and
``export(session) -> str | bytes``; :class:`Exporter` is a ready-made one for plugins. Optional
attributes widen what ``topcli plan export`` can do with it:

- ``export_many(sessions) -> str | bytes`` makes ``--all`` work (one document for many
  conversations); without it ``--all`` is refused for that format. It gets every conversation
  in one list, so the whole export is in memory at once.
- ``write_many(sessions, out) -> None`` is the streaming form of ``--all``, preferred when both
  are there: ``sessions`` is an iterable that reads each conversation from the store as it is
  reached (iterating it again reads them again, in the same order, so an exporter may make two
  passes) and ``out`` a binary stream the exporter writes bytes to as it goes. Into a file
  (``-o``) the export stays all-or-nothing: a refusal or a crash midway leaves no file; on
  standard output what was written stays written, so refuse (raise) before the first byte
  where you can. The built-in exporters have it.
- ``needs_plan`` (default true) refuses conversations that have no plan yet (no actions and no
  follow-up date). The JSON exporter sets it false: it is the complete record, a backup too.
- ``with_options(*, timezone=None, start=None, duration=None, remind=None) -> exporter`` (the
  calendar options): a copy that applies ``--timezone``, ``--time``, ``--duration`` and
  ``--remind`` (each text as typed, ``None`` when not given). Without it those flags are refused
  for that format. The built-in ``ics`` exporter has it.
- ``full() -> exporter``: a copy that writes the complete conversation instead of a summary
  (``--full``). Without it ``--full`` is refused for that format. The built-in ``md`` has it.
- ``includes_private`` (default false): the exporter writes the complete record (a backup), so
  it gets the whole conversation, private notes included (they are marked ``private: true`` in
  the framework snapshot). Every other exporter gets :meth:`~topcli.session.Session.shared`,
  without private questions or answers, unless the user passed ``--include-private``. The JSON
  exporter sets it.

The built-in exporters register through the ``register_exporters`` hook like any plugin
(``topcli.builtins.exporters``); the catalog keeps each one as a :class:`RegisteredExporter`,
which knows the plugin that registered it. The export service the CLI calls (choosing the
exporter, rendering, writing the file all-or-nothing) is :mod:`topcli.exporters.service`.
This module imports nothing heavy, so ``topcli --help`` stays fast.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, BinaryIO

from topcli.errors import UsageError

if TYPE_CHECKING:
    from topcli.session import Session

_NAME_RE = re.compile(r"^[a-z][a-z0-9-]*$")
CALENDAR_FLAGS = ("timezone", "start", "duration", "remind")


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
    #: The complete record (a backup): gets private notes even without ``--include-private``.
    includes_private: bool = False
    #: ``--all`` streamed: write each conversation to ``out`` as it is read (see above).
    write_many: Callable[[Iterable[Session], BinaryIO], None] | None = None


def exporter_problem(exporter: Any) -> str | None:
    """Why ``exporter`` cannot be registered, or ``None`` when it can."""
    for attr in ("name", "suffix", "description", "export"):
        if not hasattr(exporter, attr):
            return f"it has no '{attr}'"
    if not isinstance(exporter.name, str) or not _NAME_RE.match(exporter.name):
        return f"name {exporter.name!r} must be lowercase letters, digits and '-'"
    if not isinstance(exporter.suffix, str) or not exporter.suffix.startswith("."):
        return f"suffix {exporter.suffix!r} must be a file extension such as '.md'"
    if not callable(exporter.export):
        return "'export' must be callable"
    return None


@dataclass(frozen=True)
class RegisteredExporter:
    """An exporter as the catalog keeps it: the object a plugin registered, and whose it is.

    Everything the export service says about an exporter (whose it is, how to fix it) comes
    from here, so the service never goes back to the plugin manager.
    """

    exporter: Any
    #: The name of the plugin that registered it, and where that plugin came from.
    plugin: str
    origin: str
    builtin: bool = False
    #: The installed package of an entry-point plugin (for ``pip uninstall``).
    package: str | None = None

    @property
    def name(self) -> str:
        return str(self.exporter.name)

    @property
    def description(self) -> str:
        return str(self.exporter.description)

    @property
    def needs_plan(self) -> bool:
        return bool(getattr(self.exporter, "needs_plan", True))

    @property
    def includes_private(self) -> bool:
        """Whether the exporter writes the complete record, private notes included."""
        return getattr(self.exporter, "includes_private", False) is True

    @property
    def export_many(self) -> Callable[[Sequence[Session]], str | bytes] | None:
        export_many = getattr(self.exporter, "export_many", None)
        return export_many if callable(export_many) else None

    @property
    def write_many(self) -> Callable[[Iterable[Session], BinaryIO], None] | None:
        """The optional streaming ``--all``, or ``None`` (then ``export_many`` is used)."""
        write_many = getattr(self.exporter, "write_many", None)
        return write_many if callable(write_many) else None

    @property
    def takes_calendar_options(self) -> bool:
        """Whether the exporter has the optional ``with_options`` (calendar options)."""
        return callable(getattr(self.exporter, "with_options", None))

    def with_calendar_options(self, flags: dict[str, str]) -> RegisteredExporter:
        """The exporter with ``--timezone``/``--time``/``--duration``/``--remind`` applied.

        A format without calendar options refuses them with a :class:`UsageError`.
        """
        if not self.takes_calendar_options:
            raise UsageError(
                "--timezone, --time, --duration and --remind are calendar options",
                hint="use them with --ics",
            )
        unknown = sorted(set(flags) - set(CALENDAR_FLAGS))
        if unknown:
            raise UsageError(f"unknown calendar option '{unknown[0]}'")
        return replace(self, exporter=self.exporter.with_options(**flags))

    @property
    def takes_full(self) -> bool:
        """Whether the exporter has the optional ``full`` (the complete transcript)."""
        return callable(getattr(self.exporter, "full", None))

    def credit(self) -> str:
        """``exporter 'csv' of plugin 'x' (file /x.py)``, for messages."""
        return f"exporter '{self.name}' of plugin '{self.plugin}' ({self.origin})"

    def fix_hint(self) -> str:
        if self.package:
            return f"fix the plugin, or uninstall it: pip uninstall {self.package}"
        if self.origin.startswith(("file ", "module ")):
            return "fix the plugin, or remove it from TOPCLI_PLUGINS"
        return "fix the plugin, or uninstall it"
