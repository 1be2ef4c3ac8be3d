"""What the plugins contributed: frameworks by id, exporters by name, questions per stage.

Built lazily from the hooks and cached for the process; :func:`reset` forgets the cache when a
plugin is registered or removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from topcli.errors import FrameworkError, FrameworkNotFound, PluginError, did_you_mean
from topcli.framework import Framework
from topcli.validation import Problems, check_framework, question_from_data

if TYPE_CHECKING:
    from topcli.plugins import PluginRecord

DEFAULT_FRAMEWORK = "top"
T = TypeVar("T")
_EXPORTER_NAME_RE = re.compile(r"^[a-z][a-z0-9-]*$")


class QuestionRefused(PluginError):
    """A plugin registered a question topcli cannot ask; ``plugin`` is its name."""

    def __init__(self, plugin: PluginRecord, message: str, *, hint: str | None = None) -> None:
        super().__init__(f"plugin '{plugin.name}' ({plugin.origin}) {message}", hint=hint)
        self.plugin: str = plugin.name
        #: The message without the plugin's name, for ``plugins list``.
        self.reason = message


@dataclass(frozen=True)
class FrameworkEntry:
    framework: Framework
    path: Path
    plugin: str
    builtin: bool


class _Collector(Generic[T]):
    """What one hook registers, by key. A plugin's registrations are staged while its hook
    runs and kept only if it finishes: a plugin that raises contributes nothing to that call."""

    def __init__(self, describe: Callable[[str, T], str]) -> None:
        self.describe = describe
        self.found: dict[str, T] = {}
        self.staged: dict[str, T] = {}

    def begin(self) -> None:
        self.staged.clear()

    def owner(self, key: str) -> T | None:
        """The entry that already has ``key``, from an earlier plugin or this one."""
        return self.found.get(key, self.staged.get(key))

    def stage(self, key: str, entry: T) -> None:
        self.staged[key] = entry

    def settle(self, record: PluginRecord, ok: bool) -> None:
        if ok:
            for key, entry in self.staged.items():
                self.found[key] = entry
                record.contribute(self.describe(key, entry))
        self.staged.clear()


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
    collected: _Collector[FrameworkEntry] = _Collector(
        lambda fid, entry: f"framework {fid} ({entry.path.name})"
    )

    def make_register(record: PluginRecord) -> Any:
        collected.begin()

        def register(path: str | Path) -> None:
            path = Path(path)
            try:
                framework = load_framework(path)
            except FrameworkError as exc:
                plugins.warn(
                    record,
                    f"registered an invalid framework: {exc}; skipped",
                    hint=exc.hint or "check it with 'topcli frameworks validate FILE'",
                )
                return
            other = collected.owner(framework.id)
            if other is not None:
                plugins.warn(
                    record,
                    f"registered framework '{framework.id}' ({path}), but that id is taken by "
                    f"plugin '{other.plugin}' ({other.path}); skipped",
                    hint="give the framework another id",
                )
                return
            collected.stage(
                framework.id, FrameworkEntry(framework, path, record.name, record.builtin)
            )

        return register

    plugins.call("register_frameworks", make_register, collected.settle)
    _frameworks = collected.found
    return _frameworks


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
    """The framework as it will be run: plus every question plugins add to its stages.

    Each plugin's ``register_questions`` is called once per stage. An invalid question raises
    :class:`PluginError` naming the plugin; a plugin that raises is skipped with a warning and
    none of the questions it registered in that call are kept.
    """
    from topcli.plugins import get_plugins

    plugins = get_plugins()
    current = framework
    before = framework
    added: list[str] = []
    for stage in framework.stages:

        def make_register(record: PluginRecord, stage_id: str = stage.id) -> Any:
            nonlocal before
            before = current
            added.clear()

            def register(question: Any, after: str | None = None) -> None:
                nonlocal current
                current = _add_question(current, stage_id, question, after, record)
                added.append(f"question {question['id']} in {current.id}/{stage_id}")

            return register

        def settle(record: PluginRecord, ok: bool) -> None:
            nonlocal current
            if not ok:
                current = before
            for what in added if ok else ():
                record.contribute(what)
            added.clear()

        plugins.call("register_questions", make_register, settle, framework=framework, stage=stage)
    return current


def _add_question(
    framework: Framework, stage_id: str, data: Any, after: str | None, plugin: PluginRecord
) -> Framework:
    """Validate a plugin's question and place it; every refusal names the plugin."""
    target = f"framework '{framework.id}', stage '{stage_id}'"
    fix = "fix the plugin, or uninstall it (or remove it from TOPCLI_PLUGINS)"
    problems = Problems(None)
    question = question_from_data(data, problems, source=plugin.name, where="question")
    if question is None or problems.items:
        raise QuestionRefused(
            plugin,
            f"registered an invalid question for {target}: "
            + "; ".join(message for _, message, _ in problems.items),
            hint="; ".join([hint for _, _, hint in problems.items if hint] + [fix]),
        )
    if question.id in framework.question_ids():
        owner = framework.question(question.id).source
        raise QuestionRefused(
            plugin,
            f"registered question '{question.id}' for {target}, but "
            + (f"plugin '{owner}' already added" if owner else "the framework already has")
            + " a question with that id",
            hint="give the question an id of its own, e.g. prefixed with the plugin's name",
        )
    stage = next(s for s in framework.stages if s.id == stage_id)
    stage_ids = [q.id for q in stage.questions]
    if after is not None and after not in stage_ids:
        raise QuestionRefused(
            plugin,
            f"wants question '{question.id}' after '{after}', which is not a question "
            f"of {target}{did_you_mean(str(after), stage_ids)}",
            hint="use the id of a question in that stage ('topcli frameworks show "
            f"{framework.id}' lists them), or leave out after= to add it at the end",
        )
    updated = framework.with_question(stage_id, question, after)
    try:
        check_framework(updated)
    except FrameworkError as exc:
        raise QuestionRefused(
            plugin,
            f"registered question '{question.id}' for {target}: {exc.message}",
            hint=exc.hint or fix,
        ) from None
    return updated


