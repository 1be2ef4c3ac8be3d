"""What the plugins contributed: frameworks by id, exporters by name, questions per stage.

Built lazily from the hooks and cached; the cache belongs to one plugin manager at one
``generation``, so registering or removing a plugin (or loading the plugins anew) makes the next
call ask the hooks again without the plugin manager knowing about this module.
:func:`reset` forgets the cache by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from topcli.errors import FrameworkError, FrameworkNotFound, PluginError, did_you_mean
from topcli.exporters import RegisteredExporter, exporter_problem
from topcli.framework import Framework, Question
from topcli.validation import Problems, check_framework, question_from_data

if TYPE_CHECKING:
    from topcli.plugins import PluginRecord, Plugins

DEFAULT_FRAMEWORK = "top"
T = TypeVar("T")


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
_exporters: dict[str, RegisteredExporter] | None = None
#: The plugin manager and its generation that the cached entries were built from.
_built_from: tuple[Plugins, int] | None = None


def reset() -> None:
    """Forget what the hooks contributed; the next call asks them again."""
    global _frameworks, _exporters, _built_from
    _frameworks = None
    _exporters = None
    _built_from = None


def _plugins() -> Plugins:
    """The loaded plugins; the cache is dropped if they changed since it was built."""
    global _built_from
    from topcli.plugins import get_plugins

    plugins = get_plugins()
    if _built_from is None or _built_from[0] is not plugins or _built_from[1] != plugins.generation:
        reset()
        _built_from = (plugins, plugins.generation)
    return plugins


def frameworks() -> dict[str, FrameworkEntry]:
    """Every registered framework by id. Invalid files and taken ids become plugin warnings."""
    global _frameworks
    plugins = _plugins()
    if _frameworks is not None:
        return _frameworks
    from topcli.loader import load_framework

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
    """A framework by id (from any plugin) or by path to a YAML file.

    No ``ref`` means the ``framework`` setting (environment, config file, else "top"), so a
    default set once applies to ``start``, ``prep`` and every other command that picks one.
    """
    setting = ""
    if not ref:
        from topcli.config import resolve

        chosen = resolve("framework")
        ref = chosen.value or DEFAULT_FRAMEWORK
        if chosen.kind != "default":
            setting = f" (the 'framework' setting, from {chosen.source})"
    if looks_like_path(ref):
        from topcli.loader import load_framework

        return load_framework(ref)
    known = frameworks()
    if ref in known:
        return known[ref].framework
    raise FrameworkNotFound(
        f"unknown framework '{ref}'{setting}{did_you_mean(ref, known)}",
        hint="available: "
        + (", ".join(sorted(known)) or "none")
        + "; or give the path to a framework YAML file",
    )


def with_plugin_questions(framework: Framework) -> Framework:
    """The framework as it will be run: plus every question plugins add to its stages.

    Each plugin's ``register_questions`` is called once per stage. An invalid question raises
    :class:`PluginError` naming the plugin; a plugin that raises is skipped with a warning and
    none of the questions it registered in that call are kept. Linear in the number of
    questions: each is checked against indexes as it is registered, and the whole framework is
    built and checked once per plugin and stage.
    """
    plugins = _plugins()
    placement = _Placement(framework)
    for stage in framework.stages:

        def make_register(record: PluginRecord, stage_id: str = stage.id) -> Any:
            placement.pending.clear()

            def register(question: Any, after: str | None = None) -> None:
                checked = placement.check(stage_id, question, after, record)
                placement.pending[checked.id] = (checked, after)

            return register

        def settle(record: PluginRecord, ok: bool, stage_id: str = stage.id) -> None:
            if ok and placement.pending:
                placement.add(stage_id, list(placement.pending.values()), record)
            placement.pending.clear()

        plugins.call("register_questions", make_register, settle, framework=framework, stage=stage)
    return placement.framework()


class _Placement:
    """The plugins' questions placed into a framework, indexed so each check is cheap.

    A question placed ``after`` another is kept as that question's follower (the newest first,
    as inserting right after it would put it); the stage's order is read off once at the end.
    """

    def __init__(self, framework: Framework) -> None:
        self.base = framework
        self.owner: dict[str, Question] = {q.id: q for _, q in framework.questions()}
        self.stage_ids: dict[str, set[str]] = {
            stage.id: {q.id for q in stage.questions} for stage in framework.stages
        }
        self.at_end: dict[str, list[Question]] = {}
        self.followers: dict[str, list[Question]] = {}
        #: What the plugin being called registered so far, kept only if it finishes.
        self.pending: dict[str, tuple[Question, str | None]] = {}

    def check(
        self,
        stage_id: str,
        data: Any,
        after: str | None,
        plugin: PluginRecord,
    ) -> Question:
        """Validate a plugin's question as it is registered; every refusal names the plugin."""
        target = f"framework '{self.base.id}', stage '{stage_id}'"
        problems = Problems(None)
        question = question_from_data(data, problems, source=plugin.name, where="question")
        if question is None or problems.items:
            raise QuestionRefused(
                plugin,
                f"registered an invalid question for {target}: "
                + "; ".join(message for _, message, _ in problems.items),
                hint="; ".join([hint for _, _, hint in problems.items if hint] + [_FIX]),
            )
        if question.id in self.owner or question.id in self.pending:
            taken = self.owner.get(question.id)
            owner = taken.source if taken is not None else plugin.name
            raise QuestionRefused(
                plugin,
                f"registered question '{question.id}' for {target}, but "
                + (f"plugin '{owner}' already added" if owner else "the framework already has")
                + " a question with that id",
                hint="give the question an id of its own, e.g. prefixed with the plugin's name",
            )
        if (
            after is not None
            and after not in self.stage_ids[stage_id]
            and after not in self.pending
        ):
            stage_ids = [q.id for q in self._ordered(stage_id)] + list(self.pending)
            raise QuestionRefused(
                plugin,
                f"wants question '{question.id}' after '{after}', which is not a question "
                f"of {target}{did_you_mean(str(after), stage_ids)}",
                hint="use the id of a question in that stage ('topcli frameworks show "
                f"{self.base.id}' lists them), or leave out after= to add it at the end",
            )
        return question

    def add(
        self, stage_id: str, questions: list[tuple[Question, str | None]], plugin: PluginRecord
    ) -> None:
        """Place one plugin's questions for a stage, then check the conditions once."""
        before = self.framework()
        for question, after in questions:
            self.owner[question.id] = question
            self.stage_ids[stage_id].add(question.id)
            placed = (
                self.at_end.setdefault(stage_id, [])
                if after is None
                else self.followers.setdefault(after, [])
            )
            placed.append(question)
        try:
            check_framework(self.framework())
        except FrameworkError:
            self._blame(before, stage_id, questions, plugin)
            raise
        for question, _ in questions:
            plugin.contribute(f"question {question.id} in {self.base.id}/{stage_id}")

    def _blame(
        self,
        before: Framework,
        stage_id: str,
        questions: list[tuple[Question, str | None]],
        plugin: PluginRecord,
    ) -> None:
        """Raise for the first of ``questions`` that breaks the framework (rare: quadratic)."""
        current = before
        for question, after in questions:
            current = current.with_question(stage_id, question, after)
            try:
                check_framework(current)
            except FrameworkError as exc:
                target = f"framework '{self.base.id}', stage '{stage_id}'"
                raise QuestionRefused(
                    plugin,
                    f"registered question '{question.id}' for {target}: {exc.message}",
                    hint=exc.hint or _FIX,
                ) from None

    def _ordered(self, stage_id: str) -> list[Question]:
        """The stage's questions in order: each followed by those placed after it."""
        stage = next(s for s in self.base.stages if s.id == stage_id)
        ordered: list[Question] = []
        stack = list(reversed([*stage.questions, *self.at_end.get(stage_id, ())]))
        while stack:
            question = stack.pop()
            ordered.append(question)
            stack.extend(self.followers.get(question.id, ()))
        return ordered

    def framework(self) -> Framework:
        """The framework with every question placed so far."""
        if not self.at_end and not self.followers:
            return self.base
        stages = tuple(
            replace(stage, questions=tuple(self._ordered(stage.id))) for stage in self.base.stages
        )
        return replace(self.base, stages=stages)


_FIX = "fix the plugin, or uninstall it (or remove it from TOPCLI_PLUGINS)"


def exporters() -> dict[str, RegisteredExporter]:
    """Every registered exporter by name, with the plugin that registered it.

    An invalid exporter, or a name that is already taken, is refused with a warning naming the
    plugin (and the plugin that has the name): the first exporter keeps it, the others work on.
    """
    global _exporters
    plugins = _plugins()
    if _exporters is not None:
        return _exporters
    collected: _Collector[RegisteredExporter] = _Collector(
        lambda name, entry: f"exporter {name} ({entry.exporter.suffix})"
    )

    def make_register(record: PluginRecord) -> Any:
        collected.begin()

        def register(exporter: Any) -> None:
            problem = exporter_problem(exporter)
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
                    f"registered exporter '{exporter.name}', but plugin '{other.plugin}' already "
                    "registered an exporter with that name; this one is skipped",
                    hint="give the exporter another name, or uninstall one of the plugins",
                )
                return
            collected.stage(
                exporter.name,
                RegisteredExporter(
                    exporter, record.name, record.origin, record.builtin, record.package
                ),
            )

        return register

    plugins.call("register_exporters", make_register, collected.settle)
    _exporters = collected.found
    return _exporters
