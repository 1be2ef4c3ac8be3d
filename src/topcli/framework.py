"""The one model of a framework: stages, questions, conditions, and what a valid answer is.

Everything goes through this module: :mod:`topcli.validation` builds a :class:`Framework` from a
YAML document or a plugin's question; the prompt layer reads :class:`Question` to choose a
widget; typed answers and answers-file values both go through :meth:`Question.parse`; the store
keeps :meth:`Framework.to_dict` so a conversation can be shown after the plugin that added a
question is gone. Nothing else re-derives question types. Dates and relative dates are read by
:mod:`topcli.durations`, the one grammar for amounts of time.

Answers are stored in a JSON-friendly canonical form: strings for text, select, dates (ISO
``YYYY-MM-DD``); lists of strings for multiselect; bools for confirm; int/float for number; a list
of ``{"what", "due", "success", "support"}`` mappings for actions; ``None`` for a skipped optional
question.

This module imports nothing heavy (no YAML, no prompts) so any command may use it, and never
imports :mod:`topcli.validation` (which depends on it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any

from topcli.durations import parse_date
from topcli.errors import AnswerError, did_you_mean
from topcli.safetext import answer_problem

QUESTION_TYPES: tuple[str, ...] = (
    "text",
    "long_text",
    "select",
    "multiselect",
    "confirm",
    "date",
    "number",
    "actions",
    "followup",
)
CHOICE_TYPES = frozenset({"select", "multiselect"})
DATE_TYPES = frozenset({"date", "followup"})
ACTION_KEYS = ("what", "due", "success", "support")

#: How far ahead the follow-up conversation is, unless a question sets its own default or the
#: ``followup_interval`` setting says otherwise (``config.KEYS`` has the same default, "3mo").
DEFAULT_FOLLOWUP_MONTHS = 3


def default_followup(today: date) -> date:
    """The proposed follow-up: ``followup_interval`` (flag > env > config > 3mo) after
    ``today``, moved to the Monday after when it falls on a weekend (it is a meeting)."""
    from topcli.clock import weekday_on_or_after
    from topcli.config import resolve
    from topcli.durations import parse_period

    setting = resolve("followup_interval")
    interval = parse_period(str(setting.value), option=f"followup_interval (from {setting.source})")
    return weekday_on_or_after(interval.end(today))


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Condition:
    """Ask a question only when an earlier answer has one of ``values`` (declarative)."""

    question: str
    values: tuple[Any, ...]

    def holds(self, answers: Mapping[str, Any]) -> bool:
        if self.question not in answers:
            return False
        answer = answers[self.question]
        if answer is None:
            return False
        if isinstance(answer, list):
            return any(_same(item, v) for item in answer for v in self.values)
        return any(_same(answer, v) for v in self.values)

    def to_dict(self) -> dict[str, Any]:
        if len(self.values) == 1:
            return {"question": self.question, "equals": self.values[0]}
        return {"question": self.question, "in": list(self.values)}


def _same(answer: Any, expected: Any) -> bool:
    if isinstance(answer, bool) or isinstance(expected, bool):
        return answer is expected or (isinstance(answer, bool) and answer == expected)
    return str(answer) == str(expected)


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    type: str = "text"
    help: str | None = None
    choices: tuple[str, ...] = ()
    default: Any = None
    required: bool = True
    when: Condition | None = None
    #: Which plugin contributed the question; ``None`` when it comes from the framework file.
    source: str | None = None
    #: Bounds of a ``number`` answer (both optional, inclusive).
    min: int | float | None = None
    max: int | float | None = None
    #: The leader's own note: kept apart from what is shared with the person (issue 9).
    private: bool = False
    #: Part of the short agreed summary that is shared after the conversation (issue 9).
    summary: bool = False

    def applies(self, answers: Mapping[str, Any]) -> bool:
        """Whether this question is asked, given the answers so far."""
        return self.when is None or self.when.holds(answers)

    def default_value(self, today: date) -> Any:
        """The default in canonical form (relative dates resolved against ``today``)."""
        if self.type == "followup" and self.default is None:
            return default_followup(today).isoformat()
        if self.default is None:
            return None
        return self.parse(self.default, today=today)

    def parse(self, raw: Any, *, today: date) -> Any:
        """Check ``raw`` and return the canonical answer, or raise :class:`AnswerError`.

        Typed answers and answers-file values both come through here, so a value accepted
        in one place is accepted in the other. Empty input means "no answer": allowed only for
        optional questions (stored as ``None``).
        """
        # typed, pasted or from a file: NUL, lone surrogates and CR are refused here, once, for all
        problem = answer_problem(raw)
        if problem is not None:
            raise AnswerError(f"the answer {problem}", hint="remove that character and try again")
        if _is_empty(raw) and self.type not in ("multiselect", "actions", "confirm"):
            if self.required:
                raise AnswerError("an answer is needed", hint="this question is required")
            return None
        handler = getattr(self, f"_parse_{self.type}")
        return handler(raw, today)

    # one small parser per type, found by name so adding a type is one method
    def _parse_text(self, raw: Any, today: date) -> str:
        if isinstance(raw, (list, dict)):
            raise AnswerError(f"expected text, got a {type(raw).__name__}")
        text = str(raw)
        if "\n" in text.strip():
            raise AnswerError(
                "expected one line of text",
                hint="use a long_text question for several lines",
            )
        return text.strip()

    def _parse_long_text(self, raw: Any, today: date) -> str:
        if isinstance(raw, (list, dict)):
            raise AnswerError(f"expected text, got a {type(raw).__name__}")
        return str(raw).strip("\n").rstrip()

    def _parse_select(self, raw: Any, today: date) -> str:
        text = str(raw)
        if text not in self.choices:
            raise AnswerError(
                f"{text!r} is not a choice{did_you_mean(text, self.choices)}",
                hint="choose one of: " + ", ".join(self.choices),
            )
        return text

    def _parse_multiselect(self, raw: Any, today: date) -> list[str]:
        if raw is None or raw == "":
            items: list[Any] = []
        elif isinstance(raw, str):
            items = [raw]
        elif isinstance(raw, (list, tuple)):
            items = list(raw)
        else:
            raise AnswerError("expected a list of choices")
        picked = [self._parse_select(item, today) for item in items]
        if self.required and not picked:
            raise AnswerError("pick at least one choice", hint="space picks, enter confirms")
        # keep the framework's order and drop repeats, so equal answers compare equal
        return [c for c in self.choices if c in picked]

    def _parse_confirm(self, raw: Any, today: date) -> bool | None:
        if isinstance(raw, bool):
            return raw
        text = "" if raw is None else str(raw).strip().lower()
        if text in ("y", "yes", "true", "1"):
            return True
        if text in ("n", "no", "false", "0"):
            return False
        if text == "" and not self.required:
            return None
        raise AnswerError(f"{raw!r} is not yes or no", hint="use yes or no")

    def _parse_date(self, raw: Any, today: date) -> str:
        return parse_date(raw, today=today).isoformat()

    def _parse_followup(self, raw: Any, today: date) -> str:
        return self._parse_date(raw, today)

    def _parse_number(self, raw: Any, today: date) -> int | float:
        if isinstance(raw, bool):
            raise AnswerError(f"expected a number, got {str(raw).lower()}")
        number = _to_number(raw)
        if self.min is not None and number < self.min:
            raise AnswerError(f"{number} is less than {self.min}", hint=self._range_hint())
        if self.max is not None and number > self.max:
            raise AnswerError(f"{number} is more than {self.max}", hint=self._range_hint())
        return number

    def _range_hint(self) -> str:
        low = "" if self.min is None else f"from {self.min} "
        high = "" if self.max is None else f"up to {self.max}"
        return f"give a number {low}{high}".strip()

    def _parse_actions(self, raw: Any, today: date) -> list[dict[str, Any]]:
        if raw is None:
            raw = []
        if not isinstance(raw, (list, tuple)):
            raise AnswerError(
                "expected a list of actions",
                hint="each action is a mapping with what, due, success, support",
            )
        actions = [
            parse_action(item, today=today, where=f"action {n}")
            for n, item in enumerate(raw, start=1)
        ]
        if self.required and not actions:
            raise AnswerError(
                "add at least one action", hint="an action is what, due, success, support"
            )
        return actions

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "prompt": self.prompt, "type": self.type}
        if self.help is not None:
            data["help"] = self.help
        if self.choices:
            data["choices"] = list(self.choices)
        if self.default is not None:
            data["default"] = (
                self.default.isoformat() if isinstance(self.default, date) else self.default
            )
        data["required"] = self.required
        if self.when is not None:
            data["when"] = self.when.to_dict()
        for bound in ("min", "max"):
            if getattr(self, bound) is not None:
                data[bound] = getattr(self, bound)
        # only when set, so snapshots and exports of frameworks without them stay byte-identical
        for flag in ("private", "summary"):
            if getattr(self, flag):
                data[flag] = True
        if self.source is not None:
            data["source"] = self.source
        return data


def _to_number(raw: Any) -> int | float:
    """An int or a finite float from a typed string or a YAML/JSON number."""
    if isinstance(raw, int):
        return raw
    text = str(raw).strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(raw) if isinstance(raw, float) else float(text)
    except ValueError:
        raise AnswerError(f"{text!r} is not a number", hint="type digits, e.g. 7 or 7.5") from None
    # YAML's .nan and .inf are floats too; none of them can be stored as JSON
    if number != number or number in (float("inf"), float("-inf")):
        raise AnswerError(f"{text!r} is not a finite number")
    return number


def _kind_of(value: Any) -> str:
    """What a YAML/JSON value is, in a user's words."""
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    return type(value).__name__


