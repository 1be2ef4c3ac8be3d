"""The Markdown export: golden file, and a structure no answer can break (parsed back)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from exports_support import (
    MULTI_LINE,
    ONE_LINE,
    check_golden,
    fixture_data,
    hostile_data,
    import_data,
    import_fixture,
)
from helpers import run_cli
from topcli.exporters import markdown
from topcli.session import Session
from topcli.store import Store


def parse(text: str) -> list[Token]:
    """CommonMark plus GFM tables and strikethrough, HTML on: what GitHub and editors do."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text)


def inline_text(token: Token) -> str:
    """What a reader sees of an inline token: text, with line breaks as newlines."""
    out = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or (
            child.type == "html_inline" and child.content == "<br>"
        ):
            out.append("\n")
        else:
            out.append(f"<{child.type}>")
    return "".join(out)


def headings(tokens: list[Token]) -> list[tuple[str, str]]:
    return [
        (tok.tag, inline_text(tokens[n + 1]))
        for n, tok in enumerate(tokens)
        if tok.type == "heading_open"
    ]


def table_rows(tokens: list[Token]) -> list[list[str]]:
    rows: list[list[str]] = []
    for n, tok in enumerate(tokens):
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type in ("th_open", "td_open"):
            rows[-1].append(inline_text(tokens[n + 1]))
    return rows


def answer_after(tokens: list[Token], heading: str) -> str:
    """The text of the paragraphs right after the heading ``heading``, one line each."""
    for n, tok in enumerate(tokens):
        if tok.type == "heading_open" and inline_text(tokens[n + 1]) == heading:
            return paragraphs_text(tokens[n + 3 :])
    raise AssertionError(f"no heading {heading!r}")


def paragraphs_text(tokens: list[Token]) -> str:
    """The consecutive paragraphs at the start of ``tokens``, joined by line breaks."""
    assert tokens[0].type == "paragraph_open", f"a {tokens[0].type}, not a paragraph"
    lines = []
    n = 0
    while n < len(tokens) and tokens[n].type == "paragraph_open" and not is_footer(tokens[n + 1]):
        lines.append(inline_text(tokens[n + 1]))
        n += 3
    return "\n".join(lines)


def is_footer(token: Token) -> bool:
    """The export's last line (an answer's ``*`` would be escaped: it cannot look like this)."""
    return token.content.startswith("*Exported from topcli, conversation ")


def heading_position(tokens: list[Token], text: str) -> int:
    return next(
        n
        for n, tok in enumerate(tokens)
        if tok.type == "heading_open" and inline_text(tokens[n + 1]) == text
    )


def plan_question_ids(session: Session) -> set[str]:
    return {q.id for _, q in session.framework.questions() if q.type in ("actions", "followup")}


def expected_headings(
    session: Session, title: str = "Career conversation"
) -> list[tuple[str, str]]:
    """Title, the plan, then each stage with its questions; the plan's questions are in the plan."""
    result = [("h1", f"{title} with {session.person_name}"), ("h2", "The plan")]
    result.append(("h2", "Check-in notes" if session.kind == "checkin" else "Conversation notes"))
    in_plan = plan_question_ids(session)
    for stage in session.framework.stages:
        answered = [q for q in stage.questions if q.id in session.answers and q.id not in in_plan]
        if answered:
            result.append(("h3", stage.title))
            result += [("h4", " ".join(q.prompt.split())) for q in answered]
    return result


# --------------------------------------------------------------------------- golden


def test_golden_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    check_golden("session.md", markdown.export(import_fixture(monkeypatch)))


