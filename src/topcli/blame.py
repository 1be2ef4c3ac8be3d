"""Words for what went wrong inside someone else's code: a plugin's hook or exporter.

Kept apart from the plugin manager so that the export service can credit a failing exporter
without importing the manager (dependencies point one way: exporters use the catalog, the
catalog uses the plugins).
"""

from __future__ import annotations

from pathlib import Path


def describe(exc: BaseException) -> str:
    """``ZeroDivisionError: division by zero``: the exception as a plugin's author knows it."""
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def where_raised(exc: BaseException) -> str:
    """`` (at file.py:12)``: the line that raised, so a plugin's author can find it at once."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    return f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})"
