"""``topcli doctor``: is this topcli home healthy, and if not, what exactly to do about it.

Each check looks without changing anything: the database is opened read-only (no migration,
no chmod, no cleaning), so running the doctor on a damaged home never makes it worse. The one
exception is SQLite's own recovery: a write killed half-way is rolled back first, as any
topcli command would (see :func:`_open_for_reading`). What it
checks, and why:

* **database**: SQLite's ``integrity_check`` (a damaged page), ``foreign_key_check`` (answers
  or actions whose conversation is gone: only an edit outside topcli does that), the schema
  version (newer than this topcli, or a migration the next command will run) and that every
  table and column this topcli uses is there.
* **permissions**: career notes are personal: the database and its backups 0600, the data
  folder 0700 when it is topcli's own (a shared folder like ``/tmp`` is left alone, as topcli
  itself does), all owned by the user running topcli.
* **config**: the config file parses, names only known settings with valid values, and its
  ``framework`` is one topcli knows; the same for ``TOPCLI_<KEY>`` variables (a command that
  needs a setting stops on the first bad one; the doctor lists them all).
* **frameworks**: every built-in and plugin framework loads, validates, and takes the plugins'
  questions.
* **plugins**: what loading them warned about (an import error, an invalid contribution).
* **temp files**: ``.topcli-tmp-*`` files left by a killed run, in the data folder and the
  current folder (where exports usually go); they may hold a plan.

Every problem says how to fix it. Data problems (database, permissions, temp files) are
:class:`~topcli.errors.StorageError`'s exit code 5; otherwise a framework problem is 3 and a
plugin problem 6 (see :func:`exit_error`).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from topcli.errors import (
    FrameworkError,
    PluginError,
    StorageError,
    TopcliError,
    UsageError,
)
from topcli.wording import plural

#: The areas in the order they are checked and shown; the first three are the user's data.
AREAS = ("database", "permissions", "temp files", "config", "frameworks", "plugins")
DATA_AREAS = frozenset(AREAS[:3])


@dataclass(frozen=True)
class Problem:
    """One thing wrong, in words, and the fix (a command where there is one)."""

    area: str
    message: str
    fix: str


@dataclass
class Report:
    """What the doctor found: a line per healthy check, a :class:`Problem` per fault."""

    home: Path
    healthy: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def ok(self, area: str, what: str) -> None:
        self.healthy.append((area, what))

    def note(self, area: str, what: str) -> None:
        self.notes.append((area, what))

    def problem(self, area: str, message: str, fix: str) -> None:
        self.problems.append(Problem(area, message, fix))


def examine(home: Path | None = None, *, here: Path | None = None) -> Report:
    """Run every check on ``home`` (the data folder) and return what was found."""
    from topcli.store import data_dir

    report = Report(home if home is not None else data_dir())
    checks: list[Callable[[Report], None]] = [
        _check_database,
        _check_permissions,
        lambda r: _check_temp_files(r, here if here is not None else Path.cwd()),
        _check_config,
        _check_frameworks_and_plugins,
    ]
    for check in checks:
        check(report)
    return report


def exit_error(report: Report) -> TopcliError | None:
    """The error the command ends with: ``None`` when healthy, else by the worst area."""
    if not report.problems:
        return None
    areas = {p.area for p in report.problems}
    count = plural(len(report.problems), "problem")
    message = f"{count} found in {report.home}" if areas & DATA_AREAS else f"{count} found"
    hint = "fix each one as shown above, then run 'topcli doctor' again"
    if areas & DATA_AREAS:
        return StorageError(message, hint=hint)
    if "frameworks" in areas:
        return FrameworkError(message, hint=hint)
    if "config" in areas:
        return UsageError(message, hint=hint)
    return PluginError(message, hint=hint)


# --------------------------------------------------------------------------- database


def _check_database(report: Report) -> None:
    from topcli.store import DB_NAME

    path = report.home / DB_NAME
    if not report.home.exists():
        report.note("database", f"no data folder yet at {report.home} (created on first use)")
        return
    if not report.home.is_dir():
        report.problem(
            "database",
            f"the data folder {report.home} is a file, not a folder",
            "set TOPCLI_HOME to a folder (topcli creates it if it does not exist), "
            f"or move the file aside (mv {report.home} {report.home}.old)",
        )
        return
    if not path.exists():
        report.note("database", f"no database yet in {report.home} (created on first use)")
        return
    if not stat.S_ISREG(path.lstat().st_mode):
        report.problem(
            "database",
            f"{path} is not a regular file",
            f"move it aside (mv {path} {path}.old); topcli then starts a new database",
        )
        return
    damaged = (
        f"restore {path} from a backup, or move it aside (mv {path} {path}.damaged) so "
        "topcli starts a new one; 'sqlite3 FILE .recover' may save what is readable"
    )
    try:
        db = _open_for_reading(report, path)
    except sqlite3.Error as exc:
        report.problem("database", f"cannot open {path}: {exc}", damaged)
        return
    try:
        _database_checks(report, db, path, damaged)
    except sqlite3.DatabaseError as exc:
        report.problem("database", f"{path} cannot be read: {exc}", damaged)
    finally:
        db.close()


def _open_for_reading(report: Report, path: Path) -> sqlite3.Connection:
    """A read-only connection; after a write that was killed half-way, a rolled-back one.

    A killed write leaves a "hot" journal that SQLite must roll back before anyone may read the
    file, and a read-only connection cannot (``SQLITE_READONLY_ROLLBACK``). That is not damage:
    the rollback restores the last committed state, and any topcli command does it on open. So
    the doctor opens the file writable just for that, says so, and then only reads.
    """
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorname", "") != "SQLITE_READONLY_ROLLBACK":
            raise
        db.close()
    db = sqlite3.connect(path, timeout=10)
    db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # rolls the journal back
    report.note(
        "database",
        "a write that was interrupted (a crash or kill) was rolled back, as the next topcli "
        "command would have done; everything saved before it is kept",
    )
    return db


def _database_checks(report: Report, db: sqlite3.Connection, path: Path, damaged: str) -> None:
    from topcli.store import schema

    rows = [row[0] for row in db.execute("PRAGMA integrity_check(20)")]
    if rows != ["ok"]:
        shown = "; ".join(rows[:3]) + ("; ..." if len(rows) > 3 else "")
        report.problem("database", f"{path} is damaged: {shown}", damaged)
        return  # nothing else in a damaged file can be trusted
    version = _schema_version(db)
    if version is None:
        report.problem(
            "database",
            f"{path} has no readable schema version (its meta table is missing or changed)",
            f"move it aside (mv {path} {path}.old) if it is not topcli's; "
            f"else set schema_version to {schema.SCHEMA_VERSION} in its meta table",
        )
        return
    if version > schema.SCHEMA_VERSION:
        report.problem(
            "database",
            f"{path} was written by a newer topcli (schema {version}, this one reads "
            f"{schema.SCHEMA_VERSION})",
            "upgrade topcli: pip install -U topcli",
        )
        return
    if version < schema.SCHEMA_VERSION:
        report.note(
            "database",
            f"schema {version}: the next topcli command updates it to {schema.SCHEMA_VERSION} "
            "(keeping a copy of the old file beside it)",
        )
    else:
        missing = _missing_columns(db)
        if missing:
            report.problem(
                "database",
                f"{path} lacks what this topcli uses: {', '.join(missing)}",
                "it was changed by another program or topcli version; move it aside "
                f"(mv {path} {path}.old) or use the topcli that wrote it",
            )
            return
    broken = db.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({row[0] for row in broken})
        report.problem(
            "database",
            f"{path} has {plural(len(broken), 'broken reference')} (rows in "
            f"{', '.join(tables)} whose conversation, action or person is gone)",
            "the file was changed outside topcli: restore it from a backup, or export what is "
            "intact (topcli plan export --all --json -o backup.json) and import it into a new "
            "data folder (TOPCLI_HOME=NEW topcli sessions import backup.json)",
        )
        return
    report.ok("database", f"integrity, references and schema {version} ({path})")


def _schema_version(db: sqlite3.Connection) -> int | None:
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.OperationalError:
        return None
    try:
        return int(row[0]) if row is not None else None
    except (TypeError, ValueError):
        return None


def _missing_columns(db: sqlite3.Connection) -> list[str]:
    """``table`` or ``table.column`` this topcli's schema has and the file lacks."""
    from topcli.store import schema

    expected = sqlite3.connect(":memory:")
    try:
        schema.create(expected)
        wanted = _columns(expected)
    finally:
        expected.close()
    present = _columns(db)
    missing: list[str] = []
    for table, columns in wanted.items():
        if table not in present:
            missing.append(f"table {table}")
            continue
        missing += [f"{table}.{c}" for c in columns if c not in present[table]]
    return missing


