"""Light commands must not pay for prompts, YAML or calendars (checked by import, not by time)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("questionary", "prompt_toolkit", "yaml", "icalendar", "jsonschema")

PROBE = """
import sys
from topcli.cli import app
try:
    app({args!r}, prog_name="topcli")
except SystemExit:
    pass
print("HEAVY:" + " ".join(m for m in {heavy!r} if m in sys.modules))
"""


@pytest.mark.parametrize(
    "args",
    [["--version"], ["--help"], ["sessions", "list"], ["sessions", "list", "--json"]],
    ids=lambda a: " ".join(a),
)
def test_light_command_imports_no_heavy_module(args: list[str]) -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args, heavy=HEAVY)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    loaded = next(line for line in out.splitlines() if line.startswith("HEAVY:"))
    assert loaded == "HEAVY:", f"'topcli {' '.join(args)}' imported {loaded[6:]}"


def test_importing_the_cli_loads_no_heavy_module() -> None:
    code = f"import sys, topcli.cli; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


#: Only commands that need what plugins contribute may load them (and pluggy with them).
PLUGIN_MODULES = ("pluggy", "topcli.plugins", "topcli.catalog", "topcli.hookspecs")


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["--help"],
        ["sessions", "list"],
        ["sessions", "list", "--json"],
        ["people", "list"],
        ["followup"],
        ["actions", "list"],
        # no conversation yet: an error, so the group's error handler runs too
        ["plan", "show"],
    ],
    ids=lambda a: " ".join(a),
)
def test_light_command_loads_no_plugin(args: list[str]) -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args, heavy=PLUGIN_MODULES)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    loaded = next(line for line in out.splitlines() if line.startswith("HEAVY:"))
    assert loaded == "HEAVY:", f"'topcli {' '.join(args)}' imported {loaded[6:]}"


def test_import_topcli_does_not_import_pluggy_until_a_plugin_asks_for_hookimpl() -> None:
    code = (
        "import sys, topcli; before = 'pluggy' in sys.modules\n"
        "from topcli import hookimpl\n"
        "import pluggy; assert isinstance(hookimpl, pluggy.HookimplMarker)\n"
        "assert topcli.hookimpl is hookimpl\n"
        "print(before)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
