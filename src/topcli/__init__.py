"""topcli: guided, forward-looking career conversations from the command line.

A plugin needs only ``topcli.hookimpl`` to get started::

    from topcli import hookimpl

    @hookimpl
    def register_questions(register, framework, stage):
        ...

Everything else here is imported lazily so that ``topcli --help`` stays fast.
"""

import pluggy

__version__ = "0.1.0"

#: Marker for hook implementations in plugins. See ``topcli.hookspecs`` for the hooks.
hookimpl = pluggy.HookimplMarker("topcli")

__all__ = ["__version__", "hookimpl"]
