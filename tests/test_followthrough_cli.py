"""actions, followup and people through the CLI: what is due, told truthfully, and bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import Keys, cli, run_cli, seed
from topcli.followthrough import OVERDUE_EXIT_CODE
from topcli.wording import plural

DATA = Path(__file__).parent / "data" / "followthrough"


def as_json(*args: str) -> Any:
    result = cli(*args, "--json")
    assert result.exit_code in (0, OVERDUE_EXIT_CODE), result.output
    return json.loads(result.stdout)


@pytest.fixture
def two_people(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Sam Lee and Alex Kim, one conversation each on 2026-01-05; today is 2026-03-02.

    Sam: actions due 02-20 (overdue), 03-10, 01-20 (overdue); follow-up 02-27 (overdue).
    Alex: an action due 03-09; follow-up 05-04. Returns action ids by what.
    """
    seed(monkeypatch, "sam-first.yaml")
    seed(monkeypatch, "alex-first.yaml")
    return {a["what"]: a["id"] for a in as_json("actions", "list")}


# --------------------------------------------------------------------------- followup


def test_followup_after_two_conversations_tells_what_is_due(two_people: dict[str, str]) -> None:
    result = cli("followup", "--json")
    assert result.exit_code == OVERDUE_EXIT_CODE
    data = json.loads(result.stdout)
    assert data["today"] == "2026-03-02"
    assert data["until"] == "2026-03-16"
    assert data["overdue"] == 3
    assert [
        (i["date"], i["days"], i["state"], i["type"], i["person"]["name"]) for i in data["items"]
    ] == [
        ("2026-01-20", -41, "overdue", "action", "Sam Lee"),
        ("2026-02-20", -10, "overdue", "action", "Sam Lee"),
        ("2026-02-27", -3, "overdue", "conversation", "Sam Lee"),
        ("2026-03-09", 7, "upcoming", "action", "Alex Kim"),
        ("2026-03-10", 8, "upcoming", "action", "Sam Lee"),
    ]
    assert data["items"][0]["action"] == two_people["Coffee with Priya"]
    assert data["items"][2]["action"] is None
    # Alex's follow-up on 05-04 lies beyond the window
    assert data["next"]["date"] == "2026-05-04"


def test_followup_table_says_how_many_days_and_exits_10(
    monkeypatch: pytest.MonkeyPatch, two_people: dict[str, str]
) -> None:
    result = cli("followup")
    assert result.exit_code == OVERDUE_EXIT_CODE
    assert "41 days overdue" in result.stdout
    assert "in 7 days" in result.stdout
    # piped, the table is data: the summary line goes to stderr, out of grep's way
    assert "3 overdue." in result.stderr
    assert "3 overdue." in in_terminal(monkeypatch, 100, "followup").stdout
    assert "Traceback" not in result.output


def test_followup_quiet_prints_nothing_but_the_status(two_people: dict[str, str]) -> None:
    result = cli("followup", "--quiet")
    assert result.exit_code == OVERDUE_EXIT_CODE
    assert result.output == ""


def test_followup_exits_0_when_the_overdue_ones_are_closed(two_people: dict[str, str]) -> None:
    assert cli("actions", "done", two_people["Run the weekly incident review"]).exit_code == 0
    assert cli("actions", "drop", two_people["Coffee with Priya"]).exit_code == 0
    # the follow-up conversation is still overdue
    assert cli("followup", "-q").exit_code == OVERDUE_EXIT_CODE


def test_followup_with_nothing_due_is_friendly_and_names_what_is_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed(monkeypatch, "alex-first.yaml")
    monkeypatch.setenv("TOPCLI_NOW", "2026-01-06T09:00:00+00:00")
    result = cli("followup")
    assert result.exit_code == 0
    assert "Nothing is due in the next 14 days" in result.stdout
    assert "Next: Audit the design components with Alex Kim on Mon 2026-03-09 (in 62 days)" in (
        " ".join(result.stdout.split())
    )


