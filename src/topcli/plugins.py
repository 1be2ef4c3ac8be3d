"""The plugin manager: built-ins, entry points, ``TOPCLI_PLUGINS``, loaded once.

Sources, in the order their hooks are called:

1. ``DEFAULT_PLUGINS``: topcli's own frameworks and exporters, registered through the same hooks
   a third party uses.
2. Installed packages with an entry point in the group ``topcli``
   (``[project.entry-points.topcli]``). ``TOPCLI_DISABLE_PLUGIN_AUTOLOAD=1`` skips them (the test
   suite sets it, so installed plugins never leak into tests).
3. ``TOPCLI_PLUGINS``: Python files or importable module names separated by ``os.pathsep``, for
   quick local plugins.

A plugin that fails to import or raises inside a hook is skipped with a warning naming it; the
others go on. A hook implementation whose name matches no hook (a typo) is reported, not ignored.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from topcli import hookspecs
from topcli.errors import TopcliError, did_you_mean

ENTRY_POINT_GROUP = "topcli"
DEFAULT_PLUGINS: tuple[str, ...] = (
    "topcli.builtins.frameworks",
    "topcli.builtins.exporters",
)


@dataclass
class PluginRecord:
    """One loaded plugin: where it came from and what it contributed."""

    name: str
    origin: str
    builtin: bool = False
    contributions: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "origin": self.origin,
            "builtin": self.builtin,
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

    # ------------------------------------------------------------------ loading

    def register(self, plugin: object, name: str, origin: str, *, builtin: bool = False) -> None:
        record = PluginRecord(name=name, origin=origin, builtin=builtin)
        self.records[name] = record
        try:
            self.pm.register(plugin, name=name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            self.warn(record, f"cannot be registered: {exc}")
            return
        self._check_hook_names(name, record)
        from topcli import catalog

        catalog.reset()

    def unregister(self, name: str) -> None:
        """Remove a plugin (tests register one around each test and remove it after)."""
        if self.pm.get_plugin(name) is not None:
            self.pm.unregister(name=name)
        self.records.pop(name, None)
        from topcli import catalog

        catalog.reset()

    def _check_hook_names(self, name: str, record: PluginRecord) -> None:
        """Report implementations of hooks that do not exist (usually a typo)."""
        plugin = self.pm.get_plugin(name)
        known = hookspecs.hook_names()
        for attr in dir(plugin):
            opts = self.pm.parse_hookimpl_opts(plugin, attr)
            if opts is None or attr in known:
                continue
            hook_name = opts.get("specname") or attr
            if hook_name in known:
                continue
            self.warn(
                record,
                f"implements unknown hook '{hook_name}'{did_you_mean(hook_name, known)}",
                hint="see docs/plugins.md for the hook names",
            )

    def load_builtins(self) -> None:
        for module_name in DEFAULT_PLUGINS:
            self.register(
                importlib.import_module(module_name), module_name, "built-in", builtin=True
            )

    def load_entry_points(self) -> None:
        from importlib.metadata import entry_points

        for ep in entry_points(group=ENTRY_POINT_GROUP):
            dist = getattr(ep, "dist", None)
            origin = f"package {dist.name} {dist.version}" if dist else f"entry point {ep.value}"
            if ep.name in self.records:
                continue
            try:
                plugin = ep.load()
            except Exception as exc:  # any import failure must not stop topcli
                self.warn(
                    PluginRecord(ep.name, origin),
                    f"failed to import: {_describe(exc)}",
                    hint=f"reinstall or uninstall {dist.name if dist else ep.value}",
                )
                continue
            self.register(plugin, ep.name, origin)

    def load_paths(self, spec: str) -> None:
        for entry in filter(None, (part.strip() for part in spec.split(os.pathsep))):
            path = Path(entry).expanduser()
            is_file = entry.endswith(".py") or os.sep in entry
            name = path.stem if is_file else entry
            origin = f"file {path.resolve()}" if is_file else f"module {entry}"
            try:
                module = _import_file(path) if is_file else importlib.import_module(entry)
            except Exception as exc:
                self.warn(
                    PluginRecord(name, origin),
                    f"failed to import: {_describe(exc)}",
                    hint="check TOPCLI_PLUGINS",
                )
                continue
            self.register(module, name, origin)

    def warn(self, record: PluginRecord, message: str, hint: str | None = None) -> None:
        self.records.setdefault(record.name, record)
        record.problems.append(message)
        text = f"plugin '{record.name}' ({record.origin}) {message}"
        self.warnings.append(text + (f" ({hint})" if hint else ""))

    # ------------------------------------------------------------------ calling

    def call(
        self,
        hook_name: str,
        make_register: Callable[[PluginRecord], Callable[..., Any]],
        **kwargs: Any,
    ) -> None:
        """Call each plugin's implementation of ``hook_name`` on its own, in load order.

        ``make_register(record)`` builds the ``register`` callback for that plugin, so whatever
        it registers is attributed to it. A :class:`TopcliError` raised by a callback (an invalid
        contribution) propagates; any other exception skips the plugin with a warning.
        """
        for impl in self.implementations(hook_name):
            record = self.records[impl.plugin_name]
            args = {"register": make_register(record), **kwargs}
            try:
                impl.function(**{name: args[name] for name in impl.argnames})
            except TopcliError:
                raise
            except Exception as exc:
                self.warn(record, f"raised in {hook_name}: {_describe(exc)}; skipped")

    def implementations(self, hook_name: str) -> Iterator[pluggy.HookImpl]:
        caller = getattr(self.pm.hook, hook_name)
        # pluggy keeps implementations in registration order; built-ins come first
        yield from caller.get_hookimpls()


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _import_file(path: Path) -> ModuleType:
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    module_name = f"topcli_local_plugin_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
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


def reset_plugins() -> None:
    """Forget the loaded plugins (tests, and after ``TOPCLI_PLUGINS`` changes)."""
    global _plugins
    _plugins = None
    from topcli import catalog

    catalog.reset()
