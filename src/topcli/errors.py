"""One error hierarchy for everything topcli reports to a user.

Every expected failure raises a :class:`TopcliError` subclass. The single handler in
``topcli.cli`` prints ``error: <message>`` (and the hint, if any) to stderr and exits with the
error's ``exit_code``; tracebacks appear only with ``--debug``. Services never call ``sys.exit``
or print: they raise, so the same code serves the CLI, the tests and plugins.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class TopcliError(Exception):
    """Base class: a problem the user can fix, with a message that says how."""

    exit_code = 1
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

    exit_code = 2


class FrameworkError(TopcliError):
    """A framework file is invalid. ``location`` is ``file:line:column`` where known."""

    exit_code = 3

    def __init__(self, message: str, *, location: str | None = None, hint: str | None = None):
        super().__init__(f"{location}: {message}" if location else message, hint=hint)
        self.location = location
        self.reason = message


class FrameworkNotFound(TopcliError):
    exit_code = 3


class AnswerError(TopcliError):
    """A value is not a valid answer to a question (typed, or from an answers file)."""

    exit_code = 2


class MissingAnswersError(TopcliError):
    """Non-interactive run with required questions left unanswered."""

    exit_code = 2

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

    exit_code = 4


class StorageError(TopcliError):
    """The data folder or database cannot be used."""

    exit_code = 5


class PluginError(TopcliError):
    """A plugin contributed something invalid; the message names the plugin."""

    exit_code = 6


class ExportError(TopcliError):
    """An export cannot be produced or written."""

    exit_code = 7


class ImportFileError(TopcliError):
    """An import file is malformed, from a newer topcli, or clashes with what is stored."""

    exit_code = 8


class Interrupted(TopcliError):
    """The user pressed Ctrl-C or input ended; what was answered is already saved."""

    exit_code = 130
    label = "stopped"


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """Return ``"; did you mean 'x'?"`` for the closest candidate, or ``""``."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
