"""The command line: a thin layer that parses arguments, calls a service and prints.

One small ``typer.Typer()`` per command group, joined here. Services are imported inside the
commands so ``topcli --help`` does not load prompts, YAML or calendars.
"""

from __future__ import annotations

import typer

from topcli import __version__
from topcli.cli import (
    config,
    conversation,
    doctor,
    followthrough,
    frameworks,
    plan,
    plugins,
    prep,
    sessions,
)
from topcli.cli._base import TopcliGroup, set_debug

app = typer.Typer(
    name="topcli",
    cls=TopcliGroup,
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


conversation.register(app)
followthrough.register(app)
prep.register(app)
doctor.register(app)
app.add_typer(sessions.app, name="sessions")
app.add_typer(plan.app, name="plan")
app.add_typer(frameworks.app, name="frameworks")
app.add_typer(plugins.app, name="plugins")
app.add_typer(config.app, name="config")


def main() -> None:
    app(prog_name="topcli")
