"""history after three conversations, and every --json output against its documented schema."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from helpers import Keys, cli, run_cli

DATA = Path(__file__).parent / "data" / "followthrough"
DOC = Path(__file__).parent.parent / "docs" / "follow-through.md"

JAN, MAR, JUN = (
    "2026-01-05T10:00:00+00:00",
    "2026-03-02T09:00:00+00:00",
    "2026-06-02T09:00:00-04:00",
)


def actions() -> list[dict[str, Any]]:
    return json.loads(cli("actions", "list", "--all", "--json").stdout)


def checkin(tmp_path: Path, name: str, answers: dict[str, Any]) -> None:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({"framework": "checkin", "answers": answers}))
    result = cli("checkin", "Sam Lee", "--answers", str(path), "--no-input")
    assert result.exit_code == 0, result.output


@pytest.fixture
def story(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """Sam Lee: a TOP conversation in January and check-ins in March and June.

    March: the incident review is done, the coffee dropped, the migration plan carried over,
    Think revisited with new values. June (in New York): the migration plan carried over again,
    the mentor action done, Think revisited with new strengths. Returns ids by name.
    """
    monkeypatch.setenv("TOPCLI_NOW", JAN)
    result = run_cli(["start", "--answers", str(DATA / "sam-first.yaml"), "--no-input"])
    assert result.exit_code == 0, result.output
    ids = {a["what"]: a["id"] for a in actions()}
    review, plan, coffee = (
        ids["Run the weekly incident review"],
        ids["Draft the Q2 migration plan"],
        ids["Coffee with Priya"],
    )

    monkeypatch.setenv("TOPCLI_NOW", MAR)
    checkin(
        tmp_path,
        "march",
        {
            f"a_{review}_progress": "Ran two reviews.",
            f"a_{review}_status": "Done",
            f"a_{plan}_progress": "Half drafted.",
            f"a_{plan}_status": "Carry over",
            f"a_{plan}_new_due": "2026-04-30",
            f"a_{coffee}_progress": "Priya left.",
            f"a_{coffee}_status": "Drop",
            "revisit_think": True,
            "think_core_values": "Learning, autonomy and mentoring others.",
            "revisit_opportunities": False,
            "actions": [{"what": "Find a new mentor", "due": "2026-04-15"}],
            "followup": "2026-06-01",
        },
    )
    copy = next(a["id"] for a in actions() if a["carried_from"] == plan)
    mentor = next(a["id"] for a in actions() if a["what"] == "Find a new mentor")

    monkeypatch.setenv("TOPCLI_NOW", JUN)
    checkin(
        tmp_path,
        "june",
        {
            f"a_{mentor}_progress": "Meeting Lin monthly.",
            f"a_{mentor}_status": "Done",
            f"a_{copy}_progress": "Blocked on budget.",
            f"a_{copy}_status": "Carry over",
            f"a_{copy}_barriers": "Budget freeze.",
            f"a_{copy}_new_due": "2026-07-31",
            "revisit_think": True,
            "think_strengths": "Debugging, and coaching newer engineers.",
            "revisit_opportunities": False,
            "followup": "2026-09-01",
        },
    )
    return {"review": review, "plan": plan, "coffee": coffee, "copy": copy, "mentor": mentor}


# --------------------------------------------------------------------------- history


def test_history_after_three_conversations(story: dict[str, str]) -> None:
    data = json.loads(cli("history", "Sam", "--json").stdout)
    assert data["person"] == {"id": "sam-lee", "name": "Sam Lee"}
    assert data["today"] == "2026-06-02"

    conversations = [e for e in data["timeline"] if e["type"] == "conversation"]
    assert [(c["date"], c["kind"], c["framework"]["id"]) for c in conversations] == [
        ("2026-01-05", "conversation", "top"),
        ("2026-03-02", "checkin", "checkin"),
        ("2026-06-02", "checkin", "checkin"),
    ]
    assert conversations[1]["previous_id"] == conversations[0]["session"]
    assert conversations[2]["previous_id"] == conversations[1]["session"]
    assert [c["followup"] for c in conversations] == ["2026-02-27", "2026-06-01", "2026-09-01"]
    assert [a["what"] for a in conversations[0]["actions_set"]] == [
        "Run the weekly incident review",
        "Draft the Q2 migration plan",
        "Coffee with Priya",
    ]
    june_set = conversations[2]["actions_set"]
    assert [(a["what"], a["due"], a["carried_from"]) for a in june_set] == [
        ("Draft the Q2 migration plan", "2026-07-31", story["copy"])
    ]

    events = [
        (e["date"], e["action"], e["status"]) for e in data["timeline"] if e["type"] == "action"
    ]
    assert events == [
        ("2026-03-02", story["review"], "done"),
        ("2026-03-02", story["plan"], "carried"),
        ("2026-03-02", story["coffee"], "dropped"),
        ("2026-06-02", story["mentor"], "done"),
        ("2026-06-02", story["copy"], "carried"),
    ]
    # each event follows the conversation it happened in
    kinds = [e["type"] for e in data["timeline"]]
    assert kinds == [
        "conversation",
        "conversation",
        *["action"] * 3,
        "conversation",
        "action",
        "action",
    ]
    # the migration plan, carried over twice, is one action: open in June's plan
    assert data["actions"] == {
        "set": 4,
        "open": 1,
        "done": 2,
        "dropped": 1,
        "carried": 0,
        "carried_over": 1,
    }

    think = {q["question"]: q for q in data["think"]}
    values = [(a["date"], a["value"], a["changed"]) for a in think["core_values"]["answers"]]
    assert values == [
        ("2026-01-05", "Learning and autonomy.", True),
        ("2026-03-02", "Learning, autonomy and mentoring others.", True),
        ("2026-06-02", "Learning, autonomy and mentoring others.", False),
    ]
    strengths = [a["changed"] for a in think["strengths"]["answers"]]
    assert strengths == [True, False, True]
    assert think["career_direction"]["prompt"].startswith("Which of these best describes")


def test_history_table_shows_how_the_plan_moved(story: dict[str, str]) -> None:
    result = cli("history", "sam-lee")
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    assert (
        "3 conversations; 4 actions set: 2 done, 1 dropped, 1 open; "
        "1 of them was carried over and counts once, by its latest status." in out
    )
    assert "✓ done" in out
    assert "✗ dropped" in out
    assert "→ carried over" in out
    assert f"(carried from {story['copy']})" in out
    assert "Think, over time" in out
    assert "2026-03-02 Learning, autonomy and mentoring others." in out
    assert "(the same on 2026-06-02)" in out


def test_history_think_leaves_out_a_checkin_that_revisited_only_opportunities(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Regression: Opportunities answers showed up under "Think, over time"."""
    monkeypatch.setenv("TOPCLI_NOW", JAN)
    assert (
        run_cli(["start", "--answers", str(DATA / "sam-first.yaml"), "--no-input"]).exit_code == 0
    )
    first = {q["question"] for q in json.loads(cli("history", "Sam", "--json").stdout)["think"]}
    monkeypatch.setenv("TOPCLI_NOW", MAR)
    ids = {a["what"]: a["id"] for a in actions()}
    statuses = {f"a_{action_id}_status": "Done" for action_id in ids.values()}
    progress = {f"a_{action_id}_progress": "Done." for action_id in ids.values()}
    checkin(
        tmp_path,
        "march",
        {
            **statuses,
            **progress,
            "revisit_think": False,
            "revisit_opportunities": True,
            "opportunities_stretch_ideas": "Lead the Q3 migration.",
            "followup": "2026-06-01",
        },
    )

    data = json.loads(cli("history", "Sam", "--json").stdout)
    think = {q["question"]: q for q in data["think"]}
    assert set(think) == first
    assert {"core_values", "strengths", "career_direction"} <= set(think)
    assert not {"opportunity_types", "stretch_ideas", "mentor_profile"} & set(think)
    # the check-in answered no Think question, so each has only January's answer
    assert {a["date"] for q in data["think"] for a in q["answers"]} == {"2026-01-05"}

    table = " ".join(cli("history", "Sam").stdout.split())
    think_part = table.split("Think, over time", 1)[1]
    assert "What matters most to you in your work" in think_part
    assert "Lead the Q3 migration." not in think_part
    assert "Which kinds of opportunities interest you most?" not in think_part


