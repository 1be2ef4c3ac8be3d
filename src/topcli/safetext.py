"""Stored text made safe to show in a terminal, and text refused before it is stored.

Answers come from people, answers files and imported JSON, so they can hold anything. Printed
raw, an ESC or C1 control starts a terminal escape sequence: it can retitle or clear the
terminal, hide text, or write the clipboard (OSC 52); bidirectional overrides reorder what the
reader sees ("Trojan Source"). :func:`printable` shows every such character visibly instead, in
one notation: a backslash escape as Python writes it, ``\\x1b`` for a code point below U+0100
and ``\\u202e`` above it. Newline and tab are kept; a carriage return is kept only as part of a
CRLF line end (a lone CR moves the cursor back and overwrites the line). Everything else,
including every letter, emoji and combining mark of every script, is left as it is.

The escape is for display only and deliberately not reversible: a backslash is not escaped, so
``printable`` is idempotent (showing shown text changes nothing) and text that already reads
``\\x1b`` is shown unchanged. What is stored is never altered.

:func:`text_problem` names what topcli refuses to store at all: NUL (which C libraries and
SQLite tools cut text at) and lone surrogates (not Unicode text; they cannot be written as
UTF-8).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: C0 controls except tab and newline; DEL and the C1 controls; bidi embeddings, overrides and
#: isolates; and a carriage return that does not end a CRLF line end.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control character except newline and tab shown as an escape.

    Use it on every stored string before it reaches a terminal or stdout. Idempotent, and the
    identity on text without such characters (so the common case costs one regex search).
    """
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_shown, text)


def printable_json(text: str) -> str:
    """JSON text with the same characters written as ``\\uXXXX`` escapes: still the same JSON
    value (JSON reads the escape back as the character), but nothing a terminal would obey.

    ``json.dumps(..., ensure_ascii=False)`` escapes C0 controls itself but writes C1 controls
    and bidi overrides raw; only those can remain, and only inside strings.
    """
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def printable_markup(text: str) -> str:
    """``printable(text)`` escaped for rich markup, so ``[bold]`` in an answer stays literal.

    For strings interpolated into a markup template (``console.print(f"[b]{x}[/b]")``); rich
    ``Text`` objects take :func:`printable` output directly.
    """
    from rich.markup import escape

    return escape(printable(text))


def text_problem(value: Any) -> str | None:
    """Why ``value`` (text, or lists and mappings of it) cannot be stored, or ``None``.

    Callers put the question or field in front, e.g. ``answer to 'goal': contains ...``.
    """
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return "contains a NUL character (\\x00), which topcli does not store"
            surrogate = _SURROGATE.search(item)
            if surrogate is not None:
                code = ord(surrogate.group())
                return (
                    f"contains a lone surrogate \\u{code:04x}, which is not Unicode text "
                    "(a \\ud83d\\ude00 escape pair is fine)"
                )
        elif isinstance(item, Mapping):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
    return None
