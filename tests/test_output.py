"""Listings for people and pipes: plain lines csv can read, tables that fit, pager, encodings."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from topcli import output
from topcli.output import Table

TRICKY = [
    "tab\there",
    "two\nlines",
    "cr\r\nlf",
    "back\\slash \\t not a tab",
    '"quoted" and a "',
    "émoji 🙂 → ✓",
    "",
    "  spaces  ",
]


def actions() -> Table:
    table = Table(("id", "what", "by when", "how we'll know", "support", "status"))
    table.add_row(
        "a1b2c3d4",
        "Shadow the architecture review and present one proposal",
        "2026-03-16",
        "Proposal presented at the guild",
        "Intro to the guild lead",
        "open",
    )
    table.add_row("e5f6a7b8", "Read the book", "2026-04-01", "Notes shared", "-", "done")
    return table


def test_plain_output_parses_back_with_csv_tab_dialect() -> None:
    table = Table(("name", "text"))
    for index, cell in enumerate(TRICKY):
        table.add_row(f"row{index}", cell)
    text = output.render_plain(table)
    assert text.count("\n") == len(TRICKY) + 1  # one record per line, header first
    rows = list(csv.reader(io.StringIO(text), dialect="excel-tab"))
    assert rows[0] == ["name", "text"]
    assert [output.unescape(r[1]) for r in rows[1:]] == TRICKY
    assert all(len(r) == 2 for r in rows)


def test_plain_output_is_grep_and_cut_friendly() -> None:
    text = output.render_plain(actions())
    lines = text.splitlines()
    assert lines[0] == "id\twhat\tby when\thow we'll know\tsupport\tstatus"
    assert lines[2].split("\t")[1] == "Read the book"
    assert "│" not in text and "─" not in text


def test_a_row_must_fill_every_column() -> None:
    with pytest.raises(ValueError, match="needs 2 cells"):
        Table(("a", "b")).add_row("x")


@pytest.mark.parametrize(("width", "mode"), [(40, "stacked"), (60, "stacked"), (80, "table")])
def test_rendering_fits_the_width_without_broken_words(width: int, mode: str) -> None:
    table = actions()
    assert output.choose_mode(table, width=width) == mode
    text = output.render(table, width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    flowing = " ".join(text.split())
    for row in table.rows:
        for cell in row:
            for word in cell.split():
                assert word in flowing, f"'{word}' broken at {width} columns:\n{text}"
    if mode == "stacked":
        assert text.count("what:") == 2
        assert "\n\n" in text  # a blank line between records
        assert "│" not in text
    else:
        assert "┃" in text or "│" in text


def test_stacked_layout_has_no_empty_or_one_letter_values() -> None:
    text = output.render(actions(), width=40)
    for line in text.splitlines():
        if ":" in line and not line.startswith(" "):
            value = line.split(":", 1)[1].strip()
            assert len(value) > 1 or value == "-", line


def test_rich_table_columns_are_never_squeezed_to_a_letter() -> None:
    table = Table(("key", "value", "from"))
    table.add_row("followup_interval", "3mo", "/home/someone/.config/topcli/config.toml:3")
    text = output.render(table, width=60)
    assert "followup_interval" in text
    assert output.choose_mode(table, width=60) == "table"


def test_show_writes_plain_when_not_a_terminal() -> None:
    stream = io.StringIO()
    output.show(actions(), stream=stream)
    assert stream.getvalue() == output.render_plain(actions())


def test_plain_flag_wins_in_a_terminal(tty: tuple[io.TextIOWrapper, int]) -> None:
    stream, master = tty
    output.show(actions(), plain=True, stream=stream)
    assert read_all(master).startswith("id what by when how we'll know support status a1b2c3d4")


# --- a terminal, the pager --------------------------------------------------------------------


@pytest.fixture
def tty(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[io.TextIOWrapper, int]]:
    """A pseudo-terminal as stdout (80x5), so output behaves as in a small terminal."""
    master, slave = os.openpty()
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "5")
    stream = open(slave, "w", encoding="utf-8", closefd=True)  # noqa: SIM115
    try:
        yield stream, master
    finally:
        stream.close()
        os.close(master)


def read_all(master: int) -> str:
    import select

    chunks = []
    while select.select([master], [], [], 0.2)[0]:
        chunks.append(os.read(master, 65536))
    return plain_text(b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n"))


def plain_text(text: str) -> str:
    """``text`` without ANSI styles and with wrapped cells joined, for ``in`` checks."""
    import re

    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return " ".join(word for word in text.split() if word not in "│┃")


@pytest.fixture
def fake_pager(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """TOPCLI_PAGER set to a script that saves what it is given; returns that file."""
    saved = tmp_path / "paged.txt"
    script = tmp_path / "pager.py"
    script.write_text(
        f"import sys\nopen({str(saved)!r}, 'wb').write(sys.stdin.buffer.read())\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("TOPCLI_PAGER", f"{sys.executable} {script}")
    return saved


def test_long_output_in_a_terminal_goes_through_the_pager(
    tty: tuple[io.TextIOWrapper, int], fake_pager: Path
) -> None:
    stream, master = tty
    output.show(actions(), stream=stream)
    paged = fake_pager.read_text(encoding="utf-8")
    assert "│" in paged  # the rich table at 80 columns
    assert "Shadow the" in plain_text(paged)
    assert "Shadow" not in read_all(master)


def test_no_pager_prints_directly(tty: tuple[io.TextIOWrapper, int], fake_pager: Path) -> None:
    stream, master = tty
    output.show(actions(), pager=False, stream=stream)
    assert not fake_pager.exists()
    assert "Shadow the" in read_all(master)


def test_short_output_is_not_paged(
    tty: tuple[io.TextIOWrapper, int], fake_pager: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINES", "100")
    stream, master = tty
    output.show(actions(), stream=stream)
    assert not fake_pager.exists()
    assert "Read the" in read_all(master)


def test_a_missing_pager_warns_and_prints_directly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TOPCLI_PAGER", "no-such-pager-xyz -R")
    output.page("all the text\n")
    captured = capsys.readouterr()
    assert captured.out == "all the text\n"
    assert "warning: the pager 'no-such-pager-xyz' (from env TOPCLI_PAGER) was not found" in (
        captured.err
    )


@pytest.mark.parametrize(
    ("env", "in_file", "expected"),
    [
        ({"TOPCLI_PAGER": "a -x", "PAGER": "c"}, "b", (["a", "-x"], "env TOPCLI_PAGER")),
        ({"PAGER": "c"}, "b", (["b"], "config.toml:1")),
        ({"PAGER": "c -R"}, None, (["c", "-R"], "$PAGER")),
        ({}, None, (["less", "-FRX"], "default")),
        ({"PAGER": "cat"}, None, (None, "$PAGER")),
        ({"PAGER": ""}, None, (None, "$PAGER")),
        ({"TOPCLI_PAGER": "cat", "PAGER": "less"}, None, (None, "env TOPCLI_PAGER")),
    ],
)
def test_pager_precedence(
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    in_file: str | None,
    expected: tuple[list[str] | None, str],
) -> None:
    for name in ("TOPCLI_PAGER", "PAGER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if in_file:
        home.mkdir(parents=True, exist_ok=True)
        (home / "config.toml").write_text(f'pager = "{in_file}"\n')
    args, source = output.pager_command()
    assert args == expected[0]
    assert expected[1] in source


def test_a_broken_config_does_not_stop_paging(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAGER", raising=False)
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("not toml at all\n")
    assert output.pager_command() == (["less", "-FRX"], "default")


# --- encodings --------------------------------------------------------------------------------

LATIN1_RUN = """
from topcli import output
table = output.Table(("who", "note"))
table.add_row("Zoë", "🙂 → ✓ done")
output.show(table)
output.write(output.render(table, width=80))
output.write(output.render(table, width=30))
output.protect_streams()
print("after protect: 🙂")
"""


def test_a_latin1_terminal_gets_replacements_not_a_crash() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "latin-1", "LANG": "C", "LC_ALL": "C"}
    env.pop("PYTHONUTF8", None)
    result = subprocess.run(
        [sys.executable, "-c", LATIN1_RUN], capture_output=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr.decode("latin-1")
    text = result.stdout.decode("latin-1")
    assert "Zoë\t? ? ? done" in text  # plain (a pipe), ë kept since latin-1 has it
    assert "after protect: ?" in text
    assert "Traceback" not in result.stderr.decode("latin-1")


def test_config_list_survives_a_latin1_pipe(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('leader = "Zoë 🙂"\n', encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    result = subprocess.run(
        [sys.executable, "-m", "topcli", "config", "list"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "leader\tZoë ?\t" in result.stdout.decode("latin-1")
