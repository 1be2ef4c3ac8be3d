"""How much topcli reads from a file, checked before any parsing starts.

A framework, an answers file or an import file can be anything a path names: ``/dev/zero``
(read until memory runs out), a FIFO (a read that never ends), a folder, or a multi-gigabyte
file. :func:`read_limited` opens without blocking, accepts only a regular file, checks its size
against a named limit, and reads at most that many bytes, so every refusal is immediate and
says which limit was hit. The parsers then bound nesting depth and YAML alias expansion (see
``topcli.loader`` and ``topcli.safejson``) with the limits defined here, so all of them are in
one place with the numbers the messages quote.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from topcli.errors import TopcliError

#: Frameworks and answers files: hand-written text, far below this.
MAX_DOCUMENT_BYTES = 5_000_000
#: ``sessions import`` files: a full ``--all`` export of a large store fits.
MAX_IMPORT_BYTES = 200_000_000
#: Lists and mappings inside one another; topcli's own formats need fewer than ten.
MAX_NESTING = 100
#: YAML alias references (``*name``) in one file.
MAX_YAML_ALIASES = 10_000
#: Nodes that YAML aliases repeat in total, counting each alias as the whole subtree it names:
#: a "billion laughs" file stops here, long before it is expanded.
MAX_YAML_ALIAS_NODES = 100_000

_CHUNK = 1 << 20


def describe_size(size: int) -> str:
    """``5 MB``, ``200 MB``, ``512 bytes``: how the messages name a size."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:g} MB"
    if size >= 1_000:
        return f"{size / 1_000:g} kB"
    return f"{size} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_limited(
    path: str | Path,
    *,
    limit: int,
    error: type[TopcliError],
    hint: str | None = None,
    kind: str = "this kind of file",
    unreadable: str = "{name}: {reason}",
    dash_is_stdin: bool = False,
) -> bytes:
    """The bytes of the regular file at ``path``, refused with ``error`` beyond ``limit``.

    With ``dash_is_stdin``, ``-`` means standard input, read up to the same limit.

    Opened with ``O_NONBLOCK`` so a FIFO with no writer cannot hang the open; the type and size
    come from ``fstat`` on the open file (no race with a swapped path), and the read stops one
    byte past the limit in case the file grows while it is read. ``unreadable`` words a missing
    or unreadable file (``{name}``, ``{reason}``) the way the caller always has.
    """
    name = str(path)
    if dash_is_stdin and name == "-":
        return read_stdin_limited(limit=limit, error=error, hint=hint, kind=kind)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(name, flags)
    except FileNotFoundError:
        reason = "no such file"
        raise error(
            unreadable.format(name=name, reason=reason), hint=hint or "check the path"
        ) from None
    except OSError as exc:
        reason = f"cannot be read ({exc.strerror or exc})"
        raise error(unreadable.format(name=name, reason=reason), hint=hint) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise error(
                f"{name}: is {_kind(info.st_mode)}; topcli reads only regular files",
                hint=hint or "give the path of a file",
            )
        if info.st_size > limit:
            raise error(too_big(name, limit, kind), hint=hint)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        reason = f"cannot be read ({exc.strerror or exc})"
        raise error(unreadable.format(name=name, reason=reason), hint=hint) from None
    finally:
        os.close(fd)
    if total > limit:
        raise error(too_big(name, limit, kind), hint=hint)
    return b"".join(chunks)


def read_stdin_limited(
    *, limit: int, error: type[TopcliError], hint: str | None = None, kind: str = "input"
) -> bytes:
    """Standard input, at most ``limit`` bytes (``... < /dev/zero`` stops at the limit)."""
    try:
        data = sys.stdin.buffer.read(limit + 1)
    except OSError as exc:
        raise error(f"<stdin>: cannot be read ({exc.strerror or exc})", hint=hint) from None
    if len(data) > limit:
        raise error(too_big("<stdin>", limit, kind), hint=hint)
    return data


def too_big(name: str, limit: int, kind: str = "this kind of file") -> str:
    """The message for a file over its size limit, naming the limit and what it is for."""
    return f"{name}: larger than the {describe_size(limit)} limit for {kind}"


#: What is wrong with a file that nests deeper than :data:`MAX_NESTING`.
NESTING_PROBLEM = f"nested deeper than the limit of {MAX_NESTING} levels of lists and mappings"


def nesting_message(where: str) -> str:
    """The message for lists and mappings nested deeper than :data:`MAX_NESTING`."""
    return f"{where}: {NESTING_PROBLEM}"
