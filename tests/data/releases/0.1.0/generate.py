"""Build the database a 0.1.0 user would have, through topcli's public paths.

MUST be run with the topcli 0.1.0 code (the commit before schema v2), from the repository root:

    git stash; git checkout <0.1.0 commit>; python tests/data/releases/0.1.0/generate.py

It writes, beside this script, ``topcli.db`` (as 0.1.0 left it) and ``export.json`` (what
``topcli plan export --all --json`` printed then). tests/test_migration.py opens a copy of the
database with the current code and checks that every conversation exports exactly as before.

What it holds: three people; finished and paused conversations; a check-in that closed one action,
dropped one and carried one over; done/dropped actions with notes and a plain note; a draft of a
half-typed actions answer; and a conversation brought in with ``sessions import``.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / "followthrough"


def main() -> None:
    home = Path(tempfile.mkdtemp()) / "home"
    os.environ["TOPCLI_HOME"] = str(home)
    os.environ["TOPCLI_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    os.environ.pop("TOPCLI_PLUGINS", None)

    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput
    from typer.testing import CliRunner

    from topcli.cli import app
    from topcli.store import Store

    def cli(now: str, *args: str, keys: str = "") -> str:
        os.environ["TOPCLI_NOW"] = now
        with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
            pipe.send_text(keys)
            pipe.close()
            result = CliRunner().invoke(app, list(args), catch_exceptions=False)
        if result.exit_code not in (0, 130):
            sys.exit(f"topcli {' '.join(args)} failed ({result.exit_code}): {result.output}")
        return result.stdout

    def open_actions() -> dict[str, str]:
        listing = json.loads(cli("2026-03-02T09:00:00+00:00", "actions", "list", "--json"))
        return {a["what"]: a["id"] for a in listing}

    tmp = home.parent
    cli(
        "2026-01-05T10:00:00+00:00",
        "start",
        "--answers",
        str(DATA / "sam-first.yaml"),
        "--no-input",
    )
    cli(
        "2026-01-12T15:30:00+00:00",
        "start",
        "--answers",
        str(DATA / "alex-first.yaml"),
        "--no-input",
    )
    ids = open_actions()
    review = ids["Run the weekly incident review"]
    plan = ids["Draft the Q2 migration plan"]
    coffee = ids["Coffee with Priya"]
    audit = ids["Audit the design components"]

    cli("2026-01-20T08:00:00+00:00", "actions", "note", audit, "Started with the buttons.")
    checkin = {
        "framework": "checkin",
        "answers": {
            "since_last": "Busy month.",
            f"a_{review}_progress": "Ran two reviews.",
            f"a_{review}_status": "Done",
            f"a_{plan}_progress": "Half drafted.",
            f"a_{plan}_status": "Carry over",
            f"a_{plan}_barriers": "On-call week.",
            f"a_{plan}_support": "Protected time on Fridays",
            f"a_{plan}_new_due": "2026-03-31",
            f"a_{coffee}_progress": "Priya left the company.",
            f"a_{coffee}_status": "Drop",
            f"a_{coffee}_barriers": "She moved on.",
            "revisit_think": False,
            "revisit_opportunities": False,
            "actions": [{"what": "Find a new mentor in platform", "due": "+6 weeks"}],
            "followup": "+3 months",
        },
    }
    path = tmp / "checkin.json"
    path.write_text(json.dumps(checkin))
    cli("2026-02-27T10:00:00+00:00", "checkin", "Sam", "--answers", str(path), "--no-input")
    cli(
        "2026-03-01T09:00:00+00:00",
        "actions",
        "done",
        audit,
        "--note",
        "Audit shared — 42 components.",
    )
    mentor = open_actions()["Find a new mentor in platform"]
    cli("2026-03-01T10:00:00+00:00", "actions", "drop", mentor, "--note", "Found one already.")

    # a conversation paused at its first unanswered question (end of input), with a draft
    partial = {
        "person": "Robin Ó Briain",
        "framework": "top",
        "answers": {"career_so_far": "Support, then QA, now backend.\nTwo years here."},
    }
    path = tmp / "partial.json"
    path.write_text(json.dumps(partial, ensure_ascii=False))
    cli("2026-03-02T09:00:00+00:00", "start", "--answers", str(path))
    store = Store()
    paused = store.latest_session_row(status="in_progress")
    assert paused is not None, "the paused conversation was not stored"
    store.save_draft(paused["id"], "actions", [{"what": "Pair on the queue", "due": "2026-04-01"}])
    store.close()

    # a conversation brought in from another machine's export
    exported = json.loads(
        cli("2026-03-02T09:00:00+00:00", "plan", "export", "--person", "Alex", "--json")
    )
    exported["id"] = "1mp0rted"
    exported["person"] = {"id": "kai", "name": "Kai", "created_at": "2025-11-03T12:00:00+00:00"}
    for action in exported["answers"]["actions"]:
        action["id"] = "1a" + action["id"][2:]
    path = tmp / "import.json"
    path.write_text(json.dumps(exported, ensure_ascii=False))
    cli("2026-03-02T09:00:00+00:00", "sessions", "import", str(path))

    everything = cli("2026-03-02T09:00:00+00:00", "plan", "export", "--all", "--json")
    (HERE / "export.json").write_text(everything)
    shutil.copyfile(home / "topcli.db", HERE / "topcli.db")
    os.chmod(HERE / "topcli.db", 0o600)
    count = len(json.loads(everything)["sessions"])
    print(f"wrote {HERE / 'topcli.db'} and export.json ({count} conversations)")


if __name__ == "__main__":
    main()
