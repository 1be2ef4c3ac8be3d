"""Tab completion: driven the way bash, zsh and fish drive it (``_TOPCLI_COMPLETE`` and the words
typed so far), through the real command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import run_cli

FOLLOW = Path(__file__).parent / "data" / "followthrough"


def complete(line: str, shell: str = "bash") -> list[str]:
    """What the shell would offer after ``line`` (a trailing space: a new, empty word)."""
    import shlex

    from topcli.cli import app

    words = len(shlex.split(line)) + (1 if line.endswith(" ") else 0)
    env = {"_TOPCLI_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        env.update(COMP_WORDS=line, COMP_CWORD=str(words - 1))
    else:
        env.update(_TYPER_COMPLETE_ARGS=line, _TYPER_COMPLETE_FISH_ACTION="get-args")
    result = CliRunner().invoke(app, [], env=env, prog_name="topcli")
    assert result.exit_code == 0, result.output
    return [entry for entry in result.stdout.splitlines() if entry]


@pytest.fixture
def stored(home: Path) -> dict[str, str]:
    """Two people with a conversation each; their conversation ids by name."""
    for name in ("alex-first.yaml", "sam-first.yaml"):
        result = run_cli(["start", "--answers", str(FOLLOW / name), "--no-input"])
        assert result.exit_code == 0, result.output
    import json

    rows = json.loads(run_cli(["sessions", "list", "--json"]).stdout)
    return {row["person"]["name"]: row["id"] for row in rows}


# --- commands and options ---------------------------------------------------------------------


def test_commands_and_options_complete() -> None:
    assert complete("topcli ses") == ["sessions"]
    assert {"list", "show", "delete", "import"} <= set(complete("topcli sessions "))
    assert "--person" in complete("topcli followup --")
    assert "--within" in complete("topcli actions list --w")
    assert "--due-within" not in complete("topcli actions list --")


# --- values from the store --------------------------------------------------------------------


def test_person_names_complete_for_every_person_option_and_argument(
    stored: dict[str, str],
) -> None:
    for line in (
        "topcli history ",
        "topcli checkin ",
        "topcli prep ",
        "topcli followup --person ",
        "topcli actions list -p ",
        "topcli sessions list --person ",
        "topcli plan export --person ",
        "topcli start --person ",
    ):
        # bash puts a suggestion on the line as it is: the space is escaped
        assert complete(line) == ["Alex\\ Kim", "Sam\\ Lee"], line
    assert complete("topcli history S") == ["Sam\\ Lee"]
    assert complete("topcli history Sam\\ L") == ["Sam\\ Lee"]


def test_conversation_ids_complete(stored: dict[str, str]) -> None:
    ids = complete("topcli sessions show ")
    assert sorted(ids) == sorted(stored.values())
    one = stored["Sam Lee"]
    assert complete(f"topcli plan show {one[:3]}") == [one]


def test_action_ids_complete_open_ones_for_done_and_every_one_for_note(
    stored: dict[str, str],
) -> None:
    import json

    actions = json.loads(run_cli(["actions", "list", "--all", "--json"]).stdout)
    open_ids = sorted(a["id"] for a in actions if a["status"] == "open")
    assert sorted(complete("topcli actions done ")) == open_ids
    first = open_ids[0]
    run_cli(["actions", "done", first])
    assert first not in complete("topcli actions drop ")
    assert first in complete("topcli actions note ")


def test_zsh_and_fish_get_descriptions(stored: dict[str, str]) -> None:
    zsh = complete("topcli history ", shell="zsh")
    assert any('"Sam Lee"' in line and "\\" not in line for line in zsh)
    ids = complete("topcli sessions show ", shell="zsh")
    assert any(stored["Sam Lee"] in line and "Sam Lee, 2026-03-02" in line for line in ids)
    fish = complete("topcli history ", shell="fish")
    assert any(line.startswith("Sam Lee\t") for line in fish)


def test_framework_ids_exporters_and_settings_complete() -> None:
    assert complete("topcli start --framework ") == ["grow", "top"]
    assert complete("topcli frameworks show g") == ["grow"]
    assert {"ics", "json", "md"} <= set(complete("topcli plan export --format "))
    assert complete("topcli config get foll") == ["followup_interval"]


# --- never loud -------------------------------------------------------------------------------


def test_no_store_yet_completes_nothing_and_creates_nothing(home: Path) -> None:
    assert complete("topcli history ") == []
    assert complete("topcli sessions show ") == []
    assert not home.exists()


def test_a_broken_store_completes_nothing(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "topcli.db").write_text("not a database")
    assert complete("topcli history ") == []
    assert complete("topcli actions done ") == []


# --- the scripts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shell", "marker"),
    [("bash", "complete -o"), ("zsh", "#compdef topcli"), ("fish", "complete --command topcli")],
)
def test_show_completion_prints_each_shells_script(shell: str, marker: str) -> None:
    result = run_cli(["--show-completion", shell])
    assert result.exit_code == 0, result.output
    assert marker in result.stdout
    assert "_TOPCLI_COMPLETE" in result.stdout


def test_help_says_how_to_install_completion() -> None:
    assert "topcli --install-completion (bash, zsh or fish)" in run_cli(["--help"]).stdout


def test_an_unsupported_shell_is_a_clear_error() -> None:
    result = run_cli(["--show-completion", "tcsh"])
    assert result.exit_code == 2
    assert "completion is not available for the shell 'tcsh'" in result.stderr
    assert "bash, zsh or fish" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("detected", "shown"),
    [("zsh", "#compdef topcli"), (None, "cannot tell which shell this is"), ("tcsh", "'tcsh'")],
)
def test_without_a_shell_name_the_shell_in_use_is_detected(
    monkeypatch: pytest.MonkeyPatch, detected: str | None, shown: str
) -> None:
    import typer._completion_shared

    monkeypatch.setattr(typer._completion_shared, "_get_shell_name", lambda: detected)
    for args in (["--show-completion"], ["--show-completion", "--debug"]):
        result = run_cli(args)
        assert shown in (result.stdout if detected == "zsh" else result.stderr)
        assert result.exit_code == (0 if detected == "zsh" else 2)


def test_install_completion_writes_the_script_for_bash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(Path, "home", lambda: tmp_path)
    result = run_cli(["--install-completion", "bash"])
    assert result.exit_code == 0, result.output
    assert "bash completion installed" in result.stdout
    assert "_TOPCLI_COMPLETE" in (tmp_path / ".bash_completions" / "topcli.sh").read_text()
    assert "topcli.sh" in (tmp_path / ".bashrc").read_text()


def test_completion_through_the_installed_script(home: Path) -> None:
    """The real entry point, as the shell runs it (no CliRunner in between)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("_TOPCLI")}
    env.update(_TOPCLI_COMPLETE="complete_bash", COMP_WORDS="topcli fol", COMP_CWORD="1")
    topcli = str(Path(sys.executable).parent / "topcli")
    result = subprocess.run([topcli], env=env, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout.strip()) == (0, "followup")
