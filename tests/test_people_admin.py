"""Managing people, below the CLI: near-duplicate names, and the store's rename, merge and
delete (one transaction each, nothing personal left behind)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from topcli.errors import UsageError
from topcli.framework import Framework
from topcli.loader import load_framework
from topcli.people_admin import closeness, fold, near_people, person_for_conversation
from topcli.prompts import ScriptedPrompter
from topcli.store import DB_NAME, Store

DATA = Path(__file__).resolve().parent / "data" / "core"


@pytest.fixture
def framework() -> Framework:
    return load_framework(DATA / "every-type.yaml")


@pytest.fixture
def store(home: Path) -> Iterator[Store]:
    opened = Store()
    yield opened
    opened.close()


def new_session(store: Store, framework: Framework, name: str) -> str:
    return store.create_session(store.person_for_new_session(name)["id"], framework)


# --------------------------------------------------------------------------- near names


def test_fold_ignores_case_accents_and_spacing() -> None:
    assert fold("  Zoë   LEE ") == "zoe lee"
    assert fold("José") == fold("jose")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Sam", "Sam Lee"),  # a first name of a stored full name
        ("Lee", "Sam Lee"),
        ("Sam Lee", "Sam"),  # the full name of a stored first name
        ("Sam Le", "Sam Lee"),  # a close spelling
        ("Sma Lee", "Sam Lee"),
        ("Zoe Lee", "Zoë Lee"),  # accents
        ("sam lee", "Sam Lee"),
    ],
)
def test_near_names(typed: str, stored: str) -> None:
    assert closeness(typed, stored) > 0


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("Sam Park", "Sam Lee"), ("Alex Kim", "Sam Lee"), ("Samantha", "Sam"), ("", "Sam")],
)
def test_names_that_are_not_near(typed: str, stored: str) -> None:
    assert closeness(typed, stored) == 0


def test_near_people_nearest_first(store: Store, framework: Framework) -> None:
    for name in ("Sam Leeson", "Sam Lee", "Alex Kim", "Sam Park"):
        new_session(store, framework, name)
    assert [p["name"] for p in near_people(store, "Sam Le")] == ["Sam Lee"]
    assert [p["name"] for p in near_people(store, "Sam")] == ["Sam Lee", "Sam Leeson", "Sam Park"]


def test_an_exact_name_or_id_is_that_person(store: Store, framework: Framework) -> None:
    new_session(store, framework, "Sam Lee")
    for typed in ("Sam Lee", "  sam   LEE ", "sam-lee"):
        row, name = person_for_conversation(store, typed, None)
        assert row is not None and row["id"] == "sam-lee"
        assert name == "Sam Lee"


def test_a_new_name_is_someone_new(store: Store, framework: Framework) -> None:
    new_session(store, framework, "Sam Lee")
    assert person_for_conversation(store, "Alex  Kim", None) == (None, "Alex Kim")


def test_a_near_name_without_a_terminal_is_refused_with_the_candidates(
    store: Store, framework: Framework
) -> None:
    new_session(store, framework, "Sam Lee")
    with pytest.raises(UsageError) as caught:
        person_for_conversation(store, "Sam", None)
    assert "Sam Lee (id sam-lee)" in caught.value.message
    assert "--new-person" in str(caught.value.hint)
    assert "--person sam-lee" in str(caught.value.hint)


def test_a_near_name_asks_and_either_answer_is_kept(store: Store, framework: Framework) -> None:
    new_session(store, framework, "Sam Lee")
    use = ScriptedPrompter({"near_person": "sam-lee"})
    row, name = person_for_conversation(store, "Sam", use)  # type: ignore[arg-type]
    assert row is not None and (row["id"], name) == ("sam-lee", "Sam Lee")
    other = ScriptedPrompter({"near_person": "a new person named Sam"})
    assert person_for_conversation(store, "Sam", other) == (None, "Sam")  # type: ignore[arg-type]


def test_new_person_skips_the_question_but_not_an_exact_clash(
    store: Store, framework: Framework
) -> None:
    new_session(store, framework, "Sam Lee")
    assert person_for_conversation(store, "Sam", None, new_person=True) == (None, "Sam")
    with pytest.raises(UsageError, match="already someone called 'Sam Lee'"):
        person_for_conversation(store, "sam lee", None, new_person=True)


# --------------------------------------------------------------------------- the store


def test_rename_keeps_the_id_and_raises_updated_at(
    store: Store, framework: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = new_session(store, framework, "Sam")
    before = store.session_row(session_id)["updated_at"]
    monkeypatch.setenv("TOPCLI_NOW", "2026-03-03T09:00:00+00:00")
    renamed = store.rename_person("sam", "Sam Lee")
    assert (renamed["id"], renamed["name"]) == ("sam", "Sam Lee")
    assert store.session_row(session_id)["updated_at"] > before


def test_rename_refuses_another_persons_name(store: Store, framework: Framework) -> None:
    new_session(store, framework, "Sam")
    new_session(store, framework, "Sam Lee")
    with pytest.raises(UsageError, match="already someone called 'Sam Lee'") as caught:
        store.rename_person("sam", "sam  lee")
    assert "topcli people merge sam sam-lee" in str(caught.value.hint)
    assert store.rename_person("sam-lee", "SAM LEE")["name"] == "SAM LEE"  # their own, recased


def test_merge_moves_everything_in_one_transaction(store: Store, framework: Framework) -> None:
    first = new_session(store, framework, "Sam")
    second = new_session(store, framework, "Sam")
    kept = new_session(store, framework, "Sam Lee")
    assert store.merge_people("sam", "sam-lee") == 2
    assert [p["id"] for p in store.people()] == ["sam-lee"]
    assert {r["id"] for r in store.session_rows(person_id="sam-lee")} == {first, second, kept}
    with pytest.raises(UsageError, match="themselves"):
        store.merge_people("sam-lee", "sam-lee")


def test_delete_removes_the_person_their_conversations_and_snapshots(
    store: Store, framework: Framework
) -> None:
    gone = new_session(store, framework, "Sam Lee")
    kept = new_session(store, framework, "Alex Kim")
    store.add_action(gone, "actions", {"what": "Shadow the on-call", "due": "2026-04-01"})
    counts = store.delete_person("sam-lee")
    assert (counts["conversations"], counts["actions"], counts["open"]) == (1, 1, 1)
    assert [p["id"] for p in store.people()] == ["alex-kim"]
    assert [r["id"] for r in store.session_rows()] == [kept]
    for table, column, parent in (
        ("answers", "session_id", "sessions"),
        ("actions", "session_id", "sessions"),
        ("drafts", "session_id", "sessions"),
        ("action_notes", "action_id", "actions"),
    ):
        orphans = store.db.execute(
            f"SELECT COUNT(*) FROM {table} WHERE {column} NOT IN (SELECT id FROM {parent})"
        ).fetchone()[0]
        assert orphans == 0, table
    # the snapshot Alex's conversation uses stays
    assert store.db.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0] == 1


SECRET = "Zebediah Quillfeather-Marchbanks"


def test_a_deleted_persons_name_is_gone_from_the_file_bytes(
    framework: Framework, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    import topcli.store.connection as connection

    real = sqlite3.connect

    def upstream(*args: object, **kwargs: object) -> sqlite3.Connection:
        db = real(*args, **kwargs)  # type: ignore[arg-type]
        db.execute("PRAGMA secure_delete = OFF")  # SQLite's upstream default
        return db

    monkeypatch.setattr(connection.sqlite3, "connect", upstream)
    store = Store()
    new_session(store, framework, "Kim")
    session_id = new_session(store, framework, SECRET)
    store.save_answer(session_id, framework.question("role"), f"{SECRET} leads platform")
    store.add_action(session_id, "actions", {"what": f"Ask {SECRET} along", "due": "2026-04-01"})
    slug = b"zebediah-quillfeather-marchbanks"
    assert SECRET.encode() in (home / DB_NAME).read_bytes()
    store.delete_person(slug.decode())
    store.close()
    data = (home / DB_NAME).read_bytes()
    assert SECRET.encode() not in data
    assert slug not in data
