"""How long does a person wait between pressing Enter and seeing the next question?

Runs a whole TOP conversation (``topcli start``) in a pseudo-terminal (pexpect), typed at the
way a person types, and times each step from the last key of an answer (Enter) to the next
question's prompt appearing on the screen. Prints the median and the maximum, the slowest
steps, and the target of issue 12e: no pause above 50 ms.

    python benchmarks/pauses.py              # 3 conversations, each question read for 0.5 s
    python benchmarks/pauses.py --runs 1     # one (CI, informational)
    python benchmarks/pauses.py --read 0     # answers typed the instant a question appears

Requires pexpect (installed with the test extras). Runs with ``PROMPT_TOOLKIT_NO_CPR=1``, a fixed
clock (``TOPCLI_NOW``) and a temporary ``TOPCLI_HOME``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET_MS = 50.0
ESC, ENTER, DOWN, SPACE = "\x1b", "\r", "\x1b[B", " "
#: Loaded into the topcli child (a sitecustomize on PYTHONPATH): logs each full garbage
#: collection's start and end on the monotonic clock the benchmark also reads (perf_counter is
#: CLOCK_MONOTONIC on Linux and macOS), so collections can be matched to the pauses they fall in.
GC_PROBE = """
import gc, os, time
_log = open(os.environ["TOPCLI_BENCH_GC_LOG"], "a")
_start = [0.0]
def _probe(phase, info):
    if info["generation"] != 2:
        return
    if phase == "start":
        _start[0] = time.perf_counter()
    else:
        _log.write(f"{_start[0]} {time.perf_counter()}\\n")
        _log.flush()
