"""Question keys for later features (``private``, ``summary``) and the constant-time lookup."""

from __future__ import annotations

import json
from typing import Any

import pytest

from topcli.errors import FrameworkError
from topcli.framework import Framework, Question, Stage
from topcli.validation import Problems, framework_from_data, question_from_data


def framework(*questions: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "keys",
        "name": "Keys",
        "version": "1",
        "stages": [{"id": "think", "title": "Think", "questions": list(questions)}],
    }


# --------------------------------------------------------------------------- private, summary


def test_private_and_summary_are_read_from_a_framework_file() -> None:
    fw = framework_from_data(
        framework(
            {"id": "note", "prompt": "Your notes?", "private": True, "required": False},
            {"id": "goal", "prompt": "Goal?", "summary": True},
            {"id": "plain", "prompt": "Plain?"},
        )
    )
    assert (fw.question("note").private, fw.question("note").summary) == (True, False)
    assert (fw.question("goal").private, fw.question("goal").summary) == (False, True)
    assert (fw.question("plain").private, fw.question("plain").summary) == (False, False)


def test_they_are_kept_in_the_snapshot_only_when_true() -> None:
    fw = framework_from_data(
        framework(
            {"id": "note", "prompt": "Notes?", "private": True, "summary": False},
            {"id": "plain", "prompt": "Plain?", "private": False},
        )
    )
    note, plain = fw.stages[0].questions
    assert note.to_dict()["private"] is True
    assert "summary" not in note.to_dict()
    assert "private" not in plain.to_dict() and "summary" not in plain.to_dict()
    again = framework_from_data(fw.to_dict(), snapshot=True)
    assert again == fw


def test_frameworks_without_them_keep_the_same_snapshot() -> None:
    from topcli.builtins.frameworks import frameworks_dir
    from topcli.loader import load_framework

    for path in sorted(frameworks_dir().glob("*.yaml")):
        source = path.read_text(encoding="utf-8")
        if "private:" in source or "summary:" in source:
            continue  # TOP marks its summary and private questions (issue 9)
        text = json.dumps(load_framework(path).to_dict())
        assert '"private"' not in text and '"summary"' not in text


@pytest.mark.parametrize("key", ["private", "summary"])
def test_they_must_be_true_or_false(key: str) -> None:
    with pytest.raises(FrameworkError) as caught:
        framework_from_data(framework({"id": "note", "prompt": "Notes?", key: "yes"}))
    assert caught.value.reason == f"'{key}' in question 'note' must be true or false"


def test_a_plugin_question_may_be_private() -> None:
    problems = Problems(None)
    question = question_from_data(
        {"id": "mgr_note", "prompt": "Leader's note?", "private": True, "required": False},
        problems,
        source="acme",
    )
    problems.raise_if_any()
    assert question is not None and question.private and not question.summary
    assert question.to_dict()["private"] is True


# --------------------------------------------------------------------------- lookup


def big(n: int) -> Framework:
    questions = tuple(Question(id=f"q{i}", prompt=f"Q{i}?") for i in range(n))
    return Framework(id="big", name="Big", version="1", stages=(Stage("s", "S", questions),))


def test_question_lookup_does_not_walk_the_framework(monkeypatch: pytest.MonkeyPatch) -> None:
    fw = big(10_000)
    assert fw.question("q0").id == "q0"  # builds the index once

    def walk(self: Framework) -> Any:
        raise AssertionError("question() walked every question")

    monkeypatch.setattr(Framework, "questions", walk)
    for i in range(0, 10_000, 7):
        assert fw.question(f"q{i}").id == f"q{i}"
    with pytest.raises(KeyError):
        fw.question("nope")


def test_the_first_question_with_an_id_wins_as_before() -> None:
    first, second = Question(id="same", prompt="First?"), Question(id="same", prompt="Second?")
    fw = Framework(id="d", name="D", version="1", stages=(Stage("s", "S", (first, second)),))
    assert fw.question("same") is first


def test_a_framework_with_a_question_added_has_its_own_index() -> None:
    fw = big(3)
    assert fw.question("q1").id == "q1"
    extra = Question(id="extra", prompt="Extra?")
    bigger = fw.with_question("s", extra)
    assert bigger.question("extra") is extra
    with pytest.raises(KeyError):
        fw.question("extra")
    assert bigger == fw.with_question("s", extra)  # the index is not part of equality
