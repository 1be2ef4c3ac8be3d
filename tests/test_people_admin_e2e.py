"""The near-duplicate question and the delete confirmation in a real pseudo-terminal."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import FIXED_NOW
from helpers import FOLLOWTHROUGH_DATA, Keys, Terminal, terminal_env, topcli_executable

pytestmark = pytest.mark.e2e


@pytest.fixture
def env(home: Path) -> dict[str, str]:
    environment = terminal_env(home, FIXED_NOW)
    seeded = subprocess.run(
        [topcli_executable(), "start", "-a", str(FOLLOWTHROUGH_DATA / "sam-first.yaml")],
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    assert seeded.returncode == 0, seeded.stderr
    return environment


def test_a_typed_near_name_is_asked_about_then_ctrl_c_at_delete_keeps_everything(
    env: dict[str, str],
) -> None:
    term = Terminal(["start"], env)
    term.answer("Who is this conversation with?", "Sam")
    term.expect("Did you mean Sam Lee?")
    term.expect("a new person named Sam")
    term.keys(Keys.ENTER)  # the first answer: use Sam Lee
    term.expect("with Sam Lee (TOP")
    term.keys(Keys.CTRL_C)
    assert term.finish() == 130

    term = Terminal(["people", "delete", "Sam"], env)
    term.expect("Delete Sam Lee (id sam-lee) with 2 conversations and 3 actions")
    term.keys(Keys.CTRL_C)
    term.expect("nothing was deleted")
    assert term.finish() == 130

    listing = subprocess.run(
        [topcli_executable(), "people", "list"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    assert listing.stdout.count("sam-lee") == 1 and "\tsam\t" not in listing.stdout
