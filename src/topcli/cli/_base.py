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

import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from typer.core import TyperCommand, TyperGroup

from topcli import completion
from topcli.cli.commands import LazyCommand, load_command
from topcli.errors import Interrupted, TopcliError

_state = {"debug": False}


def set_debug(value: bool) -> None:
    _state["debug"] = value


def take_debug(args: Sequence[str]) -> tuple[list[str], bool]:
    """``args`` without ``--debug``, and whether debugging is on.

    ``--debug`` may stand anywhere on the line (``topcli sessions list --debug``), as it does in
    git and gh, so it is taken out before click parses (where it would be an unknown option of
    the subcommand). After ``--`` everything is an argument and stays. ``TOPCLI_DEBUG=1`` turns
    it on too, for a command run by a script one cannot edit.
    """
    rest: list[str] = []
    found = False
    for index, arg in enumerate(args):
        if arg == "--":
            rest += args[index:]
            break
        if arg == "--debug":
            found = True
        else:
            rest.append(arg)
    env = os.environ.get("TOPCLI_DEBUG", "").strip().lower()
    return rest, found or env not in ("", "0", "false", "no", "off")


def person_option(help_text: str) -> Any:
    """``--person NAME`` (``-p``), the same on every command that chooses a person, with
    tab completion of names."""
    import typer

    return typer.Option(
        None,
        "--person",
        "-p",
        help=help_text,
        metavar="NAME",
        autocompletion=completion.person_names,
    )


def one_person(name: str | None, option: str | None, *, command: str) -> str:
    """The person a command is about, given as its ``NAME`` argument or as ``--person NAME``.

    ``--person`` works on every command that chooses a person, so ``topcli history --person Sam``
    and ``topcli history Sam`` are the same; saying two different people is an error.
    """
    from topcli.errors import UsageError

    if name is not None and option is not None and name.strip() != option.strip():
        raise UsageError(
            f"two people given: '{name}' and --person '{option}'",
            hint=f"give one: topcli {command} NAME or topcli {command} --person NAME",
        )
    chosen = option if option is not None else name
    if chosen is None:  # an empty name is the service's to refuse, with its own reason
        raise UsageError(
            "whose? no person given",
            hint=f"topcli {command} NAME or topcli {command} --person NAME "
            "('topcli people list' shows everyone)",
        )
    return chosen


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

    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if sys.stdout.isatty():
        from topcli.safetext import printable_json

        text = printable_json(text)
    sys.stdout.write(text)


def write_document(data: bytes) -> None:
    """A document (a sheet, an export) on standard output: exact into a pipe or a file, shown
    safely on a terminal (:func:`topcli.output.stream_to_stdout`)."""
    from topcli.output import stream_to_stdout

    stream_to_stdout(lambda out: out.write(data))


def report_error(exc: TopcliError, cause: BaseException | None = None) -> None:
    """``error: message`` and ``hint: ...`` on stderr; the traceback (of ``cause`` if given)
    only with ``--debug``."""
    from topcli.safetext import printable_markup

    err = console(stderr=True)
    if _state["debug"]:
        import traceback

        trace = "".join(traceback.format_exception(cause or exc))
        err.print(printable_markup(trace), end="")
    colour = "yellow" if isinstance(exc, Interrupted) else "red"
    # messages quote stored names and answers: shown, never obeyed as escape sequences
    err.print(f"[bold {colour}]{exc.label}:[/bold {colour}] {printable_markup(exc.message)}")
    if exc.hint:
        err.print(f"[yellow]hint:[/yellow] {printable_markup(exc.hint)}")


def report_plugin_warnings() -> None:
    """Print the plugins' warnings once, if plugins were loaded at all.

    Commands that never loaded a plugin do not pay for importing the plugin manager here.
    """
    plugins = sys.modules.get("topcli.plugins")
    loaded = plugins.loaded_plugins() if plugins is not None else None
    if loaded is None or not loaded.warnings:
        return
    from topcli.safetext import printable_markup

    err = console(stderr=True)
    for warning in loaded.warnings:
        err.print(f"[yellow]warning:[/yellow] {printable_markup(warning)}")
    loaded.warnings.clear()


def report_store_notices() -> None:
    """What the store recorded for the user (a migrated database), one line each."""
    store = sys.modules.get("topcli.store")  # a command that never opened it has none
    if store is None:
        return
    for notice in store.pop_notices():
        from topcli.safetext import printable

        console(stderr=True).print(printable(notice), markup=False)


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Typer builds the whole tree before the root: help shows arguments by name only."""
        super().__init__(*args, **kwargs)
        from topcli.cli._help import name_arguments_only

        name_arguments_only(self)

    def main(self, args: Sequence[str] | None = None, *pargs: Any, **kwargs: Any) -> Any:
        """Take ``--debug`` out of the line wherever it is, then run as click does.

        Also the handler for the few errors raised while the line is parsed, before
        :meth:`invoke` runs (an eager option such as ``--show-completion`` with a shell topcli
        cannot complete for).
        """
        completion.prepare()
        rest, debug = take_debug(sys.argv[1:] if args is None else list(args))
        rest = completion.default_shell(rest)
        set_debug(debug)
        try:
            return super().main(rest, *pargs, **kwargs)
        except TopcliError as exc:
            report_error(exc)
            sys.exit(exc.exit_code)

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
