"""The one model of a framework: stages, questions, conditions, and what a valid answer is.

Everything goes through this module: the YAML loader builds a :class:`Framework` with
:func:`framework_from_data`; plugin questions go through :func:`question_from_data`; the prompt
layer reads :class:`Question` to choose a widget; typed answers and answers-file values both go
through :meth:`Question.parse`; the store keeps :meth:`Framework.to_dict` so a conversation can be
shown after the plugin that added a question is gone. Nothing else re-derives question types.

Answers are stored in a JSON-friendly canonical form: strings for text, select, dates (ISO
``YYYY-MM-DD``); lists of strings for multiselect; bools for confirm; int/float for number; a list
of ``{"what", "due", "success", "support"}`` mappings for actions; ``None`` for a skipped optional
question.

This module imports nothing heavy (no YAML, no prompts) so any command may use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from topcli.errors import AnswerError, FrameworkError, did_you_mean

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

FRAMEWORK_KEYS = ("id", "name", "version", "description", "stages")
STAGE_KEYS = ("id", "title", "purpose", "tips", "questions")
QUESTION_KEYS = (
    "id",
    "prompt",
    "help",
    "type",
    "choices",
    "default",
    "required",
    "when",
    "min",
    "max",
)
WHEN_KEYS = ("question", "equals", "in")
ACTION_KEYS = ("what", "due", "success", "support")

#: How far ahead the follow-up conversation is, unless a question sets its own default.
DEFAULT_FOLLOWUP_MONTHS = 3

_ID_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
_RELATIVE_RE = re.compile(r"^\+\s*(\d+)\s*(day|days|week|weeks|month|months)$")


# --------------------------------------------------------------------------- dates


def parse_date(value: Any, *, today: date | None = None) -> date:
    """Parse an ISO date, or (when ``today`` is given) ``today`` / ``+N days|weeks|months``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().lower()
    if today is not None:
        if text == "today":
            return today
        match = _RELATIVE_RE.match(text)
        if match:
            amount, unit = int(match.group(1)), match.group(2)
            if unit.startswith("day"):
                return today + timedelta(days=amount)
            if unit.startswith("week"):
                return today + timedelta(weeks=amount)
            from topcli.clock import add_months

            return add_months(today, amount)
    try:
        return date.fromisoformat(text)
    except ValueError:
        relative = " or 'today', '+2 weeks', '+3 months'" if today is not None else ""
        raise AnswerError(
            f"{value!r} is not a date", hint=f"use the form YYYY-MM-DD{relative}"
        ) from None


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

    def applies(self, answers: Mapping[str, Any]) -> bool:
        """Whether this question is asked, given the answers so far."""
        return self.when is None or self.when.holds(answers)

    def default_value(self, today: date) -> Any:
        """The default in canonical form (relative dates resolved against ``today``)."""
        if self.type == "followup" and self.default is None:
            from topcli.clock import add_months, weekday_on_or_after

            # a meeting: three months on, but never on a weekend
            return weekday_on_or_after(add_months(today, DEFAULT_FOLLOWUP_MONTHS)).isoformat()
        if self.default is None:
            return None
        return self.parse(self.default, today=today)

    def parse(self, raw: Any, *, today: date) -> Any:
        """Check ``raw`` and return the canonical answer, or raise :class:`AnswerError`.

        Typed answers and answers-file values both come through here, so a value accepted
        in one place is accepted in the other. Empty input means "no answer": allowed only for
        optional questions (stored as ``None``).
        """
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "purpose": self.purpose,
            "tips": list(self.tips),
            "questions": [q.to_dict() for q in self.questions],
        }


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

    def question(self, question_id: str) -> Question:
        for _, question in self.questions():
            if question.id == question_id:
                return question
        raise KeyError(question_id)

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


# --------------------------------------------------------------------------- validation


