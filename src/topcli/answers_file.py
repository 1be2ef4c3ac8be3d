"""Answers given in a file (``--answers``, a preparation sheet), checked the way typed ones are.

Every value goes through :meth:`Question.parse`, the one definition of a valid answer, so a file
can never store what the prompts would refuse.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from topcli.errors import AnswerError
from topcli.framework import Question


def prepare_answers(
    questions: list[Question],
    raw: Mapping[str, Any],
    today: date,
    source: str,
    *,
    answered: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], list[Question]]:
    """Validate answers-file values through ``Question.parse``; list what is still missing.

    Walks the questions in order so ``when`` conditions see the earlier answers. A missing
    question with a default takes the default when nothing else can answer it, so later
    conditions are checked against that default, as they will be when the conversation runs.
    Messages point at ``file:line:column`` of the answer when the file's marks are known.
    ``answered`` holds what a resumed conversation already has: those questions are done.
    """
    by_id = {q.id: q for q in questions}
    from topcli.errors import did_you_mean
    from topcli.safetext import answer_problem

    marks = getattr(raw, "key_marks", {})

    def where(key: Any) -> str:
        mark = marks.get(key)
        return f"{source}:{mark[0]}:{mark[1]}" if mark else source

    # every problem is collected, so a file is fixed in one go rather than one run per mistake
    problems: list[tuple[str, str | None]] = [
        (
            f"{where(key)}: unknown question id '{key}'{did_you_mean(str(key), by_id)}",
            "'topcli frameworks show ID' lists the question ids",
        )
        for key in raw
        if key not in by_id
    ]
    parsed: dict[str, Any] = {}
    expected: dict[str, Any] = dict(answered or {})
    missing: list[Question] = []
    for question in questions:
        if question.id in (answered or {}) or not question.applies(expected):
            continue
        if question.id in raw:
            # refused before parsing: NUL and lone surrogates would be stored cut or not at all
            problem = answer_problem(raw[question.id])
            if problem:
                problems.append(
                    (
                        f"{where(question.id)}: answer to '{question.id}' {problem}",
                        "remove that character from the answer",
                    )
                )
                continue
            try:
                parsed[question.id] = question.parse(raw[question.id], today=today)
            except AnswerError as exc:
                problems.append(
                    (f"{where(question.id)}: answer to '{question.id}': {exc.message}", exc.hint)
                )
                continue
            expected[question.id] = parsed[question.id]
            continue
        default = question.default_value(today)
        if default is not None:
            expected[question.id] = default
        elif question.required:
            missing.append(question)
    if len(problems) == 1:
        raise AnswerError(problems[0][0], hint=problems[0][1])
    if problems:
        lines = [message + (f" ({hint})" if hint else "") for message, hint in problems]
        raise AnswerError(
            f"{len(problems)} problems in {source}:\n  " + "\n  ".join(lines),
            hint="fix them all, then run the same command again",
        )
    return parsed, missing
