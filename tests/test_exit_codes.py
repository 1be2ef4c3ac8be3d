"""One table of exit codes: the enum, the error classes and the documented table agree."""

from __future__ import annotations

import re
from pathlib import Path

from topcli import errors
from topcli.errors import ExitCode, exit_code_table
from topcli.followthrough import OVERDUE_EXIT_CODE

ARCHITECTURE = Path(__file__).parent.parent / "docs" / "architecture.md"


def _subclasses(cls: type[errors.TopcliError]) -> list[type[errors.TopcliError]]:
    found = [cls]
    for sub in cls.__subclasses__():
        found += _subclasses(sub)
    return found


def test_the_codes_are_a_promise_to_scripts() -> None:
    assert [int(code) for code in ExitCode] == [1, 2, 3, 4, 5, 6, 7, 8, 10, 130]


def test_every_error_class_takes_its_code_from_the_table() -> None:
    for cls in _subclasses(errors.TopcliError):
        assert isinstance(cls.exit_code, ExitCode), cls.__name__


def test_followup_exits_with_the_overdue_code() -> None:
    assert OVERDUE_EXIT_CODE == ExitCode.OVERDUE


def test_the_architecture_docs_show_the_table_from_the_enum() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    match = re.search(r"^\| exit code \| meaning \|\n(?:\|.*\|\n?)+", text, flags=re.MULTILINE)
    assert match is not None, "docs/architecture.md has no exit code table"
    assert match.group(0).strip() == exit_code_table()