def test_summary_starts_with_who_when_framework_then_the_plan_then_the_notes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = import_fixture(monkeypatch)
    tokens = parse(markdown.export(session))
    assert headings(tokens) == expected_headings(session)
    facts = [inline_text(t) for t in tokens if t.type == "inline" and t.content.startswith("**")]
    assert facts == [
        "<strong_open>With:<strong_close> Priya Raman",
        "<strong_open>Date:<strong_close> 2026-03-02",
        "<strong_open>Framework:<strong_close> TOP career conversation (version 1.0)",
        "<strong_open>Status:<strong_close> complete",
        "<strong_open>Follow-up conversation:<strong_close> 2026-06-02",
    ]
    # the plan, then the follow-up date, come before any of the conversation's notes
    plan = heading_position(tokens, "The plan")
    table = next(n for n, t in enumerate(tokens) if t.type == "table_open")
    followup = next(n for n, t in enumerate(tokens) if t.content.startswith("**Follow-up"))
    notes = heading_position(tokens, "Conversation notes")
    assert plan < table < followup < notes
    assert notes < heading_position(tokens, "Think")
    rows = table_rows(tokens)
    assert rows[0] == ["What", "By when", "Success measure", "Support"]
    assert rows[1] == [
        "Run the event-pipeline design review (3 teams)",
        "2026-04-17",
        "Decision recorded in the RFC; every team signed off, no open blockers",
        "Manager protects 2 days/week from on-call",
    ]
    # a closed action says so in its "by when" cell, the table keeps its four columns
    assert rows[2][:2] == [
        "Meet Amara monthly; ask about consensus-building and strategy docs",
        "2026-03-20 (done)",
    ]
    assert len(rows) == 1 + len(session.actions)
    # the plan's questions are not repeated in the notes
    prompts = [text for _, text in headings(tokens)]
    assert "When shall we meet again to review progress?" not in prompts
    assert not any(p.startswith("What actions will you take") for p in prompts)
    bullets = [
        inline_text(tokens[n + 2])
        for n, t in enumerate(tokens)
        if t.type == "list_item_open" and tokens[n + 2].content in ("Mentoring",)
    ]
    assert bullets == ["Mentoring"]


@pytest.mark.parametrize(
    ("now", "statuses", "by_when"),
    [
        # the day before the first action is due: nothing overdue, the done one says so
        (
            "2026-04-16T09:00:00+01:00",
            ["open", "done", "open"],
            ["2026-04-17", "2026-03-20 (done)", "2026-05-29"],
        ),
        # due today is not overdue yet
        (
            "2026-04-17T23:00:00+01:00",
            ["open", "done", "open"],
            ["2026-04-17", "2026-03-20 (done)", "2026-05-29"],
        ),
        (
            "2026-04-18T09:00:00+01:00",
            ["open", "done", "open"],
            ["2026-04-17 (overdue)", "2026-03-20 (done)", "2026-05-29"],
        ),
        # closed actions are never overdue: they say how they were closed
        (
            "2026-07-01T09:00:00+01:00",
            ["carried", "dropped", "open"],
            ["2026-04-17 (carried over)", "2026-03-20 (dropped)", "2026-05-29 (overdue)"],
        ),
    ],
    ids=["before", "due-today", "overdue", "closed"],
)
def test_the_by_when_cell_marks_overdue_and_closed_actions_as_the_terminal_plan_does(
    monkeypatch: pytest.MonkeyPatch, now: str, statuses: list[str], by_when: list[str]
) -> None:
    data = fixture_data(monkeypatch)
    for action, status in zip(data["answers"]["actions"], statuses, strict=True):
        action["status"] = status
    import_data(data)
    monkeypatch.setenv("TOPCLI_NOW", now)
    result = run_cli(["plan", "export", "--md"])
    assert result.exit_code == 0, result.output
    rows = table_rows(parse(result.stdout))
    assert all(len(row) == 4 for row in rows)
    assert [row[1] for row in rows[1:]] == by_when
    assert [row[0] for row in rows[1:]] == [a["what"] for a in data["answers"]["actions"]]
    # the same actions are overdue as in 'topcli plan show'
    shown = run_cli(["plan", "show"])
    assert shown.stdout.count("overdue") == result.stdout.count("(overdue)")


def test_each_answer_line_is_a_paragraph_without_trailing_backslashes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = import_fixture(monkeypatch)
    text = markdown.export(session)
    answer = session.answers["energising_work"]
    assert "\n" in answer
    assert "\n\n".join(answer.split("\n")) in text
    assert not [line for line in text.splitlines() if line.endswith(("\\", " "))]
    tokens = parse(text)
    prompt = "What kind of work gives you energy, and what kind of work drains it?"
    assert answer_after(tokens, prompt) == answer


