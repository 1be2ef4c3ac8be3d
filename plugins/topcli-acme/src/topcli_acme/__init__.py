"""Acme's topcli plugin: company values and internal mobility in TOP, plus Acme's own framework.

An example of an organisation plugin, installable on its own (``pip install topcli-acme``):

- Think gets two questions about Acme's values, right after ``core_values``.
- Opportunities gets the Internal Moves programme, right after ``lateral_interest``.
- ``acme-growth`` is a framework of Acme's own: ``topcli start --framework acme-growth``.

topcli finds the plugin through the entry point in ``pyproject.toml`` (group ``topcli``, name
``acme``); every question added here is stored with ``source: acme`` in the conversation, so it
can still be shown and exported after this package is uninstalled.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from topcli import hookimpl

__version__ = "1.0.0"

#: Acme's values, as written on the office walls. Kept in one place for the questions below.
VALUES = ["Customers first", "Own the outcome", "Build with care", "Speak up, then commit"]

THINK = [
    {
        "id": "acme_values",
        "prompt": "Which Acme values show up most in the work you enjoy?",
        "type": "multiselect",
        "choices": VALUES,
        "help": "Pick one or two; the next question asks for an example.",
    },
    {
        "id": "acme_value_example",
        "prompt": "Tell me about a recent moment when you lived one of those values.",
        "type": "long_text",
    },
]

OPPORTUNITIES = [
    {
        "id": "acme_internal_move",
        "prompt": "Would you like to be put forward for Acme's Internal Moves programme?",
        "type": "confirm",
        "default": False,
        "help": "A 3-6 month placement in another team, with your role kept open for you.",
    },
    {
        "id": "acme_move_team",
        "prompt": "Which team would you most like a placement with?",
        "type": "text",
        "when": {"question": "acme_internal_move", "equals": True},
    },
]


@hookimpl
def register_frameworks(register: Callable[[Path], None]) -> None:
    # the YAML ships inside the package, so it is found wherever pip installed it
    register(Path(__file__).with_name("acme-growth.yaml"))


@hookimpl
def register_questions(register: Callable[..., None], framework: Any, stage: Any) -> None:
    # only TOP gets Acme's questions; acme-growth asks about values in its own words
    if framework.id != "top":
        return
    if stage.id == "think":
        after = "core_values"
        for question in THINK:
            register(question, after=after)
            after = question["id"]
    elif stage.id == "opportunities":
        after = "lateral_interest"
        for question in OPPORTUNITIES:
            register(question, after=after)
            after = question["id"]
