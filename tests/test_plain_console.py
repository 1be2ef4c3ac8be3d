"""Plain console output (no terminal) prints what rich would, without importing rich."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from topcli.cli._console import PlainConsole
from topcli.safetext import printable_markup as escape


def _rich(markup: str, *, markup_on: bool = True) -> str:
    from rich.console import Console

    out = io.StringIO()
    Console(file=out, width=100_000, highlight=False, emoji=False, color_system=None).print(
        markup, markup=markup_on
    )
    return out.getvalue()


def _plain(markup: str, *, markup_on: bool = True, monkeypatch: pytest.MonkeyPatch) -> str:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    PlainConsole().print(markup, markup=None if markup_on else False)
    return out.getvalue()


def _printed(markup: str) -> str:
    out = io.StringIO()
    console = PlainConsole()
    original = sys.stdout
    sys.stdout = out
    try:
        console.print(markup)
    finally:
        sys.stdout = original
    return out.getvalue()


CASES = [
    "[bold red]error:[/bold red] no conversation",
    "[yellow]hint:[/yellow] run [bold]topcli start[/bold]",
    r"a \[bold] literal, \\[bold]not literal[/bold], \\\[x] literal",
    "[dim]  tip: [/dim] [b]x[/]",
    "brackets [1, 2] and [Sam] stay",
    "bell\x07 backspace\x08 cr\r vt\x0b ff\x0c esc\x1b[31m",
    "ends with a backslash \\",
    "",
]


@pytest.mark.parametrize("markup", CASES)
def test_plain_prints_what_rich_prints_without_a_terminal(
    markup: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _plain(markup, monkeypatch=monkeypatch) == _rich(markup)
    assert _plain(markup, markup_on=False, monkeypatch=monkeypatch) == _rich(
        markup, markup_on=False
    )


@pytest.mark.parametrize("text", [*CASES, "Sam [admin] Lee\\", "\\\\[x]", "\\[", "a\\"])
def test_escaped_text_prints_as_rich_prints_it(text: str) -> None:
    """topcli's one markup escape (safetext.printable_markup) through the plain console."""
    assert _printed(escape(text)) == _rich(escape(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="[]/\\ab =#@\x07\r:", max_size=24))
def test_any_escaped_text_prints_as_itself(text: str) -> None:
    from rich.errors import MarkupError

    try:
        expected = _rich(escape(text))
    except MarkupError:
        return
    assert _printed(escape(text)) == expected


def test_a_message_without_a_terminal_does_not_import_rich() -> None:
    code = (
        "import sys\n"
        "from topcli.cli._base import console\n"
        "console().print('[bold]hello[/bold]')\n"
        "console(stderr=True).print('[red]x[/red]')\n"
        "print('rich' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["hello", "False"]
    assert out.stderr == "x\n"


def test_tables_still_go_through_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.table import Table

    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    table = Table("id")
    table.add_row("abc")
    PlainConsole().print(table)
    assert "abc" in out.getvalue()
