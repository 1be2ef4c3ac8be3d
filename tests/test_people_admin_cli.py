"""``topcli people show|rename|merge|delete`` and the near-duplicate question of ``start``,
with flags, without a terminal (as a script) and with typed keys (as a person)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import FOLLOWTHROUGH_DATA, Keys, cli, line, run_cli, seed
from topcli.store import Store

SAM = FOLLOWTHROUGH_DATA / "sam-first.yaml"
ALEX = FOLLOWTHROUGH_DATA / "alex-first.yaml"


def refused(result: Any, code: int = 2) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return str(result.stderr)


def people() -> list[tuple[str, str]]:
    return [(p["id"], p["name"]) for p in Store().people()]


def start_as(name: str, *extra: str) -> Any:
    """A whole conversation with ``name`` from Alex's answers file, without a terminal."""
    return cli("start", "-a", str(ALEX), "-p", name, "--no-input", *extra)


@pytest.fixture
def sam(monkeypatch: pytest.MonkeyPatch) -> None:
    seed(monkeypatch, "sam-first.yaml")


# --------------------------------------------------------------------------- show


def test_show_tells_conversations_actions_and_the_next_one(sam: None) -> None:
    result = cli("people", "show", "Sam")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Sam Lee (id sam-lee): 1 conversation, since 2026-01-05" in out
    assert "Actions: 3 open, 0 done, 0 dropped" in out
    assert "Next conversation: 2026-02-27 (3 days overdue)" in out
    assert "2026-01-05\tconversation\tcomplete\ttop 1.1\t" in out  # piped: tab-separated


def test_show_json(sam: None) -> None:
    session = Store().session_rows()[0]["id"]
    cli("actions", "done", Store().action_summaries()[0]["id"])
    data = json.loads(cli("people", "show", "sam-lee", "--json").stdout)
    assert data["id"] == "sam-lee" and data["name"] == "Sam Lee"
    assert data["conversations"] == [
        {
            "session": session,
            "date": "2026-01-05",
            "kind": "conversation",
            "status": "complete",
            "framework": "top",
            "framework_version": "1.1",
            "followup": "2026-02-27",
            "actions": 3,
            "open_actions": 2,
        }
    ]
    assert data["actions"] == {"open": 2, "done": 1, "dropped": 0, "carried": 0}
    assert data["next"] == {
        "date": "2026-02-27",
        "days": -3,
        "state": "overdue",
        "session": session,
    }


def test_show_an_unknown_person() -> None:
    err = refused(cli("people", "show", "Nobody"), 4)
    assert "no conversations with anyone called 'Nobody'" in err


# --------------------------------------------------------------------------- rename


def test_rename(sam: None) -> None:
    result = cli("people", "rename", "Sam Lee", "  Samantha   Lee ")
    assert result.exit_code == 0, result.output
    assert "Renamed Sam Lee to Samantha Lee (id sam-lee)." in result.stdout
    assert people() == [("sam-lee", "Samantha Lee")]


def test_rename_refuses_a_name_someone_else_has(sam: None) -> None:
    assert start_as("Alex Kim").exit_code == 0
    err = refused(cli("people", "rename", "alex-kim", "sam lee"))
    assert "there is already someone called 'Sam Lee' (id sam-lee)" in err
    assert "topcli people merge alex-kim sam-lee" in err
    assert refused(cli("people", "rename", "alex-kim", "   ")).count("the new name is empty")


def test_rename_an_ambiguous_person_lists_the_candidates(sam: None) -> None:
    assert start_as("Sam Park", "--new-person").exit_code == 0
    err = refused(cli("people", "rename", "Sam", "Sam P."))
    assert "'Sam' matches 2 people: Sam Lee (id sam-lee), Sam Park (id sam-park)" in err
    assert "give the person's id" in err
    assert people() == [("sam-lee", "Sam Lee"), ("sam-park", "Sam Park")]


