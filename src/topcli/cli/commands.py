"""Every top-level command: where it lives and its one-line help, built only when it runs.

``topcli --help`` lists the commands from :data:`COMMANDS` without importing any of them; a
command's module is imported when the command runs (:func:`load_command`, called by the root
group). Start-up is most of what a light command costs, so each pays only for its own module.
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple


class LazyCommand(NamedTuple):
    """Where a top-level command lives, and what ``topcli --help`` says about it."""

    #: the module under ``topcli.cli`` that defines it: either a command group as ``app`` (a
    #: ``typer.Typer``) or ``register(app)`` adding the command to a Typer app
    module: str
    #: the first paragraph of the command's help, shown in the root ``--help`` listing (a test
    #: keeps it equal to the command's own help)
    help: str


#: Every top-level command, in the order ``topcli --help`` lists them: the module under
#: ``topcli.cli`` that defines it and the first paragraph of its help (tests/test_startup.py
#: keeps each equal to the command's own help).
COMMANDS: dict[str, LazyCommand] = {
    "start": LazyCommand(
        "conversation",
        "Hold a guided career conversation, stage by stage. Every answer is saved as you go.",
    ),
    "resume": LazyCommand(
        "conversation", "Continue an unfinished conversation at its first unanswered question."
    ),
    "followup": LazyCommand(
        "followup", "Upcoming and overdue follow-up conversations and actions, soonest first."
    ),
    "checkin": LazyCommand(
        "checkin", "A follow-up conversation that starts from the person's last plan."
    ),
    "history": LazyCommand(
        "history",
        "One person's timeline: conversations, actions set and closed, Think answers over time.",
    ),
    "prep": LazyCommand(
        "prep", "A sheet of the questions for PERSON to prepare before the conversation."
    ),
    "reflect": LazyCommand(
        "reflect",
        "Prepare for your own career conversation: answer the questions of the stages before the "
        "plan, saved as you go, then get the filled-in sheet to send (read with 'start --prep').",
    ),
    "actions": LazyCommand(
        "actions", "Track actions across all conversations: list, done, drop, note, edit."
    ),
    "people": LazyCommand("people", "Everyone you hold conversations with."),
    "sessions": LazyCommand(
        "sessions", "List, show, edit, delete and import stored conversations."
    ),
    "plan": LazyCommand("plan", "Show and export plans."),
    "frameworks": LazyCommand("frameworks", "List, show and validate conversation frameworks."),
    "plugins": LazyCommand("plugins", "Inspect plugins."),
    "doctor": LazyCommand(
        "doctor",
        "Check data, permissions, config, frameworks, plugins and temp files; say how to fix.",
    ),
    "config": LazyCommand(
        "config",
        "Defaults set once: framework, follow-up interval, meeting time, editor, pager...",
    ),
}


def load_command(group: Any, name: str, module_name: str) -> Any:
    """Import ``topcli.cli.<module_name>`` and build the click command ``name`` it defines,
    with the root group's help settings (what ``app.add_typer`` / ``app.command`` would build)."""
    import typer
    from typer.main import get_group_from_info
    from typer.models import TyperInfo

    module = importlib.import_module(f"topcli.cli.{module_name}")
    holder = typer.Typer()
    if hasattr(module, "app"):
        holder.add_typer(module.app, name=name)
    else:
        module.register(holder)
    built = get_group_from_info(
        TyperInfo(holder),
        pretty_exceptions_short=True,
        suggest_commands=group.suggest_commands,
        rich_markup_mode=group.rich_markup_mode,
    )
    command = built.commands[name]
    from topcli.cli._help import name_arguments_only

    name_arguments_only(command)  # built after the root: help shows its arguments by name
    return command
