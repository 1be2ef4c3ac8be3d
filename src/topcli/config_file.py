"""Writing the config file: ``topcli config set/unset`` and the template for ``config edit``.

The file is a person's own: they may have comments, blank lines and an order they like. So a
change edits the TOML *text* line-wise (the one key's lines are replaced or removed, everything
else is kept byte for byte) instead of re-serialising parsed data, and the result is parsed
again before it replaces the file. A new file is created owner-only (0600) in a folder created
0700; an existing file keeps its mode, and a symlinked file (dotfiles) is written through.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from topcli.config import KEYS, ConfigError, check_key, config_path, key_lines, parse

_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f"}


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string (quoted, with the escapes TOML requires)."""
    out = []
    for char in text:
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif ord(char) < 32 or ord(char) == 127:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def template() -> str:
    """A new config file: every setting commented out, with what it does and its default."""
    lines = [
        "# topcli settings. Uncomment a line to change a default.",
        "# Precedence: command-line flag > TOPCLI_<NAME> environment variable > this file.",
        "",
    ]
    for key in KEYS.values():
        shown = toml_string(key.default) if key.default is not None else '""'
        note = f" (default: {key.default_note})" if key.default is None else ""
        lines += [f"# {key.description}{note}", f"# {key.name} = {shown}", ""]
    return "\n".join(lines)


def _key_span(lines: list[str], start: int) -> int:
    """How many lines the value starting at ``lines[start]`` spans (multi-line strings)."""
    import tomllib

    for end in range(start + 1, len(lines) + 1):
        try:
            tomllib.loads("\n".join(lines[start:end]))
        except tomllib.TOMLDecodeError:
            continue
        return end - start
    return 1


def _comment_of(line: str) -> str:
    """A trailing ``# comment`` on a one-line ``key = value``, kept when the value changes."""
    import tomllib

    for index, char in enumerate(line):
        if char == "#":
            try:
                tomllib.loads(line[:index])
            except tomllib.TOMLDecodeError:
                continue
            return "  " + line[index:]
    return ""


def _top_level_end(lines: list[str]) -> int:
    """The index of the first ``[table]`` header (new keys go before it), or the line count."""
    for index, line in enumerate(lines):
        if re.match(r"\s*\[", line):
            return index
    return len(lines)


def with_value(text: str, name: str, new: str | None) -> str:
    """``text`` with top-level key ``name`` set to ``new`` (or removed when ``None``)."""
    lines = text.splitlines()
    line_no = key_lines(text).get(name)
    if line_no is not None and re.match(r"\s*\[", lines[line_no - 1]):
        line_no = None  # a [table] of that name: not a setting line to rewrite
    if line_no is not None:
        start = line_no - 1
        span = _key_span(lines, start)
        replacement = []
        if new is not None:
            comment = _comment_of(lines[start]) if span == 1 else ""
            replacement = [f"{name} = {toml_string(new)}{comment}"]
        lines[start : start + span] = replacement
    elif new is not None:
        end = _top_level_end(lines)
        while end > 0 and not lines[end - 1].strip() and end < len(lines):
            end -= 1  # before the blank line that separates the first table
        lines.insert(end, f"{name} = {toml_string(new)}")
    return "\n".join(lines) + "\n" if lines else ""


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the config file: {exc}", location=str(path)) from None


def _checked_toml(text: str, path: Path) -> None:
    """Refuse to edit a file that is not TOML: a line-wise change could make it worse."""
    import tomllib

    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        parse(text, path)  # raises the located error
    # unknown keys or bad values on other lines do not stop fixing this one


def set_value(name: str, raw: str) -> tuple[Path, str]:
    """Validate ``raw`` for setting ``name`` and write it; returns the file and stored value."""
    key = check_key(name)
    try:
        stored = key.validate(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}: {exc}") from None
    path = config_path()
    text = _read(path)
    _checked_toml(text, path)
    _write_checked(path, with_value(text, name, stored))
    return path, stored


def unset_value(name: str) -> bool:
    """Remove setting ``name`` from the file; ``False`` when it was not there.

    Any key present in the file can be removed, even an unknown one: that is how a typo is fixed.
    """
    path = config_path()
    text = _read(path)
    if name not in key_lines(text):
        check_key(name)
        return False
    _checked_toml(text, path)
    _write_checked(path, with_value(text, name, None))
    return True


def _write_checked(path: Path, text: str) -> None:
    """Write ``text`` only if it is still TOML (a hand-made layout could defeat the line edit)."""
    import tomllib

    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"could not change the file without breaking it ({exc})",
            location=str(path),
            hint="make the change with 'topcli config edit'",
        ) from None
    write(path, text)


def ensure_file() -> Path:
    """The config file, created from :func:`template` if it does not exist (for ``config edit``)."""
    path = config_path()
    if not path.exists():
        write(path, template())
    return path


def private_folder(folder: Path) -> None:
    """Create ``folder`` and any missing parents 0700; existing folders are left as they are."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir(mode=0o700)
        path.chmod(0o700)  # mkdir's mode is masked by the umask


def write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically: a 0600 temp file beside it, then a rename."""
    target = path.resolve() if path.is_symlink() else path
    try:
        private_folder(target.parent)
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o600
        fd, temp = tempfile.mkstemp(prefix=".config-", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            os.chmod(temp, mode)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ConfigError(
            f"cannot write the config file: {exc.strerror or exc}",
            location=str(path),
            hint="set TOPCLI_CONFIG to a file you can write, or fix the folder's permissions",
        ) from None
