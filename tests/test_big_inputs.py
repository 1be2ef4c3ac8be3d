"""Big inputs: a framework with many questions starts without one commit per answer, and is
composed by libyaml when it is a plain tree (10,000 questions: 92 s, then 4.5 s, now about 1 s)."""

from __future__ import annotations

import contextlib
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

    def counting(self: Store, session_id: str, answers: object, **kwargs: object) -> None:
        answers = list(answers)  # type: ignore[call-overload]
        calls.append(len(answers))
        save_answers(self, session_id, answers, **kwargs)  # type: ignore[arg-type]

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


def _marked(data: object) -> object:
    """``data`` with every mapping's marks and scalar texts, for comparing two parses."""
    if isinstance(data, dict):
        return (
            getattr(data, "mark", None),
            getattr(data, "key_marks", None),
            getattr(data, "scalar_texts", None),
            {k: _marked(v) for k, v in data.items()},
        )
    if isinstance(data, list):
        return [_marked(v) for v in data]
    return data


@pytest.mark.parametrize("name", ["top.yaml", "grow.yaml"])
def test_libyaml_builds_what_the_python_parser_builds(name: str) -> None:
    import yaml

    from topcli.loader import _loader_class, _parse_yaml

    text = (Path(__file__).parent.parent / "frameworks" / name).read_text(encoding="utf-8")
    slow = yaml.load(text, Loader=_loader_class())
    assert _marked(_parse_yaml(text)) == _marked(slow)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x [1, 2]\nb: *x\n",  # an alias: the Python parser counts it
        "a: &x [*x]\n",  # an alias to the node that contains it
        "[" * 200 + "]" * 200,  # deeper than the limit
        "a: 1\n---\nb: 2\n",  # two documents
        "a: [1, 2\n",  # a syntax error, worded by the Python parser
    ],
)
def test_anything_but_a_plain_tree_goes_through_the_python_parser(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    from topcli import loader

    calls: list[str] = []
    load = yaml.load

    def counting(*args: object, **kwargs: object) -> object:
        calls.append("python")
        return load(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(yaml, "load", counting)
    with contextlib.suppress(Exception):  # refused or not, as the Python parser decides
        loader._parse_yaml(text)
    assert calls == ["python"]


def test_a_plain_document_does_not_need_the_python_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    from topcli import loader

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("parsed by the Python parser")

    monkeypatch.setattr(yaml, "load", refuse)
    assert loader._parse_yaml("a: [1, yes, 2026-01-02]\n") == {"a": [1, "yes", "2026-01-02"]}
