"""Follow-through commands: actions, follow-ups, check-ins, people, history (later issue)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the follow-through commands to the root app."""
    return None