def test_history_think_takes_only_think_from_a_checkin_that_revisited_both(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TOPCLI_NOW", JAN)
    assert (
        run_cli(["start", "--answers", str(DATA / "sam-first.yaml"), "--no-input"]).exit_code == 0
    )
    monkeypatch.setenv("TOPCLI_NOW", MAR)
    ids = {a["what"]: a["id"] for a in actions()}
    checkin(
        tmp_path,
        "march",
        {
            **{f"a_{action_id}_status": "Drop" for action_id in ids.values()},
            **{f"a_{action_id}_progress": "None." for action_id in ids.values()},
            "revisit_think": True,
            "think_core_values": "Mentoring others.",
            "revisit_opportunities": True,
            "opportunities_stretch_ideas": "Lead the Q3 migration.",
            "followup": "2026-06-01",
        },
    )
    think = {q["question"]: q for q in json.loads(cli("history", "Sam", "--json").stdout)["think"]}
    assert "stretch_ideas" not in think
    assert [(a["date"], a["value"]) for a in think["core_values"]["answers"]] == [
        ("2026-01-05", "Learning and autonomy."),
        ("2026-03-02", "Mentoring others."),
    ]


def counts_add_up(counts: dict[str, int]) -> bool:
    parts = counts["open"] + counts["done"] + counts["dropped"] + counts["carried"]
    return parts == counts["set"] and counts["carried_over"] <= counts["set"]


def test_history_counts_add_up_to_the_actions_set(story: dict[str, str]) -> None:
    counts = json.loads(cli("history", "Sam", "--json").stdout)["actions"]
    assert counts_add_up(counts)
    # however many times an action moves on, it is one action until it is closed
    still_open = next(a["id"] for a in actions() if a["status"] == "open")
    assert cli("actions", "done", still_open).exit_code == 0
    after = json.loads(cli("history", "Sam", "--json").stdout)["actions"]
    assert counts_add_up(after)
    assert (after["set"], after["open"], after["done"]) == (4, 0, 3)
    assert "4 actions set: 3 done, 1 dropped, 0 open;" in " ".join(
        cli("history", "Sam").stdout.split()
    )


def test_history_counts_an_action_whose_checkin_was_deleted_as_carried(
    story: dict[str, str],
) -> None:
    timeline = json.loads(cli("history", "Sam", "--json").stdout)["timeline"]
    june = [e for e in timeline if e["type"] == "conversation"][-1]
    assert cli("sessions", "delete", june["session"], "--yes").exit_code == 0

    counts = json.loads(cli("history", "Sam", "--json").stdout)["actions"]
    # June's copy of the migration plan went with June's check-in; the March copy it came
    # from is still "carried", and that is where the work stands
    assert counts == {
        "set": 4,
        "open": 0,
        "done": 2,
        "dropped": 1,
        "carried": 1,
        "carried_over": 1,
    }
    assert counts_add_up(counts)
    out = " ".join(cli("history", "Sam").stdout.split())
    assert (
        "4 actions set: 2 done, 1 dropped, 0 open, 1 carried over to a check-in since deleted;"
        in out
    )


def test_history_of_one_conversation_with_one_action_speaks_in_the_singular(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TOPCLI_NOW", JAN)
    assert (
        run_cli(["start", "--answers", str(DATA / "alex-first.yaml"), "--no-input"]).exit_code == 0
    )
    out = " ".join(cli("history", "Alex").stdout.split())
    assert "1 conversation; 1 action set: 0 done, 0 dropped, 1 open." in out
    assert "(s)" not in out


# --------------------------------------------------------------------------- JSON shapes


def documented_schemas() -> dict[str, dict[str, Any]]:
    """The schemas in docs/follow-through.md, by the name in their ``<!-- schema: -->`` marker."""
    text = DOC.read_text()
    found = re.findall(r"<!-- schema: ([\w-]+) -->\s*```json\n(.*?)```", text, flags=re.S)
    return {name: json.loads(body) for name, body in found}


def validate(name: str, data: Any) -> None:
    schema = documented_schemas()[name]
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    validator.validate(data)


def test_every_documented_schema_is_a_valid_schema() -> None:
    schemas = documented_schemas()
    assert set(schemas) == {"followup", "actions-list", "people-list", "history", "people-show"}
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_json_outputs_match_their_documented_schemas(
    story: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # a second person with a paused conversation, so nulls and "in progress" show up too
    monkeypatch.setenv("TOPCLI_NOW", "2026-06-03T08:00:00+00:00")
    assert run_cli(["start", "--person", "Kai"], Keys.CTRL_C).exit_code == 130
    cli("actions", "note", story["copy"], "Budget unfrozen in July.")

    outputs = {
        "followup": [["followup", "--json"], ["followup", "--all", "--json"]],
        "actions-list": [["actions", "list", "--all", "--json"], ["actions", "list", "--json"]],
        "people-list": [["people", "list", "--json"]],
        "history": [["history", "Sam", "--json"], ["history", "Kai", "--json"]],
    }
    for name, runs in outputs.items():
        for args in runs:
            result = cli(*args)
            assert result.exit_code in (0, 10), (args, result.output)
            validate(name, json.loads(result.stdout))

    people = json.loads(cli("people", "list", "--json").stdout)
    kai = next(p for p in people if p["name"] == "Kai")
    assert kai["next"] is None and kai["in_progress"] is not None


def test_schemas_reject_a_drifted_shape(story: dict[str, str]) -> None:
    data = json.loads(cli("followup", "--all", "--json").stdout)
    data["items"][0]["days_left"] = data["items"][0].pop("days")
    with pytest.raises(jsonschema.ValidationError):
        validate("followup", data)
