"""The store under faults and races: erasure, full disk, read-only, damage, concurrency."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from topcli.errors import NotFoundError, StorageError, UsageError
from topcli.framework import Framework
from topcli.loader import load_framework
from topcli.store import DB_NAME, Store

DATA = Path(__file__).resolve().parent / "data" / "core"
SECRET = "Zebediah Quillfeather-Marchbanks"


@pytest.fixture
def framework() -> Framework:
    return load_framework(DATA / "every-type.yaml")


@pytest.fixture
def store(home: Path) -> Iterator[Store]:
    opened = Store()
    yield opened
    opened.close()


def new_session(store: Store, framework: Framework, name: str = "Sam Lee") -> str:
    return store.create_session(store.person_for_new_session(name)["id"], framework)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --------------------------------------------------------------------------- erasure


@pytest.fixture
def upstream_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    """Connections start with SQLite's upstream default, secure_delete off (some builds,
    this Python's perhaps, turn it on when compiled; topcli must not rely on that)."""
    import topcli.store.connection as connection

    real = sqlite3.connect

    def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        db = real(*args, **kwargs)  # type: ignore[arg-type]
        db.execute("PRAGMA secure_delete = OFF")
        return db

    monkeypatch.setattr(connection.sqlite3, "connect", connect)


def test_a_deleted_persons_name_is_no_longer_in_the_file(
    upstream_sqlite: None, framework: Framework, home: Path
) -> None:
    store = Store()
    keep = new_session(store, framework, "Kim")
    session_id = new_session(store, framework, SECRET)
    store.save_answer(session_id, framework.question("role"), f"{SECRET} leads the platform team")
    store.save_answer(keep, framework.question("role"), "Engineer")
    assert SECRET.encode() in (home / DB_NAME).read_bytes()
    store.delete_session(session_id)
    store.close()
    assert SECRET.encode() not in (home / DB_NAME).read_bytes()


def test_secure_delete_is_on_for_every_connection(upstream_sqlite: None, home: Path) -> None:
    store = Store()
    assert store.db.execute("PRAGMA secure_delete").fetchone()[0] == 1
    store.close()


def test_vacuum_gives_the_space_of_deleted_conversations_back(
    store: Store, framework: Framework, home: Path
) -> None:
    ids = [new_session(store, framework, f"Person {n}") for n in range(40)]
    for session_id in ids:
        store.save_answer(session_id, framework.question("role"), "x" * 4000)
    for session_id in ids:
        store.delete_session(session_id)
    before = (home / DB_NAME).stat().st_size
    store.vacuum()
    assert (home / DB_NAME).stat().st_size < before / 2


# --------------------------------------------------------------------------- races


def test_the_second_of_two_status_changes_is_refused_with_one_note(
    store: Store, framework: Framework, home: Path
) -> None:
    session_id = new_session(store, framework)
    action = {"what": "Write the RFC", "due": "2026-04-01"}
    store.save_answer(session_id, framework.question("actions"), [action])
    action_id = store.load(session_id).actions[0]["id"]
    other = Store()  # another command that looked at the action while it was open
    store.set_action_status(action_id, "done", "first")
    with pytest.raises(UsageError, match=rf"action {action_id} .* is already done"):
        other.set_action_status(action_id, "done", "second")
    other.close()
    assert [n["text"] for n in store.action(action_id)["notes"]] == ["first"]
    store.set_action_status(action_id, "dropped", "changed my mind")  # a correction still works


def test_answering_into_a_conversation_another_process_deleted_is_not_found(
    store: Store, framework: Framework
) -> None:
    session_id = new_session(store, framework)
    other = Store()
    other.delete_session(session_id)
    other.close()
    with pytest.raises(NotFoundError, match=f"conversation {session_id} is no longer stored"):
        store.save_answer(session_id, framework.question("role"), "Engineer")
    with pytest.raises(NotFoundError):
        store.save_draft(session_id, "role", "Eng")
    with pytest.raises(NotFoundError):
        store.add_action(session_id, "actions", {"what": "x", "due": "2026-04-01"})


_OPEN_AT = """
import sys, time
from pathlib import Path
start = float(sys.argv[1])
time.sleep(max(0.0, start - time.time()))
from topcli.store import Store
store = Store()
person = store.person_for_new_session("Sam")
store.close()
"""


def test_parallel_first_use_of_a_fresh_home_never_fails(home: Path) -> None:
    env = dict(os.environ, TOPCLI_HOME=str(home))
    start = time.time() + 1.5  # every process is imported and waiting by then
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _OPEN_AT, str(start)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    results = [(p.wait(timeout=60), p.stderr.read()) for p in procs]
    for proc in procs:
        proc.stdout.close()
        proc.stderr.close()
    assert [code for code, _ in results] == [0] * 6, results
    assert not any("UNIQUE" in err or "write to the data folder" in err for _, err in results)
    assert not [p for p in home.iterdir() if p.name.startswith((".write-test", ".topcli-tmp-"))]
    with sqlite3.connect(home / DB_NAME) as db:
        assert db.execute("SELECT COUNT(*) FROM meta").fetchone()[0] == 1


# --------------------------------------------------------------------------- faults