def test_followup_with_no_conversations_at_all() -> None:
    result = cli("followup")
    assert result.exit_code == 0
    assert "topcli start" in result.stdout
    assert as_json("followup") == {
        "today": "2026-03-02",
        "until": "2026-03-16",
        "overdue": 0,
        "items": [],
        "next": None,
    }


def test_followup_all_shows_everything_scheduled(two_people: dict[str, str]) -> None:
    data = as_json("followup", "--all")
    assert data["until"] is None
    assert data["next"] is None
    assert [i["date"] for i in data["items"]][-1] == "2026-05-04"
    assert len(data["items"]) == 6


def test_followup_help_documents_the_exit_status() -> None:
    result = cli("followup", "--help")
    assert "Exit status: 0 when nothing is overdue, 10 when something is overdue" in " ".join(
        result.stdout.split()
    )


# --------------------------------------------------------------------------- people


def test_people_list_after_two_conversations(two_people: dict[str, str]) -> None:
    people = {p["name"]: p for p in as_json("people", "list")}
    assert set(people) == {"Sam Lee", "Alex Kim"}
    sam, alex = people["Sam Lee"], people["Alex Kim"]
    assert sam["last"]["date"] == "2026-01-05"
    assert sam["next"] == {
        "date": "2026-02-27",
        "days": -3,
        "state": "overdue",
        "session": sam["last"]["session"],
    }
    assert (sam["open_actions"], sam["overdue_actions"]) == (3, 2)
    assert (alex["open_actions"], alex["overdue_actions"]) == (1, 0)
    assert alex["next"]["days"] == 63
    table = cli("people", "list").stdout
    assert "3 days overdue" in table
    assert "in 63 days" in table


def test_people_list_names_an_unfinished_conversation(
    monkeypatch: pytest.MonkeyPatch, two_people: dict[str, str]
) -> None:
    # a conversation paused at the first question
    result = run_cli(["start", "--person", "Alex Kim"], Keys.CTRL_C)
    assert result.exit_code == 130
    alex = next(p for p in as_json("people", "list") if p["name"] == "Alex Kim")
    assert alex["in_progress"] == alex["last"]["session"]
    assert alex["next"]["date"] == "2026-05-04"  # the finished conversation's follow-up stands
    assert "in progress" in cli("people", "list").stdout


def row_cells(table: str, text: str) -> list[str]:
    """The cells of the first line of a rich table (or of plain output) that contains ``text``."""
    found = next(row for row in table.splitlines() if text in row)
    if "\t" in found:
        return plain_rows(found)[0]
    return [cell.strip() for cell in found.strip("│┃").split("│" if "│" in found else "┃")]


def plain_rows(text: str) -> list[list[str]]:
    """Plain (piped) output read back as a script would: csv's tab dialect."""
    import csv

    return list(csv.reader(text.splitlines(), dialect="excel-tab"))


def in_terminal(monkeypatch: pytest.MonkeyPatch, columns: int, *args: str) -> Any:
    """Run a command as if stdout were a terminal ``columns`` wide (no pager)."""
    # imported before patching topcli.output, so it keeps the real function to restore
    from topcli import listing

    monkeypatch.setattr("topcli.output.is_terminal", lambda stream: True)
    monkeypatch.setattr(listing, "is_terminal", lambda stream: True)
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("LINES", "1000")
    monkeypatch.setenv("NO_COLOR", "1")
    return cli(*args)


def test_people_list_shows_the_person_id_in_a_column_headed_id(
    monkeypatch: pytest.MonkeyPatch, two_people: dict[str, str]
) -> None:
    rows = plain_rows(cli("people", "list").stdout)
    assert rows[0][:2] == ["person", "id"] and "last conversation" in rows[0]
    assert rows[0][2] == "conversations"
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Sam Lee"][:3] == ["Sam Lee", "sam-lee", "1 conversation"]
    assert by_name["Alex Kim"][:3] == ["Alex Kim", "alex-kim", "1 conversation"]
    table = in_terminal(monkeypatch, 120, "people", "list").stdout
    assert row_cells(table, "person")[:3] == ["person", "id", "conversations"]
    assert row_cells(table, "Sam Lee")[:2] == ["Sam Lee", "sam-lee"]
    assert row_cells(table, "Alex Kim")[:2] == ["Alex Kim", "alex-kim"]
    assert "1 conversation" in table and "1 conversations" not in table


