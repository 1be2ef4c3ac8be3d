"""Running someone else's code: a plugin's hook or exporter, fenced off from topcli's output.

While plugin code runs, what it prints goes to stderr, so ``plan export --json > backup.json``
stays a file that imports. A hook call can also be stopped after a time limit
(``TOPCLI_PLUGIN_TIMEOUT`` seconds, default :data:`DEFAULT_TIMEOUT`, ``0`` for none), so a plugin
that hangs is skipped instead of hanging every command. The limit uses ``SIGALRM``, so it only
applies on Unix and in the main thread (where topcli runs its commands); elsewhere, and when some
other code already has an alarm armed, the call runs without one.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

from topcli.errors import UsageError

#: Seconds a plugin's hook may run before it is stopped and the plugin skipped.
DEFAULT_TIMEOUT = 5.0
TIMEOUT_VARIABLE = "TOPCLI_PLUGIN_TIMEOUT"


class PluginTimeout(BaseException):
    """Raised inside a plugin's hook when it ran past the time limit.

    A ``BaseException`` so that a plugin's own ``except Exception`` cannot swallow it.
    """

    def __init__(self, seconds: float) -> None:
        super().__init__(f"still running after {seconds:g} s")
        self.seconds = seconds


def hook_time_limit() -> float:
    """The time limit for one hook call, in seconds (``0``: none), from the environment."""
    raw = os.environ.get(TIMEOUT_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise UsageError(
            f"{TIMEOUT_VARIABLE}={raw!r} is not a number of seconds",
            hint=f"set it to a number such as {DEFAULT_TIMEOUT:g}, or 0 for no time limit",
        )
    return seconds


@contextlib.contextmanager
def plugin_code(time_limit: float = 0) -> Iterator[None]:
    """Run a plugin's code with its stdout sent to stderr and, if given, a time limit."""
    with contextlib.redirect_stdout(sys.stderr), _alarm(time_limit):
        yield


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        # someone else's alarm (a test runner's, say) is left alone rather than replaced
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )
    if not usable:
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise PluginTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
