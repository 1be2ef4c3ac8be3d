"""The model alone: parsing answers per type, conditions, defaults and dates. No files, no CLI."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from topcli.clock import add_months
from topcli.durations import parse_date
from topcli.errors import AnswerError, FrameworkError
from topcli.framework import (
    ACTION_KEYS,
    QUESTION_TYPES,
    Condition,
    Framework,
    Question,
    Stage,
    parse_action,
)
from topcli.validation import check_framework, framework_from_data

TODAY = date(2026, 3, 2)


def q(type_: str = "text", **kwargs: Any) -> Question:
    kwargs.setdefault("id", "answer")
    kwargs.setdefault("prompt", "Your answer?")
    return Question(type=type_, **kwargs)


def parse(question: Question, raw: Any) -> Any:
    return question.parse(raw, today=TODAY)


def refused(question: Question, raw: Any) -> AnswerError:
    with pytest.raises(AnswerError) as caught:
        question.parse(raw, today=TODAY)
    return caught.value


# --------------------------------------------------------------------------- parse, per type


def test_every_type_has_a_parser() -> None:
    for type_ in QUESTION_TYPES:
        assert callable(getattr(Question, f"_parse_{type_}"))


def test_text_is_stripped_and_must_be_one_line() -> None:
    assert parse(q(), "  Product designer \n") == "Product designer"
    assert parse(q(), 42) == "42"
    assert "one line" in refused(q(), "first\nsecond").message
    assert "expected text, got a list" in refused(q(), ["a"]).message


def test_long_text_keeps_its_lines() -> None:
    long = q("long_text")
    assert parse(long, "First line.\nSecond line.\n") == "First line.\nSecond line."
    assert parse(long, "\n  indented\n") == "  indented"
    assert "expected text" in refused(long, {"a": 1}).message


def test_required_question_refuses_an_empty_answer_and_optional_one_stores_none() -> None:
    for type_ in ("text", "long_text", "select", "date", "number", "followup"):
        choices = ("A", "B") if type_ == "select" else ()
        assert "an answer is needed" in refused(q(type_, choices=choices), "  ").message
        optional = q(type_, choices=choices, required=False)
        assert parse(optional, "") is None
        assert parse(optional, None) is None


def test_select_accepts_a_choice_and_suggests_the_closest_one() -> None:
    select = q("select", choices=("Weekly", "Monthly"))
    assert parse(select, "Monthly") == "Monthly"
    error = refused(select, "Montly")
    assert error.message == "'Montly' is not a choice; did you mean 'Monthly'?"
    assert error.hint == "choose one of: Weekly, Monthly"
    assert "did you mean" not in refused(select, "Yearly").message


def test_multiselect_keeps_the_framework_order_and_drops_repeats() -> None:
    multi = q("multiselect", choices=("Mentoring", "Course", "Shadowing"))
    assert parse(multi, ["Shadowing", "Mentoring", "Shadowing"]) == ["Mentoring", "Shadowing"]
    assert parse(multi, "Course") == ["Course"]
    assert "not a choice" in refused(multi, ["Mentoring", "Coaching"]).message
    assert "a list of choices" in refused(multi, {"Course": True}).message


def test_multiselect_needs_a_choice_only_when_required() -> None:
    choices = ("Mentoring", "Course")
    assert "at least one choice" in refused(q("multiselect", choices=choices), []).message
    assert parse(q("multiselect", choices=choices, required=False), []) == []
    assert parse(q("multiselect", choices=choices, required=False), None) == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(True, True), (False, False), ("yes", True), ("Y", True), ("no", False), ("false", False)],
)
def test_confirm_accepts_yes_and_no_spelled_several_ways(raw: Any, expected: bool) -> None:
    assert parse(q("confirm"), raw) is expected


def test_confirm_refuses_anything_else() -> None:
    assert refused(q("confirm"), "maybe").message == "'maybe' is not yes or no"
    assert "not yes or no" in refused(q("confirm"), "").message
    assert parse(q("confirm", required=False), "") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-04-15", "2026-04-15"),
        (date(2026, 4, 15), "2026-04-15"),
        (" today ", "2026-03-02"),
        ("+10 days", "2026-03-12"),
        ("+1 day", "2026-03-03"),
        ("+2 weeks", "2026-03-16"),
        ("+3 months", "2026-06-02"),
        ("+1 month", "2026-04-02"),
        # one grammar with periods and calendar lengths (issue 10.4): TODAY is a Monday
        ("tomorrow", "2026-03-03"),
        ("+2w", "2026-03-16"),
        ("2 weeks", "2026-03-16"),
        ("in 2 weeks", "2026-03-16"),
        ("+1mo", "2026-04-02"),
        ("+3 years", "2029-03-02"),  # refused before: years were not a unit
        ("+1w 2d", "2026-03-11"),
        ("friday", "2026-03-06"),
        ("next friday", "2026-03-06"),  # refused before: weekdays were not dates
        ("Fri", "2026-03-06"),
        ("monday", "2026-03-09"),  # the first Monday after today; today is 'today'
    ],
)
def test_dates_are_iso_or_relative_to_today(raw: Any, expected: str) -> None:
    assert parse(q("date"), raw) == expected
    assert parse(q("followup"), raw) == expected


@pytest.mark.parametrize(
    "raw", ["2026-02-30", "15/04/2026", "next week", "+3 fortnights", "-1 day", "+2"]
)
def test_a_bad_date_says_which_forms_work(raw: str) -> None:
    error = refused(q("date"), raw)
    assert error.message == f"{raw!r} is not a date"
    assert error.hint == (
        "use the form YYYY-MM-DD, 'today', 'tomorrow', a weekday ('friday', 'next friday') "
        "or a distance ('+2w', '+2 weeks', '3 months')"
    )


def test_parse_date_without_today_takes_only_iso_dates() -> None:
    assert parse_date("2026-01-31") == date(2026, 1, 31)
    with pytest.raises(AnswerError) as caught:
        parse_date("today")
    assert caught.value.hint == "use the form YYYY-MM-DD"


@pytest.mark.parametrize(("raw", "expected"), [(7, 7), ("7", 7), (" 2.5 ", 2.5), (3.0, 3.0)])
def test_number_accepts_integers_and_decimals(raw: Any, expected: float) -> None:
    value = parse(q("number"), raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("raw", [True, "seven", "nan", float("nan"), float("inf"), "-inf"])
def test_number_refuses_booleans_words_and_non_finite_values(raw: Any) -> None:
    refused(q("number"), raw)


def test_actions_are_checked_one_by_one_and_completed() -> None:
    actions = q("actions")
    value = parse(
        actions,
        [
            {"what": " Give a talk ", "due": "+6 weeks", "success": "Delivered"},
            {"what": "Read a book", "due": date(2026, 5, 1), "support": "Budget"},
        ],
    )
    assert value == [
        {"what": "Give a talk", "due": "2026-04-13", "success": "Delivered", "support": ""},
        {"what": "Read a book", "due": "2026-05-01", "success": "", "support": "Budget"},
    ]


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"due": "2026-04-01"}, "action 1: 'what' is required"),
        ({"what": "Talk"}, "action 1: 'due' is required"),
        ({"what": "Talk", "due": "soon"}, "action 1: 'due': 'soon' is not a date"),
        (
            {"what": "Talk", "due": "2026-04-01", "sucess": "x"},
            "action 1: unknown key 'sucess'; did you mean 'success'?",
        ),
        ("Give a talk", "action 1: an action is a mapping with what, due, success, support"),
    ],
)
def test_a_bad_action_names_its_position_and_problem(item: Any, message: str) -> None:
    assert refused(q("actions"), [item]).message == message


def test_actions_need_a_list_and_at_least_one_when_required() -> None:
    assert "expected a list of actions" in refused(q("actions"), {"what": "x"}).message
    assert "add at least one action" in refused(q("actions"), []).message
    assert parse(q("actions", required=False), None) == []


def test_parse_action_lists_the_keys_of_an_action() -> None:
    action = parse_action({"what": "Talk", "due": "today"}, today=TODAY)
    assert tuple(action) == ACTION_KEYS
    assert action["due"] == "2026-03-02"


# --------------------------------------------------------------------------- conditions


def test_condition_equals_and_in() -> None:
    equals = Condition("direction", ("Move",))
    assert equals.holds({"direction": "Move"})
    assert not equals.holds({"direction": "Stay"})
    one_of = Condition("direction", ("Move", "Grow"))
    assert one_of.holds({"direction": "Grow"})
    assert not one_of.holds({"direction": "Stay"})


def test_condition_on_a_multiselect_holds_when_any_choice_matches() -> None:
    condition = Condition("interests", ("Mentoring", "Coaching"))
    assert condition.holds({"interests": ["Course", "Coaching"]})
    assert not condition.holds({"interests": ["Course"]})
    assert not condition.holds({"interests": []})


def test_condition_on_a_confirm_compares_booleans_exactly() -> None:
    yes = Condition("wants_mentor", (True,))
    assert yes.holds({"wants_mentor": True})
    assert not yes.holds({"wants_mentor": False})
    assert not Condition("wants_mentor", (False,)).holds({"wants_mentor": 0})
    assert not Condition("wants_mentor", ("True",)).holds({"wants_mentor": True})


def test_condition_on_an_unanswered_or_skipped_question_is_false() -> None:
    condition = Condition("direction", ("Move",))
    assert not condition.holds({})
    assert not condition.holds({"direction": None})


def test_condition_compares_numbers_by_their_text() -> None:
    assert Condition("level", (7,)).holds({"level": "7"})
    assert Condition("level", ("7",)).holds({"level": 7})


def test_question_applies_without_a_condition_or_when_it_holds() -> None:
    assert q().applies({})
    conditional = q(when=Condition("direction", ("Move",)))
    assert conditional.applies({"direction": "Move"})
    assert not conditional.applies({"direction": "Stay"})


def test_condition_to_dict_uses_equals_for_one_value_and_in_for_several() -> None:
    assert Condition("a", ("x",)).to_dict() == {"question": "a", "equals": "x"}
    assert Condition("a", ("x", "y")).to_dict() == {"question": "a", "in": ["x", "y"]}


# --------------------------------------------------------------------------- defaults


def test_a_followup_without_a_default_is_three_months_ahead() -> None:
    assert q("followup").default_value(TODAY) == "2026-06-02"


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 11, 30), "2026-03-02"),  # Feb is shorter: Sat 28 Feb, then Monday
        (date(2023, 11, 30), "2024-02-29"),  # a leap year (a Thursday)
        (date(2026, 8, 31), "2026-11-30"),  # November has 30 days
        (date(2026, 10, 31), "2027-02-01"),  # into the next year: Sun 31 Jan, then Monday
        (date(2026, 12, 31), "2027-03-31"),
        (date(2026, 3, 31), "2026-06-30"),
    ],
)
def test_the_followup_default_on_a_month_end_is_the_last_day_of_the_shorter_month_or_after(
    today: date, expected: str
) -> None:
    assert q("followup").default_value(today) == expected


def test_relative_defaults_are_resolved_against_today() -> None:
    assert q("followup", default="+6 weeks").default_value(TODAY) == "2026-04-13"
    assert q("date", default="today").default_value(TODAY) == "2026-03-02"
    assert q("date", default=date(2026, 9, 1)).default_value(TODAY) == "2026-09-01"


def test_defaults_come_back_in_canonical_form() -> None:
    select = q("select", choices=("Weekly", "Monthly"), default="Monthly")
    assert select.default_value(TODAY) == "Monthly"
    assert q("confirm", default=False).default_value(TODAY) is False
    assert q("number", default="5").default_value(TODAY) == 5
    multi = q("multiselect", choices=("A", "B", "C"), default=["C", "A"])
    assert multi.default_value(TODAY) == ["A", "C"]


def test_a_question_without_a_default_has_none() -> None:
    for type_ in ("text", "long_text", "date", "number", "confirm", "actions"):
        assert q(type_).default_value(TODAY) is None


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 1, 15), 12, date(2027, 1, 15)),
        (date(2026, 12, 1), 1, date(2027, 1, 1)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 5, 31), 1, date(2026, 6, 30)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 10), -2, date(2025, 11, 10)),
        (date(2026, 7, 4), 0, date(2026, 7, 4)),
        (date(2026, 2, 28), 24, date(2028, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


# --------------------------------------------------------------------------- framework


def small_framework_data() -> dict[str, Any]:
    return {
        "id": "small",
        "name": "Small",
        "version": "1.0",
        "description": "Two stages.",
        "stages": [
            {
                "id": "think",
                "title": "Think",
                "purpose": "Reflect.",
                "tips": ["Listen."],
                "questions": [
                    {"id": "direction", "prompt": "Which way?", "type": "select",
                     "choices": ["Stay", "Move"], "default": "Stay"},
                    {"id": "where", "prompt": "Where to?", "when":
                     {"question": "direction", "equals": "Move"}},
                ],
            },
            {
                "id": "plan",
                "title": "Plan",
                "questions": [
                    {"id": "actions", "prompt": "Actions?", "type": "actions"},
                    {"id": "followup", "prompt": "When next?", "type": "followup",
                     "required": False, "help": "Three months by default."},
                ],
            },
        ],
    }  # fmt: skip


def test_framework_from_data_builds_the_model() -> None:
    fw = framework_from_data(small_framework_data())
    assert fw.id == "small"
    assert [s.id for s in fw.stages] == ["think", "plan"]
    assert fw.question_ids() == ["direction", "where", "actions", "followup"]
    assert fw.question("where").when == Condition("direction", ("Move",))
    assert fw.question("where").type == "text"
    assert fw.question("followup").required is False
    assert fw.stages[0].tips == ("Listen.",)
    assert fw.first_of_type("actions") is fw.question("actions")
    assert fw.first_of_type("number") is None
    with pytest.raises(KeyError):
        fw.question("nope")


def test_to_dict_round_trips_through_framework_from_data() -> None:
    fw = framework_from_data(small_framework_data())
    again = framework_from_data(fw.to_dict())
    assert again == fw
    assert again.to_dict() == fw.to_dict()


def test_framework_with_question_adds_it_after_another_or_at_the_end() -> None:
    fw = framework_from_data(small_framework_data())
    extra = Question(id="extra", prompt="Extra?")
    assert fw.with_question("think", extra, after="direction").question_ids()[:3] == [
        "direction",
        "extra",
        "where",
    ]
    assert fw.with_question("plan", extra).question_ids()[-1] == "extra"
    assert fw.question_ids() == ["direction", "where", "actions", "followup"]  # unchanged


def test_problems_without_a_file_have_no_location() -> None:
    data = small_framework_data()
    data["stages"][0]["questions"][1]["type"] = "txt"
    with pytest.raises(FrameworkError) as caught:
        framework_from_data(data)
    assert caught.value.location is None
    assert caught.value.message == "unknown type 'txt' in question 'where'; did you mean 'text'?"


def test_check_framework_refuses_a_duplicate_added_later() -> None:
    fw = framework_from_data(small_framework_data())
    doubled = fw.with_question("plan", Question(id="where", prompt="Again?"))
    with pytest.raises(FrameworkError, match="duplicate question id 'where'"):
        check_framework(doubled)


def test_a_framework_is_compared_by_content_not_origin() -> None:
    stage = Stage(id="s", title="S", questions=(Question(id="a", prompt="A?"),))
    assert Framework("f", "F", "1", (stage,), origin="a.yaml") == Framework(
        "f", "F", "1", (stage,), origin="b.yaml"
    )


# --------------------------------------------------------------------------- number bounds


def test_number_bounds_accept_the_ends_and_refuse_outside() -> None:
    scale = q("number", min=0, max=10)
    assert parse(scale, "0") == 0 and parse(scale, 10) == 10 and parse(scale, "7.5") == 7.5
    too_high = refused(scale, "12")
    assert too_high.message == "12 is more than 10"
    assert too_high.hint == "give a number from 0 up to 10"
    assert refused(scale, -4).message == "-4 is less than 0"
    assert refused(q("number", min=1), 0).hint == "give a number from 1"


def test_messages_speak_to_the_person_not_of_question_ids() -> None:
    # the terminal shows these under the prompt; answers files add "answer to 'id'" themselves
    for question, raw in [
        (q("number"), "seven"),
        (q("select", choices=("A", "B")), "C"),
        (q("multiselect", choices=("A",)), []),
        (q("date"), "soon"),
        (q("text"), ""),
    ]:
        assert "answer'" not in refused(question, raw).message


# --------------------------------------------------------------------------- follow-up default


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 27), date(2027, 3, 1)),  # Sat 27 Feb -> Monday
        (date(2026, 11, 28), date(2027, 3, 1)),  # Sun 28 Feb -> Monday
        (date(2026, 3, 2), date(2026, 6, 2)),  # a Tuesday stays
    ],
)
def test_followup_default_is_three_months_on_and_never_a_weekend(
    today: date, expected: date
) -> None:
    assert q("followup").default_value(today) == expected.isoformat()
