"""What the plugins contributed: frameworks by id, exporters by name, questions per stage.

Built lazily from the hooks and cached for the process; :func:`reset` forgets the cache when a
plugin is registered or removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from topcli.errors import FrameworkError, FrameworkNotFound, PluginError, did_you_mean
from topcli.framework import Framework, Problems, check_framework, question_from_data

DEFAULT_FRAMEWORK = "top"
_EXPORTER_NAME_RE = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class FrameworkEntry:
    framework: Framework
    path: Path
    plugin: str
    builtin: bool


_frameworks: dict[str, FrameworkEntry] | None = None
_exporters: dict[str, tuple[Any, str]] | None = None


def reset() -> None:
    global _frameworks, _exporters
    _frameworks = None
    _exporters = None


def frameworks() -> dict[str, FrameworkEntry]:
    """Every registered framework by id. Invalid files and taken ids become plugin warnings."""
    global _frameworks
    if _frameworks is not None:
        return _frameworks
    from topcli.loader import load_framework
    from topcli.plugins import get_plugins

    plugins = get_plugins()
    found: dict[str, FrameworkEntry] = {}

    def make_register(record: Any) -> Any:
        def register(path: str | Path) -> None:
            path = Path(path)
            try:
                framework = load_framework(path)
            except FrameworkError as exc:
                plugins.warn(record, f"registered an invalid framework: {exc}")
                return
            if framework.id in found:
                other = found[framework.id]
                plugins.warn(
                    record,
                    f"registered framework '{framework.id}' ({path}), but that id is taken by "
                    f"plugin '{other.plugin}' ({other.path}); skipped",
                    hint="give the framework another id",
                )
                return
            found[framework.id] = FrameworkEntry(framework, path, record.name, record.builtin)
            record.contributions.append(f"framework {framework.id} ({path.name})")

        return register

    plugins.call("register_frameworks", make_register)
    _frameworks = found
    return found


def looks_like_path(ref: str) -> bool:
    if ref.endswith((".yaml", ".yml", ".json")) or "/" in ref or "\\" in ref:
        return True
    return Path(ref).is_file()


def resolve_framework(ref: str | None) -> Framework:
    """A framework by id (from any plugin) or by path to a YAML file."""
    ref = ref or DEFAULT_FRAMEWORK
    if looks_like_path(ref):
        from topcli.loader import load_framework

        return load_framework(ref)
    known = frameworks()
    if ref in known:
        return known[ref].framework
    raise FrameworkNotFound(
        f"unknown framework '{ref}'{did_you_mean(ref, known)}",
        hint="available: "
        + (", ".join(sorted(known)) or "none")
        + "; or give the path to a framework YAML file",
    )


def with_plugin_questions(framework: Framework) -> Framework:
    """The framework as it will be run: plus every question plugins add to its stages."""
    from topcli.plugins import get_plugins

    plugins = get_plugins()
    for stage in framework.stages:

        def make_register(record: Any, stage_id: str = stage.id) -> Any:
            def register(question: Any, after: str | None = None) -> None:
                nonlocal framework
                framework = _add_question(framework, stage_id, question, after, record.name)
                record.contributions.append(
                    f"question {question.get('id')} in {framework.id}/{stage_id}"
                )

            return register

        plugins.call("register_questions", make_register, framework=framework, stage=stage)
    return framework


def _add_question(
    framework: Framework, stage_id: str, data: Any, after: str | None, plugin: str
) -> Framework:
    where = f"plugin '{plugin}'"
    problems = Problems(None)
    question = question_from_data(data, problems, source=plugin, where=f"question from {where}")
    try:
        problems.raise_if_any()
    except FrameworkError as exc:
        raise PluginError(
            f"{where} registered an invalid question: {exc.message}",
            hint="fix the plugin or uninstall it",
        ) from None
    assert question is not None
    if question.id in framework.question_ids():
        raise PluginError(
            f"{where} registered question '{question.id}', but that id is already used in "
            f"framework '{framework.id}'",
            hint="give the question an id of its own, e.g. prefixed with the plugin name",
        )
    stage = next(s for s in framework.stages if s.id == stage_id)
    if after is not None and after not in [q.id for q in stage.questions]:
        raise PluginError(
            f"{where} wants question '{question.id}' after '{after}', which is not a question of "
            f"stage '{stage_id}'{did_you_mean(after, [q.id for q in stage.questions])}",
            hint="use the id of a question in that stage, or after=None",
        )
    updated = framework.with_question(stage_id, question, after)
    try:
        check_framework(updated)
    except FrameworkError as exc:
        raise PluginError(f"{where} registered question '{question.id}': {exc.message}") from None
    return updated


def exporters() -> dict[str, tuple[Any, str]]:
    """Every registered exporter by name, with the plugin that registered it."""
    global _exporters
    if _exporters is not None:
        return _exporters
    from topcli.plugins import get_plugins

    plugins = get_plugins()
    found: dict[str, tuple[Any, str]] = {}

    def make_register(record: Any) -> Any:
        def register(exporter: Any) -> None:
            problem = _exporter_problem(exporter)
            if problem:
                raise PluginError(
                    f"plugin '{record.name}' registered an invalid exporter: {problem}",
                    hint="see docs/plugins.md, register_exporters",
                )
            name = exporter.name
            if name in found:
                raise PluginError(
                    f"plugin '{record.name}' registered exporter '{name}', but plugin "
                    f"'{found[name][1]}' already did",
                    hint="rename one of the exporters, or uninstall one plugin",
                )
            found[name] = (exporter, record.name)
            record.contributions.append(f"exporter {name} ({exporter.suffix})")

        return register

    plugins.call("register_exporters", make_register)
    _exporters = found
    return found


def _exporter_problem(exporter: Any) -> str | None:
    for attr in ("name", "suffix", "description", "export"):
        if not hasattr(exporter, attr):
            return f"it has no '{attr}'"
    if not isinstance(exporter.name, str) or not _EXPORTER_NAME_RE.match(exporter.name):
        return f"name {exporter.name!r} must be lowercase letters, digits and '-'"
    if not callable(exporter.export):
        return "'export' must be callable"
    return None
