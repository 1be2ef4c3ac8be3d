"""Shared by the preparation-sheet tests: frameworks to write from and helpers to fill a sheet in
the way a person would, by editing its text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from topcli.framework import Framework
from topcli.validation import framework_from_data

#: What Sam Lee writes in the Think and Opportunities stages of TOP (Markdown and YAML alike).
SAM_ANSWERS: dict[str, Any] = {
    "career_so_far": "Shipping the billing migration without downtime.\n\nAlso mentoring Tom.",
    "core_values": "Autonomy, craft, and people I trust.",
    "career_direction": "Take on a bigger or broader role",
    "success_definition": "Work I am proud of, with people I trust",
    "opportunity_types": ["Mentoring", "Coaching"],
    "learning_style": "By doing, then writing it up",
}


def small_framework(fid: str = "small", version: str = "2.0") -> Framework:
    """Every question type a sheet can hold, a condition, and a plan stage."""
    return framework_from_data(
        {
            "id": fid,
            "name": "Small",
            "version": version,
            "stages": [
                {
                    "id": "reflect",
                    "title": "Reflect",
                    "purpose": "Think about where you are.",
                    "tips": ["LEADER TIP: stay quiet"],
                    "questions": [
                        {"id": "mood", "prompt": "How are you?", "help": "LEADER HELP"},
                        {"id": "ready", "prompt": "Ready for more?", "type": "confirm"},
                        {"id": "when_free", "prompt": "When are you free?", "type": "date"},
                        {
                            "id": "score",
                            "prompt": "How happy, 1 to 10?",
                            "type": "number",
                            "min": 1,
                            "max": 10,
                        },
                        {
                            "id": "why",
                            "prompt": "Why not?",
                            "type": "long_text",
                            "required": False,
                            "when": {"question": "ready", "equals": False},
                        },
                    ],
                },
                {
                    "id": "plan",
                    "title": "Plan",
                    "questions": [
                        {"id": "first", "prompt": "First step?"},
                        {"id": "actions", "prompt": "Actions?", "type": "actions"},
                        {"id": "followup", "prompt": "Meet again?", "type": "followup"},
                    ],
                },
            ],
        }
    )


def fill(sheet: str, question_id: str, text: str) -> str:
    """Type ``text`` under the question's instruction, as a person would in an editor."""
    lines = sheet.split("\n")
    start = next(n for n, line in enumerate(lines) if line.endswith(f"{{#{question_id}}}"))
    instruction = next(n for n in range(start + 1, len(lines)) if lines[n].startswith("*"))
    lines[instruction + 1 : instruction + 1] = ["", text]
    return "\n".join(lines)


def tick(sheet: str, question_id: str, label: str, mark: str = "x") -> str:
    """Put ``mark`` in the box of ``label`` under the question."""
    start = sheet.index(f"{{#{question_id}}}")
    box = re.compile(r"- \[ \] " + re.escape(label) + r"$", re.MULTILINE)
    found = box.search(sheet, start)
    assert found, f"no box {label!r} under {question_id}"
    return sheet[: found.start()] + f"- [{mark}] {label}" + sheet[found.end() :]


def fill_markdown(sheet: str, answers: dict[str, Any]) -> str:
    """A Markdown sheet with ``answers`` written in: text typed, boxes ticked."""
    for qid, value in answers.items():
        if isinstance(value, list):
            for item in value:
                sheet = tick(sheet, qid, item)
        elif qid == "career_direction":
            sheet = tick(sheet, qid, value)
        else:
            sheet = fill(sheet, qid, value)
    return sheet


def fill_yaml(sheet: str, answers: dict[str, Any]) -> str:
    """A YAML sheet with ``answers`` written after their keys, the way the comments say."""
    for qid, value in answers.items():
        if isinstance(value, list):
            new = f"  {qid}: [{', '.join(value)}]"
        elif "\n" in value or f"  {qid}: |" in sheet:
            body = "\n".join(f"    {line}" if line else "" for line in value.split("\n"))
            sheet = sheet.replace(f"  {qid}: |\n", f"  {qid}: |\n{body}\n", 1)
            continue
        else:
            new = f"  {qid}: {value}"
        sheet = re.sub(rf"^  {qid}:$", new, sheet, count=1, flags=re.MULTILINE)
    return sheet


# --------------------------------------------------------------------------- --prep and reflect


#: A small framework with a text, a select, a confirm and a number question before the plan.
CHAT: dict[str, Any] = {
    "id": "chat",
    "name": "Chat",
    "version": "1.0",
    "stages": [
        {
            "id": "think",
            "title": "Think",
            "purpose": "Where you are.",
            "questions": [
                {"id": "mood", "prompt": "How are things?"},
                {
                    "id": "direction",
                    "prompt": "Which way?",
                    "type": "select",
                    "choices": ["Stay", "Grow", "Move"],
                },
                {"id": "ready", "prompt": "Ready for more?", "type": "confirm"},
                {
                    "id": "score",
                    "prompt": "How happy, 1 to 10?",
                    "type": "number",
                    "min": 1,
                    "max": 10,
                },
            ],
        },
        {
            "id": "plan",
            "title": "Plan",
            "questions": [
                {"id": "first", "prompt": "First step?"},
                {"id": "followup", "prompt": "Meet again?", "type": "followup"},
            ],
        },
    ],
}


def write_chat(tmp_path: Path) -> Path:
    """:data:`CHAT` as a framework file."""
    import yaml

    path = tmp_path / "chat.yaml"
    path.write_text(yaml.safe_dump(CHAT, sort_keys=False), encoding="utf-8")
    return path


def sheet(tmp_path: Path, framework: Path, person: str = "Sam Lee", **answers: str) -> Path:
    """A Markdown sheet from 'topcli prep', filled in by the person; ``score="11"`` is not a
    valid answer (kept as text)."""
    from helpers import cli

    path = tmp_path / "sam-prep.md"
    result = cli("prep", person, "-f", str(framework), "-o", str(path))
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    for qid, value in answers.items():
        text = tick(text, qid, value) if qid in ("direction", "ready") else fill(text, qid, value)
    path.write_text(text, encoding="utf-8")
    return path


def stored() -> Any:
    """The latest conversation in the test's store."""
    from topcli.store import Store

    store = Store()
    row = store.latest_session_row()
    assert row is not None
    return store.load(row["id"])
