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
from topcli.framework import Question, Stage
from topcli.prompts import GoBack, Prompter, interrupts
from topcli.session import Session
from topcli.store import Store
from topcli.wording import plural

if TYPE_CHECKING:
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
        """Ask every unanswered question that applies; mark the session complete at the end.

        The walk is a cursor over the framework's questions in order. A back key
        (:class:`GoBack`) moves it to the previous answered question that applies and asks it
        again with its answer as the default; from there every question up to where the
        person was is asked again the same way (Enter keeps an answer), then the walk goes on
        as before. An answer that changes what later ``when`` conditions see removes the
        answers to questions that no longer apply and asks the ones that now do.
        """
        from topcli.idle_gc import collect_when_idle

        # no pause for garbage collection between an answer and the next question
        with collect_when_idle(getattr(self.prompter, "asks_a_person", True)) as idle:
            return self._run(session_id, idle)

    def _run(self, session_id: str, idle: IdleCollector | None) -> Session:
        session = self.store.load(session_id)
        framework = session.framework
        answers: dict[str, Any] = dict(session.answers)
        order = [
            (number, stage, question)
            for number, stage in enumerate(framework.stages, start=1)
            for question in stage.questions
        ]
        total = len(framework.stages)
        position = 0
        #: questions before this index are asked again even when answered (after going back)
        revisit = 0
        shown: int | None = None
        # Answers nobody types (an answers file's defaults) are saved together in the closing
        # transaction: one commit instead of one per question (a 10,000-question framework
        # took 90 s of fsyncs). A person's answers are still saved the moment they are given.
        unattended = not getattr(self.prompter, "asks_a_person", True)
        defaulted: list[tuple[Question, Any]] = []
        while position < len(order):
            number, stage, question = order[position]
            qid = question.id
            if not question.applies(answers) or (qid in answers and position >= revisit):
                position += 1
                continue
            if shown != number:
                self.prompter.begin_stage(stage, number, total)
                shown = number
            if unattended:
                value = self.prompter.ask(question, question.default_value(self.today))
                defaulted.append((question, value))
                answers[qid] = value
                position += 1
                continue
            again = qid in answers
            default = answers[qid] if again else question.default_value(self.today)
            # a pause keeps every answer saved so far and says how to go on
            try:
                with interrupts(partial(paused, session, len(answers))):
                    value = self.prompter.ask(
                        question,
                        default,
                        draft=self._draft(session.id, question, answers),
                        keep=lambda v, qid=qid: self.store.save_draft(session.id, qid, v),
                    )
            except GoBack:
                revisit = max(revisit, position + 1)
                position = self._previous(order, position, answers)
                continue
            if not (again and value == answers[qid]):
                self.store.save_answer(session.id, question, value)
                answers[qid] = value
                self._forget_what_no_longer_applies(session.id, order, answers)
            if idle is not None:
                idle.answered()
            position += 1
        with self.store.transaction():
            if defaulted:
                self.store.save_answers(session.id, defaulted)
            if self.on_finish is not None:
                self.on_finish(self.store, session)
            self.store.complete(session.id)
        return self.store.load(session.id)

    def _draft(self, session_id: str, question: Question, answers: dict[str, Any]) -> Any:
        """What was typed of an unfinished answer; for actions asked again, the saved ones."""
        draft = self.store.draft(session_id, question.id)
        if draft is None and question.type == "actions" and answers.get(question.id):
            return list(answers[question.id])
        return draft

    @staticmethod
    def _previous(
        order: list[tuple[int, Stage, Question]], position: int, answers: dict[str, Any]
    ) -> int:
        """The previous answered question that applies, or ``position`` itself at the first."""
        for index in range(position - 1, -1, -1):
            question = order[index][2]
            if question.id in answers and question.applies(answers):
                return index
        return position

    def _forget_what_no_longer_applies(
        self, session_id: str, order: list[tuple[int, Stage, Question]], answers: dict[str, Any]
    ) -> None:
        """Remove the answers to questions whose ``when`` no longer holds, in order.

        In order, because a removed answer can turn off a condition further on; their answers
        are removed from the store too, so a changed mind is not exported.
        """
        stale: list[str] = []
        for _, _, question in order:
            if question.id in answers and not question.applies(answers):
                del answers[question.id]
                stale.append(question.id)
        if stale:
            self.store.forget_answers(session_id, stale)


def paused(session: Session, saved: int, reason: str = "interrupted") -> Interrupted:
    """The message for a conversation left part-way: what is kept and how to go on."""
    return Interrupted(
        f"conversation with {session.person_name} paused"
        + ("" if reason == "interrupted" else f" ({reason})")
        + f"; {plural(saved, 'answer')} saved",
        hint=f"continue where you left off with: topcli resume {session.id}",
    )
