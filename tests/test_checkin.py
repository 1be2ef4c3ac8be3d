"""topcli checkin: from the last plan to an updated one, saved, resumable and idempotent."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from helpers import Keys, block, cli, line, run_cli, seed
from topcli.checkin import build_checkin_framework, checkin_basis
from topcli.checkin_outcome import apply_outcome
from topcli.store import Store
from topcli.validation import framework_from_data

DATA = Path(__file__).parent / "data" / "followthrough"
TODAY = "2026-03-02T09:00:00+00:00"


def actions() -> dict[str, dict[str, Any]]:
    """Every action by id (all statuses)."""
    result = cli("actions", "list", "--all", "--json")
    return {a["id"]: a for a in json.loads(result.stdout)}


def ids_by_what(status: str = "open") -> dict[str, str]:
    return {a["what"]: i for i, a in actions().items() if a["status"] == status}


def checkin_file(tmp_path: Path, answers: dict[str, Any], name: str = "checkin.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps({"framework": "checkin", "answers": answers}))
    return str(path)


@pytest.fixture
def sam(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Sam Lee after one conversation (2026-01-05) with three open actions; ids by what."""
    seed(monkeypatch, "sam-first.yaml")
    return ids_by_what()


def review_answers(ids: dict[str, str]) -> dict[str, Any]:
    review, plan, coffee = (
        ids["Run the weekly incident review"],
        ids["Draft the Q2 migration plan"],
        ids["Coffee with Priya"],
    )
    return {
        "since_last": "Busy month.",
        f"a_{review}_progress": "Ran two reviews.",
        f"a_{review}_status": "Done",
        f"a_{plan}_progress": "Half drafted.",
        f"a_{plan}_status": "Carry over",
        f"a_{plan}_barriers": "On-call week.",
        f"a_{plan}_support": "Protected time on Fridays",
        f"a_{plan}_new_due": "2026-03-31",
        f"a_{coffee}_progress": "Priya left the company.",
        f"a_{coffee}_status": "Drop",
        f"a_{coffee}_barriers": "She moved on.",
        "revisit_think": False,
        "revisit_opportunities": False,
        "actions": [{"what": "Find a new mentor in platform", "due": "+6 weeks"}],
        "followup": "+3 months",
    }


# --------------------------------------------------------------------------- the outcome


def test_checkin_closes_drops_and_carries_over_each_action_once(
    sam: dict[str, str], tmp_path: Path
) -> None:
    result = cli(
        "checkin", "Sam", "--answers", checkin_file(tmp_path, review_answers(sam)), "--no-input"
    )
    assert result.exit_code == 0, result.output
    assert "Reviewed 3 actions: 1 done, 1 carried over, 1 dropped." in result.stdout

    found = actions()
    review = found[sam["Run the weekly incident review"]]
    assert review["status"] == "done"
    assert review["notes"][-1]["text"] == "Ran two reviews."
    coffee = found[sam["Coffee with Priya"]]
    assert coffee["status"] == "dropped"
    old = found[sam["Draft the Q2 migration plan"]]
    assert old["status"] == "carried"
    copy = next(a for a in found.values() if a["carried_from"] == old["id"])
    assert old["notes"][-1]["text"] == (
        f"Carried over to action {copy['id']} (check-in {copy['session']}).\n"
        "Half drafted.\nBarriers: On-call week."
    )
    assert (copy["status"], copy["due"], copy["what"]) == (
        "open",
        "2026-03-31",
        "Draft the Q2 migration plan",
    )
    assert copy["success"] == old["success"]
    assert copy["support"] == "Protected time on Fridays"
    assert copy["notes"][0]["text"].startswith(f"Carried over from action {old['id']}.")

    # each piece of work is open exactly once
    open_whats = [a["what"] for a in found.values() if a["status"] == "open"]
    assert sorted(open_whats) == ["Draft the Q2 migration plan", "Find a new mentor in platform"]

    # the check-in is a linked conversation with the updated plan and follow-up
    sessions = json.loads(cli("sessions", "list", "--json").stdout)
    first, check = sessions
    assert check["kind"] == "checkin"
    assert check["followup"] == "2026-06-02"
    shown = json.loads(cli("sessions", "show", check["id"], "--json").stdout)
    assert shown["previous_id"] == first["id"]
    assert shown["framework"]["id"] == "checkin"
    plan = json.loads(cli("plan", "show", check["id"], "--json").stdout)
    assert [a["what"] for a in plan["actions"]] == [
        "Find a new mentor in platform",
        "Draft the Q2 migration plan",
    ]
    # exportable like any conversation, carried-over action included
    markdown = cli("plan", "export", check["id"], "--md")
    assert markdown.exit_code == 0, markdown.output
    assert "Draft the Q2 migration plan" in markdown.stdout
    exported = json.loads(cli("plan", "export", check["id"], "--json").stdout)
    assert [a["carried_from"] for a in exported["answers"]["actions"]] == [None, old["id"]]

    person = json.loads(cli("people", "list", "--json").stdout)[0]
    assert person["next"]["date"] == "2026-06-02"
    assert (person["open_actions"], person["overdue_actions"]) == (2, 0)
    assert cli("followup", "-q").exit_code == 0


