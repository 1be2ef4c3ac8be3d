"""Dates in terminal listings carry their weekday (``Tue 2026-01-20``), as the README promises;
piped (plain) output and ``--json`` keep ISO dates for scripts."""

from __future__ import annotations

import json

import pytest

from helpers import cli, seed
from topcli.output import Table, render, render_plain


@pytest.fixture
def two_people(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sam Lee (actions due 01-20, 02-20, 03-10; follow-up 02-27) and Alex Kim (an action due
    03-09; follow-up 05-04), both first met on 2026-01-05 (a Monday)."""
    seed(monkeypatch, "sam-first.yaml")
    seed(monkeypatch, "alex-first.yaml")


def in_terminal(monkeypatch: pytest.MonkeyPatch, columns: int, *args: str) -> str:
    from topcli import listing

    monkeypatch.setattr("topcli.output.is_terminal", lambda stream: True)
    monkeypatch.setattr(listing, "is_terminal", lambda stream: True)
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("LINES", "1000")
    monkeypatch.setenv("NO_COLOR", "1")
    return str(cli(*args).stdout)


COMMANDS = {
    "followup": (["followup", "--all"], ["Tue 2026-01-20", "Fri 2026-02-27", "Mon 2026-05-04"]),
    "actions list": (["actions", "list"], ["Tue 2026-01-20", "Mon 2026-03-09"]),
    "sessions list": (["sessions", "list"], ["Fri 2026-02-27", "Mon 2026-05-04"]),
    "people list": (["people", "list"], ["Mon 2026-01-05", "Fri 2026-02-27", "Mon 2026-05-04"]),
}


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("columns", [200, 40], ids=["table", "stacked"])
def test_terminal_listings_show_the_weekday(
    monkeypatch: pytest.MonkeyPatch, two_people: None, name: str, columns: int
) -> None:
    args, expected = COMMANDS[name]
    out = in_terminal(monkeypatch, columns, *args)
    assert ("┃" in out) == (columns == 200)  # a rich table, or stacked records
    for day in expected:
        assert day in out, out


@pytest.mark.parametrize("name", COMMANDS)
def test_piped_listings_and_json_keep_iso_dates(two_people: None, name: str) -> None:
    args, expected = COMMANDS[name]
    plain = cli(*args).stdout
    as_json = cli(*args, "--json").stdout
    for day in expected:
        iso = day.split()[1]
        assert iso in plain and day not in plain
        assert iso in as_json and day not in as_json
    json.loads(as_json)


def test_only_iso_dates_in_date_columns_get_a_weekday() -> None:
    table = Table(
        ["date", "what"],
        [("2026-06-01", "2026-06-01"), ("-", "x"), ("2026-06-01T10:00", "y")],
        dates=("date",),
    )
    shown = render(table, width=60, mode="stacked")
    assert "date: Mon 2026-06-01\nwhat: 2026-06-01" in shown
    assert "date: -\n" in shown and "date: 2026-06-01T10:00\n" in shown
    assert render(table, width=60, mode="plain") == render_plain(table)
    assert "Mon" not in render_plain(table)