def test_a_plan_with_only_a_followup_date_says_it_has_no_actions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = fixture_data(monkeypatch)
    data["answers"]["actions"] = []
    tokens = parse(markdown.export(import_data(data)))
    plan = heading_position(tokens, "The plan")
    assert inline_text(tokens[plan + 4]) == "<em_open>No actions in this plan.<em_close>"
    assert inline_text(tokens[plan + 7]) == (
        "<strong_open>Follow-up conversation:<strong_close> 2026-06-02"
    )
    assert not table_rows(tokens)


def test_a_checkin_is_titled_as_one_with_its_plan_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first = import_fixture(monkeypatch)
    monkeypatch.setenv("TOPCLI_NOW", "2026-04-20T09:00:00+00:00")
    review, _done, rfc = (a["id"] for a in first.actions)
    answers = {
        "since_last": "A good month.",
        f"a_{review}_progress": "The review happened on the 16th.",
        f"a_{review}_status": "Done",
        f"a_{rfc}_progress": "Outline written.\nWaiting for the queue metrics.",
        f"a_{rfc}_status": "Carry over",
        f"a_{rfc}_new_due": "2026-06-30",
        "revisit_think": False,
        "revisit_opportunities": False,
        "actions": [{"what": "Present the RFC at the guild", "due": "2026-07-15"}],
        "followup": "2026-07-20",
    }
    path = tmp_path / "checkin.json"
    path.write_text(json.dumps({"framework": "checkin", "answers": answers}), encoding="utf-8")
    result = run_cli(["checkin", "Priya", "--answers", str(path), "--no-input"])
    assert result.exit_code == 0, result.output
    result = run_cli(["plan", "export", "--md", "--full"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Career check-in with Priya Raman\n")
    checkin = Store().load(Store().latest_session_row()["id"])
    assert checkin.kind == "checkin"
    tokens = parse(result.stdout)
    assert headings(tokens) == expected_headings(checkin, title="Career check-in")
    assert [row[:2] for row in table_rows(tokens)[1:]] == [
        ["Present the RFC at the guild", "2026-07-15"],
        ["Draft the RFC for retiring the legacy message queue", "2026-06-30"],
    ]
    assert "<strong_open>Follow-up conversation:<strong_close> 2026-07-20" in [
        inline_text(t) for t in tokens if t.type == "inline"
    ]
    progress = next(
        q.prompt for _, q in checkin.framework.questions() if q.id.endswith(f"{rfc}_progress")
    )
    assert answer_after(tokens, progress) == "Outline written.\nWaiting for the queue metrics."


# --------------------------------------------------------------------------- hostile text


@pytest.fixture
def hostile(monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], list[Token]]:
    data = hostile_data(monkeypatch)
    return data, parse(markdown.export(import_data(data)))


def test_hostile_answers_cannot_change_the_structure(
    hostile: tuple[dict[str, Any], list[Token]],
) -> None:
    data, tokens = hostile
    session_questions = [q for stage in data["framework"]["stages"] for q in stage["questions"]]
    answered = [q for q in session_questions if q["id"] in data["answers"]]
    notes = [q for q in answered if q["type"] not in ("actions", "followup")]
    block_types = {t.type for t in tokens}
    # no HTML, code, quotes, rules, images or links: nothing the user typed became structure
    assert not block_types & {"html_block", "code_block", "fence", "blockquote_open", "hr"}
    kinds = {child.type for t in tokens if t.type == "inline" for child in t.children or []}
    assert not kinds & {"link_open", "image", "s_open", "code_inline"}
    # one h1, the plan and the notes, one h3 per stage, one h4 per question in the notes: no
    # heading from an answer
    levels = [tag for tag, _ in headings(tokens)]
    assert levels.count("h1") == 1
    assert levels.count("h2") == 2
    assert levels.count("h3") == 3
    assert levels.count("h4") == len(notes)
    assert len(levels) == 6 + len(notes)
    # the table: a header and one row per action, each exactly 4 cells
    rows = table_rows(tokens)
    assert len(rows) == 1 + len(data["answers"]["actions"])
    assert all(len(row) == 4 for row in rows)
    # the only lists are the multiselect answer and the facts at the top
    bullet_lists = [t for t in tokens if t.type == "bullet_list_open"]
    assert len(bullet_lists) == 2
    assert not any(t.type == "ordered_list_open" for t in tokens)


def test_hostile_html_inline_is_only_our_line_breaks(
    hostile: tuple[dict[str, Any], list[Token]],
) -> None:
    _, tokens = hostile
    inline_html = [
        c.content
        for t in tokens
        if t.type == "inline"
        for c in t.children or []
        if c.type == "html_inline"
    ]
    assert set(inline_html) <= {"<br>"}


def test_hostile_text_reads_back_exactly(hostile: tuple[dict[str, Any], list[Token]]) -> None:
    data, tokens = hostile
    prompts = {
        q["id"]: " ".join(q["prompt"].split())
        for stage in data["framework"]["stages"]
        for q in stage["questions"]
    }
    for qid, value in data["answers"].items():
        if isinstance(value, str) and qid != "followup":
            assert answer_after(tokens, prompts[qid]) == value, qid
    rows = table_rows(tokens)[1:]
    for row, action in zip(rows, data["answers"]["actions"], strict=True):
        due = row[1].removesuffix(" (done)")
        assert [row[0], due, row[2], row[3]] == [
            action["what"],
            action["due"],
            action["success"],
            action["support"],
        ]
    title = headings(tokens)[0][1]
    assert title == "Career conversation with " + data["person"]["name"]


#: Blank lines, several in a row too, and lines of spaces between lines of text.
BLANK_LINES = ["a\n\nb", "a\n\n\n\nb", "\n\nleading blank lines", "a\n   \nb\n\t\nc"]


@pytest.mark.parametrize("text", ONE_LINE + MULTI_LINE + BLANK_LINES)
def test_escape_block_round_trips_each_hostile_text(text: str) -> None:
    tokens = parse(markdown.escape_block(text))
    assert {t.type for t in tokens} == {"paragraph_open", "inline", "paragraph_close"}
    assert paragraphs_text(tokens) == text


def test_escape_block_makes_a_paragraph_of_each_line_and_keeps_blank_lines() -> None:
    assert markdown.escape_block("one.\ntwo.") == "one.\n\ntwo."
    # an empty line is a hard break at the start of the next paragraph: it shows as a line
    assert markdown.escape_block("one.\n\ntwo.") == "one.\n\n\\\ntwo."
    tokens = parse(markdown.escape_block("one.\n\ntwo."))
    assert [c.type for c in tokens[4].children or []] == ["hardbreak", "text"]


@pytest.mark.parametrize("text", ONE_LINE + MULTI_LINE)
def test_escape_cell_keeps_one_cell(text: str) -> None:
    source = "| a | b |\n| --- | --- |\n| " + markdown.escape_cell(text) + " | x |\n"
    rows = table_rows(parse(source))
    assert rows[1] == [text, "x"]


def test_escaping_keeps_plain_prose_readable() -> None:
    plain = "Work I'm proud of (with people I trust), e.g. 3.5 days - and still learning!"
    assert markdown.escape(plain) == plain
    assert markdown.escape("# 1") == "\\# 1"
    assert markdown.escape("1. first") == "1\\. first"
    assert markdown.escape("- x") == "\\- x"
    assert markdown.escape("a <b> & c &amp;") == "a &lt;b> & c &amp;amp;"
    assert markdown.escape("  two") == "&#32;&#32;two"


def test_all_conversations_in_one_document(monkeypatch: pytest.MonkeyPatch) -> None:
    session = import_fixture(monkeypatch)
    text = markdown.export_many([session, session])
    tokens = parse(text)
    assert [tag for tag, _ in headings(tokens)].count("h1") == 2
    assert sum(t.type == "hr" for t in tokens) == 1
