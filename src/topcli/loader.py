"""Read framework and answers files (YAML or JSON) with line numbers for every message.

PyYAML is imported here, inside the functions, so commands that never read a framework file
(``--help``, ``sessions list``) do not pay for it. Mappings come back as :class:`LocatedDict`:
plain dicts that also remember where they and each of their keys started, which
:class:`topcli.framework.Problems` turns into ``file:line:column``.

Every file is read through :func:`topcli.limits.read_limited` (regular files only, a size limit)
before any parsing. YAML nesting and alias expansion are bounded while the document is composed,
before anything is built from it, so a "billion laughs" file or ``[[[[...]]]]`` fails at once
with the limit and the place. Files ending in ``.json`` (answers files and frameworks) are parsed
by ``json`` (:mod:`topcli.safejson`), so they mean exactly what JSON says, with the same marks.

YAML treats NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029) as line
breaks and folds them into spaces or breaks (a carriage return that does not end a CRLF line end
too), so a YAML file that holds one raw is refused with its place rather than changed silently:
write them as the escapes ``"\\N"``, ``"\\L"``, ``"\\P"`` and ``"\\r"`` inside double
quotes (kept exactly), or use a JSON answers file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from topcli.errors import AnswerError, FrameworkError
from topcli.framework import Framework
from topcli.limits import (
    MAX_DOCUMENT_BYTES,
    MAX_NESTING,
    MAX_YAML_ALIAS_NODES,
    MAX_YAML_ALIASES,
    NESTING_PROBLEM,
    read_limited,
)
from topcli.safetext import text_problem
from topcli.validation import framework_from_data

_KIND = "a framework or answers file"
_LIMIT_HINT = "simplify the file; topcli refuses files beyond its limits so none can exhaust memory"
#: Line breaks YAML folds into spaces or newlines; CRLF line ends are fine, a lone CR is not.
_YAML_LINE_BREAKS = re.compile("[\x85\u2028\u2029]|\r(?!\n)")


class LimitExceeded(Exception):
    """Raised while composing YAML: a limit from :mod:`topcli.limits` was hit at ``mark``."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class LocatedDict(dict):  # type: ignore[type-arg]
    """A dict with ``mark`` (line, column) and ``key_marks`` {key: (line, column)}, 1-based."""

    mark: tuple[int, int] | None = None
    key_marks: dict[Any, tuple[int, int]]
    #: Each scalar value as written, so ``version: 1.10`` stays "1.10", not the float 1.1.
    scalar_texts: dict[Any, str]


def _loader_class() -> type:
    import yaml

    class LocatingLoader(yaml.SafeLoader):
        def __init__(self, stream: Any) -> None:
            super().__init__(stream)
            self.depth = 0
            self.aliases = 0
            self.alias_nodes = 0
            #: anchors whose node is still being composed (an alias to one is a loop)
            self.open_anchors: set[str] = set()
            #: id(node) -> (nodes in it with aliases expanded, depth), for aliased nodes only
            self.sizes: dict[int, tuple[int, int]] = {}

        def compose_node(self, parent: Any, index: Any) -> Any:
            # Checked while composing, before anything is built. Only aliases pay for the
            # counting: each costs the whole subtree it names, so nine levels of aliases are
            # stopped after a few hundred nodes, not a billion.
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent):
                return self._compose_alias(parent, index, event)
            if self.depth >= MAX_NESTING:
                raise LimitExceeded(NESTING_PROBLEM, event.start_mark)
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                self.open_anchors.add(anchor)
            self.depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1
                if anchor is not None:
                    self.open_anchors.discard(anchor)

        def _compose_alias(self, parent: Any, index: Any, event: Any) -> Any:
            if event.anchor in self.open_anchors:
                raise LimitExceeded(
                    "an alias refers to the node that contains it", event.start_mark
                )
            node = super().compose_node(parent, index)
            self.aliases += 1
            if self.aliases > MAX_YAML_ALIASES:
                raise LimitExceeded(
                    f"more than the limit of {MAX_YAML_ALIASES:,} aliases", event.start_mark
                )
            size, height = self._measure(node)
            self.alias_nodes += size
            if self.alias_nodes > MAX_YAML_ALIAS_NODES:
                raise LimitExceeded(
                    f"aliases repeat more than the limit of {MAX_YAML_ALIAS_NODES:,} "
                    "values (an alias bomb?)",
                    event.start_mark,
                )
            if self.depth + height > MAX_NESTING:
                # aliases of aliases can nest deeper than any part of the text does
                raise LimitExceeded(NESTING_PROBLEM, event.start_mark)
            return node

        def _measure(self, node: Any) -> tuple[int, int]:
            """Nodes in ``node`` with aliases expanded, and how deep it nests. Memoised, so
            shared subtrees are measured once however often they are referenced."""
            known = self.sizes.get(id(node))
            if known is not None:
                return known
            children: list[Any] = []
            if isinstance(node, yaml.SequenceNode):
                children = node.value
            elif isinstance(node, yaml.MappingNode):
                children = [part for pair in node.value for part in pair]
            measured = [self._measure(child) for child in children]
            result = (
                1 + sum(size for size, _ in measured),
                1 + max((height for _, height in measured), default=0),
            )
            self.sizes[id(node)] = result
            return result

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


