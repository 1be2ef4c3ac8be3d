"""Preparation sheets: the questions of a conversation, written for the person to answer ahead.

TOP's own tip is to share the questions ahead of time, and the Think stage is the person's
reflection. :func:`write_prep` writes a sheet for one person: each chosen stage's purpose and its
questions, with the choices of select questions and room to answer. It is written to the
person: stage tips and question help (both addressed to the leader) are left out, and so are
private questions (the leader's own notes) and the actions and follow-up questions, which are
agreed together in the meeting.

Two forms, both read back by :func:`topcli.prep_read.read_prep`:

- Markdown, for email or a shared document. Each question heading ends with a visible anchor,
  ``{#question_id}``: plain text that survives any editor, copying from a rendered page and
  Markdown formatters (and that Pandoc, kramdown and Python-Markdown read as the heading's id).
  Choices are task-list lines, ``- [ ] Mentoring``, ticked as ``- [x] Mentoring``.
- YAML, a ready answers file (``person``, ``framework``, ``answers``) with each question as a
  comment above its key.

This module imports nothing heavy (no YAML, no prompts): the sheet is plain text.
"""

from __future__ import annotations

import json
import re
import textwrap
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from topcli.errors import UsageError, did_you_mean
from topcli.framework import Framework, Question, Stage

#: Question types a sheet leaves out: agreed together in the meeting, not prepared alone.
MEETING_TYPES = frozenset({"actions", "followup"})
FORMATS = ("md", "yaml")
TITLE = "Preparing for your career conversation"

#: ``{#question_id}`` at the end of a question heading; a formatter may escape the brace.
ANCHOR_RE = re.compile(r"\\?\{\s*#\s*([A-Za-z][A-Za-z0-9_-]*)\s*\\?\}")

INTRO = (
    "These are the questions for our career conversation. Take some time with them before we "
    "meet and write your answers under each question: a few words or a few paragraphs, as you "
    "like. Skip anything you would rather talk about in person; there are no wrong answers."
)
KEEP_ANCHORS = (
    "Please leave the mark in curly braces at the end of each question as it is: it lets "
    "topcli bring your answers into our conversation."
)


def on_sheet(question: Question) -> bool:
    """Whether a question belongs on a preparation sheet: not the plan's own questions, and
    never the leader's private notes."""
    return question.type not in MEETING_TYPES and not question.private


def default_stages(framework: Framework) -> list[Stage]:
    """The stages to prepare: those without an actions or follow-up question.

    For TOP that is Think and Opportunities: the Plan stage is agreed together.
    """
    return [s for s in framework.stages if not any(q.type in MEETING_TYPES for q in s.questions)]


def choose_stages(framework: Framework, stage_ids: Sequence[str] | None) -> list[Stage]:
    """The stages named by ``--stage`` (in framework order), or the default ones."""
    if not stage_ids:
        stages = default_stages(framework)
    else:
        known = {s.id: s for s in framework.stages}
        for sid in stage_ids:
            if sid not in known:
                raise UsageError(
                    f"framework '{framework.id}' has no stage '{sid}'{did_you_mean(sid, known)}",
                    hint="its stages: " + ", ".join(known),
                )
        stages = [s for s in framework.stages if s.id in set(stage_ids)]
    if not any(on_sheet(q) for s in stages for q in s.questions):
        raise UsageError(
            f"nothing to prepare: the chosen stages of framework '{framework.id}' have no "
            "questions to answer ahead",
            hint=f"choose stages with --stage; 'topcli frameworks show {framework.id}' lists them",
        )
    return stages


def stage_purpose(stage: Stage) -> str:
    """The stage's purpose as the person reads it: a sheet speaks to them, not to the leader.

    A framework's ``purpose`` is written to the leader ("your job here is to listen"), so a stage's
    ``purpose_for_person`` is used when it has one; otherwise the purpose, as before.
    """
    return stage.purpose_for_person or stage.purpose


