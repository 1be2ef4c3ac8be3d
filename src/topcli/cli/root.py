"""The root Typer app: global options, and every command found lazily through ``COMMANDS``
(:mod:`topcli.cli.commands`).

Imported only when a command runs (``topcli.cli.main``) or a test asks for ``topcli.cli.app``.
"""

from __future__ import annotations

import typer

from topcli import __version__, completion
from topcli.cli._base import TopcliGroup, set_debug
from topcli.cli._help import examples
from topcli.cli.commands import COMMANDS


class RootGroup(TopcliGroup):
    """The root group with topcli's commands, each imported only when it runs."""

    lazy_commands = COMMANDS


app = typer.Typer(
    name="topcli",
    cls=RootGroup,
    help="Guided, forward-looking career conversations: Think, Opportunities, Plan.\n\n"
    "Tab completion: topcli --install-completion (bash, zsh or fish).",
    epilog=examples('topcli start --person "Sam Lee"', "topcli followup"),
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
    # the two completion options are left out of the option table (the help text names them):
    # --help, the most run command, renders no more than before they existed
    install_completion: str = typer.Option(
        None,
        "--install-completion",
        callback=completion.install_completion,
        is_eager=True,
        expose_value=False,
        hidden=True,
        help="Install tab completion for bash, zsh or fish (default: the shell you are in).",
        metavar="[SHELL]",
    ),
    show_completion: str = typer.Option(
        None,
        "--show-completion",
        callback=completion.show_completion,
        is_eager=True,
        expose_value=False,
        hidden=True,
        help="Print the completion script for bash, zsh or fish, to install it yourself.",
        metavar="[SHELL]",
    ),
    debug: bool = typer.Option(
        False,
        "--debug",
        help="Show tracebacks for errors (anywhere on the line; or TOPCLI_DEBUG=1).",
        metavar="",
    ),
) -> None:
    # TopcliGroup.main takes --debug out of the line before parsing; this option is kept so
    # --help lists it
    if debug:
        set_debug(True)