class Problems:
    """Collects every problem in a framework so ``frameworks validate`` reports them all."""

    def __init__(self, origin: str | None) -> None:
        self.origin = origin
        self.items: list[tuple[str | None, str, str | None]] = []

    def add(self, node: Any, message: str, hint: str | None = None, key: str | None = None) -> None:
        self.items.append((self.location(node, key), message, hint))

    def location(self, node: Any, key: str | None = None) -> str | None:
        """``file:line:column`` from the marks the YAML loader attached, if any."""
        mark = None
        if key is not None:
            mark = getattr(node, "key_marks", {}).get(key)
        if mark is None:
            mark = getattr(node, "mark", None)
        if self.origin is None:
            return None
        if mark is None:
            return self.origin
        return f"{self.origin}:{mark[0]}:{mark[1]}"

    def raise_if_any(self) -> None:
        if not self.items:
            return
        if len(self.items) == 1:
            location, message, hint = self.items[0]
            raise FrameworkError(message, location=location, hint=hint)
        lines = []
        for location, message, hint in self.items:
            prefix = f"{location}: " if location else ""
            lines.append(f"{prefix}{message}" + (f" ({hint})" if hint else ""))
        raise FrameworkError(
            f"{len(self.items)} problems in framework:\n  " + "\n  ".join(lines),
            hint="fix them and check again with 'topcli frameworks validate FILE'",
        )


def _check_keys(
    data: Mapping[str, Any], allowed: Sequence[str], what: str, problems: Problems
) -> None:
    for key in data:
        if key not in allowed:
            problems.add(
                data,
                f"unknown key '{key}' in {what}{did_you_mean(str(key), allowed)}",
                hint=f"valid keys: {', '.join(allowed)}",
                key=key,
            )


def _require_str(data: Mapping[str, Any], key: str, what: str, problems: Problems) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.add(data, f"{what} is missing '{key}'", hint=f"add '{key}:'")
        return ""
    if isinstance(value, (dict, list)):
        problems.add(data, f"'{key}' in {what} must be text", key=key)
        return ""
    return str(value)


def _check_id(data: Mapping[str, Any], what: str, problems: Problems) -> str:
    ident = _require_str(data, "id", what, problems)
    if ident and not _ID_RE.match(ident):
        problems.add(
            data,
            f"id '{ident}' in {what} is not valid",
            hint="use lowercase letters, digits, '-' and '_', starting with a letter",
            key="id",
        )
    return ident


def question_from_data(
    data: Any, problems: Problems, *, source: str | None = None, where: str = "question"
) -> Question | None:
    """Validate one question mapping (from YAML or a plugin) and build a :class:`Question`."""
    if not isinstance(data, Mapping):
        problems.add(data, f"{where} must be a mapping with id, prompt and type")
        return None
    qid = _check_id(data, where, problems)
    label = f"question '{qid}'" if qid else where
    _check_keys(data, QUESTION_KEYS, label, problems)
    prompt = _require_str(data, "prompt", label, problems)
    qtype = data.get("type", "text")
    if qtype not in QUESTION_TYPES:
        problems.add(
            data,
            f"unknown type '{qtype}' in {label}{did_you_mean(str(qtype), QUESTION_TYPES)}",
            hint="valid types: " + ", ".join(QUESTION_TYPES),
            key="type",
        )
        return None
    raw_choices = data.get("choices")
    choices: tuple[str, ...] = ()
    if qtype in CHOICE_TYPES:
        if not isinstance(raw_choices, list) or not raw_choices:
            problems.add(
                data,
                f"{label} is a {qtype} without choices",
                hint="add a 'choices:' list",
                key="type",
            )
        else:
            choices = tuple(str(c) for c in raw_choices)
            if len(set(choices)) != len(choices):
                problems.add(data, f"{label} lists a choice twice", key="choices")
    elif raw_choices is not None:
        problems.add(
            data,
            f"{label} has choices but its type is '{qtype}'",
            hint="choices are for select and multiselect questions",
            key="choices",
        )
    required = data.get("required", True)
    if not isinstance(required, bool):
        problems.add(data, f"'required' in {label} must be true or false", key="required")
        required = True
    help_text = data.get("help")
    when = _condition_from_data(data.get("when"), data, label, problems)
    bounds = _bounds_from_data(data, qtype, label, problems)
    question = Question(
        id=qid,
        prompt=prompt,
        type=qtype,
        help=None if help_text is None else str(help_text),
        choices=choices,
        default=data.get("default"),
        required=required,
        when=when,
        source=source,
        min=bounds[0],
        max=bounds[1],
    )
    if question.default is not None and qtype != "actions":
        from topcli.clock import today

        try:
            question.parse(question.default, today=today())
        except AnswerError as exc:
            problems.add(
                data,
                f"default of {label} is not valid: {exc.message}",
                hint=exc.hint,
                key="default",
            )
    elif question.default is not None:
        problems.add(data, f"{label}: actions questions cannot have a default", key="default")
    return question


