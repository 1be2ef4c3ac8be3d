"""A check-in in a real pseudo-terminal: the installed topcli under pexpect, keys as typed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from helpers import terminal_env, topcli_executable

pexpect = pytest.importorskip("pexpect")

DATA = Path(__file__).parent / "data" / "followthrough"
ENTER, ESC_ENTER, DOWN = "\r", "\x1b\r", "\x1b[B"


def run(home: Path, now: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [topcli_executable(), *args],
        env=terminal_env(home, now),
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )


@pytest.mark.e2e
def test_checkin_walks_the_open_actions_and_leaves_an_updated_plan(tmp_path: Path) -> None:
    home = tmp_path / "home"
    seeded = run(
        home,
        "2026-01-05T10:00:00+00:00",
        "start",
        "--answers",
        str(DATA / "sam-first.yaml"),
        "--no-input",
    )
    assert seeded.returncode == 0, seeded.stderr
    now = "2026-03-02T09:00:00+00:00"
    ids = {
        a["what"]: a["id"] for a in json.loads(run(home, now, "actions", "list", "--json").stdout)
    }

    child = pexpect.spawn(
        topcli_executable(),
        ["checkin", "Sam"],
        env=terminal_env(home, now),
        encoding="utf-8",
        dimensions=(50, 200),
        timeout=8,
    )
    try:

        def answer(expected: str, keys: str) -> None:
            child.expect_exact(expected)
            child.send(keys)

        child.expect_exact("3 open actions to review")
        answer("since we last spoke on 2026-01-05", "A busy month." + ESC_ENTER)
        # 1. the incident review: done
        answer('"Run the weekly incident review" (due 2026-02-20)', "Ran two." + ESC_ENTER)
        answer('What happens to "Run the weekly incident review" now?', ENTER)
        # 2. the migration plan: carried over with a new due date
        answer('"Draft the Q2 migration plan" (due 2026-03-10)', "Half done." + ESC_ENTER)
        answer('What happens to "Draft the Q2 migration plan" now?', DOWN + ENTER)
        # due 2026-03-10, so not due yet: nothing has "got in the way" of it
        answer(
            'Anything in the way of "Draft the Q2 migration plan" so far?', "On-call." + ESC_ENTER
        )
        answer("What support is needed", "Fridays free" + ENTER)
        child.expect_exact("By when now")
        child.send("\x7f" * 10 + "2026-03-31" + ENTER)
        # 3. the coffee: dropped
        answer('"Coffee with Priya" (due 2026-01-20)', "Priya left." + ESC_ENTER)
        answer('What happens to "Coffee with Priya" now?', DOWN + DOWN + ENTER)
        answer('What got in the way of "Coffee with Priya"?', ESC_ENTER)
        # revisit Think (keep every answer but one), skip Opportunities
        answer("Revisit Think?", "y")
        answer("proudest of", ESC_ENTER)
        answer("gives you energy", ESC_ENTER)
        answer("What matters most", " Mentoring too." + ESC_ENTER)
        for prompt in ("strengths do others", "skills or qualities", "Imagine yourself"):
            answer(prompt, ESC_ENTER)
        answer("where you are leaning", ENTER)
        answer("successful career", ENTER)
        answer("Your own notes on the Think stage", ESC_ENTER)  # TOP's optional private note
        answer("Revisit Opportunities?", "n")
        # the updated plan
        answer("Action 1: what will be done?", "Find a new mentor" + ENTER)
        answer("Action 1: by when?", "+6 weeks" + ENTER)
        answer("how will we know it worked?", ENTER)
        answer("what support is needed?", ENTER)
        answer("Action 2: what will be done?", ENTER)
        answer("When shall we meet again", ENTER)
        child.expect_exact("Reviewed 3 actions: 1 done, 1 carried over, 1 dropped.")
        child.expect_exact("Summary")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before

    found = json.loads(run(home, now, "actions", "list", "--all", "--json").stdout)
    by_id = {a["id"]: a for a in found}
    assert by_id[ids["Run the weekly incident review"]]["status"] == "done"
    assert by_id[ids["Coffee with Priya"]]["status"] == "dropped"
    assert by_id[ids["Draft the Q2 migration plan"]]["status"] == "carried"
    copy = next(a for a in found if a["carried_from"] == ids["Draft the Q2 migration plan"])
    assert (copy["status"], copy["due"], copy["support"]) == ("open", "2026-03-31", "Fridays free")
    assert sorted(a["what"] for a in found if a["status"] == "open") == [
        "Draft the Q2 migration plan",
        "Find a new mentor",
    ]

    sessions = json.loads(run(home, now, "sessions", "list", "--json").stdout)
    assert [s["kind"] for s in sessions] == ["conversation", "checkin"]
    assert sessions[-1]["followup"] == "2026-06-02"
    followup = run(home, now, "followup", "--json")
    assert followup.returncode == 0  # nothing overdue any more
    assert json.loads(followup.stdout)["overdue"] == 0

    history = json.loads(run(home, now, "history", "Sam", "--json").stdout)
    values = {q["question"]: q["answers"] for q in history["think"]}
    assert values["core_values"][-1]["value"] == "Learning and autonomy. Mentoring too."
    assert values["strengths"][-1]["changed"] is False
