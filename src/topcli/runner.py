"""The session runner: walks a framework stage by stage and saves each answer as it is given.

It knows nothing of Typer or of terminals: it talks to a :class:`topcli.prompts.Prompter` and a
:class:`topcli.store.Store`, so the same code runs a terminal conversation, an answers file and
the tests. Resuming is running again: answered questions are skipped, so the conversation
continues at the first unanswered question.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from topcli.errors import Interrupted
from topcli.framework import Framework
from topcli.prompts import Prompter
from topcli.session import Session
from topcli.store import Store
from topcli.wording import plural


@dataclass
class SessionRunner:
    store: Store
    prompter: Prompter
    today: date

    def run(self, session_id: str) -> Session:
        """Ask every unanswered question that applies; mark the session complete at the end."""
        session = self.store.load(session_id)
        framework = session.framework
        answers: dict[str, Any] = dict(session.answers)
        total = len(framework.stages)
        for number, stage in enumerate(framework.stages, start=1):
            shown = False
            for question in stage.questions:
                if question.id in answers or not question.applies(answers):
                    continue
                if not shown:
                    self.prompter.begin_stage(stage, number, total)
                    shown = True
                qid = question.id
                try:
                    value = self.prompter.ask(
                        question,
                        question.default_value(self.today),
                        draft=self.store.draft(session.id, qid),
                        keep=lambda v, qid=qid: self.store.save_draft(session.id, qid, v),
                    )
                except Interrupted as exc:
                    raise paused(session, len(answers), reason=exc.message) from None
                self.store.save_answer(session.id, question, value)
                answers[qid] = value
        with self.store.transaction():
            if session.kind == "checkin":
                # here, not in 'topcli checkin', so finishing through 'topcli resume' applies it too
                from topcli.checkin import apply_outcome

                apply_outcome(self.store, session.id)
            self.store.complete(session.id)
        return self.store.load(session.id)


def paused(session: Session, saved: int, *, reason: str = "interrupted") -> Interrupted:
    """The message for a conversation left part-way: what is kept and how to go on."""
    return Interrupted(
        f"conversation with {session.person_name} paused"
        + ("" if reason == "interrupted" else f" ({reason})")
        + f"; {plural(saved, 'answer')} saved",
        hint=f"continue where you left off with: topcli resume {session.id}",
    )


@dataclass
class StartRequest:
    """What ``topcli start`` was asked for, from flags and an optional answers file."""

    framework: str | None = None
    person: str | None = None
    answers_file: str | None = None
    interactive: bool = True


def start_session(
    request: StartRequest,
    store_factory: Any = None,
    on_ready: Callable[[], None] | None = None,
) -> Session:
    """Resolve the framework, check given answers, create the session and run it.

    Everything that can be refused (unknown framework, bad answers file, missing answers when
    no one can be asked) is refused before the session is created, so a bad run leaves nothing
    half made. ``on_ready`` runs once everything is checked and before the first question (the
    CLI prints plugin warnings there, so a leader hears of a skipped plugin before, not after,
    the conversation).
    """
    from topcli import clock
    from topcli.catalog import looks_like_path, resolve_framework, with_plugin_questions
    from topcli.errors import MissingAnswersError
    from topcli.loader import load_answers_file
    from topcli.prompts import ScriptedPrompter, TerminalPrompter, prepare_answers

    today = clock.today()
    given: dict[str, Any] = {"person": None, "framework": None, "answers": {}}
    if request.answers_file:
        given = load_answers_file(request.answers_file)
    framework_ref = request.framework
    if framework_ref is None and given.get("framework"):
        framework_ref = str(given["framework"])
        if looks_like_path(framework_ref) and request.answers_file:
            # a path in an answers file is relative to that file, wherever topcli runs from
            framework_ref = str(Path(request.answers_file).parent / framework_ref)
    framework = with_plugin_questions(resolve_framework(framework_ref))
    person = request.person or (str(given["person"]) if given.get("person") else None)
    parsed, missing = prepare_answers(
        [q for _, q in framework.questions()],
        given["answers"],
        today,
        source=request.answers_file or "answers",
    )
    terminal = TerminalPrompter(today) if request.interactive else None
    if terminal is None:
        names = [f"{q.id}: {q.prompt}" for q in missing]
        if not person:
            names.insert(0, "person: who the conversation is with")
        if names:
            raise MissingAnswersError(
                names,
                hint="answer them in an answers file (--answers FILE, see docs/frameworks.md) "
                "or run 'topcli start' in a terminal",
            )
    if on_ready is not None:
        on_ready()
    store = (store_factory or Store)()
    if not person:
        assert terminal is not None
        try:
            person = terminal.ask_person()
        except Interrupted:
            raise Interrupted("nothing was saved yet (no conversation started)") from None
    with store.transaction():
        person_row = store.person_for_new_session(person)
        session_id = create_with_answers(store, person_row["id"], framework, parsed)
    runner = SessionRunner(store, terminal or ScriptedPrompter({}), today)
    if terminal is not None:
        from rich.markup import escape

        terminal.console.print(
            f"Conversation [bold]{session_id}[/bold] with {escape(person_row['name'])} "
            f"({escape(framework.name)} {escape(framework.version)}). "
            "Every answer is saved as you go; Ctrl-C pauses."
        )
    return runner.run(session_id)


def create_with_answers(
    store: Store, person_id: str, framework: Framework, given: dict[str, Any], **kwargs: Any
) -> str:
    """Create a session holding the (already checked) answers from an answers file.

    They are kept at once, in the same transaction as the session, so a pause at the first
    question the file leaves open loses none of them, and ``topcli resume`` asks only what is
    still missing. ``kwargs`` go to :meth:`Store.create_session` (kind, previous_id).
    """
    with store.transaction():
        session_id = store.create_session(person_id, framework, **kwargs)
        for _, question in framework.questions():
            if question.id in given:
                store.save_answer(session_id, question, given[question.id])
    return session_id


def resume_session(session_id: str | None, interactive: bool) -> tuple[Session, bool]:
    """Continue a conversation at its first unanswered question.

    Returns the session and whether it was already complete (nothing was asked).
    """
    from topcli import clock
    from topcli.errors import MissingAnswersError, NotFoundError
    from topcli.prompts import ScriptedPrompter, TerminalPrompter, prepare_answers

    store = Store()
    if session_id is None:
        row = store.latest_session_row(status="in_progress")
        if row is None:
            raise NotFoundError(
                "there is no conversation in progress to resume",
                hint="start one with: topcli start",
            )
        session_id = row["id"]
    session = store.load(session_id)
    if session.is_complete:
        return session, True
    today = clock.today()
    if not interactive:
        # only what must be typed stops it: optional questions and defaults need no one
        _, missing = prepare_answers(
            [q for _, q in session.framework.questions()],
            {},
            today,
            source="resume",
            answered=session.answers,
        )
        if missing:
            raise MissingAnswersError(
                [f"{q.id}: {q.prompt}" for q in missing],
                hint=f"run 'topcli resume {session.id}' in a terminal to answer them",
            )
        return SessionRunner(store, ScriptedPrompter({}), today).run(session.id), False
    from rich.markup import escape

    terminal = TerminalPrompter(today)
    terminal.console.print(
        f"Resuming conversation [bold]{session.id}[/bold] with {escape(session.person_name)}: "
        f"{plural(len(session.answers), 'answer')} already saved."
    )
    return SessionRunner(store, terminal, today).run(session.id), False
