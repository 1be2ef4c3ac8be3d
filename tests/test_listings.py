"""Listings for people and for pipes: limits in a terminal, everything in a pipe, plain TSV that
grep and csv read, readable at 40 columns, and no stored escape sequence reaching stdout."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers import cli, seed
from topcli.output import unescape

#: Every listing command, with what it needs to list something (all of them, piped).
LISTINGS = {
    "sessions list": ["sessions", "list"],
    "people list": ["people", "list"],
    "actions list": ["actions", "list", "--all"],
    "followup": ["followup", "--all"],
}


def plain_rows(text: str) -> list[list[str]]:
    """Piped output read back as a script would: csv's tab dialect, then topcli's escapes."""
    return [
        [unescape(c) for c in row] for row in csv.reader(text.splitlines(), dialect="excel-tab")
    ]


def as_terminal(monkeypatch: pytest.MonkeyPatch, columns: int, lines: int = 10000) -> None:
    """From now on stdout counts as a terminal ``columns`` by ``lines`` (no colour)."""
    # imported before patching topcli.output, so it keeps the real function to restore
    from topcli import listing

    monkeypatch.setattr("topcli.output.is_terminal", lambda stream: True)
    monkeypatch.setattr(listing, "is_terminal", lambda stream: True)
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("LINES", str(lines))
    monkeypatch.setenv("NO_COLOR", "1")


def in_terminal(monkeypatch: pytest.MonkeyPatch, columns: int, *args: str) -> Any:
    """Run a command as if stdout were a terminal ``columns`` wide (tall enough for no pager)."""
    as_terminal(monkeypatch, columns)
    return cli(*args)


def exported_template(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Sam Lee's first conversation as the JSON export has it; the store is left empty."""
    seed(monkeypatch, "sam-first.yaml")
    data = json.loads(cli("plan", "export", "--all", "--json").stdout)["sessions"][0]
    assert cli("sessions", "delete", data["id"], "--yes").exit_code == 0
    return data


def import_copies(
    tmp_path: Path,
    base: dict[str, Any],
    n: int,
    change: Callable[[int, dict[str, Any]], None] = lambda k, s: None,
) -> None:
    """``n`` copies of ``base`` through ``sessions import``: a day apart, two per person."""
    sessions = []
    for k in range(n):
        copy = json.loads(json.dumps(base))
        stamp = f"2025-{1 + k // 28:02d}-{1 + k % 28:02d}T10:00:00+00:00"
        copy.update(id=f"{k:08x}", started_at=stamp, updated_at=stamp, completed_at=stamp)
        copy["person"] = {
            "id": f"p{k // 2:03d}",
            "name": f"Person {k // 2:03d}",
            "created_at": stamp,
        }
        for j, action in enumerate(copy["answers"]["actions"]):
            action["id"] = f"{k:05x}{j}"
        change(k, copy)
        sessions.append(copy)
    path = tmp_path / "many.json"
    path.write_text(json.dumps({"schema_version": 1, "sessions": sessions}), encoding="utf-8")
    result = cli("sessions", "import", str(path))
    assert result.exit_code == 0, result.output


