"""``topcli doctor``: healthy homes say so; each kind of damage is named with its fix."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from helpers import cli, seed
from topcli.errors import ExitCode
from topcli.plugins import reset_plugins
from topcli.store import DB_NAME

RELEASE_0_1_0 = Path(__file__).parent / "data" / "releases" / "0.1.0" / DB_NAME


@pytest.fixture
def seeded(monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    """A home with one conversation (Sam Lee's), its database closed."""
    seed(monkeypatch, "sam-first.yaml")
    return home / DB_NAME


def doctor() -> tuple[int, str]:
    result = cli("doctor")
    return result.exit_code, result.stdout + result.stderr


def test_a_fresh_home_is_healthy_and_not_created(home: Path) -> None:
    code, out = doctor()
    assert code == 0, out
    assert "Everything looks healthy." in out
    assert "no data folder yet" in out
    assert not home.exists()  # looking changes nothing


def test_a_home_in_use_is_healthy(seeded: Path) -> None:
    before = seeded.read_bytes()
    code, out = doctor()
    assert code == 0, out
    for area in ("database", "permissions", "temp files", "frameworks", "plugins"):
        assert f"ok       {area}:" in out
    assert "Everything looks healthy." in out
    assert seeded.read_bytes() == before


def test_a_database_readable_by_others_is_named_with_chmod(seeded: Path) -> None:
    seeded.chmod(0o644)
    code, out = doctor()
    assert code == ExitCode.STORAGE == 5
    assert f"{seeded} is readable or writable by others (mode 0644)" in out
    assert f"fix: chmod 600 {seeded}" in out
    assert "Everything looks healthy." not in out
    assert "error: 1 problem found in" in out


def test_an_open_data_folder_of_topclis_own_is_named(seeded: Path) -> None:
    seeded.parent.chmod(0o755)
    code, out = doctor()
    assert code == 5
    assert f"fix: chmod 700 {seeded.parent}" in out


def test_a_shared_data_folder_is_left_alone(seeded: Path) -> None:
    seeded.parent.chmod(0o755)
    (seeded.parent / "someone-elses.txt").write_text("x")
    code, out = doctor()
    assert code == 0, out
    assert "folder shared, left as it is" in out


def test_a_corrupted_page_is_named_with_restore_advice(seeded: Path) -> None:
    with sqlite3.connect(seeded) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.close()
    assert pages > 4
    with seeded.open("r+b") as stream:
        for page in range(2, pages, 2):
            stream.seek(page * page_size + 8)
            stream.write(b"\xa5" * 64)
    code, out = doctor()
    assert code == 5, out
    assert f"problem  database: {seeded}" in out
    assert "restore" in out and "move it aside" in out
    assert "Traceback" not in out


def test_a_file_that_is_not_a_database_is_named(home: Path) -> None:
    home.mkdir(mode=0o700)
    (home / DB_NAME).write_bytes(b"not sqlite at all " * 100)
    (home / DB_NAME).chmod(0o600)
    code, out = doctor()
    assert code == 5
    assert "problem  database:" in out and "move it aside" in out


def test_a_foreign_key_violation_is_named(seeded: Path) -> None:
    db = sqlite3.connect(seeded)  # foreign keys are off in a plain connection
    db.execute("DELETE FROM sessions")
    db.commit()
    db.close()
    code, out = doctor()
    assert code == 5
    assert "broken reference" in out
    assert "sessions import" in out  # the way out: export what is intact, import elsewhere


def test_a_database_from_a_newer_topcli_says_upgrade(seeded: Path) -> None:
    db = sqlite3.connect(seeded)
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    code, out = doctor()
    assert code == 5
    assert "newer topcli (schema 99" in out and "pip install -U topcli" in out


def test_a_missing_column_is_named(seeded: Path) -> None:
    db = sqlite3.connect(seeded)
    db.execute("ALTER TABLE people RENAME COLUMN created_at TO made")
    db.commit()
    db.close()
    code, out = doctor()
    assert code == 5
    assert "people.created_at" in out


def test_a_pending_migration_is_a_note_and_the_file_is_untouched(home: Path) -> None:
    home.mkdir(mode=0o700)
    shutil.copy(RELEASE_0_1_0, home / DB_NAME)
    (home / DB_NAME).chmod(0o600)
    before = (home / DB_NAME).read_bytes()
    code, out = doctor()
    assert code == 0, out
    assert "note     database: schema 1: the next topcli command updates it to 2" in out
    assert (home / DB_NAME).read_bytes() == before
    assert sorted(p.name for p in home.iterdir()) == [DB_NAME]  # no backup, no journal


def test_a_stale_temp_file_is_named_in_the_data_and_current_folder(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "exports"
    here.mkdir()
    monkeypatch.chdir(here)
    old = time.time() - 3600
    for folder in (seeded.parent, here):
        leftover = folder / ".topcli-tmp-abc.part"
        leftover.write_text("half a plan")
        os.utime(leftover, (old, old))
    young = here / ".topcli-tmp-now.part"  # may belong to a run still writing: not a problem
    young.write_text("writing")
    code, out = doctor()
    assert code == 5
    assert out.count("was left by a topcli that was stopped while writing") == 2
    assert f"fix: rm {here / '.topcli-tmp-abc.part'}" in out
    assert "tmp-now" not in out
    assert (here / ".topcli-tmp-abc.part").exists()  # the doctor only looks


def test_a_broken_plugin_is_named_with_exit_6(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken_plugin.py"
    broken.write_text("import no_such_module_anywhere\n")
    monkeypatch.setenv("TOPCLI_PLUGINS", str(broken))
    code, out = doctor()
    assert code == ExitCode.PLUGIN == 6
    assert "problem  plugins:" in out and "no_such_module_anywhere" in out
    assert "pip uninstall" in out
    assert "warning:" not in out  # the doctor names it once, as a problem


def test_a_plugin_framework_that_does_not_validate_is_exit_3(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    framework = tmp_path / "bad.yaml"
    framework.write_text("id: bad\nname: Bad\nstages: []\n")
    plugin = tmp_path / "bad_framework_plugin.py"
    plugin.write_text(
        "import topcli\n\n\n@topcli.hookimpl\ndef register_frameworks(register):\n"
        f"    register({str(framework)!r})\n"
    )
    monkeypatch.setenv("TOPCLI_PLUGINS", str(plugin))
    code, out = doctor()
    assert code == ExitCode.FRAMEWORK == 3, out
    assert "problem  frameworks:" in out and "invalid framework" in out


def test_several_problems_are_all_named_and_data_wins_the_exit_code(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded.chmod(0o640)
    broken = tmp_path / "broken_plugin.py"
    broken.write_text("raise RuntimeError('boom')\n")
    monkeypatch.setenv("TOPCLI_PLUGINS", str(broken))
    reset_plugins()  # seeding loaded them already, without this one
    code, out = doctor()
    assert code == 5
    assert "chmod 600" in out and "boom" in out
    assert "error: 2 problems found" in out


def test_an_escape_sequence_in_a_plugin_message_is_shown_not_obeyed(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "evil_plugin.py"
    broken.write_text("raise RuntimeError('\\x1b]0;owned\\x07')\n")
    monkeypatch.setenv("TOPCLI_PLUGINS", str(broken))
    code, out = doctor()
    assert code == 6
    assert "\x1b]0;" not in out and "\\x1b]0;owned\\x07" in out


def test_a_write_killed_half_way_is_rolled_back_not_called_damage(seeded: Path) -> None:
    """A hot journal: a read-only open cannot read the file, yet nothing is damaged."""
    import subprocess
    import sys

    leave_hot_journal = (
        "import os, sqlite3, sys\n"
        "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "db.execute('PRAGMA cache_size = 1')\n"  # changed pages spill: the journal is synced
        "db.execute('BEGIN IMMEDIATE')\n"
        'db.execute("UPDATE answers SET value_json = \'\\"gone\\"\'")\n'
        "db.executemany('INSERT INTO meta VALUES (?, ?)', "
        "[(f'k{n}', 'v' * 1000) for n in range(3000)])\n"
        "os._exit(0)\n"  # killed before COMMIT
    )
    subprocess.run([sys.executable, "-c", leave_hot_journal, str(seeded)], check=True)
    ro = sqlite3.connect(f"file:{seeded}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError):
        ro.execute("SELECT count(*) FROM answers").fetchone()
    ro.close()
    code, out = doctor()
    assert code == 0, out
    assert "was rolled back, as the next topcli command would have done" in out
    db = sqlite3.connect(seeded)
    assert (
        db.execute("SELECT count(*) FROM answers WHERE value_json = '\"gone\"'").fetchone()[0] == 0
    )
    assert db.execute("SELECT count(*) FROM meta").fetchone()[0] == 1
    db.close()


def test_a_data_folder_that_is_a_file_is_named(home: Path) -> None:
    home.write_text("not a folder")
    code, out = doctor()
    assert code == 5
    assert f"the data folder {home} is a file, not a folder" in out


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_a_database_owned_by_another_user_is_named_with_chown(seeded: Path) -> None:
    os.chown(seeded, 65534, -1)
    code, out = doctor()
    assert code == 5
    assert f"{seeded} belongs to another user (uid 65534)" in out
    assert "fix: chown root " in out
