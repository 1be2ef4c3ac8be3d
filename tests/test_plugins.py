"""The plugin hooks, in-process: each test registers its plugin and unregisters it afterwards.

Test names say the hook and the case. Every failure a plugin can cause is here too: each must
name the plugin, say what is wrong, and lose nothing already answered.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from helpers import Keys, run_cli
from plugin_support import (
    DATA,
    ROOT,
    UsePlugin,
    sample_answers,
    start,
    stderr_of,
    stored_sessions,
    top_answers,
    use_plugin,
    write_answers,
)
from topcli import catalog, hookimpl, hookspecs
from topcli.errors import PluginError
from topcli.exporters import Exporter
from topcli.plugins import DEFAULT_PLUGINS, Plugins, get_plugins, reset_plugins

__all__ = ["use_plugin"]  # a fixture, imported for pytest


# --------------------------------------------------------------------------- plugins used below


class ValuesPlugin:
    """Two questions in TOP's Think stage: one after core_values, one at the end."""

    @hookimpl
    def register_questions(self, register: Any, framework: Any, stage: Any) -> None:
        if framework.id == "top" and stage.id == "think":
            register(
                {
                    "id": "co_value",
                    "prompt": "Which value?",
                    "type": "select",
                    "choices": ["A", "B"],
                },
                after="core_values",
            )
            register({"id": "co_last", "prompt": "Anything else about values?", "required": False})


def question_plugin(question: Any, after: str | None = None, stage_id: str = "think") -> Any:
    """A plugin that registers one question in one stage of any framework."""

    class Plugin:
        @hookimpl
        def register_questions(self, register: Any, stage: Any) -> None:
            if stage.id == stage_id:
                register(question, after=after)

    return Plugin()


def exporter_plugin(*exporters: Any) -> Any:
    class Plugin:
        @hookimpl
        def register_exporters(self, register: Any) -> None:
            for exporter in exporters:
                register(exporter)

    return Plugin()


def csv_exporter(name: str = "csv") -> Exporter:
    def export(session: Any) -> str:
        data = session.to_dict()
        out = io.StringIO()
        writer = csv.writer(out)
        for qid, answer in data["answers"].items():
            writer.writerow([qid, json.dumps(answer)])
        return out.getvalue()

    return Exporter(name=name, suffix=".csv", description="Answers as CSV", export=export)


def top_with_plugins() -> Any:
    return catalog.with_plugin_questions(catalog.resolve_framework("top"))


def warnings() -> list[str]:
    return list(get_plugins().warnings)


# --------------------------------------------------------------------------- loading


def test_tests_never_load_installed_plugins() -> None:
    # conftest sets TOPCLI_DISABLE_PLUGIN_AUTOLOAD=1: only topcli's own plugins are loaded
    assert list(get_plugins().records) == list(DEFAULT_PLUGINS)


def test_load_plugins_is_lazy_and_idempotent() -> None:
    from topcli import plugins

    assert plugins.loaded_plugins() is None
    first = get_plugins()
    assert get_plugins() is first


def test_disable_autoload_skips_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(Plugins, "load_entry_points", lambda self: calls.append("loaded"))
    get_plugins()
    assert calls == []
    reset_plugins()
    monkeypatch.setenv("TOPCLI_DISABLE_PLUGIN_AUTOLOAD", "0")
    get_plugins()
    assert calls == ["loaded"]


def fake_distribution(tmp_path: Path, module_source: str, module: str) -> Any:
    """An installed package with a ``topcli`` entry point, without touching any environment."""
    from importlib.metadata import distributions

    site = tmp_path / "site"
    info = site / "topcli_fake-2.3.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: topcli-fake\nVersion: 2.3.0\n")
    (info / "entry_points.txt").write_text(f"[topcli]\nfake = {module}\n")
    (site / f"{module}.py").write_text(module_source)
    (dist,) = distributions(path=[str(site)])
    return site, dist.entry_points.select(group="topcli")


