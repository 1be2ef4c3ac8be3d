"""Hostile files: only regular files within a size limit, bounded YAML aliases and nesting, JSON
answers parsed by ``json``. Each test fails when its protection is removed."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from topcli import limits
from topcli.errors import AnswerError, FrameworkError, ImportFileError, TopcliError
from topcli.loader import load_answers_file, load_framework
from topcli.safejson import check_nesting, depth, load_located
from topcli.transfer import import_file, parse_export

#: Every refusal here must come back this fast (they used to run for minutes, or forever).
QUICK = 5.0


def run(args: list[str], **kwargs: Any) -> Any:
    from topcli.cli import app

    return CliRunner().invoke(app, args, catch_exceptions=False, **kwargs)


def refused(result: Any, code: int) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    return result.stderr


def timed(call: Any, *args: Any, error: type[Exception] = TopcliError) -> TopcliError:
    started = time.monotonic()
    with pytest.raises(error) as caught:
        call(*args)
    assert time.monotonic() - started < QUICK
    return caught.value  # type: ignore[return-value]


def billion_laughs(levels: int = 9) -> str:
    """The classic alias bomb: each level repeats the one before nine times."""
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        refs = ",".join([f"*l{level - 1}"] * 9)
        lines.append(f"l{level}: &l{level} [{refs}]")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- what a path names


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    """A FIFO with no writer; without the protection, opening it would wait forever, so the
    test is stopped by an alarm instead of hanging the suite."""
    import signal

    def stop(signum: int, frame: Any) -> None:
        raise TimeoutError("blocked on a FIFO: read_limited must not wait for a writer")

    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(int(QUICK) * 2)
    yield path
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("loader", [load_answers_file, load_framework])
def test_dev_zero_is_refused_at_once_not_read_until_memory_runs_out(loader: Any) -> None:
    error = timed(loader, "/dev/zero")
    assert "/dev/zero: is a device; topcli reads only regular files" in error.message


@pytest.mark.parametrize("loader", [load_answers_file, load_framework])
def test_a_fifo_is_refused_without_waiting_for_a_writer(loader: Any, fifo: Path) -> None:
    error = timed(loader, fifo)
    assert "is a pipe (FIFO)" in error.message


def test_a_folder_is_refused(tmp_path: Path) -> None:
    error = timed(load_framework, tmp_path, error=FrameworkError)
    assert error.message == f"{tmp_path}: is a folder; topcli reads only regular files"


def test_a_file_over_the_size_limit_names_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:  # sparse: costs no disk
        stream.truncate(limits.MAX_DOCUMENT_BYTES + 1)
    error = timed(load_framework, path, error=FrameworkError)
    assert "larger than the 5 MB limit for a framework or answers file" in error.message


def test_the_read_stops_at_the_limit_even_if_the_size_lied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a file that grows while it is read: fstat says small, the read finds more
    path = tmp_path / "growing.json"
    path.write_bytes(b"x" * 2_000)
    with pytest.raises(ImportFileError, match="larger than the 1 kB limit"):
        _read_with_lying_size(path, monkeypatch)


def _read_with_lying_size(path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    real_fstat = os.fstat

    class Small:
        def __init__(self, info: os.stat_result) -> None:
            self.st_mode = info.st_mode
            self.st_size = 10

    monkeypatch.setattr(limits.os, "fstat", lambda fd: Small(real_fstat(fd)))
    return limits.read_limited(path, limit=1_000, error=ImportFileError)


def test_import_refuses_dev_zero_and_a_fifo(fifo: Path) -> None:
    for path in ("/dev/zero", str(fifo)):
        error = timed(import_file, path)
        assert "topcli reads only regular files" in error.message
        assert isinstance(error, ImportFileError)


def test_import_has_its_own_larger_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    with path.open("wb") as stream:
        stream.truncate(limits.MAX_IMPORT_BYTES + 1)
    error = timed(import_file, path)
    assert "larger than the 200 MB limit for an import file" in error.message


def test_import_from_stdin_reads_no_more_than_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_IMPORT_BYTES", 1_000)

    class Endless:
        def read(self, size: int = -1) -> bytes:
            assert size > 0, "an unbounded read of stdin"
            return b"0" * size

    monkeypatch.setattr("sys.stdin", type("Stdin", (), {"buffer": Endless()})())
    error = timed(import_file, "-")
    assert "<stdin>: larger than the 1 kB limit" in error.message


def test_cli_answers_from_dev_zero_exits_with_a_message() -> None:
    err = refused(run(["start", "--answers", "/dev/zero", "--no-input"]), 2)
    assert "error: /dev/zero: is a device" in err


def test_cli_framework_fifo_exits_with_a_message(fifo: Path) -> None:
    err = refused(run(["frameworks", "validate", str(fifo)]), 3)
    assert "is a pipe (FIFO)" in err


# ------------------------------------------------------------------ YAML aliases and nesting


def test_a_billion_laughs_answers_file_fails_fast_naming_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text("person: Sam\nanswers:\n" + "  " + billion_laughs().replace("\n", "\n  "))
    error = timed(load_answers_file, path, error=AnswerError)
    assert f"limit of {limits.MAX_YAML_ALIAS_NODES:,} values" in error.message
    assert error.message.startswith(f"{path}:")  # file:line:column of the alias
    assert error.message.split(":")[1].isdigit()


def test_a_billion_laughs_in_a_framework_description_fails_fast(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    bomb = billion_laughs().replace("\n", "\n  ")
    path.write_text(f"id: bomb\nname: Bomb\nx-bomb:\n  {bomb}\ndescription: *l8\nstages: []\n")
    error = timed(load_framework, path, error=FrameworkError)
    assert "alias bomb" in error.message


def test_many_cheap_aliases_are_limited_too(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    refs = ", ".join(["*a"] * (limits.MAX_YAML_ALIASES + 1))
    path.write_text(f"person: Sam\nanswers:\n  x: &a 1\n  y: [{refs}]\n")
    error = timed(load_answers_file, path, error=AnswerError)
    assert f"limit of {limits.MAX_YAML_ALIASES:,} aliases" in error.message


def test_ordinary_anchors_and_merge_keys_still_work(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(
        "person: Sam\nanswers:\n  base: &b {what: x, due: '2026-05-01'}\n"
        "  one: *b\n  two: {<<: *b, support: y}\n"
    )
    answers = load_answers_file(path)["answers"]
    assert answers["one"] == {"what": "x", "due": "2026-05-01"}
    assert answers["two"] == {"what": "x", "due": "2026-05-01", "support": "y"}


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text("person: Sam\nanswers:\n  goal: &a [*a]\n")
    error = timed(load_answers_file, path, error=AnswerError)
    assert error.message == f"{path}:3:13: an alias refers to the node that contains it"


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_deep_yaml_nesting_is_refused_with_its_place_not_a_recursion_error(
    tmp_path: Path, opening: str
) -> None:
    closing = "]" if opening == "[" else "}"
    path = tmp_path / "deep.yaml"
    path.write_text("person: Sam\nanswers:\n  goal: " + opening * 5_000 + closing * 5_000 + "\n")
    error = timed(load_answers_file, path, error=AnswerError)
    assert f"nested deeper than the limit of {limits.MAX_NESTING} levels" in error.message
    assert error.message.startswith(f"{path}:3:")


def test_aliases_of_aliases_cannot_nest_deeper_than_the_limit(tmp_path: Path) -> None:
    # each level is shallow in the text, but every alias adds the depth of what it names
    lines = ["person: Sam", "answers:", "  l0: &l0 " + "[" * 60 + "]" * 60]
    for level in range(1, 20):
        lines.append(f"  l{level}: &l{level} " + "[" * 30 + f"*l{level - 1}" + "]" * 30)
    path = tmp_path / "deep-aliases.yaml"
    path.write_text("\n".join(lines) + "\n")
    error = timed(load_answers_file, path, error=AnswerError)
    assert f"nested deeper than the limit of {limits.MAX_NESTING} levels" in error.message
    assert error.message.startswith(f"{path}:5:")  # l1 nests 92 levels, l2 would nest 122


def test_nesting_up_to_the_limit_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    inner = limits.MAX_NESTING - 2  # the document and 'answers' are two levels
    path.write_text("person: Sam\nanswers:\n  goal: " + "[" * inner + "]" * inner + "\n")
    assert depth(load_answers_file(path)["answers"]) == limits.MAX_NESTING - 1


def test_deep_framework_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("id: deep\ndescription: " + "[" * 3_000 + "]" * 3_000 + "\n")
    error = timed(load_framework, path, error=FrameworkError)
    assert error.location is not None and error.location.startswith(f"{path}:2:")


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029", "\r"])
def test_a_raw_yaml_line_break_is_refused_not_folded(tmp_path: Path, char: str) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(f'person: Sam\nanswers:\n  goal: "a{char}b"\n', encoding="utf-8")
    error = timed(load_answers_file, path, error=AnswerError)
    assert error.message.startswith(f"{path}:3:11: a raw U+{ord(char):04X} line break")
    assert error.hint is not None and "inside double quotes" in error.hint


def test_yaml_escapes_for_those_line_breaks_are_kept_exactly(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text('person: Sam\nanswers:\n  goal: "a\\Nb\\Lc\\Pd\\re"\n', encoding="utf-8")
    assert load_answers_file(path)["answers"]["goal"] == "a\x85b\u2028c\u2029d\re"


def test_crlf_line_ends_are_still_fine(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_bytes(b"person: Sam\r\nanswers:\r\n  goal: a\r\n")
    assert load_answers_file(path)["answers"] == {"goal": "a"}


# --------------------------------------------------------------------------- JSON answers files


def write_json(tmp_path: Path, document: Any, name: str = "answers.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_json_answers_with_surrogate_pair_escapes_are_read(tmp_path: Path) -> None:
    path = write_json(tmp_path, {"person": "Sam", "answers": {"goal": "grin \U0001f600"}})
    assert "\\ud83d\\ude00" in path.read_text()  # what json.dumps writes
    assert load_answers_file(path)["answers"]["goal"] == "grin \U0001f600"


def test_json_answers_keep_characters_yaml_refuses_or_folds(tmp_path: Path) -> None:
    text = "del\x7f c1\x80\x9f nonchar\ufffe nel\x85 ls\u2028 ps\u2029 bom\ufeff"
    path = tmp_path / "answers.json"
    raw = json.dumps({"person": "Sam", "answers": {"goal": text}}, ensure_ascii=False)
    path.write_text(raw, encoding="utf-8")
    assert load_answers_file(path)["answers"]["goal"] == text


def test_a_json_answers_file_may_start_with_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"person": "Sam"}).encode())
    assert load_answers_file(path)["person"] == "Sam"


def test_json_syntax_errors_give_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text('{"person": "Sam",\n  "answers": {"goal": }}\n')
    error = timed(load_answers_file, path, error=AnswerError)
    assert error.message.startswith(f"{path}:2:23: not valid JSON: Expecting value")


def test_json_unknown_keys_and_question_ids_keep_their_place(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text('{"person": "Sam",\n  "answerz": {}}\n')
    error = timed(load_answers_file, path, error=AnswerError)
    assert error.message.startswith(f"{path}:2:3: unknown key 'answerz'")
    nested = load_located(
        '{"a": [{"x": 1}, {"y": {"z": 2}}],\n "b": {"w": 3}}', source="f", error=AnswerError
    )
    assert nested.key_marks == {"a": (1, 2), "b": (2, 2)}
    assert nested["a"][1]["y"].key_marks == {"z": (1, 25)}
    assert nested["b"].mark == (2, 7)


def test_json_duplicate_keys_are_refused_at_the_second(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text('{"person": "Sam",\n "answers": {"goal": "a",\n   "goal": "b"}}\n')
    error = timed(load_answers_file, path, error=AnswerError)
    assert error.message == f"{path}:3:4: the key 'goal' appears twice in one object"


def test_json_nan_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text('{"person": "Sam", "answers": {"n": NaN}}')
    error = timed(load_answers_file, path, error=AnswerError)
    assert "NaN is not a JSON number" in error.message


def test_deep_json_answers_are_refused_with_their_place(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text('{"person": "Sam",\n "answers": {"goal": ' + "[" * 100_000 + "]" * 100_000)
    error = timed(load_answers_file, path, error=AnswerError)
    assert error.message == (
        # the object, 'answers', then the bracket that is one level too many, from column 22
        f"{path}:2:{22 + limits.MAX_NESTING - 2}: nested deeper than the limit of "
        f"{limits.MAX_NESTING} levels of lists and mappings"
    )


def test_brackets_inside_json_strings_do_not_count_as_nesting(tmp_path: Path) -> None:
    text = "[[[{{" * 1_000 + '\\"'
    path = write_json(tmp_path, {"person": "Sam", "answers": {"goal": text}})
    assert load_answers_file(path)["answers"]["goal"] == text


def test_the_cli_runs_a_json_answers_file_with_an_emoji_escape(tmp_path: Path) -> None:
    from topcli.store import Store

    data = Path(__file__).resolve().parent / "data" / "core" / "answers-grow.json"
    document = json.loads(data.read_text())
    document["answers"]["session_goal"] = "A clear next step \U0001f680"
    path = write_json(tmp_path, document, "grow.json")
    result = run(["start", "--answers", str(path), "--no-input"])
    assert result.exit_code == 0, result.output
    store = Store()
    [row] = store.session_rows()
    assert store.load(row["id"]).answers["session_goal"] == "A clear next step \U0001f680"


# --------------------------------------------------------------------------- import files


@pytest.mark.parametrize("size", [200, 100_000])
def test_deep_import_json_is_refused_not_a_recursion_error(size: int) -> None:
    text = '{"schema_version": 1,\n "sessions": ' + "[" * size + "]" * size + "}"
    error = timed(lambda: parse_export(text, source="deep.json"), error=ImportFileError)
    assert error.message.startswith("deep.json:2:")
    assert f"limit of {limits.MAX_NESTING} levels" in error.message


def test_check_nesting_passes_shallow_documents_through() -> None:
    text = json.dumps({"a": [[1], {"b": [2]}]})
    value = check_nesting(lambda: json.loads(text), text, source="s", error=ImportFileError)
    assert value == {"a": [[1], {"b": [2]}]}
    assert depth(value) == 4 and depth(1) == 0


# --------------------------------------------------------------------------- through the CLI


def test_cli_import_of_dev_zero_and_deep_json_exit_8(tmp_path: Path) -> None:
    err = refused(run(["sessions", "import", "/dev/zero"]), 8)
    assert "/dev/zero: is a device" in err
    deep = tmp_path / "deep.json"
    deep.write_text('{"schema_version": 1, "sessions": ' + "[" * 50_000 + "]" * 50_000 + "}")
    err = refused(run(["sessions", "import", str(deep)]), 8)
    assert f"{deep}:1:" in err and "levels of lists and mappings" in err


def test_cli_start_with_an_alias_bomb_or_deep_answers_exits_2_quickly(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("person: Sam\nanswers:\n  " + billion_laughs().replace("\n", "\n  "))
    deep = tmp_path / "deep.json"
    deep.write_text('{"person": "Sam", "answers": {"goal": ' + "[" * 50_000 + "]" * 50_000 + "}}")
    for path, limit in ((bomb, "alias bomb"), (deep, "levels of lists and mappings")):
        started = time.monotonic()
        err = refused(run(["start", "--answers", str(path), "--no-input"]), 2)
        assert time.monotonic() - started < QUICK
        assert f"error: {path}:" in err and limit in err


# --------------------------------------------------------------------------- JSON frameworks


def test_a_json_framework_is_parsed_by_json_with_places_and_version_text(tmp_path: Path) -> None:
    document = {
        "id": "json-fw",
        "name": "Launch \U0001f680",
        "version": 1.5,
        "stages": [{"id": "one", "title": "One", "questions": [{"id": "a", "prompt": "A?"}]}],
    }
    path = tmp_path / "fw.json"
    path.write_text(json.dumps(document, indent=2).replace('"version": 1.5', '"version": 1.10'))
    assert "\\ud83d\\ude80" in path.read_text()
    framework = load_framework(path)
    assert framework.name == "Launch \U0001f680" and framework.version == "1.10"
    document["stages"][0]["questions"][0]["typo"] = 1  # type: ignore[index]
    path.write_text(json.dumps(document, indent=2))
    error = timed(load_framework, path, error=FrameworkError)
    assert error.message.startswith(f"{path}:13:11: unknown key 'typo'")


def test_a_json_framework_nested_too_deep_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fw.json"
    path.write_text('{"id": "x", "description": ' + "[" * 10_000 + "]" * 10_000 + "}")
    error = timed(load_framework, path, error=FrameworkError)
    assert "levels of lists and mappings" in error.message