def parse_action(raw: Any, *, today: date, where: str = "action") -> dict[str, Any]:
    """Validate one action mapping and return it with every key present."""
    if not isinstance(raw, Mapping):
        raise AnswerError(f"{where}: an action is a mapping with what, due, success, support")
    unknown = [k for k in raw if k not in ACTION_KEYS and k != "id"]
    if unknown:
        key = str(unknown[0])
        raise AnswerError(
            f"{where}: unknown key '{key}'{did_you_mean(key, ACTION_KEYS)}",
            hint="an action has: " + ", ".join(ACTION_KEYS),
        )
    for key in ("what", "success", "support"):
        # str() of a list or mapping would store its Python repr ("['x']") as the text
        value = raw.get(key)
        if isinstance(value, (bool, Mapping, list, tuple)):
            raise AnswerError(
                f"{where}: '{key}' must be text, not {_kind_of(value)}",
                hint="write it as one line of text",
            )
    what = str(raw.get("what") or "").strip()
    if not what:
        raise AnswerError(f"{where}: 'what' is required", hint="say what will be done")
    if raw.get("due") in (None, ""):
        raise AnswerError(f"{where}: 'due' is required", hint="give a date as YYYY-MM-DD")
    try:
        due = parse_date(raw["due"], today=today).isoformat()
    except AnswerError as exc:
        raise AnswerError(f"{where}: 'due': {exc.message}", hint=exc.hint) from None
    action = {
        "what": what,
        "due": due,
        "success": str(raw.get("success") or "").strip(),
        "support": str(raw.get("support") or "").strip(),
    }
    return action


