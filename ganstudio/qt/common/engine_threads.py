"""Leave the GUI thread its share of the CPU while the window trains.

:func:`configure_tf_threads` sets TensorFlow's thread pools before TensorFlow starts its
runtime (the engine probe and the training thread both call it, with the same values):
one thread fewer than the cores for an op's own work where there are more than two
cores, and one op at a time, so no pool of spinning threads crowds out the GUI thread.
:func:`lower_thread_priority` can make the calling thread (the training thread) yield
when the CPU is contended; TensorFlow's pool threads created from it inherit that. Its
default is no change (see ``TRAINING_NICENESS``). The command line leaves both alone.
"""

from __future__ import annotations

import os
import threading

#: added to the training thread's nice value (Linux, per thread). 0: measured with
#: ``benchmarks/gui_overhead.py`` on 2 busy cores, +5 made things worse, not better — the
#: training thread (and the metrics thread it starts) hold the GIL between ops, and a
#: de-prioritised holder keeps the GUI thread waiting (window ÷ headless 0.40, timer
#: lateness max 842 ms at +5; 1.02 and 370 ms at 0).
TRAINING_NICENESS = 0


def tf_thread_counts(cores: int | None = None) -> tuple[int, int]:
    """(intra-op, inter-op) thread counts for ``cores`` CPUs (default: this machine's)."""
    cores = cores or os.cpu_count() or 1
    return (cores - 1 if cores > 2 else cores), 1


def configure_tf_threads() -> bool:
    """Set the thread counts unless TensorFlow's runtime already started (then False)."""
    import tensorflow as tf

    intra, inter = tf_thread_counts()
    try:
        tf.config.threading.set_intra_op_parallelism_threads(intra)
        tf.config.threading.set_inter_op_parallelism_threads(inter)
    except RuntimeError:  # initialised already, e.g. by a headless run in this process
        return False
    return True


def lower_thread_priority(by: int | None = None) -> bool:
    """Raise the calling thread's nice value by ``by`` (default ``TRAINING_NICENESS``;
    Linux); False where that is not possible."""
    by = TRAINING_NICENESS if by is None else by
    if by <= 0 or not hasattr(os, "setpriority") or not hasattr(threading, "get_native_id"):
        return False
    tid = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + by))
    except OSError:
        return False
    return True
