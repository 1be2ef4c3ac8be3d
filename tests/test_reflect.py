"""``topcli reflect``: the person prepares with topcli and sends the filled-in sheet."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Keys, cli, line, run_cli
from prep_support import stored, write_chat
from topcli.store import Store


@pytest.fixture
def chat(tmp_path: Path) -> Path:
    return write_chat(tmp_path)


# --------------------------------------------------------------------------- reflect


@pytest.mark.parametrize("suffix", ["md", "yaml"])
def test_reflect_writes_a_sheet_that_start_reads_back(
    tmp_path: Path, chat: Path, suffix: str
) -> None:
    from helpers import file_mode

    out = tmp_path / f"my-prep.{suffix}"
    keys = [line("Busy, learning a lot"), Keys.DOWN + Keys.ENTER, "n", line("8")]
    args = ["reflect", "-f", str(chat), "--name", "Sam Lee", "-o", str(out)]
    result = run_cli(args, keys)
    assert result.exit_code == 0, result.output
    assert file_mode(out) == 0o600
    assert "Wrote" in result.stderr
    mine = stored()
    assert mine.kind == "reflection" and mine.person_name == "Sam Lee"
    assert [s.id for s in mine.framework.stages] == ["think"]  # the preparation stages only
    prepared = {"mood": "Busy, learning a lot", "direction": "Grow", "ready": False, "score": 8}
    assert dict(mine.answers) == prepared
    # the manager's side: the sheet is what the conversation starts from
    answers = tmp_path / "answers.yaml"
    answers.write_text("answers:\n  first: Ask\n", encoding="utf-8")
    started = cli("start", "-f", str(chat), "--prep", str(out), "-a", str(answers), "--no-input")
    assert started.exit_code == 0, started.output
    held = stored()
    assert held.kind == "conversation" and held.person_name == "Sam Lee"
    assert {k: held.answers[k] for k in prepared} == prepared
    assert {k: held.answer_sources[k] for k in prepared} == dict.fromkeys(prepared, "prep")


def test_reflect_without_a_name_or_a_terminal_says_how(chat: Path) -> None:
    result = cli("reflect", "-f", str(chat))
    assert result.exit_code == 2
    assert "topcli config set leader" in result.stderr
    assert not Store().conversation_summaries()


def test_reflect_asks_the_name_and_writes_a_paused_one_later(tmp_path: Path, chat: Path) -> None:
    result = run_cli(["reflect", "-f", str(chat)], [line("Sam Lee"), line("Fine"), Keys.CTRL_C])
    assert result.exit_code != 0
    assert "topcli resume" in result.stderr
    paused = stored()
    assert paused.person_name == "Sam Lee" and dict(paused.answers) == {"mood": "Fine"}
    sheet_text = cli("reflect", "--from", paused.id).stdout
    assert "**For:** Sam Lee" in sheet_text
    assert "{#mood}\n\n*A line or two.*\n\nFine\n" in sheet_text
    assert cli("reflect", "--from", "nope").exit_code != 0


@pytest.mark.parametrize("fmt", ["md", "yaml"])
def test_a_filled_sheet_for_top_reads_back_as_written(fmt: str) -> None:
    """Every question type on TOP's sheet, multi-line text included, survives the round trip."""
    from prep_support import SAM_ANSWERS
    from topcli.catalog import resolve_framework
    from topcli.prep import write_prep
    from topcli.prep_read import read_prep

    top = resolve_framework("top")
    text = write_prep(top, "Sam Lee", fmt=fmt, answers=SAM_ANSWERS)
    prep = read_prep(text, framework=top, person="Sam Lee")
    assert prep.answers == SAM_ANSWERS
    assert not prep.problems and not prep.unmatched and not prep.unparsed


def test_reflect_from_a_conversation_that_is_no_reflection_is_refused(
    tmp_path: Path, chat: Path
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "person: Sam\nanswers:\n  mood: ok\n  direction: Stay\n  ready: yes\n  score: 3\n"
        "  first: Ask\n",
        encoding="utf-8",
    )
    assert cli("start", "-f", str(chat), "-a", str(answers), "--no-input").exit_code == 0
    result = cli("reflect", "--from", stored().id)
    assert result.exit_code == 2
    assert "not a reflection" in result.stderr
