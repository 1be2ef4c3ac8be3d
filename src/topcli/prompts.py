"""The prompt layer: one small interface, a terminal implementation and a scripted one.

The session runner only calls :class:`Prompter`; the terminal asks with questionary, the scripted
prompter answers from an answers file, and tests drive the terminal one with real key presses.
questionary (and prompt_toolkit) are imported inside the methods so other commands stay fast.

Every questionary call uses ``unsafe_ask()`` so Ctrl-C reaches us as ``KeyboardInterrupt``; we
turn it (and end of input) into :class:`topcli.errors.Interrupted` with :func:`interrupts`, the
one place that does, and the runner has already saved every earlier answer.

Every terminal prompt gets topcli's keys (:mod:`topcli.prompt_keys`): Esc and Esc-Enter never
end a list, checkbox or yes/no question, and the questions of a framework have the back keys,
which raise :class:`GoBack` for the runner, and the note key (:class:`AddNote`, the note asked
by :mod:`topcli.prompt_note`). The actions question is asked field by field by prompt_actions.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from topcli.errors import AnswerError, Interrupted
from topcli.prompt_keys import (
    KEYS_HINT,
    AddNote,
    GoBack,
    OpenEditor,
    describe,
    keyed,
    long_text_hint,
)

__all__ = ["AddNote", "GoBack", "Prompter", "ScriptedPrompter", "TerminalPrompter", "interrupts"]

if TYPE_CHECKING:
    from topcli.framework import Question, Stage

#: Saves what was typed of an unfinished answer (the actions typed so far).
KeepDraft = Callable[[Any], None]

T = TypeVar("T")


@contextmanager
def interrupts(
    then: str | Callable[[str], Interrupted] | None = None,
) -> Iterator[None]:
    """Ctrl-C and end of input inside the block become :class:`Interrupted`: the one place.

    The reason is "interrupted" (Ctrl-C) or "input ended" (end of input). ``then`` says what
    the interruption means where it happens: a message ("nothing was deleted"), or a function
    from the reason to the error (a paused conversation says what is kept and how to go on).
    An :class:`Interrupted` raised inside (by a prompt) passes through as it is without
    ``then``, and is worded by ``then`` with its message as the reason otherwise, so each
    layer says its part once.
    """
    try:
        yield
    except Interrupted as exc:
        if then is None:
            raise
        raise _interrupted(then, exc.message) from None
    except KeyboardInterrupt:
        raise _interrupted(then, "interrupted") from None
    except EOFError:
        raise _interrupted(then, "input ended") from None


def _interrupted(then: str | Callable[[str], Interrupted] | None, reason: str) -> Interrupted:
    if then is None:
        return Interrupted(reason)
    return Interrupted(then) if isinstance(then, str) else then(reason)


class Prompter(Protocol):
    def begin_stage(self, stage: Stage, number: int, total: int) -> None:
        """Show the stage before its first unanswered question."""

    def ask(
        self, question: Question, default: Any, draft: Any = None, keep: KeepDraft | None = None
    ) -> Any:
        """Return a canonical answer to ``question`` (see ``Question.parse``).

        May raise :class:`GoBack` (the previous question, please) or :class:`AddNote` (with a
        private note taken and what was typed); a scripted prompter never does.
        """

    def ask_person(self) -> str:
        """Who the conversation is with."""

    def confirm(self, message: str, *, default: bool = False, key: str | None = None) -> bool:
        """A yes/no question outside a framework (``key`` names it for a scripted answer)."""

    def choose(
        self, message: str, choices: Sequence[tuple[str, T]], *, key: str | None = None
    ) -> T:
        """One of ``choices`` (label, value): returns the value of the one picked."""


def is_interactive() -> bool:
    """True when someone can answer prompts: a terminal, or input wired in by a host or test."""
    if sys.stdin is not None and sys.stdin.isatty():
        return True
    if "prompt_toolkit" not in sys.modules:
        # input can only have been wired in through prompt_toolkit: without a terminal, a
        # light command must not pay for importing it just to find that nobody did
        return False
    from prompt_toolkit.application.current import get_app_session

    # create_app_session(input=...) sets this; the default session leaves it unset
    return getattr(get_app_session(), "_input", None) is not None


class ScriptedPrompter:
    """Answers from a mapping (an answers file), falling back to another prompter if given."""

    def __init__(self, values: Mapping[str, Any], fallback: Prompter | None = None) -> None:
        self.values = values
        self.fallback = fallback

    @property
    def asks_a_person(self) -> bool:
        """Without a fallback nobody is asked: the runner may save the answers together."""
        return self.fallback is not None

    def begin_stage(self, stage: Stage, number: int, total: int) -> None:
        if self.fallback is not None:
            self.fallback.begin_stage(stage, number, total)

    def ask(
        self, question: Question, default: Any, draft: Any = None, keep: KeepDraft | None = None
    ) -> Any:
        if question.id in self.values:
            return self.values[question.id]
        if self.fallback is not None:
            return self.fallback.ask(question, default, draft, keep)
        # prepare_answers() already refused missing required answers without a default
        return default

    def ask_person(self) -> str:
        if self.fallback is None:
            raise AnswerError("no person given", hint="use --person NAME")
        return self.fallback.ask_person()

    def confirm(self, message: str, *, default: bool = False, key: str | None = None) -> bool:
        if key is not None and key in self.values:
            return bool(self.values[key])
        if self.fallback is not None:
            return self.fallback.confirm(message, default=default, key=key)
        return default

    def choose(
        self, message: str, choices: Sequence[tuple[str, T]], *, key: str | None = None
    ) -> T:
        """The scripted value (a choice's value or its label), else the fallback's pick."""
        if key is not None and key in self.values:
            wanted = self.values[key]
            for label, value in choices:
                if wanted in (value, label):
                    return value
            raise AnswerError(
                f"answer to '{key}': {wanted!r} is not one of the choices",
                hint="choose one of: " + ", ".join(label for label, _ in choices),
            )
        if self.fallback is not None:
            return self.fallback.choose(message, choices, key=key)
        raise AnswerError(f"no answer to '{key or message}'", hint="run it in a terminal")


class TerminalPrompter:
    """Asks in a terminal with questionary; prints stages and help with rich."""

    def __init__(self, today: date, console: Any = None) -> None:
        self.today = today
        if console is None:
            from rich.console import Console

            console = Console(highlight=False)
        self.console = console
        self._keys_shown = False

    # ---------------------------------------------------------------- display

    def begin_stage(self, stage: Stage, number: int, total: int) -> None:
        # a stored framework (an imported conversation's) is text like any other: shown safely
        from topcli.safetext import printable
        from topcli.safetext import printable_markup as escape

        if not self._keys_shown:  # once, as the conversation starts
            self._keys_shown = True
            self.console.print(f"[dim]{KEYS_HINT}[/dim]")
        self.console.print()
        self.console.rule(f"[bold]Stage {number} of {total}: {escape(stage.title)}[/bold]")
        if stage.purpose:
            self.console.print(escape(stage.purpose))
        if stage.tips:
            tips = [printable(tip) for tip in stage.tips]
            self.console.print("[dim]Tips for you, the leader:[/dim]")
            for tip in tips:
                self.indented(tip, bullet="• ")

    def _show_help(self, question: Question) -> None:
        # a blank line first, so the help reads with the question below it and not as part
        # of the answer above it
        self.console.print()
        if question.help:
            from topcli.safetext import printable

            self.indented(printable(question.help.strip()))

    def indented(self, text: str, bullet: str = "") -> None:
        """Dim text indented by two, wrapped lines kept under its first word."""
        from rich.padding import Padding
        from rich.table import Table
        from rich.text import Text

        row = Table.grid()
        cells = [Text(bullet, style="dim")] if bullet else []
        for _ in cells:
            row.add_column(no_wrap=True)
        row.add_column()
        row.add_row(*cells, Text(text, style="dim"))
        self.console.print(Padding(row, (0, 0, 0, 2)))

    # ---------------------------------------------------------------- asking

    def ask_person(self) -> str:
        import questionary

        name = self.run_prompt(
            questionary.text(
                "Who is this conversation with?",
                validate=lambda text: bool(text.strip()) or "Please enter a name",
            ),
        )
        return " ".join(str(name).split())

    def confirm(self, message: str, *, default: bool = False, key: str | None = None) -> bool:
        import questionary

        return bool(self.run_prompt(questionary.confirm(message, default=default), kind="confirm"))

    def choose(
        self, message: str, choices: Sequence[tuple[str, T]], *, key: str | None = None
    ) -> T:
        import questionary

        options = [questionary.Choice(label, value=value) for label, value in choices]
        picked: T = self.run_prompt(questionary.select(message, choices=options), kind="select")
        return picked

    def ask(
        self, question: Question, default: Any, draft: Any = None, keep: KeepDraft | None = None
    ) -> Any:
        try:
            return self._ask(question, default, draft, keep)
        except AddNote as signal:  # the note key: the note is asked here, kept by the runner
            from topcli.prompt_note import ask_note

            signal.note = ask_note(self)
            raise

    def _ask(self, question: Question, default: Any, draft: Any, keep: KeepDraft | None) -> Any:
        if question.type == "actions":
            from topcli.prompt_actions import ActionsAsker

            return ActionsAsker(self, self.today).ask(question, draft, keep)
        self._show_help(question)
        if question.type == "long_text":
            return question.parse(self._ask_long(question, default), today=self.today)
        kind = _KIND.get(question.type, "text")
        raw = self.run_prompt(self._build(question, default), kind=kind, back=True)
        answer = question.parse(raw, today=self.today)
        if question.type in ("date", "followup") and answer:  # framework.DATE_TYPES
            self.echo_date(raw, answer)
        return answer

    def echo_date(self, typed: Any, day: str) -> None:
        """Say the date a free-form answer became ("next friday" -> ``Fri 2026-03-06``), right
        after it is typed, so a surprise is caught while the question is still fresh."""
        text = " ".join(str(typed).split())
        if text == day:
            return
        from topcli.durations import with_weekday
        from topcli.safetext import printable_markup

        self.console.print(f"[dim]  {printable_markup(text)} → {with_weekday(day)}[/dim]")

    def _ask_long(self, question: Question, default: Any) -> Any:
        """A multi-line answer; Ctrl-X Ctrl-E (or the config setting) brings in the editor."""
        from topcli.config import ConfigError, resolve

        text = "" if default is None else str(default)
        notice = None
        # a bad setting must not end a conversation: it is said under the prompt, and is off
        try:
            at_once = resolve("long_answers_in_editor", strict=False).value == "true"
        except ConfigError as exc:
            at_once, notice = False, describe(exc)
        if at_once:
            text, notice = self._edit(text, question)
        while True:
            prompt = self._build(question, text)
            raw = self.run_prompt(prompt, kind="text", back=True, editor=True, notice=notice)
            if not isinstance(raw, OpenEditor):
                return raw
            text, notice = self._edit(raw.text, question)

    def _edit(self, text: str, question: Question) -> tuple[str, str | None]:
        """The text after the editor, or the same text and why the editor did not change it."""
        from topcli.editor import EditorError, edit_text

        try:
            return edit_text(text, comment=question.prompt), None
        except EditorError as exc:
            return text, describe(exc)

    def _validator(self, question: Question) -> Callable[[Any], bool | str]:
        def validate(value: Any) -> bool | str:
            try:
                question.parse(value, today=self.today)
            except AnswerError as exc:
                return exc.message + (f" ({exc.hint})" if exc.hint else "")
            return True

        return validate

    def _build(self, question: Question, default: Any) -> Any:
        import questionary

        from topcli.safetext import printable

        message = printable(question.prompt) + ("" if question.required else " (optional)")
        kind = question.type
        if kind == "select":
            return questionary.select(
                message,
                choices=list(question.choices),
                default=default if default in question.choices else None,
            )
        if kind == "multiselect":
            chosen = set(default or [])
            return questionary.checkbox(
                message,
                choices=[questionary.Choice(c, checked=c in chosen) for c in question.choices],
                validate=lambda picked: self._validator(question)(picked),
                instruction="(space to pick, enter when done)",
            )
        if kind == "confirm":
            return questionary.confirm(message, default=True if default is None else bool(default))
        text_default = "" if default is None else str(default)
        if kind == "long_text":
            # prompt_toolkit draws nothing at all when a multi-line prompt's first input line is
            # wider than the terminal, and never wraps the lines above it: so the question is
            # wrapped here and the typing starts on a line of its own
            return questionary.text(
                _wrap(message, _terminal_columns() - 3),
                default=text_default,
                multiline=True,
                validate=self._validator(question),
                instruction=f"\n  {long_text_hint()}\n>",
            )
        hint = {"date": " (YYYY-MM-DD)", "followup": " (YYYY-MM-DD, or e.g. +3 months)"}
        return questionary.text(
            message + hint.get(kind, ""), default=text_default, validate=self._validator(question)
        )

    @staticmethod
    def run_prompt(
        prompt: Any,
        *,
        kind: str = "text",
        back: bool = False,
        editor: bool = False,
        notice: str | None = None,
    ) -> Any:
        """Ask with topcli's keys; ``back``: a conversation's, with the back and note keys."""
        keyed(prompt, kind=kind, back=back, editor=editor, notice=notice, note=back)
        with interrupts():
            return prompt.unsafe_ask()


#: The kind of widget (for :func:`topcli.prompt_keys.keyed`) of each question type.
_KIND = {"select": "select", "multiselect": "checkbox", "confirm": "confirm"}


def _terminal_columns() -> int:
    from prompt_toolkit.application.current import get_app_session

    try:
        return get_app_session().output.get_size().columns or 80
    except Exception:  # no terminal to ask: assume the classic width
        return 80


def _wrap(text: str, width: int) -> str:
    """``text`` wrapped to ``width``, later lines indented under the question mark."""
    import textwrap

    return "\n  ".join(textwrap.wrap(text, width=max(width, 20)) or [""])