gc.callbacks.append(_probe)
"""
#: Any run of terminal escape sequences, allowed between any two characters of a prompt.
_ANSI = r"(?:\x1b\[[0-9;?]*[A-Za-z])*"

#: A whole TOP conversation: (text of the question on the screen, the keys that answer it).
#: The keys end with Enter (Esc, Enter for several lines); the step is timed from there.
STEPS: list[tuple[str, str]] = [
    ("Who is this conversation with?", "Sam Lee" + ENTER),
    ("which moments are you proudest of", "Shipping v2." + ESC + ENTER),
    ("What kind of work gives you energy", "Hard problems." + ESC + ENTER),
    ("What matters most to you in your work", "Learning." + ESC + ENTER),
    ("What strengths do others rely on you for", "Writing." + ESC + ENTER),
    ("Which skills or qualities", "Speaking." + ESC + ENTER),
    ("Imagine yourself two or three years from now", "Leading." + ESC + ENTER),
    ("Which of these best describes where you are leaning", DOWN * 3 + ENTER),
    ("What would help you become clearer", "Talking to teams." + ESC + ENTER),
    ("How would you describe a successful career", "Growing" + ENTER),
    ("Which kinds of opportunities interest you most?", SPACE + DOWN * 6 + SPACE + ENTER),
    ("What could you take on in your current role", "Own the release." + ESC + ENTER),
    ("Which piece of work, if you took it on", "Run the offsite." + ESC + ENTER),
    ("Who could you learn from", "Priya." + ESC + ENTER),
    ("Which other teams, functions or roles", "Research." + ESC + ENTER),
    ("Who in our wider network", "Alex." + ESC + ENTER),
    ("How do you learn best", "By doing" + ENTER),
    ("What might hold you back", ESC + ENTER),
    ("what feels most important to act on first", "Speaking." + ESC + ENTER),
    ("What is one small step", "Sign up for a talk" + ENTER),
    ("What support would you like from me", "Review." + ESC + ENTER),
    ("What could get in the way of this plan", "A busy quarter." + ESC + ENTER),
    ("How will we know, three months from now", "Two talks." + ESC + ENTER),
    ("How often would you like us to check in", DOWN + ENTER),
    ("Action 1: what will be done?", "Give a talk" + ENTER),
    ("Action 1: by when?", "+6 weeks" + ENTER),
    ("Action 1: how will we know it worked?", "Talk given" + ENTER),
    ("Action 1: what support is needed?", "Slides" + ENTER),
    ("Action 2: what will be done?", ENTER),
    ("When shall we meet again to review progress?", ENTER),
    ("Summary", ""),
]


def _pattern(text: str) -> str:
    return _ANSI.join(re.escape(c) for c in text)


Pause = tuple[
    str, float, float
]  # the question answered, when Enter was sent, when the next appeared


def conversation(executable: str, env: dict[str, str], read: float) -> list[Pause]:
    """One conversation; the pause after each answer, labelled by the question answered.

    Each question is on the screen for ``read`` seconds before its answer is typed, as a person
    reads it first: what topcli does while a question is being read costs nobody anything.
    """
    import pexpect

    child = pexpect.spawn(
        executable, ["start"], env=env, dimensions=(40, 200), encoding="utf-8", timeout=20
    )
    child.delaybeforesend = None
    pauses: list[Pause] = []
    child.expect(_pattern(STEPS[0][0]))
    for (question, keys), (following, _) in itertools.pairwise(STEPS):
        time.sleep(read)
        child.send(keys)
        sent = time.perf_counter()
        child.expect(_pattern(following))
        pauses.append((question, sent, time.perf_counter()))
    child.expect(pexpect.EOF)
    child.close()
    if child.exitstatus != 0:
        raise SystemExit(f"topcli start exited with {child.exitstatus}")
    return pauses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="conversations to hold (default 3)")
    parser.add_argument(
        "--read",
        type=float,
        default=0.5,
        help="seconds a question is read before it is answered (default 0.5)",
    )
    options = parser.parse_args()
    runs = options.runs
    executable = str(Path(sys.executable).parent / "topcli")
    samples: dict[str, list[float]] = {}
    windows: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as probe:
        Path(probe, "sitecustomize.py").write_text(GC_PROBE, encoding="utf-8")
        gc_log = Path(probe, "gc.log")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TOPCLI_", "COLUMNS"))}
        env.update(
            TOPCLI_HOME=home,
            TOPCLI_NOW="2026-03-02T09:00:00+00:00",
            TOPCLI_DISABLE_PLUGIN_AUTOLOAD="1",
            PROMPT_TOOLKIT_NO_CPR="1",
            TERM="xterm",
            NO_COLOR="1",
            PYTHONPATH=os.pathsep.join(p for p in (probe, os.environ.get("PYTHONPATH")) if p),
            TOPCLI_BENCH_GC_LOG=str(gc_log),
        )
        env.pop("LINES", None)
        for _ in range(runs):
            for question, sent, shown in conversation(executable, env, options.read):
                samples.setdefault(question, []).append((shown - sent) * 1000)
                windows.append((sent, shown))
        collections = (
            [
                tuple(float(t) for t in line.split())
                for line in gc_log.read_text(encoding="utf-8").splitlines()
            ]
            if gc_log.exists()
            else []
        )
    every = [ms for values in samples.values() for ms in values]
    worst = max(every)
    print(
        f"Enter -> next question, {len(samples)} steps x {runs} conversation(s): "
        f"median {statistics.median(every):.0f} ms, max {worst:.0f} ms "
        f"(target: no pause above {TARGET_MS:.0f} ms: {'met' if worst <= TARGET_MS else 'NOT met'})"
    )
    inside = [
        (end - start) * 1000
        for start, end in collections
        if any(start < shown and end > sent for sent, shown in windows)
    ]
    print(
        f"full garbage collections: {len(collections)}, of which {len(inside)} fell between "
        f"an Enter and the next question" + (f" (longest {max(inside):.0f} ms)" if inside else "")
    )
    try:
        load = os.getloadavg()[0]
        print(f"load average while measuring: {load:.1f} on {os.cpu_count()} cores")
    except OSError:
        pass
    print("slowest steps (max over the runs):")
    for question, values in sorted(samples.items(), key=lambda kv: -max(kv[1]))[:5]:
        print(f"  {max(values):6.0f} ms  after: {question}")


if __name__ == "__main__":
    main()
