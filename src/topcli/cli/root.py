"""The root Typer app: global options, and every command found lazily through ``COMMANDS``
(:mod:`topcli.cli.commands`).

Imported only when a command runs (``topcli.cli.main``) or a test asks for ``topcli.cli.app``.
"""

from __future__ import annotations

import typer

from topcli import __version__
from topcli.cli._base import TopcliGroup, set_debug
from topcli.cli.commands import COMMANDS


class RootGroup(TopcliGroup):
    """The root group with topcli's commands, each imported only when it runs."""

    lazy_commands = COMMANDS


app = typer.Typer(
    name="topcli",
    cls=RootGroup,
    help="Guided, forward-looking career conversations: Think, Opportunities, Plan.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"topcli {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version,
        is_eager=True,
        help="Show the version and exit.",
        metavar="",
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors.", metavar=""),
) -> None:
    set_debug(debug)