def test_applying_the_outcome_again_changes_nothing(sam: dict[str, str], tmp_path: Path) -> None:
    cli("checkin", "Sam", "--answers", checkin_file(tmp_path, review_answers(sam)), "--no-input")
    before = actions()
    store = Store()
    check = store.latest_session_row()["id"]
    outcome = apply_outcome(store, check)
    assert (outcome.done, outcome.dropped, outcome.carried) == ((), (), ())
    assert actions() == before


def test_the_outcome_is_all_or_nothing(
    sam: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # every answer but the follow-up date: the check-in is paused before its end
    answers = review_answers(sam)
    del answers["followup"]
    result = run_cli(["checkin", "Sam", "--answers", checkin_file(tmp_path, answers)], Keys.CTRL_C)
    assert result.exit_code == 130
    before = actions()
    store = Store()
    check = store.latest_session_row()["id"]

    calls = {"n": 0}
    real = Store.set_action_status

    def fail_on_second(self: Store, *args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "set_action_status", fail_on_second)
    with pytest.raises(RuntimeError):
        apply_outcome(store, check)
    assert actions() == before
    assert all(a["status"] == "open" for a in before.values())


def test_an_action_closed_while_the_checkin_was_paused_keeps_its_status(
    sam: dict[str, str], tmp_path: Path
) -> None:
    answers = review_answers(sam)
    del answers["followup"]
    run_cli(["checkin", "Sam", "--answers", checkin_file(tmp_path, answers)], Keys.CTRL_C)
    plan = sam["Draft the Q2 migration plan"]
    assert cli("actions", "drop", plan, "--note", "Decided elsewhere").exit_code == 0
    check = Store().latest_session_row()["id"]
    result = run_cli(["resume", check], Keys.ENTER)  # accept the follow-up default
    assert result.exit_code == 0, result.output
    found = actions()
    assert found[plan]["status"] == "dropped"
    assert not [a for a in found.values() if a["carried_from"] == plan]


def test_barriers_are_asked_only_for_what_continues_or_stops_worded_by_due_date(
    sam: dict[str, str],
) -> None:
    store = Store()
    basis = checkin_basis(store, store.find_person("sam"))
    framework = build_checkin_framework(basis, date(2026, 3, 2))
    plan, coffee = sam["Draft the Q2 migration plan"], sam["Coffee with Priya"]
    # due 2026-03-10: not due yet, so nothing has "got in the way" of it
    assert framework.question(f"a_{plan}_barriers").prompt == (
        'Anything in the way of "Draft the Q2 migration plan" so far?'
    )
    # due 2026-01-20: overdue
    assert framework.question(f"a_{coffee}_barriers").prompt == (
        'What got in the way of "Coffee with Priya"?'
    )
    # on its due day it is due
    on_the_day = build_checkin_framework(basis, date(2026, 3, 10))
    assert on_the_day.question(f"a_{plan}_barriers").prompt.startswith("What got in the way")
    # whatever the due date, Done asks no barriers; Carry over and Drop do
    barriers = framework.question(f"a_{plan}_barriers")
    assert not barriers.when.holds({f"a_{plan}_status": "Done"})
    assert barriers.when.holds({f"a_{plan}_status": "Carry over"})
    assert barriers.when.holds({f"a_{plan}_status": "Drop"})


def test_a_checkin_with_one_open_action_speaks_in_the_singular(
    sam: dict[str, str], tmp_path: Path
) -> None:
    for what in ("Run the weekly incident review", "Coffee with Priya"):
        assert cli("actions", "done", sam[what]).exit_code == 0
    plan = sam["Draft the Q2 migration plan"]
    store = Store()
    review = build_checkin_framework(
        checkin_basis(store, store.find_person("sam")), date(2026, 3, 2)
    ).stages[0]
    assert ": 1 open action." in review.purpose
    path = checkin_file(
        tmp_path,
        {
            f"a_{plan}_progress": "Done.",
            f"a_{plan}_status": "Done",
            "revisit_think": False,
            "revisit_opportunities": False,
        },
    )
    result = cli("checkin", "Sam", "--answers", path, "--no-input")
    assert result.exit_code == 0, result.output
    assert "Reviewed 1 action: 1 done, 0 carried over, 0 dropped." in result.stdout


# --------------------------------------------------------------------------- in a terminal


def keys_for_review() -> list[str]:
    return [
        block("Busy month, good progress."),  # since_last
        block("Ran two reviews."),  # incident review: progress
        Keys.ENTER,  # Done
        block("Half drafted."),  # migration plan: progress
        Keys.DOWN + Keys.ENTER,  # Carry over
        block("On-call week."),  # barriers (not due yet: "anything in the way so far?")
        line(""),  # support (optional)
        Keys.ENTER,  # new due date: keeps 2026-03-10, still ahead
        block("Priya left."),  # coffee: progress
        Keys.DOWN + Keys.DOWN + Keys.ENTER,  # Drop
        Keys.ESC_ENTER,  # barriers: none
    ]


def test_checkin_in_a_terminal(sam: dict[str, str]) -> None:
    keys = [
        *keys_for_review(),
        "n",  # revisit Think?
        "n",  # revisit Opportunities?
        line("Find a new mentor"),
        line("+6 weeks"),
        line(""),
        line(""),
        line(""),  # no more actions
        Keys.ENTER,  # follow-up: three months from today
    ]
    result = run_cli(["checkin", "sam lee"], keys)
    assert result.exit_code == 0, result.output
    assert "3 open actions to review" in result.stdout
    assert "Summary" in result.stdout
    found = actions()
    plan = sam["Draft the Q2 migration plan"]
    copy = next(a for a in found.values() if a["carried_from"] == plan)
    assert copy["due"] == "2026-03-10"
    assert found[sam["Run the weekly incident review"]]["status"] == "done"
    assert found[sam["Coffee with Priya"]]["status"] == "dropped"
    assert json.loads(cli("sessions", "list", "--json").stdout)[-1]["followup"] == "2026-06-02"


def test_a_paused_checkin_is_finished_by_resume(sam: dict[str, str]) -> None:
    paused = run_cli(["checkin", "Sam"], [*keys_for_review()[:5], Keys.CTRL_C])
    assert paused.exit_code == 130
    assert "topcli resume" in paused.output
    check = Store().latest_session_row()
    assert (check["kind"], check["status"]) == ("checkin", "in_progress")
    # nothing is applied before the end
    assert all(a["status"] == "open" for a in actions().values())
    # a second check-in is refused while this one is unfinished
    again = cli("checkin", "Sam")
    assert again.exit_code == 2
    assert f"topcli resume {check['id']}" in again.output

    rest = [*keys_for_review()[5:], "n", "n", line(""), Keys.ENTER]
    resumed = run_cli(["resume", check["id"]], rest)
    assert resumed.exit_code == 0, resumed.output
    found = actions()
    assert found[sam["Run the weekly incident review"]]["status"] == "done"
    assert found[sam["Draft the Q2 migration plan"]]["status"] == "carried"
    assert found[sam["Coffee with Priya"]]["status"] == "dropped"


# --------------------------------------------------------------------------- revisiting Think


def test_revisit_starts_from_the_latest_answers(sam: dict[str, str], tmp_path: Path) -> None:
    answers = review_answers(sam)
    answers.update(
        {
            "revisit_think": True,
            "think_core_values": "Learning, autonomy and mentoring others.",
            "think_career_direction": "Explore something new; I am not sure yet",
            "think_uncertainty": "Talking to people in other teams.",
        }
    )
    path = checkin_file(tmp_path, answers)
    assert cli("checkin", "Sam", "--answers", path, "--no-input").exit_code == 0
    check = json.loads(cli("sessions", "list", "--json").stdout)[-1]
    stored = json.loads(cli("sessions", "show", check["id"], "--json").stdout)["answers"]
    # unanswered copies take the previous answer
    assert stored["think_strengths"] == "Debugging, calm under pressure."
    assert stored["think_core_values"] == "Learning, autonomy and mentoring others."
    # a condition inside the stage still works on the copies
    assert stored["think_uncertainty"] == "Talking to people in other teams."
    assert "opportunities_stretch_ideas" not in stored


def test_the_next_checkin_starts_from_the_revisited_answers(
    sam: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = review_answers(sam)
    answers.update({"revisit_think": True, "think_core_values": "Mentoring others."})
    cli("checkin", "Sam", "--answers", checkin_file(tmp_path, answers), "--no-input")
    store = Store()
    basis = checkin_basis(store, store.find_person("sam"))
    framework = build_checkin_framework(basis, date(2026, 4, 1))
    assert framework.question("think_core_values").default == "Mentoring others."
    assert framework.question("think_strengths").default == "Debugging, calm under pressure."
    # the carried-over copy is the one reviewed next time
    copy = next(a for a in actions().values() if a["carried_from"])
    assert f"a_{copy['id']}_status" in framework.question_ids()
    assert basis.previous.kind == "checkin"
    # the stored snapshot reloads as it was built
    assert framework_from_data(framework.to_dict()) == framework


# --------------------------------------------------------------------------- refusals


def test_checkin_with_no_earlier_conversation_offers_start() -> None:
    result = cli("checkin", "Zed")
    assert result.exit_code == 4
    assert "there is no earlier conversation with 'Zed' to check in on" in result.output
    assert "topcli start --person Zed" in result.output


def test_checkin_offer_declined_in_a_terminal(sam: dict[str, str]) -> None:
    result = run_cli(["checkin", "Zed"], "n")
    assert result.exit_code == 4
    assert "no earlier conversation with 'Zed'" in result.output
    assert len(json.loads(cli("sessions", "list", "--json").stdout)) == 1


def test_checkin_offer_accepted_starts_a_first_conversation(sam: dict[str, str]) -> None:
    result = run_cli(["checkin", "Zed"], ["y", Keys.CTRL_C])
    assert result.exit_code == 130  # paused at the first question of a new conversation
    sessions = json.loads(cli("sessions", "list", "--json").stdout)
    assert sessions[-1]["person"]["name"] == "Zed"
    assert sessions[-1]["kind"] == "conversation"


def test_checkin_after_an_unfinished_conversation_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run_cli(["start", "--person", "Kai"], Keys.CTRL_C)
    result = cli("checkin", "Kai")
    assert result.exit_code == 2
    assert "is not finished" in result.output
    assert "topcli resume" in result.output


def test_checkin_answers_file_errors(sam: dict[str, str], tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"framework": "top", "answers": {}}))
    result = cli("checkin", "Sam", "--answers", str(wrong), "--no-input")
    assert result.exit_code == 2
    assert "framework 'top' is not a check-in" in result.output

    missing = cli("checkin", "Sam", "--no-input")
    assert missing.exit_code == 2
    assert f"a_{sam['Coffee with Priya']}_status" in missing.output

    bad = review_answers(sam)
    bad[f"a_{sam['Coffee with Priya']}_status"] = "Maybe"
    result = cli("checkin", "Sam", "--answers", checkin_file(tmp_path, bad), "--no-input")
    assert result.exit_code == 2
    assert "'Maybe' is not a choice" in result.output
    # nothing was created by the refusals
    assert len(json.loads(cli("sessions", "list", "--json").stdout)) == 1


def test_checkin_with_no_open_actions_still_reviews_and_plans(
    sam: dict[str, str], tmp_path: Path
) -> None:
    for action_id in sam.values():
        cli("actions", "done", action_id)
    path = checkin_file(
        tmp_path,
        {"since_last": "All done!", "revisit_think": False, "revisit_opportunities": False},
    )
    result = cli("checkin", "Sam", "--answers", path, "--no-input")
    assert result.exit_code == 0, result.output
    assert "No actions in this plan." in result.stdout
    assert "Follow-up conversation: Tue 2026-06-02" in result.stdout
