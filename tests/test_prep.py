"""``topcli prep`` writes a preparation sheet for the person: goldens, choices, files, mistakes."""

from __future__ import annotations

import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from exports_support import check_golden
from helpers import run_cli
from prep_support import SAM_ANSWERS, fill_yaml, small_framework
from topcli.catalog import resolve_framework
from topcli.errors import UsageError
from topcli.framework import Framework, Question
from topcli.prep import choose_stages, default_stages, write_prep


def top() -> Framework:
    return resolve_framework("top")


@pytest.mark.parametrize("fmt, name", [("md", "top-sam-lee.md"), ("yaml", "top-sam-lee.yaml")])
def test_sheet_for_sam_lee_matches_golden(fmt: str, name: str) -> None:
    check_golden(f"prep/{name}", write_prep(top(), "Sam Lee", fmt=fmt))


@pytest.mark.parametrize("flag, name", [([], "top-sam-lee.md"), (["--yaml"], "top-sam-lee.yaml")])
def test_cli_prints_the_sheet(flag: list[str], name: str) -> None:
    result = run_cli(["prep", "Sam Lee", *flag])
    assert result.exit_code == 0, result.output
    check_golden(f"prep/{name}", result.stdout)


def test_default_stages_are_those_without_actions_or_followup() -> None:
    assert [s.id for s in default_stages(top())] == ["think", "opportunities"]
    assert [s.id for s in default_stages(small_framework())] == ["reflect"]


def test_sheet_speaks_to_the_person_not_the_leader() -> None:
    sheet = write_prep(top(), "Sam Lee")
    for stage in top().stages[:2]:
        for tip in stage.tips:
            assert tip not in sheet
    assert "Invite stories rather than a CV" not in sheet  # question help is for the leader
    small = write_prep(small_framework(), "Sam Lee")
    assert "LEADER" not in small
    assert "Think about where you are." in small


def test_plan_stage_on_request_leaves_out_actions_and_followup() -> None:
    framework = small_framework()
    sheet = write_prep(framework, "Sam Lee", choose_stages(framework, ["plan"]))
    assert "{#first}" in sheet
    assert "{#actions}" not in sheet and "{#followup}" not in sheet
    assert "{#mood}" not in sheet


def test_private_questions_are_left_out() -> None:
    # Question gains `private` in parallel work; a subclass stands in for it until then
    framework = small_framework()
    stage = framework.stages[0]
    secret = Question(id="leader_notes", prompt="Your private observations", private=True)
    framework = replace(framework, stages=(replace(stage, questions=(*stage.questions, secret)),))
    for fmt in ("md", "yaml"):
        sheet = write_prep(framework, "Sam Lee", fmt=fmt)
        assert "leader_notes" not in sheet and "private observations" not in sheet


def test_choices_conditions_and_bounds_are_shown() -> None:
    sheet = write_prep(small_framework(), "Sam Lee")
    assert "- [ ] Yes\n- [ ] No" in sheet
    assert "*Optional. Only if your answer to question 2 was no. Write your answer below.*" in sheet
    assert "A number from 1 to 10." in sheet
    yaml_sheet = write_prep(small_framework(), "Sam Lee", fmt="yaml")
    assert "# 5. Why not?" in yaml_sheet


def test_unknown_stage_is_refused_with_the_stage_list() -> None:
    result = run_cli(["prep", "Sam Lee", "--stage", "thinkk"])
    assert result.exit_code == 2
    assert "no stage 'thinkk'; did you mean 'think'?" in result.stderr
    assert "think, opportunities, plan" in result.stderr


def test_stage_without_preparable_questions_is_refused() -> None:
    framework = small_framework()
    plan = framework.stages[1]
    only_meeting = replace(plan, questions=plan.questions[1:])
    framework = replace(framework, stages=(framework.stages[0], only_meeting))
    with pytest.raises(UsageError, match="nothing to prepare"):
        choose_stages(framework, ["plan"])


def test_md_and_yaml_together_are_refused() -> None:
    result = run_cli(["prep", "Sam Lee", "--md", "--yaml"])
    assert result.exit_code == 2
    assert "--md and --yaml cannot be used together" in result.stderr


@pytest.mark.parametrize("name", ["", "Sam\nLee", "   ", "Sam\x1b]0;pwned\x07"])
def test_person_must_be_a_name_on_one_line(name: str) -> None:
    result = run_cli(["prep", name])
    assert result.exit_code == 2
    assert "is not a person's name" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_framework_is_a_clear_error() -> None:
    result = run_cli(["prep", "Sam Lee", "--framework", "gorw"])
    assert result.exit_code == 3
    assert "unknown framework 'gorw'; did you mean 'grow'?" in result.stderr


def test_output_file_is_owner_only_and_never_overwritten_without_force(tmp_path: Path) -> None:
    target = tmp_path / "sam.md"
    result = run_cli(["prep", "Sam Lee", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8") == write_prep(top(), "Sam Lee")
    assert "Wrote" in result.stderr and result.stdout == ""

    target.write_text("kept", encoding="utf-8")
    again = run_cli(["prep", "Sam Lee", "-o", str(target)])
    assert again.exit_code == 7
    assert "already exists" in again.stderr and "--force" in again.stderr
    assert target.read_text(encoding="utf-8") == "kept"

    forced = run_cli(["prep", "Sam Lee", "-o", str(target), "--force"])
    assert forced.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# Preparing")


def test_output_suffix_yaml_chooses_yaml(tmp_path: Path) -> None:
    target = tmp_path / "sam.yaml"
    assert run_cli(["prep", "Sam Lee", "-o", str(target)]).exit_code == 0
    assert target.read_text(encoding="utf-8") == write_prep(top(), "Sam Lee", fmt="yaml")
    markdown = tmp_path / "sam-md.yaml"
    assert run_cli(["prep", "Sam Lee", "--md", "-o", str(markdown)]).exit_code == 0
    assert markdown.read_text(encoding="utf-8").startswith("# Preparing")


def test_filled_yaml_sheet_is_a_valid_answers_file(tmp_path: Path) -> None:
    """The YAML sheet is the answers-file format: what the person wrote passes its checks."""
    from topcli import clock
    from topcli.answers_file import prepare_answers
    from topcli.loader import load_answers_file

    path = tmp_path / "sam.yaml"
    path.write_text(fill_yaml(write_prep(top(), "Sam Lee", fmt="yaml"), SAM_ANSWERS), "utf-8")
    given = load_answers_file(path)
    assert (given["person"], given["framework"]) == ("Sam Lee", "top")
    filled = {k: v for k, v in given["answers"].items() if v not in (None, "")}
    parsed, _ = prepare_answers([q for _, q in top().questions()], filled, clock.today(), "x")
    assert parsed == SAM_ANSWERS


def test_help_for_prep_loads_no_heavy_module() -> None:
    code = (
        "import sys\nfrom topcli.cli import app\n"
        "try:\n    app(['prep', '--help'], prog_name='topcli')\nexcept SystemExit:\n    pass\n"
        "print('HEAVY:' + ' '.join(m for m in ('questionary', 'prompt_toolkit', 'yaml') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY:"
