"""The ``framework`` setting names a framework topcli knows, and ``doctor`` checks the settings.

``config set framework`` is checked against the catalog (built-in and plugin ids, or an existing
file) before it is written; ``topcli doctor`` lists every problem of the config file and the
``TOPCLI_<KEY>`` variables, each with the command that fixes it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import cli, run_cli
from topcli.errors import ExitCode

FRAMEWORKS = Path(__file__).parents[1] / "frameworks"


@pytest.fixture
def cfg(home: Path) -> Path:
    return home / "config.toml"


def test_an_unknown_framework_is_refused_and_nothing_is_written(cfg: Path) -> None:
    result = run_cli(["config", "set", "framework", "nosuch"])
    assert result.exit_code == ExitCode.USAGE == 2
    assert "error: framework: unknown framework 'nosuch'" in result.output
    assert "available: grow, top" in result.output
    assert not cfg.exists()


def test_a_misspelled_framework_gets_a_suggestion(cfg: Path) -> None:
    result = run_cli(["config", "set", "framework", "tpo"])
    assert result.exit_code == 2
    assert "unknown framework 'tpo'; did you mean 'top'?" in result.output


def test_a_known_framework_id_is_written(cfg: Path) -> None:
    result = run_cli(["config", "set", "framework", "grow"])
    assert result.exit_code == 0, result.output
    assert cfg.read_text() == 'framework = "grow"\n'


def test_a_framework_file_is_written_as_an_absolute_path(
    cfg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(FRAMEWORKS.parent)
    result = run_cli(["config", "set", "framework", "frameworks/top.yaml"])
    assert result.exit_code == 0, result.output
    assert cfg.read_text() == f'framework = "{FRAMEWORKS / "top.yaml"}"\n'


def test_a_missing_framework_file_is_refused(cfg: Path, tmp_path: Path) -> None:
    result = run_cli(["config", "set", "framework", str(tmp_path / "mine.yaml")])
    assert result.exit_code == 2
    assert f"no framework file at '{tmp_path / 'mine.yaml'}'" in result.output
    assert not cfg.exists()


def doctor() -> tuple[int, str]:
    result = cli("doctor")
    return result.exit_code, result.stdout + result.stderr


def test_doctor_lists_every_problem_of_the_config_file_with_its_fix(cfg: Path) -> None:
    cfg.parent.mkdir(mode=0o700)
    cfg.write_text('framework = "nosuch"\nremind = "1m"\ncolor = "auto"\n')
    code, out = doctor()
    assert code == ExitCode.USAGE == 2, out
    assert f"problem  config: {cfg}:1: framework: unknown framework 'nosuch'" in out
    assert "fix: set a known one (topcli config set framework ID)" in out
    assert f"problem  config: {cfg}:2: remind: '1m' is ambiguous" in out
    assert "fix: set a valid value (topcli config set remind VALUE)" in out
    assert f"problem  config: {cfg}:3: unknown setting 'color'" in out
    assert "fix: remove it (topcli config unset color)" in out
    assert "error: 3 problems found" in out
    assert "Everything looks healthy." not in out


def test_doctor_names_the_place_of_a_toml_error(cfg: Path) -> None:
    cfg.parent.mkdir(mode=0o700)
    cfg.write_text('remind = "1d"\nframework = "top\n')
    code, out = doctor()
    assert code == 2, out
    assert f"problem  config: {cfg}:2:" in out and "not a valid TOML file" in out
    assert "fix: correct that line with 'topcli config edit'" in out


def test_doctor_checks_settings_from_the_environment(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOPCLI_REMIND", "2m")
    monkeypatch.setenv("TOPCLI_FRAMEWORK", "grwo")
    code, out = doctor()
    assert code == 2, out
    assert "problem  config: env TOPCLI_REMIND: '2m' is ambiguous" in out
    assert "env TOPCLI_FRAMEWORK: framework: unknown framework 'grwo'; did you mean 'grow'?" in out
    assert "fix: set TOPCLI_FRAMEWORK to a valid value, or remove it" in out


def test_doctor_is_healthy_with_a_valid_config_file(cfg: Path) -> None:
    assert run_cli(["config", "set", "framework", "grow"]).exit_code == 0
    code, out = doctor()
    assert code == 0, out
    assert f"ok       config: settings valid ({cfg})" in out
    # the config file beside the database does not make the data folder a shared one
    assert "folder 0700" in out


def test_doctor_without_a_config_file_says_the_defaults_apply(home: Path) -> None:
    code, out = doctor()
    assert code == 0, out
    assert "ok       config: no file (the defaults apply)" in out
