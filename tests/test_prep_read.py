"""Reading a filled-in preparation sheet back: both forms, formatters, edits, mistakes."""

from __future__ import annotations

from pathlib import Path

import mdformat
import pytest

from prep_support import SAM_ANSWERS, fill, fill_markdown, fill_yaml, small_framework, tick
from topcli.catalog import resolve_framework
from topcli.errors import AnswerError
from topcli.prep import write_prep
from topcli.prep_read import MAX_BYTES, read_prep


def sheet(fmt: str = "md") -> str:
    return write_prep(resolve_framework("top"), "Sam Lee", fmt=fmt)


def test_markdown_round_trip() -> None:
    prep = read_prep(fill_markdown(sheet(), SAM_ANSWERS))
    assert prep.answers == SAM_ANSWERS
    assert (prep.person, prep.framework_id, prep.framework_version) == ("Sam Lee", "top", "1.1")
    assert (prep.format, prep.unparsed, prep.unmatched, prep.problems) == ("md", {}, [], [])


def test_yaml_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "sam.yaml"
    path.write_text(fill_yaml(sheet("yaml"), SAM_ANSWERS), encoding="utf-8")
    prep = read_prep(path)
    assert prep.answers == SAM_ANSWERS
    assert (prep.person, prep.framework_id, prep.framework_version) == ("Sam Lee", "top", "1.1")
    assert (prep.format, prep.unparsed, prep.unmatched, prep.problems) == ("yaml", {}, [], [])


def test_blank_sheets_have_no_answers() -> None:
    for fmt in ("md", "yaml"):
        prep = read_prep(sheet(fmt))
        assert (prep.answers, prep.unparsed, prep.unmatched, prep.problems) == ({}, {}, [], [])


def test_markdown_resaved_by_a_formatter_reads_the_same() -> None:
    filled = fill_markdown(sheet(), SAM_ANSWERS)
    assert read_prep(mdformat.text(filled)).answers == SAM_ANSWERS


def test_markdown_rewrapped_by_a_formatter_keeps_every_answer() -> None:
    filled = fill_markdown(sheet(), SAM_ANSWERS)
    rewrapped = mdformat.text(filled, options={"wrap": 40})
    assert rewrapped != mdformat.text(filled)
    prep = read_prep(rewrapped)
    assert (prep.unmatched, prep.problems, prep.notes) == ([], [], {})
    flat = {k: " ".join(str(v).split()) for k, v in prep.answers.items()}
    assert flat == {k: " ".join(str(v).split()) for k, v in SAM_ANSWERS.items()}


def test_escaped_and_other_box_styles_are_read() -> None:
    text = fill_markdown(sheet(), {"core_values": "Craft"})
    text = text.replace("- [ ] Take on a bigger", "* \\[x\\] Take on a bigger")
    text = text.replace("- [ ] Mentoring", "1. [X] Mentoring")
    text = text.replace("- [ ] Coaching", "☒ Coaching")
    text = text.replace("{#core_values}", "\\{#core_values\\}")
    prep = read_prep(text)
    assert prep.answers == {
        "core_values": "Craft",
        "career_direction": "Take on a bigger or broader role",
        "opportunity_types": ["Mentoring", "Coaching"],
    }


def test_heading_marks_lost_in_a_paste_still_match_by_anchor() -> None:
    text = fill(sheet(), "core_values", "Craft").replace("### 3. What matters", "3. What matters")
    assert read_prep(text).answers == {"core_values": "Craft"}


def test_edited_anchor_with_the_question_intact_matches_by_its_text() -> None:
    text = fill(sheet(), "core_values", "Craft").replace("{#core_values}", "{#core_value}")
    prep = read_prep(text)
    assert prep.answers == {"core_values": "Craft"}
    assert prep.unmatched == []


def test_missing_anchor_with_the_question_intact_matches_by_its_text() -> None:
    text = fill(sheet(), "core_values", "Craft").replace(" {#core_values}", "")
    assert read_prep(text).answers == {"core_values": "Craft"}


def test_edited_anchor_and_question_are_listed_with_their_text() -> None:
    text = fill(sheet(), "core_values", "Craft")
    text = fill(text, "strengths", "Writing")
    text = text.replace("3. What matters most", "3. What I care about").replace(
        "{#core_values}", "{#my_values}"
    )
    prep = read_prep(text)
    assert prep.answers == {"strengths": "Writing"}
    assert len(prep.unmatched) == 1
    assert "'{#my_values}' is not a question of framework 'top'" in prep.unmatched[0]
    assert "Craft" in prep.unmatched[0]


def test_edited_question_without_anchor_lists_its_text() -> None:
    text = fill(sheet(), "core_values", "Craft")
    text = text.replace("3. What matters most", "3. What I care about").replace(
        " {#core_values}", ""
    )
    prep = read_prep(text)
    assert prep.answers == {}
    heading, answer = (u.split(": ", 1)[1] for u in prep.unmatched)
    assert heading.startswith("text under no question: 3. What I care about")
    assert answer == "text under no question: Craft"


def test_text_written_outside_questions_is_listed() -> None:
    text = sheet().replace("## Think\n", "## Think\n\nI wrote this up here.\n")
    prep = read_prep(text)
    assert prep.unmatched == ["preparation sheet:15: text under no question: I wrote this up here."]


def test_invalid_answers_are_kept_as_text_with_the_reason() -> None:
    framework = small_framework()
    text = write_prep(framework, "Sam Lee")
    text = fill(text, "when_free", "sometime next week")
    text = fill(text, "score", "eleven")
    text = fill(text, "mood", "Good")
    prep = read_prep(text, framework=framework)
    assert prep.answers == {"mood": "Good"}
    assert prep.unparsed == {"when_free": "sometime next week", "score": "eleven"}
    assert len(prep.problems) == 2
    assert (
        "answer to 'when_free' kept as text: 'sometime next week' is not a date"
        in (prep.problems[0])
    )


