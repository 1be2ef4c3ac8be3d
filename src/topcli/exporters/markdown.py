"""The Markdown exports: the one-page summary to send, and the complete transcript (``--full``).

The summary (``topcli plan export --md``) is what a manager sends after the conversation: who and
when (and the leader, when the ``leader`` setting is set), "What we talked about" made of the
answers the framework marks ``summary: true``, the agreed actions as a table (what, by when, how
we'll know, support) and the follow-up date. When none of the marked questions has an answer (a
framework that marks none, a check-in that revisited no stage), the first answer of each stage
stands in, so the summary still says what the conversation was about.

The transcript (``--full``) is the plan first, the notes after: who, when and which framework;
then the plan (the actions as a table: what, by when, success measure, support) and the
follow-up date; then each stage's questions and answers. A check-in is titled as one. The
"by when" cell also says what the terminal's plan shows in its status column: an open action due
before today (``clock.today()``) is ``(overdue)``; a closed one is ``(done)``, ``(dropped)`` or
``(carried over)``.

Neither holds private notes unless the user passed ``--include-private``: the export service
gives every exporter but the complete record :meth:`~topcli.session.Session.shared`. When
private answers are there, they are marked ``(private)`` in the transcript and gathered under
"Private notes" at the end of the summary, so they are never mistaken for shared text.

Every piece of text that comes from a person or a framework file goes through :func:`escape`
(or :func:`escape_block` for an answer, :func:`escape_cell` inside the table), so no answer can
change the document's structure: not a leading ``#`` or ``>``, a ``|`` in a table cell,
backticks, a list marker, nor HTML. The text still reads back exactly: a Markdown renderer shows
the characters that were typed, line breaks included (each line of an answer is a paragraph of
its own; ``<br>`` in table cells).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, BinaryIO

from topcli import clock

if TYPE_CHECKING:
    from topcli.framework import Question
    from topcli.session import Session

#: Characters that mean something wherever they are (emphasis, code, links, tables, escapes,
#: strikethrough, attribute lists, headings).
_ALWAYS = set("\\`*_[]|~{}#")
#: Characters that start a block at the beginning of a line (quote, list, setext underline).
_LINE_START = set(">-+=")
#: ``1.`` or ``1)`` at the start of a line would begin a numbered list.
_ORDERED = re.compile(r"^(\d+)([.)])")
#: ``&copy;`` would show as one character: keep the ampersand of anything that looks like that.
_ENTITY_LIKE = re.compile(r"&#?[A-Za-z0-9]+;")
_EDGE_SPACE = re.compile(r"^[ \t]+|[ \t]+$")


def escape(text: str, *, line_start: bool = True) -> str:
    """One line of text as Markdown that renders as exactly these characters.

    Only what could change the structure is escaped, so the file stays readable as plain text:
    ``\\ ` * _ [ ] | ~ { } #`` everywhere, ``<`` as ``&lt;`` (no HTML, no autolinks), an ``&``
    that would start an entity, and ``> - + =`` or ``1.`` at the start of a line. Spaces at the
    ends of the line become character references, since Markdown would drop them (and four
    leading spaces would start a code block). ``line_start=False`` is for text placed after
    other text on its line (a heading, a table cell), where block markers mean nothing.
    """
    out = []
    for n, char in enumerate(text):
        if char == "<":
            out.append("&lt;")
        elif char == "&" and _ENTITY_LIKE.match(text, n):
            out.append("&amp;")
        elif char in _ALWAYS:
            out.append("\\" + char)
        else:
            out.append(char)
    escaped = "".join(out)
    if line_start:
        if escaped[:1] in _LINE_START:
            escaped = "\\" + escaped
        escaped = _ORDERED.sub(r"\1\\\2", escaped)
    return _EDGE_SPACE.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group()), escaped)


def escape_block(text: str) -> str:
    """An answer of several lines as Markdown paragraphs, one per line.

    A paragraph per line keeps every line break visible when rendered, and the file has no
    trailing backslashes nor invisible double spaces that an editor would strip. An empty line
    cannot be a paragraph, so each one becomes a hard break (a line holding only ``\\``) at the
    start of the next paragraph: it renders as an empty line. Answers never end with a line
    break (they are stored without one), so there is always a next paragraph.
    """
    paragraphs = []
    empty_lines = 0
    for line in text.split("\n"):
        if not line:
            empty_lines += 1
            continue
        paragraphs.append("\\\n" * empty_lines + escape(line))
        empty_lines = 0
    return "\n\n".join(paragraphs)


def escape_cell(text: str) -> str:
    """Text for a table cell: ``|`` cannot end the cell, line breaks become ``<br>``."""
    return "<br>".join(escape(line, line_start=False) for line in text.split("\n"))


def one_line(text: str) -> str:
    """Framework text (prompts, titles) for a heading, which holds a single line."""
    return escape(" ".join(text.split()), line_start=False)


# --------------------------------------------------------------------------- document


@dataclass(frozen=True)
class MarkdownExporter:
    """The built-in ``md`` exporter: the one-page summary, or with :meth:`full` the transcript."""

    name: str = "md"
    suffix: str = ".md"
    description: str = "Markdown: a one-page summary to share (--full: the whole conversation)"
    needs_plan: bool = True
    transcript: bool = False

    def full(self) -> MarkdownExporter:
        """The same exporter writing the complete transcript (``--full``)."""
        return replace(self, transcript=True)

    def export(self, session: Session) -> str:
        return export(session) if self.transcript else export_summary(session, leader_name())

    def export_many(self, sessions: Sequence[Session]) -> str:
        if self.transcript:
            return export_many(sessions)
        return export_summary_many(sessions, leader_name())

    def write_many(self, sessions: Iterable[Session], out: BinaryIO) -> None:
        """:meth:`export_many` written one conversation at a time, the same bytes."""
        leader = None if self.transcript else leader_name()
        separator = b""
        for session in sessions:
            text = export(session) if self.transcript else export_summary(session, leader)
            out.write(separator + text.encode("utf-8"))
            separator = b"\n---\n\n"


def leader_name() -> str | None:
    """The ``leader`` setting, for the summary's "Leader" line.

    A broken config file must not stop an export: it only loses that line, with a warning on
    stderr that names the problem.
    """
    from topcli import config

    try:
        return config.value("leader")
    except config.ConfigError as exc:
        sys.stderr.write(f"warning: {exc.message}; the summary has no leader line\n")
        return None


def export(session: Session) -> str:
    """The complete transcript of one conversation (``--full``)."""
    return "\n".join(_document(session)) + "\n"


def export_many(sessions: Sequence[Session]) -> str:
    """Each conversation's transcript in turn, separated by a horizontal rule."""
    return "\n---\n\n".join(export(s) for s in sessions)


def export_summary(session: Session, leader: str | None = None) -> str:
    """The one-page summary of one conversation, to send to the person."""
    return "\n".join(_summary(session, leader)) + "\n"


def export_summary_many(sessions: Sequence[Session], leader: str | None = None) -> str:
    """Each conversation's summary in turn, separated by a horizontal rule."""
    return "\n---\n\n".join(export_summary(s, leader) for s in sessions)


def _title(session: Session) -> str:
    title = "Career check-in" if session.kind == "checkin" else "Career conversation"
    return f"# {title} with {one_line(session.person_name)}"


def _summary(session: Session, leader: str | None) -> list[str]:
    lines = [_title(session), ""]
    lines.append(f"- **With:** {one_line(session.person_name)}")
    lines.append(f"- **Date:** {session.started_at[:10]}")
    if leader:
        lines.append(f"- **Leader:** {one_line(leader)}")
    if not session.is_complete:
        lines.append("- **Status:** in progress")
    lines += ["", "## What we talked about", ""]
    talked = summary_questions(session)
    if not talked:
        lines += ["*Nothing recorded yet.*", ""]
    for question in talked:
        lines += [f"### {one_line(question.prompt)}", ""]
        lines += _answer(question, session.answers[question.id])
        lines.append("")
    lines += ["## Agreed actions", ""]
    lines += _actions_table(session.actions, success="How we'll know")
    lines += ["", f"**Follow-up conversation:** {session.followup or 'not set yet'}", ""]
    in_plan = _plan_question_ids(session)
    private = [
        q
        for _, q, value in session.answered()
        if q.private and value is not None and q.id not in in_plan
    ]
    if private:
        lines += ["## Private notes (yours: not for sharing)", ""]
        for question in private:
            lines += [f"### {one_line(question.prompt)}", ""]
            lines += _answer(question, session.answers[question.id])
            lines.append("")
    lines.append(f"*Exported from topcli, conversation {one_line(session.id)}.*")
    return lines


def summary_questions(session: Session) -> list[Question]:
    """The answered questions "What we talked about" shows, in framework order.

    Those the framework marks ``summary: true``; when none of those has an answer (a framework
    that marks none, a check-in that revisited no stage), the first answered question of each
    stage. Never the plan's questions (the table and the follow-up line show them), private
    ones, or skipped answers.
    """
    in_plan = _plan_question_ids(session)
    candidates = [
        (stage.id, question)
        for stage, question, value in session.answered()
        if value is not None and question.id not in in_plan and not question.private
    ]
    marked = [question for _, question in candidates if question.summary]
    if marked:
        return marked
    first: dict[str, Question] = {}
    for stage_id, question in candidates:
        first.setdefault(stage_id, question)
    return list(first.values())


def _document(session: Session) -> list[str]:
    framework = session.framework
    checkin = session.kind == "checkin"
    lines = [_title(session), ""]
    lines.append(f"- **With:** {one_line(session.person_name)}")
    lines.append(f"- **Date:** {session.started_at[:10]}")
    lines.append(
        f"- **Framework:** {one_line(framework.name)} (version {one_line(framework.version)})"
    )
    lines.append(f"- **Status:** {'complete' if session.is_complete else 'in progress'}")
    lines += ["", "## The plan", ""]
    lines += _actions_table(session.actions)
    lines += ["", f"**Follow-up conversation:** {session.followup or 'not set yet'}", ""]
    in_plan = _plan_question_ids(session)
    notes_heading = ["## Check-in notes" if checkin else "## Conversation notes", ""]
    for stage in framework.stages:
        answered = [q for q in stage.questions if q.id in session.answers and q.id not in in_plan]
        if not answered:
            continue
        lines += [*notes_heading, f"### {one_line(stage.title)}", ""]
        notes_heading = []
        for question in answered:
            marker = " (private)" if question.private else ""
            lines += [f"#### {one_line(question.prompt)}{marker}", ""]
            lines += _answer(question, session.answers[question.id])
            lines.append("")
    lines.append(f"*Exported from topcli, conversation {one_line(session.id)}.*")
    return lines


def _plan_question_ids(session: Session) -> set[str]:
    """The questions whose answers the plan shows: every actions question, the follow-up."""
    questions = [q for _, q in session.framework.questions()]
    in_plan = {q.id for q in questions if q.type == "actions"}
    followup = next(
        (q.id for q in questions if q.type == "followup" and session.answers.get(q.id)), None
    )
    return in_plan | ({followup} if followup else set())


def _answer(question: Question, value: Any) -> list[str]:
    if value is None:
        return ["*(skipped)*"]
    if question.type == "confirm":
        return ["yes" if value else "no"]
    if question.type == "multiselect":
        return [f"- {escape(item)}" for item in value] if value else ["*(none)*"]
    return [escape_block(str(value))]


#: How the "by when" cell names a closed action's status (other statuses are shown as stored).
_CLOSED = {"done": "done", "dropped": "dropped", "carried": "carried over"}


def _actions_table(
    actions: Sequence[dict[str, Any]], *, success: str = "Success measure"
) -> list[str]:
    if not actions:
        return ["*No actions in this plan.*"]
    today = clock.today().isoformat()
    rows = [
        f"| What | By when | {success} | Support |",
        "| --- | --- | --- | --- |",
    ]
    for action in actions:
        cells = [
            escape_cell(action["what"]),
            escape_cell(_by_when(action, today)),
            escape_cell(action["success"]),
            escape_cell(action["support"]),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def _by_when(action: dict[str, Any], today: str) -> str:
    """``2026-04-17``, ``2026-01-20 (overdue)`` as the terminal's plan says, ``... (done)``."""
    status = action.get("status", "open")
    if status == "open":
        return f"{action['due']} (overdue)" if action["due"] < today else action["due"]
    return f"{action['due']} ({_CLOSED.get(status, status)})"


#: The registered instance (the summary; the CLI asks for the transcript with ``full()``).
EXPORTER = MarkdownExporter()