def test_a_full_disk_is_a_clear_storage_error_and_nothing_is_half_written(
    store: Store, framework: Framework
) -> None:
    session_id = new_session(store, framework)
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(StorageError) as caught:
        store.save_answer(session_id, framework.question("role"), "x" * 200_000)
    assert caught.value.message.startswith(f"the disk holding {store.path} is full")
    assert "backup" not in (caught.value.hint or "")
    assert not store.db.in_transaction
    assert "role" not in store.load(session_id).answers
    store.save_answer(session_id, framework.question("role"), "short")  # still usable


def test_the_transaction_helper_does_not_roll_back_twice(store: Store) -> None:
    with pytest.raises(StorageError, match="is full"), store.transaction() as db:
        db.execute("CREATE TABLE filler (x TEXT)")
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages + 1}")
        db.execute("INSERT INTO filler VALUES (?)", ("y" * 100_000,))
    assert not store.db.in_transaction


def test_a_read_only_database_is_a_clear_storage_error(store: Store, framework: Framework) -> None:
    session_id = new_session(store, framework)
    store.db.execute("PRAGMA query_only = ON")
    with pytest.raises(
        StorageError, match=r"cannot write to .*: the file or its folder is read-only"
    ):
        store.save_answer(session_id, framework.question("role"), "Engineer")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only files anyway")
def test_a_read_only_file_is_a_clear_storage_error(home: Path, framework: Framework) -> None:
    Store().close()
    (home / DB_NAME).chmod(0o400)
    store = Store()
    with pytest.raises(StorageError, match="read-only"):
        new_session(store, framework)


def test_a_damaged_file_is_named_and_a_restore_suggested(
    store: Store, framework: Framework, home: Path
) -> None:
    for n in range(30):
        store.save_answer(new_session(store, framework, f"P{n}"), framework.question("role"), "x")
    store.close()
    data = bytearray((home / DB_NAME).read_bytes())
    page = 4096
    for offset in range(2 * page, len(data), page):
        data[offset : offset + 64] = b"\xff" * 64
    (home / DB_NAME).write_bytes(bytes(data))
    with pytest.raises(StorageError) as caught:
        reopened = Store()
        [reopened.load(r["id"]) for r in reopened.session_rows()]
    assert str(home / DB_NAME) in caught.value.message
    assert "restore it from a backup" in (caught.value.hint or "")


def test_a_missing_column_is_a_clear_storage_error(
    store: Store, framework: Framework, home: Path
) -> None:
    session_id = new_session(store, framework)
    store.db.execute("ALTER TABLE sessions DROP COLUMN followup")
    with pytest.raises(StorageError, match="does not have the layout this topcli expects"):
        store.save_answer(session_id, framework.question("followup"), "2026-04-01")


def test_several_defaulted_answers_are_one_transaction(store: Store, framework: Framework) -> None:
    session_id = new_session(store, framework)
    seen: list[str] = []
    store.db.set_trace_callback(seen.append)
    store.save_answers(
        session_id,
        [(framework.question("role"), "Engineer"), (framework.question("confidence"), 3)],
    )
    store.db.set_trace_callback(None)
    assert seen.count("BEGIN IMMEDIATE") == 1
    assert {"role", "confidence"} <= set(store.load(session_id).answers)


# --------------------------------------------------------------------------- folders


def test_a_symlinked_home_is_not_chmod_ed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "real"
    real.mkdir()
    real.chmod(0o755)
    link = tmp_path / "link"
    link.symlink_to(real)
    monkeypatch.setenv("TOPCLI_HOME", str(link))
    Store().close()
    assert mode(real) == 0o755
    assert mode(real / DB_NAME) == 0o600


def test_a_read_only_home_is_not_chmod_ed(home: Path) -> None:
    Store().close()
    home.chmod(0o555)
    try:
        try:
            Store().close()
        except StorageError as exc:  # not root: the folder really is read-only
            assert "cannot write to the data folder" in exc.message
        assert mode(home) == 0o555
    finally:
        home.chmod(0o700)


def test_a_file_size_limit_in_a_real_process_is_a_clear_error(home: Path) -> None:
    """A full disk as a process meets it: writes fail part way (RLIMIT_FSIZE, SIGXFSZ ignored)."""
    import resource
    import signal

    answers = Path(__file__).resolve().parent / "data" / "followthrough" / "sam-first.yaml"
    env = dict(os.environ, TOPCLI_HOME=str(home))
    command = [sys.executable, "-m", "topcli", "start", "--answers", str(answers), "--no-input"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    size = (home / DB_NAME).stat().st_size

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size + 4096, size + 4096))

    full = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=60, preexec_fn=small_disk
    )
    assert full.returncode == 5, full.stderr
    assert f"could not write to {home / DB_NAME}" in full.stderr
    assert "Traceback" not in full.stderr and "rollback" not in full.stderr
    assert "backup" not in full.stderr
    with sqlite3.connect(home / DB_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        statuses = [r[0] for r in db.execute("SELECT status FROM sessions ORDER BY rowid")]
    # what was committed before the disk filled stays, resumable; nothing is half-written
    assert statuses in (["complete"], ["complete", "in_progress"])
