"""The prompt layer: one small interface, a terminal implementation and a scripted one.

The session runner only calls :class:`Prompter`; the terminal asks with questionary, the scripted
prompter answers from an answers file, and tests drive the terminal one with real key presses.
questionary (and prompt_toolkit) are imported inside the methods so other commands stay fast.

Every questionary call uses ``unsafe_ask()`` so Ctrl-C reaches us as ``KeyboardInterrupt``; we
turn it (and end of input) into :class:`topcli.errors.Interrupted`, and the runner has already
saved every earlier answer.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Protocol

from topcli.errors import AnswerError, Interrupted
from topcli.framework import Question, Stage, parse_action

#: Saves what was typed of an unfinished answer (the actions typed so far).
KeepDraft = Callable[[Any], None]


class Prompter(Protocol):
    def begin_stage(self, stage: Stage, number: int, total: int) -> None:
        """Show the stage before its first unanswered question."""

    def ask(
        self, question: Question, default: Any, draft: Any = None, keep: KeepDraft | None = None
    ) -> Any:
        """Return a canonical answer to ``question`` (see ``Question.parse``)."""

    def ask_person(self) -> str:
        """Who the conversation is with."""


def is_interactive() -> bool:
    """True when someone can answer prompts: a terminal, or input wired in by a host or test."""
    if sys.stdin is not None and sys.stdin.isatty():
        return True
    from prompt_toolkit.application.current import get_app_session

    # create_app_session(input=...) sets this; the default session leaves it unset
    return getattr(get_app_session(), "_input", None) is not None


class ScriptedPrompter:
    """Answers from a mapping (an answers file), falling back to another prompter if given."""

    def __init__(self, values: Mapping[str, Any], fallback: Prompter | None = None) -> None:
        self.values = values
        self.fallback = fallback

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


def prepare_answers(
    questions: list[Question], raw: Mapping[str, Any], today: date, source: str
) -> tuple[dict[str, Any], list[Question]]:
    """Validate answers-file values through ``Question.parse``; list what is still missing.

    Walks the questions in order so ``when`` conditions see the earlier answers. A missing
    question with a default takes the default when nothing else can answer it.
    """
    by_id = {q.id: q for q in questions}
    from topcli.errors import did_you_mean

    for key in raw:
        if key not in by_id:
            raise AnswerError(
                f"{source}: unknown question id '{key}'{did_you_mean(str(key), by_id)}",
                hint="'topcli frameworks show ID' lists the question ids",
            )
    parsed: dict[str, Any] = {}
    missing: list[Question] = []
    for question in questions:
        if not question.applies(parsed):
            continue
        if question.id in raw:
            try:
                parsed[question.id] = question.parse(raw[question.id], today=today)
            except AnswerError as exc:
                raise AnswerError(
                    f"{source}: answer to '{question.id}': {exc.message}", hint=exc.hint
                ) from None
        elif question.required and question.default_value(today) is None:
            missing.append(question)
    return parsed, missing


class TerminalPrompter:
    """Asks in a terminal with questionary; prints stages and help with rich."""

    def __init__(self, today: date, console: Any = None) -> None:
        self.today = today
        if console is None:
            from rich.console import Console

            console = Console(highlight=False)
        self.console = console

    # ---------------------------------------------------------------- display

    def begin_stage(self, stage: Stage, number: int, total: int) -> None:
        from rich.markup import escape

        self.console.print()
        self.console.rule(f"[bold]Stage {number} of {total}: {escape(stage.title)}[/bold]")
        if stage.purpose:
            self.console.print(escape(stage.purpose))
        if stage.tips:
            self.console.print("[dim]Tips for you, the leader:[/dim]")
            for tip in stage.tips:
                self.console.print(f"[dim]  • {escape(tip)}[/dim]")
        self.console.print()

    def _show_help(self, question: Question) -> None:
        if question.help:
            from rich.markup import escape

            self.console.print(f"[dim]  {escape(question.help.strip())}[/dim]")

    # ---------------------------------------------------------------- asking

    def ask_person(self) -> str:
        import questionary

        name = self._run(
            questionary.text(
                "Who is this conversation with?",
                validate=lambda text: bool(text.strip()) or "Please enter a name",
            )
        )
        return " ".join(str(name).split())

    def ask(
        self, question: Question, default: Any, draft: Any = None, keep: KeepDraft | None = None
    ) -> Any:
        self._show_help(question)
        if question.type == "actions":
            return self._ask_actions(question, draft or [], keep)
        raw = self._run(self._build(question, default))
        return question.parse(raw, today=self.today)

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

        message = question.prompt + ("" if question.required else " (optional)")
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
            return questionary.text(
                message,
                default=text_default,
                multiline=True,
                validate=self._validator(question),
                instruction="(several lines; Esc then Enter to finish)",
            )
        hint = {"date": " (YYYY-MM-DD)", "followup": " (YYYY-MM-DD, or e.g. +3 months)"}
        return questionary.text(
            message + hint.get(kind, ""), default=text_default, validate=self._validator(question)
        )

    def _ask_actions(
        self, question: Question, draft: list[dict[str, Any]], keep: KeepDraft | None
    ) -> list[dict[str, Any]]:
        import questionary

        actions = list(draft)
        self.console.print(f"[bold]{question.prompt}[/bold]")
        if actions:
            self.console.print(f"[dim]  {len(actions)} action(s) kept from last time.[/dim]")
        self.console.print("[dim]  One action at a time; leave 'what' empty when done.[/dim]")
        while True:
            n = len(actions) + 1
            need_one = question.required and not actions
            what = str(
                self._run(
                    questionary.text(
                        f"Action {n}: what will be done?",
                        validate=lambda t, need_one=need_one: (
                            bool(t.strip()) or not need_one or "Add at least one action"
                        ),
                    )
                )
            ).strip()
            if not what:
                return actions
            due = self._run(
                questionary.text(
                    f"Action {n}: by when? (YYYY-MM-DD, or e.g. +6 weeks)",
                    validate=self._date_validator,
                )
            )
            success = self._run(questionary.text(f"Action {n}: how will we know it worked?"))
            support = self._run(questionary.text(f"Action {n}: what support is needed?"))
            actions.append(
                parse_action(
                    {"what": what, "due": due, "success": success, "support": support},
                    today=self.today,
                )
            )
            if keep is not None:
                keep(actions)

    def _date_validator(self, text: str) -> bool | str:
        from topcli.framework import parse_date

        try:
            parse_date(text, today=self.today)
        except AnswerError as exc:
            return f"{exc.message} ({exc.hint})"
        return True

    @staticmethod
    def _run(prompt: Any) -> Any:
        try:
            return prompt.unsafe_ask()
        except KeyboardInterrupt:
            raise Interrupted("interrupted") from None
        except EOFError:
            raise Interrupted("input ended") from None
