"""``topcli doctor``: check the data folder, the database, config, frameworks and plugins."""

from __future__ import annotations

import typer

from topcli.cli._base import console
from topcli.cli._help import examples


def register(app: typer.Typer) -> None:
    """Add ``topcli doctor`` to the root app."""
    app.command("doctor", epilog=examples("topcli doctor"))(doctor)


def doctor() -> None:
    """Check data, permissions, config, frameworks, plugins and temp files; say how to fix.

    Changes nothing. Exit 0 when everything looks healthy; otherwise every problem is listed
    with its fix, and the exit code is 5 for the data (database, permissions, temp files),
    else 3 for frameworks, 2 for the config file or 6 for plugins.
    """
    from topcli.doctor import AREAS, examine, exit_error
    from topcli.safetext import printable_markup

    report = examine()
    out = console()
    out.soft_wrap = True  # a fix is a command to copy: never broken across lines
    for area in AREAS:
        for name, what in report.healthy:
            if name == area:
                out.print(f"[green]ok[/green]       {area}: {printable_markup(what)}")
        for name, what in report.notes:
            if name == area:
                out.print(f"[cyan]note[/cyan]     {area}: {printable_markup(what)}")
        for problem in report.problems:
            if problem.area == area:
                out.print(
                    f"[bold red]problem[/bold red]  {area}: {printable_markup(problem.message)}"
                )
                out.print(f"         fix: {printable_markup(problem.fix)}")
    error = exit_error(report)
    if error is not None:
        raise error
    out.print("Everything looks healthy.")
