"""JSON read with ``json`` (not PyYAML), bounded nesting, and ``file:line:column`` for keys.

JSON files are parsed by the standard library so that everything valid JSON allows is
accepted exactly: ``\\ud83d\\ude00`` escape pairs (what ``json.dumps`` writes for any emoji),
U+007F-U+009F, U+FFFE, NEL and U+2028 (PyYAML refuses some and folds others). Nesting is
limited to :data:`topcli.limits.MAX_NESTING` with a message at the place it is exceeded, never a
``RecursionError``.

``json`` reports no positions for what it parsed, so :func:`load_located` finds them with a
small token scan (strings, brackets, commas) that also measures the depth before parsing. Each
object comes back as a :class:`MarkedDict`, with the same ``mark`` and ``key_marks`` that
``topcli.loader.LocatedDict`` has for YAML, so the answers checks give ``file:line:column`` for
either format.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from typing import Any, NoReturn

from topcli.errors import TopcliError
from topcli.limits import MAX_NESTING, nesting_message

_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},]')


class _Lines:
    """Offsets to 1-based line and column, the way ``json.JSONDecodeError`` counts them."""

    def __init__(self, text: str) -> None:
        self.breaks = [m.start() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_left(self.breaks, offset)
        start = self.breaks[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1


def _scan(text: str) -> list[tuple[int, list[tuple[int, int]]]]:
    """Each object's offset and its keys' spans, in document order; refuses deep nesting.

    Raises :class:`_TooDeep` with the offset of the bracket that goes one level too deep.
    """
    objects: list[tuple[int, list[tuple[int, int]]]] = []
    stack: list[int | None] = []  # the object's index, or None for an array
    expect_key = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first in "[{":
            if len(stack) >= MAX_NESTING:
                raise _TooDeep(match.start())
            if first == "{":
                objects.append((match.start(), []))
                stack.append(len(objects) - 1)
                expect_key = True
            else:
                stack.append(None)
                expect_key = False
        elif first in "]}":
            if stack:
                stack.pop()
            expect_key = False
        elif first == ",":
            expect_key = bool(stack) and stack[-1] is not None
        elif expect_key and stack and stack[-1] is not None:
            objects[stack[-1]][1].append((match.start(), match.end()))
            expect_key = False
    return objects


class _TooDeep(Exception):
    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


class MarkedDict(dict):  # type: ignore[type-arg]
    """A JSON object with ``mark`` (line, column) and ``key_marks`` {key: (line, column)}."""

    mark: tuple[int, int] | None = None
    key_marks: dict[str, tuple[int, int]]
    scalar_texts: dict[str, str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_marks = {}
        self.scalar_texts = {}


class _Duplicate(dict):  # type: ignore[type-arg]
    """An object with a repeated key: ``json`` keeps the last, topcli refuses the file."""

    duplicate: str


class _FloatText(float):
    """A JSON number with a fraction, remembering how it was written (``1.10`` is not 1.1)."""

    text: str


def _float(text: str) -> float:
    number = _FloatText(text)
    number.text = text
    return number


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = MarkedDict()
    for key, value in pairs:
        if key in result and not isinstance(result, _Duplicate):
            result = _Duplicate(result)
            result.duplicate = key
        if isinstance(value, _FloatText) and isinstance(result, MarkedDict):
            # as YAML's scalar_texts: a framework's `"version": 1.10` stays "1.10"
            result.scalar_texts[key] = value.text
            value = float(value)
        result[key] = value
    return result


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


def _fail(error: type[TopcliError], message: str, hint: str | None) -> NoReturn:
    raise error(message, hint=hint)


def depth(value: Any) -> int:
    """How deeply lists and mappings nest in ``value`` (0 for a scalar), without recursion."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        level += 1
        deepest = max(deepest, level)
        pending.extend((child, level) for child in children if isinstance(child, (dict, list)))
    return deepest


def check_nesting(
    loads: Callable[[], Any],
    text: str,
    *,
    source: str,
    error: type[TopcliError],
    hint: str | None = None,
) -> Any:
    """``loads()``, refused when it nests deeper than the limit (or overflows the stack).

    For large files (imports): the fast C parser runs first, and only a file that is too deep
    is scanned again to say where.
    """
    try:
        value = loads()
    except RecursionError:
        value = None
    else:
        if depth(value) <= MAX_NESTING:
            return value
    try:
        _scan(text)
    except _TooDeep as exc:
        line, column = _Lines(text).at(exc.offset)
        _fail(error, nesting_message(f"{source}:{line}:{column}"), hint)
    _fail(error, nesting_message(source), hint)


def load_located(
    text: str, *, source: str, error: type[TopcliError], hint: str | None = None
) -> Any:
    """Parse ``text`` as JSON; objects carry ``mark`` and ``key_marks`` (line, column), and
    ``scalar_texts`` for numbers with a fraction, as written.

    Refuses, with ``source:line:column``: syntax errors, nesting deeper than the limit, a key
    repeated in one object, and ``NaN``/``Infinity`` (not JSON).
    """
    lines = _Lines(text)
    try:
        objects = _scan(text)
    except _TooDeep as exc:
        line, column = lines.at(exc.offset)
        _fail(error, nesting_message(f"{source}:{line}:{column}"), hint)
    try:
        value = json.loads(
            text, object_pairs_hook=_pairs, parse_constant=_no_constant, parse_float=_float
        )
    except json.JSONDecodeError as exc:
        _fail(error, f"{source}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}", hint)
    except RecursionError:
        _fail(error, nesting_message(source), hint)
    except ValueError as exc:  # NaN, or an integer with more digits than Python converts
        _fail(error, f"{source}: not valid JSON: {exc}", hint)
    _attach_marks(value, objects, lines, text, source=source, error=error, hint=hint)
    return value


def _attach_marks(
    value: Any,
    objects: list[tuple[int, list[tuple[int, int]]]],
    lines: _Lines,
    text: str,
    *,
    source: str,
    error: type[TopcliError],
    hint: str | None,
) -> None:
    # objects are visited in the order their '{' appears, which is the scan's order
    index = 0
    pending: list[Any] = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            if index < len(objects):
                start, keys = objects[index]
                if isinstance(item, _Duplicate):
                    _refuse_duplicate(item, keys, lines, text, source, error, hint)
                if isinstance(item, MarkedDict):
                    item.mark = lines.at(start)
                    item.key_marks = {
                        key: lines.at(span[0]) for key, span in zip(item, keys, strict=False)
                    }
            index += 1
            pending.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            pending.extend(reversed(item))


def _refuse_duplicate(
    item: _Duplicate,
    keys: list[tuple[int, int]],
    lines: _Lines,
    text: str,
    source: str,
    error: type[TopcliError],
    hint: str | None,
) -> NoReturn:
    seen = 0
    for start, end in keys:
        if json.loads(text[start:end]) == item.duplicate:
            seen += 1
            if seen == 2:
                line, column = lines.at(start)
                _fail(
                    error,
                    f"{source}:{line}:{column}: the key '{item.duplicate}' appears twice "
                    "in one object",
                    "keep one of them",
                )
    _fail(error, f"{source}: the key '{item.duplicate}' appears twice in one object", hint)
