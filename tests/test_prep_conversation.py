"""Bringing the person's preparation into the conversation: ``start``/``checkin --prep FILE``,
where each answer came from (stored, shown, exported as JSON version 2), and importing version 1
files still."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from helpers import Keys, cli, line, run_cli
from prep_support import fill, tick
from topcli.exporters import json_export
from topcli.store import Store

#: A small framework with a text, a select, a confirm and a number question before the plan.
CHAT = {
    "id": "chat",
    "name": "Chat",
    "version": "1.0",
    "stages": [
        {
            "id": "think",
            "title": "Think",
            "purpose": "Where you are.",
            "questions": [
                {"id": "mood", "prompt": "How are things?"},
                {
                    "id": "direction",
                    "prompt": "Which way?",
                    "type": "select",
                    "choices": ["Stay", "Grow", "Move"],
                },
                {"id": "ready", "prompt": "Ready for more?", "type": "confirm"},
                {
                    "id": "score",
                    "prompt": "How happy, 1 to 10?",
                    "type": "number",
                    "min": 1,
                    "max": 10,
                },
            ],
        },
        {
            "id": "plan",
            "title": "Plan",
            "questions": [
                {"id": "first", "prompt": "First step?"},
                {"id": "followup", "prompt": "Meet again?", "type": "followup"},
            ],
        },
    ],
}


@pytest.fixture
def chat(tmp_path: Path) -> Path:
    path = tmp_path / "chat.yaml"
    path.write_text(yaml.safe_dump(CHAT, sort_keys=False), encoding="utf-8")
    return path


def sheet(tmp_path: Path, framework: Path, person: str = "Sam Lee", **answers: str) -> Path:
    """A Markdown sheet from 'topcli prep', filled in by the person; ``score="11"`` is not a
    valid answer (kept as text)."""
    path = tmp_path / "sam-prep.md"
    result = cli("prep", person, "-f", str(framework), "-o", str(path))
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    for qid, value in answers.items():
        text = tick(text, qid, value) if qid in ("direction", "ready") else fill(text, qid, value)
    path.write_text(text, encoding="utf-8")
    return path


def stored() -> Any:
    store = Store()
    row = store.latest_session_row()
    assert row is not None
    return store.load(row["id"])


def test_prepared_answers_are_offered_to_keep_or_change(tmp_path: Path, chat: Path) -> None:
    prep = sheet(tmp_path, chat, mood="Tired but hopeful", direction="Grow", score="11")
    keys = [
        Keys.ENTER,  # mood: keep "Tired but hopeful" as prepared
        Keys.DOWN + Keys.ENTER,  # direction: from the prepared "Grow" down to "Move"
        "y",  # ready: not prepared, asked as usual
        line("7"),  # score: "11" was shown as text to work from; 7 typed
        line("Ask for the project"),
        Keys.ENTER,  # follow-up: the default
    ]
    result = run_cli(["start", "-f", str(chat), "--prep", str(prep)], keys)
    assert result.exit_code == 0, result.output
    assert "Prepared by Sam Lee: Tired but hopeful" in result.stdout
    assert "Prepared by Sam Lee: Grow" in result.stdout
    assert "Enter keeps it" in result.stdout
    assert "not a valid answer as written" in result.stdout and "11" in result.stdout
    assert "is more than 10" in result.stderr  # listed before the first question too
    session = stored()
    assert session.person_name == "Sam Lee"  # from the sheet: no --person needed
    assert dict(session.answers) == {
        "mood": "Tired but hopeful",
        "direction": "Move",
        "ready": True,
        "score": 7,
        "first": "Ask for the project",
        "followup": "2026-06-02",
    }
    # kept as prepared: recorded; changed or typed: the conversation's own
    assert dict(session.answer_sources) == {"mood": "prep"}
    shown = cli("sessions", "show", session.id)
    assert "(as prepared)" in shown.stdout
    assert shown.stdout.count("(as prepared)") == 1


def test_pause_keeps_the_record_of_prepared_answers(tmp_path: Path, chat: Path) -> None:
    prep = sheet(tmp_path, chat, mood="Fine", direction="Stay")
    result = run_cli(["start", "-f", str(chat), "--prep", str(prep)], [Keys.ENTER, Keys.CTRL_C])
    assert result.exit_code != 0
    assert "topcli resume" in result.stderr
    session = stored()
    assert dict(session.answers) == {"mood": "Fine"}
    assert dict(session.answer_sources) == {"mood": "prep"}


def test_without_a_terminal_prepared_answers_count_and_the_answers_file_wins(
    tmp_path: Path, chat: Path
) -> None:
    prep = sheet(tmp_path, chat, mood="Fine", direction="Grow", ready="Yes")
    answers = tmp_path / "answers.yaml"
    answers.write_text("answers:\n  direction: Stay\n  score: 6\n  first: Ask\n", encoding="utf-8")
    result = cli(
        "start", "-f", str(chat), "--prep", str(prep), "--answers", str(answers), "--no-input"
    )
    assert result.exit_code == 0, result.output
    session = stored()
    assert session.answers["direction"] == "Stay"  # the answers file wins
    assert session.answers["mood"] == "Fine" and session.answers["ready"] is True
    assert dict(session.answer_sources) == {
        "mood": "prep",
        "ready": "prep",
        "direction": "answers-file",
        "score": "answers-file",
        "first": "answers-file",
    }
    data = json.loads(cli("plan", "export", session.id, "--json").stdout)
    assert data["schema_version"] == 2
    assert data["answer_sources"] == dict(session.answer_sources)


def test_without_a_terminal_missing_answers_are_still_refused(tmp_path: Path, chat: Path) -> None:
    prep = sheet(tmp_path, chat, mood="Fine", score="11")
    result = cli("start", "-f", str(chat), "--prep", str(prep), "--no-input")
    assert result.exit_code == 2
    # the invalid answer is shown as text, never dropped silently
    assert "answer to 'score' kept as text" in result.stderr
    assert "score: 11" in result.stderr
    assert "- score: How happy" in result.stderr
    assert "Traceback" not in result.output
    assert not Store().conversation_summaries()


def test_text_under_no_question_is_listed(tmp_path: Path, chat: Path) -> None:
    prep = sheet(tmp_path, chat, mood="Fine")
    prep.write_text(
        prep.read_text(encoding="utf-8").replace("## Think", "A note up here\n\n## Think"),
        encoding="utf-8",
    )
    result = cli("start", "-f", str(chat), "--prep", str(prep), "--no-input")
    assert "could not be matched to a question" in result.stderr
    assert "text under no question: A note up here" in result.stderr


def test_a_sheet_for_someone_else_is_refused_without_force(tmp_path: Path, chat: Path) -> None:
    prep = sheet(tmp_path, chat, mood="Fine", direction="Grow", ready="No", score="5")
    args = ["start", "-f", str(chat), "--prep", str(prep), "--person", "Alex Kim"]
    refused = cli(*args, "--no-input")
    assert refused.exit_code == 2
    assert "this sheet is for Sam Lee, not Alex Kim" in refused.stderr
    assert "--force" in refused.stderr
    assert not Store().conversation_summaries()
    answers = tmp_path / "answers.yaml"
    answers.write_text("answers:\n  first: Ask\n", encoding="utf-8")
    forced = cli(*args, "--no-input", "--force", "--answers", str(answers))
    assert forced.exit_code == 0, forced.output
    assert stored().person_name == "Alex Kim"


def test_in_a_terminal_a_sheet_for_someone_else_is_offered(tmp_path: Path, chat: Path) -> None:
    prep = sheet(tmp_path, chat, mood="Fine")
    args = ["start", "-f", str(chat), "--prep", str(prep), "--person", "Alex Kim"]
    declined = run_cli(args, [Keys.ENTER])  # "Use this preparation anyway?" defaults to no
    assert declined.exit_code == 2
    assert "this sheet is for Sam Lee, not Alex Kim" in declined.output
    keys = ["y", Keys.ENTER, Keys.ENTER, "y", line("5"), line("Ask"), Keys.ENTER]
    accepted = run_cli(args, keys)
    assert accepted.exit_code == 0, accepted.output
    assert stored().answers["mood"] == "Fine"


def test_a_sheet_for_another_framework_is_refused(tmp_path: Path, chat: Path) -> None:
    prep = tmp_path / "top.md"
    assert cli("prep", "Sam Lee", "-o", str(prep)).exit_code == 0
    result = cli("start", "-f", str(chat), "--prep", str(prep), "--no-input")
    assert result.exit_code == 2
    assert "this sheet is for framework 'top', not 'chat'" in result.stderr


def test_an_empty_sheet_is_a_clear_error(tmp_path: Path, chat: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("\n  \n", encoding="utf-8")
    result = cli("start", "-f", str(chat), "--prep", str(empty), "--no-input")
    assert result.exit_code == 2
    assert "the preparation sheet is empty" in result.stderr
    assert "Traceback" not in result.output
    missing = cli("start", "--prep", str(tmp_path / "nope.md"), "--no-input")
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_the_framework_comes_from_the_sheet(tmp_path: Path) -> None:
    """Without --framework the conversation uses the framework the sheet was written from."""
    prep = tmp_path / "grow.yaml"
    assert cli("prep", "Sam Lee", "-f", "grow", "-o", str(prep)).exit_code == 0
    text = prep.read_text(encoding="utf-8")
    prep.write_text(text.replace("  session_goal:\n", "  session_goal: A plan\n"), "utf-8")
    result = cli("start", "--prep", str(prep), "--no-input")
    assert result.exit_code == 2  # only one answer prepared: the other required ones are missing
    assert "- longer_term_goal:" in result.stderr
    assert "session_goal" not in result.stderr


# --------------------------------------------------------------------------- JSON versions

TESTS = Path(__file__).resolve().parent
V1_FILE = TESTS / "data" / "session-v1.json"
RELEASE_EXPORT = TESTS / "data" / "releases" / "0.1.0" / "export.json"


def test_a_version_1_file_imports_and_exports_as_version_2() -> None:
    """The golden file before version 2 (kept as an import fixture) comes back exactly, written
    as version 2: the same content, an empty ``answer_sources``."""
    assert json.loads(V1_FILE.read_text(encoding="utf-8"))["schema_version"] == 1
    result = cli("sessions", "import", str(V1_FILE))
    assert result.exit_code == 0, result.output
    session_id = json.loads(V1_FILE.read_text(encoding="utf-8"))["id"]
    exported = cli("plan", "export", session_id, "--json").stdout
    assert exported == (TESTS / "golden" / "session.json").read_text(encoding="utf-8")
    assert json.loads(exported)["answer_sources"] == {}


def test_the_0_1_0_export_bundle_still_imports() -> None:
    result = cli("sessions", "import", str(RELEASE_EXPORT))
    assert result.exit_code == 0, result.output
    count = len(json.loads(RELEASE_EXPORT.read_text(encoding="utf-8"))["sessions"])
    assert len(Store().conversation_summaries()) == count


def test_answer_sources_round_trip_through_export_and_import(tmp_path: Path, chat: Path) -> None:
    prep = sheet(tmp_path, chat, mood="Fine", direction="Grow", ready="Yes", score="4")
    answers = tmp_path / "answers.yaml"
    answers.write_text("answers:\n  first: Ask\n", encoding="utf-8")
    started = cli("start", "-f", str(chat), "--prep", str(prep), "-a", str(answers), "--no-input")
    assert started.exit_code == 0, started.output
    exported = cli("plan", "export", "--json").stdout
    data = json.loads(exported)
    jsonschema.Draft202012Validator(json_export.schema()).validate(data)
    assert data["answer_sources"]["score"] == "prep"
    assert data["answer_sources"]["first"] == "answers-file"
    backup = tmp_path / "backup.json"
    backup.write_text(exported, encoding="utf-8")
    assert cli("sessions", "delete", data["id"], "--yes").exit_code == 0
    assert cli("sessions", "import", str(backup)).exit_code == 0
    assert cli("plan", "export", "--json").stdout == exported


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["answer_sources"].update(mood="guess"), "'guess' is not one of: prep"),
        (lambda d: d["answer_sources"].update(nope="prep"), "'nope' is not one of the answers"),
        (lambda d: d.update(answer_sources=[]), "must be an object"),
        (lambda d: d.pop("answer_sources"), "missing 'answer_sources'"),
    ],
    ids=["unknown-source", "unanswered", "not-an-object", "missing-in-v2"],
)
def test_bad_answer_sources_are_refused(
    tmp_path: Path, chat: Path, change: Any, message: str
) -> None:
    prep = sheet(tmp_path, chat, mood="Fine", direction="Grow", ready="Yes", score="4")
    answers = tmp_path / "answers.yaml"
    answers.write_text("answers:\n  first: Ask\n", encoding="utf-8")
    cli("start", "-f", str(chat), "--prep", str(prep), "-a", str(answers), "--no-input")
    data = json.loads(cli("plan", "export", "--json").stdout)
    change(data)
    if "the answers" not in message:  # a cross-field rule no JSON Schema can state
        with pytest.raises(jsonschema.ValidationError):  # the schema and the importer agree
            jsonschema.Draft202012Validator(json_export.schema()).validate(data)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    result = cli("sessions", "import", str(bad), "--replace")
    assert result.exit_code == 8
    assert message in result.stderr


def test_a_version_1_file_with_answer_sources_is_refused(tmp_path: Path) -> None:
    data = json.loads(V1_FILE.read_text(encoding="utf-8"))
    data["answer_sources"] = {}
    bad = tmp_path / "v1.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    result = cli("sessions", "import", str(bad))
    assert result.exit_code == 8
    assert "unknown key 'answer_sources'" in result.stderr


# --------------------------------------------------------------------------- check-ins


def test_checkin_brings_the_preparation_into_the_revisited_stages(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from helpers import seed
    from prep_support import fill_yaml
    from test_checkin import checkin_file, ids_by_what, review_answers

    seed(monkeypatch, "sam-first.yaml")
    answers = review_answers(ids_by_what())
    del answers["revisit_think"]  # the sheet's Think answers open the stage
    prep = tmp_path / "sam.yaml"
    assert cli("prep", "Sam Lee", "--yaml", "-o", str(prep)).exit_code == 0
    prep.write_text(
        fill_yaml(prep.read_text(encoding="utf-8"), {"core_values": "Craft and trust."}),
        encoding="utf-8",
    )
    path = checkin_file(tmp_path, answers)
    result = cli("checkin", "Sam", "--answers", path, "--prep", str(prep), "--no-input")
    assert result.exit_code == 0, result.output
    session = stored()
    assert session.kind == "checkin"
    assert session.answers["revisit_think"] is True
    assert session.answers["think_core_values"] == "Craft and trust."
    assert session.answer_sources["think_core_values"] == "prep"
    assert session.answer_sources["since_last"] == "answers-file"
    # another person's sheet is refused
    assert cli("prep", "Alex Kim", "--yaml", "-o", str(tmp_path / "alex.yaml")).exit_code == 0
    refused = cli("checkin", "Sam", "--prep", str(tmp_path / "alex.yaml"), "--no-input")
    assert refused.exit_code == 2
    assert "this sheet is for Alex Kim, not Sam Lee" in refused.stderr


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


def test_plan_schema_prints_version_2_and_version_1_stays_shipped() -> None:
    from importlib.resources import files

    printed = json.loads(cli("plan", "schema").stdout)
    assert printed["$defs"]["schema_version"]["const"] == 2
    assert "answer_sources" in printed["$defs"]["session"]["required"]
    old = json.loads(files("topcli").joinpath("schemas", "session-v1.schema.json").read_text())
    assert old["$defs"]["schema_version"]["const"] == 1
    jsonschema.Draft202012Validator(old).validate(json.loads(V1_FILE.read_text("utf-8")))


def test_a_sheet_from_a_framework_file_needs_that_file(tmp_path: Path, chat: Path) -> None:
    prep = sheet(tmp_path, chat, mood="Fine")
    result = cli("start", "--prep", str(prep), "--no-input")
    assert result.exit_code == 3
    assert "the sheet was written from a framework that is not here" in result.stderr
    assert "--framework" in result.stderr


def test_the_sheet_is_the_default_only_the_first_time_a_question_is_asked() -> None:
    """Gone back to (the runner asks again with the answer given since), the question starts
    from that answer; keeping the prepared answer is what marks it as prepared."""
    from topcli.framework import Question
    from topcli.prep_use import Prepared, PreparedPrompter

    seen: list[Any] = []

    class Echo:
        console = None

        def ask(self, question: Any, default: Any, draft: Any = None, keep: Any = None) -> Any:
            seen.append(default)
            return default if len(seen) != 2 else "changed"

    prompter = PreparedPrompter(Echo(), Prepared(source="s.md", person="Sam", answers={"q": "x"}))
    question = Question(id="q", prompt="Q?")
    assert prompter.ask(question, None) == "x" and prompter.kept == {"q"}
    assert prompter.ask(question, "x") == "changed" and prompter.kept == set()
    assert prompter.ask(question, "changed") == "changed"
    assert seen == ["x", "x", "changed"]


@pytest.mark.e2e
def test_prepared_answers_in_a_real_terminal(
    tmp_path: Path, chat: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The installed topcli in a pseudo-terminal: the prepared answer is on the screen before
    its question and Enter keeps it."""
    from conftest import FIXED_NOW
    from helpers import Terminal, terminal_env

    prep = sheet(tmp_path, chat, mood="Tired but hopeful", direction="Grow")
    home = tmp_path / "terminal-home"
    term = Terminal(["start", "-f", str(chat), "--prep", str(prep)], terminal_env(home, FIXED_NOW))
    term.expect("Prepared by Sam Lee: Tired but hopeful")
    term.accept("How are things?")
    term.expect("Prepared by Sam Lee: Grow")
    term.choose("Which way?", downs=1)  # from Grow to Move
    term.expect("Ready for more?")
    term.keys("n")
    term.answer("How happy", "6")
    term.answer("First step?", "Ask")
    term.accept("Meet again?")
    assert term.finish() == 0, term.output()
    monkeypatch.setenv("TOPCLI_HOME", str(home))
    session = stored()
    assert session.answers["mood"] == "Tired but hopeful"
    assert session.answers["direction"] == "Move"
    assert dict(session.answer_sources) == {"mood": "prep"}
