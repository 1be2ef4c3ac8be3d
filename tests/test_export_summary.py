"""The one-page summary (``plan export --md``): structure parsed back, golden files, the leader.

Parsed with markdown-it-py (CommonMark plus GFM tables), as in ``test_export_markdown.py``: who
and when, "What we talked about" from the questions the framework marks ``summary: true`` (or the
first answer of each stage when it marks none), one table of the agreed actions, the follow-up
line, and nothing private.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from markdown_it.token import Token

from exports_support import check_golden, hostile_data, import_data, import_fixture
from helpers import run_cli
from test_export_markdown import headings, inline_text, parse, table_rows
from test_export_private import MARKS, hold_with_notes
from topcli.exporters import markdown
from topcli.session import Session

ACTION_COLUMNS = ["What", "By when", "How we'll know", "Support"]
#: What "one page" means here: a printed page holds about 60 lines of text.
ONE_PAGE = 60


@pytest.fixture(autouse=True)
def no_leader_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TOPCLI_LEADER", raising=False)
    monkeypatch.delenv("TOPCLI_CONFIG", raising=False)


@pytest.fixture
def sam(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Session:
    """Sam Lee's conversation (docs/examples) with the leader's private notes, held with TOP."""
    return hold_with_notes(tmp_path, monkeypatch)


def facts(tokens: list[Token]) -> list[str]:
    """The bullet list at the top: ``With: ...``, ``Date: ...`` as a reader sees them."""
    return [
        inline_text(t).replace("<strong_open>", "").replace("<strong_close>", "")
        for t in tokens
        if t.type == "inline" and t.content.startswith("**") and ":** " in t.content
    ]


def summary_export(*args: str) -> str:
    result = run_cli(["plan", "export", "--md", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


# --------------------------------------------------------------------------- golden


def test_golden_summary_for_sam_lee(sam: Session) -> None:
    check_golden("summary-sam-lee.md", summary_export())


def test_golden_summary_without_summary_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture was held with TOP 1.0, which marked no summary questions: the fallback."""
    check_golden("summary.md", markdown.export_summary(import_fixture(monkeypatch)))


def test_full_is_the_transcript_of_the_golden_file(monkeypatch: pytest.MonkeyPatch) -> None:
    import_fixture(monkeypatch)
    check_golden("session.md", summary_export("--full"))


# --------------------------------------------------------------------------- structure


def test_summary_is_who_when_what_we_talked_about_the_actions_and_the_followup(
    sam: Session,
) -> None:
    text = summary_export()
    tokens = parse(text)
    marked = [q for _, q in sam.framework.questions() if q.summary]
    assert [q.id for q in marked] == [
        "strengths",
        "aspirations",
        "career_direction",
        "opportunity_types",
        "top_priority",
    ]
    assert headings(tokens) == [
        ("h1", "Career conversation with Sam Lee"),
        ("h2", "What we talked about"),
        *[("h3", " ".join(q.prompt.split())) for q in marked],
        ("h2", "Agreed actions"),
    ]
    assert facts(tokens)[:2] == ["With: Sam Lee", "Date: 2026-03-02"]
    # exactly one table: the agreed actions, with their four columns
    assert [t.type for t in tokens].count("table_open") == 1
    rows = table_rows(tokens)
    assert rows[0] == ACTION_COLUMNS
    assert [row[0] for row in rows[1:]] == [a["what"] for a in sam.actions]
    assert all(len(row) == 4 for row in rows)
    followups = [f for f in facts(tokens) if f.startswith("Follow-up conversation:")]
    assert followups == ["Follow-up conversation: 2026-06-02"]
    # the follow-up line comes after the table, and the answers come through exactly
    table = next(n for n, t in enumerate(tokens) if t.type == "table_open")
    followup = next(n for n, t in enumerate(tokens) if t.content.startswith("**Follow-up"))
    assert table < followup
    assert sam.answers["strengths"] in text
    for item in sam.answers["opportunity_types"]:
        assert f"- {item}\n" in text
    # short: one page, and nothing from the rest of the conversation or the private notes
    assert len(text.splitlines()) < ONE_PAGE
    assert sam.answers["career_so_far"].splitlines()[0] not in text
    for mark in MARKS:
        assert mark not in text


