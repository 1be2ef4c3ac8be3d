"""Local storage: one SQLite file in the user's data folder, readable by its owner only.

Every answer is written in its own transaction the moment it is given, so Ctrl-C, a closed
terminal or a crash loses at most the answer being typed, and never leaves the file unreadable
(SQLite's journal makes each write all-or-nothing).

Where things are: :mod:`~topcli.store.connection` opens the file (private folder, honest errors,
the transaction helper); :mod:`~topcli.store.schema` holds the layout and the migrations;
:mod:`~topcli.store.people`, :mod:`~topcli.store.conversations` and
:mod:`~topcli.store.actions` hold the reads and writes of each, and :mod:`~topcli.store.edits`
the corrections made afterwards. :class:`Store` joins them.

``TOPCLI_HOME`` points the data folder elsewhere (the tests use a temporary one).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from topcli.errors import NotFoundError, StorageError, UsageError
from topcli.store import schema
from topcli.store.actions import ACTION_STATUSES, ActionsMixin
from topcli.store.answers import AnswersMixin
from topcli.store.connection import DB_NAME, connect, mapped, private_dir, transaction
from topcli.store.conversations import ConversationsMixin
from topcli.store.edits import EditsMixin
from topcli.store.ids import new_id, slugify
from topcli.store.people import PeopleMixin
from topcli.store.schema import SCHEMA_VERSION

__all__ = [
    "ACTION_STATUSES",
    "DB_NAME",
    "SCHEMA_VERSION",
    "Store",
    "data_dir",
    "new_id",
    "pop_notices",
    "slugify",
]


#: One line per database migrated in this process, for the command to show; the store never
#: prints (see :func:`pop_notices`).
_notices: list[str] = []


def pop_notices() -> list[str]:
    """The notices recorded since the last call (e.g. "updated ... from schema 1 to 2")."""
    notices = list(_notices)
    _notices.clear()
    return notices


def data_dir() -> Path:
    """``TOPCLI_HOME`` if set, else the platform's user data folder for topcli."""
    home = os.environ.get("TOPCLI_HOME")
    if home:
        return Path(home).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("topcli", appauthor=False))


class Store(AnswersMixin, PeopleMixin, ConversationsMixin, ActionsMixin, EditsMixin):
    """All reads and writes of conversations, people and actions.

    Opening an older database migrates it (a backup copy beside it first); then
    :attr:`migrated_from` holds the old schema version and :attr:`migration_note` a one-line
    message for the command to show. The store itself never prints.
    """

    #: The schema version the file had before this open migrated it, else ``None``.
    migrated_from: int | None = None
    #: Where the copy of the file from before the migration is, else ``None``.
    backup_path: Path | None = None

    def __init__(self, path: Path | None = None) -> None:
        folder = data_dir() if path is None else path.parent
        private_dir(folder)
        self.path = path or folder / DB_NAME
        try:
            if not self.path.exists():
                # create it owner-only before SQLite opens it; its journal inherits the mode
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            elif stat.S_IMODE(self.path.stat().st_mode) & 0o077:
                self.path.chmod(0o600)
        except OSError as exc:
            raise StorageError(
                f"cannot open {self.path}: {exc.strerror or exc}",
                hint="check its permissions, or set TOPCLI_HOME",
            ) from None
        self.db = connect(self.path)
        try:
            self._prepare()
        except BaseException:
            self.db.close()
            raise

    def _prepare(self) -> None:
        """Create, check or migrate the schema; safe when several processes do it at once."""
        version = schema.stored_version(self.db, self.path)
        if version == SCHEMA_VERSION:
            return
        if version is not None and version > SCHEMA_VERSION:
            raise StorageError(
                f"{self.path} was written by a newer topcli (schema {version})",
                hint="upgrade topcli: pip install -U topcli",
            )
        if version is not None:
            self.backup_path = self._backup(version)
        with self.transaction():
            # another process may have created or migrated it meanwhile: look again, locked
            version = schema.stored_version(self.db, self.path)
            if version is None:
                schema.create(self.db)
            elif version < SCHEMA_VERSION:
                schema.migrate(self.db, version)
                self.migrated_from = version
        if self.migrated_from is not None:
            _notices.append(str(self.migration_note))
            with mapped(self.path):
                self.db.execute("VACUUM")  # give back the space of the repeated snapshots

    def _backup(self, version: int) -> Path:
        """A consistent copy of the file as it is, beside it, owner-only, named by version."""
        target = self.path.with_name(f"{self.path.name}.v{version}.bak")
        n = 2
        while target.exists():
            target = self.path.with_name(f"{self.path.name}.v{version}.{n}.bak")
            n += 1
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        try:
            copy = sqlite3.connect(target)
            try:
                with mapped(target):
                    self.db.backup(copy)
            finally:
                copy.close()
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target

    @property
    def migration_note(self) -> str | None:
        """One line for stderr after a migration, or ``None``."""
        if self.migrated_from is None:
            return None
        return (
            f"note: updated {self.path} from schema {self.migrated_from} to {SCHEMA_VERSION}; "
            f"the old file is kept as {self.backup_path}"
        )

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing: an import or a multi-row change is never half written.

        Inside another transaction this one joins it, so store methods that write in their own
        transaction can be combined (a check-in's outcome) and still commit or roll back as one.
        """
        with transaction(self.db) as db:
            yield db

    def vacuum(self) -> None:
        """Compact the file, so the space of deleted conversations is given back."""
        with mapped(self.path):
            self.db.execute("VACUUM")

    def _unused_id(self, table: str, nbytes: int) -> str:
        while True:
            candidate = new_id(nbytes)
            if not self.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", (candidate,)).fetchone():
                return candidate

    def _by_id(
        self, table: str, ident: str, *, prefix: bool, noun: str, hint: str, more: str
    ) -> sqlite3.Row:
        """The row of ``table`` with id ``ident``; with ``prefix``, the one row whose id starts
        so. An ambiguous start is a :class:`UsageError` listing the ids it matches."""
        row = self.db.execute(f"SELECT * FROM {table} WHERE id = ?", (ident,)).fetchone()
        if row is None and prefix and ident:
            # a range on the primary key is answered by its index; LIKE (which also ignores
            # ASCII case) only when that finds nothing
            matches = self.db.execute(
                f"SELECT * FROM {table} WHERE id >= ? AND id < ? ORDER BY id",
                (ident, ident + "\U0010ffff"),
            ).fetchall()
            if not matches:
                pattern = ident.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                matches = self.db.execute(
                    f"SELECT * FROM {table} WHERE id LIKE ? ESCAPE '\\' ORDER BY id",
                    (pattern + "%",),
                ).fetchall()
            if len(matches) > 1:
                raise UsageError(
                    f"'{ident}' is the start of {len(matches)} {noun} ids: "
                    + ", ".join(m["id"] for m in matches),
                    hint=more,
                )
            row = matches[0] if matches else None
        if row is None:
            raise NotFoundError(f"no {noun} with id '{ident}'", hint=hint)
        return row
