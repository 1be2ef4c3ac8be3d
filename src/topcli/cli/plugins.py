"""``topcli plugins``: what is installed and what each plugin contributes."""

from __future__ import annotations

import typer

from topcli.cli._base import console, print_json

app = typer.Typer(help="Inspect plugins.", no_args_is_help=True)


@app.command("list")
def list_plugins(
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    all_: bool = typer.Option(False, "--all", help="Include topcli's built-in plugins."),
) -> None:
    """Each plugin, where it came from, and what it contributed."""
    from rich.table import Table
    from rich.text import Text

    from topcli import catalog
    from topcli.errors import TopcliError
    from topcli.plugins import get_plugins

    plugins = get_plugins()
    # ask every hook once so each plugin's contributions are recorded
    catalog.frameworks()
    try:
        catalog.exporters()
    except TopcliError as exc:
        plugins.warnings.append(exc.message)
    _collect_question_contributions()
    records = [r for r in plugins.records.values() if all_ or not r.builtin]
    if as_json:
        print_json([r.to_dict() for r in records])
        return
    out = console()
    if not records:
        out.print("No plugins installed. (--all shows topcli's built-in ones.)")
        return
    table = Table("plugin", "from", "contributes", show_lines=True)
    for r in records:
        lines = r.contributions + [f"problem: {p}" for p in r.problems]
        table.add_row(Text(r.name), Text(r.origin), Text("\n".join(lines) or "-"))
    out.print(table)


def _collect_question_contributions() -> None:
    """Run register_questions against every framework, to list what plugins would add."""
    from topcli import catalog
    from topcli.errors import TopcliError
    from topcli.plugins import get_plugins

    for entry in catalog.frameworks().values():
        try:
            catalog.with_plugin_questions(entry.framework)
        except TopcliError as exc:
            get_plugins().warnings.append(exc.message)