def sheet_questions(stages: Sequence[Stage]) -> list[tuple[Stage, Question]]:
    """The questions on the sheet, in order; their position (from 1) is their number."""
    return [(s, q) for s in stages for q in s.questions if on_sheet(q)]


def instruction(question: Question, numbers: dict[str, int] | None = None, fmt: str = "md") -> str:
    """The one line under a question that says how to answer it (and when it applies).

    The Markdown reader recognises it by its ending, ``HOW[type]``, so that part must stay the
    same for the same question.
    """
    parts = []
    if not question.required:
        parts.append("Optional.")
    when = question.when
    if when is not None:
        values = " or ".join(_value_text(v) for v in when.values)
        ref = (
            f"question {numbers[when.question]}"
            if numbers and when.question in numbers
            else f"'{when.question}'"
        )
        parts.append(f"Only if your answer to {ref} was {values}.")
    parts.append((HOW if fmt == "md" else HOW_YAML)[question.type](question))
    return " ".join(parts)


def _value_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"“{value}”"


def _number_how(question: Question) -> str:
    low, high = question.min, question.max
    if low is not None and high is not None:
        return f"A number from {low} to {high}."
    if low is not None:
        return f"A number, at least {low}."
    if high is not None:
        return f"A number, at most {high}."
    return "A number."


HOW = {
    "text": lambda q: "A line or two.",
    "long_text": lambda q: "Write your answer below.",
    "select": lambda q: "Tick one: put an x in its box.",
    "multiselect": lambda q: "Tick as many as you like: put an x in each box that fits.",
    "confirm": lambda q: "Tick yes or no.",
    "date": lambda q: "A date, such as 2026-04-30.",
    "number": _number_how,
}


HOW_YAML = {
    **HOW,
    "text": lambda q: "One line, after the key.",
    "long_text": lambda q: "Write below the key, each line indented by four spaces.",
    "select": lambda q: "Choose one and copy it after the key:",
    "multiselect": lambda q: "Choose any; write them after the key as a list, [first, second]:",
    "confirm": lambda q: "Yes or no, after the key.",
    "date": lambda q: "A date after the key, such as 2026-04-30.",
}


def choices_of(question: Question) -> tuple[str, ...]:
    """The boxes shown for a question: its choices, or yes and no."""
    return ("Yes", "No") if question.type == "confirm" else question.choices


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def check_person(person: str) -> str:
    name = one_line(person)
    if not name or name != person.strip() or any(unicodedata.category(c) == "Cc" for c in name):
        raise UsageError(
            f"{person!r} is not a person's name", hint="give a name on one line, e.g. 'Sam Lee'"
        )
    return name


# --------------------------------------------------------------------------- writing


