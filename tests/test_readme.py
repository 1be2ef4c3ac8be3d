"""The README and the shipped examples stay true: their commands and files work as written."""

from __future__ import annotations

import json
import re
from pathlib import Path

from helpers import run_cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_example_answers_file_completes_a_conversation_without_a_terminal() -> None:
    result = run_cli(["start", "--answers", str(ROOT / "docs/examples/sam-lee.yaml"), "--no-input"])
    assert result.exit_code == 0, result.output
    listing = json.loads(run_cli(["sessions", "list", "--json"]).output)
    assert [(s["person"]["name"], s["status"]) for s in listing] == [("Sam Lee", "complete")]
    # TOPCLI_NOW is 2026-03-02 in the tests: "+3 months" is resolved against it
    assert listing[0]["followup"] == "2026-06-02"


def test_readme_answers_snippet_is_valid_for_the_top_framework(tmp_path: Path) -> None:
    snippet = re.search(r"```yaml\n(person: Sam Lee.*?)```", README, re.S)
    assert snippet, "the README's answers-file example is missing"
    path = tmp_path / "sam.yaml"
    path.write_text(snippet.group(1), encoding="utf-8")
    # a shortened file: every value it has is valid, and what is missing is listed (exit 2)
    result = run_cli(["start", "--answers", str(path), "--no-input"])
    assert result.exit_code == 2, result.output
    assert "required questions have no answer" in result.output
    assert "core_values" not in result.output


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- ci:test -->" in README and "ci:test" in ci
    command = re.search(r"<!-- ci:test -->\n```bash\n(.+?)\n```", README, re.S)
    assert command and "pip install -e '.[test]'" in command.group(1)
    assert "pytest" in command.group(1)
