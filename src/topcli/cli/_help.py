"""How help pages look: examples at the end of each page, and arguments shown by name only.

Help is what a new user reads first, so it must not change with a Typer release unnoticed
(tests/test_help.py compares every page with a snapshot) and must not show Typer's internals.
"""

from __future__ import annotations

import copy
from typing import Any


def examples(*lines: str) -> str:
    """An ``epilog=`` that ends a help page with real command lines, one per line.

    Typer's rich help dedents an epilog with :func:`inspect.cleandoc` before printing it: a
    uniform indent of the lines after the first would be removed, so the text starts with an
    empty line (dropped by ``cleandoc`` after it measured the indent) and the examples keep
    their two spaces. tests/test_help.py parses every line under ``Examples:`` and checks that
    click accepts it, so an example cannot outlive a renamed option. A ``[`` is escaped, so a
    shell test such as ``[ -f plan.md ]`` is printed rather than read as rich markup.
    """
    return "\nExamples:\n" + "\n".join("  " + line.replace("[", "\\[") for line in lines)


def _no_type_label(param: Any, ctx: Any) -> str:
    return ""


def name_arguments_only(command: Any) -> None:
    """Show every argument of ``command`` and the commands below it by its name alone.

    Typer 0.28's rich help prints an argument's click type beside it (``ID  <str>``,
    ``FILE  <path>``) whenever the type has no metavar of its own; the argument's name (``ID``,
    ``FILE``) already says what to type. Each argument gets a copy of its type whose metavar is
    empty, which is all the help panel and the usage line read; parsing, conversion and
    completion are the type's own and unchanged. An argument without a metavar is shown in
    capitals, as click shows it. Only commands already built are visited: nothing is loaded.
    """
    for param in getattr(command, "params", ()):
        if getattr(param, "param_type_name", "") != "argument":
            continue
        if param.metavar is None:
            param.metavar = (param.name or "").upper()
        quiet = copy.copy(param.type)
        quiet.get_metavar = _no_type_label  # the instance's attribute shadows the class's
        param.type = quiet
    for sub in getattr(command, "commands", {}).values():
        name_arguments_only(sub)
