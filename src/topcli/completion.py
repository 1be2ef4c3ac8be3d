"""Shell completion: the scripts for bash, zsh and fish, and what each argument completes to.

The shell calls ``topcli`` with ``_TOPCLI_COMPLETE=complete_bash`` (or zsh, fish) and the words
typed so far; click walks the command line and asks the parameter being typed for its values.
Commands and options come from click itself; the functions here give the values: framework ids,
exporter names, conversation ids, action ids and person names.

Two rules, because they run on every press of Tab:

- **Never fail loudly, never prompt.** Any error (no database yet, a broken plugin, a locked
  file) completes nothing; a traceback in the middle of someone's command line is worse than
  no suggestion.
- **Never change anything, and stay light.** The database is opened read-only through SQLite's
  URI (so completing before the first conversation does not create the data folder), with a
  query per call. Every command imports this module (the CLI refers to its functions), so it
  imports only the standard library at the top; the store, the catalog and Typer's completion
  classes are imported inside the functions, when the shell asks.

``--install-completion`` and ``--show-completion`` are topcli's own options (not Typer's
``add_completion``) so that a shell topcli cannot complete for gets topcli's error, with the
supported shells in the hint, instead of a bare "Shell tcsh not supported.".
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

#: The shells Typer writes completion scripts for (PowerShell too, though not documented).
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
DOCUMENTED_SHELLS = "bash, zsh or fish"
#: Enough suggestions to choose from; a shell shows no more than a screen anyway.
LIMIT = 200

Completion = list[tuple[str, str]]


# --- values -----------------------------------------------------------------------------------


def _quietly(find: Callable[[str], Iterable[tuple[str, str]]]) -> Callable[[str], Completion]:
    """``find`` with every error turned into "no suggestions", and the result cut to LIMIT."""

    def complete(incomplete: str) -> Completion:
        try:
            found = list(find(incomplete or ""))
        except Exception:  # completion must never break the command line being typed
            return []
        return found[:LIMIT]

    complete.__name__ = find.__name__
    complete.__doc__ = find.__doc__
    # Typer inspects every completion function when it builds the command line, on every run;
    # string annotations (``from __future__ import annotations``) cost an eval each. Without
    # them Typer recognises the parameter by its name, ``incomplete``, at no cost.
    complete.__annotations__ = {}
    return complete


def _query(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows from the store, read-only; no database yet means no rows (nothing is created)."""
    import sqlite3

    from topcli.store import DB_NAME, data_dir

    path = data_dir() / DB_NAME
    if not path.is_file():
        return []
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def _like(incomplete: str) -> str:
    """A LIKE pattern for "starts with ``incomplete``" (its own % and _ taken literally)."""
    escaped = incomplete.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


@_quietly
def person_names(incomplete: str) -> Iterable[tuple[str, str]]:
    """Names of people (or ids, once an id is being typed), with how many conversations."""
    rows = _query(
        "SELECT p.id, p.name, COUNT(s.id) FROM people p LEFT JOIN sessions s ON s.person_id = p.id"
        " GROUP BY p.id ORDER BY p.name COLLATE NOCASE"
    )
    lowered = incomplete.casefold()
    for pid, name, count in rows:
        help_text = f"id {pid}, {count} conversation{'s' if count != 1 else ''}"
        if name.casefold().startswith(lowered):
            yield name, help_text
        elif incomplete and pid.startswith(incomplete):
            yield pid, name


@_quietly
def session_ids(incomplete: str) -> Iterable[tuple[str, str]]:
    """Conversation ids, newest first, with the person and the day it started."""
    rows = _query(
        "SELECT s.id, p.name, substr(s.started_at, 1, 10), s.status FROM sessions s"
        " JOIN people p ON p.id = s.person_id WHERE s.id LIKE ? ESCAPE '\\'"
        " ORDER BY s.started_at DESC, s.rowid DESC",
        (_like(incomplete),),
    )
    for sid, name, day, status in rows:
        yield sid, f"{name}, {day}" + ("" if status == "complete" else ", in progress")


@_quietly
def unfinished_session_ids(incomplete: str) -> Iterable[tuple[str, str]]:
    """Ids of conversations that can be resumed."""
    rows = _query(
        "SELECT s.id, p.name, substr(s.started_at, 1, 10) FROM sessions s"
        " JOIN people p ON p.id = s.person_id WHERE s.id LIKE ? ESCAPE '\\'"
        " AND s.status != 'complete' ORDER BY s.started_at DESC, s.rowid DESC",
        (_like(incomplete),),
    )
    for sid, name, day in rows:
        yield sid, f"{name}, {day}"


@_quietly
def open_action_ids(incomplete: str) -> Iterable[tuple[str, str]]:
    """Ids of open actions, soonest due first, with what they are and whose."""
    rows = _query(
        "SELECT a.id, a.what, a.due, p.name FROM actions a JOIN sessions s ON s.id = a.session_id"
        " JOIN people p ON p.id = s.person_id WHERE a.status = 'open' AND a.id LIKE ? ESCAPE '\\'"
        " ORDER BY a.due, a.id",
        (_like(incomplete),),
    )
    for aid, what, due, name in rows:
        yield aid, f"{what} ({name}, due {due})"