def test_summary_fallback_is_the_first_answer_of_each_stage(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = import_fixture(monkeypatch)
    assert not any(q.summary for _, q in session.framework.questions())
    chosen = markdown.summary_questions(session)
    assert [q.id for q in chosen] == ["career_so_far", "opportunity_types", "top_priority"]
    tokens = parse(markdown.export_summary(session))
    assert [text for tag, text in headings(tokens) if tag == "h3"] == [
        " ".join(q.prompt.split()) for q in chosen
    ]


def test_summary_skips_skipped_answers_and_the_plan_questions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from exports_support import fixture_data

    data = fixture_data(monkeypatch)
    data["framework"]["stages"][0]["questions"][0]["required"] = False
    data["answers"]["career_so_far"] = None
    session = import_data(data)
    chosen = [q.id for q in markdown.summary_questions(session)]
    assert chosen == ["energising_work", "opportunity_types", "top_priority"]
    assert not {"actions", "followup"} & set(chosen)
    assert "(skipped)" not in markdown.export_summary(session)


def test_summary_of_a_checkin_that_revisited_nothing_falls_back_to_first_answers(
    sam: Session, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import json

    from topcli.store import Store

    monkeypatch.setenv("TOPCLI_NOW", "2026-04-20T09:00:00+00:00")
    answers: dict[str, Any] = {"since_last": "A good month."}
    for action in sam.actions:
        answers[f"a_{action['id']}_progress"] = "Done, and it went well."
        answers[f"a_{action['id']}_status"] = "Done"
    answers.update(
        revisit_think=False,
        revisit_opportunities=False,
        actions=[{"what": "Present the RFC at the guild", "due": "2026-07-15"}],
        followup="2026-07-20",
    )
    path = tmp_path / "checkin.json"
    path.write_text(json.dumps({"framework": "checkin", "answers": answers}), encoding="utf-8")
    result = run_cli(["checkin", "Sam Lee", "--answers", str(path), "--no-input"])
    assert result.exit_code == 0, result.output
    checkin = Store().load(Store().latest_session_row()["id"])
    # the revisit copies keep TOP's marks (private too), but none was asked
    assert any(q.summary for _, q in checkin.framework.questions())
    assert any(q.private for _, q in checkin.framework.questions())
    chosen = markdown.summary_questions(checkin)
    assert chosen and chosen[0].id == "since_last"
    text = summary_export()
    assert text.startswith("# Career check-in with Sam Lee\n")
    assert "A good month." in text and "*Nothing recorded yet.*" not in text
    assert [row[0] for row in table_rows(parse(text))[1:]] == ["Present the RFC at the guild"]


def test_summary_of_a_plan_without_actions_or_answers_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from exports_support import fixture_data

    data = fixture_data(monkeypatch)
    data["answers"] = {"actions": [], "followup": "2026-06-02"}
    data["answered_at"] = {k: data["answered_at"][k] for k in data["answers"]}
    data["status"] = "in_progress"
    data["completed_at"] = None
    text = markdown.export_summary(import_data(data))
    tokens = parse(text)
    assert "*Nothing recorded yet.*" in text and "*No actions in this plan.*" in text
    assert "Status: in progress" in facts(tokens)
    assert not table_rows(tokens)


def test_summary_of_every_conversation_with_all(monkeypatch: pytest.MonkeyPatch) -> None:
    from exports_support import fixture_data

    first = fixture_data(monkeypatch)
    import_data(first)
    second = dict(first, id="second-one")
    second["answers"] = dict(first["answers"], actions=[])
    import_data(second)
    text = summary_export("--all")
    parts = text.split("\n---\n\n")
    assert len(parts) == 2
    for part in parts:
        assert [h for h in headings(parse(part)) if h[0] == "h2"] == [
            ("h2", "What we talked about"),
            ("h2", "Agreed actions"),
        ]


# --------------------------------------------------------------------------- the leader


def test_leader_line_comes_from_the_leader_setting(
    sam: Session, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home.mkdir(exist_ok=True)
    (home / "config.toml").write_text('leader = "Ann Example"\n', encoding="utf-8")
    assert facts(parse(summary_export()))[:3] == [
        "With: Sam Lee",
        "Date: 2026-03-02",
        "Leader: Ann Example",
    ]
    monkeypatch.setenv("TOPCLI_LEADER", "Bo <b>#1</b>")
    assert "Leader: Bo <b>#1</b>" in facts(parse(summary_export()))


def test_a_broken_config_loses_only_the_leader_line_with_a_warning(
    sam: Session, home: Path
) -> None:
    home.mkdir(exist_ok=True)
    config = home / "config.toml"
    config.write_text('leader = "Ann Example"\nthis is not toml\n', encoding="utf-8")
    result = run_cli(["plan", "export", "--md"])
    assert result.exit_code == 0, result.output
    assert "warning:" in result.stderr and str(config) in result.stderr
    assert "the summary has no leader line" in result.stderr
    assert not [f for f in facts(parse(result.stdout)) if f.startswith("Leader")]
    assert table_rows(parse(result.stdout))[0] == ACTION_COLUMNS


# --------------------------------------------------------------------------- hostile text


def test_hostile_answers_cannot_change_the_summary_structure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data: dict[str, Any] = hostile_data(monkeypatch)
    session = import_data(data)
    text = markdown.export_summary(session, leader="Eve # <script>x</script> | pipe")
    tokens = parse(text)
    levels = [tag for tag, _ in headings(tokens)]
    assert levels == ["h1", "h2", "h3", "h3", "h3", "h2"]
    assert not {t.type for t in tokens} & {"html_block", "code_block", "fence", "hr"}
    rows = table_rows(tokens)
    assert len(rows) == 1 + len(data["answers"]["actions"])
    assert all(len(row) == 4 for row in rows)
    assert "Leader: Eve # <script>x</script> | pipe" in facts(tokens)
    assert headings(tokens)[0][1] == "Career conversation with " + data["person"]["name"]