def _bounds_from_data(
    data: Mapping[str, Any], qtype: str, label: str, problems: Problems
) -> tuple[int | float | None, int | float | None]:
    """``min`` and ``max`` of a number question: numbers, and min not above max."""
    bounds: list[int | float | None] = []
    for key in ("min", "max"):
        value = data.get(key)
        if value is not None and qtype != "number":
            problems.add(
                data,
                f"{label} has '{key}' but its type is '{qtype}'",
                hint="min and max are for number questions",
                key=key,
            )
            value = None
        elif value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            problems.add(data, f"'{key}' of {label} must be a number", key=key)
            value = None
        bounds.append(value)
    low, high = bounds
    if low is not None and high is not None and low > high:
        problems.add(data, f"{label} has min {low} above max {high}", key="min")
    return low, high


def _condition_from_data(
    raw: Any, parent: Mapping[str, Any], label: str, problems: Problems
) -> Condition | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or "question" not in raw:
        problems.add(
            parent,
            f"'when' in {label} must be a mapping with 'question' and 'equals' or 'in'",
            hint="e.g. when: {question: direction, equals: New role}",
            key="when",
        )
        return None
    _check_keys(raw, WHEN_KEYS, f"'when' of {label}", problems)
    if ("equals" in raw) == ("in" in raw):
        problems.add(raw, f"'when' in {label} needs exactly one of 'equals' or 'in'")
        return None
    if "in" in raw:
        if not isinstance(raw["in"], list) or not raw["in"]:
            problems.add(raw, f"'in' of 'when' in {label} must be a non-empty list", key="in")
            return None
        values = tuple(raw["in"])
    else:
        values = (raw["equals"],)
    return Condition(question=str(raw["question"]), values=values)


def framework_from_data(
    data: Any, *, origin: str | None = None, snapshot: bool = False
) -> Framework:
    """Validate a parsed framework document and build a :class:`Framework`.

    ``origin`` (a file path) prefixes every message; the YAML loader's line and column marks,
    when present on the mappings, make it ``file:line:column``. ``snapshot=True`` reads a
    framework stored with a conversation, whose questions may carry ``source`` (the plugin that
    added them); a framework file may not claim that key.
    """
    problems = Problems(origin)
    if not isinstance(data, Mapping):
        problems.add(data, "a framework file must be a mapping with id, name, version, stages")
        problems.raise_if_any()
    _check_keys(data, FRAMEWORK_KEYS, "framework", problems)
    fid = _check_id(data, "framework", problems)
    name = _require_str(data, "name", "framework", problems)
    version = _require_str(data, "version", "framework", problems)
    if isinstance(data.get("version"), int | float):
        # an unquoted 1.10 is the float 1.1 to YAML; the text as written is the version
        version = getattr(data, "scalar_texts", {}).get("version", version)
    raw_stages = data.get("stages")
    stages: list[Stage] = []
    if not isinstance(raw_stages, list) or not raw_stages:
        problems.add(
            data, "framework has no stages", hint="add a non-empty 'stages:' list", key="stages"
        )
        raw_stages = []
    stage_ids: set[str] = set()
    for n, raw_stage in enumerate(raw_stages, start=1):
        stage = _stage_from_data(raw_stage, n, problems, snapshot=snapshot)
        if stage is None:
            continue
        if stage.id in stage_ids:
            problems.add(raw_stage, f"duplicate stage id '{stage.id}'", key="id")
        stage_ids.add(stage.id)
        stages.append(stage)
    framework = Framework(
        id=fid,
        name=name,
        version=version,
        description=str(data.get("description") or ""),
        stages=tuple(stages),
        origin=origin,
    )
    _check_question_graph(framework, problems, nodes=_question_nodes(raw_stages))
    problems.raise_if_any()
    return framework


