"""The actions question in a terminal: one action at a time, field by field, with a draft.

An action is four fields (what, by when, how we will know, support), each its own prompt, so the
back key moves one field back, and from an action's first field into the previous action's last
one; from the first field of the first action it leaves the question (:class:`GoBack`) for the
runner to ask the question before.

The draft (see :func:`draft_value`) is the list of whole actions typed so far, and when a pause
or a back key leaves an action half-typed, that action last, marked ``"unfinished": true`` with
only the fields typed. Resuming offers its fields as defaults; ``sessions show`` lists it. The
note key keeps the draft the same way, and the runner asks the question again from it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from topcli.errors import AnswerError, Interrupted
from topcli.framework import Question, parse_action
from topcli.prompt_keys import BACK_KEYS, AddNote, GoBack
from topcli.wording import plural

if TYPE_CHECKING:  # prompts imports this module when it asks an actions question
    from topcli.prompts import TerminalPrompter

#: The fields of an action in the order they are asked, and their question (``{n}``: number).
FIELDS: tuple[tuple[str, str], ...] = (
    ("what", "Action {n}: what will be done?"),
    ("due", "Action {n}: by when? (YYYY-MM-DD, or e.g. +6 weeks)"),
    ("success", "Action {n}: how will we know it worked?"),
    ("support", "Action {n}: what support is needed?"),
)
UNFINISHED = "unfinished"


def split_draft(draft: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A stored draft as (whole actions, the half-typed action's fields or ``{}``)."""
    actions = [dict(a) for a in (draft or []) if isinstance(a, Mapping)]
    if actions and actions[-1].get(UNFINISHED):
        partial = actions.pop()
        return actions, {k: v for k, v in partial.items() if k != UNFINISHED}
    return actions, {}


def draft_value(actions: Sequence[Mapping[str, Any]], partial: Mapping[str, Any]) -> Any:
    """What is kept as the draft: the whole actions, then the half-typed one if any."""
    kept: list[Any] = [dict(a) for a in actions]
    typed = {k: v for k, v in partial.items() if v not in (None, "")}
    if typed:
        kept.append({**typed, UNFINISHED: True})
    return kept


class ActionsAsker:
    """Asks an actions question with a :class:`topcli.prompts.TerminalPrompter`'s widgets."""

    def __init__(self, prompter: TerminalPrompter, today: date) -> None:
        self.prompter = prompter
        self.today = today

    def ask(
        self, question: Question, draft: Any, keep: Callable[[Any], None] | None
    ) -> list[dict[str, Any]]:
        """The actions, typed one at a time after the draft's; empty 'what' finishes."""
        from topcli.safetext import printable_markup as escape

        console = self.prompter.console
        actions, partial = split_draft(draft)
        console.print()
        optional = "" if question.required else " (optional)"
        console.print(f"[bold]{escape(question.prompt)}[/bold]{optional}")
        if question.help:
            self.prompter.indented(question.help.strip())
        if actions:
            kept = plural(len(actions), "action")
            console.print(f"[dim]  {kept} kept from last time.[/dim]")
        if partial:
            console.print(
                f"[dim]  Action {len(actions) + 1} was half-typed: "
                "what you typed is offered again.[/dim]"
            )
        console.print(
            "[dim]  One action at a time; leave 'what' empty when done; "
            f"{BACK_KEYS} goes back a field.[/dim]"
        )
        field = 0
        try:
            while True:
                name = FIELDS[field][0]
                try:
                    value = self._field(
                        question,
                        field,
                        len(actions) + 1,
                        need_one=not actions,
                        default=partial.get(name),
                    )
                except AddNote as signal:  # the field typed so far is kept in the draft
                    if signal.typed:
                        partial[name] = signal.typed
                    raise
                except GoBack:
                    if field > 0:
                        field -= 1
                    elif actions:
                        last = actions.pop()
                        partial = {k: last.get(k, "") for k, _ in FIELDS}
                        field = len(FIELDS) - 1
                    else:
                        raise
                    continue
                if field == 0 and not value:
                    return actions
                if name == "due":  # kept as the date it is, not "+6 weeks" from another day
                    typed, value = value, self._date(value)
                    self._said_date(typed, value)
                partial[name] = value
                if field < len(FIELDS) - 1:
                    field += 1
                    continue
                actions.append(self._added(partial, len(actions) + 1))
                partial, field = {}, 0
                if keep is not None:
                    keep(actions)
        except (Interrupted, GoBack, AddNote):
            # a pause, going back past the first action, or a note: keep what was typed
            if keep is not None:
                keep(draft_value(actions, partial))
            raise

    def _field(
        self, question: Question, field: int, n: int, *, need_one: bool, default: Any
    ) -> str:
        import questionary

        name, prompt = FIELDS[field]
        validate: Callable[[str], bool | str] = lambda _: True  # noqa: E731
        if name == "what":
            required = question.required and need_one

            def validate(text: str) -> bool | str:
                return bool(text.strip()) or not required or "Add at least one action"

        elif name == "due":
            validate = self._date_validator
        text = questionary.text(
            prompt.format(n=n), default="" if default is None else str(default), validate=validate
        )
        return str(self.prompter.run_prompt(text, kind="text", back=True)).strip()

    def _added(self, typed: Mapping[str, Any], n: int) -> dict[str, Any]:
        console = self.prompter.console
        action = parse_action(dict(typed), today=self.today)
        from topcli.durations import with_weekday

        # a relative date ("+6 weeks") is shown as the date it became, with its weekday
        console.print(f"[dim]  Action {n} added, due {with_weekday(action['due'])}.[/dim]")
        return action

    def _said_date(self, typed: str, due: str) -> None:
        """Right after 'by when': the date a free-form answer became, and a note when it is in
        the past (allowed: a late plan is recorded late; the action shows as overdue)."""
        self.prompter.echo_date(typed, due)
        if due < self.today.isoformat():
            self.prompter.console.print(
                f"[yellow]  Note: {due} is in the past; the action is kept and "
                "will show as overdue.[/yellow]"
            )

    def _date(self, text: str) -> str:
        from topcli.durations import parse_date

        return parse_date(text, today=self.today).isoformat()

    def _date_validator(self, text: str) -> bool | str:
        try:
            self._date(text)
        except AnswerError as exc:
            return f"{exc.message} ({exc.hint})"
        return True
