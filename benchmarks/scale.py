"""Does topcli stay fast as the store grows? Each command at N conversations, as ratios.

For N in 100, 1,000 and 10,000 (50,000 with ``--big``; ``--quick``: 100 and 1,000, for CI) it
builds a store through the public import path: one real TOP conversation is held with
``topcli start --answers``, exported with ``plan export --all --json``, copied N times (N/5
people, five conversations each, three actions per conversation, spread over two years; each
person's earlier actions closed, the latest plan open) and read back with ``sessions import``.
Then it runs every command as a user would (a new process each time, output piped) and prints
the median wall time and the peak memory of the process, as ratios to its own time at N=100 and
to the floor (a minimal two-command Typer app, ``benchmarks/floor_app.py``, in this same run),
beside the targets of issue 12b. Import rates are measured into an empty store and into the
store of N. Timings are informational: nothing here fails on a slow machine.

    python benchmarks/scale.py            # N = 100, 1,000, 10,000; 5 rounds
    python benchmarks/scale.py --quick    # N = 100, 1,000; 3 rounds (CI)
    python benchmarks/scale.py --big      # also N = 50,000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

FLOOR_APP = str(Path(__file__).with_name("floor_app.py"))
NOW = "2026-03-02T09:00:00+00:00"
START = datetime.fromisoformat("2024-03-01T09:00:00+00:00")
MIB = 1024 * 1024
#: Conversations per import file (a file is limited to 200 MB; 10,000 take about 80 MB).
PART = 10_000

#: Listings as a terminal shows them (the first 50: ``--limit 50`` is the terminal's default):
#: at 10,000 at most 0.5 s and 1.5x their time at 100; at 50,000 at most 1.5 s.
LISTINGS = (
    "sessions list --limit 50",
    "people list --limit 50",
    "followup --limit 50",
    "actions list --overdue --limit 50",
)
#: The same listings piped whole (every row, as scripts get them): shown, no ratio target.
PIPED = ("sessions list", "people list", "followup", "actions list --overdue")
#: Per-conversation and per-action commands: at 10,000 at most 1.2x their time at 100.
PER_ITEM = (
    "sessions show ID",
    "plan show",
    "plan export ID",
    "actions done ID",
    "actions note ID",
    "actions drop ID",
    "history PERSON",
    "checkin PERSON",
)
#: Exports of everything grow with the store by nature: shown, with no ratio target.
WHOLE = ("plan export --all --ics",)

ANSWERS = """\
person: Base Person
framework: top
answers:
  career_so_far: "Shipping the billing rewrite with a small team."
  energising_work: "Pairing and untangling hard problems energises me."
  core_values: "Learning and autonomy."
  strengths: "Debugging, calm under pressure."
  skills_to_develop: "Facilitation and public speaking."
  aspirations: "Leading a small platform team."
  career_direction: "Take on a bigger or broader role"
  success_definition: "Growing people as well as systems."
  opportunity_types: [Mentoring, Stretch assignment]
  on_the_job_growth: "Run the weekly incident review."
  stretch_ideas: "Own the Q2 migration plan."
  mentor_profile: "Priya, on how she grew her team."
  lateral_interest: "Platform engineering."
  network_connections: "Intro to Priya in platform."
  learning_style: "By doing"
  top_priority: "Practise leading without the title."
  first_step: "Ask Priya for a coffee."
  leader_support: "Air cover for the incident review."
  obstacles: "On-call load; we will rebalance the rota."
  progress_measures: "Two incident reviews run, migration plan drafted."
  actions:
    - {what: "Run the weekly incident review", due: 2024-04-01, success: "Two run"}
    - {what: "Draft the Q2 migration plan", due: 2024-05-01, success: "Reviewed"}
    - {what: "Coffee with Priya", due: 2024-03-15}
  followup: 2024-06-01