def _stage_from_data(
    raw: Any, n: int, problems: Problems, *, snapshot: bool = False
) -> Stage | None:
    if not isinstance(raw, Mapping):
        problems.add(raw, f"stage {n} must be a mapping with id, title and questions")
        return None
    sid = _check_id(raw, f"stage {n}", problems)
    _check_keys(raw, STAGE_KEYS, f"stage '{sid}'" if sid else f"stage {n}", problems)
    title = _require_str(raw, "title", f"stage '{sid or n}'", problems)
    tips = raw.get("tips") or []
    if not isinstance(tips, list):
        problems.add(raw, f"'tips' of stage '{sid}' must be a list of text", key="tips")
        tips = []
    raw_questions = raw.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        problems.add(
            raw,
            f"stage '{sid or n}' has no questions",
            hint="add a 'questions:' list",
            key="questions",
        )
        raw_questions = []
    questions: list[Question] = []
    for i, item in enumerate(raw_questions, start=1):
        source = None
        if snapshot and isinstance(item, Mapping) and "source" in item:
            source = str(item["source"])
            item = {k: v for k, v in item.items() if k != "source"}
        question = question_from_data(
            item, problems, source=source, where=f"question {i} of stage '{sid}'"
        )
        if question is not None:
            questions.append(question)
    return Stage(
        id=sid,
        title=title,
        purpose=str(raw.get("purpose") or "").strip(),
        tips=tuple(str(t) for t in tips),
        questions=tuple(questions),
    )


def _question_nodes(raw_stages: list[Any]) -> dict[str, list[Any]]:
    """The YAML mappings of the questions that were built, by id, in framework order."""
    nodes: dict[str, list[Any]] = {}
    for stage in raw_stages:
        if isinstance(stage, Mapping) and isinstance(stage.get("questions"), list):
            for q in stage["questions"]:
                if (
                    isinstance(q, Mapping)
                    and q.get("id") is not None
                    and q.get("type", "text") in QUESTION_TYPES
                ):
                    nodes.setdefault(str(q["id"]), []).append(q)
    return nodes


def _check_question_graph(
    framework: Framework, problems: Problems, nodes: Mapping[str, list[Any]] | None = None
) -> None:
    """Unique ids, and every ``when`` pointing at an earlier question with a possible value."""
    nodes = nodes or {}
    seen: dict[str, Question] = {}
    occurrences: dict[str, int] = {}
    for _, question in framework.questions():
        if not question.id:
            continue  # already reported as a missing id
        # the n-th question with an id is the n-th mapping with it: a duplicate is reported
        # where the second one is, not the first
        n = occurrences[question.id] = occurrences.get(question.id, -1) + 1
        same_id = nodes.get(question.id, [])
        node = same_id[n] if n < len(same_id) else None
        if question.id in seen:
            problems.add(
                node,
                f"duplicate question id '{question.id}'",
                hint="question ids must be unique within the framework",
                key="id",
            )
        if question.when is not None:
            ref = question.when.question
            if ref == question.id:
                problems.add(
                    node, f"'when' of question '{question.id}' refers to itself", key="when"
                )
            elif ref not in seen:
                later = ref in framework.question_ids()
                problems.add(
                    node,
                    f"'when' of question '{question.id}' refers to "
                    + (
                        f"a later question '{ref}'"
                        if later
                        else f"unknown question '{ref}'" + did_you_mean(ref, list(seen))
                    ),
                    hint="a condition can only use a question asked before it",
                    key="when",
                )
            else:
                target = seen[ref]
                if target.type in CHOICE_TYPES:
                    for value in question.when.values:
                        if str(value) not in target.choices:
                            problems.add(
                                node,
                                f"'when' of question '{question.id}' expects {value!r}, which is "
                                f"not a choice of '{ref}'"
                                + did_you_mean(str(value), target.choices),
                                key="when",
                            )
        seen.setdefault(question.id, question)


def check_framework(framework: Framework) -> None:
    """Re-check ids and conditions after plugin questions were added."""
    problems = Problems(None)
    _check_question_graph(framework, problems)
    problems.raise_if_any()
