"""What does saving each answer the moment it is given cost, compared with SQLite itself?

``Store.save_answer`` writes every answer in its own transaction, so nothing typed is lost. The
baseline, run in this same script on the same disk, is the cheapest durable equivalent: one
``INSERT`` per answer into a bare table, each committed on its own. The ratio says how much the
store adds (JSON, the session's updated_at, drafts clean-up) on top of what durability costs.
It also times loading a whole conversation back (``Store.load``) against reading its rows raw.

    python benchmarks/store.py            # 300 answers
    python benchmarks/store.py --quick    # 60 answers (CI)
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="60 answers instead of 300")
    count = 60 if parser.parse_args().quick else 300
    with tempfile.TemporaryDirectory() as folder:
        os.environ["TOPCLI_HOME"] = str(Path(folder) / "home")
        os.environ.setdefault("TOPCLI_NOW", "2026-03-02T09:00:00+00:00")
        from topcli.framework import Framework, Question, Stage
        from topcli.store import Store

        questions = tuple(
            Question(id=f"q{n}", prompt=f"Question {n}?", type="long_text") for n in range(count)
        )
        framework = Framework("bench", "Bench", "1", (Stage("one", "One", questions),))
        store = Store()
        person = store.person_for_new_session("Bench Person")
        session_id = store.create_session(person["id"], framework)
        answer = "A thoughtful answer about values, strengths and what comes next. " * 3

        raw = sqlite3.connect(Path(folder) / "baseline.db", isolation_level=None)
        raw.execute("CREATE TABLE answers (session_id TEXT, question_id TEXT, value TEXT)")
        start = time.perf_counter()
        for question in questions:
            raw.execute("BEGIN")
            raw.execute("INSERT INTO answers VALUES (?, ?, ?)", (session_id, question.id, answer))
            raw.execute("COMMIT")
        baseline_save = time.perf_counter() - start

        start = time.perf_counter()
        for question in questions:
            store.save_answer(session_id, question, answer)
        store_save = time.perf_counter() - start

        start = time.perf_counter()
        rows = raw.execute("SELECT * FROM answers WHERE session_id = ?", (session_id,)).fetchall()
        baseline_load = time.perf_counter() - start
        start = time.perf_counter()
        session = store.load(session_id)
        store_load = time.perf_counter() - start
        assert len(rows) == len(session.answers) == count

    print(f"{count} answers, each saved in its own transaction")
    print(
        f"save: baseline {baseline_save / count * 1e6:.0f} us/answer; "
        f"store {store_save / baseline_save:.1f}x the baseline"
    )
    print(
        f"load: baseline {baseline_load * 1e3:.2f} ms; "
        f"store {store_load / baseline_load:.1f}x the baseline (builds the framework model too)"
    )


if __name__ == "__main__":
    main()
