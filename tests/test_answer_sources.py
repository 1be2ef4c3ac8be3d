"""Where answers came from, in the JSON export (``schema_version`` 2, ``answer_sources``), and
importing version 1 files still."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from helpers import cli
from prep_support import sheet, write_chat
from topcli.exporters import json_export
from topcli.store import Store


@pytest.fixture
def chat(tmp_path: Path) -> Path:
    return write_chat(tmp_path)


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


def test_plan_schema_prints_version_2_and_version_1_stays_shipped() -> None:
    from importlib.resources import files

    printed = json.loads(cli("plan", "schema").stdout)
    assert printed["$defs"]["schema_version"]["const"] == 2
    assert "answer_sources" in printed["$defs"]["session"]["required"]
    old = json.loads(files("topcli").joinpath("schemas", "session-v1.schema.json").read_text())
    assert old["$defs"]["schema_version"]["const"] == 1
    jsonschema.Draft202012Validator(old).validate(json.loads(V1_FILE.read_text("utf-8")))