def exporters() -> dict[str, tuple[Any, str]]:
    """Every registered exporter by name, with the name of the plugin that registered it.

    An invalid exporter, or a name that is already taken, is refused with a warning naming the
    plugin (and the plugin that has the name): the first exporter keeps it, the others work on.
    """
    global _exporters
    if _exporters is not None:
        return _exporters
    from topcli.plugins import get_plugins

    plugins = get_plugins()
    collected: _Collector[tuple[Any, str]] = _Collector(
        lambda name, entry: f"exporter {name} ({entry[0].suffix})"
    )

    def make_register(record: PluginRecord) -> Any:
        collected.begin()

        def register(exporter: Any) -> None:
            problem = _exporter_problem(exporter)
            if problem:
                plugins.warn(
                    record,
                    f"registered an invalid exporter: {problem}; skipped",
                    hint="see register_exporters in docs/plugins.md",
                )
                return
            other = collected.owner(exporter.name)
            if other is not None:
                plugins.warn(
                    record,
                    f"registered exporter '{exporter.name}', but plugin '{other[1]}' already "
                    "registered an exporter with that name; this one is skipped",
                    hint="give the exporter another name, or uninstall one of the plugins",
                )
                return
            collected.stage(exporter.name, (exporter, record.name))

        return register

    plugins.call("register_exporters", make_register, collected.settle)
    _exporters = collected.found
    return _exporters


def _exporter_problem(exporter: Any) -> str | None:
    for attr in ("name", "suffix", "description", "export"):
        if not hasattr(exporter, attr):
            return f"it has no '{attr}'"
    if not isinstance(exporter.name, str) or not _EXPORTER_NAME_RE.match(exporter.name):
        return f"name {exporter.name!r} must be lowercase letters, digits and '-'"
    if not isinstance(exporter.suffix, str) or not exporter.suffix.startswith("."):
        return f"suffix {exporter.suffix!r} must be a file extension such as '.md'"
    if not callable(exporter.export):
        return "'export' must be callable"
    return None