@_quietly
def action_ids(incomplete: str) -> Iterable[tuple[str, str]]:
    """Ids of every action (a note may go on a closed one too)."""
    rows = _query(
        "SELECT a.id, a.what, a.status, p.name FROM actions a"
        " JOIN sessions s ON s.id = a.session_id JOIN people p ON p.id = s.person_id"
        " WHERE a.id LIKE ? ESCAPE '\\' ORDER BY a.due, a.id",
        (_like(incomplete),),
    )
    for aid, what, status, name in rows:
        yield aid, f"{what} ({name}, {status})"


@_quietly
def framework_ids(incomplete: str) -> Iterable[tuple[str, str]]:
    """Framework ids from topcli and its plugins (a path is completed by the shell)."""
    from topcli.catalog import frameworks

    for fid, entry in sorted(frameworks().items()):
        if fid.startswith(incomplete):
            yield fid, entry.framework.name


@_quietly
def exporter_names(incomplete: str) -> Iterable[tuple[str, str]]:
    """Export formats from topcli and its plugins."""
    from topcli.exporters.service import available_exporters

    for name, entry in sorted(available_exporters().items()):
        if name.startswith(incomplete):
            yield name, entry.description


@_quietly
def setting_names(incomplete: str) -> Iterable[tuple[str, str]]:
    """The settings of the config file."""
    from topcli.config import KEYS

    for name, key in KEYS.items():
        if name.startswith(incomplete):
            yield name, key.description


# --- the scripts ------------------------------------------------------------------------------


def _shell(value: str) -> str:
    """The shell to write for: the one given, else the one running topcli."""
    from topcli.errors import UsageError

    shell = value.strip().lower()
    if not shell:
        from typer._completion_shared import _get_shell_name

        shell = _get_shell_name() or ""
        if not shell:
            raise UsageError(
                "cannot tell which shell this is",
                hint=f"name it: topcli --show-completion bash (or {DOCUMENTED_SHELLS})",
            )
    shell = os.path.basename(shell)
    if shell not in SHELLS:
        raise UsageError(
            f"completion is not available for the shell '{shell}'",
            hint=f"topcli completes in {DOCUMENTED_SHELLS}: e.g. topcli --install-completion bash",
        )
    return shell


OPTIONS = ("--install-completion", "--show-completion")


def default_shell(args: list[str]) -> list[str]:
    """``--show-completion`` with no shell after it means "the shell I am in".

    Typer's parser has no options with an optional value, so a bare option is given the empty
    value here (``--show-completion=``), which :func:`_shell` reads as "detect it".
    """
    filled = []
    for index, arg in enumerate(args):
        following = args[index + 1] if index + 1 < len(args) else None
        if arg in OPTIONS and (following is None or following.startswith("-")):
            arg += "="
        filled.append(arg)
    return filled


def prepare() -> None:
    """Register Typer's completion classes when the shell is asking for completions.

    Typer does this itself only for ``add_completion=True``; without it every shell is "not
    supported". Checked with one environment lookup, so ordinary runs pay nothing.
    """
    if any(name.endswith("_COMPLETE") and name.startswith("_") for name in os.environ):
        from typer._click.shell_completion import add_completion_class
        from typer._completion_classes import completion_init

        completion_init()
        add_completion_class(_bash_class(), "bash")


def _bash_class() -> Any:
    """Typer's bash completion, with each suggestion escaped for the command line.

    bash puts a suggestion on the line exactly as given, so ``Sam Lee`` would become two
    arguments; ``Sam\\ Lee`` is one. zsh and fish quote suggestions themselves. Escaping here,
    at output, keeps Typer's prefix matching working on the plain values (``Sam\\ L`` + Tab).
    """
    import re

    from typer._completion_classes import BashComplete

    class EscapingBashComplete(BashComplete):  # type: ignore[misc]
        def format_completion(self, item: Any) -> str:
            return re.sub(r"([^\w@%+=:,./-])", r"\\\1", str(item.value))

    return EscapingBashComplete


def _prog(ctx: Any) -> tuple[str, str]:
    prog_name = ctx.find_root().info_name or "topcli"
    return prog_name, "_{}_COMPLETE".format(prog_name.replace("-", "_").upper())


def show_completion(ctx: Any, param: Any, value: str | None) -> None:
    """``--show-completion [SHELL]``: print the script, to put in a shell's start-up file."""
    if value is None or ctx.resilient_parsing:
        return
    from typer._completion_shared import get_completion_script

    prog_name, complete_var = _prog(ctx)
    script = get_completion_script(
        prog_name=prog_name, complete_var=complete_var, shell=_shell(value)
    )
    print(script)
    ctx.exit(0)


def install_completion(ctx: Any, param: Any, value: str | None) -> None:
    """``--install-completion [SHELL]``: add the script to the shell's start-up files."""
    if value is None or ctx.resilient_parsing:
        return
    from typer._completion_shared import install

    prog_name, complete_var = _prog(ctx)
    shell, path = install(shell=_shell(value), prog_name=prog_name, complete_var=complete_var)
    print(f"{shell} completion installed in {path}")
    print("Completion will take effect once you restart the terminal.")
    ctx.exit(0)
