"""Fixes from a new user's walkthrough: the right key to keep a prepared answer, a
near-duplicate person caught before missing answers, the delete confirmation's Ctrl-C."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import yaml

from helpers import Keys, line, run_cli
from prep_support import CHAT, sheet, stored
from topcli.prompt_keys import keep_key


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
