"""Cyclic garbage is collected on the GUI thread, never in a worker thread that happens to
allocate (a Qt object destroyed from another thread crashed the test suite once)."""

from __future__ import annotations

import gc
import threading
from typing import ClassVar

from ganstudio.qt.common.collector import GuiThreadCollector


class Cycle:
    """Garbage that only the cycle collector frees; records the thread that freed it."""

    freed_in: ClassVar[list[int]] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        Cycle.freed_in.append(threading.get_ident())


def drop_a_cycle_then_allocate_in_a_worker(kept: list) -> int:
    """Returns the worker thread's id; what it allocated stays alive in ``kept``."""
    gc.collect()  # the young generation starts empty: nothing is collected before the worker
    Cycle()
    worker = threading.Thread(target=lambda: kept.extend({} for _ in range(50_000)))
    worker.start()
    worker.join()
    return worker.ident


def test_without_it_a_worker_thread_frees_the_cycle():
    """The hazard itself: automatic collection runs in whichever thread allocates."""
    Cycle.freed_in.clear()
    gc.enable()
    try:
        worker = drop_a_cycle_then_allocate_in_a_worker([])
    finally:
        gc.disable()  # as the autouse collector left it
    assert Cycle.freed_in == [worker]


def test_the_collector_frees_cycles_on_the_gui_thread_only(qtbot, _collect_on_the_gui_thread):
    collector = _collect_on_the_gui_thread
    assert not gc.isenabled()
    Cycle.freed_in.clear()
    kept: list = []  # alive, so the allocations stay counted past the threshold
    drop_a_cycle_then_allocate_in_a_worker(kept)
    assert Cycle.freed_in == []  # the worker allocated far past the threshold, collected nothing
    qtbot.waitUntil(lambda: Cycle.freed_in != [], timeout=5000)
    assert Cycle.freed_in == [threading.get_ident()]
    assert collector.collections[0] >= 1


def test_stop_collects_and_hands_collection_back(qapp):
    collector = GuiThreadCollector(qapp)
    Cycle.freed_in.clear()
    Cycle()
    collector.stop()
    assert Cycle.freed_in == [threading.get_ident()]
    assert not gc.isenabled()  # the autouse collector (installed first) still holds it
