"""Shared test helpers: key sequences for prompts, running the CLI (with typed keys or none),
seeding conversations, and a real terminal under pexpect."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from typer.testing import CliRunner


class Keys:
    """Key presses as a terminal sends them (what prompt_toolkit's parser expects)."""

    ENTER = "\r"
    ESC_ENTER = "\x1b\r"  # submits a multi-line text prompt
    UP = "\x1b[A"
    DOWN = "\x1b[B"
    SPACE = " "
    CTRL_C = "\x03"
    CTRL_D = "\x04"
    BACKSPACE = "\x7f"
    CTRL_U = "\x15"  # clears a pre-filled default before typing over it


def line(text: str) -> str:
    """Type a one-line answer and press Enter."""
    return text + Keys.ENTER


def block(text: str) -> str:
    """Type a multi-line answer and submit it with Esc, Enter."""
    return text.replace("\n", Keys.ENTER) + Keys.ESC_ENTER


def run_cli(args: Sequence[str], keys: Iterable[str] | str = (), **kwargs: Any):
    """Invoke the CLI in-process with real key presses piped into questionary's prompts.

    CliRunner's own ``input=`` does not reach prompt_toolkit, so the keys go through
    ``create_pipe_input`` inside ``create_app_session``.
    """
    from topcli.cli import app

    text = keys if isinstance(keys, str) else "".join(keys)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(text)
        # when the keys run out, the next prompt sees end of input instead of waiting forever
        pipe.close()
        return CliRunner().invoke(app, list(args), catch_exceptions=False, **kwargs)


# --------------------------------------------------------------------------- a real terminal

#: How long a pexpect test waits for any one thing to appear on the screen.
TERMINAL_TIMEOUT = 10
#: Any run of terminal escape sequences (styles, cursor moves), as a regular expression.
_ANSI = r"(?:\x1b\[[0-9;?]*[A-Za-z])*"


def topcli_executable() -> str:
    """The ``topcli`` script installed beside the interpreter running the tests."""
    import sys
    from pathlib import Path

    return str(Path(sys.executable).parent / "topcli")


def terminal_env(home: Any, now: str) -> dict[str, str]:
    """The environment of a topcli run in a pseudo-terminal: its own data folder and clock."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("TOPCLI_", "COLUMNS"))}
    env.update(
        TOPCLI_HOME=str(home),
        TOPCLI_NOW=now,
        TOPCLI_DISABLE_PLUGIN_AUTOLOAD="1",
        PROMPT_TOOLKIT_NO_CPR="1",
        TERM="xterm",
        NO_COLOR="1",
    )
    env.pop("LINES", None)
    return env


class Terminal:
    """The installed ``topcli`` in a real pseudo-terminal, typed at the way a person types.

    Each method waits for something on the screen before it types, as a person reads the
    question before answering it; ``Keys`` are the key presses, ``keys`` sends any of them.
    """

    def __init__(
        self,
        args: Sequence[str],
        env: dict[str, str],
        *,
        dimensions: tuple[int, int] = (40, 200),
        timeout: float = TERMINAL_TIMEOUT,
    ) -> None:

        import pexpect

        self.child = pexpect.spawn(
            topcli_executable(),
            list(args),
            env=env,
            dimensions=dimensions,
            encoding="utf-8",
            timeout=timeout,
        )
        # every key is sent after its question is on the screen: no need for pexpect's pause
        self.child.delaybeforesend = None

    def expect(self, text: str) -> None:
        """Wait until ``text`` (plain text, not a pattern) is on the screen.

        Styles and cursor moves may sit between any two characters (bold ids, a rule's title),
        so they are allowed there rather than stripped from the screen.
        """
        import re

        self.child.expect(_ANSI.join(re.escape(c) for c in text))

    def expect_re(self, pattern: str) -> str:
        """Wait for a regular expression; return its first group (or the whole match)."""
        self.child.expect(pattern)
        match = self.child.match
        return match.group(1) if match.groups() else match.group(0)

    def keys(self, *keys: str) -> None:
        self.child.send("".join(keys))

    def answer(self, prompt: str, text: str) -> None:
        """A one-line text answer."""
        self.expect(prompt)
        self.keys(line(text))

    def answer_long(self, prompt: str, text: str) -> None:
        """A multi-line answer, finished with Esc then Enter."""
        self.expect(prompt)
        self.keys(block(text))

    def choose(self, prompt: str, downs: int = 0) -> None:
        """A select: move down ``downs`` times from the highlighted choice, then Enter."""
        self.expect(prompt)
        self.keys(Keys.DOWN * downs, Keys.ENTER)

    def pick(self, prompt: str, positions: Iterable[int]) -> None:
        """A checkbox: tick the choices at ``positions`` (0-based, in order), then Enter."""
        self.expect(prompt)
        at = 0
        for position in sorted(positions):
            self.keys(Keys.DOWN * (position - at), Keys.SPACE)
            at = position
        self.keys(Keys.ENTER)

    def accept(self, prompt: str) -> None:
        """Take the pre-filled default."""
        self.expect(prompt)
        self.keys(Keys.ENTER)

    def finish(self) -> int:
        """Wait for topcli to exit; return its exit status."""
        import pexpect

        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus if self.child.exitstatus is not None else -1

    def output(self) -> str:
        """Everything shown since the last match, for failure messages."""
        return str(self.child.before)


def seed_conversation(monkeypatch: Any, answers: Any, now: str) -> None:
    """Hold a conversation from an answers file as if at ``now``, then return to the suite's
    fixed clock (``conftest.FIXED_NOW``)."""
    from conftest import FIXED_NOW

    monkeypatch.setenv("TOPCLI_NOW", now)
    result = run_cli(["start", "--answers", str(answers), "--no-input"])
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("TOPCLI_NOW", FIXED_NOW)


def cli(*args: str) -> Any:
    """Run the CLI in-process without a terminal (no prompts), as a script or cron job would."""
    from topcli.cli import app

    return CliRunner().invoke(app, list(args))


#: Answers files of the follow-through tests (Sam Lee's and Alex Kim's first conversations).
FOLLOWTHROUGH_DATA = Path(__file__).parent / "data" / "followthrough"


def seed(monkeypatch: Any, name: str, now: str = "2026-01-05T10:00:00+00:00") -> None:
    """Hold a conversation from an answers file in tests/data/followthrough at ``now``."""
    seed_conversation(monkeypatch, FOLLOWTHROUGH_DATA / name, now)


def file_mode(path: Path) -> int:
    """A file's permission bits, e.g. ``0o600``."""
    import stat

    return stat.S_IMODE(path.stat().st_mode)
