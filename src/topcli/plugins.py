"""The plugin manager: built-ins, entry points, ``TOPCLI_PLUGINS``, loaded once.

Sources, in the order their hooks are called (topcli keeps this order itself; pluggy's
``tryfirst``/``trylast`` and hook wrappers, which would change it, are refused with a warning):

1. ``DEFAULT_PLUGINS``: topcli's own frameworks and exporters, registered through the same hooks
   a third party uses.
2. Installed packages with an entry point in the group ``topcli``
   (``[project.entry-points.topcli]``). ``TOPCLI_DISABLE_PLUGIN_AUTOLOAD=1`` skips them (the test
   suite sets it, so installed plugins never leak into tests).
3. ``TOPCLI_PLUGINS``: Python files or importable module names separated by ``os.pathsep``, for
   quick local plugins.

A plugin that fails to import, or raises inside a hook (any exception, ``SystemExit`` too; only
Ctrl-C goes through), or runs past the time limit (:mod:`topcli.guard`), is skipped with a warning
naming it; the others go on. What a plugin prints goes to stderr. A hook implementation whose
name matches no hook (a typo), or a function named like a hook but not marked with
``@hookimpl``, is reported, not silently ignored.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from topcli import hookspecs
from topcli.blame import describe, where_raised
from topcli.errors import TopcliError, did_you_mean
from topcli.guard import PluginTimeout, hook_time_limit, plugin_code

ENTRY_POINT_GROUP = "topcli"
DEFAULT_PLUGINS: tuple[str, ...] = (
    "topcli.builtins.frameworks",
    "topcli.builtins.exporters",
)


@dataclass
class PluginRecord:
    """One plugin: where it came from, what it contributed, and what went wrong with it.

    ``origin`` is the human-readable summary (``package topcli-acme 1.0.0``, ``file /x.py``);
    ``package``/``version`` (entry points) and ``path`` (files and modules) are the same facts
    for scripts reading ``topcli plugins list --json``.
    """

    name: str
    origin: str
    builtin: bool = False
    package: str | None = None
    version: str | None = None
    path: str | None = None
    hooks: list[str] = field(default_factory=list)
    contributions: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: The contributions as a set, so recording thousands of them stays linear.
    _contributed: set[str] = field(default_factory=set, repr=False, compare=False)

    def contribute(self, what: str) -> None:
        """Record a contribution once, however often the hook is asked again."""
        if what not in self._contributed:
            self._contributed.add(what)
            self.contributions.append(what)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "origin": self.origin,
            "builtin": self.builtin,
            "package": self.package,
            "version": self.version,
            "path": self.path,
            "hooks": list(self.hooks),
            "contributions": list(self.contributions),
            "problems": list(self.problems),
        }


class Plugins:
    """The pluggy manager plus what topcli knows about each plugin."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager("topcli")
        self.pm.add_hookspecs(hookspecs)
        self.records: dict[str, PluginRecord] = {}
        #: Messages for the user about plugins that were skipped or misbehaved.
        self.warnings: list[str] = []
        #: The registered plugins' names in registration order: the order hooks are called in.
        self._order: list[str] = []
        #: Goes up whenever a plugin is registered or removed, so that whatever was built from
        #: the hooks (``topcli.catalog``) knows to ask them again.
        self.generation = 0

    def names(self) -> list[str]:
        """The registered plugins' names, in the order their hooks are called."""
        return list(self._order)

    # ------------------------------------------------------------------ loading

    def register(
        self,
        plugin: object,
        name: str,
        origin: str = "registered in-process",
        *,
        builtin: bool = False,
        package: str | None = None,
        version: str | None = None,
        path: str | None = None,
    ) -> PluginRecord:
        """Add a plugin (a module, or any object with hook functions) under ``name``.

        Tests use this directly, with :meth:`unregister` afterwards.
        """
        if path is None and isinstance(plugin, ModuleType):
            path = getattr(plugin, "__file__", None)
        record = PluginRecord(name, origin, builtin, package, version, path)
        existing = self.records.get(name)
        if existing is not None:
            # keep the first plugin's record: it is the one whose hooks are called
            self.warn(
                record,
                f"has the same name as the plugin loaded from {existing.origin}; skipped",
                hint="uninstall one of them, or remove it from TOPCLI_PLUGINS",
                keep=False,
            )
            return existing
        if self.pm.is_registered(plugin):
            self.warn(
                record,
                f"is already loaded as plugin '{self.pm.get_name(plugin)}'; skipped",
                hint="it is installed and named in TOPCLI_PLUGINS: remove it from one of them",
                keep=False,
            )
            return self.records[self.pm.get_name(plugin) or name]
        self.records[name] = record
        try:
            self.pm.register(plugin, name=name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            self.warn(
                record,
                f"cannot be registered: {_validation_problem(plugin, exc)}",
                hint="see the hook's signature in docs/plugins.md",
            )
            return record
        known = hookspecs.hook_names()
        callers = self.pm.get_hookcallers(plugin) or []
        record.hooks = sorted(c.name for c in callers if c.name in known)
        self._check_hook_names(plugin, record)
        self._order.append(name)
        self.generation += 1
        return record

    def unregister(self, name: str) -> None:
        """Remove a plugin (tests register one around each test and remove it after)."""
        if self.pm.get_plugin(name) is not None:
            self.pm.unregister(name=name)
        self.records.pop(name, None)
        if name in self._order:
            self._order.remove(name)
        self.generation += 1

    def _check_hook_names(self, plugin: object, record: PluginRecord) -> None:
        """Report what pluggy would silently ignore: typos in hook names, missing markers."""
        known = hookspecs.hook_names()
        for attr in dir(plugin):
            opts = self.pm.parse_hookimpl_opts(plugin, attr)
            if opts is None:
                if attr in known and callable(getattr(plugin, attr, None)):
                    self.warn(
                        record,
                        f"defines '{attr}' without @hookimpl, so topcli never calls it",
                        hint="add 'from topcli import hookimpl' and put @hookimpl above it",
                    )
                continue
            hook_name = opts.get("specname") or attr
            if hook_name in known:
                continue
            self.warn(
                record,
                f"implements unknown hook '{hook_name}'{did_you_mean(hook_name, known)}",
                hint="the hooks are " + ", ".join(known) + "; see docs/plugins.md",
            )

    def load_builtins(self) -> None:
        for module_name in DEFAULT_PLUGINS:
            self.register(
                importlib.import_module(module_name), module_name, "built-in", builtin=True
            )

    def load_entry_points(self, entry_points: Iterable[Any] | None = None) -> None:
        """Load the installed packages' plugins (``entry_points`` lets tests pass their own)."""
        if entry_points is None:
            from importlib.metadata import entry_points as installed

            entry_points = installed(group=ENTRY_POINT_GROUP)
        for ep in entry_points:
            dist = getattr(ep, "dist", None)
            package = dist.name if dist else None
            version = dist.version if dist else None
            origin = f"package {package} {version}" if dist else f"entry point {ep.value}"
            try:
                with plugin_code():
                    plugin = ep.load()
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # any import failure must not stop topcli
                self.warn(
                    PluginRecord(ep.name, origin, package=package, version=version),
                    f"failed to import: {describe(exc)}; skipped",
                    hint=_install_hint(
                        exc, f"reinstall or uninstall {package or ep.value}", ep.module
                    ),
                )
                continue
            self.register(plugin, ep.name, origin, package=package, version=version)

    def load_paths(self, spec: str) -> None:
        """Load ``TOPCLI_PLUGINS``: Python files, or importable module names."""
        for entry in filter(None, (part.strip() for part in spec.split(os.pathsep))):
            path = Path(entry).expanduser()
            is_file = entry.endswith(".py") or "/" in entry or os.sep in entry
            name = path.stem if is_file else entry
            origin = f"file {path.resolve()}" if is_file else f"module {entry}"
            try:
                with plugin_code():
                    module = _import_file(path) if is_file else importlib.import_module(entry)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # SystemExit at import time too: skip, never exit
                fallback = "fix the file, or remove it from TOPCLI_PLUGINS"
                if not is_file:
                    package = entry.split(".")[0].replace("_", "-")
                    fallback = f"is it installed? e.g. pip install {package}; or fix TOPCLI_PLUGINS"
                self.warn(
                    PluginRecord(name, origin, path=str(path.resolve()) if is_file else None),
                    f"failed to import: {describe(exc)}; skipped",
                    hint=_install_hint(exc, fallback, None if is_file else entry),
                )
                continue
            self.register(module, name, origin)

    def warn(
        self, record: PluginRecord, message: str, hint: str | None = None, *, keep: bool = True
    ) -> None:
        """Note a problem with a plugin; the CLI prints each warning once, to stderr."""
        if keep:
            self.records.setdefault(record.name, record)
        if message not in record.problems:
            record.problems.append(message)
        text = f"plugin '{record.name}' ({record.origin}) {message}" + (
            f" ({hint})" if hint else ""
        )
        if text not in self.warnings:
            self.warnings.append(text)

    # ------------------------------------------------------------------ calling

    def call(
        self,
        hook_name: str,
        make_register: Callable[[PluginRecord], Callable[..., Any]],
        settle: Callable[[PluginRecord, bool], None] | None = None,
        **kwargs: Any,
    ) -> None:
        """Call each plugin's implementation of ``hook_name`` on its own, in registration order.

        ``make_register(record)`` builds the ``register`` callback for that plugin, so whatever
        it registers is attributed to it. A :class:`TopcliError` raised by a callback (an invalid
        contribution) propagates, and so does Ctrl-C. Anything else the plugin raises
        (``SystemExit`` and other ``BaseException`` too), or running past the time limit, skips
        the plugin with a warning. What it prints goes to stderr.
        ``settle(record, ok)`` runs after each plugin, so a caller can drop what a plugin
        registered before it failed: a plugin that fails contributes nothing to that call.
        """
        time_limit = hook_time_limit()
        for impl in self.implementations(hook_name):
            record = self.records[impl.plugin_name]
            refused = _refused_option(impl, hook_name)
            if refused:
                self.warn(
                    record, f"{refused}, which topcli does not support; skipped", hint=_ORDER_HINT
                )
                continue
            args = {"register": make_register(record), **kwargs}
            ok = True
            try:
                with plugin_code(time_limit):
                    impl.function(**{name: args[name] for name in impl.argnames})
            except (TopcliError, KeyboardInterrupt):
                raise
            except PluginTimeout as exc:
                ok = False
                self.warn(
                    record,
                    f"was stopped in {hook_name}: {exc}{where_raised(exc)}; skipped",
                    hint=f"fix the plugin, or raise the limit with {_TIMEOUT_HINT}",
                )
            except BaseException as exc:
                ok = False
                self.warn(
                    record, f"raised in {hook_name}: {describe(exc)}{where_raised(exc)}; skipped"
                )
            if settle is not None:
                settle(record, ok)

    def implementations(self, hook_name: str) -> Iterator[pluggy.HookImpl]:
        """The implementations of ``hook_name`` in topcli's registration order.

        pluggy keeps its own list in the reverse of its calling order, moved about by
        ``tryfirst``/``trylast``; topcli does not depend on that list's order at all.
        """
        by_plugin: dict[str, list[pluggy.HookImpl]] = {}
        for impl in reversed(getattr(self.pm.hook, hook_name).get_hookimpls()):
            by_plugin.setdefault(impl.plugin_name, []).append(impl)
        for name in self._order:
            yield from by_plugin.get(name, ())


_ORDER_HINT = (
    "topcli calls each plugin's hook on its own, in the order the plugins are loaded; "
    "remove the option from @hookimpl"
)
_TIMEOUT_HINT = "TOPCLI_PLUGIN_TIMEOUT=SECONDS (0: no limit)"


def _refused_option(impl: pluggy.HookImpl, hook_name: str) -> str | None:
    """What a hook implementation asks for that would change topcli's calling order."""
    if impl.hookwrapper or getattr(impl, "wrapper", False):
        return f"wraps {hook_name}"
    for option in ("tryfirst", "trylast"):
        if getattr(impl, option, False):
            return f"marks {hook_name} {option}"
    return None


def _validation_problem(plugin: object, exc: Exception) -> str:
    """pluggy's multi-line complaint about a hook's parameters, as one line that says which
    parameter is wrong and what it was probably meant to be."""
    import inspect

    for hook_name in hookspecs.hook_names():
        function = getattr(plugin, hook_name, None)
        if function is None:
            continue
        expected = list(inspect.signature(getattr(hookspecs, hook_name)).parameters)
        params = [p for p in inspect.signature(function).parameters if p != "self"]
        unknown = [p for p in params if p not in expected]
        if unknown:
            return (
                f"its {hook_name} has parameter '{unknown[0]}', which topcli does not pass"
                f"{did_you_mean(unknown[0], expected)} (the parameters are "
                f"{', '.join(expected)})"
            )
    return " ".join(str(exc).split())


def _install_hint(exc: BaseException, fallback: str, own_module: str | None = None) -> str:
    """Name the package to ``pip install`` when an import failed for a missing module."""
    missing = getattr(exc, "name", None) if isinstance(exc, ModuleNotFoundError) else None
    if not missing or missing.split(".")[0] == (own_module or "").split(".")[0]:
        return fallback
    top = missing.split(".")[0]
    return f"the plugin needs {top}: pip install {top.replace('_', '-')}; or {fallback}"


def _import_file(path: Path) -> ModuleType:
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    module_name = f"topcli_local_plugin_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise
    return module


_plugins: Plugins | None = None


def get_plugins() -> Plugins:
    """Load every plugin once per process (lazy: commands that need no plugin never call it)."""
    global _plugins
    if _plugins is None:
        plugins = Plugins()
        plugins.load_builtins()
        if os.environ.get("TOPCLI_DISABLE_PLUGIN_AUTOLOAD", "") in ("", "0"):
            plugins.load_entry_points()
        plugins.load_paths(os.environ.get("TOPCLI_PLUGINS", ""))
        _plugins = plugins
    return _plugins


def loaded_plugins() -> Plugins | None:
    """The plugins if they were loaded in this process, without loading them."""
    return _plugins


def reset_plugins() -> None:
    """Forget the loaded plugins (tests, and after ``TOPCLI_PLUGINS`` changes).

    What the catalog built from them is forgotten too: it belongs to the old manager.
    """
    global _plugins
    _plugins = None
