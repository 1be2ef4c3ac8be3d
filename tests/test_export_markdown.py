"""The Markdown export: golden file, and a structure no answer can break (parsed back)."""

from __future__ import annotations

from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from exports_support import (
    MULTI_LINE,
    ONE_LINE,
    check_golden,
    hostile_data,
    import_data,
    import_fixture,
)
from topcli.exporters import markdown
from topcli.session import Session


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
    """The text of the block right after the heading ``heading``."""
    for n, tok in enumerate(tokens):
        if tok.type == "heading_open" and inline_text(tokens[n + 1]) == heading:
            block = tokens[n + 3]
            assert block.type == "paragraph_open", f"{heading!r} is followed by {block.type}"
            return inline_text(tokens[n + 4])
    raise AssertionError(f"no heading {heading!r}")


def expected_headings(session: Session) -> list[tuple[str, str]]:
    result = [("h1", f"Career conversation with {session.person_name}")]
    for stage in session.framework.stages:
        answered = [q for q in stage.questions if q.id in session.answers]
        if answered:
            result.append(("h2", stage.title))
            result += [("h3", " ".join(q.prompt.split())) for q in answered]
    return result


# --------------------------------------------------------------------------- golden


def test_golden_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    check_golden("session.md", markdown.export(import_fixture(monkeypatch)))


def test_summary_has_who_when_framework_stages_actions_and_followup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = import_fixture(monkeypatch)
    tokens = parse(markdown.export(session))
    assert headings(tokens) == expected_headings(session)
    facts = [inline_text(t) for t in tokens if t.type == "inline" and t.content.startswith("**")]
    assert facts[:5] == [
        "<strong_open>With:<strong_close> Priya Raman",
        "<strong_open>Date:<strong_close> 2026-03-02",
        "<strong_open>Framework:<strong_close> TOP career conversation (version 1.0)",
        "<strong_open>Status:<strong_close> complete",
        "<strong_open>Follow-up conversation:<strong_close> 2026-06-02",
    ]
    rows = table_rows(tokens)
    assert rows[0] == ["What", "By when", "Success measure", "Support"]
    assert rows[1] == [
        "Run the event-pipeline design review (3 teams)",
        "2026-04-17",
        "Decision recorded in the RFC; every team signed off, no open blockers",
        "Manager protects 2 days/week from on-call",
    ]
    assert rows[2][0] == (
        "Meet Amara monthly; ask about consensus-building and strategy docs"
        " <em_open>(done)<em_close>"
    )
    assert len(rows) == 1 + len(session.actions)
    assert answer_after(tokens, "When shall we meet again to review progress?") == "2026-06-02"
    bullets = [
        inline_text(tokens[n + 2])
        for n, t in enumerate(tokens)
        if t.type == "list_item_open" and tokens[n + 2].content in ("Mentoring",)
    ]
    assert bullets == ["Mentoring"]


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
    block_types = {t.type for t in tokens}
    # no HTML, code, quotes, rules, images or links: nothing the user typed became structure
    assert not block_types & {"html_block", "code_block", "fence", "blockquote_open", "hr"}
    kinds = {child.type for t in tokens if t.type == "inline" for child in t.children or []}
    assert not kinds & {"link_open", "image", "s_open", "code_inline"}
    # one h1, one h2 per stage, one h3 per answered question: no heading from an answer
    levels = [tag for tag, _ in headings(tokens)]
    assert levels.count("h1") == 1
    assert levels.count("h2") == 3
    assert levels.count("h3") == len(answered)
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
        what = row[0].removesuffix(" <em_open>(done)<em_close>")
        assert [what, row[1], row[2], row[3]] == [
            action["what"],
            action["due"],
            action["success"],
            action["support"],
        ]
    title = headings(tokens)[0][1]
    assert title == "Career conversation with " + data["person"]["name"]


@pytest.mark.parametrize("text", ONE_LINE + MULTI_LINE)
def test_escape_block_round_trips_each_hostile_text(text: str) -> None:
    tokens = parse(markdown.escape_block(text))
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert inline_text(tokens[1]) == text


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
