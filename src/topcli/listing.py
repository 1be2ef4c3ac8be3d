"""How long a listing is, and where it goes: the limit, the "showing 50 of ..." note, the output.

In a terminal a listing shows its first :data:`DEFAULT_LIMIT` rows (the most recent or the
soonest due first), so a store of 10,000 conversations answers as fast as one of 100 and the
screen is not flooded; a note on stderr says what was left out and how to see everything.
``--json`` and piped output carry everything, for scripts. ``--limit N`` sets the number
anywhere (``--limit 0``: no limit); ``--all`` lifts the default one.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from topcli.errors import UsageError
from topcli.output import Table, is_terminal, render_plain, show, write

#: Rows a listing shows in a terminal unless told otherwise.
DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class Listing:
    """How one run of a listing command shows its rows."""

    #: ``None``: every row.
    limit: int | None
    #: Output goes to a person (a terminal, not ``--plain``, not ``--json``).
    terminal: bool
    plain: bool
    pager: bool

    def show(self, table: Table, total: int, *, more: str = "--all for everything") -> None:
        """Print ``table`` (already cut) and, when rows were left out, say so on stderr."""
        show(table, plain=self.plain, pager=self.pager)
        shown = len(table.rows)
        if shown < total:
            write(f"showing {shown:,} of {total:,}; {more}\n", stream=sys.stderr)


def write_plain(columns: Sequence[str], rows: Iterable[Sequence[str]], *, part: int = 500) -> None:
    """A listing piped whole, written ``part`` rows at a time: the same text as
    :func:`topcli.output.render_plain` of every row, without holding them all."""
    header = True
    for chunk in _parts(rows, part):
        write(render_plain(Table(columns, list(chunk)), header=header))
        header = False
    if header:
        write(render_plain(Table(columns)))


def print_json_items(items: Iterable[Any]) -> None:
    """A JSON array written item by item, byte for byte what ``print_json(list(items))``
    writes (two-space indent, UTF-8 kept), without holding every item."""
    first = True
    for item in items:
        text = json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        sys.stdout.write(("[\n  " if first else ",\n  ") + text)
        first = False
    sys.stdout.write("[]\n" if first else "\n]\n")


def _parts(rows: Iterable[Sequence[str]], size: int) -> Iterator[list[Sequence[str]]]:
    part: list[Sequence[str]] = []
    for row in rows:
        part.append(row)
        if len(part) == size:
            yield part
            part = []
    if part:
        yield part


def listing(
    *,
    as_json: bool = False,
    plain: bool = False,
    pager: bool = True,
    limit: int | None = None,
    every: bool = False,
) -> Listing:
    """The :class:`Listing` the options ask for (see the module docstring)."""
    if limit is not None and limit < 0:
        raise UsageError(
            f"--limit {limit}: give a number of rows, 0 or more",
            hint="--limit 0 or --all shows everything",
        )
    terminal = not as_json and not plain and is_terminal(sys.stdout)
    if limit is not None:  # a number given wins, also over --all
        chosen = limit or None
    elif every:
        chosen = None
    else:
        chosen = DEFAULT_LIMIT if terminal else None
    return Listing(limit=chosen, terminal=terminal, plain=plain, pager=pager)
