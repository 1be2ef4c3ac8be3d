"""Big inputs stay linear: a framework with many questions starts without one commit per answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import run_cli


def _framework(path: Path, questions: int) -> Path:
    """A framework of ``questions`` optional text questions over three stages."""
    lines = ["id: big", 'name: "Big"', 'version: "1.0"', "stages:"]
    for stage in range(3):
        lines += [f"  - id: s{stage}", f"    title: S{stage}", "    purpose: p", "    questions:"]
        for n in range(questions // 3):
            lines += [
                f"      - id: q{stage}_{n}",
                f'        prompt: "Question {n}?"',
                "        type: text",
                "        required: false",
            ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_defaulted_answers_are_saved_in_one_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from topcli.store import Store

    calls: list[int] = []
    save_answers = Store.save_answers

    def counting(self: Store, session_id: str, answers: object) -> None:
        answers = list(answers)  # type: ignore[call-overload]
        calls.append(len(answers))
        save_answers(self, session_id, answers)

    monkeypatch.setattr(Store, "save_answers", counting)
    framework = _framework(tmp_path / "big.yaml", 300)
    answers = tmp_path / "answers.yaml"
    answers.write_text("person: Sam Lee\nanswers:\n  q0_0: typed\n", encoding="utf-8")

    result = run_cli(["start", "-f", str(framework), "--answers", str(answers), "--no-input"])

    assert result.exit_code == 0, result.output
    # the answers file's answer when the conversation is created, then every default at once
    assert calls == [1, 299]
    session = Store().load(Store().session_rows()[0]["id"])
    assert session.is_complete
    assert len(session.answers) == 300
    assert session.answers["q0_0"] == "typed"


def test_only_answers_without_a_person_behind_them_are_batched() -> None:
    """A scripted prompter that falls back to a terminal asks a person: each answer is saved
    the moment it is given, as before."""
    from topcli.prompts import ScriptedPrompter

    assert ScriptedPrompter({}).asks_a_person is False
    assert ScriptedPrompter({}, fallback=ScriptedPrompter({})).asks_a_person is True