def test_entry_point_plugin_records_package_and_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, entry_points = fake_distribution(
        tmp_path,
        "from topcli import hookimpl\n\n\n@hookimpl\ndef register_questions(register, stage):\n"
        "    if stage.id == 'plan':\n"
        "        register({'id': 'fake_q', 'prompt': 'Fake?', 'type': 'confirm'})\n",
        module="fake_plugin_ok",
    )
    monkeypatch.syspath_prepend(str(site))
    plugins = get_plugins()
    plugins.load_entry_points(entry_points)
    try:
        record = plugins.records["fake"]
        assert record.origin == "package topcli-fake 2.3.0"
        assert (record.package, record.version) == ("topcli-fake", "2.3.0")
        assert record.hooks == ["register_questions"]
        assert top_with_plugins().question("fake_q").source == "fake"
        listed = json.loads(run_cli(["plugins", "list", "--json"]).stdout)
        assert [(p["name"], p["package"], p["version"]) for p in listed] == [
            ("fake", "topcli-fake", "2.3.0")
        ]
        assert listed[0]["contributions"] == ["question fake_q in top/plan"]
    finally:
        plugins.unregister("fake")


def test_entry_point_that_fails_to_import_is_skipped_naming_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, entry_points = fake_distribution(
        tmp_path, "import requests_that_is_not_there\n", module="fake_plugin_broken"
    )
    monkeypatch.syspath_prepend(str(site))
    plugins = get_plugins()
    plugins.load_entry_points(entry_points)
    (warning,) = warnings()
    assert warning.startswith("plugin 'fake' (package topcli-fake 2.3.0) failed to import")
    assert "No module named 'requests_that_is_not_there'" in warning
    assert "pip install requests-that-is-not-there" in warning
    assert "fake" not in [
        impl.plugin_name for impl in plugins.implementations("register_questions")
    ]


def test_topcli_plugins_loads_files_and_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(DATA))
    monkeypatch.setenv("TOPCLI_PLUGINS", f"{DATA / 'our_values.py'}:answers_csv")
    records = get_plugins().records
    assert records["our_values"].origin == f"file {DATA / 'our_values.py'}"
    assert records["our_values"].path == str(DATA / "our_values.py")
    assert records["answers_csv"].origin == "module answers_csv"
    assert "ourco_value" in top_with_plugins().question_ids()
    assert "csv" in catalog.exporters()
    assert warnings() == []


def test_topcli_plugins_file_that_fails_to_import_warns_and_conversation_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken_plugin.py"
    broken.write_text("from topcli import hookimpl\n\ndef register_questions(register:\n")
    monkeypatch.setenv("TOPCLI_PLUGINS", f"{broken}:{tmp_path / 'missing.py'}:not_a_module_xyz")
    result = start(write_answers(tmp_path / "a.yaml", top_answers()))
    assert result.exit_code == 0, result.output
    err = stderr_of(result)
    assert f"plugin 'broken_plugin' (file {broken}) failed to import: SyntaxError" in err
    assert "plugin 'missing' " in err and "no such file" in err
    assert "plugin 'not_a_module_xyz' (module not_a_module_xyz) failed to import" in err
    assert "pip install not-a-module-xyz" in err
    (session,) = stored_sessions()
    assert session.is_complete


def test_misspelled_hook_is_reported_with_the_hook_it_meant(use_plugin: UsePlugin) -> None:
    class Typo:
        @hookimpl
        def register_exporter(self, register: Any) -> None: ...

    use_plugin(Typo(), "typo")
    (warning,) = warnings()
    assert "plugin 'typo'" in warning
    assert "implements unknown hook 'register_exporter'; did you mean 'register_exporters'?" in (
        warning
    )
    assert get_plugins().records["typo"].problems


