"""Read framework and answers files (YAML or JSON) with line numbers for every message.

PyYAML is imported here, inside the functions, so commands that never read a framework file
(``--help``, ``sessions list``) do not pay for it. Mappings come back as :class:`LocatedDict`:
plain dicts that also remember where they and each of their keys started, which
:class:`topcli.framework.Problems` turns into ``file:line:column``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from topcli.errors import AnswerError, FrameworkError
from topcli.framework import Framework
from topcli.validation import framework_from_data


class LocatedDict(dict):  # type: ignore[type-arg]
    """A dict with ``mark`` (line, column) and ``key_marks`` {key: (line, column)}, 1-based."""

    mark: tuple[int, int] | None = None
    key_marks: dict[Any, tuple[int, int]]
    #: Each scalar value as written, so ``version: 1.10`` stays "1.10", not the float 1.1.
    scalar_texts: dict[Any, str]


def _loader_class() -> type:
    import yaml

    class LocatingLoader(yaml.SafeLoader):
        def construct_mapping(self, node: Any, deep: bool = False) -> LocatedDict:  # type: ignore[override]
            self.flatten_mapping(node)
            result = LocatedDict()
            result.mark = (node.start_mark.line + 1, node.start_mark.column + 1)
            result.key_marks = {}
            result.scalar_texts = {}
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                if key in result:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        f"found duplicate key '{key}'",
                        key_node.start_mark,
                    )
                result[key] = self.construct_object(value_node, deep=True)
                start = key_node.start_mark
                result.key_marks[key] = (start.line + 1, start.column + 1)
                if isinstance(value_node, yaml.ScalarNode):
                    result.scalar_texts[key] = value_node.value
            return result

    def construct_date_as_text(self: yaml.SafeLoader, node: Any) -> str:
        # dates stay text, so Question.parse and parse_date judge them (and '2026-02-30'
        # gets a message with its place instead of PyYAML's ValueError)
        return str(self.construct_scalar(node))

    def construct_bool_as_yaml_1_2(self: yaml.SafeLoader, node: Any) -> bool | str:
        # YAML 1.1 reads yes/no/on/off as booleans, which silently turns `choices: [Yes, No]`
        # into True/False; like YAML 1.2, only true and false are booleans here
        text = str(self.construct_scalar(node))
        return {"true": True, "false": False}.get(text.lower(), text)

    LocatingLoader.add_constructor("tag:yaml.org,2002:timestamp", construct_date_as_text)
    LocatingLoader.add_constructor("tag:yaml.org,2002:bool", construct_bool_as_yaml_1_2)
    LocatingLoader.add_constructor(
        "tag:yaml.org,2002:map",
        LocatingLoader.construct_mapping,  # type: ignore[arg-type]
    )
    return LocatingLoader


def read_document(path: Path, *, error: type[Exception] = FrameworkError) -> Any:
    """Parse a YAML (or JSON, which is YAML) file, turning syntax errors into ``error``."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: no such file", hint="check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot be read ({exc})") from None
    try:
        return yaml.load(text, Loader=_loader_class())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        started = exc.context_mark
        if exc.context and started is not None and started is not mark:
            # e.g. an unclosed quote: the problem shows at the end, the cause where it began
            context = f" ({exc.context} at line {started.line + 1}, column {started.column + 1})"
        hint = "check the indentation and quoting around that line"
        if error is FrameworkError:
            raise FrameworkError(
                f"YAML syntax error: {problem}{context}", location=where, hint=hint
            ) from None
        raise error(f"{where}: YAML syntax error: {problem}{context}", hint=hint) from None
    except yaml.YAMLError as exc:
        raise error(f"{path}: YAML error: {exc}") from None


def load_framework(path: str | Path) -> Framework:
    """Load and validate one framework file."""
    path = Path(path)
    return framework_from_data(read_document(path), origin=str(path))


def load_answers_file(path: str | Path) -> dict[str, Any]:
    """Read an answers file: ``person``, ``framework`` and ``answers`` keyed by question id."""
    path = Path(path)
    data = read_document(path, error=AnswerError)
    if not isinstance(data, dict):
        raise AnswerError(
            f"{path}: an answers file is a mapping with 'person', 'framework' and 'answers'"
        )
    from topcli.errors import did_you_mean

    allowed = ("person", "framework", "answers")
    for key in data:
        if key not in allowed:
            mark = getattr(data, "key_marks", {}).get(key)
            where = f"{path}:{mark[0]}:{mark[1]}" if mark else str(path)
            raise AnswerError(
                f"{where}: unknown key '{key}'{did_you_mean(str(key), allowed)}",
                hint="an answers file has: person, framework, answers",
            )
    answers = data.get("answers") or {}
    if not isinstance(answers, dict):
        raise AnswerError(f"{path}: 'answers' must be a mapping of question id to answer")
    return {
        "person": data.get("person"),
        "framework": data.get("framework"),
        "answers": answers,
        "path": str(path),
    }
