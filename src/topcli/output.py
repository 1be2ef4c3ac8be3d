"""Listings for people and for pipes, from one description of a table.

A command builds a :class:`Table` (column names, rows of strings) and calls :func:`show`. What
the reader gets depends on where stdout goes:

- **plain** (stdout is not a terminal, or ``--plain``): one record per line, tab-separated,
  header first, no box drawing and no wrapping, so ``grep``, ``cut -f`` and ``awk -F'\\t'``
  work. A tab, newline, carriage return or backslash inside a cell is written as ``\\t``,
  ``\\n``, ``\\r``, ``\\\\``, so a record is always one line; Python's ``csv`` module with the
  tab dialect reads it back (:func:`unescape` undoes the escapes).
- **table** (a terminal wide enough for the columns): a rich table.
- **stacked** (a terminal narrower than the columns need): ``name: value`` lines per record, a
  blank line between records, so no column is squeezed to one letter at 40 columns.

Long output in a terminal goes through a pager (see :func:`pager_command`), like git; callers
pass ``pager=False`` for ``--no-pager``. Output never fails on a terminal encoding that cannot
show a character: it is replaced (:func:`protect_streams`). Files topcli writes are UTF-8
whatever the locale: open them with ``encoding="utf-8"``.

rich, csv, subprocess and the like are imported inside the functions that need them: listings
are light commands, and this module is imported by each of them.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO, Literal, TextIO

Mode = Literal["plain", "table", "stacked"]

#: A word longer than this may be broken inside a table column (paths, URLs).
LONGEST_WORD = 16
#: Below this many characters a column of running text is too narrow to read.
NARROWEST_TEXT = 10
DEFAULT_PAGER = "less -FRX"

_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}
_ESCAPE_TABLE = str.maketrans(_ESCAPES)  # one C call per cell: listings print 50,000 rows


@dataclass
class Table:
    """What a listing shows: named columns and rows of text (one string per column).

    ``dates`` names the columns of ISO dates: a terminal shows them with their weekday
    (``Mon 2026-06-01``, as a person plans with them); plain output keeps the ISO date.
    """

    columns: Sequence[str]
    rows: list[Sequence[str]] = field(default_factory=list)
    title: str | None = None
    dates: Sequence[str] = ()

    def add_row(self, *cells: str) -> None:
        if len(cells) != len(self.columns):
            raise ValueError(f"a row needs {len(self.columns)} cells, got {len(cells)}")
        self.rows.append(tuple(cells))


# --- plain ------------------------------------------------------------------------------------


def escape(cell: str) -> str:
    """One cell on one line: tab, newline, CR and backslash written as backslash escapes."""
    return cell.translate(_ESCAPE_TABLE)


def unescape(cell: str) -> str:
    """The inverse of :func:`escape` (for scripts reading plain output back)."""
    out, chars = [], iter(cell)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            out.append(_UNESCAPES.get(following, "\\" + following))
        else:
            out.append(char)
    return "".join(out)


def render_plain(table: Table, *, header: bool = True) -> str:
    """Tab-separated lines, header first. Quotes appear only around a cell containing ``"``
    (the csv tab dialect's rule), so ``csv.reader(..., dialect="excel-tab")`` reads it back.
    ``header=False`` leaves the header out (the next part of a listing written in parts)."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, dialect="excel-tab", lineterminator="\n")
    if header:
        writer.writerow([escape(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([escape(c) for c in row])
    return buffer.getvalue()


# --- terminal ---------------------------------------------------------------------------------


def column_needs(table: Table) -> list[int]:
    """The width each column needs to stay readable: its longest word (header included, up to
    :data:`LONGEST_WORD`), and its longest cell up to :data:`NARROWEST_TEXT` (longer text wraps
    between words)."""
    needs = []
    for index, name in enumerate(table.columns):
        cells = [row[index] for row in table.rows]
        longest = max((len(line) for c in cells for line in c.splitlines() or [""]), default=0)
        word = max((len(w) for c in [name, *cells] for w in c.split()), default=0)
        needs.append(max(min(word, LONGEST_WORD), min(longest, NARROWEST_TEXT), 1))
    return needs


def table_width(table: Table) -> int:
    """Columns plus rich's box: one border and two spaces of padding per column, one border."""
    return sum(need + 3 for need in column_needs(table)) + 1


def choose_mode(table: Table, *, width: int, plain: bool = False) -> Mode:
    if plain:
        return "plain"
    return "table" if table_width(table) <= width else "stacked"


def render_stacked(table: Table, width: int) -> str:
    """``name: value`` per line, names aligned, values wrapped under themselves."""
    import textwrap

    label = max((len(c) for c in table.columns), default=0) + 2
    room = max(width - label, 10)
    records = []
    for row in table.rows:
        lines = []
        for name, cell in zip(table.columns, row, strict=True):
            wrapped: list[str] = []
            for part in cell.splitlines() or [""]:
                wrapped += textwrap.wrap(part, room, break_on_hyphens=False) or [""]
            lines.append(f"{name + ':':<{label}}{wrapped[0]}".rstrip())
            lines += [" " * label + more for more in wrapped[1:]]
        records.append("\n".join(lines))
    title = f"{table.title}\n\n" if table.title else ""
    return title + "\n\n".join(records) + ("\n" if records else "")


def render_rich(table: Table, width: int, *, colour: bool = False) -> str:
    """A rich table as text (ANSI styles only with ``colour``)."""
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    needs = column_needs(table)
    # lines between rows only when a row may wrap: otherwise they only take room
    wraps = any(
        len(cell) > need for row in table.rows for cell, need in zip(row, needs, strict=True)
    )
    drawn = RichTable(title=table.title, title_justify="left", show_lines=wraps)
    for name, need in zip(table.columns, needs, strict=True):
        drawn.add_column(name, min_width=need, overflow="fold")
    for row in table.rows:
        drawn.add_row(*(Text(cell) for cell in row))
    buffer = io.StringIO()
    Console(
        file=buffer,
        width=width,
        force_terminal=colour,
        no_color=not colour,
        highlight=False,
        legacy_windows=False,
    ).print(drawn)
    return buffer.getvalue()


def render(table: Table, *, width: int, mode: Mode | None = None, colour: bool = False) -> str:
    """``table`` as text for a screen ``width`` columns wide (or as ``mode`` if given)."""
    if mode == "plain":
        return render_plain(table)
    table = with_weekdays(table)
    mode = mode or choose_mode(table, width=width)
    if mode == "stacked":
        return render_stacked(table, width)
    return render_rich(table, width, colour=colour)


def with_weekdays(table: Table) -> Table:
    """``table`` for a person: each ISO date in its :attr:`~Table.dates` columns with its
    weekday. Other cells (``-``, a date and time) are left as they are."""
    picked = [i for i, name in enumerate(table.columns) if name in table.dates]
    if not picked:
        return table
    from topcli.durations import with_weekday

    rows = [
        tuple(with_weekday(cell) if i in picked else cell for i, cell in enumerate(row))
        for row in table.rows
    ]
    return Table(table.columns, rows, table.title)


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def show(
    table: Table, *, plain: bool = False, pager: bool = True, stream: TextIO | None = None
) -> None:
    """Print ``table`` the way its reader needs it (see the module docstring).

    ``plain`` is ``--plain``; ``pager=False`` is ``--no-pager``. Writes to ``stream`` (stdout).
    """
    out = stream or sys.stdout
    terminal = is_terminal(out)
    if plain or not terminal:
        write(render_plain(table), stream=out)
        return
    import shutil

    size = shutil.get_terminal_size()
    text = render(table, width=size.columns, colour="NO_COLOR" not in os.environ)
    if pager and text.count("\n") >= size.lines:
        page(text, stream=out)
    else:
        write(text, stream=out)


# --- encodings and the pager ------------------------------------------------------------------


def protect_streams() -> None:
    """Make stdout and stderr replace characters their encoding cannot show, instead of
    raising ``UnicodeEncodeError`` (``LANG=C``, ``PYTHONIOENCODING=latin-1``). Idempotent;
    ``main()`` can call it once at start-up."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "strict") == "strict":
            reconfigure(errors="replace")


def write(text: str, *, stream: TextIO | None = None) -> None:
    """Write ``text``; characters the stream's encoding cannot show become ``?``."""
    out = stream or sys.stdout
    try:
        out.write(text)
    except UnicodeEncodeError:
        encoding = getattr(out, "encoding", None) or "ascii"
        out.write(text.encode(encoding, "replace").decode(encoding))
    out.flush()


def pager_command() -> tuple[list[str] | None, str]:
    """The pager as an argument list (``None``: print directly) and where it was chosen.

    git's order: ``TOPCLI_PAGER``, the ``pager`` setting, ``PAGER``, then ``less -FRX`` (quits
    when the text fits, keeps colours, leaves the text on screen). An empty value or ``cat``
    turns paging off. A broken config file is skipped here: paging must not stop a listing.
    """
    import shlex

    from topcli.config import resolve

    setting = resolve("pager", strict=False)
    chosen = (setting.value, setting.source)
    if setting.value is None:
        from_env = os.environ.get("PAGER")
        chosen = (from_env, "$PAGER") if from_env is not None else (DEFAULT_PAGER, "default")
    command, source = chosen
    try:
        args = shlex.split(command or "")
    except ValueError:
        args = [command or ""]
    if not args or args == ["cat"]:
        return None, source
    return args, source


def page(text: str, *, stream: TextIO | None = None) -> None:
    """Show ``text`` through the pager; a pager that cannot start is a warning, then the text
    is printed directly (never lost)."""
    out = stream or sys.stdout
    args, source = pager_command()
    if args is None:
        write(text, stream=out)
        return
    import subprocess

    encoding = getattr(out, "encoding", None) or "utf-8"
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    try:
        target = out.fileno()
    except (AttributeError, OSError, ValueError):
        target = None  # not a real file: let the pager write to the terminal
    out.flush()
    try:
        process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=target, env=env)
    except OSError as exc:
        reason = "was not found" if isinstance(exc, FileNotFoundError) else f"failed: {exc}"
        write(f"warning: the pager '{args[0]}' (from {source}) {reason}\n", stream=sys.stderr)
        write(text, stream=out)
        return
    assert process.stdin is not None
    try:
        process.stdin.write(text.encode(encoding, "replace"))
        process.stdin.close()
    except BrokenPipeError:
        pass  # the reader quit the pager early: nothing more to show
    while True:
        try:
            process.wait()
            break
        except KeyboardInterrupt:
            continue  # Ctrl-C belongs to the pager (less uses it); wait for it to end


def stream_to_stdout(writer: Callable[[BinaryIO], object]) -> None:
    """A document on standard output as ``writer`` writes it: byte for byte into a pipe or a
    file (``> plan.json`` must be exactly the document), shown safely on a terminal, where an
    answer holding an escape sequence would otherwise be obeyed."""
    sys.stdout.flush()
    out: BinaryIO = sys.stdout.buffer
    if sys.stdout.isatty():
        out = Printable(out)  # type: ignore[assignment]
    try:
        writer(out)
        out.flush()
    except BrokenPipeError:
        # the reader stopped reading (``| head``): nothing more to write, and no error; what
        # is still buffered goes nowhere, so that exiting does not fail on it again
        import contextlib
        import os

        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class Printable:
    """A terminal's byte stream that shows every control character as an escape
    (:func:`topcli.safetext.printable`); a character split between two writes is kept whole."""

    def __init__(self, out: BinaryIO) -> None:
        import codecs

        self._out = out
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="backslashreplace")

    def write(self, data: bytes) -> int:
        from topcli.safetext import printable

        text = printable(self._decoder.decode(data))
        self._out.write(text.encode("utf-8", errors="backslashreplace"))
        return len(data)

    def flush(self) -> None:
        from topcli.safetext import printable

        rest = self._decoder.decode(b"", final=True)
        if rest:
            self._out.write(printable(rest).encode("utf-8", errors="backslashreplace"))
        self._out.flush()
