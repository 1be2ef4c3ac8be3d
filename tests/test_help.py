"""Every help page as users see it: snapshots, examples that work, no Typer artefacts.

Each ``topcli ... --help`` page (the root, every group, every command) is compared with
``tests/snapshots/help/<path>.txt`` (``topcli.sessions.show.txt`` for ``topcli sessions show``),
rendered at 100 columns without colour. A Typer or rich upgrade that changes what users see
fails here instead of shipping unnoticed.

After changing help text or adding, renaming or removing a command, regenerate every snapshot
with one command and review the diff (it is exactly what users will see change)::

    UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_help.py
    git diff tests/snapshots/help
"""

from __future__ import annotations

import functools
import os
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

SNAPSHOTS = Path(__file__).parent / "snapshots" / "help"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS", "") not in ("", "0")
REGENERATE = "UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_help.py"

#: What a help page must never show: a click type name in angle brackets (``<str>``, ``<path>``).
TYPE_ARTEFACT = re.compile(r"<[a-z][a-z_ ]*>")


@pytest.fixture(autouse=True)
def fixed_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same page on every machine: 100 columns, no colour, no terminal.

    Typer reads ``TERMINAL_WIDTH``, ``FORCE_COLOR`` and ``GITHUB_ACTIONS`` once, when its rich
    help module is imported, so its settings are fixed here rather than through the
    environment.
    """
    from typer import rich_utils

    monkeypatch.setattr(rich_utils, "MAX_WIDTH", None)
    monkeypatch.setattr(rich_utils, "FORCE_TERMINAL", False)
    monkeypatch.setattr(rich_utils, "COLOR_SYSTEM", None)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "50")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    for name in ("FORCE_COLOR", "PY_COLORS", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


# --------------------------------------------------------------------------- the command tree


def children(command: Any) -> dict[str, Any]:
    """A group's commands by name, built if they are lazy (the root group builds each command
    only when asked, so ``.commands`` alone lists only the ones built so far)."""
    if not hasattr(command, "list_commands"):
        return {}
    ctx = typer.Context(command)
    return {name: command.get_command(ctx, name) for name in command.list_commands(ctx)}


def command_paths() -> list[tuple[str, ...]]:
    """Every help page: ``()`` for the root, then each group and command, as users list them.

    Hidden commands (old names kept for scripts) are listed nowhere, so they have no page here.
    """
    from topcli.cli import app

    def walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        yield path
        for name, sub in children(command).items():
            if not sub.hidden:
                yield from walk(sub, (*path, name))

    return list(walk(typer.main.get_command(app), ()))


def snapshot_name(path: tuple[str, ...]) -> str:
    return ".".join(("topcli", *path)) + ".txt"


def normalised(text: str) -> str:
    """Rich pads every line to the full width: trailing spaces are no part of the page."""
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n") + "\n"


@functools.cache
def help_page(path: tuple[str, ...]) -> str:
    """The page as printed (rendered once per test run: the fixture's settings are constant)."""
    from topcli.cli import app

    result = CliRunner().invoke(app, [*path, "--help"], prog_name="topcli")
    assert result.exit_code == 0, (path, result.output)
    return normalised(result.stdout)


def all_pages() -> dict[str, str]:
    return {snapshot_name(path): help_page(path) for path in command_paths()}


# --------------------------------------------------------------------------- snapshots


def compare_snapshots(pages: dict[str, str], folder: Path, *, update: bool) -> list[str]:
    """What differs between ``pages`` and the snapshot files in ``folder``, one line each.

    With ``update`` the folder is made to match instead (snapshots of commands that no longer
    exist are removed) and nothing is reported.
    """
    if update:
        folder.mkdir(parents=True, exist_ok=True)
        for name, page in pages.items():
            (folder / name).write_text(page, encoding="utf-8")
        for orphan in sorted(set(p.name for p in folder.glob("*.txt")) - set(pages)):
            (folder / orphan).unlink()
        return []
    problems = []
    for name, page in pages.items():
        file = folder / name
        if not file.exists():
            problems.append(f"no snapshot: {name}")
        elif file.read_text(encoding="utf-8") != page:
            problems.append(f"stale snapshot: {name}")
    for orphan in sorted(set(p.name for p in folder.glob("*.txt")) - set(pages)):
        problems.append(f"snapshot of no command: {orphan}")
    return problems


def test_every_help_page_matches_its_snapshot() -> None:
    pages = all_pages()
    problems = compare_snapshots(pages, SNAPSHOTS, update=UPDATE)
    if problems:
        import difflib

        stale = [p.split(": ")[1] for p in problems if p.startswith("stale")]
        diff = "".join(
            line
            for name in stale[:1]  # one diff is enough to see what kind of change it is
            for line in difflib.unified_diff(
                (SNAPSHOTS / name).read_text(encoding="utf-8").splitlines(True),
                pages[name].splitlines(True),
                f"snapshot {name}",
                "now",
            )
        )
        pytest.fail(
            "help differs from tests/snapshots/help:\n  "
            + "\n  ".join(problems)
            + f"\nif the change is intended, regenerate with: {REGENERATE}\n"
            + diff
        )


def test_snapshot_comparison_reports_missing_stale_and_orphaned_pages(tmp_path: Path) -> None:
    pages = {"topcli.txt": "root\n", "topcli.a.txt": "a\n"}
    assert compare_snapshots(pages, tmp_path, update=False) == [
        "no snapshot: topcli.txt",
        "no snapshot: topcli.a.txt",
    ]
    (tmp_path / "topcli.gone.txt").write_text("old\n", encoding="utf-8")
    assert compare_snapshots(pages, tmp_path, update=True) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["topcli.a.txt", "topcli.txt"]
    assert compare_snapshots(pages, tmp_path, update=False) == []
    (tmp_path / "topcli.a.txt").write_text("a, reworded\n", encoding="utf-8")
    (tmp_path / "topcli.b.txt").write_text("b\n", encoding="utf-8")
    assert compare_snapshots(pages, tmp_path, update=False) == [
        "stale snapshot: topcli.a.txt",
        "snapshot of no command: topcli.b.txt",
    ]


def test_the_snapshots_cover_the_whole_tree() -> None:
    names = {snapshot_name(path) for path in command_paths()}
    assert {"topcli.txt", "topcli.sessions.txt", "topcli.sessions.show.txt"} <= names
    assert len(names) == len(command_paths())  # no two pages share a file


# --------------------------------------------------------------------------- artefacts


def test_no_help_page_shows_a_type_name() -> None:
    found = {
        name: TYPE_ARTEFACT.findall(page)
        for name, page in all_pages().items()
        if TYPE_ARTEFACT.search(page)
    }
    assert found == {}


def test_arguments_are_shown_by_name_in_capitals() -> None:
    page = help_page(("config", "set"))
    assert "Usage: topcli config set [OPTIONS] {KEY} {VALUE}" in page
    assert re.search(r"\*\s+VALUE\s+The new value", page)


def test_showing_arguments_by_name_keeps_their_conversion() -> None:
    (files,) = command_at(("frameworks", "validate")).params
    assert files.type.name == "path"
    assert files.type.get_metavar(files, None) == ""
    assert files.type.convert("team.yaml", files, None) == "team.yaml"
    # each argument has its own copy: the shared click types keep their metavar (completion of
    # arguments, which goes through the type too, is tested in tests/test_completion.py)
    from typer.core import types

    (session_id, _) = command_at(("sessions", "show")).params
    assert session_id.type is not types.STRING
    assert types.STRING.get_metavar(session_id, None) is None


# --------------------------------------------------------------------------- examples


def examples_in(page: str) -> list[str]:
    """The command lines under ``Examples:`` (indented, until the first blank line)."""
    lines = page.splitlines()
    if "Examples:" not in [line.strip() for line in lines]:
        return []
    start = [line.strip() for line in lines].index("Examples:") + 1
    found = []
    for line in lines[start:]:
        if not line.strip():
            break
        found.append(line.strip())
    return found


def topcli_calls(example: str) -> list[list[str]]:
    """The argument lists of each ``topcli`` command in a shell line.

    ``a | b``, ``a; b`` and ``a && b`` are several commands; ``VAR=value`` before a command and
    redirections (``> file``) are the shell's, not topcli's.
    """
    lexer = shlex.shlex(example, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    calls: list[list[str]] = []
    words: list[str] = []
    tokens = list(lexer)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token in ("|", ";", "&&", "||"):
            calls.append(words)
            words = []
        elif token in (">", ">>", "<"):
            index += 1  # the file name
        elif words or not re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", token):
            words.append(token)
        index += 1
    calls.append(words)
    return [call[1:] for call in calls if call and call[0] == "topcli"]


def test_every_help_page_ends_with_one_or_two_examples() -> None:
    missing = []
    for path in command_paths():
        page = help_page(path)
        found = examples_in(page)
        if not 1 <= len(found) <= 2:
            missing.append(f"{' '.join(('topcli', *path))}: {len(found)} examples")
            continue
        # the examples close the page, each on its own line, indented under the heading
        assert page.rstrip().splitlines()[-1].strip() == found[-1], path
        assert all(f"   {example}" in page.splitlines() for example in found), path
    assert missing == [], "add epilog=examples(...) to the command's decorator"


def command_at(path: tuple[str, ...]) -> Any:
    from topcli.cli import app

    command = typer.main.get_command(app)
    for name in path:
        command = children(command)[name]
    return command


def test_examples_are_shown_whole_at_100_columns() -> None:
    """A wrapped example would be parsed (and copied by users) as two broken lines."""
    for path in command_paths():
        written = command_at(path).epilog.split("Examples:\n", 1)[1]
        shown = examples_in(help_page(path))
        assert shown == [line.strip().replace("\\[", "[") for line in written.splitlines()], path
        assert all(topcli_calls(example) for example in shown), path


def run_without_acting(args: list[str]) -> tuple[str, ...]:
    """Parse ``topcli ARGS`` exactly as click does for a user and return the command it chose.

    Every command's callback is replaced with one that records its path, so options,
    arguments, their types and counts are all checked and nothing runs.
    """
    from topcli.cli import app

    root = typer.main.get_command(app)
    chosen: list[tuple[str, ...]] = []

    def stub(command: Any, path: tuple[str, ...]) -> None:
        if not hasattr(command, "list_commands"):
            command.callback = lambda **_: chosen.append(path)
            return
        for name, sub in children(command).items():
            stub(sub, (*path, name))

    stub(root, ())
    root.main(args, prog_name="topcli", standalone_mode=False)
    assert len(chosen) == 1, f"'topcli {shlex.join(args)}' ran no command"
    return chosen[0]


def test_every_example_parses_as_its_own_command() -> None:
    failures = []
    for path in command_paths():
        for example in examples_in(help_page(path)):
            ran = []
            for args in topcli_calls(example):
                try:
                    ran.append(run_without_acting(args))
                except Exception as exc:  # a usage error names the option that broke
                    failures.append(f"{example}: {type(exc).__name__}: {exc}")
            # a group's example runs one of its commands; a command's runs itself
            if ran and not any(r[: len(path)] == path for r in ran):
                failures.append(f"{example}: not an example of 'topcli {' '.join(path)}'")
    assert failures == []


def test_a_renamed_option_breaks_its_example() -> None:
    from topcli.errors import TopcliError

    assert run_without_acting(["sessions", "show", "3f89", "--json"]) == ("sessions", "show")
    with pytest.raises(Exception) as caught:
        run_without_acting(["sessions", "show", "3f89", "--jsn"])
    assert "--jsn" in str(caught.value)
    assert not isinstance(caught.value, TopcliError)
    with pytest.raises(Exception, match=r"Missing (argument|parameter)"):
        run_without_acting(["sessions", "show"])
    with pytest.raises(Exception, match="unexpected extra argument"):
        run_without_acting(["sessions", "show", "3f89", "4a21"])


def test_shell_lines_are_split_into_topcli_calls() -> None:
    assert topcli_calls("TOPCLI_EDITOR=nano topcli config edit") == [["config", "edit"]]
    assert topcli_calls("topcli plan export --all --json | topcli sessions import -") == [
        ["plan", "export", "--all", "--json"],
        ["sessions", "import", "-"],
    ]
    assert topcli_calls("topcli plan schema > schema.json") == [["plan", "schema"]]
    assert topcli_calls('topcli start --person "Sam Lee"') == [["start", "--person", "Sam Lee"]]
    assert topcli_calls("topcli followup -q; [ $? -eq 10 ] && echo overdue") == [["followup", "-q"]]


def test_examples_helper_keeps_the_indent_through_typers_dedent() -> None:
    import inspect

    from topcli.cli._help import examples

    text = inspect.cleandoc(examples("topcli a", "topcli b --json"))
    assert text == "Examples:\n  topcli a\n  topcli b --json"


def test_an_example_with_brackets_is_printed_as_written() -> None:
    """Typer prints an epilog as rich markup (``Text.from_markup``) after dedenting it."""
    import inspect

    from rich.text import Text

    from topcli.cli._help import examples

    epilog = examples("topcli followup -q; [ $? -eq 10 ] && echo [bold]overdue[/bold]")
    text = Text.from_markup(inspect.cleandoc(epilog))
    assert text.plain.endswith("  topcli followup -q; [ $? -eq 10 ] && echo [bold]overdue[/bold]")