def write_prep(
    framework: Framework,
    person: str,
    stages: Sequence[Stage] | None = None,
    fmt: str = "md",
    *,
    today: date | None = None,
    answers: Mapping[str, Any] | None = None,
) -> str:
    """The preparation sheet for ``person``, as Markdown (``fmt="md"``) or YAML.

    ``stages`` default to :func:`default_stages`; ``today`` (the date on the sheet) to the clock.
    ``answers`` (canonical, by question id) fill the sheet in, as ``topcli reflect`` does: the
    same sheet, read back by :func:`topcli.prep_read.read_prep` like one filled in by hand.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown sheet format '{fmt}'", hint="use md or yaml")
    if today is None:
        from topcli import clock

        today = clock.today()
    person = check_person(person)
    chosen = list(stages) if stages is not None else choose_stages(framework, None)
    writer = _markdown if fmt == "md" else _yaml
    return writer(framework, person, chosen, today, answers or {})


def _ticked(question: Question, choice: str, answer: Any) -> bool:
    if question.type == "confirm":
        return answer is not None and (choice == "Yes") == bool(answer)
    if question.type == "multiselect":
        return choice in (answer or ())
    return choice == answer


def _markdown(
    framework: Framework,
    person: str,
    stages: list[Stage],
    today: date,
    answers: Mapping[str, Any],
) -> str:
    numbers = {q.id: n for n, (_, q) in enumerate(sheet_questions(stages), start=1)}
    out = [
        f"# {TITLE}",
        "",
        f"**For:** {person}",
        "",
        f"**Conversation:** {framework.name} (framework `{framework.id}`, "
        f"version {framework.version})",
        "",
        f"**Sent:** {today.isoformat()}",
        "",
        INTRO,
        "",
        KEEP_ANCHORS,
        "",
    ]
    for stage in stages:
        questions = [q for q in stage.questions if on_sheet(q)]
        if not questions:
            continue
        out += [f"## {stage.title}", ""]
        if stage_purpose(stage):
            out += [one_line(stage_purpose(stage)), ""]
        for question in questions:
            out += [
                f"### {numbers[question.id]}. {one_line(question.prompt)} {{#{question.id}}}",
                "",
                f"*{instruction(question, numbers)}*",
                "",
            ]
            boxes = choices_of(question)
            answer = answers.get(question.id)
            if boxes:
                out += [
                    f"- [{'x' if _ticked(question, c, answer) else ' '}] {one_line(c)}"
                    for c in boxes
                ] + [""]
            elif answer is not None and str(answer).strip():
                out += [str(answer).strip(), ""]
            # room to answer: a blank line a person types into (formatters collapse it)
            out += [""]
    return "\n".join(out).rstrip("\n") + "\n"


def _yaml(
    framework: Framework,
    person: str,
    stages: list[Stage],
    today: date,
    answers: Mapping[str, Any],
) -> str:
    numbers = {q.id: n for n, (_, q) in enumerate(sheet_questions(stages), start=1)}
    out = [
        f"# {TITLE}",
        f"# For {person}: {framework.name} (framework {framework.id}, "
        f"version {framework.version}), sent {today.isoformat()}.",
        "#",
        *_comment(INTRO, ""),
        "#",
        *_comment(
            "Write each answer after its key. Leave a key empty to skip it. For several lines, "
            "keep the '|' after the key and indent each line under it by four spaces.",
            "",
        ),
        f"person: {_scalar(person)}",
        f"framework: {_scalar(framework.id)}",
        "answers:",
    ]
    for stage in stages:
        questions = [q for q in stage.questions if on_sheet(q)]
        if not questions:
            continue
        out += ["", f"  # ---- {stage.title} ----"]
        if stage_purpose(stage):
            out += _comment(stage_purpose(stage), "  ")
        for question in questions:
            out += [""]
            out += _comment(f"{numbers[question.id]}. {question.prompt}", "  ")
            out += _comment(instruction(question, numbers, "yaml"), "  ")
            out += _yaml_slot(question, answers.get(question.id))
    return "\n".join(out) + "\n"


def _yaml_slot(question: Question, answer: Any = None) -> list[str]:
    """The comment lines with the choices, and the key with room for (or with) the answer."""
    key = f"  {question.id}:"
    choices = [f"  #   {_scalar(c)}" for c in question.choices]
    if question.type == "long_text":
        text = "" if answer is None else str(answer).strip("\n")
        return [f"{key} |", *(f"    {line}" if line.strip() else "" for line in text.split("\n"))]
    if answer is None or answer == []:
        return [*choices, key]
    if question.type == "multiselect":
        value = "[" + ", ".join(json.dumps(a, ensure_ascii=False) for a in answer) + "]"
    elif question.type == "confirm":
        value = "yes" if answer else "no"
    elif question.type in ("number",):
        value = str(answer)
    else:
        value = json.dumps(str(answer), ensure_ascii=False)
    return [*choices, f"{key} {value}"]


def _comment(text: str, indent: str) -> list[str]:
    width = 100 - len(indent) - 2
    return [f"{indent}# {line}" for line in textwrap.wrap(one_line(text), width)] or [f"{indent}#"]


_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._()'/,-]*$")
_YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})


def _scalar(text: str) -> str:
    """A YAML scalar for ``text``: as is when YAML reads it back unchanged, else quoted."""
    plain = _PLAIN.match(text) and not re.match(r"^[\d.]+$", text)
    if plain and text.lower() not in _YAML_WORDS and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)
