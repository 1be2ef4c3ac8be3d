"""Checking a framework document and building the model from it, with every problem located.

:func:`framework_from_data` turns a parsed YAML (or a stored snapshot) into a
:class:`~topcli.framework.Framework`; :func:`question_from_data` does the same for one question,
from a framework file or a plugin; :func:`check_framework` re-checks ids and conditions once
plugin questions are added. :class:`Problems` collects every problem, so ``frameworks validate``
reports them all at once, each as ``file:line:column`` where the YAML loader left marks.

The model (:mod:`topcli.framework`) knows nothing of this module: validation depends on the model,
never the other way round.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from topcli.errors import AnswerError, FrameworkError, did_you_mean
from topcli.framework import (
    CHOICE_TYPES,
    QUESTION_TYPES,
    Condition,
    Framework,
    Question,
    Stage,
)

FRAMEWORK_KEYS = ("id", "name", "version", "description", "stages")
STAGE_KEYS = ("id", "title", "purpose", "purpose_for_person", "tips", "questions")
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
    "private",
    "summary",
)
WHEN_KEYS = ("question", "equals", "in")

_ID_RE = re.compile(r"^[a-z][a-z0-9_-]*$")


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
    required = _flag(data, "required", True, label, problems)
    private = _flag(data, "private", False, label, problems)
    summary = _flag(data, "summary", False, label, problems)
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
        private=private,
        summary=summary,
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


def _flag(data: Mapping[str, Any], key: str, default: bool, label: str, problems: Problems) -> bool:
    """A true/false key of a question; anything else is a problem (and the default is kept)."""
    value = data.get(key, default)
    if not isinstance(value, bool):
        problems.add(data, f"'{key}' in {label} must be true or false", key=key)
        return default
    return value


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
    for_person = raw.get("purpose_for_person")
    if for_person is not None and not isinstance(for_person, str):
        problems.add(
            raw,
            f"'purpose_for_person' of stage '{sid}' must be text",
            hint="write one paragraph to the person, e.g. with 'purpose_for_person: >-'",
            key="purpose_for_person",
        )
        for_person = None
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
        purpose_for_person=(for_person or "").strip(),
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
