"""Light commands must not pay for prompts, YAML or calendars (checked by import, not by time).

benchmarks/startup.py measures the time; these tests keep the imports that cost it out.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers import cli

HEAVY = ("questionary", "prompt_toolkit", "yaml", "icalendar", "jsonschema")
#: What no light command loads at all: prompts, YAML, calendars, plugins, rich tables.
LIGHT_NEVER = (
    *HEAVY,
    "pluggy",
    "markdown_it",
    "pydantic",
    "rich.table",
    "topcli.plugins",
    "topcli.framework",
)

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


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["sessions", "list", "--json"],
        ["people", "list", "--json"],
        ["followup", "--json"],
        ["actions", "list", "--json"],
    ],
    ids=lambda a: " ".join(a),
)
def test_json_listings_load_no_prompts_yaml_plugins_or_tables(args: list[str]) -> None:
    cli("start", "--answers", str(_ANSWERS), "--no-input")  # rows to list, in this home
    loaded = _loaded(args, LIGHT_NEVER)
    # a listing that still reads full conversations loads the framework model: allowed only
    # until it reads summary rows (issue 12b); everything else is never allowed
    if args[0] != "--version":
        loaded = [m for m in loaded if m != "topcli.framework"]
    assert loaded == [], f"'topcli {' '.join(args)}' imported {' '.join(loaded)}"


def test_help_lists_every_command_without_importing_one() -> None:
    command_modules = [f"topcli.cli.{entry.module}" for entry in _commands().values()]
    # Typer's rich help itself renders with rich tables and imports markdown_it: that much any
    # Typer app's --help pays (docs/performance.md); topcli adds nothing to it
    never = [m for m in LIGHT_NEVER if m not in ("rich.table", "markdown_it")]
    loaded = _loaded(["--help"], (*never, "topcli.store", "sqlite3", *command_modules))
    assert loaded == [], f"'topcli --help' imported {' '.join(loaded)}"


def test_a_command_imports_its_own_module_only() -> None:
    others = [f"topcli.cli.{e.module}" for e in _commands().values() if e.module != "sessions"]
    loaded = _loaded(["sessions", "list", "--json"], tuple(others))
    assert loaded == [], f"'topcli sessions list' imported {' '.join(loaded)}"


def test_the_version_is_answered_before_typer_is_imported() -> None:
    code = (
        "import sys; sys.argv = ['topcli', '--version']\n"
        "from topcli.cli import main; main()\n"
        "print('typer' in sys.modules, 'rich' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["topcli 0.1.0", "False False"]


def test_the_listing_in_help_says_what_each_command_says_of_itself() -> None:
    """The table behind ``topcli --help`` (no imports) matches each command's own help."""
    import typer
    from typer.main import get_command

    from topcli.cli import app
    from topcli.cli.commands import COMMANDS

    group = get_command(app)
    with typer.Context(group) as ctx:
        for name, entry in COMMANDS.items():
            command = group.get_command(ctx, name)
            assert command is not None and command.name == name
            own = " ".join((command.help or "").split("\n\n")[0].split())
            assert " ".join(entry.help.split()) == own, name


def test_the_listing_in_help_is_complete_and_in_order() -> None:
    from topcli.cli.commands import COMMANDS

    result = cli("--help")
    assert result.exit_code == 0
    first_words = [line.strip("│ ").split(" ")[0] for line in result.stdout.splitlines()]
    assert [word for word in first_words if word in COMMANDS] == list(COMMANDS)


def test_a_mistyped_command_gets_a_suggestion_from_every_command() -> None:
    result = cli("sesions", "list")
    assert result.exit_code == 2
    assert "No such command 'sesions'. Did you mean 'sessions'?" in " ".join(
        result.output.replace("│", " ").split()
    )


def test_a_lazily_loaded_group_works_as_before() -> None:
    result = cli("sessions")
    assert result.exit_code in (0, 2)  # no_args_is_help
    for sub in ("list", "show", "delete", "import"):
        assert sub in result.output


_ANSWERS = __import__("pathlib").Path(__file__).parent / "data" / "followthrough" / "sam-first.yaml"


def _commands() -> dict:
    from topcli.cli.commands import COMMANDS

    return COMMANDS


def _loaded(args: list[str], modules: tuple[str, ...]) -> list[str]:
    """The modules of ``modules`` that ``topcli ARGS`` imports, run in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args, heavy=modules)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("HEAVY:"))
    return line.removeprefix("HEAVY:").split()