def test_misspelled_hook_is_printed_by_the_cli(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    plugin = tmp_path / "typo_plugin.py"
    plugin.write_text(
        "from topcli import hookimpl\n\n\n@hookimpl\ndef register_question(register, stage):\n"
        "    pass\n"
    )
    monkeypatch.setenv("TOPCLI_PLUGINS", str(plugin))
    result = run_cli(["plugins", "list"])
    assert result.exit_code == 0
    assert "warning: plugin 'typo_plugin'" in stderr_of(result)
    assert "did you mean 'register_questions'?" in stderr_of(result)


def test_hook_function_without_hookimpl_is_reported(use_plugin: UsePlugin) -> None:
    class Forgot:
        def register_questions(self, register: Any, stage: Any) -> None: ...

    use_plugin(Forgot(), "forgot")
    (warning,) = warnings()
    assert "plugin 'forgot'" in warning and "without @hookimpl" in warning


def test_two_plugins_with_one_name_keep_the_first(use_plugin: UsePlugin) -> None:
    use_plugin(ValuesPlugin(), "values")
    use_plugin(question_plugin({"id": "other", "prompt": "Other?"}), "values")
    (warning,) = warnings()
    assert "plugin 'values'" in warning and "has the same name as the plugin loaded from" in warning
    assert "other" not in top_with_plugins().question_ids()


def test_one_plugin_loaded_twice_under_two_names_is_used_once(use_plugin: UsePlugin) -> None:
    plugin = ValuesPlugin()
    use_plugin(plugin, "values")
    use_plugin(plugin, "values_again")
    (warning,) = warnings()
    assert "plugin 'values_again'" in warning and "is already loaded as plugin 'values'" in warning
    assert top_with_plugins().question_ids().count("co_value") == 1


def test_hook_wrappers_are_skipped_with_a_warning(use_plugin: UsePlugin) -> None:
    class Wrapper:
        @hookimpl(wrapper=True)
        def register_questions(self, register: Any, stage: Any) -> Any:
            return (yield)

    use_plugin(Wrapper(), "wrapper")
    assert top_with_plugins().question_ids() == catalog.resolve_framework("top").question_ids()
    (warning,) = warnings()
    assert "plugin 'wrapper'" in warning
    assert "wraps register_questions, which topcli does not support; skipped" in warning


def test_hookspecs_are_typed_and_documented() -> None:
    import inspect

    names = hookspecs.hook_names()
    assert names == ["register_frameworks", "register_questions", "register_exporters"]
    for name in names:
        spec = getattr(hookspecs, name)
        signature = inspect.signature(spec)
        assert next(iter(signature.parameters)) == "register"
        assert all(p.annotation is not p.empty for p in signature.parameters.values())
        assert signature.return_annotation == "None"
        assert len(inspect.getdoc(spec) or "") > 200


# --------------------------------------------------------------------------- register_frameworks


class RetroPlugin:
    @hookimpl
    def register_frameworks(self, register: Any) -> None:
        register(DATA / "team-retro.yaml")


def test_register_frameworks_adds_a_framework_that_starts_by_id(
    use_plugin: UsePlugin, tmp_path: Path
) -> None:
    use_plugin(RetroPlugin(), "retro")
    entry = catalog.frameworks()["team-retro"]
    assert (entry.plugin, entry.builtin) == ("retro", False)
    listed = json.loads(run_cli(["frameworks", "list", "--json"]).stdout)
    assert {f["id"]: f["plugin"] for f in listed}["team-retro"] == "retro"
    answers = sample_answers(entry.framework)
    result = start(write_answers(tmp_path / "a.yaml", answers, framework="team-retro"))
    assert result.exit_code == 0, result.output
    (session,) = stored_sessions()
    assert (session.framework.id, session.framework.version) == ("team-retro", "1.0")
    assert session.answers["energy"] == 7


def test_register_frameworks_invalid_file_is_skipped_with_a_warning(
    use_plugin: UsePlugin, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nname: Bad\nversion: '1'\nstages:\n  - id: s\n    title: S\n")

    class Plugin:
        @hookimpl
        def register_frameworks(self, register: Any) -> None:
            register(bad)
            register(DATA / "team-retro.yaml")

    use_plugin(Plugin(), "mixed")
    known = catalog.frameworks()
    assert "team-retro" in known and "bad" not in known
    (warning,) = warnings()
    assert warning.startswith("plugin 'mixed' (registered by the test) registered an invalid")
    assert f"{bad}:5:5: stage 's' has no questions" in warning


def test_register_frameworks_taken_id_names_both_plugins(
    use_plugin: UsePlugin, tmp_path: Path
) -> None:
    copy = tmp_path / "top.yaml"
    copy.write_text((ROOT / "frameworks" / "top.yaml").read_text())

    class Plugin:
        @hookimpl
        def register_frameworks(self, register: Any) -> None:
            register(copy)

    use_plugin(Plugin(), "copycat")
    assert catalog.frameworks()["top"].plugin == "topcli.builtins.frameworks"
    (warning,) = warnings()
    assert "plugin 'copycat'" in warning
    assert "that id is taken by plugin 'topcli.builtins.frameworks'" in warning


def test_register_frameworks_plugin_that_raises_is_skipped(use_plugin: UsePlugin) -> None:
    class Plugin:
        @hookimpl
        def register_frameworks(self, register: Any) -> None:
            register(DATA / "team-retro.yaml")
            raise RuntimeError("database is down")

    use_plugin(Plugin(), "flaky")
    assert "team-retro" not in catalog.frameworks()
    assert "top" in catalog.frameworks()
    (warning,) = warnings()
    assert "plugin 'flaky'" in warning
    assert "raised in register_frameworks: RuntimeError: database is down (at test_plugins.py:" in (
        warning
    )


# --------------------------------------------------------------------------- register_questions


def test_register_questions_is_called_for_each_stage_of_the_framework_run(
    use_plugin: UsePlugin,
) -> None:
    calls: list[tuple[str, str]] = []

    class Spy:
        @hookimpl
        def register_questions(self, register: Any, framework: Any, stage: Any) -> None:
            calls.append((framework.id, stage.id))

    use_plugin(Spy(), "spy")
    catalog.with_plugin_questions(catalog.resolve_framework("top"))
    assert calls == [("top", "think"), ("top", "opportunities"), ("top", "plan")]
    calls.clear()
    catalog.with_plugin_questions(catalog.resolve_framework("grow"))
    assert [stage for _, stage in calls] == ["goal", "reality", "options", "way_forward"]


def test_register_questions_places_after_a_question_or_at_the_end(use_plugin: UsePlugin) -> None:
    use_plugin(ValuesPlugin(), "values")
    framework = top_with_plugins()
    think = [q.id for q in framework.stages[0].questions]
    assert think[think.index("core_values") + 1] == "co_value"
    assert think[-1] == "co_last"
    question = framework.question("co_value")
    assert (question.type, question.choices, question.source) == ("select", ("A", "B"), "values")
    assert framework.question("co_last").required is False
    # the framework file's questions are untouched
    assert catalog.resolve_framework("top").question("core_values").source is None
    assert get_plugins().records["values"].contributions == [
        "question co_value in top/think",
        "question co_last in top/think",
    ]


def test_register_questions_after_a_question_of_another_plugin(use_plugin: UsePlugin) -> None:
    use_plugin(ValuesPlugin(), "values")
    use_plugin(question_plugin({"id": "more", "prompt": "More?"}, after="co_value"), "more")
    ids = top_with_plugins().question_ids()
    assert ids[ids.index("co_value") + 1] == "more"


def test_register_questions_are_asked_stored_and_shown_after_uninstall(
    use_plugin: UsePlugin, tmp_path: Path
) -> None:
    use_plugin(ValuesPlugin(), "values")
    answers = {**top_answers(), "co_value": "B", "co_last": "Nothing"}
    result = start(write_answers(tmp_path / "a.yaml", answers))
    assert result.exit_code == 0, result.output
    (session,) = stored_sessions()
    assert session.answers["co_value"] == "B"
    get_plugins().unregister("values")
    reset_plugins()

    # no plugin now: the stored snapshot still knows the questions and who added them
    shown = run_cli(["sessions", "show", session.id])
    assert shown.exit_code == 0, shown.output
    assert "Which value?  [values]" in shown.stdout
    record = json.loads(run_cli(["sessions", "show", session.id, "--json"]).stdout)
    think = record["framework"]["stages"][0]["questions"]
    assert {"id": "co_value", "source": "values"}.items() <= next(
        q for q in think if q["id"] == "co_value"
    ).items()
    assert record["answers"]["co_value"] == "B"
    exported = run_cli(["plan", "export", session.id, "--md", "--full"])
    assert exported.exit_code == 0, exported.output
    assert "Which value?" in exported.stdout


def test_register_questions_missing_answer_is_listed_for_an_answers_file(
    use_plugin: UsePlugin, tmp_path: Path
) -> None:
    use_plugin(ValuesPlugin(), "values")
    result = start(write_answers(tmp_path / "a.yaml", top_answers()))
    assert result.exit_code == 2
    assert "co_value: Which value?" in result.output
    assert "co_last" not in result.output  # optional
    assert stored_sessions() == []


@pytest.mark.parametrize(
    ("question", "after", "expected"),
    [
        (
            {"id": "co_rating", "prompt": "Rate it", "type": "rating"},
            None,
            "registered an invalid question for framework 'top', stage 'think': unknown type "
            "'rating' in question 'co_rating'",
        ),
        (
            {"id": "core_values", "prompt": "Values?"},
            None,
            "registered question 'core_values' for framework 'top', stage 'think', but the "
            "framework already has a question with that id",
        ),
        (
            {"id": "co_q", "prompt": "Q?"},
            "core_value",
            "wants question 'co_q' after 'core_value', which is not a question of framework "
            "'top', stage 'think'; did you mean 'core_values'?",
        ),
        (
            {"id": "co_q", "prompt": "Q?"},
            "first_step",
            "wants question 'co_q' after 'first_step', which is not a question of framework "
            "'top', stage 'think'",
        ),
        (
            {"id": "co_q", "prompt": "Q?", "when": {"question": "first_step", "equals": "x"}},
            None,
            "registered question 'co_q' for framework 'top', stage 'think': 'when' of question "
            "'co_q' refers to a later question 'first_step'",
        ),
        (
            {"id": "co_q", "promt": "Q?"},
            None,
            "did you mean 'prompt'?",
        ),
        ("What is your favourite value?", None, "question must be a mapping"),
    ],
    ids=["unknown-type", "id-clash", "unknown-after", "after-in-other-stage", "when-later",
         "typo-key", "not-a-mapping"],
)  # fmt: skip
def test_register_questions_invalid_question_stops_before_the_conversation(
    use_plugin: UsePlugin, tmp_path: Path, question: Any, after: str | None, expected: str
) -> None:
    use_plugin(question_plugin(question, after=after), "badq")
    with pytest.raises(PluginError) as raised:
        top_with_plugins()
    assert raised.value.message.startswith("plugin 'badq' (registered by the test) ")
    assert expected in raised.value.message

    result = start(write_answers(tmp_path / "a.yaml", top_answers()))
    assert result.exit_code == 6
    assert "error: plugin 'badq'" in stderr_of(result)
    assert expected in stderr_of(result)
    assert stored_sessions() == []


def test_register_questions_id_clash_between_plugins_names_both(use_plugin: UsePlugin) -> None:
    use_plugin(ValuesPlugin(), "values")
    use_plugin(question_plugin({"id": "co_value", "prompt": "Again?"}), "again")
    with pytest.raises(PluginError) as raised:
        top_with_plugins()
    assert "plugin 'again'" in raised.value.message
    assert "but plugin 'values' already added a question with that id" in raised.value.message


def test_register_questions_plugin_that_raises_is_skipped_and_conversation_goes_on(
    use_plugin: UsePlugin, tmp_path: Path
) -> None:
    class Flaky:
        @hookimpl
        def register_questions(self, register: Any, stage: Any) -> None:
            if stage.id == "think":
                register({"id": "flaky_q", "prompt": "Kept?"})
                raise KeyError("employee_id")

    use_plugin(Flaky(), "flaky")
    use_plugin(ValuesPlugin(), "values")
    answers = {**top_answers(), "co_value": "A"}
    result = start(write_answers(tmp_path / "a.yaml", answers))
    assert result.exit_code == 0, result.output
    line = Flaky.register_questions.__code__.co_firstlineno + 4
    assert (
        "warning: plugin 'flaky' (registered by the test) raised in register_questions: "
        f"KeyError: 'employee_id' (at test_plugins.py:{line}); skipped" in stderr_of(result)
    )
    (session,) = stored_sessions()
    ids = session.framework.question_ids()
    assert "flaky_q" not in ids  # nothing half registered
    assert "co_value" in ids  # the other plugin's questions are there
    assert session.is_complete


def test_register_questions_resume_keeps_the_questions_it_started_with(
    use_plugin: UsePlugin, tmp_path: Path
) -> None:
    use_plugin(ValuesPlugin(), "values")
    answers = {**top_answers(), "co_value": "A"}
    assert start(write_answers(tmp_path / "a.yaml", answers)).exit_code == 0
    get_plugins().unregister("values")
    use_plugin(question_plugin({"id": "late", "prompt": "Late?"}), "late")
    (session,) = stored_sessions()
    result = run_cli(["resume", session.id])
    assert result.exit_code == 0, result.output
    (session,) = stored_sessions()
    assert "late" not in session.framework.question_ids()
    assert "co_value" in session.framework.question_ids()


# --------------------------------------------------------------------------- register_exporters


def completed_session(tmp_path: Path) -> Any:
    result = start(write_answers(tmp_path / "answers.yaml", top_answers()))
    assert result.exit_code == 0, result.output
    (session,) = stored_sessions()
    return session


def test_register_exporters_adds_an_exporter_that_gets_the_read_only_session(
    use_plugin: UsePlugin, tmp_path: Path
) -> None:
    exporter = csv_exporter()
    use_plugin(exporter_plugin(exporter), "csvplugin")
    registered = catalog.exporters()["csv"]
    assert (registered.exporter, registered.plugin) == (exporter, "csvplugin")
    assert registered.origin == "registered by the test" and not registered.builtin
    assert {"md", "json", "ics", "csv"} <= set(catalog.exporters())
    session = completed_session(tmp_path)
    # to_dict() is exactly the JSON export
    json_export = json.loads(run_cli(["plan", "export", session.id, "--json"]).stdout)
    assert session.to_dict() == json_export
    with pytest.raises(TypeError):
        session.answers["career_so_far"] = "changed"  # type: ignore[index]
    rows = list(csv.reader(io.StringIO(exporter.export(session))))
    assert ["career_direction", json.dumps("Take on a bigger or broader role")] in rows


def test_register_exporters_through_the_cli_as_format_and_flag(
    use_plugin: UsePlugin, tmp_path: Path
) -> None:
    use_plugin(exporter_plugin(csv_exporter()), "csvplugin")
    session = completed_session(tmp_path)
    by_format = run_cli(["plan", "export", session.id, "--format", "csv"])
    assert by_format.exit_code == 0, by_format.output
    assert "career_direction" in by_format.stdout
    out = tmp_path / "answers.csv"
    by_flag = run_cli(["plan", "export", session.id, "--csv", "-o", str(out)])
    assert by_flag.exit_code == 0, by_flag.output
    assert out.read_text(encoding="utf-8") == by_format.stdout


def test_register_exporters_name_taken_by_a_builtin_names_both_plugins(
    use_plugin: UsePlugin,
) -> None:
    use_plugin(exporter_plugin(csv_exporter("md")), "mdplugin")
    assert catalog.exporters()["md"].plugin == "topcli.builtins.exporters"
    (warning,) = warnings()
    assert "plugin 'mdplugin' (registered by the test) registered exporter 'md'" in warning
    assert "but plugin 'topcli.builtins.exporters' already registered an exporter" in warning


def test_register_exporters_second_plugin_with_a_taken_name_names_both(
    use_plugin: UsePlugin, tmp_path: Path
) -> None:
    first = csv_exporter()
    use_plugin(exporter_plugin(first), "first")
    use_plugin(exporter_plugin(csv_exporter()), "second")
    registered = catalog.exporters()["csv"]
    assert (registered.exporter, registered.plugin) == (first, "first")
    (warning,) = warnings()
    assert "plugin 'second'" in warning and "but plugin 'first' already registered" in warning
    # the CLI still exports, and prints the warning
    session = completed_session(tmp_path)
    catalog.reset()  # as in a new run: the exporters are asked for again
    result = run_cli(["plan", "export", session.id, "--csv"])
    assert result.exit_code == 0, result.output
    assert "warning: plugin 'second'" in stderr_of(result)


@pytest.mark.parametrize(
    ("exporter", "expected"),
    [
        (object(), "it has no 'name'"),
        (Exporter("CSV!", ".csv", "x", str), "name 'CSV!' must be lowercase letters"),
        (Exporter("csv", "csv", "x", str), "suffix 'csv' must be a file extension"),
        (Exporter("csv", ".csv", "x", "not callable"), "'export' must be callable"),  # type: ignore[arg-type]
    ],
    ids=["not-an-exporter", "bad-name", "bad-suffix", "export-not-callable"],
)
def test_register_exporters_invalid_exporter_is_refused_naming_the_plugin(
    use_plugin: UsePlugin, exporter: Any, expected: str
) -> None:
    use_plugin(exporter_plugin(exporter), "badexp")
    assert "csv" not in catalog.exporters()
    assert "md" in catalog.exporters()
    (warning,) = warnings()
    assert "plugin 'badexp'" in warning and expected in warning


def test_register_exporters_plugin_that_raises_is_skipped(use_plugin: UsePlugin) -> None:
    class Flaky:
        @hookimpl
        def register_exporters(self, register: Any) -> None:
            register(csv_exporter())
            raise ImportError("no module named 'reportlab'")

    use_plugin(Flaky(), "flaky")
    assert "csv" not in catalog.exporters()
    assert {"md", "json", "ics"} <= set(catalog.exporters())
    (warning,) = warnings()
    assert "plugin 'flaky'" in warning and "raised in register_exporters: ImportError" in warning


# --------------------------------------------------------------------------- plugins list


def test_plugins_list_shows_origin_and_contributions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = [DATA / name for name in ("our_values.py", "answers_csv.py", "team_retro.py")]
    monkeypatch.setenv("TOPCLI_PLUGINS", ":".join(map(str, files)))
    listed = json.loads(run_cli(["plugins", "list", "--json"]).stdout)
    by_name = {p["name"]: p for p in listed}
    assert list(by_name) == ["our_values", "answers_csv", "team_retro"]
    assert by_name["our_values"]["origin"] == f"file {files[0]}"
    assert by_name["our_values"]["contributions"] == [
        "question ourco_value in top/think",
        "question ourco_value_story in top/think",
    ]
    assert by_name["answers_csv"]["contributions"] == ["exporter csv (.csv)"]
    assert by_name["team_retro"]["contributions"] == ["framework team-retro (team-retro.yaml)"]
    assert all(p["problems"] == [] and not p["builtin"] for p in listed)

    text = run_cli(["plugins", "list"])
    assert text.exit_code == 0
    assert "our_values" in text.stdout and str(files[0]) in text.stdout
    assert "question ourco_value in top/think" in text.stdout


def test_plugins_list_all_includes_the_builtins() -> None:
    listed = json.loads(run_cli(["plugins", "list", "--json", "--all"]).stdout)
    by_name = {p["name"]: p for p in listed}
    assert by_name["topcli.builtins.frameworks"]["contributions"] == [
        "framework grow (grow.yaml)",
        "framework top (top.yaml)",
    ]
    assert {"exporter md (.md)", "exporter json (.json)", "exporter ics (.ics)"} <= set(
        by_name["topcli.builtins.exporters"]["contributions"]
    )
    assert all(p["origin"] == "built-in" for p in listed)


def test_plugins_list_without_plugins_says_so() -> None:
    result = run_cli(["plugins", "list"])
    assert result.exit_code == 0
    assert "No plugins installed" in result.stdout
    assert json.loads(run_cli(["plugins", "list", "--json"]).stdout) == []


def test_plugins_list_shows_a_plugins_problems_and_still_lists(use_plugin: UsePlugin) -> None:
    use_plugin(question_plugin({"id": "core_values", "prompt": "Again?"}), "clash")
    use_plugin(ValuesPlugin(), "values")
    result = run_cli(["plugins", "list", "--json"])
    assert result.exit_code == 0
    by_name = {p["name"]: p for p in json.loads(result.stdout)}
    (problem,) = by_name["clash"]["problems"]
    assert "registered question 'core_values'" in problem
    assert "warning: plugin 'clash'" in stderr_of(result)


def test_register_questions_warning_is_shown_before_the_first_question(
    use_plugin: UsePlugin,
) -> None:
    class Broken:
        @hookimpl
        def register_questions(self, register: Any, stage: Any) -> None:
            raise RuntimeError("directory service down")

    use_plugin(Broken(), "broken")
    result = run_cli(["start", "--person", "Sam"], keys=Keys.CTRL_C)
    assert result.exit_code == 130, result.output
    warning = result.output.index("warning: plugin 'broken'")
    assert warning < result.output.index("Stage 1 of 3"), result.output
    assert result.output.count("warning: plugin 'broken'") == 1  # not repeated at the end


# --------------------------------------------------------------------------- exporters that fail

BOOM_PLUGIN = """\
from topcli import hookimpl
from topcli.exporters import Exporter


def export(session):
    return {"answers": len(session.answers)} if RETURN_A_DICT else 1 / 0


def export_many(sessions):
    return export(sessions[0])


RETURN_A_DICT = False


@hookimpl
def register_exporters(register):
    register(Exporter("boom", ".txt", "Fails", export=export, export_many=export_many))
"""


def boom_plugin(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *, returns_a_dict: bool = False
) -> Path:
    """A plugin file whose exporter divides by zero in line 6 (or returns a dict)."""
    path = tmp_path / "boomplug.py"
    text = BOOM_PLUGIN.replace("RETURN_A_DICT = False", f"RETURN_A_DICT = {returns_a_dict}")
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("TOPCLI_PLUGINS", str(path))
    reset_plugins()
    return path


@pytest.mark.parametrize("args", [[], ["--all"]], ids=["one", "all"])
def test_register_exporters_export_that_raises_is_an_export_error_naming_plugin_and_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str]
) -> None:
    plugin = boom_plugin(monkeypatch, tmp_path)
    completed_session(tmp_path)
    out = tmp_path / "out" / "plan.txt"
    out.parent.mkdir()
    result = run_cli(["plan", "export", "--boom", *args, "-o", str(out)])
    assert result.exit_code == 7, result.output
    assert f"error: exporter 'boom' of plugin 'boomplug' (file {plugin}) failed: " in (
        stderr_of(result)
    )
    assert "ZeroDivisionError: division by zero (at boomplug.py:6)" in stderr_of(result)
    assert "hint: fix the plugin, or remove it from TOPCLI_PLUGINS" in stderr_of(result)
    assert "internal error" not in result.output and "bug in topcli" not in result.output
    assert "Traceback" not in result.output
    # nothing written: no file, no temporary file, nothing on stdout
    assert list(out.parent.iterdir()) == []
    assert run_cli(["plan", "export", "--boom", *args]).stdout == ""