def _is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    questions: tuple[Question, ...]
    purpose: str = ""
    tips: tuple[str, ...] = ()
    #: The stage's purpose told to the person (on a preparation sheet); ``purpose`` speaks to
    #: the leader. Empty when the framework has none: the sheet then shows ``purpose``.
    purpose_for_person: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "purpose": self.purpose,
        }
        # only when set, so snapshots of frameworks without it stay byte-identical
        if self.purpose_for_person:
            data["purpose_for_person"] = self.purpose_for_person
        data["tips"] = list(self.tips)
        data["questions"] = [q.to_dict() for q in self.questions]
        return data


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    version: str
    stages: tuple[Stage, ...]
    description: str = ""
    #: Where it was loaded from (a file path), for messages; not part of the stored snapshot.
    origin: str | None = field(default=None, compare=False)

    def questions(self) -> Iterator[tuple[Stage, Question]]:
        for stage in self.stages:
            for question in stage.questions:
                yield stage, question

    @cached_property
    def _index(self) -> dict[str, Question]:
        """Questions by id, built once: listings look questions up hundreds of thousands of times.

        ``cached_property`` writes to the instance ``__dict__``, which a frozen dataclass allows;
        :meth:`with_question` returns a new instance, so the index never goes stale. The first
        question with an id wins, as in framework order.
        """
        index: dict[str, Question] = {}
        for _, question in self.questions():
            index.setdefault(question.id, question)
        return index

    def question(self, question_id: str) -> Question:
        """The question with ``question_id`` (``KeyError`` if none), in constant time."""
        return self._index[question_id]

    def question_ids(self) -> list[str]:
        return [q.id for _, q in self.questions()]

    def first_of_type(self, type_: str) -> Question | None:
        return next((q for _, q in self.questions() if q.type == type_), None)

    def with_question(
        self, stage_id: str, question: Question, after: str | None = None
    ) -> Framework:
        """A copy with ``question`` added to a stage, at the end or after question ``after``."""
        stages = []
        for stage in self.stages:
            if stage.id == stage_id:
                questions = list(stage.questions)
                if after is None:
                    questions.append(question)
                else:
                    index = next(i for i, q in enumerate(questions) if q.id == after)
                    questions.insert(index + 1, question)
                stage = replace(stage, questions=tuple(questions))
            stages.append(stage)
        return replace(self, stages=tuple(stages))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "version": self.version,
            "description": self.description,
            "stages": [s.to_dict() for s in self.stages],
        }
