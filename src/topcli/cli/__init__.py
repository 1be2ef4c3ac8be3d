"""The command line: a thin layer that parses arguments, calls a service and prints.

One small ``typer.Typer()`` (or one ``register(app)``) per command group, in its own module; the
root app (:mod:`topcli.cli.root`) finds them through the table in :mod:`topcli.cli.commands` and
imports a command's module only when that command runs. Services are imported inside the
commands, so a light command loads no prompts, YAML, calendars or plugins.

This module stays cheap on purpose: it is what the ``topcli`` script imports first, and
``topcli --version`` is answered here before Typer is imported at all.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from topcli import __version__

if TYPE_CHECKING:
    import typer

    #: The Typer app (built on first use: ``from topcli.cli import app`` works as before).
    app: typer.Typer


def __getattr__(name: str) -> Any:
    """Build the Typer app on first use (PEP 562), so importing this package costs nothing."""
    if name == "app":
        from topcli.cli.root import app

        globals()["app"] = app
        return app
    raise AttributeError(f"module 'topcli.cli' has no attribute {name!r}")


def main() -> None:
    """The ``topcli`` script. ``topcli --version`` needs no command line library at all."""
    if sys.argv[1:] == ["--version"]:
        sys.stdout.write(f"topcli {__version__}\n")
        return
    from topcli.output import protect_streams

    # a terminal that cannot show a character gets a '?' instead of a UnicodeEncodeError
    # (LANG=C, Latin-1 locales)
    protect_streams()
    from topcli.cli.root import app

    app(prog_name="topcli")