def test_register_exporters_export_that_raises_shows_its_traceback_with_debug(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    boom_plugin(monkeypatch, tmp_path)
    completed_session(tmp_path)
    result = run_cli(["--debug", "plan", "export", "--boom"])
    assert result.exit_code == 7, result.output
    assert "Traceback" in result.stderr and "1 / 0" in result.stderr
    assert "error: exporter 'boom' of plugin 'boomplug'" in stderr_of(result)


def test_register_exporters_export_that_returns_no_text_is_an_export_error_naming_plugin(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    plugin = boom_plugin(monkeypatch, tmp_path, returns_a_dict=True)
    completed_session(tmp_path)
    out = tmp_path / "plan.txt"
    result = run_cli(["plan", "export", "--format", "boom", "-o", str(out)])
    assert result.exit_code == 7, result.output
    assert (
        f"error: exporter 'boom' of plugin 'boomplug' (file {plugin}) returned dict, "
        "not str or bytes"
    ) in stderr_of(result)
    assert "hint: its export() must return str or bytes; fix the plugin" in stderr_of(result)
    assert not out.exists()


def test_register_exporters_export_error_raised_by_the_plugin_is_shown_as_it_is(
    use_plugin: UsePlugin, tmp_path: Path
) -> None:
    from topcli.errors import ExportError

    def export(session: Any) -> str:
        raise ExportError("the PDF service is down", hint="try again in a minute")

    use_plugin(exporter_plugin(Exporter("pdf", ".pdf", "PDF", export=export)), "pdfplugin")
    session = completed_session(tmp_path)
    result = run_cli(["plan", "export", session.id, "--pdf"])
    assert result.exit_code == 7, result.output
    assert "error: the PDF service is down" in stderr_of(result)
    assert "hint: try again in a minute" in stderr_of(result)


# --------------------------------------------------------------------------- the docs' scales


def test_register_frameworks_and_questions_docs_examples_keep_answers_on_their_scale(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    plugins = [DATA / "team_retro.py", DATA / "competencies.py"]
    monkeypatch.setenv("TOPCLI_PLUGINS", ":".join(map(str, plugins)))
    reset_plugins()
    retro = catalog.frameworks()["team-retro"].framework.question("energy")
    confidence = top_with_plugins().question("comp_confidence")
    assert (retro.min, retro.max) == (confidence.min, confidence.max) == (1, 10)

    answers = sample_answers(catalog.frameworks()["team-retro"].framework)
    too_high = start(
        write_answers(tmp_path / "a.yaml", {**answers, "energy": 11}, framework="team-retro")
    )
    assert too_high.exit_code == 2, too_high.output
    assert "energy" in stderr_of(too_high) and stored_sessions() == []
    too_low = start(
        write_answers(
            tmp_path / "b.yaml", {**sample_answers(top_with_plugins()), "comp_confidence": 0}
        )
    )
    assert too_low.exit_code == 2, too_low.output
    assert "comp_confidence" in stderr_of(too_low) and stored_sessions() == []


def test_a_misspelt_hook_parameter_is_named_with_the_right_one(use_plugin: UsePlugin) -> None:
    class Typo:
        @hookimpl
        def register_questions(self, register: Any, framwork: Any, stage: Any) -> None:
            raise AssertionError("never called")

    use_plugin(Typo(), "typo")
    (warning,) = [w for w in get_plugins().warnings if "'typo'" in w]
    assert (
        "cannot be registered: its register_questions has parameter 'framwork', which topcli "
        "does not pass; did you mean 'framework'? (the parameters are register, framework, stage)"
    ) in warning
