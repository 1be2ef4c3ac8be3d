"""A stored conversation as a read-only object: what exporters, ``show`` and ``plan`` read.

A session carries the framework it was held with (as it was then, plugin questions included), so
it can be shown and exported after a plugin is uninstalled or the framework file has changed.
:meth:`Session.to_dict` is exactly the content of the JSON export (``schema_version`` 2,
documented in ``docs/export-format.md``): version 2 added ``answer_sources``, where answers came
from (the person's preparation, an answers file).

Questions a framework marks ``private`` hold the leader's own notes. :meth:`Session.shared` is the
conversation without them, what every shared export is given; :meth:`Session.is_private` tells an
exporter that gets the whole conversation (``--include-private``) which answers those are.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from topcli.framework import Framework, Question, Stage
from topcli.validation import framework_from_data

EXPORT_SCHEMA_VERSION = 2

#: Where an answer can come from besides the conversation itself (stored in ``answers.source``).
ANSWER_SOURCES = ("prep", "answers-file")


@dataclass(frozen=True)
class Session:
    id: str
    person_id: str
    person_name: str
    kind: str
    previous_id: str | None
    framework: Framework
    status: str
    started_at: str
    updated_at: str
    completed_at: str | None
    #: question id -> canonical answer; actions questions map to lists of action mappings
    answers: Mapping[str, Any]
    #: question id -> ISO timestamp of when it was answered
    answered_at: Mapping[str, str]
    #: When the person was first recorded (kept so an import restores them exactly).
    person_created_at: str | None = None
    #: question id -> where the answer came from (``'prep'``, ``'answers-file'``); answers
    #: given in the conversation itself are not listed.
    answer_sources: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def from_store(
        cls,
        row: Mapping[str, Any],
        person: Mapping[str, Any],
        answer_rows: list[sqlite3.Row],
        actions: list[dict[str, Any]],
        *,
        framework: Framework | None = None,
    ) -> Session:
        """Build the model from store rows in linear time.

        ``framework`` is the parsed snapshot (the store parses each one once per process);
        without it, ``row["framework_json"]`` is parsed.
        """
        if framework is None:
            framework = _snapshot(row["framework_json"])
        action_questions = {q.id for _, q in framework.questions() if q.type == "actions"}
        by_question: dict[str, list[dict[str, Any]]] = {}
        for action in actions:
            public = {k: v for k, v in action.items() if k != "question_id"}
            by_question.setdefault(action["question_id"], []).append(public)
        answers: dict[str, Any] = {}
        answered_at: dict[str, str] = {}
        sources: dict[str, str] = {}
        for answer in answer_rows:
            qid = answer["question_id"]
            value = json.loads(answer["value_json"])
            if isinstance(value, list) and qid in by_question:
                value = by_question[qid]
            elif qid in action_questions:
                value = []
            answers[qid] = value
            answered_at[qid] = answer["answered_at"]
            if answer["source"]:
                sources[qid] = answer["source"]
        return cls(
            id=row["id"],
            person_id=person["id"],
            person_name=person["name"],
            kind=row["kind"],
            previous_id=row["previous_id"],
            framework=framework,
            status=row["status"],
            started_at=row["started_at"],
            updated_at=row["updated_at"],
            completed_at=row["completed_at"],
            answers=MappingProxyType(answers),
            answered_at=MappingProxyType(answered_at),
            person_created_at=person["created_at"],
            answer_sources=MappingProxyType(sources),
        )

    # ------------------------------------------------------------------ derived views

    @property
    def is_complete(self) -> bool:
        return self.status == "complete"

    def answered(self) -> Iterator[tuple[Stage, Question, Any]]:
        """Each answered question in framework order, with its stage and answer."""
        for stage, question in self.framework.questions():
            if question.id in self.answers:
                yield stage, question, self.answers[question.id]

    @property
    def actions(self) -> list[dict[str, Any]]:
        """Every action of the plan, in framework and entry order."""
        found: list[dict[str, Any]] = []
        for _, question in self.framework.questions():
            if question.type == "actions":
                found.extend(self.answers.get(question.id) or [])
        return found

    @property
    def followup(self) -> str | None:
        """The ISO date of the next conversation, if the plan has one."""
        for _, question in self.framework.questions():
            if question.type == "followup" and self.answers.get(question.id):
                return str(self.answers[question.id])
        return None

    @property
    def has_plan(self) -> bool:
        return bool(self.actions) or self.followup is not None

    # ------------------------------------------------------------------ private notes

    def is_private(self, question_id: str) -> bool:
        """Whether the framework marks ``question_id`` private (the leader's own notes).

        Private answers are shown to the leader (``sessions show``) and kept in the JSON
        backup, but left out of anything shared unless the user asks for them.
        """
        try:
            return self.framework.question(question_id).private
        except KeyError:
            return False

    @property
    def has_private(self) -> bool:
        """Whether the framework has private questions (answered or not)."""
        return any(question.private for _, question in self.framework.questions())

    def shared_answers(self) -> dict[str, Any]:
        """The answers that may be shared with the person: every one but the private ones."""
        return {qid: v for qid, v in self.answers.items() if not self.is_private(qid)}

    def shared(self) -> Session:
        """This conversation as it may be shared: private questions and their answers removed.

        What exporters other than the complete record get (see ``docs/plugins.md``): the
        framework has no private questions and no answer of one is left anywhere, so an exporter
        that writes every question or dumps :meth:`to_dict` still shares nothing private. A
        conversation without private questions is returned as it is.
        """
        if not self.has_private:
            return self
        stages = tuple(
            replace(stage, questions=tuple(q for q in stage.questions if not q.private))
            for stage in self.framework.stages
        )
        keep = self.shared_answers()
        return replace(
            self,
            framework=replace(self.framework, stages=stages),
            answers=MappingProxyType(keep),
            answered_at=MappingProxyType(
                {qid: at for qid, at in self.answered_at.items() if qid in keep}
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON export: everything stored about this conversation (see module docs).

        Complete enough for ``topcli sessions import`` to restore the conversation exactly: the
        person (with ``created_at``), every answer with when it was given, and each action with
        its id, status, timestamps and notes (inside its actions answer, in entry order).
        """
        return {
            "schema_version": EXPORT_SCHEMA_VERSION,
            "id": self.id,
            "kind": self.kind,
            "previous_id": self.previous_id,
            "person": {
                "id": self.person_id,
                "name": self.person_name,
                "created_at": self.person_created_at,
            },
            "status": self.status,
            "started_at": self.started_at,
            "updated_at": self.updated_at,
            "completed_at": self.completed_at,
            "framework": self.framework.to_dict(),
            "answers": {k: _plain(v) for k, v in self.answers.items()},
            "answered_at": dict(self.answered_at),
            "answer_sources": dict(self.answer_sources),
            "followup": self.followup,
        }


@functools.lru_cache(maxsize=32)
def _snapshot(framework_json: str) -> Framework:
    """The stored framework as a model. Conversations held with the same framework share one
    (the model is immutable), so listing many conversations parses each framework once."""
    return framework_from_data(json.loads(framework_json), origin=None, snapshot=True)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
