"""The JSON export: golden file, the shipped schema, exact text, and the --all bundle."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from exports_support import (
    FIXTURE,
    check_golden,
    fixture_data,
    hold_conversation,
    hostile_data,
    import_data,
    import_fixture,
)
from topcli.exporters import json_export
from topcli.session import EXPORT_SCHEMA_VERSION
from topcli.store import Store


def validate(document: Any) -> None:
    jsonschema.Draft202012Validator(json_export.schema()).validate(document)


def test_schema_file_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json_export.schema())
    assert json_export.schema()["$defs"]["schema_version"]["const"] == EXPORT_SCHEMA_VERSION


def test_golden_json_is_the_fixture_exported_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Import then export gives the same bytes: the golden file and the round trip at once."""
    session = import_fixture(monkeypatch)
    output = json_export.export(session)
    check_golden("session.json", output)
    assert output == FIXTURE.read_text(encoding="utf-8")


def test_export_of_a_real_conversation_validates_and_has_iso_dates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = hold_conversation(monkeypatch)
    data = json.loads(json_export.export(session))
    validate(data)
    assert data["schema_version"] == 2
    assert data["started_at"] == "2026-03-02T09:00:00+00:00"
    assert data["followup"] == "2026-06-02"
    assert data["person"] == {
        "id": "priya-raman",
        "name": "Priya Raman",
        "created_at": "2026-03-02T09:00:00+00:00",
    }
    done = data["answers"]["actions"][1]
    assert done["status"] == "done"
    assert done["updated_at"] == "2026-03-21T17:30:00+00:00"
    assert done["notes"] == [
        {
            "at": "2026-03-21T17:30:00+00:00",
            "status": "done",
            "text": "Met Amara on the 19th; notes in the wiki.",
        }
    ]
    assert [a["due"] for a in data["answers"]["actions"]] == [
        "2026-04-17",
        "2026-03-20",
        "2026-05-29",
    ]
    assert set(data["answered_at"]) == set(data["answers"])


def test_hostile_text_comes_out_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    data = hostile_data(monkeypatch)
    output = json_export.export(import_data(data))
    assert json.loads(output) == data
    validate(json.loads(output))
    # UTF-8 as is, not \u escapes: readable, and the emoji and RTL text are byte-exact
    assert "🎉" in output and "مرحبا" in output


def test_output_is_deterministic_and_ends_with_a_newline(monkeypatch: pytest.MonkeyPatch) -> None:
    session = import_fixture(monkeypatch)
    first, second = json_export.export(session), json_export.export(Store().load(session.id))
    assert first == second
    assert first.endswith("}\n")
    assert list(json.loads(first)) == [
        "schema_version",
        "id",
        "kind",
        "previous_id",
        "person",
        "status",
        "started_at",
        "updated_at",
        "completed_at",
        "framework",
        "answers",
        "answered_at",
        "answer_sources",
        "followup",
    ]


def test_bundle_of_all_conversations_validates(monkeypatch: pytest.MonkeyPatch) -> None:
    data = fixture_data(monkeypatch)
    first = import_data(data)
    second_data = json.loads(json.dumps(data))
    second_data["id"] = "0000beef"
    second_data["started_at"] = "2026-06-02T10:00:00+01:00"
    second_data["previous_id"] = first.id
    for n, action in enumerate(second_data["answers"]["actions"]):
        action["id"] = f"b{n:05d}"
    second = import_data(second_data)
    bundle = json.loads(json_export.export_many([first, second]))
    validate(bundle)
    assert bundle["schema_version"] == 2
    assert [s["id"] for s in bundle["sessions"]] == [first.id, "0000beef"]
    assert bundle["sessions"][1]["previous_id"] == first.id


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.pop("answers"),
        lambda d: d.update(schema_version=3),
        lambda d: d.update(status="paused"),
        lambda d: d.update(started_at="2026-03-02 09:00"),
        lambda d: d["person"].update(created_at="yesterday"),
        lambda d: d.update(extra=True),
        lambda d: d["answers"]["actions"][0].update(due="17/04/2026"),
        lambda d: d["answers"]["actions"][0].update(status="closed"),
        lambda d: d["answers"]["actions"][0].pop("notes"),
        lambda d: d["answers"]["actions"][0]["notes"].append({"at": "2026-03-22T10:00:00Z"}),
        lambda d: d["framework"]["stages"][0]["questions"][0].update(type="essay"),
        lambda d: d.update(id="has spaces"),
    ],
    ids=[
        "missing-answers",
        "newer-version",
        "bad-status",
        "not-iso-timestamp",
        "bad-person-date",
        "unknown-key",
        "bad-due-date",
        "bad-action-status",
        "action-without-notes",
        "incomplete-note",
        "unknown-question-type",
        "bad-id",
    ],
)
def test_schema_and_importer_agree_on_malformed_files(
    monkeypatch: pytest.MonkeyPatch, change: Any
) -> None:
    """The importer's own checks (no schema library at run time) refuse what the schema does."""
    from topcli.errors import ImportFileError
    from topcli.transfer import parse_export

    data = fixture_data(monkeypatch)
    validate(data)
    change(data)
    with pytest.raises(jsonschema.ValidationError):
        validate(data)
    with pytest.raises(ImportFileError):
        parse_export(json.dumps(data), source="bad.json")


def test_schema_is_shipped_inside_the_package() -> None:
    from importlib.resources import files

    resource = files("topcli").joinpath("schemas", "session-v1.schema.json")
    assert resource.is_file()
    assert json.loads(resource.read_text(encoding="utf-8"))["title"].startswith("topcli")