"""


def topcli(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "topcli", *args], env=env, capture_output=True, text=True
    )
    if check and done.returncode != 0:
        raise SystemExit(f"topcli {' '.join(args)} failed: {done.stderr}")
    return done


def template(folder: Path, env: dict[str, str]) -> dict[str, Any]:
    """One real TOP conversation, as ``plan export --json`` writes it."""
    answers = folder / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    base_env = {**env, "TOPCLI_HOME": str(folder / "base"), "TOPCLI_NOW": START.isoformat()}
    topcli(base_env, "start", "--answers", str(answers), "--no-input")
    return json.loads(topcli(base_env, "plan", "export", "--all", "--json").stdout)["sessions"][0]


def conversations(
    base: dict[str, Any], n: int, first: int = 0, total: int | None = None
) -> dict[str, Any]:
    """An export file of ``n`` copies of ``base`` (ids from ``first``), five per person, the
    ``total`` of a store spread evenly over two years from 2024-03-01 (so parts fit together)."""
    sessions = []
    span = timedelta(days=730) / (total or first + n)
    for k in range(first, first + n):
        copy = json.loads(json.dumps(base))
        started = START + span * k
        stamp = started.isoformat()
        person = k // 5
        latest = k % 5 == 4 or k == first + n - 1
        copy.update(id=f"{k:08x}", started_at=stamp, updated_at=stamp, completed_at=stamp)
        copy["person"] = {"id": f"p{person:06d}", "name": f"Person {person}", "created_at": stamp}
        copy["answered_at"] = {q: stamp for q in copy["answered_at"]}
        followup = (started + timedelta(days=90)).date().isoformat()
        copy["answers"]["followup"] = copy["followup"] = followup
        for j, action in enumerate(copy["answers"]["actions"]):
            action.update(id=f"{k:07x}{j}", created_at=stamp, updated_at=stamp)
            action["due"] = (started + timedelta(days=30 * (j + 1))).date().isoformat()
            if not latest:  # earlier plans: two done, one dropped, each with its dated note
                action["status"] = "dropped" if j == 1 else "done"
                action["notes"] = [{"at": stamp, "status": action["status"], "text": "closed"}]
        sessions.append(copy)
    return {"schema_version": 1, "sessions": sessions}


def write_file(base: Path, out: Path, n: int, first: int, total: int) -> None:
    """Write the export file in a child process: a parent holding 50,000 conversations would
    lend its memory to every child it starts (Linux keeps the high-water mark across exec)."""
    args = [str(base), str(out), str(n), str(first), str(total)]
    subprocess.run([sys.executable, __file__, "--generate", *args], check=True)


def run_measured(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time and peak resident memory (bytes) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = 0  # reaped by wait4
    return elapsed, usage.ru_maxrss * 1024  # Linux reports KiB


def import_rate(env: dict[str, str], path: Path, count: int) -> float:
    start = time.perf_counter()
    topcli(env, "sessions", "import", str(path))
    return count / (time.perf_counter() - start)


def commands_for(n: int, rounds: int) -> dict[str, list[list[str]]]:
    """Each command's argument lists, one per round (changes need a fresh action each)."""
    middle = n // 2 - n // 2 % 5  # the first conversation of a person in the middle
    person = f"p{middle // 5:06d}"
    latest = middle + 4  # that person's latest conversation: its actions are open

    def action(k: int, j: int) -> str:
        return f"{k:07x}{j}"

    # done and drop close a different open action each round (of other people's latest plans)
    open_actions = [action(k * 5 + 4, j) for k in range(n // 5) for j in range(3)]
    fixed = {name: name.split() for name in (*LISTINGS, *PIPED)}
    fixed |= {
        "plan export --all --ics": ["plan", "export", "--all", "--ics"],
        "sessions show ID": ["sessions", "show", f"{middle:08x}"],
        "plan show": ["plan", "show"],
        "plan export ID": ["plan", "export", f"{middle:08x}", "--md"],
        "actions note ID": ["actions", "note", action(latest, 0), "a note"],
        "history PERSON": ["history", person],
        # builds the check-in from the person's plans, then stops at the first question that
        # nobody can answer (--no-input exits 2): the work before the first question
        "checkin PERSON": ["checkin", person, "--no-input"],
    }
    per_round = {name: [args] * rounds for name, args in fixed.items()}
    per_round["actions done ID"] = [["actions", "done", open_actions[i]] for i in range(rounds)]
    per_round["actions drop ID"] = [
        ["actions", "drop", open_actions[rounds + i]] for i in range(rounds)
    ]
    return per_round


Results = dict[int, dict[str, tuple[float, int]]]


def measure(homes: dict[int, dict[str, str]], rounds: int) -> Results:
    """Median wall time and the largest peak memory of each command at each size.

    Interleaved: each round runs every command at every size, so a machine that gets busier
    or quieter meanwhile slows or speeds all of them alike and the ratios hold.
    """
    floor = [sys.executable, FLOOR_APP, "hello", "--name", "x"]
    plans = {n: commands_for(n, rounds + 1) for n in homes}  # round 0 warms the caches
    times: dict[tuple[int, str], list[float]] = {}
    peaks: dict[tuple[int, str], int] = {}
    for r in range(rounds + 1):
        for n, env in homes.items():
            runs = {"floor": floor} | {
                name: [sys.executable, "-m", "topcli", *argvs[r]]
                for name, argvs in plans[n].items()
            }
            for name, argv in runs.items():
                elapsed, peak = run_measured(argv, env)
                if r:
                    times.setdefault((n, name), []).append(elapsed)
                    peaks[(n, name)] = max(peaks.get((n, name), 0), peak)
        print(f"round {r}/{rounds} done", file=sys.stderr, flush=True)
    results: Results = {n: {} for n in homes}
    for (n, name), values in times.items():
        results[n][name] = (statistics.median(values), peaks[(n, name)])
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 100 and 1,000; 3 rounds")
    parser.add_argument("--big", action="store_true", help="also N = 50,000")
    parser.add_argument("--rounds", type=int, default=None, help="rounds per command")
    parser.add_argument("--generate", nargs=5, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.generate:
        base_file, out, n, first, total = options.generate
        base = json.loads(Path(base_file).read_text(encoding="utf-8"))
        data = conversations(base, int(n), first=int(first), total=int(total))
        Path(out).write_text(json.dumps(data), encoding="utf-8")
        return
    sizes = [100, 1_000] if options.quick else [100, 1_000, 10_000]
    if options.big:
        sizes.append(50_000)
    rounds = options.rounds or (3 if options.quick else 5)
    rates: dict[int, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        # as a user runs it: compiled modules cached, no plugins, a fixed today, no pager
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env |= {"TOPCLI_DISABLE_PLUGIN_AUTOLOAD": "1", "TOPCLI_NOW": NOW, "TOPCLI_PAGER": ""}
        base = folder / "base.json"
        base.write_text(json.dumps(template(folder, env)), encoding="utf-8")
        extra = 500
        homes: dict[int, dict[str, str]] = {}
        for n in sizes:
            homes[n] = {**env, "TOPCLI_HOME": str(folder / f"n{n}")}
            # files of at most 10,000 conversations (an import file is limited to 200 MB)
            seconds = 0.0
            for first in range(0, n, PART):
                data = folder / f"n{n}-{first}.json"
                write_file(base, data, min(PART, n - first), first, n)
                seconds += min(PART, n - first) / import_rate(homes[n], data, min(PART, n - first))
                data.unlink()
            rates[n] = (n / seconds, 0.0)
            print(f"built N={n:,}", file=sys.stderr, flush=True)
        results = measure(homes, rounds)
        for n in sizes:  # then 500 more, timed into the store of N
            more = folder / f"n{n}-more.json"
            write_file(base, more, extra, n, n + extra)
            rates[n] = (rates[n][0], import_rate(homes[n], more, extra))
    report(results, rates, sizes, rounds)


def report(
    results: Results, rates: dict[int, tuple[float, float]], sizes: list[int], rounds: int
) -> None:
    first = sizes[0]
    floor = statistics.median(results[n]["floor"][0] for n in sizes)
    print(
        f"floor (two-command Typer app): {floor * 1000:.0f} ms; medians of {rounds} rounds,"
        " every size and command interleaved"
    )
    print(
        "each cell: median wall time, its ratio to the same command at N=100 (x), to the"
        " floor (xf), and the process's peak memory (MiB)"
    )
    header = f"{'command':<36}" + "".join(f"{f'N={n:,}':>26}" for n in sizes) + "  target"
    print(header)
    for name in (*LISTINGS, *PIPED, *PER_ITEM, *WHOLE):
        cells = []
        for n in sizes:
            seconds, peak = results[n][name]
            own = seconds / results[first][name][0]
            ratios = f"{own:>4.2f}x {seconds / floor:>4.1f}xf"
            cells.append(f"{seconds * 1000:>6.0f}ms {ratios} {peak / MIB:>3.0f}M")
        print(f"{name:<36}" + "".join(f"{c:>26}" for c in cells) + "  " + verdict(name, results))
    print("import (conversations/s): into an empty store, and 500 more into the store of N")
    for n in sizes:
        empty, full = rates[n]
        met = "met" if min(empty, full) >= 500 else "NOT met"
        print(f"  N={n:<8,} {empty:>7.0f}/s {full:>7.0f}/s  target >= 500/s both: {met}")


def verdict(name: str, results: Results) -> str:
    """The issue 12b targets for ``name`` and whether this run met them."""
    notes = []
    base = results[min(results)][name][0]
    if 10_000 in results:
        seconds = results[10_000][name][0]
        if name in LISTINGS:
            ok = seconds <= 0.5 and seconds / base <= 1.5
            notes.append(f"10k <=0.5s & <=1.5x: {'met' if ok else 'NOT met'}")
        elif name in PER_ITEM:
            ok = seconds / base <= 1.2
            notes.append(f"10k <=1.2x: {'met' if ok else 'NOT met'}")
    if 50_000 in results:
        seconds, peak = results[50_000][name]
        if name in LISTINGS:
            notes.append(f"50k <=1.5s: {'met' if seconds <= 1.5 else 'NOT met'}")
        notes.append(f"50k <=100MiB: {'met' if peak <= 100 * MIB else 'NOT met'}")
    return "; ".join(notes) or "-"


if __name__ == "__main__":
    main()