def test_rename_an_ambiguous_person_in_a_terminal_asks_which(sam: None) -> None:
    assert start_as("Sam Park", "--new-person").exit_code == 0
    result = run_cli(["people", "rename", "Sam", "Sam P."], [Keys.DOWN, Keys.ENTER])
    assert result.exit_code == 0, result.output
    assert people() == [("sam-lee", "Sam Lee"), ("sam-park", "Sam P.")]


# --------------------------------------------------------------------------- merge


def test_merge_with_yes(sam: None) -> None:
    assert start_as("Sam", "--new-person").exit_code == 0
    result = cli("people", "merge", "sam", "Sam Lee", "--yes")
    assert result.exit_code == 0, result.output
    assert "Merged Sam into Sam Lee (id sam-lee): 1 conversation moved." in result.stdout
    assert people() == [("sam-lee", "Sam Lee")]
    assert len(Store().session_rows(person_id="sam-lee")) == 2


def test_merge_into_themselves_is_refused(sam: None) -> None:
    err = refused(cli("people", "merge", "Sam Lee", "sam-lee", "--yes"))
    assert "cannot merge Sam Lee (id sam-lee) into themselves" in err
    assert people() == [("sam-lee", "Sam Lee")]


def test_merge_without_a_terminal_or_yes_is_refused(sam: None) -> None:
    assert start_as("Sam", "--new-person").exit_code == 0
    err = refused(cli("people", "merge", "sam", "sam-lee"))
    assert "merging a person needs confirmation" in err
    assert "--yes" in err
    assert len(people()) == 2


def test_merge_with_yes_needs_whole_names(sam: None) -> None:
    assert start_as("Alex Kim").exit_code == 0
    err = refused(cli("people", "merge", "Alex", "sam-lee", "--yes"))
    assert "'Alex' is only part of the name Alex Kim (id alex-kim)" in err
    assert len(people()) == 2


def test_merge_asks_in_a_terminal(sam: None) -> None:
    assert start_as("Sam", "--new-person").exit_code == 0
    kept = run_cli(["people", "merge", "sam", "sam-lee"], Keys.ENTER)  # the default is no
    assert kept.exit_code == 0 and "Nothing merged." in kept.stdout
    interrupted = run_cli(["people", "merge", "sam", "sam-lee"], Keys.CTRL_C)
    assert refused(interrupted, 130).count("nothing was merged")
    assert len(people()) == 2
    merged = run_cli(["people", "merge", "sam", "sam-lee"], "y")
    assert merged.exit_code == 0, merged.output
    assert people() == [("sam-lee", "Sam Lee")]


# --------------------------------------------------------------------------- delete


def test_delete_with_yes(sam: None) -> None:
    assert start_as("Alex Kim").exit_code == 0
    result = cli("people", "delete", "Sam Lee", "--yes")
    assert result.exit_code == 0, result.output
    assert "Deleted Sam Lee (id sam-lee) with 1 conversation and 3 actions." in result.stdout
    assert people() == [("alex-kim", "Alex Kim")]
    assert all(r["person_id"] == "alex-kim" for r in Store().session_rows())


def test_delete_without_a_terminal_or_yes_is_refused(sam: None) -> None:
    err = refused(cli("people", "delete", "Sam Lee"))
    assert "deleting a person needs confirmation, and there is no terminal to ask in" in err
    assert "add --yes" in err
    assert people() == [("sam-lee", "Sam Lee")]


def test_delete_with_yes_needs_the_whole_name(sam: None) -> None:
    err = refused(cli("people", "delete", "Sam", "--yes"))
    assert "with --yes, give the whole name or the id" in err
    assert people() == [("sam-lee", "Sam Lee")]


def test_delete_asks_naming_what_goes(sam: None) -> None:
    from topcli.prompts import TerminalPrompter

    asked: list[str] = []
    real = TerminalPrompter.confirm

    def confirm(self: Any, message: str, **kwargs: Any) -> bool:
        asked.append(message)
        return real(self, message, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TerminalPrompter, "confirm", confirm)
        kept = run_cli(["people", "delete", "Sam"], "n")
    assert kept.exit_code == 0 and "Nothing deleted." in kept.stdout
    assert asked == [
        "Delete Sam Lee (id sam-lee) with 1 conversation and 3 actions, every answer and "
        "note? This cannot be undone."
    ]
    deleted = run_cli(["people", "delete", "Sam"], "y")
    assert deleted.exit_code == 0, deleted.output
    assert people() == []