def _columns(db: sqlite3.Connection) -> dict[str, list[str]]:
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {t: [row[1] for row in db.execute(f"PRAGMA table_info('{t}')")] for t in tables}


# --------------------------------------------------------------------------- permissions


def _check_permissions(report: Report) -> None:
    from topcli.config import config_path
    from topcli.safefiles import TEMP_PREFIX
    from topcli.store import DB_NAME

    home = report.home
    if not home.is_dir():
        return
    uid = os.getuid() if hasattr(os, "getuid") else None
    found = 0
    files = sorted(p for p in home.iterdir() if p.name.startswith(DB_NAME))
    for path in files:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode):
            continue
        found += 1
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077:
            report.problem(
                "permissions",
                f"{path} is readable or writable by others (mode {mode:04o})",
                f"chmod 600 {path}",
            )
        if uid is not None and info.st_uid != uid:
            report.problem(
                "permissions",
                f"{path} belongs to another user (uid {info.st_uid})",
                f"chown {_user_name(uid)} {path}",
            )
    settings = config_path()  # under TOPCLI_HOME it is topcli's own file too
    ours = not home.is_symlink() and all(
        p.name.startswith((DB_NAME, TEMP_PREFIX)) or p == settings for p in home.iterdir()
    )
    mode = stat.S_IMODE(home.stat().st_mode)
    if ours and mode & 0o077:
        report.problem(
            "permissions",
            f"the data folder {home} is open to others (mode {mode:04o})",
            f"chmod 700 {home}",
        )
    if not any(p.area == "permissions" for p in report.problems):
        folder = f"folder {mode:04o}" if ours else "folder shared, left as it is"
        report.ok("permissions", f"{plural(found, 'file')} owner-only, {folder}")


