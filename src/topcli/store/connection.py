"""The SQLite connection: private folder and file, honest errors, and the one transaction helper.

Every SQLite error that reaches a store caller goes through :func:`storage_error`, so a full
disk, a read-only file, a damaged file or a database of an unexpected shape is a
:class:`~topcli.errors.StorageError` (exit 5) naming the file and what to do, never an internal
error, and a restore is suggested only when the file itself is damaged.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from topcli.errors import StorageError

#: The database file's name in the data folder; its journal and backups start with it too.
DB_NAME = "topcli.db"


def storage_error(exc: sqlite3.Error, path: Path | str) -> StorageError:
    """What went wrong with ``path``, in words, with a fix that fits the cause."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if name == "SQLITE_FULL" or "disk is full" in text:
        return StorageError(
            f"the disk holding {path} is full; the last change was not saved",
            hint="free some disk space and run the command again (the database is intact)",
        )
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return StorageError(
            f"cannot write to {path}: the file or its folder is read-only",
            hint="check the permissions of the file and its folder, or set TOPCLI_HOME",
        )
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return StorageError(
            f"cannot use the database {path}: {text}",
            hint="the file is damaged: restore it from a backup or move it aside; "
            "TOPCLI_HOME chooses another folder",
        )
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StorageError(
            f"{path} is busy: another topcli is writing to it",
            hint="wait for the other command to finish, then run this one again",
        )
    if "no such column" in text or "no such table" in text or "has no column" in text:
        return StorageError(
            f"{path} does not have the layout this topcli expects ({text})",
            hint="it was changed by another program or another topcli version; "
            "move it aside (topcli starts a new one) or use the topcli that wrote it",
        )
    if name in ("SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC", "SQLITE_IOERR_TRUNCATE"):
        return StorageError(
            f"could not write to {path} ({text}): the disk may be full or a file size "
            "limit reached; the last change was not saved",
            hint="free some disk space (or raise the limit) and run the command again",
        )
    if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        return StorageError(
            f"cannot read or write {path}: {text}",
            hint="check the disk, the file's permissions and that its folder exists",
        )
    return StorageError(
        f"cannot use the database {path}: {text}",
        hint="run the command again; if it keeps failing, move the file aside "
        "(TOPCLI_HOME chooses another folder)",
    )


@contextmanager
def mapped(path: Path | str) -> Iterator[None]:
    """SQLite errors other than constraint violations become :class:`StorageError`.

    Constraint violations (:class:`sqlite3.IntegrityError`) are left to the store method that
    caused them: only it knows what they mean (a conversation deleted meanwhile, a clash).
    """
    try:
        yield
    except sqlite3.IntegrityError:
        raise
    except sqlite3.Error as exc:
        raise storage_error(exc, path) from exc


class Cursor(sqlite3.Cursor):
    """A cursor whose reads map SQLite errors too (a damaged page shows up while reading)."""

    def _path(self) -> Any:
        return getattr(self.connection, "path", "the database")

    def fetchone(self) -> Any:
        with mapped(self._path()):
            return super().fetchone()

    def fetchall(self) -> list[Any]:
        with mapped(self._path()):
            return super().fetchall()

    def fetchmany(self, size: int | None = None) -> list[Any]:
        with mapped(self._path()):
            return super().fetchmany(size if size is not None else self.arraysize)

    def __next__(self) -> Any:
        with mapped(self._path()):
            return super().__next__()


class Connection(sqlite3.Connection):
    """``sqlite3.Connection`` whose statements map SQLite errors to :class:`StorageError`."""

    #: The file, named in error messages (set by :func:`connect`).
    path: Path | str = "the database"

    def execute(self, sql: str, parameters: Any = (), /) -> Cursor:  # type: ignore[override]
        with mapped(self.path):
            return self.cursor(Cursor).execute(sql, parameters)  # type: ignore[return-value]

    def executemany(self, sql: str, parameters: Any, /) -> Cursor:  # type: ignore[override]
        with mapped(self.path):
            return self.cursor(Cursor).executemany(sql, parameters)  # type: ignore[return-value]

    def executescript(self, script: str, /) -> Cursor:  # type: ignore[override]
        with mapped(self.path):
            return self.cursor(Cursor).executescript(script)  # type: ignore[return-value]


def connect(path: Path) -> Connection:
    """Open ``path`` with the settings every topcli connection needs.

    ``secure_delete`` overwrites deleted content with zeros, so a deleted person's notes do not
    linger in the file; foreign keys keep actions, answers and notes tied to their conversation.
    """
    with mapped(path):
        db = sqlite3.connect(path, timeout=10, isolation_level=None, factory=Connection)
        db.path = path
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA secure_delete = ON")
    return db


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All-or-nothing, joining a transaction already open on ``db``.

    SQLite rolls a transaction back by itself after some errors (a full disk); rolling back
    again would fail with "no transaction is active" and hide the real error, so the rollback
    happens only while a transaction is still open.
    """
    if db.in_transaction:
        yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            # the error that brought us here is the one worth reporting
            with suppress(sqlite3.Error, StorageError):
                db.execute("ROLLBACK")
        raise


def private_dir(path: Path) -> None:
    """Create ``path`` (mode 0700) or tighten a folder that is topcli's own.

    A folder that also holds other things (``TOPCLI_HOME=/tmp``, a shared folder), a symlink or
    one its owner made read-only is not topcli's to change: its mode is left alone, and the
    database file itself is 0600. The write probe has a unique name, so commands running at
    the same time never trip over each other's probe.
    """
    if path.exists() and not path.is_dir():
        raise StorageError(
            f"the data folder {path} is a file, not a folder",
            hint="set TOPCLI_HOME to a folder (topcli creates it if it does not exist)",
        )
    from topcli.safefiles import TEMP_PREFIX, clean_stale_temp

    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        clean_stale_temp(path)  # a killed run's leftovers (a probe, a partial file)
        mode = stat.S_IMODE(path.stat().st_mode)
        ours = not path.is_symlink() and all(
            child.name.startswith(DB_NAME) for child in path.iterdir()
        )
        if ours and mode & 0o077 and mode & stat.S_IWUSR:
            path.chmod(0o700)
        # a name no other process uses (what tempfile.mkstemp does, without importing it), with
        # the prefix stale temp files are cleaned by
        probe = path / f"{TEMP_PREFIX}write-test-{os.getpid()}-{os.urandom(4).hex()}"
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.unlink(probe)
    except OSError as exc:
        raise StorageError(
            f"cannot write to the data folder {path}: {exc.strerror or exc}",
            hint="set TOPCLI_HOME to a folder you can write to, or fix its permissions",
        ) from None
