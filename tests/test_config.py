"""The config model: precedence, validation with file:line, and line-wise editing of the file."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest

from topcli import config, config_file
from topcli.config import ConfigError, resolve


@pytest.fixture
def cfg(home: Path) -> Path:
    """The config file path of the hermetic home (TOPCLI_HOME/config.toml)."""
    return home / "config.toml"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_path_follows_topcli_home_then_topcli_config(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert config.config_path() == home / "config.toml"
    monkeypatch.setenv("TOPCLI_CONFIG", str(tmp_path / "elsewhere.toml"))
    assert config.config_path() == tmp_path / "elsewhere.toml"


def test_path_without_overrides_is_the_platform_config_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import platformdirs

    monkeypatch.delenv("TOPCLI_HOME")
    expected = platformdirs.user_config_path("topcli", appauthor=False) / "config.toml"
    assert config.config_path() == expected


# flag > env > config > default, for each key (table-driven)
PRECEDENCE = [
    # (key, flag, env, file value, expected value, expected kind)
    ("remind", "2h", "3h", "4h", "2h", "flag"),
    ("remind", None, "3h", "4h", "3h", "env"),
    ("remind", None, None, "4h", "4h", "config"),
    ("remind", None, None, None, "1d", "default"),
    ("framework", None, None, None, "top", "default"),
    ("framework", None, "mine", "other", "mine", "env"),
    ("followup_interval", None, None, "6 weeks", "6w", "config"),
    ("followup_interval", None, None, None, "3mo", "default"),
    ("meeting_time", "9:30", None, "11:00", "09:30", "flag"),
    ("meeting_time", None, None, None, "10:00", "default"),
    ("duration", None, "1h", None, "1h", "env"),
    ("duration", None, None, None, "45min", "default"),
    ("timezone", None, None, "Europe/Paris", "Europe/Paris", "config"),
    ("timezone", None, None, None, "local", "default"),
    ("editor", None, None, "code --wait", "code --wait", "config"),
    ("editor", None, None, None, None, "default"),
    ("pager", None, "most", None, "most", "env"),
    ("leader", None, None, "Ann", "Ann", "config"),
    ("leader", None, None, None, None, "default"),
]


@pytest.mark.parametrize(("key", "flag", "env", "in_file", "expected", "kind"), PRECEDENCE)
def test_precedence_flag_env_config_default(
    cfg: Path,
    monkeypatch: pytest.MonkeyPatch,
    key: str,
    flag: str | None,
    env: str | None,
    in_file: str | None,
    expected: str | None,
    kind: str,
) -> None:
    if env is not None:
        monkeypatch.setenv(config.KEYS[key].env, env)
    if in_file is not None:
        write(cfg, f'# my settings\n\n{key} = "{in_file}"\n')
    setting = resolve(key, flag)
    assert (setting.value, setting.kind) == (expected, kind)
    expected_source = {
        "flag": "flag",
        "env": f"env {config.KEYS[key].env}",
        "config": f"{cfg}:3",
        "default": "default",
    }[kind]
    assert setting.source == expected_source


def test_every_key_has_an_env_var_description_and_valid_default() -> None:
    for key in config.KEYS.values():
        assert key.env == "TOPCLI_" + key.name.upper()
        assert key.description.endswith(".")
        if key.default is not None:
            assert key.validate(key.default) == key.default
        else:
            assert key.default_note


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("remind", "1m", "'1min' for minutes or '1mo' for months"),
        ("duration", "3mo", "'mo' is not a unit here; use one of min, h"),
        ("followup_interval", "soon", "not a number followed by a unit"),
        ("followup_interval", "0w", "more than zero"),
        ("meeting_time", "25:00", "HH:MM"),
        ("meeting_time", "10h", "HH:MM"),
        ("timezone", "Europe/Pari", "did you mean 'Europe/Paris'?"),
        ("editor", 'code "--wait', "check its quotes"),
        ("leader", "   ", "must not be empty"),
    ],
)
def test_bad_values_are_refused_with_how_to_write_them(key: str, value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("?", r"\?").replace("(", r"\(")):
        config.KEYS[key].validate(value)


@pytest.mark.parametrize(
    ("value", "normal"), [("45 minutes", "45min"), ("2 Weeks", "2w"), ("1 year", "1y")]
)
def test_durations_accept_full_words(value: str, normal: str) -> None:
    units = ("min", "h", "d", "w", "mo", "y")
    assert config.duration_validator(units)(value) == normal


def test_remind_accepts_zero_for_none() -> None:
    assert resolve("remind", "0min").value == "0min"


def test_a_bad_value_in_the_file_names_the_file_and_line(cfg: Path) -> None:
    write(cfg, '# settings\nframework = "top"\n\nremind = "1m"\n')
    with pytest.raises(ConfigError) as caught:
        resolve("framework")
    assert caught.value.location == f"{cfg}:4"
    assert "'1min' for minutes" in str(caught.value)


def test_a_wrong_type_names_the_line_and_how_to_quote(cfg: Path) -> None:
    write(cfg, "duration = 45\n")
    with pytest.raises(ConfigError, match=r"config.toml:1: duration must be a string") as caught:
        resolve("duration")
    assert caught.value.hint == 'write it as duration = "45min"'


def test_an_unknown_key_suggests_the_closest(cfg: Path) -> None:
    write(cfg, 'remind = "1d"\n"framwork" = "top"\n')
    with pytest.raises(
        ConfigError, match=r":2: unknown setting 'framwork'; did you mean 'framework'"
    ):
        resolve("remind")


def test_a_table_is_an_unknown_key_at_its_header(cfg: Path) -> None:
    write(cfg, 'remind = "1d"\n\n[calendar]\nduration = "1h"\n')
    with pytest.raises(ConfigError, match=r":3: unknown setting 'calendar'"):
        resolve("remind")


def test_a_file_that_is_not_toml_gives_line_and_column(cfg: Path) -> None:
    write(cfg, 'remind = "1d"\nduration = 45min\n')
    with pytest.raises(ConfigError, match=r"config\.toml:2:\d+: not a valid TOML file") as caught:
        resolve("remind")
    assert "topcli config edit" in (caught.value.hint or "")
    assert caught.value.exit_code == 2


def test_an_unfinished_file_points_at_its_last_line(cfg: Path) -> None:
    write(cfg, 'remind = "1d"\nfoo = [1,\n')
    with pytest.raises(ConfigError, match=r"config\.toml:2: not a valid TOML file"):
        resolve("remind")


def test_a_broken_file_is_skipped_when_not_strict(cfg: Path) -> None:
    write(cfg, "this is not toml\n")
    assert resolve("remind", strict=False).kind == "default"


def test_bad_env_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOPCLI_REMIND", "1m")
    with pytest.raises(ConfigError, match="remind from TOPCLI_REMIND: '1m' is ambiguous"):
        resolve("remind")


def test_unknown_key_asked_for_suggests(home: Path) -> None:
    with pytest.raises(ConfigError, match="did you mean 'remind'"):
        resolve("remnd")


def test_the_file_is_reread_after_it_changes(cfg: Path) -> None:
    write(cfg, 'remind = "1d"\n')
    assert resolve("remind").value == "1d"
    write(cfg, 'remind = "2d"   \n')
    assert resolve("remind").value == "2d"


def test_nothing_reads_the_file_at_import() -> None:
    import subprocess
    import sys

    code = "import sys, topcli.config, topcli.cli; print('tomllib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- writing ----------------------------------------------------------------------------------


def test_set_creates_a_private_file_in_a_private_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "new" / "deeper" / "config.toml"
    monkeypatch.setenv("TOPCLI_CONFIG", str(target))
    before = stat.S_IMODE(tmp_path.stat().st_mode)
    config_file.set_value("remind", "2 hours")
    assert target.read_text() == 'remind = "2h"\n'
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    for folder in (target.parent, target.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(tmp_path.stat().st_mode) == before  # not topcli's folder: left alone


def test_set_keeps_comments_order_and_other_lines(cfg: Path) -> None:
    original = (
        "# my defaults\n"
        'framework = "top"\n'
        'remind = "1d"  # a day before\n'
        "\n"
        "# a note\n"
        'leader = "Ann"\n'
    )
    write(cfg, original)
    config_file.set_value("remind", "2h")
    config_file.set_value("pager", "less -R")
    assert cfg.read_text() == original.replace('"1d"  #', '"2h"  #') + 'pager = "less -R"\n'


def test_set_puts_a_new_key_before_the_first_table(cfg: Path) -> None:
    write(cfg, 'remind = "1d"\n\n[extra]\nx = 1\n')
    config_file.set_value("duration", "1h")
    assert cfg.read_text() == 'remind = "1d"\nduration = "1h"\n\n[extra]\nx = 1\n'


def test_set_replaces_a_multi_line_value_whole(cfg: Path) -> None:
    write(cfg, 'leader = """Ann\nBee"""\nremind = "1d"\n')
    config_file.set_value("leader", "Cy")
    assert cfg.read_text() == 'leader = "Cy"\nremind = "1d"\n'


def test_set_escapes_quotes_and_backslashes(cfg: Path) -> None:
    config_file.set_value("leader", 'Ann "the boss" \\o/')
    assert tomllib.loads(cfg.read_text())["leader"] == 'Ann "the boss" \\o/'
    assert resolve("leader").value == 'Ann "the boss" \\o/'


def test_set_refuses_a_bad_value_and_leaves_the_file(cfg: Path) -> None:
    write(cfg, 'remind = "1d"\n')
    with pytest.raises(ConfigError, match="ambiguous"):
        config_file.set_value("remind", "1m")
    assert cfg.read_text() == 'remind = "1d"\n'


def test_set_refuses_to_edit_a_file_that_is_not_toml(cfg: Path) -> None:
    write(cfg, "remind = [\n")
    with pytest.raises(ConfigError, match="not a valid TOML file"):
        config_file.set_value("remind", "1d")
    assert cfg.read_text() == "remind = [\n"


def test_set_fixes_one_key_while_another_is_wrong(cfg: Path) -> None:
    write(cfg, 'remind = "1m"\nduration = "1h"\n')
    config_file.set_value("remind", "1min")
    assert resolve("duration").value == "1h"


def test_set_keeps_an_existing_files_mode_and_writes_through_a_symlink(
    cfg: Path, tmp_path: Path
) -> None:
    real = write(tmp_path / "dotfiles" / "topcli.toml", 'remind = "1d"\n')
    real.chmod(0o640)
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.symlink_to(real)
    config_file.set_value("remind", "2d")
    assert cfg.is_symlink()
    assert real.read_text() == 'remind = "2d"\n'
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_unset_removes_only_that_key_even_an_unknown_one(cfg: Path) -> None:
    write(cfg, '# top\nremind = "1d"\nframwork = "x"\nleader = "Ann"\n')
    assert config_file.unset_value("framwork")
    assert config_file.unset_value("remind")
    assert not config_file.unset_value("remind")
    assert cfg.read_text() == '# top\nleader = "Ann"\n'
    with pytest.raises(ConfigError, match="did you mean"):
        config_file.unset_value("remnd")


def test_template_is_valid_and_lists_every_key() -> None:
    text = config_file.template()
    assert tomllib.loads(text) == {}
    for name in config.KEYS:
        assert f"# {name} = " in text
        # uncommenting a line gives a valid setting
        line = next(line for line in text.splitlines() if line.startswith(f"# {name} = "))
        if '""' not in line:
            parsed = config.parse(line[2:] + "\n", Path("t.toml"))
            assert name in parsed.values


# --- the documentation stays true -------------------------------------------------------------

DOC = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def test_docs_list_every_key_with_its_default_and_variable() -> None:
    import re

    rows = {
        match.group(1): (match.group(2).strip(), match.group(3))
        for match in re.finditer(
            r"^\| `(\w+)`\s*\| ([^|]+)\| `(TOPCLI_\w+)`", DOC.read_text(), re.M
        )
    }
    assert set(rows) == set(config.KEYS)
    for name, (default, env) in rows.items():
        key = config.KEYS[name]
        assert env == key.env
        assert default == (f"`{key.default}`" if key.default else "(not set)")


def test_docs_example_file_is_valid() -> None:
    import re

    example = re.search(r"```toml\n(.*?)```", DOC.read_text(), re.S)
    assert example
    parsed = config.parse(example.group(1), Path("example.toml"))
    assert set(parsed.values) == set(config.KEYS)


def test_a_bad_flag_value_names_the_flag() -> None:
    with pytest.raises(ConfigError, match="remind from --remind: '1m' is ambiguous"):
        resolve("remind", "1m", flag_name="--remind")
    assert resolve("remind", "2h", flag_name="--remind").source == "--remind"


def test_zone_turns_a_timezone_value_into_a_tzinfo() -> None:
    from datetime import datetime

    assert str(config.zone("Europe/Paris")) == "Europe/Paris"
    assert datetime(2026, 1, 1, tzinfo=config.zone("local")).utcoffset() is not None