def _parse_yaml(text: str) -> Any:
    """The document in ``text``, composed by libyaml when it can be, by PyYAML's Python parser
    when it must be.

    The Python parser is what checks nesting and aliases while composing (and words every
    message), but it is ten times slower: a 10,000-question framework took seconds. libyaml
    composes the same nodes with the same marks; when the result is a plain tree (no alias, no
    node nested deeper than the limit) it is built by the same constructor. Anything else (an
    alias, deep nesting, a syntax error) is parsed again by the Python parser, so every refusal
    and every message stays exactly as it was.
    """
    import yaml

    loader_class = _loader_class()
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            node = fast(text).get_single_node()
        except yaml.YAMLError:
            node = False  # let the Python parser report it, in its words
        if node is None:
            return None
        if node is not False and _plain_tree(node):
            return loader_class("").construct_document(node)
    return yaml.load(text, Loader=loader_class)


def _plain_tree(root: Any) -> bool:
    """True when no node is reached twice (no alias) and none nests deeper than the limit."""
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen or depth >= MAX_NESTING:
            return False
        seen.add(id(node))
        value = node.value
        if isinstance(value, list):
            for item in value:
                if isinstance(item, tuple):
                    stack += [(item[0], depth + 1), (item[1], depth + 1)]
                else:
                    stack.append((item, depth + 1))
    return True


def _decode(path: Path, raw: bytes, error: type[Exception]) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(
            f"{path}: is not UTF-8 text (byte {exc.start}: {exc.reason})",
            hint="save the file as UTF-8",
        ) from None


def _locate(path: Path, error: type[Exception], where_mark: Any, message: str, hint: str) -> Any:
    where = f"{path}:{where_mark.line + 1}:{where_mark.column + 1}" if where_mark else str(path)
    if error is FrameworkError:
        raise FrameworkError(message, location=where, hint=hint) from None
    raise error(f"{where}: {message}", hint=hint) from None


def read_json(path: Path, *, error: type[Exception] = FrameworkError) -> Any:
    """A JSON file parsed by ``json``, with marks (see :mod:`topcli.safejson`)."""
    from topcli.safejson import load_located

    raw = read_limited(path, limit=MAX_DOCUMENT_BYTES, error=error, kind=_KIND)  # type: ignore[arg-type]
    text = _decode(path, raw, error).removeprefix("\ufeff")
    return load_located(
        text,
        source=str(path),
        error=error,  # type: ignore[arg-type]
        hint="check the file is valid JSON",
    )


def read_document(path: Path, *, error: type[Exception] = FrameworkError) -> Any:
    """Parse a YAML or JSON file (by its suffix), turning every problem into ``error``."""
    if path.suffix.lower() == ".json":
        return read_json(path, error=error)
    import yaml

    raw = read_limited(
        path,
        limit=MAX_DOCUMENT_BYTES,
        error=error,  # type: ignore[arg-type]
        kind=_KIND,
    )
    text = _decode(path, raw, error)
    folded = _YAML_LINE_BREAKS.search(text)
    if folded is not None:
        line = text.count("\n", 0, folded.start())
        column = folded.start() - (text.rfind("\n", 0, folded.start()) + 1)
        code = ord(folded.group())
        escape = {0x0D: "\\r", 0x85: "\\N", 0x2028: "\\L", 0x2029: "\\P"}[code]
        _locate(
            path,
            error,
            yaml.Mark(str(path), folded.start(), line, column, None, None),
            f"a raw U+{code:04X} line break, which YAML would silently fold",
            f'write it as "{escape}" inside double quotes, or use a JSON file',
        )
    try:
        return _parse_yaml(text)
    except LimitExceeded as exc:
        _locate(path, error, exc.mark, exc.message, _LIMIT_HINT)
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
    for key in ("person", "framework"):
        problem = text_problem(data.get(key))
        if problem:
            mark = getattr(data, "key_marks", {}).get(key)
            where = f"{path}:{mark[0]}:{mark[1]}" if mark else str(path)
            raise AnswerError(f"{where}: '{key}' {problem}", hint=f"correct the '{key}' value")
    return {
        "person": data.get("person"),
        "framework": data.get("framework"),
        "answers": answers,
        "path": str(path),
    }
