"""Framework files: every validation error with its message and exact file:line:column.

The broken files live in tests/data/core/invalid/; each test names the line it points at.
Also the ``frameworks`` commands (list, show, validate) and the shipped frameworks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import run_cli
from topcli.builtins.frameworks import frameworks_dir
from topcli.errors import FrameworkError
from topcli.loader import load_framework

DATA = Path(__file__).resolve().parent / "data" / "core"
INVALID = DATA / "invalid"


def problem(name: str) -> FrameworkError:
    with pytest.raises(FrameworkError) as caught:
        load_framework(INVALID / name)
    return caught.value


def write(tmp_path: Path, text: str, name: str = "framework.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- each error


def test_yaml_syntax_error_points_at_the_line_and_column() -> None:
    error = problem("syntax-error.yaml")
    # line 7 is "     questions:", indented one space too far; column 15 is its colon
    assert error.location == f"{INVALID / 'syntax-error.yaml'}:7:15"
    assert error.reason == "YAML syntax error: mapping values are not allowed here"
    assert error.hint == "check the indentation and quoting around that line"


def test_unknown_key_is_named_with_the_closest_valid_key() -> None:
    error = problem("unknown-key.yaml")
    assert error.location == f"{INVALID / 'unknown-key.yaml'}:10:9"  # "hlep: Think big."
    assert error.reason == "unknown key 'hlep' in question 'goal'; did you mean 'help'?"
    assert error.hint == (
        "valid keys: id, prompt, help, type, choices, default, required, when, min, max, "
        "private, summary"
    )


def test_unknown_key_at_the_framework_and_stage_levels(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id: x\nname: X\nversion: '1'\ndescripton: typo\nstages:\n"
        "  - id: one\n    titel: One\n    questions:\n      - {id: a, prompt: Ask a}\n",
    )
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    message = caught.value.message
    assert f"{path}:4:1: unknown key 'descripton' in framework; did you mean 'description'?" in (
        message
    )
    assert f"{path}:7:5: unknown key 'titel' in stage 'one'; did you mean 'title'?" in message
    assert f"{path}:6:5: stage 'one' is missing 'title'" in message


def test_duplicate_question_id_points_at_the_second_one() -> None:
    error = problem("duplicate-id.yaml")
    assert error.location == f"{INVALID / 'duplicate-id.yaml'}:15:9"  # not the first, on line 8
    assert error.reason == "duplicate question id 'goal'"
    assert error.hint == "question ids must be unique within the framework"


def test_duplicate_stage_id(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id: x\nname: X\nversion: '1'\nstages:\n"
        "  - id: one\n    title: One\n    questions: [{id: a, prompt: Ask a}]\n"
        "  - id: one\n    title: Again\n    questions: [{id: b, prompt: Ask b}]\n",
    )
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    assert caught.value.message == f"{path}:8:5: duplicate stage id 'one'"


def test_select_without_choices() -> None:
    error = problem("select-without-choices.yaml")
    assert error.location == f"{INVALID / 'select-without-choices.yaml'}:12:9"  # "type: select"
    assert error.reason == "question 'direction' is a select without choices"
    assert error.hint == "add a 'choices:' list"


def test_multiselect_with_an_empty_choice_list_or_a_repeated_choice(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id: x\nname: X\nversion: '1'\nstages:\n  - id: one\n    title: One\n    questions:\n"
        "      - {id: a, prompt: Ask a, type: multiselect, choices: []}\n"
        "      - {id: b, prompt: Ask b, type: select, choices: [Up, Up]}\n",
    )
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    assert f"{path}:8:32: question 'a' is a multiselect without choices" in caught.value.message
    assert f"{path}:9:46: question 'b' lists a choice twice" in caught.value.message


def test_when_that_refers_to_an_unknown_question_suggests_the_closest() -> None:
    error = problem("when-unknown.yaml")
    assert error.location == f"{INVALID / 'when-unknown.yaml'}:14:9"  # "when:"
    assert error.reason == (
        "'when' of question 'sideways_area' refers to unknown question 'directon'; "
        "did you mean 'direction'?"
    )
    assert error.hint == "a condition can only use a question asked before it"


def test_when_that_refers_to_a_later_question() -> None:
    error = problem("when-later.yaml")
    assert error.location == f"{INVALID / 'when-later.yaml'}:10:9"
    assert error.reason == (
        "'when' of question 'sideways_area' refers to a later question 'direction'"
    )


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("{question: b, equals: x}", "11:9: 'when' of question 'b' refers to itself"),
        (
            "{question: a, equals: Sidways}",
            "11:9: 'when' of question 'b' expects 'Sidways', which is not a choice of 'a'; "
            "did you mean 'Sideways'?",
        ),
        ("{question: a}", "11:15: 'when' in question 'b' needs exactly one of 'equals' or 'in'"),
        ("{question: a, in: []}", "11:29: 'in' of 'when' in question 'b' must be a non-empty list"),
        (
            "[a, Sideways]",
            "11:9: 'when' in question 'b' must be a mapping with 'question' and 'equals' or 'in'",
        ),
        (
            "{question: a, equal: Up}",
            "11:29: unknown key 'equal' in 'when' of question 'b'; did you mean 'equals'?",
        ),
    ],
)
def test_other_bad_conditions(tmp_path: Path, when: str, message: str) -> None:
    path = write(
        tmp_path,
        "id: x\nname: X\nversion: '1'\nstages:\n  - id: one\n    title: One\n    questions:\n"
        "      - {id: a, prompt: Ask a, type: select, choices: [Up, Sideways]}\n"
        f"      - id: b\n        prompt: Ask b\n        when: {when}\n",
    )
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    assert f"{path}:{message}" in caught.value.message


def test_unknown_type_suggests_the_closest() -> None:
    error = problem("unknown-type.yaml")
    assert error.location == f"{INVALID / 'unknown-type.yaml'}:10:9"  # "type: longtext"
    assert error.reason == "unknown type 'longtext' in question 'goal'; did you mean 'long_text'?"
    assert error.hint.startswith("valid types: text, long_text, select, multiselect")


def test_empty_stage_list() -> None:
    error = problem("no-stages.yaml")
    assert error.location == f"{INVALID / 'no-stages.yaml'}:5:1"  # "stages: []"
    assert error.reason == "framework has no stages"
    assert error.hint == "add a non-empty 'stages:' list"


def test_missing_stages_and_a_stage_without_questions(tmp_path: Path) -> None:
    no_stages = write(tmp_path, "id: x\nname: X\nversion: '1'\n", "a.yaml")
    with pytest.raises(FrameworkError, match=r"a\.yaml:1:1: framework has no stages"):
        load_framework(no_stages)
    empty_stage = write(
        tmp_path, "id: x\nname: X\nversion: '1'\nstages:\n  - id: one\n    title: One\n", "b.yaml"
    )
    with pytest.raises(FrameworkError) as caught:
        load_framework(empty_stage)
    assert caught.value.message == f"{empty_stage}:5:5: stage 'one' has no questions"


def test_missing_required_key() -> None:
    error = problem("missing-prompt.yaml")
    assert error.location == f"{INVALID / 'missing-prompt.yaml'}:8:9"  # the question's mapping
    assert error.reason == "question 'goal' is missing 'prompt'"
    assert error.hint == "add 'prompt:'"


def test_choices_on_a_type_without_choices() -> None:
    error = problem("choices-on-text.yaml")
    assert error.location == f"{INVALID / 'choices-on-text.yaml'}:10:9"  # "choices:"
    assert error.reason == "question 'goal' has choices but its type is 'text'"
    assert error.hint == "choices are for select and multiselect questions"


def test_bad_default() -> None:
    error = problem("bad-default.yaml")
    assert error.location == f"{INVALID / 'bad-default.yaml'}:12:9"  # "default: Fortnightly"
    assert error.reason == (
        "default of question 'rhythm' is not valid: 'Fortnightly' is not a choice"
    )
    assert error.hint == "choose one of: Weekly, Monthly"


def test_a_default_on_an_actions_question_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id: x\nname: X\nversion: '1'\nstages:\n  - id: one\n    title: One\n    questions:\n"
        "      - id: acts\n        prompt: Ask a\n        type: actions\n        default: []\n",
    )
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    assert caught.value.message == (
        f"{path}:11:9: question 'acts': actions questions cannot have a default"
    )


def test_every_problem_in_a_file_is_reported_at_once() -> None:
    error = problem("several-problems.yaml")
    path = INVALID / "several-problems.yaml"
    assert error.location is None
    assert error.message.splitlines() == [
        "4 problems in framework:",
        f"  {path}:1:1: id 'Several' in framework is not valid (use lowercase letters, digits, "
        "'-' and '_', starting with a letter)",
        f"  {path}:5:5: stage 'one' is missing 'title' (add 'title:')",
        f"  {path}:10:9: default of question 'start' is not valid: 'next week' is not a date "
        "(use the form YYYY-MM-DD, 'today', 'tomorrow', a weekday ('friday', 'next friday') "
        "or a distance ('+2w', '+2 weeks', '3 months'))",
        f"  {path}:14:9: 'required' in question 'level' must be true or false",
    ]
    assert error.hint == "fix them and check again with 'topcli frameworks validate FILE'"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "a framework file must be a mapping with id, name, version, stages"),
        ("- id: x\n", "a framework file must be a mapping with id, name, version, stages"),
        ("id: x\nid: y\n", "YAML syntax error: found duplicate key 'id'"),
    ],
)
def test_not_a_framework_at_all(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    assert message in caught.value.message
    assert caught.value.message.startswith(str(path))


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError) as caught:
        load_framework(tmp_path / "nope.yaml")
    assert caught.value.message == f"{tmp_path / 'nope.yaml'}: no such file"


def test_a_json_framework_is_read_like_yaml(tmp_path: Path) -> None:
    document = {
        "id": "json-fw",
        "name": "JSON",
        "version": "1",
        "stages": [{"id": "one", "title": "One", "questions": [{"id": "a", "prompt": "A?"}]}],
    }
    path = write(tmp_path, json.dumps(document, indent=2), "fw.json")
    assert load_framework(path).question_ids() == ["a"]


def test_unquoted_dates_and_versions_are_accepted(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id: x\nname: X\nversion: 1.0\nstages:\n  - id: one\n    title: One\n    questions:\n"
        "      - {id: start, prompt: Ask when, type: date, default: 2026-09-01}\n",
    )
    fw = load_framework(path)
    assert fw.version == "1.0"
    assert fw.question("start").to_dict()["default"] == "2026-09-01"
    # as written, not as a float: 1.10 is not 1.1
    path.write_text(path.read_text().replace("version: 1.0", "version: 1.10"))
    assert load_framework(path).version == "1.10"


def test_yes_and_no_are_text_not_booleans(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id: x\nname: X\nversion: '1'\nstages:\n  - id: one\n    title: One\n    questions:\n"
        "      - {id: a, prompt: Sure, type: select, choices: [Yes, No, Off]}\n"
        "      - {id: b, prompt: Tell me more, required: false, when: {question: a, equals: Yes}}\n"
        "      - {id: c, prompt: Ready, type: confirm, default: true}\n",
    )
    fw = load_framework(path)
    assert fw.question("a").choices == ("Yes", "No", "Off")
    assert fw.question("b").when.values == ("Yes",)
    assert fw.question("c").default is True


# --------------------------------------------------------------------------- shipped ones


@pytest.mark.parametrize("name", ["top.yaml", "grow.yaml"])
def test_shipped_frameworks_are_valid_and_end_with_a_plan(name: str) -> None:
    fw = load_framework(frameworks_dir() / name)
    questions = [q for _, q in fw.questions()]
    assert [q.type for q in questions[-2:]] == ["actions", "followup"]
    for stage in fw.stages:
        assert stage.purpose and stage.tips, stage.id


def test_top_has_think_opportunities_plan() -> None:
    fw = load_framework(frameworks_dir() / "top.yaml")
    assert [s.title for s in fw.stages] == ["Think", "Opportunities", "Plan"]


def test_every_example_file_here_is_valid_apart_from_the_invalid_ones() -> None:
    assert load_framework(DATA / "every-type.yaml").id == "every-type"
    for path in INVALID.glob("*.yaml"):
        with pytest.raises(FrameworkError):
            load_framework(path)


# --------------------------------------------------------------------------- commands


def test_validate_reports_ok_for_a_good_file() -> None:
    result = run_cli(["frameworks", "validate", str(DATA / "every-type.yaml")])
    assert result.exit_code == 0
    assert "ok" in result.stdout
    assert "every-type 2.1, 3 stages, 12 questions" in result.stdout


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("syntax-error.yaml", ":7:15: YAML syntax error: mapping values are not allowed here"),
        ("unknown-key.yaml", ":10:9: unknown key 'hlep' in question 'goal'; did you mean 'help'?"),
        ("duplicate-id.yaml", ":15:9: duplicate question id 'goal'"),
        ("select-without-choices.yaml", ":12:9: question 'direction' is a select without choices"),
        ("when-unknown.yaml", ":14:9: 'when' of question 'sideways_area' refers to unknown"),
        ("when-later.yaml", ":10:9: 'when' of question 'sideways_area' refers to a later"),
        ("unknown-type.yaml", ":10:9: unknown type 'longtext' in question 'goal'"),
        ("no-stages.yaml", ":5:1: framework has no stages"),
        ("missing-prompt.yaml", ":8:9: question 'goal' is missing 'prompt'"),
        ("choices-on-text.yaml", ":10:9: question 'goal' has choices but its type is 'text'"),
        ("bad-default.yaml", ":12:9: default of question 'rhythm' is not valid"),
    ],
)
def test_validate_exits_non_zero_with_file_line_column_and_no_traceback(
    name: str, expected: str
) -> None:
    path = INVALID / name
    result = run_cli(["frameworks", "validate", str(path)])
    assert result.exit_code == 3
    assert f"error: {path}{expected}" in result.stderr
    assert "hint: " in result.stderr
    assert "Traceback" not in result.output


def test_validate_checks_every_file_given() -> None:
    good = DATA / "every-type.yaml"
    result = run_cli(
        [
            "frameworks",
            "validate",
            str(INVALID / "no-stages.yaml"),
            str(good),
            str(INVALID / "duplicate-id.yaml"),
        ]
    )
    assert result.exit_code == 3
    assert f"ok {good}" in result.stdout
    assert "no-stages.yaml:5:1: framework has no stages" in result.stderr
    assert "duplicate-id.yaml:15:9: duplicate question id 'goal'" in result.stderr


def test_validate_a_missing_file() -> None:
    result = run_cli(["frameworks", "validate", "nope.yaml"])
    assert result.exit_code == 3
    assert "error: nope.yaml: no such file" in result.stderr


def test_frameworks_list_shows_the_shipped_ones() -> None:
    result = run_cli(["frameworks", "list"])
    assert result.exit_code == 0
    assert "TOP career conversation" in result.stdout
    assert "Think → Opportunities → Plan" in result.stdout
    assert "GROW coaching conversation" in result.stdout
    listed = json.loads(run_cli(["frameworks", "list", "--json"]).stdout)
    assert [(f["id"], f["version"], f["plugin"]) for f in listed] == [
        ("grow", "1.0", "topcli.builtins.frameworks"),
        ("top", "1.1", "topcli.builtins.frameworks"),
    ]


def test_frameworks_show_lists_stages_tips_and_question_ids() -> None:
    result = run_cli(["frameworks", "show", "top"])
    assert result.exit_code == 0
    out = result.stdout
    assert "TOP career conversation (top, version 1.1)" in out
    assert "Stage 1: Think" in out
    assert "tip: Let them talk for most of this stage." in out
    assert "career_direction (select)" in out
    assert "uncertainty (long_text; when career_direction is Explore something new" in out
    assert "opportunity_concerns (long_text; optional)" in out
    assert "choices: Weekly | Every two weeks | Monthly" in out


def test_frameworks_show_a_file_as_json() -> None:
    result = run_cli(["frameworks", "show", str(DATA / "every-type.yaml"), "--json"])
    assert result.exit_code == 0
    shown = json.loads(result.stdout)
    assert shown["id"] == "every-type"
    assert shown["stages"][1]["questions"][1] == {
        "id": "start_on",
        "prompt": "When can you start?",
        "type": "date",
        "default": "+2 weeks",
        "required": True,
    }


def test_frameworks_show_an_unknown_id_suggests_one() -> None:
    result = run_cli(["frameworks", "show", "gorw"])
    assert result.exit_code == 3
    assert "error: unknown framework 'gorw'; did you mean 'grow'?" in result.stderr
    assert "available: grow, top" in result.stderr


def test_min_and_max_are_numbers_for_number_questions_only(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
id: scale
name: Scale
version: "1"
stages:
  - id: one
    title: One
    questions:
      - id: score
        prompt: Score?
        type: number
        min: 10
        max: 1
      - id: note
        prompt: Note?
        max: 3
""",
    )
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    assert f"{path}:11:9: question 'score' has min 10 above max 1" in caught.value.message
    assert f"{path}:15:9: question 'note' has 'max' but its type is 'text'" in caught.value.message


def test_an_impossible_unquoted_date_is_a_message_with_its_place(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
id: dates
name: Dates
version: "1"
stages:
  - id: one
    title: One
    questions:
      - id: start
        prompt: Start?
        type: date
        default: 2026-02-31
""",
    )
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    assert caught.value.message == (
        f"{path}:11:9: default of question 'start' is not valid: '2026-02-31' is not a date"
    )
