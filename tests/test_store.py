"""The SQLite store: a private folder and file, answers saved one by one, drafts, people."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from helpers import file_mode
from topcli.errors import NotFoundError, StorageError, UsageError
from topcli.framework import Framework
from topcli.loader import load_framework
from topcli.store import DB_NAME, Store, data_dir, slugify
from topcli.validation import framework_from_data

DATA = Path(__file__).resolve().parent / "data" / "core"


@pytest.fixture
def framework() -> Framework:
    return load_framework(DATA / "every-type.yaml")


@pytest.fixture
def store(home: Path) -> Store:
    opened = Store()
    yield opened
    opened.close()


def new_session(store: Store, framework: Framework, name: str = "Sam Lee") -> str:
    return store.create_session(store.person_for_new_session(name)["id"], framework)


# --------------------------------------------------------------------------- the folder and file


def test_the_data_folder_is_made_owner_only_and_the_database_too(home: Path) -> None:
    assert not home.exists()
    Store().close()
    assert file_mode(home) == 0o700
    assert file_mode(home / DB_NAME) == 0o600
    assert not (home / ".write-test").exists()


def test_an_existing_folder_and_database_are_tightened(home: Path) -> None:
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    Store().close()
    (home / DB_NAME).chmod(0o644)
    Store().close()
    assert file_mode(home) == 0o700
    assert file_mode(home / DB_NAME) == 0o600


def test_a_shared_folder_keeps_its_mode_but_the_database_is_owner_only(home: Path) -> None:
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    (home / "someone-elses-file.txt").write_text("not topcli's")
    Store().close()
    assert file_mode(home) == 0o755
    assert file_mode(home / DB_NAME) == 0o600


def test_topcli_home_picks_the_folder_and_platformdirs_is_the_default(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert data_dir() == home
    monkeypatch.delenv("TOPCLI_HOME")
    assert data_dir().name == "topcli"


def test_a_data_folder_under_a_regular_file_cannot_be_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # tests run as root, where permission bits do not stop writes: a file in the way does
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TOPCLI_HOME", str(blocker / "topcli"))
    with pytest.raises(StorageError) as caught:
        Store()
    assert caught.value.message == (
        f"cannot write to the data folder {blocker / 'topcli'}: Not a directory"
    )
    assert "TOPCLI_HOME" in caught.value.hint
    assert caught.value.exit_code == 5


def test_a_file_that_is_not_a_database_is_refused_not_overwritten(home: Path) -> None:
    home.mkdir()
    (home / DB_NAME).write_text("my notes, not SQLite\n" * 100)
    with pytest.raises(StorageError, match=r"cannot use the database .*file is not a database"):
        Store()
    assert (home / DB_NAME).read_text().startswith("my notes")


def test_a_database_from_a_newer_topcli_is_refused(home: Path) -> None:
    Store().close()
    with sqlite3.connect(home / DB_NAME) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StorageError, match="written by a newer topcli") as caught:
        Store()
    assert caught.value.hint == "upgrade topcli: pip install -U topcli"


# --------------------------------------------------------------------------- answers


def test_each_answer_is_committed_the_moment_it_is_saved(
    store: Store, framework: Framework, home: Path
) -> None:
    session_id = new_session(store, framework)
    store.save_answer(session_id, framework.question("role"), "Engineer")
    # another connection (another process) sees it at once: nothing waits for a commit
    with sqlite3.connect(home / DB_NAME) as other:
        rows = other.execute("SELECT question_id, value_json FROM answers").fetchall()
    assert rows == [("role", '"Engineer"')]


def test_answers_come_back_in_canonical_form(store: Store, framework: Framework) -> None:
    session_id = new_session(store, framework)
    values = {
        "role": "Engineer",
        "story": "Line one\nLine two",
        "interests": ["Mentoring", "Course"],
        "confidence": 7.5,
        "wants_mentor": False,
        "notes": None,
        "followup": "2026-06-02",
    }
    for question_id, value in values.items():
        store.save_answer(session_id, framework.question(question_id), value)
    session = store.load(session_id)
    assert dict(session.answers) == values
    assert set(session.answered_at) == set(values)
    assert session.status == "in_progress"
    assert session.followup == "2026-06-02"
    assert session.framework == framework
    json.dumps(session.to_dict())  # the export is plain JSON


def test_saving_an_answer_again_replaces_it(store: Store, framework: Framework) -> None:
    session_id = new_session(store, framework)
    store.save_answer(session_id, framework.question("role"), "Engineer")
    store.save_answer(session_id, framework.question("role"), "Lead")
    assert store.load(session_id).answers == {"role": "Lead"}


def test_actions_get_rows_with_stable_ids_in_entry_order(
    store: Store, framework: Framework
) -> None:
    session_id = new_session(store, framework)
    actions = [
        {"what": "Give a talk", "due": "2026-04-13", "success": "Delivered", "support": ""},
        {"what": "Read a book", "due": "2026-03-20", "success": "", "support": "Budget"},
    ]
    store.save_answer(session_id, framework.question("actions"), actions)
    session = store.load(session_id)
    stored = session.answers["actions"]
    assert [(a["what"], a["due"], a["status"]) for a in stored] == [
        ("Give a talk", "2026-04-13", "open"),
        ("Read a book", "2026-03-20", "open"),
    ]
    assert session.actions == stored
    assert all(len(a["id"]) == 6 for a in stored)
    assert store.action_row(stored[1]["id"])["support"] == "Budget"
    assert session.has_plan


def test_saving_actions_again_replaces_the_rows(store: Store, framework: Framework) -> None:
    session_id = new_session(store, framework)
    question = framework.question("actions")
    store.save_answer(session_id, question, [{"what": "One", "due": "2026-04-01"}])
    store.save_answer(session_id, question, [{"what": "Two", "due": "2026-04-02"}])
    assert [a["what"] for a in store.load(session_id).actions] == ["Two"]
    count = store.db.execute("SELECT COUNT(*) FROM actions").fetchone()[0]
    assert count == 1


def test_an_empty_actions_answer_is_an_empty_list(store: Store, framework: Framework) -> None:
    session_id = new_session(store, framework)
    store.save_answer(session_id, framework.question("actions"), [])
    session = store.load(session_id)
    assert session.answers["actions"] == []
    assert not session.has_plan


def test_complete_marks_the_session(store: Store, framework: Framework) -> None:
    session_id = new_session(store, framework)
    store.complete(session_id)
    session = store.load(session_id)
    assert session.is_complete
    assert session.completed_at == "2026-03-02T09:00:00+00:00"


def test_the_framework_is_kept_as_it_was_when_the_conversation_started(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "fw.yaml"
    path.write_text((DATA / "every-type.yaml").read_text())
    session_id = new_session(store, load_framework(path))
    path.write_text("id: broken\n")
    assert store.load(session_id).framework.question_ids()[0] == "role"


# --------------------------------------------------------------------------- drafts


def test_a_draft_keeps_what_was_typed_until_the_answer_is_saved(
    store: Store, framework: Framework
) -> None:
    session_id = new_session(store, framework)
    assert store.draft(session_id, "actions") is None
    typed = [{"what": "One", "due": "2026-04-01", "success": "", "support": ""}]
    store.save_draft(session_id, "actions", typed)
    assert store.draft(session_id, "actions") == typed
    store.save_draft(session_id, "actions", [*typed, *typed])
    assert len(store.draft(session_id, "actions")) == 2
    store.save_answer(session_id, framework.question("actions"), typed)
    assert store.draft(session_id, "actions") is None


# --------------------------------------------------------------------------- people


def test_a_new_name_makes_a_person_with_a_readable_id(store: Store) -> None:
    person = store.person_for_new_session("  Sam   Lee ")
    assert (person["id"], person["name"]) == ("sam-lee", "Sam Lee")


def test_the_same_name_or_id_is_the_same_person(store: Store) -> None:
    first = store.person_for_new_session("Sam Lee")
    assert store.person_for_new_session("sam lee")["id"] == first["id"]
    assert store.person_for_new_session("sam-lee")["id"] == first["id"]
    assert len(store.people()) == 1


def test_names_with_the_same_slug_get_their_own_ids(store: Store) -> None:
    assert store.person_for_new_session("Sam Lee")["id"] == "sam-lee"
    assert store.person_for_new_session("Sam-Lee")["id"] == "sam-lee-2"
    assert store.person_for_new_session("SAM  LEE")["id"] == "sam-lee"  # the same name


def test_an_empty_name_is_refused(store: Store) -> None:
    with pytest.raises(UsageError, match="the person's name is empty"):
        store.person_for_new_session("   ")


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Zoë Ångström", "zoe-angstrom"), ("李雷", "person"), ("O'Brien, Pat", "o-brien-pat")],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_find_person_by_id_name_or_unique_part(store: Store) -> None:
    store.person_for_new_session("Sam Lee")
    store.person_for_new_session("Samira Khan")
    assert store.find_person("sam-lee")["name"] == "Sam Lee"
    assert store.find_person("SAM LEE")["name"] == "Sam Lee"
    assert store.find_person("khan")["name"] == "Samira Khan"
    with pytest.raises(UsageError, match="'sam' matches 2 people"):
        store.find_person("sam")
    with pytest.raises(NotFoundError, match="no conversations with anyone called 'Kim'"):
        store.find_person("Kim")


# --------------------------------------------------------------------------- sessions


def test_a_session_is_found_by_a_unique_prefix_of_its_id(
    store: Store, framework: Framework
) -> None:
    session_id = new_session(store, framework)
    assert store.session_row(session_id[:3])["id"] == session_id
    with pytest.raises(NotFoundError) as caught:
        store.session_row("zzzz")
    assert caught.value.message == "no conversation with id 'zzzz'"
    assert caught.value.hint == "'topcli sessions list' shows the ids"
    with pytest.raises(NotFoundError):
        store.session_row("")


def test_an_ambiguous_prefix_names_the_matching_ids(store: Store, framework: Framework) -> None:
    person = store.person_for_new_session("Sam")["id"]
    snapshot = store.db.execute(
        "INSERT INTO snapshots (hash, framework_json) VALUES ('h', ?)",
        (json.dumps(framework.to_dict()),),
    ).lastrowid
    for session_id in ("ab12cd34", "ab99ef00"):
        store.db.execute(
            "INSERT INTO sessions (id, person_id, framework_id, framework_version, snapshot_id,"
            " started_at, updated_at) VALUES (?, ?, 'x', '1', ?, 'now', 'now')",
            (session_id, person, snapshot),
        )
    with pytest.raises(UsageError) as caught:
        store.session_row("ab")
    assert caught.value.message == ("'ab' is the start of 2 conversation ids: ab12cd34, ab99ef00")


def test_session_rows_filter_and_latest(store: Store, framework: Framework) -> None:
    first = new_session(store, framework, "Sam")
    second = new_session(store, framework, "Kim")
    store.complete(first)
    assert [r["id"] for r in store.session_rows()] == [first, second]
    assert [r["id"] for r in store.session_rows(status="complete")] == [first]
    assert store.latest_session_row(status="in_progress")["id"] == second
    assert store.latest_session_row(person_id="sam")["id"] == first
    assert store.latest_session_row(person_id="nobody") is None


def test_deleting_a_session_removes_everything_of_it(
    store: Store, framework: Framework, home: Path
) -> None:
    kept = new_session(store, framework, "Sam")
    gone = new_session(store, framework, "Sam")
    only = new_session(store, framework, "Kim")
    for session_id in (gone, only):
        store.save_answer(session_id, framework.question("role"), "Engineer")
        store.save_answer(
            session_id, framework.question("actions"), [{"what": "x", "due": "2026-04-01"}]
        )
        store.save_draft(session_id, "notes", "typed")
    store.delete_session(gone)
    store.delete_session(only)
    with pytest.raises(NotFoundError):
        store.load(gone)
    assert [p["id"] for p in store.people()] == ["sam"]  # Kim had no other conversation
    assert store.load(kept).person_name == "Sam"
    for table in ("answers", "actions", "drafts"):
        assert store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
    with sqlite3.connect(home / DB_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_deleting_a_session_others_follow_keeps_them(store: Store, framework: Framework) -> None:
    person = store.person_for_new_session("Sam")["id"]
    first = store.create_session(person, framework)
    later = store.create_session(person, framework, kind="checkin", previous_id=first)
    store.delete_session(first)
    assert store.load(later).previous_id is None


def test_a_failed_transaction_leaves_nothing_behind(store: Store, framework: Framework) -> None:
    session_id = new_session(store, framework)
    with pytest.raises(RuntimeError), store.transaction() as db:
        db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        raise RuntimeError("interrupted half way")
    assert store.load(session_id).id == session_id


def test_a_data_folder_that_is_a_file_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TOPCLI_HOME", str(blocker))
    with pytest.raises(StorageError) as caught:
        Store()
    assert caught.value.message == f"the data folder {blocker} is a file, not a folder"


def test_each_framework_snapshot_is_stored_once(store: Store, framework: Framework) -> None:
    first = new_session(store, framework, "Sam")
    second = new_session(store, framework, "Kim")
    changed = framework_from_data(
        {**framework.to_dict(), "version": "2"}, origin=None, snapshot=True
    )
    third = new_session(store, changed, "Ana")
    count = "SELECT COUNT(*) FROM snapshots"
    assert store.db.execute(count).fetchone()[0] == 2
    assert store.load(second).framework == store.load(first).framework
    assert store.load(third).framework.version == "2"
    store.delete_session(third)
    assert store.db.execute(count).fetchone()[0] == 1
    store.delete_session(first)
    assert store.db.execute(count).fetchone()[0] == 1  # the other conversation still uses it


def test_the_follow_up_column_follows_the_answer(store: Store, framework: Framework) -> None:
    session_id = new_session(store, framework)
    store.save_answer(session_id, framework.question("followup"), "2026-05-04")
    assert store.conversation_summaries()[0]["followup"] == "2026-05-04"
    assert store.load(session_id).followup == "2026-05-04"
    store.save_answer(session_id, framework.question("followup"), None)
    assert store.conversation_summaries()[0]["followup"] is None
    assert store.load(session_id).followup is None
