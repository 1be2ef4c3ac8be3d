"""``topcli frameworks``: list, show and validate frameworks."""

from __future__ import annotations

from pathlib import Path

import typer

from topcli import completion
from topcli.cli._base import console, print_json
from topcli.cli._help import examples
from topcli.cli._options import json_option

app = typer.Typer(
    help="List, show and validate conversation frameworks.",
    epilog=examples("topcli frameworks list", "topcli frameworks show top"),
    no_args_is_help=True,
)


@app.command("list", epilog=examples("topcli frameworks list", "topcli frameworks list --json"))
def list_frameworks(
    as_json: bool = json_option(),
) -> None:
    """Every framework topcli and its plugins provide."""
    from rich.table import Table

    from topcli.catalog import frameworks
    from topcli.safetext import printable_markup

    entries = sorted(frameworks().values(), key=lambda e: e.framework.id)
    if as_json:
        print_json(
            [
                {
                    "id": e.framework.id,
                    "name": e.framework.name,
                    "version": e.framework.version,
                    "description": e.framework.description,
                    "path": str(e.path),
                    "plugin": e.plugin,
                }
                for e in entries
            ]
        )
        return
    table = Table("id", "name", "version", "stages", "from")
    for e in entries:
        fw = e.framework
        table.add_row(
            printable_markup(fw.id),
            printable_markup(fw.name),
            printable_markup(fw.version),
            printable_markup(" → ".join(s.title for s in fw.stages)),
            "built-in" if e.builtin else f"plugin {e.plugin}",
        )
    console().print(table)


@app.command(
    "show",
    epilog=examples("topcli frameworks show top", "topcli frameworks show ./team.yaml --json"),
)
def show(
    framework: str = typer.Argument(
        ...,
        help="Framework id or path to a YAML file.",
        metavar="ID|PATH",
        autocompletion=completion.framework_ids,
    ),
    as_json: bool = typer.Option(False, "--json", help="The parsed framework as JSON.", metavar=""),
) -> None:
    """Stages, tips and questions (with ids, for answers files) of a framework."""
    from topcli.catalog import resolve_framework
    from topcli.safetext import printable_markup as escape

    fw = resolve_framework(framework)
    if as_json:
        print_json(fw.to_dict())
        return
    out = console()
    out.print(f"[bold]{escape(fw.name)}[/bold] ({fw.id}, version {escape(fw.version)})")
    if fw.description:
        out.print(escape(fw.description.strip()))
    for number, stage in enumerate(fw.stages, start=1):
        out.print()
        out.rule(f"Stage {number}: {escape(stage.title)}")
        if stage.purpose:
            out.print(escape(stage.purpose))
        for tip in stage.tips:
            out.print(f"[dim]  tip: {escape(tip)}[/dim]")
        for q in stage.questions:
            extra = [q.type] + ([] if q.required else ["optional"])
            if q.when is not None:
                # as a framework author writes them: true/false, not Python's True/False
                values = ", ".join(
                    str(v).lower() if isinstance(v, bool) else str(v) for v in q.when.values
                )
                extra.append(f"when {q.when.question} is {values}")
            out.print(f"  [bold]{q.id}[/bold] [dim]({'; '.join(extra)})[/dim]: {escape(q.prompt)}")
            if q.choices:
                out.print(f"[dim]      choices: {escape(' | '.join(q.choices))}[/dim]")


@app.command(
    "validate",
    epilog=examples("topcli frameworks validate team.yaml", "topcli frameworks validate *.yaml"),
)
def validate(
    files: list[Path] = typer.Argument(
        ..., help="Framework YAML files to check.", metavar="FILE..."
    ),
) -> None:
    """Check framework files; every problem is reported as file:line:column."""
    from topcli.errors import FrameworkError
    from topcli.loader import load_framework

    out = console()
    failed: list[FrameworkError] = []
    for path in files:
        try:
            fw = load_framework(path)
        except FrameworkError as exc:
            failed.append(exc)
            continue
        questions = sum(len(s.questions) for s in fw.stages)
        out.print(
            f"[green]ok[/green] {path}: {fw.id} {fw.version}, {len(fw.stages)} stages, "
            f"{questions} questions"
        )
    if len(failed) == 1:
        raise failed[0]
    if failed:
        raise FrameworkError(
            "\n".join(exc.message for exc in failed),
            hint="fix them and run 'topcli frameworks validate' again",
        )
