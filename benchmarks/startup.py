"""How much does starting topcli cost, compared with the smallest Typer app on the same stack?

The floor is a minimal two-command Typer app (``benchmarks/floor_app.py``) run by the same
interpreter with the same installed Typer, in this same run. Every figure is a ratio against it,
so the result means the same on a fast laptop and a slow CI box, and it says what topcli adds on
top of what its command-line library costs. ``python -c pass`` is shown for reference.

Runs are interleaved (one of each command per round) so a busy machine slows all of them alike.
The store holds two conversations before the first round (listings print rows, not "no
conversations yet"), and ``start --answers FILE --no-input`` adds one per round. The floor app's
own ``--help`` is shown for reference: it is what Typer's rich help costs any app.
It also lists which heavy modules each command imports: light commands load neither prompts
(questionary, prompt_toolkit) nor YAML nor calendars nor pluggy nor pydantic; ``rich`` (output
styling) and ``topcli.framework`` (the model: a listing reading full conversations) are listed
too, as what a piped listing should not need either.

    python benchmarks/startup.py            # 15 rounds
    python benchmarks/startup.py --quick    # 3 rounds (CI, informational)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = (
    "questionary",
    "prompt_toolkit",
    "yaml",
    "icalendar",
    "markdown_it",
    "jsonschema",
    "pluggy",
    "pydantic",
    "rich",
    "topcli.framework",
)
FLOOR_APP = str(Path(__file__).with_name("floor_app.py"))
#: A complete TOP answers file (the follow-through tests' first conversation with Sam Lee).
ANSWERS = str(Path(__file__).parent.parent / "tests" / "data" / "followthrough" / "sam-first.yaml")

#: command -> (arguments, target ratio to the floor); issue 12a, and 12d for start.
COMMANDS: dict[str, tuple[list[str], float]] = {
    "--version": (["--version"], 1.0),
    "--help": (["--help"], 1.15),
    "sessions list": (["sessions", "list"], 1.15),
    "people list": (["people", "list"], 1.15),
    "followup": (["followup"], 1.15),
    "plan show": (["plan", "show"], 1.15),
    "frameworks list": (["frameworks", "list"], 1.15),
    "actions list": (["actions", "list"], 1.15),
    "start --answers": (["start", "--answers", ANSWERS, "--no-input"], 1.3),
}


def measure(commands: dict[str, list[str]], env: dict[str, str], rounds: int) -> dict[str, float]:
    """Median wall time of each command, interleaved round by round."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, argv in commands.items():
            start = time.perf_counter()
            subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def heavy_modules(args: list[str], env: dict[str, str]) -> list[str]:
    """Run the command in-process in a child and report which heavy modules it imported."""
    probe = (
        "import sys\n"
        "from topcli.cli import app\n"
        "try:\n"
        f"    app({args!r}, prog_name='topcli')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print('HEAVY:', ' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True
    ).stdout
    marker = [line for line in out.splitlines() if line.startswith("HEAVY:")] or ["HEAVY: ?"]
    return marker[-1].removeprefix("HEAVY:").split()


def compile_topcli() -> None:
    """Write topcli's bytecode first, as an installed package has it (pip compiles what it
    installs; an editable install compiles on first import unless PYTHONDONTWRITEBYTECODE is
    set, as on some CI machines). Otherwise every run would compile topcli from source while
    the floor app's Typer loads cached bytecode: a difference no user sees."""
    import compileall

    import topcli

    compileall.compile_dir(str(Path(topcli.__file__).parent), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds instead of 15")
    rounds = 3 if parser.parse_args().quick else 15
    from importlib.metadata import version

    compile_topcli()

    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "TOPCLI_HOME": home,
            "TOPCLI_DISABLE_PLUGIN_AUTOLOAD": "1",
            "TOPCLI_NOW": "2026-03-02T09:00:00+00:00",
        }
        for _ in range(2):
            subprocess.run(
                [sys.executable, "-m", "topcli", *COMMANDS["start --answers"][0]],
                env=env,
                capture_output=True,
                check=True,
            )
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "floor": [sys.executable, FLOOR_APP, "hello", "--name", "x"],
            "floor --help": [sys.executable, FLOOR_APP, "--help"],
        }
        for name, (args, _target) in COMMANDS.items():
            commands[name] = [sys.executable, "-m", "topcli", *args]
        times = measure(commands, env, rounds)
        floor = times["floor"]
        print(
            f"floor: a two-command Typer {version('typer')} app = {floor * 1000:.0f} ms; "
            f"python -c pass = {times['python -c pass'] / floor:.2f}x of it, its own --help = "
            f"{times['floor --help'] / floor:.2f}x (medians of {rounds} interleaved rounds)"
        )
        print(f"{'command':<16} {'ratio':>6} {'target':>7}  {'met':<4} heavy modules imported")
        for name, (args, target) in COMMANDS.items():
            ratio = times[name] / floor
            heavy = heavy_modules(args, env)
            met = "yes" if ratio <= target else "NO"
            print(f"{name:<16} {ratio:>5.2f}x {target:>6.2f}x  {met:<4} {' '.join(heavy) or '-'}")


if __name__ == "__main__":
    main()
