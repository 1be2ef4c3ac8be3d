"""``topcli config``: list, get, set, unset, path and edit through the real CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from helpers import run_cli


@pytest.fixture
def cfg(home: Path) -> Path:
    return home / "config.toml"


def test_list_shows_every_key_value_and_source(cfg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg.parent.mkdir(parents=True)
    cfg.write_text('# mine\nfollowup_interval = "6w"\n')
    monkeypatch.setenv("TOPCLI_REMIND", "2h")
    result = run_cli(["config", "list"])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.output.splitlines()]
    assert rows[0] == ["key", "value", "from"]
    by_key = {row[0]: row[1:] for row in rows[1:]}
    assert by_key["followup_interval"] == ["6w", f"{cfg}:2"]
    assert by_key["remind"] == ["2h", "env TOPCLI_REMIND"]
    assert by_key["framework"] == ["top", "default"]
    assert len(by_key) == 10


def test_list_json(home: Path) -> None:
    result = run_cli(["config", "list", "--json"])
    data = json.loads(result.output)
    assert {d["key"] for d in data} >= {"framework", "editor", "leader"}
    assert data[0] == {
        "key": "framework",
        "value": "top",
        "kind": "default",
        "source": "default",
        "env": "TOPCLI_FRAMEWORK",
        "description": "Framework for new conversations (id or path).",
    }


def test_set_get_unset(cfg: Path) -> None:
    assert run_cli(["config", "set", "remind", "2 hours"]).exit_code == 0
    assert cfg.read_text() == 'remind = "2h"\n'
    result = run_cli(["config", "get", "remind"])
    assert (result.exit_code, result.output) == (0, "2h\n")
    assert run_cli(["config", "unset", "remind"]).exit_code == 0
    assert run_cli(["config", "get", "remind"]).output == "1d\n"


def test_get_of_an_unset_key_prints_nothing_and_exits_1(home: Path) -> None:
    result = run_cli(["config", "get", "leader"])
    assert (result.exit_code, result.output) == (1, "")


def test_set_a_bad_value_is_a_usage_error_with_a_hint(cfg: Path) -> None:
    result = run_cli(["config", "set", "remind", "1m"])
    assert result.exit_code == 2
    assert "error: remind: '1m' is ambiguous: write '1min' for minutes or '1mo'" in result.output
    assert not cfg.exists()


def test_unknown_key_did_you_mean(home: Path) -> None:
    result = run_cli(["config", "get", "remnd"])
    assert result.exit_code == 2
    assert "unknown setting 'remnd'; did you mean 'remind'?" in result.output


def test_path_help_and_version_work_with_a_broken_file(cfg: Path) -> None:
    cfg.parent.mkdir(parents=True)
    cfg.write_text("this is [not toml\n")
    assert run_cli(["config", "path"]).output == f"{cfg}\n"
    assert run_cli(["--help"]).exit_code == 0
    assert run_cli(["--version"]).exit_code == 0
    assert run_cli(["config", "--help"]).exit_code == 0
    result = run_cli(["config", "list"])
    assert result.exit_code == 2
    assert f"error: {cfg}:1:" in result.output
    assert "Traceback" not in result.output


FIXER = """\
import sys
path = sys.argv[-1]
text = open(path, encoding="utf-8").read()
open(path, "w", encoding="utf-8").write(text.replace({old!r}, {new!r}))
"""


def fixer(tmp_path: Path, old: str, new: str) -> str:
    script = tmp_path / "fixer.py"
    script.write_text(FIXER.format(old=old, new=new))
    return f"{sys.executable} {script}"


def test_edit_opens_a_broken_file_and_checks_it_afterwards(
    cfg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg.parent.mkdir(parents=True)
    cfg.write_text("remind = 1m\n")
    monkeypatch.setenv("TOPCLI_EDITOR", fixer(tmp_path, "1m", '"1min"'))
    result = run_cli(["config", "edit"])
    assert result.exit_code == 0, result.output
    assert cfg.read_text() == 'remind = "1min"\n'
    assert "is valid" in result.output


def test_edit_reports_what_is_still_wrong(
    cfg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOPCLI_EDITOR", fixer(tmp_path, "# remind = ", "remind = 5 #"))
    result = run_cli(["config", "edit"])
    assert result.exit_code == 2
    assert "remind must be a string" in result.output
    assert "your edit is saved; run 'topcli config edit' again" in result.output


def test_edit_creates_a_private_template(
    cfg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOPCLI_EDITOR", fixer(tmp_path, "# leader = ", "leader = "))
    result = run_cli(["config", "edit"])
    assert result.exit_code == 2  # leader = "" is empty: refused, edit kept
    assert 'leader = ""' in cfg.read_text()
    assert oct(cfg.stat().st_mode & 0o777) == "0o600"
    assert oct(cfg.parent.stat().st_mode & 0o777) == "0o700"


def test_edit_without_an_editor_says_how_to_set_one(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("TOPCLI_EDITOR", "VISUAL", "EDITOR"):
        monkeypatch.delenv(name, raising=False)
    result = run_cli(["config", "edit"])
    assert result.exit_code == 1
    assert "error: no editor is set" in result.output
    assert "hint: set one with 'topcli config set editor" in result.output


LIGHT_PROBE = """
import sys
from topcli.cli import app
try:
    app({args!r}, prog_name="topcli")
except SystemExit:
    pass
heavy = ("rich", "questionary", "prompt_toolkit", "yaml", "icalendar", "jsonschema", "tomllib")
print("HEAVY:" + " ".join(m for m in heavy if m in sys.modules and m not in {allowed!r}))
"""


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (["config", "path"], ()),
        (["config", "get", "remind"], ("tomllib",)),
        (["config", "list"], ("tomllib",)),  # piped: plain, no rich
    ],
    ids=lambda a: " ".join(a) if a and isinstance(a[0], str) and " " not in a[0] else "",
)
def test_config_commands_stay_light(cfg: Path, args: list[str], allowed: tuple[str, ...]) -> None:
    import subprocess

    cfg.parent.mkdir(parents=True)
    cfg.write_text('remind = "2h"\n')
    code = LIGHT_PROBE.format(args=args, allowed=allowed)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines()[-1] == "HEAVY:"