def test_two_ticks_on_a_select_are_kept_as_text() -> None:
    text = tick(sheet(), "career_direction", "Grow deeper in my current role")
    text = tick(text, "career_direction", "Take on a bigger or broader role")
    prep = read_prep(text)
    assert "career_direction" not in prep.answers
    assert prep.unparsed == {
        "career_direction": "Grow deeper in my current role, Take on a bigger or broader role"
    }
    assert "2 boxes ticked" in prep.problems[0]


def test_a_box_the_person_added_is_kept_as_text() -> None:
    text = sheet().replace("- [ ] Coaching", "- [ ] Coaching\n- [x] Writing a book")
    prep = read_prep(text)
    assert prep.unparsed == {"opportunity_types": "Writing a book"}


def test_words_beside_ticked_boxes_are_kept_as_notes() -> None:
    text = tick(sheet(), "career_direction", "Take on a bigger or broader role")
    text = text.replace(
        "- [ ] Explore something new; I am not sure yet\n",
        "- [ ] Explore something new; I am not sure yet\n\nMaybe in a year.\n",
    )
    prep = read_prep(text)
    assert prep.answers == {"career_direction": "Take on a bigger or broader role"}
    assert prep.notes == {"career_direction": "Maybe in a year."}


def test_choice_written_as_words_instead_of_a_tick() -> None:
    text = fill(sheet(), "opportunity_types", "Mentoring, Coaching")
    assert read_prep(text).answers == {"opportunity_types": ["Mentoring", "Coaching"]}


def test_yes_no_boxes() -> None:
    text = tick(write_prep(small_framework(), "Sam Lee"), "ready", "No")
    assert read_prep(text, framework=small_framework()).answers == {"ready": False}


def test_yaml_invalid_and_unknown_answers_are_reported() -> None:
    text = fill_yaml(sheet("yaml"), {"opportunity_types": ["Mentoring", "Juggling"]})
    text = text.replace("  learning_style:\n", "  learning_style: By doing\n  hobbies: chess\n")
    prep = read_prep(text)
    assert prep.answers == {"learning_style": "By doing"}
    assert prep.unparsed == {"opportunity_types": "Mentoring, Juggling"}
    assert "'Juggling' is not a choice" in prep.problems[0]
    assert prep.unmatched == [
        "preparation sheet:117: 'hobbies' is not a question of framework 'top': chess"
    ]


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "sam.yaml"
    path.write_text(sheet("yaml").replace("  core_values: |\n", "  core_values: |\nno indent\n"))
    with pytest.raises(AnswerError, match=r"sam\.yaml:\d+:\d+: YAML syntax error") as caught:
        read_prep(path)
    assert "indent" in (caught.value.hint or "")


@pytest.mark.parametrize("text", ["", "  \n\n\t\n"])
def test_empty_sheet_is_a_clear_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "sam.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AnswerError, match=r"sam\.md: the preparation sheet is empty"):
        read_prep(path)
    with pytest.raises(AnswerError, match="empty"):
        read_prep(text)


def test_markdown_that_is_no_sheet_is_a_clear_error() -> None:
    with pytest.raises(AnswerError, match="does not say which framework"):
        read_prep("# Shopping\n\n- milk\n")


def test_no_such_file_a_folder_and_a_huge_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(AnswerError, match="no such file"):
        read_prep(tmp_path / "missing.md")
    with pytest.raises(AnswerError, match="not a regular file"):
        read_prep(tmp_path)
    huge = tmp_path / "huge.md"
    huge.write_bytes(b"x" * (MAX_BYTES + 1))
    with pytest.raises(AnswerError, match="too big"):
        read_prep(huge)


def test_another_person_is_reported_not_refused() -> None:
    prep = read_prep(fill_markdown(sheet(), SAM_ANSWERS), person="Alex Kim")
    assert prep.answers == SAM_ANSWERS
    assert prep.problems == ["this sheet is for Sam Lee, not Alex Kim"]
    assert read_prep(sheet(), person="sam  lee").problems == []


def test_another_framework_is_reported_and_read_against_the_given_one() -> None:
    grow = resolve_framework("grow")
    for fmt in ("md", "yaml"):
        prep = read_prep(sheet(fmt), framework=grow)
        assert prep.framework_id == "top"
        assert "this sheet is for framework 'top', not 'grow'" in prep.problems
        assert prep.answers == {}


def test_another_version_is_reported() -> None:
    text = write_prep(small_framework(version="1.0"), "Sam Lee")
    prep = read_prep(text, framework=small_framework(version="2.0"))
    assert prep.problems == [
        "this sheet was written from version 1.0 of framework 'small'; the conversation uses "
        "version 2.0"
    ]


def test_a_heading_the_person_added_is_listed_with_its_text() -> None:
    text = sheet().replace(
        "## Opportunities\n", "## My own notes\n\nAsk about budget.\n\n## Opportunities\n"
    )
    prep = read_prep(text)
    assert [u.split(": ", 1)[1] for u in prep.unmatched] == [
        "text under no question: My own notes",
        "text under no question: Ask about budget.",
    ]


def test_a_task_list_in_a_text_answer_stays_text() -> None:
    text = fill(sheet(), "core_values", "- [x] craft\n- [ ] fame")
    assert read_prep(text).answers == {"core_values": "- [x] craft\n- [ ] fame"}
