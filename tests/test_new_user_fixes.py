"""Fixes from a new user's walkthrough: the right key to keep a prepared answer, a
near-duplicate person caught before missing answers, the delete confirmation's Ctrl-C."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from helpers import Keys, cli, line, run_cli, seed
from prep_support import CHAT, sheet, stored
from topcli.prompt_keys import keep_key
from topcli.store import Store


def test_keep_key_per_question_type() -> None:
    assert keep_key("long_text") == "Esc then Enter"
    for kind in ("text", "select", "multiselect", "confirm", "date", "number"):
        assert keep_key(kind) == "Enter"


def long_chat(tmp_path: Path) -> Path:
    """:data:`CHAT` with its first question a multi-line one."""
    data = copy.deepcopy(CHAT)
    data["stages"][0]["questions"][0]["type"] = "long_text"
    path = tmp_path / "long-chat.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_a_prepared_multi_line_answer_says_esc_then_enter_keeps_it(tmp_path: Path) -> None:
    chat = long_chat(tmp_path)
    prep = sheet(tmp_path, chat, mood="Tired but hopeful", direction="Grow")
    keys = [
        Keys.ESC_ENTER,  # mood (several lines): kept with Esc then Enter
        Keys.ENTER,  # direction: kept with Enter
        "y",
        line("7"),
        line("Ask for the project"),
        Keys.ENTER,
    ]
    result = run_cli(["start", "-f", str(chat), "--prep", str(prep)], keys)
    assert result.exit_code == 0, result.output
    out = result.stdout
    # each key said once, at the first prepared question it applies to, in that order
    assert out.count("Esc then Enter keeps it; change it as you like.") == 1
    plain_enter = re.findall(r"^\s*Enter keeps it; change it as you like\.$", out, re.M)
    assert len(plain_enter) == 1
    assert out.index("Esc then Enter keeps it") < out.index("Prepared by Sam Lee: Grow")
    assert out.index("Prepared by Sam Lee: Grow") < out.index(plain_enter[0])
    assert dict(stored().answer_sources) == {"mood": "prep", "direction": "prep"}


# --------------------------------------------------------------------------- near person first


def test_a_near_name_without_a_terminal_is_refused_before_missing_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed(monkeypatch, "sam-first.yaml")
    result = cli("start", "--person", "Sam", "--no-input")
    assert result.exit_code == 2, result.output
    assert "is close to someone who is: Sam Lee (id sam-lee)" in result.stderr
    assert "required questions have no answer" not in result.stderr
    assert len(Store().session_rows()) == 1
    # --new-person insists on someone new: then the missing answers are what is left to fix
    insisted = cli("start", "--person", "Sam", "--new-person", "--no-input")
    assert insisted.exit_code != 0 and "have no answer" in insisted.stderr
    # the exact name is the stored person: the missing answers are reported as before
    exact = cli("start", "--person", "sam lee", "--no-input")
    assert exact.exit_code != 0 and "have no answer" in exact.stderr


def test_without_a_store_the_missing_answers_are_reported_and_no_folder_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "nobody-yet"
    monkeypatch.setenv("TOPCLI_HOME", str(home))
    result = cli("start", "--person", "Sam", "--no-input")
    assert result.exit_code != 0 and "have no answer" in result.stderr
    assert not home.exists()


# --------------------------------------------------------------------------- what Ctrl-C does


def test_ctrl_c_pauses_a_conversation_and_cancels_anything_else() -> None:
    from topcli.prompt_keys import ctrl_c_does, taking_notes

    assert ctrl_c_does() == "Ctrl-C cancels"
    with taking_notes():  # the session runner asks
        assert ctrl_c_does() == "Ctrl-C pauses"
    assert ctrl_c_does() == "Ctrl-C cancels"


@pytest.mark.e2e
def test_esc_on_the_delete_confirmation_says_ctrl_c_cancels(home: Path) -> None:
    import subprocess

    from conftest import FIXED_NOW
    from helpers import FOLLOWTHROUGH_DATA, Terminal, terminal_env, topcli_executable

    env = terminal_env(home, FIXED_NOW)
    seeded = subprocess.run(
        [topcli_executable(), "start", "-a", str(FOLLOWTHROUGH_DATA / "sam-first.yaml")],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    assert seeded.returncode == 0, seeded.stderr
    term = Terminal(["people", "delete", "Sam Lee"], env)
    term.expect("Delete Sam Lee (id sam-lee)")
    term.keys(Keys.ESC_ENTER)
    term.expect("Esc does not answer this: press y or n, or Enter for the default; Ctrl-C cancels")
    term.keys("n")
    term.expect("Nothing deleted.")
    assert term.finish() == 0
    assert "Ctrl-C pauses" not in term.output()
