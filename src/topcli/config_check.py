"""Checks of settings that need more than the value itself: ``config set`` and ``doctor``.

A setting's own validator (:mod:`topcli.config`) is pure and cheap, because every command that
reads a setting parses the whole file. Whether ``framework`` names a framework topcli knows
depends on the installed plugins, so it is checked here, where loading them is worth it: when
the value is written (``topcli config set framework ...``) and when ``topcli doctor`` looks at
the config file. A command that uses the setting reports an unknown framework in its own words
(see :func:`topcli.catalog.resolve_framework`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from topcli.config import KEYS, ConfigError, check_values, config_path, key_lines, parse
from topcli.errors import did_you_mean


def check_framework(ref: str, *, location: str | None = None) -> str:
    """``ref`` if it is a known framework id (built-in or plugin) or an existing file.

    A path is returned absolute, so the setting means the same file from any folder. Anything
    else is a :class:`ConfigError` (exit 2) with a suggestion and the list of ids.
    """
    from topcli.catalog import frameworks, looks_like_path

    ref = ref.strip()
    if not ref:
        raise ConfigError("framework: must not be empty", location=location)
    if looks_like_path(ref):
        path = Path(ref).expanduser()
        if path.is_file():
            return str(path.resolve())
        raise ConfigError(
            f"framework: no framework file at '{ref}'",
            location=location,
            hint="give the path of an existing framework YAML file, or a framework id "
            "(see 'topcli frameworks list')",
        )
    known = frameworks()
    if ref in known:
        return ref
    raise ConfigError(
        f"framework: unknown framework '{ref}'{did_you_mean(ref, known)}",
        location=location,
        hint="available: "
        + (", ".join(sorted(known)) or "none")
        + "; or the path to a framework YAML file (a plugin's framework needs the plugin "
        "installed first)",
    )


@dataclass(frozen=True)
class SettingProblem:
    """One thing wrong with the settings, and the command that fixes it."""

    message: str
    fix: str


def problems(path: Path | None = None) -> list[SettingProblem]:
    """Everything wrong with the config file and the ``TOPCLI_<KEY>`` variables, all at once:
    a file that is not TOML, unknown settings, bad values, an unknown framework."""
    import tomllib

    path = path or config_path()
    found: list[SettingProblem] = []
    text = _read(path, found)
    if text is not None:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            try:
                parse(text, path)
            except ConfigError as exc:
                found.append(
                    SettingProblem(exc.message, "correct that line with 'topcli config edit'")
                )
            data = {}
        lines = key_lines(text)
        values, bad = check_values(data, lines, path)
        found += [SettingProblem(exc.message, _fix(exc)) for exc in bad]
        if "framework" in values:
            where = f"{path}:{lines.get('framework', 1)}"
            try:
                check_framework(values["framework"], location=where)
            except ConfigError as exc:
                found.append(SettingProblem(exc.message, _framework_fix(exc)))
    for name, key in KEYS.items():
        raw = os.environ.get(key.env)
        if not raw:
            continue
        fix = f"set {key.env} to a valid value, or remove it (unset {key.env})"
        try:
            checked = key.validate(raw)
        except ValueError as exc:
            found.append(SettingProblem(f"env {key.env}: {exc}", fix))
            continue
        if name == "framework":
            try:
                check_framework(checked, location=f"env {key.env}")
            except ConfigError as exc:
                found.append(SettingProblem(exc.message, f"{fix}; {exc.hint}"))
    return found


def _read(path: Path, found: list[SettingProblem]) -> str | None:
    """The file's text; ``None`` (and a problem when it exists) when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    except IsADirectoryError:
        found.append(SettingProblem(f"{path} is a folder, not a config file", _move(path)))
    except (OSError, UnicodeDecodeError) as exc:
        found.append(SettingProblem(f"{path}: cannot read the config file: {exc}", _move(path)))
    return None


def _move(path: Path) -> str:
    return f"move it aside (mv {path} {path}.old), or set TOPCLI_CONFIG to another file"


def _fix(exc: ConfigError) -> str:
    """The command that fixes a bad line: unset an unknown key, set a valid value."""
    name = exc.key or "KEY"
    if name not in KEYS:
        return f"remove it (topcli config unset {name}) or correct its name; {exc.hint}"
    return (
        f"set a valid value (topcli config set {name} VALUE) or remove it "
        f"(topcli config unset {name})" + (f"; {exc.hint}" if exc.hint else "")
    )


def _framework_fix(exc: ConfigError) -> str:
    return (
        "set a known one (topcli config set framework ID) or remove the setting "
        f"(topcli config unset framework); {exc.hint}"
    )
