"""Property: any Unicode text as an answer either comes through an answers file exactly, or is
refused with a clear :class:`TopcliError`; never another exception, never silently changed."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from topcli.answers_file import prepare_answers
from topcli.errors import TopcliError
from topcli.framework import Question
from topcli.loader import load_answers_file

TODAY = date(2026, 3, 2)

#: The characters that have broken answers files before, mixed into arbitrary Unicode text
#: (surrogates included: hypothesis leaves them out unless asked).
AWKWARD = [
    "\ud83d",  # half of a surrogate pair
    "\ude00",
    "\U0001f600",  # written by json.dumps as a surrogate pair escape
    "\x00",
    "\x85",  # NEL
    "\u2028",  # LINE SEPARATOR
    "\u2029",
    "\ufeff",  # BOM
    "\ufffe",
    "\r",
    "\r\n",
    "\n",
    "\t",
    "\x7f",
    "\x80",
    "\x9b",
    "\x1b[2J",
    " ",
    "\\",
    '"',
    "#",
    ": ",
    "- ",
    "&a",
    "*a",
]
TEXT = st.lists(
    st.one_of(st.sampled_from(AWKWARD), st.text(st.characters(exclude_categories=()))),
    max_size=8,
).map("".join)

QUESTIONS = {
    "text": Question(id="goal", prompt="Goal?", type="text", required=False),
    "long_text": Question(id="goal", prompt="Goal?", type="long_text", required=False),
    "actions": Question(id="goal", prompt="Actions?", type="actions", required=False),
}


def as_answer(kind: str, text: str) -> Any:
    if kind == "actions":
        return [{"what": text or "x", "due": "2026-04-01", "success": text, "support": text}]
    return text


def write(folder: Path, form: str, document: dict[str, Any]) -> Path:
    if form.startswith("yaml"):
        path = folder / "answers.yaml"
        text = yaml.safe_dump(document, allow_unicode=form == "yaml-utf8")
    else:
        path = folder / "answers.json"
        text = json.dumps(document, ensure_ascii=form == "json-ascii")
    # lone surrogates can only be written as invalid UTF-8: the reader must refuse that cleanly
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    return path


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=TEXT,
    kind=st.sampled_from(sorted(QUESTIONS)),
    form=st.sampled_from(["json-ascii", "json-utf8", "yaml-ascii", "yaml-utf8"]),
)
def test_any_text_round_trips_exactly_or_is_refused_clearly(
    text: str, kind: str, form: str
) -> None:
    question = QUESTIONS[kind]
    value = as_answer(kind, text)
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), form, {"person": "Sam", "answers": {"goal": value}})
        try:
            loaded = load_answers_file(path)["answers"]
            parsed, _missing = prepare_answers([question], loaded, TODAY, str(path))
        except TopcliError as exc:
            event(f"refused: {exc.message.split(': ', 2)[-1][:40]}")
            assert exc.message.strip(), "a refusal says why"
            assert str(path) in exc.message, "a refusal names the file"
            return
    event(f"accepted ({form})")
    if form == "json-ascii":
        # JSON's own rule: two escaped halves of a surrogate pair are one character, so what the
        # file says is the joined text (a lone half stays refused above)
        value = json.loads(json.dumps(value))
    # accepted: the file changed nothing, so the answer is what the same value typed would give
    assert loaded["goal"] == value
    try:
        expected = question.parse(value, today=TODAY)
    except TopcliError:
        raise AssertionError("the file accepted what the question refuses") from None
    assert parsed.get("goal") == expected
