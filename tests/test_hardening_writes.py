"""Safe writes: only to a regular file or a new path, all or nothing, 0600, temp files cleaned."""

from __future__ import annotations

import os
import socket
import stat
import time
from pathlib import Path

import pytest

from topcli import safefiles
from topcli.errors import ExportError
from topcli.safefiles import TEMP_PREFIX, clean_stale_temp, stale_temp_files, write_private


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_is_written_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    write_private(target, b"# Plan\n", force=False)
    assert target.read_bytes() == b"# Plan\n"
    assert mode(target) == 0o600
    assert not list(tmp_path.glob(f"{TEMP_PREFIX}*"))


def test_an_existing_file_needs_force_and_then_is_replaced_private(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    target.write_bytes(b"old")
    target.chmod(0o644)
    with pytest.raises(ExportError, match="already exists") as caught:
        write_private(target, b"new", force=False)
    assert caught.value.hint == "add --force to overwrite it"
    assert target.read_bytes() == b"old"
    write_private(target, b"new", force=True)
    assert target.read_bytes() == b"new" and mode(target) == 0o600


@pytest.mark.parametrize("force", [False, True])
def test_dev_null_is_refused_even_with_force(force: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # should the protection break, the test must not replace the real /dev/null (as root)
    def never(*args: object) -> None:
        raise AssertionError(f"would have replaced /dev/null: {args}")

    monkeypatch.setattr(safefiles.os, "replace", never)
    monkeypatch.setattr(safefiles.os, "link", never)
    with pytest.raises(ExportError) as caught:
        write_private(Path("/dev/null"), b"plan", force=force)
    assert caught.value.message.startswith("/dev/null is a device; topcli writes only to a")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("force", [False, True])
def test_a_fifo_is_refused_even_with_force(tmp_path: Path, force: bool) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ExportError, match=r"is a pipe \(FIFO\); topcli writes only"):
        write_private(fifo, b"plan", force=force)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert not list(tmp_path.glob(f"{TEMP_PREFIX}*"))


@pytest.mark.parametrize("force", [False, True])
def test_a_symlink_is_refused_even_with_force_and_its_target_kept(
    tmp_path: Path, force: bool
) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"precious")
    link = tmp_path / "plan.md"
    link.symlink_to(elsewhere)
    with pytest.raises(ExportError, match="is a symbolic link; topcli writes only"):
        write_private(link, b"plan", force=force)
    assert link.is_symlink() and elsewhere.read_bytes() == b"precious"


def test_a_dangling_symlink_is_refused_too(tmp_path: Path) -> None:
    link = tmp_path / "plan.md"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(ExportError, match="is a symbolic link"):
        write_private(link, b"plan", force=True)
    assert not (tmp_path / "nowhere").exists()


def test_a_folder_and_a_socket_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="is a folder"):
        write_private(tmp_path, b"plan", force=True)
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(ExportError, match="is a socket"):
            write_private(path, b"plan", force=True)
    finally:
        server.close()


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        write_private(tmp_path / "no" / "plan.md", b"x", force=False)
    (tmp_path / "file").write_text("")
    with pytest.raises(ExportError, match="is not a folder"):
        write_private(tmp_path / "file" / "plan.md", b"x", force=False)


def test_a_path_swapped_for_a_symlink_before_the_rename_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.md"
    target.write_bytes(b"old")
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    real_fsync = os.fsync

    def swap_then_sync(fd: int) -> None:
        real_fsync(fd)
        if target.exists() and not target.is_symlink():
            target.unlink()
            target.symlink_to(victim)

    monkeypatch.setattr(safefiles.os, "fsync", swap_then_sync)
    with pytest.raises(ExportError, match="symbolic link"):
        write_private(target, b"plan", force=True)
    assert victim.read_bytes() == b"precious"
    assert not list(tmp_path.glob(f"{TEMP_PREFIX}*"))


def test_a_failed_write_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.md"
    target.write_bytes(b"old")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safefiles.os, "fsync", full_disk)
    with pytest.raises(ExportError, match="No space left on device"):
        write_private(target, b"new", force=True)
    assert target.read_bytes() == b"old"
    assert not list(tmp_path.glob(f"{TEMP_PREFIX}*"))


def test_the_temp_file_has_the_recognisable_name_and_is_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, int]] = []
    real_replace = os.replace

    def look(src: str, dst: str) -> None:
        seen.append((Path(src).name, mode(Path(src))))
        real_replace(src, dst)

    monkeypatch.setattr(safefiles.os, "replace", look)
    (tmp_path / "plan.md").write_bytes(b"old")
    write_private(tmp_path / "plan.md", b"new", force=True)
    [(name, temp_mode)] = seen
    assert name.startswith(TEMP_PREFIX) and temp_mode == 0o600


def test_stale_temp_files_from_a_killed_run_are_cleaned(tmp_path: Path) -> None:
    old = tmp_path / f"{TEMP_PREFIX}abc.part"
    old.write_bytes(b"half a plan")
    young = tmp_path / f"{TEMP_PREFIX}def.part"
    young.write_bytes(b"being written now")
    other = tmp_path / ".plan.md.tmp"
    other.write_bytes(b"not ours")
    link = tmp_path / f"{TEMP_PREFIX}link"
    link.symlink_to(other)
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    os.utime(link, (an_hour_ago, an_hour_ago), follow_symlinks=False)
    assert stale_temp_files(tmp_path) == [old]
    assert clean_stale_temp(tmp_path) == [old]
    assert not old.exists() and young.exists() and other.exists() and link.is_symlink()
    assert clean_stale_temp(tmp_path / "missing") == []


def test_a_killed_write_leaves_a_file_the_next_run_cleans(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = (
        "import os, sys\n"
        "from topcli import safefiles\n"
        "def die(fd): os._exit(9)\n"  # killed after the bytes are written, before the rename
        "safefiles.os.fsync = die\n"
        f"safefiles.write_private({str(tmp_path / 'plan.md')!r}, b'plan', force=False)\n"
    )
    assert subprocess.run([sys.executable, "-c", script], check=False).returncode == 9
    [left] = tmp_path.glob(f"{TEMP_PREFIX}*")
    assert not (tmp_path / "plan.md").exists()
    assert clean_stale_temp(tmp_path) == []  # too young: it may be a run still writing
    assert clean_stale_temp(tmp_path, older_than=-1) == [left]
