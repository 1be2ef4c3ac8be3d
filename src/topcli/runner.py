"""The session runner: walks a framework stage by stage and saves each answer as it is given.

It knows nothing of Typer or of terminals: it talks to a :class:`topcli.prompts.Prompter` and a
:class:`topcli.store.Store`, so the same code runs a terminal conversation, an answers file and
the tests. Resuming is running again: answered questions are skipped, so the conversation
continues at the first unanswered question. What finishing means beyond "complete" (a check-in
updates the actions it reviewed) is the caller's ``on_finish``, so the runner depends on no kind
of conversation (:mod:`topcli.pipeline` decides by kind).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from topcli.errors import Interrupted
from topcli.prompts import Prompter, interrupts
from topcli.session import Session
from topcli.store import Store
from topcli.wording import plural

if TYPE_CHECKING:
    from topcli.framework import Question
    from topcli.idle_gc import IdleCollector

#: Runs inside the transaction that marks a conversation complete (the store, the session).
OnFinish = Callable[[Store, Session], object]


@dataclass
class SessionRunner:
    store: Store
    prompter: Prompter
    today: date
    on_finish: OnFinish | None = None

    def run(self, session_id: str) -> Session:
        """Ask every unanswered question that applies; mark the session complete at the end."""
        from topcli.idle_gc import collect_when_idle

        # no pause for garbage collection between an answer and the next question
        with collect_when_idle(getattr(self.prompter, "asks_a_person", True)) as idle:
            return self._run(session_id, idle)

    def _run(self, session_id: str, idle: IdleCollector | None) -> Session:
        session = self.store.load(session_id)
        framework = session.framework
        answers: dict[str, Any] = dict(session.answers)
        total = len(framework.stages)
        # Answers nobody types (an answers file's defaults) are saved together in the closing
        # transaction: one commit instead of one per question (a 10,000-question framework
        # took 90 s of fsyncs). A person's answers are still saved the moment they are given.
        unattended = not getattr(self.prompter, "asks_a_person", True)
        defaulted: list[tuple[Question, Any]] = []
        for number, stage in enumerate(framework.stages, start=1):
            shown = False
            for question in stage.questions:
                if question.id in answers or not question.applies(answers):
                    continue
                if not shown:
                    self.prompter.begin_stage(stage, number, total)
                    shown = True
                qid = question.id
                if unattended:
                    value = self.prompter.ask(question, question.default_value(self.today))
                    defaulted.append((question, value))
                    answers[qid] = value
                    continue
                # a pause keeps every answer saved so far and says how to go on
                with interrupts(partial(paused, session, len(answers))):
                    value = self.prompter.ask(
                        question,
                        question.default_value(self.today),
                        draft=self.store.draft(session.id, qid),
                        keep=lambda v, qid=qid: self.store.save_draft(session.id, qid, v),
                    )
                self.store.save_answer(session.id, question, value)
                answers[qid] = value
                if idle is not None:
                    idle.answered()
        with self.store.transaction():
            if defaulted:
                self.store.save_answers(session.id, defaulted)
            if self.on_finish is not None:
                self.on_finish(self.store, session)
            self.store.complete(session.id)
        return self.store.load(session.id)


def paused(session: Session, saved: int, reason: str = "interrupted") -> Interrupted:
    """The message for a conversation left part-way: what is kept and how to go on."""
    return Interrupted(
        f"conversation with {session.person_name} paused"
        + ("" if reason == "interrupted" else f" ({reason})")
        + f"; {plural(saved, 'answer')} saved",
        hint=f"continue where you left off with: topcli resume {session.id}",
    )
