"""Writing a user's file safely: only to a regular file or a new path, all or nothing, 0600.

``-o FILE --force`` must never replace something that is not a plain file: renaming a temporary
file over ``/dev/null`` (as root), a FIFO another program reads, or a symlink would destroy it
and put the plan somewhere nobody expects. :func:`write_private` refuses those even with
``force``, writes to a temporary file in the same folder (so the final rename is atomic), owner
only, flushed to disk, and renames it into place. The temporary file has a recognisable name,
``.topcli-tmp-*``, so a run killed half-way leaves something :func:`clean_stale_temp` can find
and remove on the next run (and ``topcli doctor`` can report).
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from topcli.errors import ExportError

#: How a temporary file topcli writes begins; nothing else uses this prefix.
TEMP_PREFIX = ".topcli-tmp-"
#: A temporary file older than this is from a run that ended without cleaning up.
STALE_AFTER_SECONDS = 60.0

_EXISTS_HINT = "add --force to overwrite it"
#: Bytes buffered before a write reaches the temporary file.
_CHUNK = 64 * 1024


def _kind(mode: int) -> str | None:
    """What a non-regular file is, or ``None`` for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_target(path: Path, *, force: bool) -> bool:
    """Refuse a path that may not be written; return whether a regular file is there now.

    Symlinks, folders, devices, FIFOs and sockets are refused whatever ``force`` says; an
    existing regular file only without ``force``.
    """
    try:
        info = path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return False  # a new path; the caller checks its folder
    except OSError as exc:
        raise ExportError(
            f"cannot write {path}: {exc.strerror or exc}",
            hint="check the path and its folder's permissions",
        ) from None
    kind = _kind(info.st_mode)
    if kind == "a folder":
        raise ExportError(f"{path} is a folder", hint="give a file name, e.g. -o plan.md")
    if kind is not None:
        raise ExportError(
            f"{path} is {kind}; topcli writes only to a regular file or a new path, "
            "even with --force",
            hint="choose another path with -o, or print to stdout and redirect it",
        )
    if not force:
        raise ExportError(f"{path} already exists", hint=_EXISTS_HINT)
    return True


def write_private(path: str | Path, data: bytes, *, force: bool) -> None:
    """Write ``data`` to ``path`` all-or-nothing, owner-only (mode 0600).

    ``path`` must be new, or (with ``force``) a regular file; see :func:`check_target`. The
    bytes go to ``.topcli-tmp-*`` in the same folder, are fsynced, and replace ``path`` in one
    rename, so a full disk, Ctrl-C or a crash never leaves half a file under the real name.
    Without ``force`` the final step is a hard link, which never replaces a file that appeared
    meanwhile. :func:`private_writer` is the same for data written piece by piece.
    """
    with private_writer(path, force=force) as stream:
        stream.write(data)


@contextlib.contextmanager
def private_writer(path: str | Path, *, force: bool) -> Iterator[BinaryIO]:
    """A binary stream that becomes ``path`` all-or-nothing when the ``with`` block ends.

    The same checks and steps as :func:`write_private`, for an export too big to hold in
    memory: the caller writes it in pieces into the temporary file, which is fsynced and renamed
    into place only after the block ends without an exception. Whatever the block raises, the
    temporary file is removed and ``path`` is left as it was. A write that fails (a full disk)
    becomes an :class:`ExportError` naming ``path``.
    """
    path = Path(path)
    folder = path.parent
    check_target(path, force=force)
    if not folder.is_dir():
        raise ExportError(
            f"cannot write {path}: {folder} "
            + ("is not a folder" if folder.exists() else "does not exist"),
            hint="create the folder first, or choose another path with -o",
        )
    try:
        # mkstemp creates the file 0600 with O_EXCL, so no one else can open it first
        import tempfile  # only when a file is written: opening the store cleans, never writes

        handle, temp_name = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX, suffix=".part")
    except OSError as exc:
        raise ExportError(
            f"cannot write in {folder}: {exc.strerror or exc}",
            hint="check the folder's permissions, or choose another path with -o",
        ) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb", buffering=_CHUNK) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        _move_into_place(temp, path, force=force)
        _sync_folder(folder)
    except OSError as exc:
        raise ExportError(
            f"cannot write {path}: {exc.strerror or exc}",
            hint="check the disk space and permissions, or choose another path with -o",
        ) from None
    finally:
        temp.unlink(missing_ok=True)


def _move_into_place(temp: Path, path: Path, *, force: bool) -> None:
    if force:
        # checked again just before the rename, to narrow the window for a swapped path
        check_target(path, force=True)
        os.replace(temp, path)
        return
    try:
        os.link(temp, path)
    except FileExistsError:
        raise ExportError(f"{path} already exists", hint=_EXISTS_HINT) from None
    except OSError:
        # file systems without hard links: the check before has to do
        if os.path.lexists(path):
            raise ExportError(f"{path} already exists", hint=_EXISTS_HINT) from None
        os.replace(temp, path)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; best effort (not every platform opens folders)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def stale_temp_files(folder: str | Path, *, older_than: float = STALE_AFTER_SECONDS) -> list[Path]:
    """topcli's temporary files in ``folder`` left by a run that ended ``older_than`` s ago.

    Only regular files with the :data:`TEMP_PREFIX` count (never a symlink: it could point
    anywhere). A younger file may belong to a run that is still writing it.
    """
    cutoff = time.time() - older_than
    found: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff:
            found.append(Path(entry.path))
    return sorted(found)


def clean_stale_temp(folder: str | Path, *, older_than: float = STALE_AFTER_SECONDS) -> list[Path]:
    """Remove :func:`stale_temp_files` from ``folder``; return what was removed.

    Call it where topcli writes (the output folder of an export, the data folder) so a killed
    run's partial plan does not stay on disk. Files that cannot be removed are left alone.
    """
    removed: list[Path] = []
    for path in stale_temp_files(folder, older_than=older_than):
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed
