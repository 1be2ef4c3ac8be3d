"""No full garbage collection between an answer and the next question (issue 12e).

benchmarks/pauses.py measures the pauses in a real terminal; these tests pin the mechanism.
"""

from __future__ import annotations

import gc
import threading

import pytest

from topcli.idle_gc import IdleCollector, collect_when_idle


def test_a_conversation_leaves_the_collector_as_it_found_it() -> None:
    before = (gc.get_threshold(), gc.get_freeze_count(), gc.isenabled())
    with pytest.raises(KeyboardInterrupt), collect_when_idle() as idle:
        assert idle is not None
        assert gc.get_threshold()[2] > 10_000  # no full collection of its own accord
        idle.answered()
        raise KeyboardInterrupt  # Ctrl-C mid-conversation restores it too
    assert (gc.get_threshold(), gc.get_freeze_count(), gc.isenabled()) == before


def test_objects_alive_at_the_start_are_not_walked_again() -> None:
    keep = [[n] for n in range(1000)]
    with collect_when_idle():
        assert gc.get_freeze_count() >= len(keep)
    assert gc.get_freeze_count() == 0


def test_each_answer_brings_one_full_collection_a_moment_later() -> None:
    done = threading.Event()

    def probe(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            done.set()

    gc.callbacks.append(probe)
    try:
        with collect_when_idle():
            IdleCollector(delay=0.01).answered()
            assert done.wait(5), "no full collection after an answer"
    finally:
        gc.callbacks.remove(probe)


def test_answers_nobody_types_change_nothing() -> None:
    before = gc.get_threshold()
    with collect_when_idle(enabled=False) as idle:
        assert idle is None
        assert gc.get_threshold() == before