def test_ctrl_c_at_the_delete_question_deletes_nothing(sam: None) -> None:
    result = run_cli(["people", "delete", "sam-lee"], Keys.CTRL_C)
    assert "nothing was deleted" in refused(result, 130)
    assert people() == [("sam-lee", "Sam Lee")]


def test_deleting_the_only_person_leaves_no_trace_in_the_file(sam: None, home: Path) -> None:
    assert b"Sam Lee" in (home / "topcli.db").read_bytes()
    assert cli("people", "delete", "sam-lee", "--yes").exit_code == 0
    data = (home / "topcli.db").read_bytes()
    assert b"Sam Lee" not in data and b"Priya" not in data  # the name, the answers


# --------------------------------------------------------------------------- near duplicates


def test_start_with_a_near_name_without_a_terminal_is_refused(sam: None) -> None:
    for near in ("Sam", "sam le", "Sma Lee", "Lee"):
        err = refused(start_as(near))
        assert "is close to someone who is: Sam Lee (id sam-lee)" in err
        assert "--new-person" in err and "--person sam-lee" in err
    assert people() == [("sam-lee", "Sam Lee")]
    assert len(Store().session_rows()) == 1


def test_start_with_an_exact_name_uses_the_person(sam: None) -> None:
    assert start_as("  sam   LEE").exit_code == 0
    assert start_as("sam-lee").exit_code == 0
    assert people() == [("sam-lee", "Sam Lee")]
    assert len(Store().session_rows(person_id="sam-lee")) == 3


def test_new_person_insists(sam: None) -> None:
    result = start_as("Sam", "--new-person")
    assert result.exit_code == 0, result.output
    assert people() == [("sam", "Sam"), ("sam-lee", "Sam Lee")]
    err = refused(start_as("Sam Lee", "--new-person"))
    assert "--new-person: there is already someone called 'Sam Lee'" in err


def held_with(result: Any) -> str:
    """The person a conversation started in a terminal is with (it then pauses at the first
    optional question the answers file leaves open, as the keys run out)."""
    assert result.exit_code == 130, result.output
    return str(result.stdout.split(" with ", 1)[1].split(" (", 1)[0])


