"""Bringing a filled-in preparation sheet into a conversation: ``start``/``checkin --prep FILE``.

The person's preparation is theirs: in a terminal each prepared answer is shown before its
question ("Prepared by Sam: ...") and offered as the starting answer, to keep or edit; without
one (``--no-input``, or with ``--answers``) prepared answers count as given and an answers file
wins where both answer a question. Nothing on the sheet is dropped silently: answers that are
not valid for their question are shown as text to work from, and text that could not be placed
under a question is listed before the first question.

A sheet written for someone else or from another framework is not used without a yes: in a
terminal the leader is asked; otherwise ``--force`` says so. The glue sits here, between the
pipeline and the :class:`~topcli.prompts.Prompter`: :class:`PreparedPrompter` wraps the terminal
prompter and passes the prepared answer as the question's default, so neither the prompts nor
the runner know about preparation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from topcli.framework import Framework, Question

if TYPE_CHECKING:
    from topcli.prep_read import Prep
    from topcli.prompts import KeepDraft, Prompter

#: How ``read_prep`` words a sheet for another person, framework or framework version.
_MISMATCH = "this sheet "


@dataclass
class Prepared:
    """A sheet read for one conversation, keyed by that conversation's question ids."""

    #: The file, for messages.
    source: str
    #: Who prepared it, as the sheet says (``None``: it does not say).
    person: str | None
    answers: dict[str, Any] = field(default_factory=dict)
    #: Answers not valid for their question, as written: shown as text to work from.
    unparsed: dict[str, str] = field(default_factory=dict)
    #: Words written beside ticked boxes.
    notes: dict[str, str] = field(default_factory=dict)
    #: How to show an answer instead of the answer itself (a check-in's "revisit" gates).
    shown: dict[str, str] = field(default_factory=dict)
    #: Text that could not be placed under any question, each with its line.
    unmatched: list[str] = field(default_factory=list)
    #: Why an answer is kept as text, each with its line.
    problems: list[str] = field(default_factory=list)

    @property
    def who(self) -> str:
        return self.person or "the person"


def read(path: str, framework: Framework, person: str | None) -> tuple[Prepared, list[str]]:
    """Read the sheet against ``framework``; also return what says it is not for this
    conversation (another person, framework or framework version)."""
    from topcli.prep_read import read_prep

    prep = read_prep(Path(path), framework=framework, person=person)
    return _prepared(prep, path), _mismatches(prep)


def sheet_framework(path: str) -> str | None:
    """The framework a sheet names, to hold the conversation with when no other is chosen."""
    from topcli.errors import FrameworkNotFound
    from topcli.prep_read import read_prep

    try:
        return read_prep(Path(path)).framework_id
    except FrameworkNotFound as exc:
        raise FrameworkNotFound(
            f"{path}: the sheet was written from a framework that is not here ({exc.message})",
            hint="give the framework with --framework ID|PATH (a framework file works too)",
        ) from None


def _prepared(prep: Prep, path: str) -> Prepared:
    return Prepared(
        source=path,
        person=prep.person,
        answers=dict(prep.answers),
        unparsed=dict(prep.unparsed),
        notes=dict(prep.notes),
        unmatched=list(prep.unmatched),
        problems=[p for p in prep.problems if not p.startswith(_MISMATCH)],
    )


def _mismatches(prep: Prep) -> list[str]:
    return [p for p in prep.problems if p.startswith(_MISMATCH)]


def accept(
    path: str, mismatches: list[str], *, interactive: bool, force: bool, today: date
) -> None:
    """A sheet for another person or framework is used only with a yes (or ``--force``)."""
    from topcli.errors import UsageError

    if not mismatches or force:
        return
    reason = "; ".join(mismatches)
    if interactive:
        from topcli.prompts import TerminalPrompter, interrupts
        from topcli.safetext import printable_markup

        terminal = TerminalPrompter(today)
        terminal.console.print(
            f"[yellow]{printable_markup(path)}: {printable_markup(reason)}.[/yellow]"
        )
        with interrupts("nothing was saved yet (no conversation started)"):
            if terminal.confirm("Use this preparation anyway?", default=False, key="use_prep"):
                return
    raise UsageError(
        f"{path}: {reason}; the preparation was not used and nothing was saved",
        hint="give the sheet prepared for this conversation, or add --force to use it anyway",
    )


def report(prepared: Prepared, *, interactive: bool) -> None:
    """Before the first question: what on the sheet cannot be used as it is (never silently)."""
    from rich.console import Console

    from topcli.safetext import printable_markup
    from topcli.wording import plural

    out = Console(stderr=True, highlight=False, soft_wrap=True)
    if prepared.unparsed:
        where = "shown at their questions" if interactive else "not used"
        n = len(prepared.unparsed)
        out.print(
            f"[yellow]warning:[/yellow] {plural(n, 'prepared answer')} "
            f"{'is' if n == 1 else 'are'} not valid for the question and kept as text ({where}):"
        )
        for problem in prepared.problems:
            out.print(f"  {printable_markup(problem)}")
        if not interactive:
            for qid, text in prepared.unparsed.items():
                out.print(f"  {qid}: {printable_markup(text)}")
    if prepared.unmatched:
        out.print(
            f"[yellow]warning:[/yellow] {plural(len(prepared.unmatched), 'part')} of "
            f"{printable_markup(prepared.source)} could not be matched to a question:"
        )
        for line in prepared.unmatched:
            out.print(f"  {printable_markup(line)}")


