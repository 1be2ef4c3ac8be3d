"""Console output for a pipe or a file without importing rich: plain text, no styles, no wrapping.

Where stdout (or stderr) is not a terminal, rich prints no colours or styles anyway, yet
importing it costs a light command about a quarter of its start-up. :class:`PlainConsole` prints
strings the way rich's console prints them there (markup tags removed, escaped brackets kept,
the control codes rich strips stripped) and hands anything else (tables, rules, rich ``Text``)
to a real rich console, imported then. One difference, on purpose: long lines are not wrapped at
80 columns, so ``grep`` sees whole lines (as ``topcli.output`` does for listings).

:func:`escape` is rich's ``rich.markup.escape``, for the same reason: printing a name safely
should not import rich.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any, TextIO

#: rich's markup tags (``rich.markup.RE_TAGS``).
_TAGS = re.compile(r"((\\*)\[([a-z#/@][^[]*?)])")
#: The control codes rich's ``Text`` strips from what it prints: BEL, BS, VT, FF, CR.
_STRIPPED = dict.fromkeys((7, 8, 11, 12, 13))


def strip_markup(markup: str) -> str:
    """What rich prints for ``markup`` without styles: tags dropped, escaped ones kept (and,
    as rich does, ``\\[`` outside a tag printed as ``[``)."""
    if "[" not in markup:
        return markup
    pieces: list[str] = []
    position = 0
    for match in _TAGS.finditer(markup):
        full, escapes, _tag = match.groups()
        start, end = match.span()
        if start > position:
            pieces.append(markup[position:start])
        position = end
        backslashes, escaped = divmod(len(escapes), 2)
        if backslashes:
            pieces.append("\\" * backslashes)
        if escaped:
            pieces.append(full[len(escapes) :])
    if position < len(markup):
        pieces.append(markup[position:])
    return "".join(piece.replace("\\[", "[") for piece in pieces)


def wants_plain(stream: TextIO) -> bool:
    """True when rich would print no styles to ``stream`` either (a pipe, a file, a test)."""
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1":
        return False
    from topcli import output  # the one answer to "is this a terminal?" (listings ask it too)

    return not output.is_terminal(stream)


class PlainConsole:
    """The part of ``rich.console.Console`` topcli uses, for a stream that is not a terminal."""

    def __init__(self, stderr: bool = False) -> None:
        self.stderr = stderr
        self._console: Any = None

    @property
    def file(self) -> TextIO:
        return sys.stderr if self.stderr else sys.stdout

    @property
    def width(self) -> int:
        """rich's width where there is no terminal: ``COLUMNS``, else 80."""
        columns = os.environ.get("COLUMNS", "")
        return int(columns) if columns.isdigit() and int(columns) > 0 else 80

    def print(
        self, *objects: Any, sep: str = " ", end: str = "\n", markup: bool | None = None, **kw: Any
    ) -> None:
        if kw or not all(isinstance(o, str) for o in objects):
            self.rich().print(*objects, sep=sep, end=end, markup=markup, **kw)
            return
        texts = objects if markup is False else [strip_markup(o) for o in objects]
        stream = self.file
        stream.write(sep.join(texts).translate(_STRIPPED) + end)
        stream.flush()  # as rich does: output interleaves with other streams as printed

    def rich(self) -> Any:
        """A rich console on the same stream, for tables, rules and other renderables."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(
                stderr=self.stderr, highlight=False, soft_wrap=self.stderr, emoji=False
            )
        return self._console

    def __getattr__(self, name: str) -> Any:
        # anything else (rule, status, ...) is rich's
        return getattr(self.rich(), name)