def test_start_with_a_near_name_in_a_terminal_offers_the_stored_person(
    sam: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from topcli.prompts import TerminalPrompter

    asked: list[tuple[str, list[str]]] = []
    real = TerminalPrompter.choose

    def choose(self: Any, message: str, choices: Any, **kwargs: Any) -> Any:
        asked.append((message, [label for label, _ in choices]))
        return real(self, message, choices, **kwargs)

    monkeypatch.setattr(TerminalPrompter, "choose", choose)
    result = run_cli(["start", "-a", str(ALEX), "-p", "Sam"], Keys.ENTER)
    assert asked == [
        ("Did you mean Sam Lee?", ["use Sam Lee (id sam-lee)", "a new person named Sam"])
    ]
    assert held_with(result) == "Sam Lee"
    assert people() == [("sam-lee", "Sam Lee")]
    assert len(Store().session_rows(person_id="sam-lee")) == 2


def test_start_with_a_near_name_in_a_terminal_can_be_someone_new(sam: None) -> None:
    result = run_cli(["start", "-a", str(ALEX), "-p", "Sam"], [Keys.DOWN, Keys.ENTER])
    assert held_with(result) == "Sam"
    assert people() == [("sam", "Sam"), ("sam-lee", "Sam Lee")]


def test_the_typed_name_is_checked_too(sam: None, tmp_path: Path) -> None:
    nameless = tmp_path / "answers.yaml"
    nameless.write_text(ALEX.read_text().replace("person: Alex Kim\n", ""), encoding="utf-8")
    result = run_cli(["start", "-a", str(nameless)], [line("Sam Le"), Keys.ENTER])
    assert held_with(result) == "Sam Lee"
    assert people() == [("sam-lee", "Sam Lee")]


def test_ctrl_c_at_the_near_name_question_starts_nothing(sam: None) -> None:
    result = run_cli(["start", "-a", str(ALEX), "-p", "Sam"], Keys.CTRL_C)
    assert "nothing was saved yet (no conversation started)" in refused(result, 130)
    assert len(Store().session_rows()) == 1


def test_checkin_with_a_near_name_without_a_terminal_is_refused(sam: None) -> None:
    err = refused(cli("checkin", "Sma Lee", "--no-input"))
    assert "no one is called 'Sma Lee', but someone close is: Sam Lee (id sam-lee)" in err
    assert "topcli checkin sam-lee" in err
    assert len(Store().session_rows()) == 1


def test_checkin_with_a_near_name_in_a_terminal_offers_the_stored_person(sam: None) -> None:
    result = run_cli(["checkin", "Sma Lee"], Keys.ENTER)
    assert "Check-in" in result.stdout and "with Sam Lee" in result.stdout
    assert people() == [("sam-lee", "Sam Lee")]


def test_checkin_with_a_name_no_one_is_near_is_as_before(sam: None) -> None:
    err = refused(cli("checkin", "Alex Kim", "--no-input"), 4)
    assert "there is no earlier conversation with 'Alex Kim'" in err


def test_prep_with_a_near_name(sam: None, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.md"
    err = refused(run_cli(["prep", "Sma Lee"]))  # to the screen: no one to ask
    assert "close to someone who is: Sam Lee (id sam-lee)" in err
    assert "topcli prep sam-lee" in err and "--new-person" in err
    assert run_cli(["prep", "Sma Lee", "-o", str(sheet)], Keys.ENTER).exit_code == 0
    assert "Sam Lee" in sheet.read_text(encoding="utf-8")
    insisted = run_cli(["prep", "Sma Lee", "--new-person"])
    assert insisted.exit_code == 0 and "Sma Lee" in insisted.stdout
    exact = run_cli(["prep", "sam lee"])
    assert exact.exit_code == 0 and "Sam Lee" in exact.stdout


def test_prep_creates_no_data_folder(home: Path) -> None:
    assert run_cli(["prep", "Sam Lee"]).exit_code == 0
    assert not home.exists()


def test_show_json_matches_its_documented_schema(sam: None) -> None:
    import re

    import jsonschema

    doc = (Path(__file__).parents[1] / "docs" / "follow-through.md").read_text(encoding="utf-8")
    body = re.search(r"<!-- schema: people-show -->\s*```json\n(.*?)```", doc, flags=re.S)
    assert body is not None
    schema = json.loads(body.group(1))
    paused = run_cli(["start", "-a", str(ALEX), "-p", "Sam Lee"])  # unfinished: no follow-up
    assert paused.exit_code == 130, paused.output
    data = json.loads(cli("people", "show", "sam-lee", "--json").stdout)
    assert [c["status"] for c in data["conversations"]] == ["complete", "in_progress"]
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(data)
    data["actions"]["lost"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(data)


def test_rename_to_the_same_name_changes_nothing(sam: None) -> None:
    result = cli("people", "rename", "sam-lee", "Sam Lee")
    assert result.exit_code == 0, result.output
    assert "Sam Lee (id sam-lee) already has that name; nothing changed." in result.stdout


def test_names_with_brackets_are_shown_as_typed_and_control_characters_refused(
    sam: None,
) -> None:
    err = refused(cli("people", "rename", "sam-lee", "Sam\x1b]0;x\x07"))
    assert "the new name contains a control character" in err
    assert "\x1b" not in err
    result = cli("people", "rename", "sam-lee", "Sam [b] [/x]")
    assert result.exit_code == 0, result.output
    assert "Renamed Sam Lee to Sam [b] [/x] (id sam-lee)." in result.stdout
    assert "Sam [b] [/x] (id sam-lee)" in cli("people", "show", "sam-lee").stdout
