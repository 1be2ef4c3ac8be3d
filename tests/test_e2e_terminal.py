"""The installed topcli in a real pseudo-terminal (pexpect), typed at as a person would.

Each run waits for a question before answering it, with a short timeout, so a prompt that
never appears fails fast instead of hanging the suite.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXED_NOW
from helpers import Keys, Terminal, terminal_env

pytestmark = pytest.mark.e2e

TOPCLI = Path(sys.executable).parent / "topcli"
#: "Conversation <id>", the id in bold: its group is the id.
ID = r"Conversation (?:\x1b\[[0-9;]*m)*([0-9a-f]{8})(?:\x1b\[[0-9;]*m)*"


@pytest.fixture
def env(home: Path) -> dict[str, str]:
    return terminal_env(home, FIXED_NOW)


def topcli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run topcli without a terminal (stdin closed), as a script would."""
    return subprocess.run(
        [str(TOPCLI), *args],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=30,
        check=False,
    )


def stored(env: dict[str, str], session_id: str) -> dict[str, Any]:
    result = topcli(env, "sessions", "show", session_id, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def think_stage(term: Terminal) -> None:
    """The Think stage of TOP, answered 'Explore something new', so the follow-on is asked."""
    term.expect("Stage 1 of 3: Think")
    term.expect("Tips for you, the leader:")
    term.expect("Invite stories rather than a CV")  # the question's help
    term.answer_long(
        "which moments are you proudest of", "Shipping the v2 launch.\nMentoring two starters."
    )
    term.answer_long("What kind of work gives you energy", "Hard problems with the team.")
    term.answer_long("What matters most to you in your work", "Learning and autonomy.")
    term.answer_long("What strengths do others rely on you for", "Clear writing.")
    term.answer_long("Which skills or qualities", "Public speaking.")
    term.answer_long("Imagine yourself two or three years from now", "Leading a small team.")
    term.choose("Which of these best describes where you are leaning", downs=3)
    term.answer_long("What would help you become clearer", "Talking to other teams.")
    term.answer("How would you describe a successful career", "Growing every year")
    # TOP's optional private note for the leader, at the end of each stage
    term.answer_long("Your own notes on the Think stage", "Keen on speaking; ask again in May.")


def test_top_conversation_paused_with_ctrl_c_and_resumed(env: dict[str, str]) -> None:
    term = Terminal(["start"], env)
    term.answer("Who is this conversation with?", "Sam Lee")
    session_id = term.expect_re(ID + r" with Sam Lee")
    think_stage(term)

    term.expect("Stage 2 of 3: Opportunities")
    term.pick("Which kinds of opportunities interest you most?", [0, 6])  # Mentoring, Coaching
    term.answer_long("What could you take on in your current role", "Own the release.")
    # Ctrl-C in the middle of the next answer: what is half typed is lost, nothing else
    term.expect("Which piece of work, if you took it on")
    term.keys("Run the off", Keys.CTRL_C)
    term.expect("stopped: conversation with Sam Lee paused; 12 answers saved")
    term.expect(f"continue where you left off with: topcli resume {session_id}")
    assert term.finish() == 130

    paused = stored(env, session_id)
    assert paused["status"] == "in_progress"
    assert paused["answers"]["career_so_far"] == "Shipping the v2 launch.\nMentoring two starters."
    assert paused["answers"]["opportunity_types"] == ["Mentoring", "Coaching"]
    assert "stretch_ideas" not in paused["answers"]

    term = Terminal(["resume"], env)
    term.expect(f"Resuming conversation {session_id} with Sam Lee: 12 answers already saved.")
    term.expect("Stage 2 of 3: Opportunities")
    term.answer_long("Which piece of work, if you took it on", "Run the planning offsite.")
    term.answer_long("Who could you learn from", "Priya, for roadmaps.")  # Mentoring was picked
    term.answer_long("Which other teams, functions or roles", "Research.")
    term.answer_long("Who in our wider network", "Alex in sales.")
    term.answer("How do you learn best", "By doing")
    term.answer_long("What might hold you back", "")  # optional: left empty
    term.answer_long("Your own notes on the Opportunities stage", "")

    term.expect("Stage 3 of 3: Plan")
    term.answer_long("what feels most important to act on first", "Public speaking.")
    term.answer("What is one small step", "Sign up for a lightning talk")
    term.answer_long("What support would you like from me", "Review my slides.")
    term.answer_long("What could get in the way of this plan", "A busy quarter.")
    term.answer_long("How will we know, three months from now", "Two talks given.")
    term.choose("How often would you like us to check in", downs=1)  # from the default
    term.answer_long("Your own notes on the Plan stage", "")
    term.answer("Action 1: what will be done?", "Give a lightning talk")
    term.answer("Action 1: by when?", "someday")
    term.expect("'someday' is not a date")
    term.keys(Keys.CTRL_U, "+6 weeks", Keys.ENTER)
    term.answer("Action 1: how will we know it worked?", "Talk delivered")
    term.answer("Action 1: what support is needed?", "Slide review")
    term.expect("Action 1 added, due Mon 2026-04-13.")
    term.answer("Action 2: what will be done?", "")
    term.accept("When shall we meet again to review progress?")

    term.expect("Summary")
    term.expect("Give a lightning talk")
    term.expect("Follow-up conversation: Tue 2026-06-02")
    term.expect(f"topcli sessions show {session_id}")
    assert term.finish() == 0

    record = stored(env, session_id)
    assert record["status"] == "complete"
    assert record["person"]["name"] == "Sam Lee"
    answers = record["answers"]
    assert answers["career_direction"] == "Explore something new; I am not sure yet"
    assert answers["uncertainty"] == "Talking to other teams."
    assert answers["stretch_ideas"] == "Run the planning offsite."
    assert answers["mentor_profile"] == "Priya, for roadmaps."
    assert answers["opportunity_concerns"] is None
    assert answers["think_leader_notes"] == "Keen on speaking; ask again in May."
    assert answers["plan_leader_notes"] is None
    assert answers["checkin_rhythm"] == "Monthly"
    assert [(a["what"], a["due"], a["success"], a["support"]) for a in answers["actions"]] == [
        ("Give a lightning talk", "2026-04-13", "Talk delivered", "Slide review")
    ]
    assert answers["followup"] == record["followup"] == "2026-06-02"


def test_grow_conversation_with_a_confirm_and_its_follow_on(env: dict[str, str]) -> None:
    term = Terminal(["start", "--framework", "grow", "--person", "Kim Park"], env)
    term.expect("Stage 1 of 4: Goal")
    term.answer("What would you like to get out of our conversation today?", "A next step")
    term.answer_long("What goal are you working towards", "Lead a project.")
    term.answer_long("Why does this goal matter to you", "It is the next step.")
    term.answer_long("How will you know you have achieved it?", "I run the kick-off.")
    term.expect("Stage 2 of 4: Reality")
    term.answer_long("Where are you now in relation to this goal?", "Halfway.")
    term.answer("how close are you to your goal today?", "six")
    term.expect("'six' is not a number")
    term.keys(Keys.CTRL_U, "6", Keys.ENTER)
    term.answer_long("What have you tried so far", "Asked for a small piece.")
    term.answer_long("What is getting in the way", "Time.")
    term.expect("Stage 3 of 4: Options")
    term.answer_long("What options do you have", "Lead the migration.")
    term.answer_long("If there were no constraints at all", "Shadow a lead.")
    term.pick("What kinds of support could help you? (optional)", [])
    term.answer_long("Which option appeals to you most", "The migration.")
    term.expect("Stage 4 of 4: Way forward")
    term.answer_long("How committed are you", "Eight out of ten.")
    term.expect("Do you need anything from me to get started?")
    term.keys("y")
    term.answer_long("What exactly would you like me to do", "Introduce me to the sponsor.")
    term.answer("Action 1: what will be done?", "Draft the plan")
    term.answer("Action 1: by when?", "2026-03-20")
    term.answer("Action 1: how will we know it worked?", "Plan reviewed")
    term.answer("Action 1: what support is needed?", "")
    term.answer("Action 2: what will be done?", "")
    term.expect("When shall we meet to review progress?")
    term.keys(Keys.CTRL_U, "+2 months", Keys.ENTER)
    session_id = term.expect_re(ID + r" with Kim Park is saved")
    assert term.finish() == 0

    record = stored(env, session_id)
    assert record["framework"]["id"] == "grow"
    answers = record["answers"]
    assert answers["goal_progress"] == 6
    assert answers["support_types"] == []
    assert answers["needs_help"] is True
    assert answers["help_needed"] == "Introduce me to the sponsor."
    assert answers["followup"] == "2026-05-02"


def test_a_long_question_is_shown_whole_in_a_narrow_terminal(env: dict[str, str]) -> None:
    # prompt_toolkit drew an empty screen for a multi-line question wider than the terminal
    term = Terminal(["start", "--person", "Sam"], env, dimensions=(30, 60))
    term.expect("Looking back over your career so far, which moments are")
    term.expect("you proudest of, and why?")
    term.expect("(several lines; Esc then Enter to finish)")
    term.keys("Shipping v2.", Keys.ESC_ENTER)
    term.expect("What kind of work")
    term.keys(Keys.CTRL_D)  # end of input pauses as Ctrl-C does
    term.expect("paused (input ended); 1 answer saved")
    assert term.finish() == 130


def test_killed_mid_conversation_leaves_a_readable_database(env: dict[str, str], home: Path):
    term = Terminal(["start", "--person", "Sam"], env)
    session_id = term.expect_re(ID + r" with Sam")
    term.answer_long("which moments are you proudest of", "Shipping v2.")
    term.answer_long("What kind of work gives you energy", "Hard problems.")
    term.expect("What matters most to you in your work")
    term.keys("Half an ans")
    term.child.kill(signal.SIGKILL)
    term.child.close(force=True)

    record = stored(env, session_id)
    assert record["status"] == "in_progress"
    assert list(record["answers"]) == ["career_so_far", "energising_work"]
    with sqlite3.connect(home / "topcli.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    listing = topcli(env, "resume", session_id)
    assert listing.returncode == 2
    assert "core_values: What matters most" in listing.stderr
    assert "Traceback" not in listing.stderr


def test_without_a_terminal_start_refuses_at_once_and_creates_nothing(
    env: dict[str, str], home: Path
) -> None:
    result = topcli(env, "start", "--person", "Sam")  # stdin is /dev/null, not a terminal
    assert result.returncode == 2
    assert "error: 20 required questions have no answer:" in result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(topcli(env, "sessions", "list", "--json").stdout) == []


def test_going_back_twice_in_a_real_terminal_changes_an_answer(env: dict[str, str]) -> None:
    every_type = Path(__file__).resolve().parent / "data" / "core" / "every-type.yaml"
    term = Terminal(["start", "--framework", str(every_type), "--person", "Kim"], env)
    session_id = term.expect_re(ID + r" with Kim")
    term.expect("Keys: PageUp or Alt-Up (Esc then Up) goes back to the previous question")
    term.answer("What is your role today?", "Engineer")
    term.answer_long("Tell me about a good week.", "A good week.")
    # the habit from multi-line answers, on a list: the list stays and says which keys answer it
    term.expect("Where are you heading?")
    term.keys(Keys.ESC_ENTER)
    term.expect("Esc does not answer this: pick with Up/Down and Enter")
    term.keys(Keys.DOWN, Keys.ENTER)  # Grow -> Move: "Where would you move?" follows
    term.answer("Where would you move?", "Research")
    term.expect("What interests you?")
    term.keys("\x1b[5~")  # PageUp
    term.expect("Where would you move?")
    term.keys("\x1b[1;3A")  # Alt-Up, as xterm sends it
    term.expect("Where are you heading?")
    term.keys(Keys.UP, Keys.ENTER)  # Move -> Grow: the move is no longer asked about
    term.pick("What interests you?", [1])
    term.answer("How confident are you, 0 to 10?", "7")
    term.accept("When can you start?")
    term.accept("Would you like a mentor?")
    term.answer_long("Anything else?", "")
    term.answer("Action 1: what will be done?", "Give a talk")
    term.answer("Action 1: by when?", "2026-04-01")
    term.answer("Action 1: how will we know it worked?", "")
    term.answer("Action 1: what support is needed?", "")
    term.answer("Action 2: what will be done?", "")
    term.accept("When do we meet again?")
    term.expect(f"Conversation {session_id} with Kim is saved")
    assert term.finish() == 0

    answers = stored(env, session_id)["answers"]
    assert answers["direction"] == "Grow"
    assert "move_where" not in answers
    assert answers["interests"] == ["Course"]
    assert [a["what"] for a in answers["actions"]] == ["Give a talk"]


def test_the_editor_key_in_a_real_terminal(env: dict[str, str], tmp_path: Path) -> None:
    every_type = Path(__file__).resolve().parent / "data" / "core" / "every-type.yaml"
    editor = tmp_path / "fake-editor"
    editor.write_text(
        f"#!{sys.executable}\n"
        "import pathlib, sys\n"
        "path = pathlib.Path(sys.argv[1])\n"
        "path.write_text('Written in the editor.\\n' + path.read_text())\n"
    )
    editor.chmod(0o700)
    env = {k: v for k, v in env.items() if k not in ("VISUAL", "EDITOR")}
    term = Terminal(["start", "--framework", str(every_type), "--person", "Kim"], env)
    session_id = term.expect_re(ID + r" with Kim")
    term.answer("What is your role today?", "Engineer")
    term.expect("(Ctrl-X Ctrl-E: your editor; PageUp or Alt-Up: go back)")
    term.keys("Typed.", "\x18\x05")  # no editor set: said under the prompt, the text stays
    term.expect("no editor is set")
    term.keys(Keys.CTRL_C)
    assert term.finish() == 130

    term = Terminal(["resume", session_id], {**env, "EDITOR": str(editor)})
    term.expect("Tell me about a good week.")
    term.keys("Typed.", "\x18\x05")
    term.expect("Written in the editor.")
    term.keys(Keys.ESC_ENTER)
    term.expect("Where are you heading?")
    term.keys(Keys.CTRL_C)
    assert term.finish() == 130
    assert stored(env, session_id)["answers"]["story"] == "Written in the editor.\nTyped."


def test_the_note_key_in_a_real_terminal(env: dict[str, str]) -> None:
    every_type = Path(__file__).resolve().parent / "data" / "core" / "every-type.yaml"
    term = Terminal(["start", "--framework", str(every_type), "--person", "Kim"], env)
    session_id = term.expect_re(ID + r" with Kim")
    term.expect("Alt-N (Esc then n) adds a private note")
    term.expect("What is your role today?")
    term.keys("Eng", "\x1bn")  # Alt-N as a terminal sends it ("meta sends escape")
    term.answer_long("Private note (never in a shared export):", "Seemed tired.\nAsk later.")
    term.expect("Private note kept; back to the question.")
    term.expect("What is your role today?")  # asked again, with what was typed
    term.keys("ineer", Keys.ENTER)
    term.expect("Tell me about a good week.")
    term.expect("(Alt-N (Esc then n): a private note)")
    term.keys(Keys.CTRL_C)
    assert term.finish() == 130

    answers = stored(env, session_id)["answers"]
    assert answers["role"] == "Engineer"
    assert answers["first_private_notes"] == "Seemed tired.\nAsk later."
