"""Garbage collection while the person reads a question, not between Enter and the next one.

Every terminal prompt builds a prompt_toolkit application (layouts, key bindings, buffers) that
lives while the question is open, so its objects are promoted to the oldest generation and die
there. CPython then runs a full collection whenever enough of them pile up: 55-160 ms, paused
right after an answer, before the next question appears (issue 12e: at most 50 ms).

During a terminal conversation :func:`collect_when_idle`:

- freezes the objects alive at its start (modules, the framework, the store: they never become
  garbage), so no collection walks them again;
- raises the full-collection threshold so CPython never starts a full collection on its own
  (young collections still run as usual and stay short);
- after each answer, runs the full collection a moment later (:data:`IDLE_DELAY`), on a timer
  thread, by when the next question is on the screen and the person is reading it. Nothing is
  leaked: each answer brings one full collection.

Everything is restored when the conversation ends, however it ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Seconds from an answer to its collection: longer than drawing the next question takes,
#: shorter than anyone takes to read it.
IDLE_DELAY = 0.25
#: A full-collection threshold CPython never reaches within a conversation.
_NEVER = 1_000_000


class IdleCollector:
    """Schedules one full collection shortly after each answer."""

    def __init__(self, delay: float = IDLE_DELAY) -> None:
        self.delay = delay
        self._timer: threading.Timer | None = None

    def answered(self) -> None:
        """An answer was given: collect once the next question is showing."""
        self.cancel()
        self._timer = threading.Timer(self.delay, gc.collect)
        self._timer.daemon = True
        self._timer.start()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


@contextmanager
def collect_when_idle(enabled: bool = True) -> Iterator[IdleCollector | None]:
    """Collect garbage between questions only when the person is reading (see the module)."""
    if not enabled:
        yield None
        return
    thresholds = gc.get_threshold()
    collector = IdleCollector()
    gc.freeze()
    gc.set_threshold(thresholds[0], thresholds[1], _NEVER)
    try:
        yield collector
    finally:
        collector.cancel()
        gc.set_threshold(*thresholds)
        gc.unfreeze()
