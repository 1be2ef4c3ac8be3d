"""Hostile text: terminal escapes shown visibly, NUL and lone surrogates refused, far dates
refused with a message."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from topcli.answers_file import prepare_answers
from topcli.clock import add_days, add_months, weekday_on_or_after
from topcli.errors import AnswerError
from topcli.framework import Question, parse_date
from topcli.loader import load_answers_file
from topcli.safetext import printable, printable_markup, text_problem

TODAY = date(2026, 3, 2)

# --------------------------------------------------------------------------- printable

#: Each class of character that must never reach a terminal raw, with how it is shown.
ESCAPED = [
    ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),  # retitle the terminal (OSC 0, BEL)
    ("\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H"),  # clear the screen, cursor home
    ("\x1b]52;c;aGk=\x1b\\", "\\x1b]52;c;aGk=\\x1b\\"),  # write the clipboard (OSC 52)
    ("\x1b[8mhidden", "\\x1b[8mhidden"),  # concealed text
    ("\x00\x01\x08\x0b\x0c\x0e\x1f", "\\x00\\x01\\x08\\x0b\\x0c\\x0e\\x1f"),  # other C0
    ("\x7f", "\\x7f"),  # DEL
    ("\x9b2J", "\\x9b2J"),  # CSI as one C1 byte
    ("\x80\x85\x9d\x9f", "\\x80\\x85\\x9d\\x9f"),  # C1, including NEL and OSC
    ("\u202aa\u202bb\u202cc\u202dd\u202ee", "\\u202aa\\u202bb\\u202cc\\u202dd\\u202ee"),
    ("\u2066a\u2067b\u2068c\u2069", "\\u2066a\\u2067b\\u2068c\\u2069"),  # bidi isolates
    ("done\rNOT DONE", "done\\x0dNOT DONE"),  # a lone CR overwrites the line
    ("a\r", "a\\x0d"),
]


@pytest.mark.parametrize(("raw", "shown"), ESCAPED)
def test_every_control_class_is_shown_visibly(raw: str, shown: str) -> None:
    assert printable(raw) == shown


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain ASCII, with punctuation: [bold] \\x1b {}",
        "line one\nline two\n\tindented",
        "Windows line ends\r\nstay\r\n",
        "Zoë, 東京, עברית, العربية, हिन्दी, 😀, 👩🏽‍💻, e\u0301",  # scripts, emoji, ZWJ, combining
        "\u00a0nbsp \u200b zwsp \u00ad soft hyphen \ufeff bom \u2028 ls",  # invisible, not controls
    ],
)
def test_normal_text_is_untouched(text: str) -> None:
    assert printable(text) is text or printable(text) == text


UNICODE = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=()),
        st.sampled_from(["\x1b", "\x9b", "\r", "\n", "\t", "\x85", "\u202e", "\u2066", "\\"]),
    )
)


@settings(max_examples=200, deadline=None)
@given(UNICODE)
def test_printable_is_idempotent_and_leaves_no_control_character(text: str) -> None:
    shown = printable(text)
    assert printable(shown) == shown
    for char in shown:
        code = ord(char)
        assert char in "\n\t\r" or not (code < 0x20 or 0x7F <= code <= 0x9F)
        assert not (0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069)
    assert "\r" not in shown.replace("\r\n", "")


@settings(max_examples=200, deadline=None)
@given(UNICODE)
def test_printable_markup_renders_as_printable_text_through_rich(text: str) -> None:
    from rich.text import Text

    # inside a template, as it is used (rich doubles a trailing backslash for the closing tag,
    # and turns CRLF line ends into newlines itself)
    rendered = Text.from_markup(f"[b]{printable_markup(text)}[/b]").plain
    assert rendered == printable(text).replace("\r\n", "\n")


@pytest.mark.parametrize(
    "text", ["\\[", "a\\[b", "\\\\[x]", "ends\\", "ends\\\\", "\\[red]x", "[/]\\"]
)
def test_printable_markup_keeps_backslashes_and_brackets_exactly(text: str) -> None:
    """rich.markup.escape misses a backslash before a non-tag "[" (rich drops it) and several
    trailing backslashes before the closing tag: found by the property test above."""
    from rich.text import Text

    assert Text.from_markup(f"[b]{printable_markup(text)}[/b]").plain == text


def test_printable_markup_keeps_markup_in_answers_literal() -> None:
    from rich.text import Text

    answer = "[red]x[/red] \x1b[2J"
    rendered = Text.from_markup(f"[bold]{printable_markup(answer)}[/bold]")
    assert rendered.plain == "[red]x[/red] \\x1b[2J"


def test_printed_through_rich_nothing_raw_reaches_the_terminal() -> None:
    import io

    from rich.console import Console

    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, color_system=None, width=200)
    console.print(printable("\x1b]52;c;aGk=\x07 ok \u202e"))
    assert "\x1b" not in stream.getvalue() and "\u202e" not in stream.getvalue()


def test_text_problem_finds_nul_and_lone_surrogates_anywhere() -> None:
    assert text_problem("fine \U0001f600") is None
    assert text_problem(["a", {"what": "b\x00"}]) is not None
    assert "NUL" in (text_problem({"k": ["x\x00"]}) or "")
    assert "\\udc80" in (text_problem(("\udc80",)) or "")
    assert text_problem({"\x00key": 1}) is not None
    assert text_problem(42) is None


# --------------------------------------------------------------------------- answers


def text_question(qid: str = "goal", qtype: str = "text") -> Question:
    return Question(id=qid, prompt="Goal?", type=qtype, required=False)


@pytest.mark.parametrize(
    ("value", "qtype"),
    [
        ("before\x00after", "text"),
        ("line\x00\nline", "long_text"),
        ("\ud83d alone", "text"),
        ([{"what": "x\x00", "due": "2026-04-01"}], "actions"),
    ],
)
def test_nul_and_lone_surrogates_are_refused_naming_the_question(
    tmp_path: Path, value: Any, qtype: str
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"person": "Sam", "answers": {"goal": value}}))
    raw = load_answers_file(path)["answers"]
    with pytest.raises(AnswerError) as caught:
        prepare_answers([text_question(qtype=qtype)], raw, TODAY, str(path))
    assert caught.value.message.startswith(f"{path}:1:31: answer to 'goal' contains a ")


def test_a_nul_in_the_person_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text('person: "Sam\\0"\n')
    with pytest.raises(AnswerError, match=r"answers.yaml:1:1: 'person' contains a NUL"):
        load_answers_file(path)


# --------------------------------------------------------------------------- far dates


@pytest.mark.parametrize("months", [99_999_999, -99_999_999, 12 * 8000])
def test_far_months_are_an_answer_error_not_an_overflow(months: int) -> None:
    with pytest.raises(AnswerError, match="is outside the calendar"):
        add_months(TODAY, months)


@pytest.mark.parametrize("days", [10**12, -(10**12), 3_000_000])
def test_far_days_are_an_answer_error_not_an_overflow(days: int) -> None:
    with pytest.raises(AnswerError, match="is outside the calendar"):
        add_days(TODAY, days)


def test_relative_month_answers_far_away_are_refused_with_a_message() -> None:
    """The one grammar of dates says "too far ahead" for any date past the last it takes."""
    question = Question(id="followup", prompt="When?", type="date")
    with pytest.raises(AnswerError, match="too far ahead"):
        question.parse("+99999999 months", today=TODAY)
    with pytest.raises(AnswerError, match="too far ahead"):
        parse_date("+99999999 months", today=TODAY)


def test_month_arithmetic_still_clamps_and_reaches_the_last_year() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(9999, 11, 30), 1) == date(9999, 12, 30)
    assert add_months(date(1, 2, 1), -1) == date(1, 1, 1)
    assert add_days(date(9999, 12, 30), 1) == date.max
    assert weekday_on_or_after(date(2026, 3, 7)) == date(2026, 3, 9)
    assert weekday_on_or_after(date(9999, 12, 25)) == date(9999, 12, 27)
