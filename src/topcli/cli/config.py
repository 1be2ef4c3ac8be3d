"""``topcli config``: see, set and edit the defaults in the config file.

``path`` and ``edit`` never parse the file, so they work while it is broken (that is how it gets
fixed); ``set`` and ``unset`` edit the file's text line-wise, keeping comments and order.
"""

from __future__ import annotations

import typer

from topcli import completion
from topcli.cli._base import print_json
from topcli.cli._help import examples
from topcli.cli._options import json_option, no_pager_option, plain_option

app = typer.Typer(
    help="Defaults set once: framework, follow-up interval, meeting time, editor, pager...",
    epilog=examples("topcli config list", "topcli config set followup_interval 6w"),
    no_args_is_help=True,
)

_KEY = typer.Argument(
    ...,
    help="A setting's name (see 'topcli config list').",
    metavar="KEY",
    autocompletion=completion.setting_names,
)


@app.command("list", epilog=examples("topcli config list", "topcli config list --json"))
def list_settings(
    as_json: bool = json_option(),
    plain: bool = plain_option("Tab-separated lines, even in a terminal."),
    no_pager: bool = no_pager_option(),
) -> None:
    """Every setting with its value and where it came from (flag, env, file:line, default)."""
    from topcli import config, output

    settings = config.resolve_all()
    if as_json:
        print_json(
            [
                {
                    "key": s.key,
                    "value": s.value,
                    "kind": s.kind,
                    "source": s.source,
                    "env": config.KEYS[s.key].env,
                    "description": config.KEYS[s.key].description,
                }
                for s in settings
            ]
        )
        return
    table = output.Table(("key", "value", "from"))
    for s in settings:
        shown = s.value if s.value is not None else f"({config.KEYS[s.key].default_note})"
        table.add_row(s.key, shown, s.source)
    output.show(table, plain=plain, pager=not no_pager)


@app.command("get", epilog=examples("topcli config get followup_interval"))
def get(key: str = _KEY) -> None:
    """Print one setting's value (exit status 1, printing nothing, when it has none)."""
    from topcli import config

    setting = config.resolve(key)
    if setting.value is None:
        raise typer.Exit(1)
    typer.echo(setting.value)


@app.command(
    "set",
    epilog=examples(
        "topcli config set followup_interval 6w", "topcli config set meeting_time 14:30"
    ),
)
def set_(
    key: str = _KEY,
    value: str = typer.Argument(..., help="The new value, checked before it is written."),
) -> None:
    """Check a value and write it to the config file (other lines and comments are kept).

    A framework must be one topcli knows: a built-in or plugin id, or an existing file.
    """
    from topcli import config_file

    if key == "framework":
        from topcli.config_check import check_framework

        value = check_framework(value)
    path, stored = config_file.set_value(key, value)
    typer.echo(f"{key} = {stored}  (in {path})")


@app.command("unset", epilog=examples("topcli config unset remind"))
def unset(key: str = _KEY) -> None:
    """Remove a setting from the config file, so its default applies again."""
    from topcli import config_file

    if config_file.unset_value(key):
        typer.echo(f"{key} removed from {config_file.config_path()}")
    else:
        typer.echo(f"{key} was not set in {config_file.config_path()}")


@app.command("path", epilog=examples("topcli config path"))
def path() -> None:
    """Print where the config file is (TOPCLI_CONFIG changes it); it need not exist yet."""
    from topcli.config import config_path

    typer.echo(str(config_path()))


@app.command("edit", epilog=examples("topcli config edit", "TOPCLI_EDITOR=nano topcli config edit"))
def edit() -> None:
    """Open the config file in your editor, then check it.

    A new file is created with every setting commented out.
    """
    from topcli import config, config_file, editor

    file = config_file.ensure_file()
    editor.run_editor(file, strict_config=False)
    try:
        config.load(file)
    except config.ConfigError as exc:
        again = "your edit is saved; run 'topcli config edit' again to fix it"
        exc.hint = f"{again} ({exc.hint})" if exc.hint else again
        raise
    typer.echo(f"{file} is valid")
