"""Shared test helpers: key sequences for prompts, and running the CLI with typed keys."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
        return CliRunner().invoke(app, list(args), catch_exceptions=False, **kwargs)
