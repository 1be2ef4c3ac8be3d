"""Opening a database written by topcli 0.1.0 (schema 1) migrates it with nothing lost."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from topcli.cli import app
from topcli.errors import StorageError
from topcli.store import DB_NAME, SCHEMA_VERSION, Store, schema

RELEASE = Path(__file__).resolve().parent / "data" / "releases" / "0.1.0"
COUNTED = ("people", "sessions", "answers", "actions", "action_notes", "drafts")


@pytest.fixture
def old_home(home: Path) -> Path:
    """The data folder of a 0.1.0 user: their database, as that release wrote it."""
    home.mkdir(mode=0o700)
    shutil.copyfile(RELEASE / DB_NAME, home / DB_NAME)
    (home / DB_NAME).chmod(0o600)
    return home


def counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        return {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in COUNTED}
    finally:
        db.close()


def test_a_0_1_0_database_is_migrated_with_a_backup_and_a_note(old_home: Path) -> None:
    before = counts(old_home / DB_NAME)
    store = Store()
    assert store.migrated_from == 1
    assert store.backup_path == old_home / f"{DB_NAME}.v1.bak"
    assert store.migration_note == (
        f"note: updated {old_home / DB_NAME} from schema 1 to {SCHEMA_VERSION}; "
        f"the old file is kept as {old_home / 'topcli.db.v1.bak'}"
    )
    version = store.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert version[0] == str(SCHEMA_VERSION)
    store.close()
    assert counts(old_home / DB_NAME) == before

    backup = old_home / f"{DB_NAME}.v1.bak"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    with sqlite3.connect(backup) as db:
        assert db.execute("SELECT value FROM meta").fetchone() == ("1",)
        assert db.execute("SELECT COUNT(framework_json) FROM sessions").fetchone()[0] == 5
    assert counts(backup) == before

    again = Store()
    assert again.migrated_from is None and again.migration_note is None
    again.close()


def as_version_2(document: dict[str, Any]) -> dict[str, Any]:
    """A 0.1.0 export (``schema_version`` 1) as this release writes the same content: version 2,
    where each conversation also says where its answers came from (a 0.1.0 file: nowhere else)."""

    def session(data: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in data.items():
            out[key] = 2 if key == "schema_version" else value
            if key == "answered_at":
                out["answer_sources"] = {}
        return out

    return {"schema_version": 2, "sessions": [session(s) for s in document["sessions"]]}


def test_every_conversation_exports_exactly_as_0_1_0_did(old_home: Path) -> None:
    """The same content, byte for byte, apart from what version 2 of the format adds (the
    version line and an empty ``answer_sources``): the comparison is of content."""
    from topcli.exporters.json_export import dumps

    result = CliRunner().invoke(app, ["plan", "export", "--all", "--json"])
    assert result.exit_code == 0, result.output
    old = json.loads((RELEASE / "export.json").read_text())
    assert old["schema_version"] == 1
    assert result.stdout == dumps(as_version_2(old))


def test_drafts_follow_ups_and_action_lookups_survive_the_migration(old_home: Path) -> None:
    exported = json.loads((RELEASE / "export.json").read_text())["sessions"]
    store = Store()
    paused = next(s for s in exported if s["status"] == "in_progress")
    assert store.draft(paused["id"], "actions") == [
        {"what": "Pair on the queue", "due": "2026-04-01"}
    ]
    summaries = {s["id"]: s for s in store.conversation_summaries()}
    for session in exported:
        assert summaries[session["id"]]["followup"] == session["followup"]
        for action in session["answers"].get("actions", []):
            found = store.action(action["id"])
            assert found["notes"] == action["notes"]
            assert found["person_name"] == session["person"]["name"]


def test_the_snapshots_are_stored_once(old_home: Path) -> None:
    store = Store()
    snapshots = store.db.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0]
    distinct = {json.dumps(s["framework"], sort_keys=True) for s in _exported()}
    assert snapshots == len(distinct) < 5


def _exported() -> list[dict]:
    return json.loads((RELEASE / "export.json").read_text())["sessions"]


def test_a_failed_migration_leaves_the_old_file_as_it_was(
    old_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (old_home / DB_NAME).read_bytes()

    def half_way(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE snapshots (id INTEGER PRIMARY KEY)")
        db.execute("DELETE FROM answers")
        raise RuntimeError("power cut")

    with monkeypatch.context() as patched, pytest.raises(RuntimeError):
        patched.setattr(schema, "MIGRATIONS", [half_way])
        Store()
    with sqlite3.connect(old_home / DB_NAME) as db:
        assert db.execute("SELECT value FROM meta").fetchone() == ("1",)
        assert db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] > 0
    assert Store().migrated_from == 1
    assert (old_home / DB_NAME).read_bytes() != before  # migrated now


def test_the_backup_does_not_overwrite_an_earlier_one(old_home: Path) -> None:
    (old_home / f"{DB_NAME}.v1.bak").write_text("an earlier backup")
    store = Store()
    assert store.backup_path == old_home / f"{DB_NAME}.v1.2.bak"
    assert (old_home / f"{DB_NAME}.v1.bak").read_text() == "an earlier backup"


def test_an_unreadable_schema_version_is_a_storage_error(home: Path) -> None:
    Store().close()
    with sqlite3.connect(home / DB_NAME) as db:
        db.execute("UPDATE meta SET value = 'two' WHERE key = 'schema_version'")
    with pytest.raises(StorageError, match="unreadable schema version 'two'"):
        Store()


def test_the_command_that_migrates_says_so_once_on_stderr(old_home: Path) -> None:
    first = CliRunner().invoke(app, ["sessions", "list"])
    assert first.exit_code == 0, first.output
    note = (
        f"note: updated {old_home / DB_NAME} from schema 1 to {SCHEMA_VERSION}; "
        f"the old file is kept as {old_home / 'topcli.db.v1.bak'}"
    )
    assert note + "\n" in first.stderr.splitlines(keepends=True)
    assert "note:" not in first.stdout
    again = CliRunner().invoke(app, ["sessions", "list"])
    assert "note:" not in again.stderr