def _user_name(uid: int) -> str:
    """The user's name for a ``chown`` command, or the number if it has none."""
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return str(uid)


# --------------------------------------------------------------------------- temp files


def _check_temp_files(report: Report, here: Path) -> None:
    from topcli.safefiles import stale_temp_files

    folders = [report.home] + ([here] if here.resolve() != report.home.resolve() else [])
    stale = [path for folder in folders for path in stale_temp_files(folder)]
    for path in stale:
        report.problem(
            "temp files",
            f"{path} was left by a topcli that was stopped while writing (it may hold a plan)",
            f"rm {path}  (topcli also removes it on its next write in that folder)",
        )
    if not stale:
        report.ok("temp files", "none left behind")


# --------------------------------------------------------------------------- config


def _check_config(report: Report) -> None:
    from topcli.config import config_path
    from topcli.config_check import problems

    path = config_path()
    found = problems(path)
    for problem in found:
        report.problem("config", problem.message, problem.fix)
    if not found:
        state = "settings valid" if path.exists() else "no file (the defaults apply)"
        report.ok("config", f"{state} ({path})")


# --------------------------------------------------------------------------- plugins


def _check_frameworks_and_plugins(report: Report) -> None:
    from topcli.catalog import exporters, frameworks, with_plugin_questions
    from topcli.plugins import get_plugins

    plugins = get_plugins()
    entries = frameworks()
    exporters()
    for entry in entries.values():
        try:
            with_plugin_questions(entry.framework)
        except TopcliError as exc:
            report.problem("frameworks", str(exc), exc.hint or "fix or remove the plugin")
    # the doctor reports the warnings itself, so the command does not print them twice
    warnings, plugins.warnings[:] = list(plugins.warnings), []
    for warning in warnings:
        area = "frameworks" if "framework" in warning else "plugins"
        report.problem(area, warning, _plugin_fix(warning))
    if not any(p.area == "frameworks" for p in report.problems):
        report.ok("frameworks", f"{plural(len(entries), 'framework')} valid")
    if not any(p.area == "plugins" for p in report.problems):
        names = [n for n in plugins.names() if not plugins.records[n].builtin]
        report.ok("plugins", f"{plural(len(names), 'plugin')} loaded without warnings")


def _plugin_fix(warning: str) -> str:
    """A plugin warning ends with its own hint in parentheses; this says where plugins live."""
    return (
        "do what the message says, update the plugin (pip install -U PACKAGE) or remove it "
        "(pip uninstall PACKAGE, or take it out of TOPCLI_PLUGINS); "
        "TOPCLI_DISABLE_PLUGIN_AUTOLOAD=1 runs topcli without installed plugins"
    )
