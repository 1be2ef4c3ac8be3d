"""Read a filled-in preparation sheet back: answers by question id, and what could not be used.

A sheet comes back after a person has edited it in whatever they use (a text editor, a mail
client, a shared document, a Markdown formatter), so reading is forgiving and honest: every
answer that can be placed is placed; an answer that is not valid for its question is kept as
text to work from (``unparsed``); text that cannot be placed under a question is listed
(``unmatched``); nothing is dropped silently. Whether a sheet for another person or framework
may be used is the caller's decision: :func:`read_prep` reports the facts (``problems``).

Markdown: a question is found by its anchor ``{#question_id}`` at the end of a line (usually its
heading), or failing that by its heading text. Ticked boxes (``- [x] Mentoring``, also ``*``,
``+`` or numbered items, ``\\[x\\]`` as formatters escape it, and ``☒``/``☑``) answer choice and
yes/no questions. YAML: the answers-file format of ``topcli start --answers``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from topcli.errors import AnswerError
from topcli.framework import Framework, Question
from topcli.prep import ANCHOR_RE, HOW, INTRO, KEEP_ANCHORS, TITLE, choices_of, one_line

#: A sheet is a page of questions; anything much bigger is not one (and is never read whole).
MAX_BYTES = 1024 * 1024


@dataclass
class Prep:
    """What a filled-in sheet says, and what could not be used from it."""

    #: Who the sheet is for, and the framework it was written from, as the sheet says.
    person: str | None
    framework_id: str | None
    framework_version: str | None
    #: ``"md"`` or ``"yaml"``.
    format: str
    #: Canonical answers (as ``Question.parse`` returns them) by question id.
    answers: dict[str, Any] = field(default_factory=dict)
    #: Answers that are not valid for their question, as written, by question id.
    unparsed: dict[str, str] = field(default_factory=dict)
    #: Text written beside the ticked boxes of a choice question, by question id.
    notes: dict[str, str] = field(default_factory=dict)
    #: Text (or keys) that could not be placed under any question, each with its line.
    unmatched: list[str] = field(default_factory=list)
    #: Every message worth showing: invalid answers, another person or framework.
    problems: list[str] = field(default_factory=list)


def read_prep(
    source: Path | str,
    *,
    framework: Framework | None = None,
    person: str | None = None,
) -> Prep:
    """Read a sheet from a file (a :class:`~pathlib.Path`) or from its text (a ``str``).

    Answers are read against ``framework`` when given (the conversation's), else against the
    framework the sheet names. ``person`` and ``framework``, when given, are compared with what
    the sheet says and any difference is reported in ``problems``.
    """
    if isinstance(source, Path):
        text, where, suffix = _read_file(source), str(source), source.suffix.lower()
    else:
        text, where, suffix = source, "preparation sheet", ""
    if not text.strip():
        raise AnswerError(
            f"{where}: the preparation sheet is empty",
            hint="write one with 'topcli prep PERSON' and fill it in",
        )
    as_yaml = suffix in (".yaml", ".yml", ".json") or (
        suffix not in (".md", ".markdown", ".txt")
        and re.search(r"^answers\s*:", text, re.MULTILINE) is not None
    )
    reader = _read_yaml if as_yaml else _read_markdown
    prep = reader(text, where, framework)
    _compare(prep, framework, person)
    return prep


def _read_file(path: Path) -> str:
    try:
        if not path.is_file():
            raise AnswerError(
                f"{path}: " + ("no such file" if not path.exists() else "not a regular file"),
                hint="give the path of a filled-in preparation sheet",
            )
        if path.stat().st_size > MAX_BYTES:
            raise AnswerError(
                f"{path}: larger than {MAX_BYTES // 1024} KiB, too big for a preparation sheet",
                hint="give the sheet written by 'topcli prep'",
            )
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise AnswerError(f"{path}: cannot be read ({exc})", hint="check the file") from None


def _framework_for(framework_id: str | None, given: Framework | None, where: str) -> Framework:
    if given is not None:
        return given
    if not framework_id:
        raise AnswerError(
            f"{where}: not a preparation sheet: it does not say which framework it is for",
            hint="a sheet from 'topcli prep' names it ('Conversation: ... (framework top, ...)' "
            "or 'framework: top')",
        )
    from topcli.catalog import resolve_framework, with_plugin_questions

    return with_plugin_questions(resolve_framework(framework_id))


def _compare(prep: Prep, framework: Framework | None, person: str | None) -> None:
    if person is not None and prep.person is not None and _norm(person) != _norm(prep.person):
        prep.problems.append(f"this sheet is for {prep.person}, not {person}")
    if framework is None or prep.framework_id is None:
        return
    if prep.framework_id != framework.id:
        prep.problems.append(
            f"this sheet is for framework '{prep.framework_id}', not '{framework.id}'"
        )
    elif prep.framework_version and prep.framework_version != framework.version:
        prep.problems.append(
            f"this sheet was written from version {prep.framework_version} of framework "
            f"'{framework.id}'; the conversation uses version {framework.version}"
        )


def _take(prep: Prep, question: Question, raw: Any, text: str, where: str) -> None:
    """Parse one answer; keep it as text when it is not valid for the question."""
    from topcli import clock

    try:
        prep.answers[question.id] = question.parse(raw, today=clock.today())
    except AnswerError as exc:
        prep.unparsed[question.id] = text
        prep.problems.append(
            f"{where}: answer to '{question.id}' kept as text: {exc.message}"
            + (f" ({exc.hint})" if exc.hint else "")
        )


# --------------------------------------------------------------------------- YAML


def _read_yaml(text: str, where: str, given: Framework | None) -> Prep:
    import yaml

    from topcli.loader import _loader_class

    try:
        data = yaml.load(text, Loader=_loader_class())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise AnswerError(
            f"{where}{line}: YAML syntax error: {exc.problem}",
            hint="check the indentation: lines of a '|' answer are indented under its key",
        ) from None
    except yaml.YAMLError as exc:
        raise AnswerError(f"{where}: YAML error: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("answers") or {}, dict):
        raise AnswerError(
            f"{where}: a preparation sheet in YAML is a mapping with person, framework and answers",
            hint="write one with 'topcli prep PERSON --yaml'",
        )
    version = re.search(r"^#.*\(framework \S+, version (\S+)\)", text, re.MULTILINE)
    prep = Prep(
        person=None if data.get("person") is None else str(data["person"]),
        framework_id=None if data.get("framework") is None else str(data["framework"]),
        framework_version=version.group(1) if version else None,
        format="yaml",
    )
    framework = _framework_for(prep.framework_id, given, where)
    marks = getattr(data, "key_marks", {})
    for key in data:
        if key not in ("person", "framework", "answers"):
            prep.unmatched.append(f"{_at(where, marks.get(key))}: '{key}' is not part of a sheet")
    answers = data.get("answers") or {}
    questions = {q.id: q for _, q in framework.questions()}
    marks = getattr(answers, "key_marks", {})
    for key, value in answers.items():
        at = _at(where, marks.get(key))
        if key not in questions:
            prep.unmatched.append(
                f"{at}: '{key}' is not a question of framework '{framework.id}'"
                + (f": {_as_text(value)}" if not _blank(value) else "")
            )
        elif not _blank(value):
            _take(prep, questions[key], value, _as_text(value), at)
    return prep


def _at(where: str, mark: tuple[int, int] | None) -> str:
    return f"{where}:{mark[0]}" if mark else where


def _blank(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_as_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_as_text(v)}" for k, v in value.items())
    return str(value).strip()


# --------------------------------------------------------------------------- Markdown

_ATX = re.compile(r"^ {0,3}#{1,6}(?:\s+|$)(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_BOX = re.compile(r"^\s*(?:[-*+]|\d+[.)])?\s*(?:\\?\[\s*([xX✓✔ ]?)\s*\\?\]|([☐☑☒✅]))\s*(.*?)\s*$")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_FOR = re.compile(r"^for:\s*(.+)$", re.IGNORECASE)
_CONVERSATION = re.compile(
    r"\(framework\s+`?([A-Za-z][A-Za-z0-9_-]*)`?,\s*version\s+([^\s)]+)\)", re.IGNORECASE
)
_NUMBER = re.compile(r"^\d+[.)]\s*")


@dataclass
class _Section:
    line: int
    heading: str
    anchor: str | None
    body: list[tuple[int, str]] = field(default_factory=list)


def _plain(text: str) -> str:
    """The text as a reader sees it: escapes undone, emphasis marks and spacing dropped."""
    text = _ESCAPE.sub(r"\1", text)
    text = re.sub(r"(\*\*|__|\*|`)", "", text)
    text = re.sub(r"(^|\s)_|_($|\s)", r"\1\2", text)
    return " ".join(text.split())


def _norm(text: str) -> str:
    return _plain(text).casefold()


def _read_markdown(text: str, where: str, given: Framework | None) -> Prep:
    lines = text.splitlines()
    sections = _sections(lines)
    person = framework_id = version = None
    # the header: the lines before the first question
    header = [line for sec in sections if sec.anchor is None for line in sec.body]
    for _, paragraph in _paragraphs(header):
        plain = _plain(paragraph)
        if person is None and (found := _FOR.match(plain)):
            person = found.group(1).strip()
        if framework_id is None and (found := _CONVERSATION.search(plain)):
            framework_id, version = found.group(1), found.group(2)
    prep = Prep(person=person, framework_id=framework_id, framework_version=version, format="md")
    framework = _framework_for(framework_id, given, where)
    questions = {q.id: q for _, q in framework.questions()}
    by_prompt = {_norm(q.prompt): q for q in questions.values()}
    structural = {_norm(TITLE): [INTRO, KEEP_ANCHORS]}
    for stage in framework.stages:
        # both texts: sheets written before the stage had a person's purpose show the leader's
        structural[_norm(stage.title)] = [t for t in (stage.purpose_for_person, stage.purpose) if t]
    hows = {_norm(HOW[q.type](q)) for q in questions.values() if q.type in HOW}
    seen: set[str] = set()
    for section in sections:
        at = f"{where}:{section.line}"
        question = questions.get(section.anchor or "") or by_prompt.get(
            _norm(_NUMBER.sub("", _plain(section.heading)))
        )
        if question is not None and question.id in seen:
            prep.unmatched.append(f"{at}: question '{question.id}' again; the first one is used")
            continue
        if question is not None:
            seen.add(question.id)
            _answer(prep, question, section.body, at)
            continue
        expected = [*structural.get(_norm(section.heading), []), INTRO, KEEP_ANCHORS]
        leftover = _leftover(section.body, {_norm(p) for p in expected}, hows)
        if section.anchor is not None:
            written = " / ".join(paragraph for _, paragraph in leftover)
            prep.unmatched.append(
                f"{at}: '{{#{section.anchor}}}' is not a question of framework "
                f"'{framework.id}'" + (f": {written}" if written else "")
            )
            continue
        if section.heading and _norm(section.heading) not in structural:
            # a heading the person added (or a line a formatter read as one): keep its words
            leftover.insert(0, (section.line, one_line(_plain(section.heading))[:80]))
        for line, paragraph in leftover:
            prep.unmatched.append(f"{where}:{line}: text under no question: {paragraph}")
    return prep


def _sections(lines: list[str]) -> list[_Section]:
    """Split at headings (``#`` or underlined) and at any line that ends with an anchor."""
    sections = [_Section(line=1, heading="", anchor=None)]
    skip = False
    for n, line in enumerate(lines, start=1):
        if skip:
            skip = False
            continue
        anchor = None
        found = list(ANCHOR_RE.finditer(line))
        if found and not line[found[-1].end() :].strip(" #*_"):
            anchor = found[-1].group(1)
            line = line[: found[-1].start()]
        atx = _ATX.match(line)
        underlined = (
            n < len(lines)
            and line.strip()
            and _SETEXT.match(lines[n])
            and not _BOX.match(line)
            and not re.match(r"^\s*[-*+]\s", line)
        )
        if anchor is not None or atx or underlined:
            heading = atx.group(1) if atx else line
            sections.append(_Section(line=n, heading=heading.strip(" *_"), anchor=anchor))
            skip = bool(underlined)
        else:
            sections[-1].body.append((n, line))
    return sections


def _paragraphs(body: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Runs of non-blank lines as (first line number, lines joined with newlines)."""
    paragraphs: list[tuple[int, list[str]]] = []
    previous_blank = True
    for n, line in body:
        if not line.strip():
            previous_blank = True
            continue
        if previous_blank:
            paragraphs.append((n, []))
        paragraphs[-1][1].append(line)
        previous_blank = False
    return [(n, "\n".join(chunk)) for n, chunk in paragraphs]


def _leftover(
    body: list[tuple[int, str]], expected: set[str], hows: set[str]
) -> list[tuple[int, str]]:
    """Paragraphs of a section that are not the text topcli wrote there (an instruction, empty
    boxes, the header), so that only what a person wrote is reported."""
    left = []
    for n, paragraph in _paragraphs(body):
        plain = _norm(paragraph)
        if plain in expected or _FOR.match(plain) or _CONVERSATION.search(plain):
            continue
        if plain.startswith("sent:") or any(plain.endswith(how) for how in hows):
            continue
        if all(_empty_box(line) for line in paragraph.splitlines()):
            continue
        left.append((n, one_line(_plain(paragraph))[:80]))
    return left


def _items(body: list[tuple[int, str]], has_boxes: bool) -> list[tuple[str | None, str, str]]:
    """``(mark, label, line)`` for each box (its label joined with the indented lines a
    formatter wrapped it onto), and ``(None, line, line)`` for every other line."""
    items: list[tuple[str | None, str, str]] = []
    for _, line in body:
        box = _BOX.match(line)
        if has_boxes and box and (box.group(1) is not None or box.group(2)):
            items.append(((box.group(1) or box.group(2) or "").strip(), box.group(3), line))
        elif items and items[-1][0] is not None and line[:1].isspace() and line.strip():
            mark, label, first = items[-1]
            items[-1] = (mark, f"{label} {line.strip()}", f"{first}\n{line}")
        else:
            items.append((None, line, line))
    return items


def _empty_box(line: str) -> bool:
    box = _BOX.match(line)
    return bool(box and (box.group(1) or box.group(2) or "").strip() in ("", "☐"))


def _answer(prep: Prep, question: Question, body: list[tuple[int, str]], at: str) -> None:
    """The answer under one question: ticked boxes and the text, minus the instruction."""
    how = _norm(HOW[question.type](question))
    boxes = {_norm(c): c for c in choices_of(question)}
    ticked: list[str] = []
    kept: list[str] = []
    for mark, label, line in _items(body, bool(boxes)):
        if mark is None:
            kept.append(line)
        elif mark and mark != "☐":
            ticked.append(boxes.get(_norm(label), _plain(label)))
        elif _norm(label) not in boxes:
            kept.append(line)  # an unticked line topcli did not write: keep it
    # the instruction is a paragraph in italics (a formatter may have wrapped it)
    paragraphs = [
        p
        for _, p in _paragraphs([(0, k) for k in kept])
        if not (_norm(p).endswith(how) and re.match(r"^\s*[*_]", p))
    ]
    text = "\n\n".join(_ESCAPE.sub(r"\1", p) for p in paragraphs)
    if question.type == "text":
        text = one_line(text)
    if question.type in ("select", "multiselect", "confirm") and ticked:
        if text:
            prep.notes[question.id] = text
        if question.type == "multiselect":
            raw: Any = ticked
        elif len(ticked) > 1:
            prep.unparsed[question.id] = ", ".join(ticked)
            prep.problems.append(
                f"{at}: answer to '{question.id}' kept as text: {len(ticked)} "
                "boxes ticked (tick one)"
            )
            return
        else:
            raw = ticked[0]
        _take(prep, question, raw, ", ".join(ticked), at)
        return
    if not text:
        return
    raw = text
    if question.type == "multiselect":
        items = (re.sub(r"^\s*[-*+]\s+", "", i).strip() for i in re.split(r"[,\n]", text))
        raw = [item for item in items if item]
    _take(prep, question, raw, text, at)
