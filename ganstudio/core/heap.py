"""Keep Python's cycle collector from pausing every thread for the engine's modules.

TensorFlow and Keras leave several hundred thousand long-lived Python objects behind
after their import. A full collection of the cyclic garbage collector walks all of them
while holding the GIL: ~0.25 s on a 2-core machine, during which the window's GUI thread
cannot run (measured with ``benchmarks/gui_overhead.py``: the worst freezes of the
window came from such collections in the training thread). :func:`freeze_engine_modules`
imports the engine once and moves everything alive at that moment into the collector's
permanent generation, so later collections only walk objects made afterwards, the
networks and pipelines of the runs among them, which stay collectable.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_frozen = False


def freeze_engine_modules() -> bool:
    """Import TensorFlow and Keras and freeze the heap as it is (once per process).

    Call it before a run builds its networks and input pipeline: what exists at the call
    is never collected. True when this call froze, False when an earlier one had.
    """
    global _frozen
    with _lock:
        if _frozen:
            return False
        import keras  # noqa: F401
        import tensorflow  # noqa: F401

        gc.freeze()
        _frozen = True
        return True
