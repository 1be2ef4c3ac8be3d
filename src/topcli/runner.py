"""The session runner: walks a framework stage by stage and saves each answer as it is given.

It knows nothing of Typer or of terminals: it talks to a :class:`topcli.prompts.Prompter` and a
:class:`topcli.store.Store`, so the same code runs a terminal conversation, an answers file and
the tests. Resuming is running again: answered questions are skipped, so the conversation
continues at the first unanswered question. What finishing means beyond "complete" (a check-in
updates the actions it reviewed) is the caller's ``on_finish``, so the runner depends on no kind
of conversation (:mod:`topcli.pipeline` decides by kind).

A private note taken with the note key (:class:`AddNote`) is kept by :meth:`SessionRunner._note`
as an answer to a private question of the stage, so everything that reads answers (``sessions
show``, the JSON backup, the shared exports that drop private answers) needs nothing new.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from topcli.errors import Interrupted
from topcli.framework import Framework, Question, Stage
from topcli.prompt_keys import taking_notes
from topcli.prompts import AddNote, GoBack, Prompter, interrupts
from topcli.session import Session
from topcli.store import Store
from topcli.wording import plural

if TYPE_CHECKING:
    from topcli.idle_gc import IdleCollector

#: Runs inside the transaction that marks a conversation complete (the store, the session).
OnFinish = Callable[[Store, Session], object]
#: The walk: (stage number, stage, question) in framework order.
Order = list[tuple[int, Stage, Question]]


@dataclass
class SessionRunner:
    store: Store
    prompter: Prompter
    today: date
    on_finish: OnFinish | None = None
    #: Private questions given an answer by a note in this run: still asked when reached.
    noted: set[str] = field(default_factory=set, init=False)

    def run(self, session_id: str) -> Session:
        """Ask every unanswered question that applies; mark the session complete at the end.

        The walk is a cursor over the framework's questions in order. A back key
        (:class:`GoBack`) moves it to the previous answered question that applies and asks it
        again with its answer as the default; from there every question up to where the
        person was is asked again the same way (Enter keeps an answer, Esc then Enter a
        multi-line one), then the walk goes on as before. An answer that changes what later
        ``when`` conditions see removes the answers to questions that no longer apply and asks
        the ones that now do.
        """
        from topcli.idle_gc import collect_when_idle

        # no pause for garbage collection between an answer and the next question
        with collect_when_idle(getattr(self.prompter, "asks_a_person", True)) as idle:
            return self._run(session_id, idle)

    def _run(self, session_id: str, idle: IdleCollector | None) -> Session:
        session = self.store.load(session_id)
        framework = session.framework
        self.noted = set()
        answers: dict[str, Any] = dict(session.answers)
        order = _order(framework)
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
        #: what the question held when the note key was pressed: asked again with it
        typed: Any = None
        while position < len(order):
            number, stage, question = order[position]
            qid = question.id
            done = qid in answers and position >= revisit and qid not in self.noted
            if not question.applies(answers) or done:
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
            default, typed = (default if typed is None else typed), None
            # a pause keeps every answer saved so far and says how to go on
            try:
                with interrupts(partial(paused, session, len(answers))), taking_notes():
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
            except AddNote as signal:
                framework, typed = self._note(
                    session.id, framework, stage, question, signal, answers
                )
                order = _order(framework)
                continue
            self.noted.discard(qid)
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

    def _note(
        self,
        session_id: str,
        framework: Framework,
        stage: Stage,
        asked: Question,
        signal: AddNote,
        answers: dict[str, Any],
    ) -> tuple[Framework, Any]:
        """Keep a private note; return the framework now held and what to ask ``asked`` with.

        The note is appended (after a blank line) to the stage's first private multi-line
        question that applies; a stage without one gets ``<stage>_private_notes`` added to this
        conversation's snapshot. An empty note keeps nothing. What was typed is asked again.
        """
        typed = signal.typed
        if not signal.note:
            return framework, typed
        target = _note_question(stage, answers)
        if target is None:  # added for the note, so never asked: it holds notes only
            target = _new_notes_question(framework, stage)
            framework = framework.with_question(stage.id, target)
            self.store.replace_snapshot(session_id, framework)
        elif target.id not in answers:  # the framework's own: still asked, note as default
            self.noted.add(target.id)
        before = typed if target.id == asked.id else answers.get(target.id)
        text = "\n\n".join(part for part in (str(before or "").strip(), signal.note) if part)
        value = target.parse(text, today=self.today)
        self.store.save_answer(session_id, target, value)
        answers[target.id] = value
        return framework, (value if target.id == asked.id else typed)

    def _draft(self, session_id: str, question: Question, answers: dict[str, Any]) -> Any:
        """What was typed of an unfinished answer; for actions asked again, the saved ones."""
        draft = self.store.draft(session_id, question.id)
        if draft is None and question.type == "actions" and answers.get(question.id):
            return list(answers[question.id])
        return draft

    @staticmethod
    def _previous(order: Order, position: int, answers: dict[str, Any]) -> int:
        """The previous answered question that applies, or ``position`` itself at the first."""
        for index in range(position - 1, -1, -1):
            question = order[index][2]
            if question.id in answers and question.applies(answers):
                return index
        return position

    def _forget_what_no_longer_applies(
        self, session_id: str, order: Order, answers: dict[str, Any]
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


def _order(framework: Framework) -> Order:
    return [
        (number, stage, question)
        for number, stage in enumerate(framework.stages, start=1)
        for question in stage.questions
    ]


def _note_question(stage: Stage, answers: dict[str, Any]) -> Question | None:
    """The stage's first private multi-line question that applies: where notes go."""
    return next(
        (q for q in stage.questions if q.private and q.type == "long_text" and q.applies(answers)),
        None,
    )


def _new_notes_question(framework: Framework, stage: Stage) -> Question:
    """``<stage>_private_notes`` (numbered on if a question already has that id)."""
    taken = set(framework.question_ids())
    qid, n = f"{stage.id}_private_notes", 1
    while qid in taken:
        n += 1
        qid = f"{stage.id}_private_notes_{n}"
    return Question(qid, "Private notes", "long_text", required=False, private=True)


def paused(session: Session, saved: int, reason: str = "interrupted") -> Interrupted:
    """The message for a conversation left part-way: what is kept and how to go on."""
    return Interrupted(
        f"conversation with {session.person_name} paused"
        + ("" if reason == "interrupted" else f" ({reason})")
        + f"; {plural(saved, 'answer')} saved",
        hint=f"continue where you left off with: topcli resume {session.id}",
    )
