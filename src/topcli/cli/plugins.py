"""``topcli plugins``: what is installed and what each plugin contributes."""

from __future__ import annotations

import typer

from topcli.cli._base import console, print_json
from topcli.cli._help import examples
from topcli.cli._options import json_option

app = typer.Typer(
    help="Inspect plugins.", epilog=examples("topcli plugins list --all"), no_args_is_help=True
)


@app.command("list", epilog=examples("topcli plugins list", "topcli plugins list --all --json"))
def list_plugins(
    as_json: bool = json_option(),
    all_: bool = typer.Option(
        False, "--all", help="Include topcli's built-in plugins.", metavar=""
    ),
) -> None:
    """Each plugin, where it came from (package and version, or file), and what it adds."""
    from topcli.plugins import get_plugins

    plugins = get_plugins()
    _collect_contributions()
    records = [r for r in plugins.records.values() if all_ or not r.builtin]
    if as_json:
        print_json([r.to_dict() for r in records])
        return
    from rich.table import Table
    from rich.text import Text

    out = console()
    if not records:
        out.print(
            "No plugins installed. (--all shows topcli's built-in ones; docs/plugins.md "
            "shows how to write one.)"
        )
        return
    table = Table("plugin", "from", "contributes", show_lines=True)
    for r in records:
        lines = r.contributions + [f"problem: {p}" for p in r.problems]
        table.add_row(Text(r.name), Text(r.origin), Text("\n".join(lines) or "-"))
    out.print(table)


def _collect_contributions() -> None:
    """Ask every hook once, so each plugin's contributions are recorded.

    ``register_questions`` is asked for each stage of every framework, as if each were about to
    be run. An invalid question (which would stop a conversation) becomes a problem of that
    plugin here, so the list still shows everything else.
    """
    from topcli import catalog
    from topcli.plugins import get_plugins

    plugins = get_plugins()
    catalog.exporters()
    for entry in catalog.frameworks().values():
        try:
            catalog.with_plugin_questions(entry.framework)
        except catalog.QuestionRefused as exc:
            plugins.warn(plugins.records[exc.plugin], exc.reason, hint=exc.hint)
