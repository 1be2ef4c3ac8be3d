"""Small helpers for how topcli says things to people (no heavy imports: errors use them)."""

from __future__ import annotations


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``1 action``, ``2 actions`` (``many`` for a plural that is not ``noun + "s"``)."""
    return f"{n} {noun if n == 1 else many or noun + 's'}"
