"""How much does starting topcli cost, compared with starting Python itself?

Every number is a ratio against a baseline measured in this same run (``python -c pass`` with
the same interpreter), so the result means the same on a fast laptop and a slow CI box. It also
lists which heavy modules each command imports: ``--help`` and ``sessions list`` should load
neither prompts (questionary, prompt_toolkit) nor YAML nor calendars.

    python benchmarks/startup.py            # 15 runs each
    python benchmarks/startup.py --quick    # 3 runs each (CI)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HEAVY = ("questionary", "prompt_toolkit", "yaml", "icalendar", "markdown_it", "jsonschema")

COMMANDS: dict[str, list[str]] = {
    "--version": ["--version"],
    "--help": ["--help"],
    "sessions list": ["sessions", "list"],
    "frameworks list": ["frameworks", "list"],
}


def timed(argv: list[str], env: dict[str, str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


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
        [sys.executable, "-c", probe], env=env, check=True, capture_output=True, text=True
    ).stdout
    marker = [line for line in out.splitlines() if line.startswith("HEAVY:")][-1]
    return marker.removeprefix("HEAVY:").split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 runs per command")
    runs = 3 if parser.parse_args().quick else 15
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "TOPCLI_HOME": home, "TOPCLI_DISABLE_PLUGIN_AUTOLOAD": "1"}
        baseline = timed([sys.executable, "-c", "pass"], env, runs)
        print(f"baseline: python -c pass = {baseline * 1000:.0f} ms (median of {runs})")
        print(f"{'command':<18} {'ratio':>7}  heavy modules imported")
        for name, args in COMMANDS.items():
            seconds = timed([sys.executable, "-m", "topcli", *args], env, runs)
            heavy = heavy_modules(args, env)
            print(f"{name:<18} {seconds / baseline:>6.1f}x  {' '.join(heavy) or '-'}")


if __name__ == "__main__":
    main()
