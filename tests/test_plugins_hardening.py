"""Plugins that misbehave beyond raising: exiting, printing, raising ``BaseException``, hanging.

Each is skipped (or, for an exporter, refused with an export error) with a message naming it;
none can make a command look successful having done nothing, or corrupt what goes to stdout.
"""

from __future__ import annotations

import contextlib
import json
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from helpers import run_cli
from plugin_support import (
    UsePlugin,
    start,
    stderr_of,
    stored_sessions,
    top_answers,
    use_plugin,
    write_answers,
)
from topcli import catalog, hookimpl
from topcli.exporters import Exporter
from topcli.plugins import get_plugins

__all__ = ["use_plugin"]  # a fixture, imported for pytest


class Custom(BaseException):
    """What a plugin might raise to get past ``except Exception``."""


def completed_session(tmp_path: Path) -> Any:
    result = start(write_answers(tmp_path / "answers.yaml", top_answers()))
    assert result.exit_code == 0, result.output
    (session,) = stored_sessions()
    return session


# --------------------------------------------------------------------------- exiting, raising


@pytest.mark.parametrize(
    ("raised", "shown"),
    [
        (SystemExit(0), "SystemExit: 0"),
        (GeneratorExit(), "GeneratorExit"),
        (Custom("x"), "Custom: x"),
    ],
    ids=["exit", "generator-exit", "custom"],
)
def test_register_questions_base_exception_skips_the_plugin_and_the_conversation_is_stored(
    use_plugin: UsePlugin, tmp_path: Path, raised: BaseException, shown: str
) -> None:
    class Exiting:
        @hookimpl
        def register_questions(self, register: Any, stage: Any) -> None:
            register({"id": "exiting_q", "prompt": "Kept?", "required": False})
            raise raised

    use_plugin(Exiting(), "exiting")
    result = start(write_answers(tmp_path / "a.yaml", top_answers()))
    assert result.exit_code == 0, result.output
    assert (
        f"warning: plugin 'exiting' (registered by the test) raised in register_questions: {shown}"
        in stderr_of(result)
    )
    assert "Traceback" not in result.output
    (session,) = stored_sessions()  # not "exit 0 with nothing stored"
    assert session.is_complete and "exiting_q" not in session.framework.question_ids()


def test_register_exporters_base_exception_skips_only_that_plugin(use_plugin: UsePlugin) -> None:
    class Exiting:
        @hookimpl
        def register_exporters(self, register: Any) -> None:
            raise SystemExit("bye")

    use_plugin(Exiting(), "exiting")
    assert {"md", "json", "ics"} <= set(catalog.exporters())
    (warning,) = get_plugins().warnings
    assert "plugin 'exiting'" in warning and "SystemExit: bye" in warning


def test_ctrl_c_in_a_hook_is_the_users_and_goes_through(use_plugin: UsePlugin) -> None:
    class Interrupted:
        @hookimpl
        def register_exporters(self, register: Any) -> None:
            raise KeyboardInterrupt

    use_plugin(Interrupted(), "interrupted")
    with pytest.raises(KeyboardInterrupt):
        catalog.exporters()


def test_plugin_that_exits_while_imported_is_skipped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "quitter.py"
    path.write_text("import sys\nprint('hello from import')\nsys.exit(3)\n", encoding="utf-8")
    monkeypatch.setenv("TOPCLI_PLUGINS", str(path))
    result = run_cli(["frameworks", "list", "--json"])
    assert result.exit_code == 0, result.output
    assert "top" in {f["id"] for f in json.loads(result.stdout)}
    assert "plugin 'quitter'" in stderr_of(result) and "SystemExit: 3" in stderr_of(result)
    assert "hello from import" in result.stderr


@pytest.mark.parametrize("raised", ["SystemExit(0)", "Custom()"])
def test_register_exporters_export_that_exits_writes_nothing_and_is_an_export_error(
    use_plugin: UsePlugin, tmp_path: Path, raised: str
) -> None:
    def export(session: Any) -> str:
        raise eval(raised)

    use_plugin(_exporter_plugin(Exporter("quit", ".txt", "Exits", export=export)), "quitplug")
    session = completed_session(tmp_path)
    out = tmp_path / "out" / "plan.txt"
    out.parent.mkdir()
    result = run_cli(["plan", "export", session.id, "--quit", "-o", str(out)])
    assert result.exit_code == 7, result.output
    assert "error: exporter 'quit' of plugin 'quitplug' (registered by the test) failed:" in (
        stderr_of(result)
    )
    assert raised.split("(")[0] in stderr_of(result)
    assert list(out.parent.iterdir()) == []


# --------------------------------------------------------------------------- printing


class Chatty:
    """Prints from every hook and from its exporter."""

    @hookimpl
    def register_frameworks(self, register: Any) -> None:
        print("chatty: frameworks")

    @hookimpl
    def register_exporters(self, register: Any) -> None:
        print("chatty: exporters")

        def export(session: Any) -> str:
            print("chatty: exporting")
            return "the export\n"

        register(Exporter("chat", ".txt", "Chatty", export=export))


