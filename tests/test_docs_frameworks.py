"""docs/frameworks.md stays true: its complete example and its answers files work as written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import run_cli

DOC = (Path(__file__).resolve().parents[1] / "docs" / "frameworks.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC, re.S)


def example_framework() -> str:
    (framework,) = [b for b in blocks("yaml") if b.startswith("id: quarterly-checkin")]
    return framework


@pytest.mark.parametrize("language", ["yaml", "json"])
def test_the_answers_file_example_completes_the_example_framework(
    tmp_path: Path, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "prepared"
    folder.mkdir()
    (folder / "my-checkin.yaml").write_text(example_framework(), encoding="utf-8")
    if language == "yaml":
        (answers,) = [b for b in blocks("yaml") if b.startswith("person: Sam Rivera")]
    else:
        (answers,) = [b for b in blocks("json") if '"person": "Sam Rivera"' in b]
        json.loads(answers)
    path = folder / f"sam.{language}"
    path.write_text(answers, encoding="utf-8")
    # run from elsewhere: the framework path in the file is relative to the file
    monkeypatch.chdir(tmp_path)
    result = run_cli(["start", "--answers", str(path), "--no-input"])
    assert result.exit_code == 0, result.output
    listed = json.loads(run_cli(["sessions", "list", "--json"]).output)
    assert [(s["person"]["name"], s["framework"]["id"], s["status"]) for s in listed] == [
        ("Sam Rivera", "quarterly-checkin", "complete")
    ]


def test_the_complete_example_validates(tmp_path: Path) -> None:
    path = tmp_path / "my-checkin.yaml"
    path.write_text(example_framework(), encoding="utf-8")
    result = run_cli(["frameworks", "validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "ok" in result.output
