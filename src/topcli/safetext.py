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


#: What rich's markup reads as special: a tag-like ``[...]`` (with the backslashes before it)
#: and a backslash before any other ``[`` (which rich drops, printing the ``[`` alone).
_MARKUP = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])|(\\+)(\[)")


def _markup_literal(match: re.Match[str]) -> str:
    if match.group(2) is not None:  # a tag: each backslash doubled, then one to escape it
        backslashes = match.group(1)
        return f"{backslashes}{backslashes}\\{match.group(2)}"
    return match.group(3) + "\\["  # rich eats one backslash before a "[": give it one more


def printable_markup(text: str) -> str:
    """``printable(text)`` escaped for rich markup, so ``[bold]`` in an answer stays literal.

    For strings interpolated into a markup template (``console.print(f"[b]{x}[/b]")``); rich
    ``Text`` objects take :func:`printable` output directly. ``rich.markup.escape`` misses two
    cases a stored answer can hold (a backslash before a ``[`` that is not a tag, and more than
    one trailing backslash before the template's closing tag); this escape covers every string
    (tests/test_hardening_text.py renders any text through rich and gets it back exactly). It
    needs no rich import, so plain output stays light.
    """
    shown = _MARKUP.sub(_markup_literal, printable(text))
    # backslashes at the end would escape the template's next tag: each one doubled
    trailing = len(shown) - len(shown.rstrip("\\"))
    return shown + "\\" * trailing


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


def answer_problem(value: Any) -> str | None:
    """Why ``value`` cannot be taken as a new answer, or ``None``: :func:`text_problem`, and a
    carriage return (a line break is ``\\n``; a calendar cannot carry a CR, so an answer holding
    one could not travel exactly). Stored text (an import) is held only to :func:`text_problem`,
    so an older backup always restores."""
    problem = text_problem(value)
    if problem is not None:
        return problem
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\r" in item:
                return "contains a carriage return (\\r); write line breaks as \\n"
        elif isinstance(item, Mapping):
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
    return None
