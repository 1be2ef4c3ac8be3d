"""One error hierarchy for everything topcli reports to a user.

Every expected failure raises a :class:`TopcliError` subclass. The single handler in
``topcli.cli`` prints ``error: <message>`` (and the hint, if any) to stderr and exits with the
error's ``exit_code``; tracebacks appear only with ``--debug``. Services never call ``sys.exit``
or print: they raise, so the same code serves the CLI, the tests and plugins.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum


class ExitCode(IntEnum):
    """The one table of topcli's exit codes, each with what it means to a user or a script.

    Every error class below takes its code from here, ``topcli followup`` exits with
    :attr:`OVERDUE`, and docs/architecture.md's table is :func:`exit_code_table` (a test keeps
    them equal). Codes are a promise to scripts: never renumber one.
    """

    meaning: str

    def __new__(cls, value: int, meaning: str) -> ExitCode:
        member = int.__new__(cls, value)
        member._value_ = value
        member.meaning = meaning
        return member

    ERROR = 1, "other topcli error"
    USAGE = 2, "usage error, invalid or missing answers"
    FRAMEWORK = 3, "invalid or unknown framework"
    NOT_FOUND = 4, "unknown conversation, person or action"
    STORAGE = 5, "the data folder or database cannot be used"
    PLUGIN = 6, "a plugin contributed something invalid"
    EXPORT = 7, "an export cannot be produced or written"
    IMPORT = 8, "an import file is refused (malformed, newer schema, already stored)"
    OVERDUE = (
        10,
        "`topcli followup` only: something is overdue (not an error; for cron jobs and prompts)",
    )
    INTERRUPTED = 130, "paused with Ctrl-C or end of input (answers kept)"


def exit_code_table() -> str:
    """The Markdown table of exit codes, as docs/architecture.md shows it."""
    rows = ["| exit code | meaning |", "|---|---|"]
    rows += [f"| {code.value} | {code.meaning} |" for code in ExitCode]
    return "\n".join(rows)


class TopcliError(Exception):
    """Base class: a problem the user can fix, with a message that says how."""

    exit_code: ExitCode = ExitCode.ERROR
    #: How the top-level handler labels the message.
    label = "error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(TopcliError):
    """Wrong combination of options or a bad argument value."""

    exit_code = ExitCode.USAGE


class FrameworkError(TopcliError):
    """A framework file is invalid. ``location`` is ``file:line:column`` where known."""

    exit_code = ExitCode.FRAMEWORK

    def __init__(self, message: str, *, location: str | None = None, hint: str | None = None):
        super().__init__(f"{location}: {message}" if location else message, hint=hint)
        self.location = location
        self.reason = message


class FrameworkNotFound(TopcliError):
    exit_code = ExitCode.FRAMEWORK


class AnswerError(TopcliError):
    """A value is not a valid answer to a question (typed, or from an answers file)."""

    exit_code = ExitCode.USAGE


class MissingAnswersError(TopcliError):
    """Non-interactive run with required questions left unanswered."""

    exit_code = ExitCode.USAGE

    def __init__(self, missing: list[str], *, hint: str | None = None) -> None:
        lines = "\n".join(f"  - {m}" for m in missing)
        from topcli.wording import plural

        count = plural(len(missing), "required question")
        super().__init__(
            f"{count} {'has' if len(missing) == 1 else 'have'} no answer:\n{lines}", hint=hint
        )
        self.missing = missing


class NotFoundError(TopcliError):
    """An unknown session, person, action or similar id."""

    exit_code = ExitCode.NOT_FOUND


class StorageError(TopcliError):
    """The data folder or database cannot be used."""

    exit_code = ExitCode.STORAGE


class PluginError(TopcliError):
    """A plugin contributed something invalid; the message names the plugin."""

    exit_code = ExitCode.PLUGIN


class ExportError(TopcliError):
    """An export cannot be produced or written."""

    exit_code = ExitCode.EXPORT


class ImportFileError(TopcliError):
    """An import file is malformed, from a newer topcli, or clashes with what is stored."""

    exit_code = ExitCode.IMPORT


class Interrupted(TopcliError):
    """The user pressed Ctrl-C or input ended; what was answered is already saved."""

    exit_code = ExitCode.INTERRUPTED
    label = "stopped"


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """Return ``"; did you mean 'x'?"`` for the closest candidate, or ``""``."""
    import difflib  # only when there is something to suggest

    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