@pytest.fixture
def sixty(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """60 conversations with 30 people, started one day apart from 2025-01-01."""
    import_copies(tmp_path, exported_template(monkeypatch), 60)


# --------------------------------------------------------------------------- limits


def test_a_terminal_shows_the_50_most_recent_and_says_what_was_left_out(
    monkeypatch: pytest.MonkeyPatch, sixty: None
) -> None:
    result = in_terminal(monkeypatch, 120, "sessions", "list")
    assert result.exit_code == 0, result.output
    ids = re.findall(r"│ ([0-9a-f]{8}) ", result.stdout)
    assert ids == [f"{k:08x}" for k in range(59, 9, -1)]  # newest first, 50 of them
    assert "showing 50 of 60; --all for everything" in result.stderr
    every = in_terminal(monkeypatch, 120, "sessions", "list", "--all")
    assert len(re.findall(r"│ ([0-9a-f]{8}) ", every.stdout)) == 60
    assert "showing" not in every.stderr
    few = in_terminal(monkeypatch, 120, "sessions", "list", "--limit", "3")
    assert re.findall(r"│ ([0-9a-f]{8}) ", few.stdout) == ["0000003b", "0000003a", "00000039"]
    assert "showing 3 of 60" in few.stderr


def test_pipes_and_json_get_everything_oldest_first(sixty: None) -> None:
    rows = plain_rows(cli("sessions", "list").stdout)
    assert rows[0] == ["id", "person", "framework", "started", "status", "follow-up"]
    assert [r[0] for r in rows[1:]] == [f"{k:08x}" for k in range(60)]
    assert len(json.loads(cli("sessions", "list", "--json").stdout)) == 60
    # an explicit limit keeps the most recent, still oldest first, and says so on stderr
    limited = cli("sessions", "list", "--limit", "2")
    assert [r[0] for r in plain_rows(limited.stdout)[1:]] == ["0000003a", "0000003b"]
    assert "showing 2 of 60" in limited.stderr
    assert [
        s["id"] for s in json.loads(cli("sessions", "list", "--json", "--limit", "1").stdout)
    ] == ["0000003b"]
    assert len(plain_rows(cli("people", "list").stdout)) == 31
    assert len(plain_rows(cli("actions", "list").stdout)) == 181


def test_people_in_a_terminal_come_most_recent_first(
    monkeypatch: pytest.MonkeyPatch, sixty: None
) -> None:
    piped = plain_rows(cli("people", "list", "--limit", "2").stdout)
    assert [r[0] for r in piped[1:]] == ["Person 000", "Person 001"]  # by name
    result = in_terminal(monkeypatch, 160, "people", "list", "--limit", "2")
    assert re.findall(r"Person (\d{3})", result.stdout) == ["029", "028"]
    assert "showing 2 of 30; --all for everything" in result.stderr


def test_actions_and_followup_keep_the_soonest_and_count_everything(
    monkeypatch: pytest.MonkeyPatch, sixty: None
) -> None:
    actions = in_terminal(monkeypatch, 160, "actions", "list")
    assert "showing 50 of 180; --limit 0 for all" in actions.stderr
    every = in_terminal(monkeypatch, 160, "actions", "list", "--limit", "0")
    assert "showing" not in every.stderr
    followup = in_terminal(monkeypatch, 160, "followup", "--limit", "4")
    assert followup.exit_code == 10
    assert "showing 4 of" in followup.stderr
    # the exit status and the overdue count still cover everything
    overdue = json.loads(cli("followup", "--json").stdout)["overdue"]
    assert f"{overdue} overdue." in followup.stdout
    limited = json.loads(cli("followup", "--json", "--limit", "4").stdout)
    assert len(limited["items"]) == 4 and limited["overdue"] == overdue


def test_a_negative_limit_is_a_usage_error(sixty: None) -> None:
    result = cli("sessions", "list", "--limit", "-1")
    assert result.exit_code == 2
    assert "--limit -1" in result.output and "Traceback" not in result.output


# --------------------------------------------------------------------------- pipes


def test_actions_list_piped_to_grep_finds_every_matching_action(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    base = exported_template(monkeypatch)
    tricky = [
        "Run the all-hands retro",
        "Plan the\tall-hands agenda",  # a tab inside a cell
        'Write "all-hands" notes\nand share them',  # quotes and a newline
        ("Present at all-hands, a long title that a 40-column terminal would wrap " * 2).strip(),
    ]

    def change(k: int, session: dict[str, Any]) -> None:
        session["answers"]["actions"][0]["what"] = tricky[k % len(tricky)]

    import_copies(tmp_path, base, 8, change)
    expected = {
        a["id"]
        for a in json.loads(cli("actions", "list", "--json").stdout)
        if "all-hands" in a["what"]
    }
    assert len(expected) == 8
    piped = cli("actions", "list").stdout
    grepped = [line for line in piped.splitlines() if "all-hands" in line]  # grep all-hands
    assert len(grepped) == 8  # one record per line, whatever the text holds
    rows = plain_rows(piped)
    header = rows[0]
    found = {
        row[header.index("id")] for row in rows[1:] if "all-hands" in row[header.index("what")]
    }
    assert found == expected
    whats = {row[header.index("what")] for row in rows[1:]}
    assert set(tricky) <= whats  # read back exactly
    assert "│" not in piped and "┃" not in piped


@pytest.mark.parametrize("name", list(LISTINGS))
def test_plain_flag_gives_the_piped_form_in_a_terminal(
    monkeypatch: pytest.MonkeyPatch, sixty: None, name: str
) -> None:
    result = in_terminal(monkeypatch, 120, *LISTINGS[name], "--plain")
    rows = plain_rows(result.stdout)
    assert len({len(row) for row in rows}) == 1 and len(rows) > 1
    assert "│" not in result.stdout


# --------------------------------------------------------------------------- narrow terminals


@pytest.mark.parametrize("columns", [40, 60, 80])
@pytest.mark.parametrize("name", list(LISTINGS))
def test_listings_are_readable_at_any_width(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, columns: int
) -> None:
    import_copies(tmp_path, exported_template(monkeypatch), 4)
    out = in_terminal(monkeypatch, columns, *LISTINGS[name], "--all").stdout
    lines = out.splitlines()
    assert lines and max(len(line) for line in lines) <= columns
    assert "…" not in out
    if "│" in out:  # a table: no column squeezed to a letter
        for line in lines:
            if line.startswith("│"):
                cells = [c.strip() for c in line.strip("│").split("│")]
                assert all(len(c) != 1 or not c.isalpha() for c in cells), line
        return
    # stacked: "name: value" per line, and no value empty or a single letter ("-" says none)
    values = [line.split(":", 1)[1].strip() for line in lines if re.match(r"^\S[^:]*:", line)]
    assert values
    assert all(v and (len(v) > 1 or not v.isalpha()) for v in values), values
    if columns == 40:
        assert "Person 000" in out


# --------------------------------------------------------------------------- safe text

ESC = "\x1b"
HOSTILE = "\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b31m\u202e"


@pytest.fixture
def hostile(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """A conversation whose name, action text, notes and answers hold escape sequences."""
    base = exported_template(monkeypatch)

    def change(k: int, session: dict[str, Any]) -> None:
        session["person"]["name"] = f"Mallory{HOSTILE}"
        session["framework"]["name"] += HOSTILE
        for action in session["answers"]["actions"]:
            action["what"] += HOSTILE
            action["success"] += HOSTILE
            action["support"] += HOSTILE
        for key in ("career_so_far", "core_values", "aspirations"):  # free text: Think
            session["answers"][key] += HOSTILE

    import_copies(tmp_path, base, 1, change)
    actions = json.loads(cli("actions", "list", "--json").stdout)
    assert HOSTILE in actions[0]["what"]  # stored exactly; only the display escapes it
    first, second = actions[0]["id"], actions[1]["id"]
    assert cli("actions", "note", second, f"note{HOSTILE}").exit_code == 0
    assert cli("actions", "done", first, "--note", f"done{HOSTILE}").exit_code == 0
    return {"action": second, "session": "00000000", "person": "p000"}


def _commands(ids: dict[str, str]) -> list[list[str]]:
    return [
        ["sessions", "list"],
        ["people", "list"],
        ["actions", "list", "--all"],
        ["followup", "--all"],
        ["history", ids["person"]],
        ["plan", "show"],
        ["plan", "show", ids["session"]],
        ["actions", "note", ids["action"], "more"],
        ["actions", "drop", ids["action"], "--note", f"why{HOSTILE}"],
    ]


def _assert_safe(text: str, args: list[str]) -> None:
    assert ESC not in text and "\x9b" not in text and "\x07" not in text, args
    assert "\u202e" not in text, args


def test_no_stored_escape_sequence_reaches_a_pipe(hostile: dict[str, str]) -> None:
    for args in _commands(hostile):
        result = cli(*args)
        assert result.exit_code in (0, 10), (args, result.output)
        _assert_safe(result.stdout, args)
        _assert_safe(result.stderr, args)
        assert "Mallory" in result.stdout, args


@pytest.mark.parametrize("columns", [40, 200])
def test_no_stored_escape_sequence_reaches_a_terminal(
    monkeypatch: pytest.MonkeyPatch, hostile: dict[str, str], columns: int
) -> None:
    for args in _commands(hostile)[:-2]:
        result = in_terminal(monkeypatch, columns, *args)
        assert result.exit_code in (0, 10), (args, result.output)
        _assert_safe(result.stdout, args)
        assert "\\x1b" in result.stdout, args  # shown visibly instead


@pytest.mark.parametrize("k", [1, 7, 50, 179])
@pytest.mark.parametrize(
    "args",
    [
        ["actions", "list"],
        ["actions", "list", "--all"],
        ["actions", "list", "--overdue"],
        ["followup"],
        ["followup", "--within", "1y"],
        ["followup", "--all"],
        ["people", "list"],
    ],
    ids=" ".join,
)
def test_a_limit_shows_exactly_the_first_rows_of_everything(
    sixty: None, args: list[str], k: int
) -> None:
    # sixty copies of one plan: many rows share a due date, so the cut falls inside ties
    whole = json.loads(cli(*args, "--json").stdout)
    first = json.loads(cli(*args, "--json", "--limit", str(k)).stdout)
    if isinstance(whole, dict):  # followup: the first items, and the same counts and next
        assert first["items"] == whole["items"][:k]
        assert {**first, "items": None} == {**whole, "items": None}
    else:
        assert first == whole[:k]


@pytest.mark.parametrize("name", list(LISTINGS))
def test_long_listings_in_a_terminal_are_paged_unless_no_pager(
    monkeypatch: pytest.MonkeyPatch, sixty: None, tmp_path: Path, name: str
) -> None:
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("TOPCLI_PAGER", f"sh -c 'cat > {paged}'")
    as_terminal(monkeypatch, 200, lines=10)  # a screen shorter than the listing
    result = cli(*LISTINGS[name])
    assert result.exit_code in (0, 10), result.output
    assert "│" in paged.read_text(encoding="utf-8")
    assert "│" not in result.stdout
    paged.unlink()
    direct = cli(*LISTINGS[name], "--no-pager")
    assert "│" in direct.stdout and not paged.exists()