def as_text(value: Any) -> str:
    """A canonical answer as a person reads it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(as_text(v) for v in value)
    return str(value)


class PreparedPrompter:
    """The terminal prompter, with each prepared answer shown and offered as the default.

    ``kept`` holds the questions whose answer was kept as prepared (the pipeline records them
    as answers from the preparation); changing an answer takes it out again.
    """

    def __init__(self, inner: Prompter, prepared: Prepared) -> None:
        self.inner = inner
        self.prepared = prepared
        self.kept: set[str] = set()
        self._offered: set[str] = set()
        #: the keep keys already explained (each said once, at its first prepared question)
        self._explained: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        # everything else (begin_stage, ask_person, confirm, choose, console, ...) as it is
        return getattr(self.inner, name)

    def ask(
        self, question: Question, default: Any, draft: Any = None, keep: KeepDraft | None = None
    ) -> Any:
        qid = question.id
        self._show(question)
        if qid not in self.prepared.answers:
            return self.inner.ask(question, default, draft, keep)
        prepared = self.prepared.answers[qid]
        # asked again (gone back to): the answer given since is the default, not the sheet's
        offer = default if qid in self._offered else prepared
        self._offered.add(qid)
        value = self.inner.ask(question, offer, draft, keep)
        if value == prepared:
            self.kept.add(qid)
        else:
            self.kept.discard(qid)
        return value

    def _show(self, question: Question) -> None:
        from topcli.prompt_keys import keep_key
        from topcli.safetext import printable_markup

        qid = question.id
        prepared = self.prepared
        lines: list[str] = []
        who = printable_markup(prepared.who)
        if qid in prepared.answers:
            shown = prepared.shown.get(qid, as_text(prepared.answers[qid]))
            lines.append(f"[cyan]Prepared by {who}:[/cyan] {printable_markup(shown)}")
            # said once per key: Enter on most questions, Esc then Enter on a multi-line one
            key = keep_key(question.type)
            if key not in self._explained:
                lines.append(f"[dim]  {key} keeps it; change it as you like.[/dim]")
                self._explained.add(key)
        if qid in prepared.unparsed:
            lines.append(
                f"[cyan]Prepared by {who}[/cyan] [dim](not a valid answer as written; "
                f"shown to work from):[/dim] {printable_markup(prepared.unparsed[qid])}"
            )
        if qid in prepared.notes:
            lines.append(f"[cyan]{who} also wrote:[/cyan] {printable_markup(prepared.notes[qid])}")
        console = getattr(self.inner, "console", None)
        if lines and console is not None:
            console.print()
            for line in lines:
                console.print(line)


def merge(
    prepared: Prepared | None, given: Mapping[str, Any], *, as_given: bool
) -> tuple[Mapping[str, Any], dict[str, str], Prepared | None]:
    """The answers to create the conversation with, where each came from, and what is left
    to offer in the terminal.

    ``as_given`` (no terminal, or an answers file): prepared answers count as given, the
    answers file winning where both answer a question. Otherwise only the file's answers are
    given and the prepared ones (the file's questions taken out) are offered as defaults.
    """
    sources = {str(qid): "answers-file" for qid in given}
    if prepared is None:
        return given, sources, None
    offered = {k: v for k, v in prepared.answers.items() if k not in given}
    if not as_given:
        prepared.answers = offered
        return given, sources, prepared
    if not offered:
        return given, sources, None
    answers = _Marked({**given, **offered})
    # the file's answers keep their lines for messages (the prepared ones were checked already)
    answers.key_marks = dict(getattr(given, "key_marks", {}))
    sources.update({qid: "prep" for qid in offered})
    return answers, sources, None


class _Marked(dict[str, Any]):
    """Answers with the answers file's ``key_marks`` (line, column), for messages."""

    key_marks: dict[Any, tuple[int, int]]


def for_checkin(prepared: Prepared, base: Framework, checkin: Framework) -> Prepared:
    """A sheet for the base framework, keyed by the check-in's "revisit" copies of its questions.

    A stage the person prepared answers for is revisited (its gate answered yes).
    """
    from topcli.checkin import copy_question, revisit_question

    ids = {q.id for _, q in checkin.questions()}
    moved = Prepared(source=prepared.source, person=prepared.person)
    moved.unmatched = list(prepared.unmatched)
    moved.problems = list(prepared.problems)
    for stage, question in base.questions():
        cid = copy_question(stage.id, question.id)
        touched = False
        for mine, theirs in (
            (prepared.answers, moved.answers),
            (prepared.unparsed, moved.unparsed),
            (prepared.notes, moved.notes),
        ):
            if question.id in mine and cid in ids:
                theirs[cid] = mine[question.id]
                touched = True
            elif question.id in mine:
                moved.unmatched.append(
                    f"{prepared.source}: '{question.id}' is not revisited in this check-in"
                )
        gate = revisit_question(stage.id)
        if touched and gate in ids and gate not in moved.answers:
            moved.answers[gate] = True
            moved.shown[gate] = "yes (they prepared answers for this stage)"
    return moved
