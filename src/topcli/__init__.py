"""topcli: guided, forward-looking career conversations from the command line.

A plugin needs only ``topcli.hookimpl`` to get started::

    from topcli import hookimpl

    @hookimpl
    def register_questions(register, framework, stage):
        ...

Everything here is imported lazily so that ``topcli --help`` stays fast: ``hookimpl`` (and with
it pluggy) only when a plugin asks for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["__version__", "hookimpl"]

if TYPE_CHECKING:
    import pluggy

    #: Marker for hook implementations in plugins. See ``topcli.hookspecs`` for the hooks.
    hookimpl: pluggy.HookimplMarker


def __getattr__(name: str) -> Any:
    """Make ``hookimpl`` on first use (PEP 562), so ``import topcli`` does not import pluggy."""
    if name == "hookimpl":
        import pluggy

        marker = pluggy.HookimplMarker("topcli")
        globals()["hookimpl"] = marker
        return marker
    raise AttributeError(f"module 'topcli' has no attribute {name!r}")