def test_plugin_prints_go_to_stderr_so_a_json_backup_stays_importable(
    use_plugin: UsePlugin, tmp_path: Path
) -> None:
    use_plugin(Chatty(), "chatty")
    session = completed_session(tmp_path)
    catalog.reset()
    result = run_cli(["plan", "export", session.id, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == session.id
    assert "chatty: exporters" in result.stderr
    backup = tmp_path / "backup.json"
    backup.write_text(result.stdout, encoding="utf-8")
    imported = run_cli(["sessions", "import", str(backup), "--replace"])
    assert imported.exit_code == 0, imported.output


def test_exporter_prints_go_to_stderr_and_stdout_is_only_the_export(
    use_plugin: UsePlugin, tmp_path: Path
) -> None:
    use_plugin(Chatty(), "chatty")
    session = completed_session(tmp_path)
    result = run_cli(["plan", "export", session.id, "--chat"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "the export\n"
    assert "chatty: exporting" in result.stderr


# --------------------------------------------------------------------------- hanging


@pytest.mark.parametrize("how", ["sleeps", "spins", "swallows"])
def test_hook_that_hangs_is_stopped_after_the_time_limit_and_skipped(
    use_plugin: UsePlugin, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, how: str
) -> None:
    class Hanging:
        @hookimpl
        def register_exporters(self, register: Any) -> None:
            register(Exporter("late", ".txt", "Never", export=lambda s: ""))
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if how == "sleeps":
                    time.sleep(60)
                elif how == "swallows":
                    # a plugin's own catch-all cannot keep it running
                    with contextlib.suppress(Exception):
                        time.sleep(60)

    monkeypatch.setenv("TOPCLI_PLUGIN_TIMEOUT", "0.2")
    use_plugin(Hanging(), "hanging")
    before = signal.getsignal(signal.SIGALRM)
    result = run_cli(["plan", "export", "--format", "late"])
    assert result.exit_code == 2, result.output
    assert "unknown export format 'late'" in stderr_of(result)
    assert (
        "warning: plugin 'hanging' (registered by the test) was stopped in register_exporters: "
        "still running after 0.2 s" in stderr_of(result)
    )
    assert "TOPCLI_PLUGIN_TIMEOUT" in stderr_of(result)
    # the alarm is put back as it was
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_register_questions_that_hangs_is_skipped_and_the_conversation_is_stored(
    use_plugin: UsePlugin, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    class Hanging:
        @hookimpl
        def register_questions(self, register: Any, stage: Any) -> None:
            time.sleep(60)

    monkeypatch.setenv("TOPCLI_PLUGIN_TIMEOUT", "0.1")
    use_plugin(Hanging(), "hanging")
    result = start(write_answers(tmp_path / "a.yaml", top_answers()))
    assert result.exit_code == 0, result.output
    assert "plugin 'hanging'" in stderr_of(result) and "was stopped" in stderr_of(result)
    assert len(stored_sessions()) == 1


@pytest.mark.parametrize("value", ["soon", "-1", "nan"])
def test_invalid_plugin_timeout_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("TOPCLI_PLUGIN_TIMEOUT", value)
    result = run_cli(["frameworks", "list"])
    assert result.exit_code == 2, result.output
    assert f"error: TOPCLI_PLUGIN_TIMEOUT={value!r} is not a number of seconds" in (
        stderr_of(result)
    )
    assert "Traceback" not in result.output


def test_plugin_timeout_zero_means_no_limit(
    use_plugin: UsePlugin, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Slow:
        @hookimpl
        def register_exporters(self, register: Any) -> None:
            time.sleep(0.3)
            register(Exporter("slow", ".txt", "Slow", export=lambda s: ""))

    monkeypatch.setenv("TOPCLI_PLUGIN_TIMEOUT", "0")
    use_plugin(Slow(), "slow")
    assert "slow" in catalog.exporters()
    assert get_plugins().warnings == []


# --------------------------------------------------------------------------- many questions


def test_register_questions_thousands_of_questions_are_placed_in_order(
    use_plugin: UsePlugin,
) -> None:
    count = 3000

    class Many:
        @hookimpl
        def register_questions(self, register: Any, stage: Any) -> None:
            if stage.id != "think":
                return
            for n in range(count):
                # odd ones right after core_values (the newest first), even ones at the end,
                # and every tenth right after the one before it
                after = f"many_{n - 1}" if n % 10 == 9 else "core_values" if n % 2 else None
                register({"id": f"many_{n}", "prompt": "Q?", "required": False}, after=after)

    use_plugin(Many(), "many")
    own = [q.id for q in catalog.resolve_framework("top").stages[0].questions]
    framework = catalog.with_plugin_questions(catalog.resolve_framework("top"))
    ids = [q.id for q in framework.stages[0].questions]
    assert len(ids) == len(set(ids)) == len(own) + count
    assert ids[ids.index("core_values") + 1] == "many_2997"  # the newest odd one
    assert ids[ids.index("many_8") + 1] == "many_9"
    assert ids[-2:] == ["many_2998", "many_2999"]
    assert len(get_plugins().records["many"].contributions) == count


def _exporter_plugin(*exporters: Any) -> Any:
    class Plugin:
        @hookimpl
        def register_exporters(self, register: Any) -> None:
            for exporter in exporters:
                register(exporter)

    return Plugin()