def test_people_list_empty() -> None:
    assert as_json("people", "list") == []
    assert "No conversations yet" in cli("people", "list").stdout


# --------------------------------------------------------------------------- actions


def test_actions_list_filters(two_people: dict[str, str]) -> None:
    assert [a["due"] for a in as_json("actions", "list")] == [
        "2026-01-20",
        "2026-02-20",
        "2026-03-09",
        "2026-03-10",
    ]
    assert [a["due"] for a in as_json("actions", "list", "--overdue")] == [
        "2026-01-20",
        "2026-02-20",
    ]
    assert [a["due"] for a in as_json("actions", "list", "--due-within", "1w")] == [
        "2026-01-20",
        "2026-02-20",
        "2026-03-09",
    ]
    alex = as_json("actions", "list", "--person", "alex")
    assert [a["what"] for a in alex] == ["Audit the design components"]
    assert alex[0]["state"] == "upcoming"
    assert alex[0]["days"] == 7


def test_actions_list_at_80_columns_gives_what_the_room(
    monkeypatch: pytest.MonkeyPatch, two_people: dict[str, str]
) -> None:
    table = in_terminal(monkeypatch, 80, "actions", "list").stdout
    assert max(len(line) for line in table.splitlines()) <= 80
    header = next(line for line in table.splitlines() if "what" in line)
    widths = {cell.strip(): len(cell) for cell in header.strip("┃").split("┃")}
    assert list(widths) == ["id", "person", "what", "due", "when"]
    # the conversation column made way: "what" is the widest, and wraps rather than crops
    # (23: the due date's weekday, "Tue 2026-01-20", takes four of the 80 columns)
    assert widths["what"] >= 23
    assert widths["due"] == len(" Tue 2026-01-20 ")
    assert widths["what"] == max(widths.values())
    assert "…" not in table
    body = [line for line in table.splitlines() if line.startswith("│")]
    what_column = " ".join(line.strip("│").split("│")[2].strip() for line in body)
    for what, action_id in two_people.items():
        assert what in what_column
        assert row_cells(table, action_id)[0] == action_id
    assert "41 days overdue" in table

    wide = in_terminal(monkeypatch, 120, "actions", "list").stdout
    assert row_cells(wide, "id")[-1] == "conversation"


def test_actions_list_all_shows_a_closed_actions_status_in_place_of_when(
    two_people: dict[str, str],
) -> None:
    review = two_people["Run the weekly incident review"]
    assert cli("actions", "done", review).exit_code == 0
    table = cli("actions", "list", "--all").stdout
    assert "✓ done" in row_cells(table, review)
    assert review not in cli("actions", "list").stdout


@pytest.mark.parametrize(
    ("n", "noun", "many", "words"),
    [
        (0, "action", None, "0 actions"),
        (1, "action", None, "1 action"),
        (2, "action", None, "2 actions"),
        (1, "open action", None, "1 open action"),
        (3, "open action", None, "3 open actions"),
        (1, "day", None, "1 day"),
        (2, "person", "people", "2 people"),
    ],
)
def test_plural(n: int, noun: str, many: str | None, words: str) -> None:
    assert plural(n, noun, many) == words


def test_done_drop_and_note_keep_dated_notes(
    monkeypatch: pytest.MonkeyPatch, two_people: dict[str, str]
) -> None:
    review = two_people["Run the weekly incident review"]
    result = cli("actions", "done", review, "--note", "Ran two reviews")
    assert result.exit_code == 0
    assert "is now done" in result.stdout
    monkeypatch.setenv("TOPCLI_NOW", "2026-03-05T09:00:00+00:00")
    noted = cli("actions", "note", review, "They want to keep going")
    assert noted.exit_code == 0
    assert "2 notes." in noted.stdout
    coffee = two_people["Coffee with Priya"]
    assert cli("actions", "drop", coffee, "-n", "Priya left").exit_code == 0

    listed = {a["id"]: a for a in as_json("actions", "list", "--all")}
    assert listed[review]["status"] == "done"
    assert listed[review]["state"] is None
    assert listed[review]["notes"] == [
        {"at": "2026-03-02T09:00:00+00:00", "status": "done", "text": "Ran two reviews"},
        {"at": "2026-03-05T09:00:00+00:00", "status": None, "text": "They want to keep going"},
    ]
    assert listed[coffee]["status"] == "dropped"
    assert review not in {a["id"] for a in as_json("actions", "list")}


