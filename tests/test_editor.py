"""The editor for long answers: which one, a private temp file, the comment block, failures."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest

from topcli import editor
from topcli.editor import SCISSORS, EditorError, edit_text

#: A fake editor: records what it saw (path, mode, text) in $FAKE_EDITOR_LOG, then replaces
#: "old" with "new" in the file's first line and exits with $FAKE_EDITOR_EXIT (0 by default).
FAKE = """\
import json, os, stat, sys
path = sys.argv[-1]
text = open(path, encoding="utf-8").read()
with open(os.environ["FAKE_EDITOR_LOG"], "w", encoding="utf-8") as log:
    json.dump({"args": sys.argv[1:], "path": path, "text": text,
               "mode": stat.S_IMODE(os.stat(path).st_mode)}, log)
first, _, rest = text.partition("\\n")
with open(path, "w", encoding="utf-8") as handle:
    handle.write(first.replace("old", "new") + "\\n# Heading kept\\n" + rest)
sys.exit(int(os.environ.get("FAKE_EDITOR_EXIT", "0")))
"""


@pytest.fixture
def fake_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$EDITOR set to the fake editor (as a shell-style command line); returns the log path."""
    script = tmp_path / "fake editor.py"
    script.write_text(FAKE, encoding="utf-8")
    log = tmp_path / "editor-log.json"
    for name in ("TOPCLI_EDITOR", "VISUAL", "EDITOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} -X utf8 '{script}'")
    monkeypatch.setenv("FAKE_EDITOR_LOG", str(log))
    return log


def test_edit_text_round_trip_with_question_as_comment(fake_editor: Path) -> None:
    result = edit_text("my old answer\nsecond line", comment="Where next?\nTake your time.")
    assert result == "my new answer\n# Heading kept\nsecond line"
    seen = json.loads(fake_editor.read_text())
    assert seen["mode"] == 0o600
    assert seen["path"].endswith(".md")
    assert seen["text"].startswith("my old answer\nsecond line\n" + SCISSORS + "\n")
    assert "# Where next?\n# Take your time.\n" in seen["text"]
    assert not Path(seen["path"]).exists()


def test_markdown_headings_in_the_answer_survive(fake_editor: Path) -> None:
    text = "# Goals\n\n## This year\n- lead a team"
    assert edit_text(text.replace("Goals", "old")) == text.replace("Goals", "new").replace(
        "\n\n##", "\n# Heading kept\n\n##"
    )


def test_suffix_is_used_for_syntax_highlighting(fake_editor: Path) -> None:
    edit_text("x", suffix=".yaml")
    assert json.loads(fake_editor.read_text())["path"].endswith(".yaml")


def test_non_zero_exit_keeps_the_old_text_and_removes_the_file(
    fake_editor: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_EDITOR_EXIT", "3")
    with pytest.raises(EditorError, match="exited with status 3; the text was not changed"):
        edit_text("old")
    assert not Path(json.loads(fake_editor.read_text())["path"]).exists()


def test_an_editor_that_does_not_exist_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISUAL", "no-such-editor-xyz --wait")
    with pytest.raises(EditorError, match=r"'no-such-editor-xyz' \(from \$VISUAL\) was not found"):
        edit_text("old")


def test_no_editor_says_how_to_set_one(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TOPCLI_EDITOR", "VISUAL", "EDITOR"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(EditorError, match="no editor is set") as caught:
        edit_text("old")
    assert "topcli config set editor" in (caught.value.hint or "")


@pytest.mark.parametrize(
    ("env", "in_file", "expected"),
    [
        ({"TOPCLI_EDITOR": "a", "VISUAL": "c", "EDITOR": "d"}, "b", (["a"], "env TOPCLI_EDITOR")),
        ({"VISUAL": "c", "EDITOR": "d"}, "b", (["b"], "config.toml:1")),
        ({"VISUAL": "c --wait", "EDITOR": "d"}, None, (["c", "--wait"], "$VISUAL")),
        ({"EDITOR": "'my editor' -w"}, None, (["my editor", "-w"], "$EDITOR")),
        ({"VISUAL": "", "EDITOR": "d"}, None, (["d"], "$EDITOR")),
    ],
)
def test_editor_precedence_is_gits(
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    in_file: str | None,
    expected: tuple[list[str], str],
) -> None:
    for name in ("TOPCLI_EDITOR", "VISUAL", "EDITOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if in_file:
        home.mkdir(parents=True, exist_ok=True)
        (home / "config.toml").write_text(f'editor = "{in_file}"\n')
    args, source = editor.editor_command()
    assert args == expected[0]
    assert expected[1] in source


def test_strip_without_scissors_keeps_everything() -> None:
    assert editor.strip_comments("# Title\ntext\r\n\n") == "# Title\ntext"


def test_temp_file_is_removed_when_the_editor_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.setenv("TOPCLI_EDITOR", "no-such-editor-xyz")
    with pytest.raises(EditorError):
        edit_text("secret")
    assert not list(tmp_path.glob("topcli-*"))
    assert stat.S_IMODE(tmp_path.stat().st_mode)  # the folder itself is untouched
