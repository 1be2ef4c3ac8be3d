"""Every hook topcli calls, in one place. Plugins implement them with ``topcli.hookimpl``.

Each hook receives a ``register`` callback instead of returning values, so topcli knows which
plugin contributed what (``topcli plugins list``), can report clashes by name, and can skip a
plugin that fails without losing the others. topcli calls each plugin's implementation on its own:
an exception inside one plugin's hook becomes a warning naming that plugin, and the rest go on.

The built-in frameworks (TOP, GROW) and exporters (Markdown, JSON, iCalendar) are registered
through these same hooks by modules in ``topcli.builtins``.

``docs/plugins.md`` documents each hook with a runnable example; a test fails when a hook here
is missing there or its signature differs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from topcli.exporters import Exporter
    from topcli.framework import Framework, Stage

hookspec = pluggy.HookspecMarker("topcli")


@hookspec
def register_frameworks(register: Callable[[str | Path], None]) -> None:
    """Add framework YAML files.

    Call ``register(path)`` once per file. Each file is loaded and validated exactly like the
    built-in ones (see ``docs/frameworks.md``); an invalid file is reported with the plugin's
    name and ``file:line:column``, and a framework id that is already taken is refused.
    The return value is ignored; every plugin's implementation is called.
    """


@hookspec
def register_questions(register: Callable[..., None], framework: Framework, stage: Stage) -> None:
    """Add questions to a stage of the framework that is about to be run.

    Called once per stage when a conversation starts (not on resume: a conversation keeps the
    questions it started with). ``framework`` is the :class:`topcli.framework.Framework` being run
    (check ``framework.id`` to target one framework) and ``stage`` the
    :class:`topcli.framework.Stage` (check ``stage.id``: ``think``, ``opportunities``, ``plan``
    in TOP).

    Call ``register(question, after=None)`` with a mapping that has the same keys as a question
    in YAML (``id``, ``prompt``, ``type``, ``help``, ``choices``, ``default``, ``required``,
    ``when``). The question goes at the end of the stage, or right after the question whose id
    is ``after``. An invalid question, an id that is already used, or an unknown ``after`` stops
    the conversation before it starts, with a message naming the plugin.
    The return value is ignored; every plugin's implementation is called.
    """


@hookspec
def register_exporters(register: Callable[[Exporter], None]) -> None:
    """Add exporters for ``topcli plan export``.

    Call ``register(exporter)`` with an object that has ``name`` (used as
    ``--format NAME`` and as the flag ``--NAME``; lowercase letters, digits and ``-``),
    ``suffix`` (file extension such as ``.md``), ``description`` (one line), and
    ``export(session) -> str | bytes``. ``session`` is a read-only
    :class:`topcli.session.Session`; its ``to_dict()`` is exactly the JSON export.
    :class:`topcli.exporters.Exporter` is a ready dataclass for this. A name that is already
    taken is refused with a message naming both plugins.
    The return value is ignored; every plugin's implementation is called.
    """


def hook_names() -> list[str]:
    """The names of all hooks, for documentation checks and ``plugins list``."""
    return [
        name
        for name, value in globals().items()
        if callable(value) and hasattr(value, "topcli_spec")
    ]
