"""Defaults a person sets once: the config file, environment variables and built-in values.

Every setting has one :class:`Key`: a description, a validator, an environment variable and a
built-in default. :func:`resolve` answers "what is the value, and where did it come from?" with
the precedence flag > environment > config file > default, so a command passes its own flag value
and never reads the environment or the file itself.

The file is TOML at ``platformdirs.user_config_path("topcli")/config.toml``;
``TOPCLI_CONFIG`` names another file, and ``TOPCLI_HOME`` (which moves everything topcli keeps)
moves it to ``$TOPCLI_HOME/config.toml``. It is read lazily, only when code asks for a key, so a
broken file never stops ``--help``, ``--version``, ``config path`` or ``config edit``: only a
command that needs a setting reports it, naming the file and line.

Writing (``topcli config set/unset``) lives in :mod:`topcli.config_file`, which edits the text
line-wise so comments and the order of other lines survive.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Any, Literal

from topcli.errors import UsageError, did_you_mean

Source = Literal["flag", "env", "config", "default"]


class ConfigError(UsageError):
    """The config file (or a setting's value) is invalid. ``location`` is ``file:line[:col]``."""

    def __init__(
        self,
        message: str,
        *,
        location: str | None = None,
        hint: str | None = None,
        key: str | None = None,
    ):
        super().__init__(f"{location}: {message}" if location else message, hint=hint)
        self.location = location
        self.reason = message
        #: The setting the problem is about, when there is one (``doctor`` names its fix).
        self.key = key


@dataclass(frozen=True)
class Key:
    """One setting: what it means, how to check it, where else it can come from."""

    name: str
    description: str
    #: Checks a value and returns it normalised; raises ``ValueError`` whose text says what
    #: is wrong and how to write it.
    validate: Callable[[str], str]
    default: str | None
    #: What ``config list`` shows for a default of ``None`` (e.g. "$VISUAL, then $EDITOR").
    default_note: str = ""

    @property
    def env(self) -> str:
        return f"TOPCLI_{self.name.upper()}"


@dataclass(frozen=True)
class Setting:
    """A resolved value and where it came from.

    ``kind`` is one of flag/env/config/default; ``source`` says it for a person:
    ``flag``, ``env TOPCLI_REMIND``, ``/home/me/.config/topcli/config.toml:3`` or ``default``.
    """

    key: str
    value: str | None
    kind: Source
    source: str


# --- validators -------------------------------------------------------------------------------

_TERM = re.compile(r"(\d+)\s*([A-Za-z]+)")
_AMOUNT = re.compile(r"\s*(?:\d+\s*[A-Za-z]+\s*)+")


def duration_validator(units: tuple[str, ...], *, allow_zero: bool = False) -> Callable[[str], str]:
    """A validator for amounts of time (``45min``, ``3 months``, ``1h30min``), limited to
    ``units``: the grammar of :mod:`topcli.durations`, so a value the config file accepts is one
    a flag accepts too.

    Returns the value normalised to short units (``3 months`` -> ``3mo``). A bare ``m`` is
    refused: it could mean minutes or months.
    """
    from topcli.durations import UNITS

    example = {"min": "45min", "h": "2h", "d": "1d", "w": "2w", "mo": "3mo", "y": "1y"}
    allowed = ", ".join(units)
    examples = " or ".join(f"'{example[u]}'" for u in units[:2])

    def validate(value: str) -> str:
        if not _AMOUNT.fullmatch(value):
            raise ValueError(
                f"'{value}' is not a number followed by a unit ({allowed}); write e.g. {examples}"
            )
        terms = _TERM.findall(value)
        if any(len(n.lstrip("0")) > 9 for n, _ in terms):
            raise ValueError(f"'{value}' is too large; use a smaller amount")
        found = [(int(n), word.lower()) for n, word in terms]
        for number, word in found:
            if word == "m":
                raise ValueError(
                    f"'{value}' is ambiguous: write '{number}min' for minutes "
                    f"or '{number}mo' for months"
                )
            if UNITS.get(word) not in units:
                raise ValueError(
                    f"'{word}' is not a unit here; use one of {allowed} (e.g. {examples})"
                )
        if not any(number for number, _ in found) and not allow_zero:
            raise ValueError(f"'{value}' must be more than zero")
        return "".join(f"{number}{UNITS[word]}" for number, word in found)

    return validate


def _meeting_time(value: str) -> str:
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", value)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValueError(f"'{value}' is not a time of day as HH:MM (24-hour), e.g. '10:00'")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _timezone(value: str) -> str:
    name = value.strip()
    if name.lower() == "local":
        return "local"
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        # the full list is only read when the name is wrong
        suggestion = did_you_mean(name, zoneinfo.available_timezones())
        raise ValueError(
            f"'{name}' is not an IANA time zone{suggestion} (e.g. 'Europe/Paris', or 'local')"
        ) from None
    return name


def _text(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValueError("must not be empty")
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise ValueError("must be one line without control characters")
    return text


def _command(value: str) -> str:
    text = _text(value)
    try:
        shlex.split(text)
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a command line ({exc}); check its quotes") from None
    return text


def _yes_no(value: str) -> str:
    word = value.strip().lower()
    if word in ("true", "yes", "on", "1"):
        return "true"
    if word in ("false", "no", "off", "0"):
        return "false"
    raise ValueError(f"'{value}' is not true or false")


KEYS: dict[str, Key] = {
    key.name: key
    for key in (
        Key("framework", "Framework for new conversations (id or path).", _text, "top"),
        Key(
            "followup_interval",
            "When the follow-up conversation is proposed, after a conversation.",
            duration_validator(("d", "w", "mo", "y")),
            "3mo",
        ),
        Key("meeting_time", "Time of day for follow-up meetings (HH:MM).", _meeting_time, "10:00"),
        Key("duration", "Length of calendar events.", duration_validator(("min", "h")), "45min"),
        Key(
            "remind",
            "Calendar reminder before an event (0min: as it starts).",
            duration_validator(("min", "h", "d", "w"), allow_zero=True),
            "1d",
        ),
        Key(
            "timezone",
            "IANA time zone for dates and calendars ('local' is the system's).",
            _timezone,
            "local",
        ),
        Key(
            "editor",
            "Editor for long answers and 'config edit' (a command line).",
            _command,
            None,
            "$VISUAL, then $EDITOR",
        ),
        Key(
            "long_answers_in_editor",
            "Open the editor at once for every long answer (true or false).",
            _yes_no,
            "false",
        ),
        Key(
            "pager",
            "Pager for long output in a terminal ('cat' for none).",
            _command,
            None,
            "$PAGER, then 'less -FRX'",
        ),
        Key("leader", "Your name as the leader of conversations.", _text, None, "not set"),
    )
}


# --- the file ---------------------------------------------------------------------------------


def config_path() -> Path:
    """Where the config file is (it need not exist). Never reads it."""
    explicit = os.environ.get("TOPCLI_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    home = os.environ.get("TOPCLI_HOME")
    if home:
        return Path(home).expanduser() / "config.toml"
    import platformdirs

    return platformdirs.user_config_path("topcli", appauthor=False) / "config.toml"


@dataclass(frozen=True)
class ConfigFile:
    """The parsed file: validated values and the line each key is on."""

    path: Path
    values: dict[str, str]
    lines: dict[str, int]

    def where(self, key: str) -> str:
        return f"{self.path}:{self.lines.get(key, 1)}"


_cache: dict[tuple[str, int, int], ConfigFile] = {}


def key_lines(text: str) -> dict[str, int]:
    """The 1-based line of each top-level key (tomllib reports no lines for values).

    A ``[table]`` header ends the top level; its keys are reported as ``table.key``.
    """
    found: dict[str, int] = {}
    table = ""
    pattern = re.compile(r"""\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))\s*=""")
    header = re.compile(r"\s*\[+\s*([^\]]+?)\s*\]+")
    for number, line in enumerate(text.splitlines(), start=1):
        if match := header.match(line):
            table = match.group(1)
            found.setdefault(table, number)
        elif match := pattern.match(line):
            name = next(g for g in match.groups() if g is not None)
            found.setdefault(f"{table}.{name}" if table else name, number)
    return found


def parse(text: str, path: Path) -> ConfigFile:
    """Parse and validate the whole file; any problem is a :class:`ConfigError` at its line."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        if where:
            location = f"{path}:{where.group(1)}:{where.group(2)}"
        else:  # "(at end of document)": the last line
            location = f"{path}:{max(len(text.splitlines()), 1)}"
        reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        raise ConfigError(
            f"not a valid TOML file: {reason}",
            location=location,
            hint="fix it with 'topcli config edit' (settings look like: remind = \"1d\")",
        ) from None
    values, problems = check_values(data, key_lines(text), path)
    if problems:
        raise problems[0]
    return ConfigFile(path, values, key_lines(text))


def check_values(
    data: dict[str, Any], lines: dict[str, int], path: Path
) -> tuple[dict[str, str], list[ConfigError]]:
    """The valid settings of parsed ``data`` and a :class:`ConfigError` for each bad one.

    :func:`parse` stops at the first problem; ``topcli doctor`` lists them all, so one run
    shows everything to fix.
    """
    values: dict[str, str] = {}
    problems: list[ConfigError] = []
    for name, raw in data.items():
        location = f"{path}:{lines.get(name, 1)}"
        key = KEYS.get(name)
        if key is None:
            problems.append(
                ConfigError(
                    f"unknown setting '{name}'{did_you_mean(name, KEYS)}",
                    location=location,
                    hint="the settings are: " + ", ".join(KEYS),
                    key=name,
                )
            )
        elif not isinstance(raw, str):
            problems.append(
                ConfigError(
                    f"{name} must be a string in quotes, not {_toml_type(raw)}",
                    location=location,
                    hint=f'write it as {name} = "{key.default or "..."}"',
                    key=name,
                )
            )
        else:
            try:
                values[name] = key.validate(raw)
            except ValueError as exc:
                problems.append(ConfigError(f"{name}: {exc}", location=location, key=name))
    return values, problems


def _toml_type(value: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", list: "a list"}
    return names.get(type(value), "a table" if isinstance(value, dict) else "a date or time")


def load(path: Path | None = None) -> ConfigFile:
    """The config file, parsed and validated; an empty one when it does not exist.

    Cached per path, size and modification time, so repeated :func:`resolve` calls read the
    file once while an edit in between is still seen.
    """
    path = path or config_path()
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        # no file (or a file where its folder should be): no settings; whatever needs that
        # folder (the store under TOPCLI_HOME) reports the problem in its own words
        return ConfigFile(path, {}, {})
    except OSError as exc:
        reason = f"cannot read the config file: {exc.strerror or exc}"
        raise ConfigError(reason, location=str(path)) from None
    cache_key = (str(path), info.st_size, info.st_mtime_ns)
    if cache_key not in _cache:
        if path.is_dir():
            raise ConfigError("is a folder, not a config file", location=str(path))
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read the config file: {exc}", location=str(path)) from None
        _cache.clear()
        _cache[cache_key] = parse(text, path)
    return _cache[cache_key]


def check_key(name: str) -> Key:
    """The :class:`Key` called ``name``; an unknown name is a usage error with a suggestion."""
    key = KEYS.get(name)
    if key is None:
        raise ConfigError(
            f"unknown setting '{name}'{did_you_mean(name, KEYS)}",
            hint="the settings are: " + ", ".join(KEYS),
        )
    return key


def resolve(
    name: str, flag: str | None = None, *, flag_name: str | None = None, strict: bool = True
) -> Setting:
    """The value of setting ``name``: flag > environment > config file > default.

    ``flag`` is the command-line value, if the command has one and it was given; ``flag_name``
    (``--remind``) names it in messages and as the source. Values from a flag or the environment
    are validated like the file's (an error names the flag or variable).
    With ``strict=False`` a broken config file is skipped instead of reported: for the few
    commands that must work while the file is broken (``config edit`` choosing an editor).
    """
    key = check_key(name)
    if flag is not None:
        origin = flag_name or "the command line"
        return Setting(name, _checked(key, flag, origin), "flag", flag_name or "flag")
    env = os.environ.get(key.env)
    if env:
        return Setting(name, _checked(key, env, key.env), "env", f"env {key.env}")
    try:
        file = load()
    except ConfigError:
        if strict:
            raise
    else:
        if name in file.values:
            return Setting(name, file.values[name], "config", file.where(name))
    return Setting(name, key.default, "default", "default")


def value(name: str, flag: str | None = None, *, flag_name: str | None = None) -> str | None:
    """Just the value of :func:`resolve`."""
    return resolve(name, flag, flag_name=flag_name).value


def zone(name: str) -> tzinfo:
    """A ``timezone`` value as a tzinfo: ``local`` is the system's zone (tzlocal)."""
    if name == "local":
        import tzlocal

        return tzlocal.get_localzone()
    import zoneinfo

    return zoneinfo.ZoneInfo(name)


def resolve_all() -> list[Setting]:
    """Every setting, in the order of :data:`KEYS` (for ``config list``)."""
    return [resolve(name) for name in KEYS]


def _checked(key: Key, raw: str, origin: str) -> str:
    try:
        return key.validate(raw)
    except ValueError as exc:
        raise ConfigError(f"{key.name} from {origin}: {exc}") from None
