"""What every command shares: the one error handler, lazy commands, consoles, and JSON output.

:class:`TopcliGroup` is the root click group. Its ``invoke`` is the single place where a
:class:`~topcli.errors.TopcliError` becomes ``error: ...`` plus a hint on stderr and the error's
exit code. Because it lives in the group (not in ``main``), the CLI runner in tests sees exactly
what a user sees. Tracebacks only with ``--debug``.

It also registers the commands lazily: a command's module is imported only when that command
runs, and ``topcli --help`` lists the commands from a small table without importing any of them
(see ``topcli.cli.COMMANDS``). Start-up is most of what a light command costs, so a command pays
only for its own module.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any, ClassVar

from typer.core import TyperCommand, TyperGroup

from topcli.cli.commands import LazyCommand, load_command
from topcli.errors import Interrupted, TopcliError

_state = {"debug": False}


def set_debug(value: bool) -> None:
    _state["debug"] = value


def console(stderr: bool = False) -> Any:
    """Where output goes: rich in a terminal; plain text, without importing rich, elsewhere.

    Emoji codes (``:smile:``) are not replaced: names and answers print as they were typed.
    """
    from topcli.cli._console import PlainConsole, wants_plain

    if wants_plain(sys.stderr if stderr else sys.stdout):
        return PlainConsole(stderr=stderr)
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=stderr, emoji=False)


def print_json(data: Any) -> None:
    """JSON for scripts: plain stdout, no colour, UTF-8 kept as is."""
    import json

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def report_error(exc: TopcliError, cause: BaseException | None = None) -> None:
    """``error: message`` and ``hint: ...`` on stderr; the traceback (of ``cause`` if given)
    only with ``--debug``."""
    from topcli.cli._console import escape

    err = console(stderr=True)
    if _state["debug"]:
        import traceback

        err.print(escape("".join(traceback.format_exception(cause or exc))), end="")
    colour = "yellow" if isinstance(exc, Interrupted) else "red"
    err.print(f"[bold {colour}]{exc.label}:[/bold {colour}] {escape(exc.message)}")
    if exc.hint:
        err.print(f"[yellow]hint:[/yellow] {escape(exc.hint)}")


def report_plugin_warnings() -> None:
    """Print the plugins' warnings once, if plugins were loaded at all.

    Commands that never loaded a plugin do not pay for importing the plugin manager here.
    """
    plugins = sys.modules.get("topcli.plugins")
    loaded = plugins.loaded_plugins() if plugins is not None else None
    if loaded is None or not loaded.warnings:
        return
    from topcli.cli._console import escape

    err = console(stderr=True)
    for warning in loaded.warnings:
        err.print(f"[yellow]warning:[/yellow] {escape(warning)}")
    loaded.warnings.clear()


def report_store_notices() -> None:
    """What the store recorded for the user (a migrated database), one line each."""
    store = sys.modules.get("topcli.store")  # a command that never opened it has none
    if store is None:
        return
    for notice in store.pop_notices():
        console(stderr=True).print(notice, markup=False)


class TopcliGroup(TyperGroup):
    """The root group: the one top-level handler for topcli's errors, and lazy commands."""

    #: name -> where the command lives, in the order ``--help`` lists them; the root app sets
    #: it to ``topcli.cli.commands.COMMANDS``
    lazy_commands: ClassVar[Mapping[str, LazyCommand]] = {}
    #: while help is being written, commands are listed from the table, not imported
    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.commands, *(n for n in self.lazy_commands if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        entry = self.lazy_commands.get(cmd_name)
        if entry is None:
            return None
        if self._listing:
            # a stand-in that carries only what the listing prints
            return TyperCommand(name=cmd_name, help=entry.help)
        command = self.commands[cmd_name] = load_command(self, cmd_name, entry.module)
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        # typer suggests only from the commands already built; suggest from every name instead
        from typer._click.exceptions import UsageError

        try:
            return self._click_resolve_command(ctx, args)
        except UsageError as exc:
            from difflib import get_close_matches

            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if self.suggest_commands and matches:
                suggestions = ", ".join(repr(m) for m in matches)
                exc.message = f"{exc.message.rstrip('.')}. Did you mean {suggestions}?"
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TopcliError as exc:
            report_plugin_warnings()
            report_error(exc)
            ctx.exit(exc.exit_code)
        except Exception as exc:
            # typer's own control flow (usage errors, Exit, Abort) keeps its handling
            if type(exc).__module__.split(".")[0] in ("typer", "click"):
                raise
            # anything else is a bug in topcli: still no traceback unless --debug
            report_plugin_warnings()
            internal = TopcliError(
                f"internal error: {type(exc).__name__}: {exc}",
                hint="this is a bug in topcli; run it again as 'topcli --debug ...' for the "
                "traceback and include it in your report. Your saved answers are safe.",
            )
            report_error(internal, cause=exc)
            ctx.exit(1)
        finally:
            report_plugin_warnings()
            report_store_notices()
