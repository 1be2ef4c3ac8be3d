"""Every hook topcli calls, in one place. Plugins implement them with ``topcli.hookimpl``.

Each hook receives a ``register`` callback instead of returning values, so topcli knows which
plugin contributed what (``topcli plugins list``), can report clashes by name, and can skip a
plugin that fails without losing the others. topcli calls each plugin's implementation on its own,
in the order the plugins were loaded (built-ins, entry points, ``TOPCLI_PLUGINS``), so the first
to register a name keeps it; ``tryfirst``/``trylast`` and hook wrappers are refused with a
warning. An exception inside one plugin's hook (``SystemExit`` too), or a hook running past
``TOPCLI_PLUGIN_TIMEOUT``, becomes a warning naming that plugin, and the rest go on; what a hook
prints goes to stderr. An implementation may leave out parameters it does not need (pluggy passes
only those it names).

The built-in frameworks (TOP, GROW) and exporters (Markdown, JSON, iCalendar) are registered
through these same hooks by modules in ``topcli.builtins``.

``docs/plugins.md`` documents each hook with a runnable example; ``tests/test_docs.py`` fails
when a hook here is missing there or its signature differs.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pluggy

if TYPE_CHECKING:
    from topcli.exporters import Exporter
    from topcli.framework import Framework, Stage

hookspec = pluggy.HookspecMarker("topcli")


class RegisterFramework(Protocol):
    """The ``register`` callback of :func:`register_frameworks`."""

    def __call__(self, path: str | Path) -> None: ...


class RegisterQuestion(Protocol):
    """The ``register`` callback of :func:`register_questions`."""

    def __call__(self, question: Mapping[str, Any], after: str | None = None) -> None: ...


class RegisterExporter(Protocol):
    """The ``register`` callback of :func:`register_exporters`."""

    def __call__(self, exporter: Exporter) -> None: ...


@hookspec
def register_frameworks(register: RegisterFramework) -> None:
    """Add framework YAML files.

    Call ``register(path)`` once per file. Each file is loaded and validated exactly like the
    built-in ones (see ``docs/frameworks.md``). An invalid file, or a framework id that is
    already taken, is skipped with a warning naming the plugin (and, for a taken id, the plugin
    that has it); the plugin's other frameworks are kept.
    Called once per process, the first time a command needs the list of frameworks.
    The return value is ignored; every plugin's implementation is called.
    """


@hookspec
def register_questions(register: RegisterQuestion, framework: Framework, stage: Stage) -> None:
    """Add questions to a stage of the framework that is about to be run.

    Called once per stage when a conversation starts (not on resume: a conversation keeps the
    questions it started with). ``framework`` is the :class:`topcli.framework.Framework` being run
    (check ``framework.id`` to target one framework) and ``stage`` the
    :class:`topcli.framework.Stage` (check ``stage.id``: ``think``, ``opportunities``, ``plan``
    in TOP).

    Call ``register(question, after=None)`` with a mapping that has the same keys as a question
    in YAML (``id``, ``prompt``, ``type``, ``help``, ``choices``, ``default``, ``required``,
    ``when``, ``min``, ``max``). The question goes at the end of the stage, or right after the
    question whose id is ``after`` (a question of the same stage, possibly one added just
    before). An invalid
    question, an id that is already used, or an unknown ``after`` stops the conversation before
    it starts, with a message naming the plugin. A plugin that raises is skipped with a warning:
    none of the questions it registered in that call are kept, and the conversation goes on.
    The return value is ignored; every plugin's implementation is called.
    """


@hookspec
def register_exporters(register: RegisterExporter) -> None:
    """Add exporters for ``topcli plan export``.

    Call ``register(exporter)`` with an object that has ``name`` (used as
    ``--format NAME`` and as the flag ``--NAME``; lowercase letters, digits and ``-``),
    ``suffix`` (file extension such as ``.md``), ``description`` (one line), and
    ``export(session) -> str | bytes``. ``session`` is a read-only
    :class:`topcli.session.Session`; its ``to_dict()`` is exactly the JSON export.
    Private notes: ``session`` is the shared view (:meth:`~topcli.session.Session.shared`: no
    private questions, no private answers) unless the user passed ``--include-private`` or the
    exporter sets ``includes_private = True`` (a complete record, as the JSON backup is); then
    ``session.is_private(question_id)`` says which answers are the leader's own notes.
    Optional: ``export_many(sessions)`` (for ``--all``), ``needs_plan``, ``includes_private``,
    ``with_options(...)`` (the calendar flags) and ``full()`` (``--full``); see
    :mod:`topcli.exporters`.
    :class:`topcli.exporters.Exporter` is a ready dataclass for this. An invalid exporter, or a
    name that is already taken, is skipped with a warning naming both plugins; the exporter
    registered first keeps the name.
    The return value is ignored; every plugin's implementation is called.
    """


def hook_names() -> list[str]:
    """The names of all hooks, for documentation checks and ``plugins list``."""
    return [
        name
        for name, value in globals().items()
        if callable(value) and hasattr(value, "topcli_spec")
    ]
