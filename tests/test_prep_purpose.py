"""A stage's ``purpose_for_person``: the preparation sheet speaks to the person, not the leader."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from topcli.catalog import resolve_framework
from topcli.errors import FrameworkError
from topcli.framework import Framework
from topcli.prep import default_stages, write_prep
from topcli.prep_read import read_prep
from topcli.reflect import reflection_framework
from topcli.validation import framework_from_data


def data(**stage: Any) -> dict[str, Any]:
    return {
        "id": "keys",
        "name": "Keys",
        "version": "1",
        "stages": [
            {
                "id": "think",
                "title": "Think",
                "purpose": "Your job is to listen.",
                **stage,
                "questions": [{"id": "goal", "prompt": "Goal?"}],
            }
        ],
    }


def test_the_key_is_read_and_kept_in_the_snapshot_only_when_set() -> None:
    with_it = framework_from_data(data(purpose_for_person="  Think about what you want. "))
    assert with_it.stages[0].purpose_for_person == "Think about what you want."
    assert with_it.to_dict()["stages"][0]["purpose_for_person"] == "Think about what you want."
    assert framework_from_data(with_it.to_dict()) == with_it
    without = framework_from_data(data())
    # old snapshots stay byte-identical: no new key, the same key order as before
    assert list(without.to_dict()["stages"][0]) == ["id", "title", "purpose", "tips", "questions"]


def test_a_key_that_is_not_text_is_refused_with_where_and_how() -> None:
    with pytest.raises(FrameworkError) as caught:
        framework_from_data(data(purpose_for_person=["a", "list"]))
    message = str(caught.value.message) + str(getattr(caught.value, "hint", ""))
    assert "purpose_for_person" in message and "think" in message


@pytest.mark.parametrize("fmt", ["md", "yaml"])
def test_the_sheet_uses_the_persons_purpose_else_the_purpose(fmt: str) -> None:
    fw = framework_from_data(data(purpose_for_person="Think about what you want."))
    sheet = write_prep(fw, "Sam Lee", fmt=fmt)
    assert "Think about what you want." in sheet and "listen" not in sheet
    assert "Your job is to listen." in write_prep(framework_from_data(data()), "Sam", fmt=fmt)


@pytest.mark.parametrize("fid", ["top", "grow"])
def test_shipped_prep_stages_speak_to_the_person(fid: str) -> None:
    fw = resolve_framework(fid)
    for stage in default_stages(fw):
        assert stage.purpose_for_person, stage.id
    sheet = write_prep(fw, "Sam Lee")
    assert "Your job here" not in sheet and "you have just heard" not in sheet


def without_persons_purpose(fw: Framework) -> Framework:
    return replace(fw, stages=tuple(replace(s, purpose_for_person="") for s in fw.stages))


def test_a_sheet_sent_before_the_key_still_reads_back_cleanly() -> None:
    top = resolve_framework("top")
    old_sheet = write_prep(without_persons_purpose(top), "Sam Lee")
    assert "Your job here is to ask and to listen" in old_sheet
    prep = read_prep(old_sheet, framework=top, person="Sam Lee")
    assert prep.unmatched == []


def test_reflecting_shows_the_persons_purpose() -> None:
    top = resolve_framework("top")
    reflection = reflection_framework(top, default_stages(top))
    assert [s.purpose for s in reflection.stages] == [
        s.purpose_for_person for s in default_stages(top)
    ]


def test_a_conversation_export_carries_the_key_and_imports_back(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import json

    import jsonschema

    from exports_support import hold_conversation, import_data
    from topcli.exporters import json_export

    data = json.loads(json_export.export(hold_conversation(monkeypatch)))
    jsonschema.Draft202012Validator(json_export.schema()).validate(data)
    think = data["framework"]["stages"][0]
    assert think["purpose_for_person"].startswith("A chance to reflect")
    # imported into another store, the snapshot keeps it
    monkeypatch.setenv("TOPCLI_HOME", str(tmp_path / "elsewhere"))
    imported = import_data(data)
    assert imported.framework.stages[0].purpose_for_person == think["purpose_for_person"]
    assert imported.framework.to_dict() == data["framework"]