def test_marking_a_done_action_done_again_is_refused(two_people: dict[str, str]) -> None:
    review = two_people["Run the weekly incident review"]
    assert cli("actions", "done", review).exit_code == 0
    again = cli("actions", "done", review)
    assert again.exit_code == 2
    assert f"action {review} ('Run the weekly incident review') is already done" in again.output
    assert "(since 2026-03-02)" in again.output
    assert f"topcli actions note {review}" in again.output
    assert "Traceback" not in again.output
    # correcting a mistake is allowed
    assert cli("actions", "drop", review).exit_code == 0


def test_unknown_action_id_is_exit_4_with_a_hint(two_people: dict[str, str]) -> None:
    for args in (["done", "nope42"], ["drop", "nope42"], ["note", "nope42", "text"]):
        result = cli("actions", *args)
        assert result.exit_code == 4
        assert "no action with id 'nope42'" in result.output
        assert "topcli actions list" in result.output


@pytest.fixture
def prefixed_ids(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Sam's and Alex's actions with ids that share starts: 4bb001, 4bb002, 4c0003, 9f0004."""
    actions = iter(["4bb001", "4bb002", "4c0003", "9f0004"])
    sessions = iter(["5e550001", "5e550002"])
    monkeypatch.setattr(
        "topcli.store.new_id", lambda nbytes=4: next(actions if nbytes == 3 else sessions)
    )
    seed(monkeypatch, "sam-first.yaml")
    seed(monkeypatch, "alex-first.yaml")
    ids = {a["what"]: a["id"] for a in as_json("actions", "list")}
    assert sorted(ids.values()) == ["4bb001", "4bb002", "4c0003", "9f0004"]
    return ids


def test_done_drop_and_note_accept_a_unique_start_of_an_action_id(
    prefixed_ids: dict[str, str],
) -> None:
    by_id = {action_id: what for what, action_id in prefixed_ids.items()}
    done = cli("actions", "done", "4c")
    assert done.exit_code == 0, done.output
    assert f"Action 4c0003 ('{by_id['4c0003']}', Sam Lee) is now done." in done.output
    dropped = cli("actions", "drop", " 9f ", "-n", "No longer needed")
    assert dropped.exit_code == 0, dropped.output
    assert "Action 9f0004" in dropped.output and "is now dropped" in dropped.output
    noted = cli("actions", "note", "4bb0", "Half done")
    assert noted.exit_code == 2  # 4bb0 is the start of two ids
    noted = cli("actions", "note", "4bb002", "Half done")
    assert noted.exit_code == 0, noted.output
    assert "Noted on action 4bb002" in noted.output

    listed = {a["id"]: a for a in as_json("actions", "list", "--all")}
    assert (listed["4c0003"]["status"], listed["9f0004"]["status"]) == ("done", "dropped")
    assert listed["9f0004"]["notes"][-1]["text"] == "No longer needed"
    assert listed["4bb002"]["notes"][-1]["text"] == "Half done"
    assert listed["4bb001"]["notes"] == [] and listed["4bb001"]["status"] == "open"


def test_an_ambiguous_start_of_an_action_id_lists_the_matching_ids(
    prefixed_ids: dict[str, str],
) -> None:
    for args in (["done", "4b"], ["drop", "4bb"], ["note", "4", "text"]):
        result = cli("actions", *args)
        assert result.exit_code == 2, result.output
        start = args[1]
        matching = "4bb001, 4bb002, 4c0003" if start == "4" else "4bb001, 4bb002"
        count = matching.count(",") + 1
        assert f"'{start}' is the start of {count} action ids: {matching}" in result.output
        assert "give more of the id" in result.output
    assert all(a["status"] == "open" and not a["notes"] for a in as_json("actions", "list"))


def test_an_unknown_action_id_says_a_unique_start_is_enough(
    prefixed_ids: dict[str, str],
) -> None:
    for args in (["done", "4bb0019"], ["drop", "4x"], ["note", "%", "text"], ["done", "_"]):
        result = cli("actions", *args)
        assert result.exit_code == 4, result.output
        assert f"no action with id '{args[1]}'" in result.output
        hint = " ".join(result.output.split())
        assert "'topcli actions list' shows the ids; a unique start of one is enough" in hint


def test_empty_note_is_refused(two_people: dict[str, str]) -> None:
    result = cli("actions", "note", two_people["Coffee with Priya"], "  ")
    assert result.exit_code == 2
    assert "the note is empty" in result.output


def test_bad_period_is_a_usage_error(two_people: dict[str, str]) -> None:
    result = cli("actions", "list", "--due-within", "soon")
    assert result.exit_code == 2
    assert "--due-within: 'soon' is not a period" in result.output
    result = cli("followup", "--within", "0.5m")
    assert result.exit_code == 2


def test_unknown_person_is_exit_4(two_people: dict[str, str]) -> None:
    result = cli("actions", "list", "--person", "Zed")
    assert result.exit_code == 4
    assert "no conversations with anyone called 'Zed'" in result.output
    assert cli("history", "Zed").exit_code == 4


# --------------------------------------------------------------------------- two people called Sam


@pytest.fixture
def two_sams(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seed(monkeypatch, "sam-first.yaml")
    other = tmp_path / "sam-park.yaml"
    other.write_text((DATA / "alex-first.yaml").read_text().replace("Alex Kim", "Sam Park"))
    monkeypatch.setenv("TOPCLI_NOW", "2026-01-05T10:00:00+00:00")
    assert run_cli(["start", "--answers", str(other), "--no-input"]).exit_code == 0
    monkeypatch.setenv("TOPCLI_NOW", "2026-03-02T09:00:00+00:00")


def test_ambiguous_person_without_a_terminal_lists_them_and_asks_for_an_id(
    two_sams: None,
) -> None:
    for args in (
        ["actions", "list", "--person", "sam"],
        ["history", "Sam"],
        ["checkin", "Sam"],
    ):
        result = cli(*args)
        assert result.exit_code == 2, args
        assert "'sam' matches 2 people" in result.output.lower()
        assert "Sam Lee (id sam-lee)" in result.output
        assert "Sam Park (id sam-park)" in result.output
        assert "give the person's id instead" in result.output


def test_ambiguous_person_in_a_terminal_is_asked_which_one(two_sams: None) -> None:
    result = run_cli(["actions", "list", "--person", "sam"], Keys.DOWN + Keys.ENTER)
    assert result.exit_code == 0, result.output
    assert "Audit the design components" in result.stdout
    assert "Coffee with Priya" not in result.stdout
    # an exact id needs no question
    assert "Coffee with Priya" in cli("actions", "list", "--person", "sam-lee").stdout


@pytest.mark.parametrize("key", [Keys.CTRL_C, Keys.CTRL_D])
def test_ctrl_c_at_the_person_picker_does_nothing(two_sams: None, key: str) -> None:
    for args in (["history", "Sam"], ["checkin", "Sam"]):
        result = run_cli(args, key)
        assert result.exit_code == 130, result.output
        assert "nothing was done (no person chosen)" in result.stderr
    assert len(json.loads(cli("sessions", "list", "--json").stdout)) == 2


# --------------------------------------------------------------------------- past follow-up dates


def test_a_follow_up_date_in_the_past_is_allowed_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    answers = tmp_path / "late.yaml"
    answers.write_text(
        (DATA / "alex-first.yaml")
        .read_text()
        .replace("followup: 2026-05-04", "followup: 2026-02-01")
    )
    result = run_cli(["start", "--answers", str(answers), "--no-input"])
    assert result.exit_code == 0
    assert "warning: the follow-up date 2026-02-01 is in the past" in result.stderr
    assert as_json("people", "list")[0]["next"]["state"] == "overdue"
