"""The metrics thread: it evaluates generator snapshots while training goes on.

Threading contract: the training thread calls :meth:`MetricsWorker.submit` with the
generator's weights as NumPy arrays (copied at that step), :meth:`results` to collect
finished evaluations, and :meth:`close` at the end. Everything else happens on the
worker's own thread, which alone calls its own copy of the generator, the
:class:`~ganstudio.core.metrics.evaluate.Evaluator` (feature extractor included) and the
:class:`~ganstudio.core.metrics.best.BestKeeper`. Only plain data crosses.
"""

from __future__ import annotations

import queue
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

import numpy as np

from ganstudio.core.control import Cancelled
from ganstudio.core.metrics.best import BestKeeper
from ganstudio.core.metrics.evaluate import Evaluator
from ganstudio.core.ranges import from_output_range

GENERATE_BATCH = 250
ABANDON_S = 3.0  # a stopped run waits this long at most for a cancelled evaluation


class MetricsWorker:
    """Owns a generator copy and evaluates snapshots of the trained one, newest first."""

    def __init__(
        self,
        generator: Any,
        evaluator: Evaluator,
        *,
        latents: np.ndarray,
        labels: np.ndarray | None,
        output_range: tuple[float, float] | None,
        keeper: BestKeeper | None = None,
        export_best: Callable[[Any, int, dict], None] | None = None,
    ) -> None:
        self._gen = generator
        self._evaluator = evaluator
        self._latents = latents
        self._labels = labels
        self._range = output_range
        self._keeper = keeper
        self._export_best = export_best
        self._cond = threading.Condition()
        self._pending: tuple[int, list[np.ndarray]] | None = None
        self._busy = False
        self._ready = False  # the one-off setup is done
        self._closed = False
        self._cancel = threading.Event()
        self._results: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="ganstudio-metrics", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------ training thread
    def submit(self, step: int, weights: list[np.ndarray]) -> None:
        """Evaluate the generator with ``weights`` (replaces a snapshot still waiting)."""
        with self._cond:
            self._pending = (int(step), weights)
            self._cond.notify()

    @property
    def idle(self) -> bool:
        with self._cond:
            return not self._busy and self._pending is None

    def results(self) -> list[dict[str, Any]]:
        """Finished evaluations (records with ``step``; ``error`` if one failed)."""
        out = []
        while True:
            try:
                out.append(self._results.get_nowait())
            except queue.Empty:
                return out

    def close(self, *, finish: bool = True, timeout: float = 600.0) -> None:
        """Stop the thread: after the waiting snapshot (``finish``) or at once (cancelled:
        an evaluation under way is abandoned at its next check, waited for ``ABANDON_S``
        at most; the daemon thread then ends with the process, its result unused)."""
        with self._cond:
            self._closed = True
            if not finish:
                self._pending = None
                self._cancel.set()
                timeout = min(timeout, ABANDON_S)
            self._cond.notify()
        self._thread.join(timeout)

    # -------------------------------------------------------------- worker thread
    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._closed:
                    self._cond.wait()
                if self._pending is None:
                    return
                step, weights = self._pending
                self._pending, self._busy = None, True
            try:
                self._results.put(self._evaluate(step, weights))
            except Cancelled:
                return
            except Exception as exc:  # report, keep training
                message = f"{type(exc).__name__}: {exc}"
                self._results.put({"step": step, "error": message, "trace": traceback.format_exc()})
            finally:
                with self._cond:
                    self._busy = False

    def _call(self, start: int, stop: int) -> np.ndarray:
        z = self._latents[start:stop]
        if self._labels is not None:
            out = self._gen([z, self._labels[start:stop]], training=False)
        else:
            out = self._gen(z, training=False)
        return from_output_range(out, self._range)

    def _generate(self) -> np.ndarray:
        parts = []
        for i in range(0, len(self._latents), GENERATE_BATCH):
            if self._cancel.is_set():
                raise Cancelled
            parts.append(self._call(i, i + GENERATE_BATCH))
        return np.concatenate(parts)

    def _evaluate(self, step: int, weights: list[np.ndarray]) -> dict[str, Any]:
        setup = None
        if not self._ready:  # one-off, timed on its own: the reference, the first calls
            start = time.perf_counter()
            self._evaluator.reference()
            if self._cancel.is_set():
                raise Cancelled
            self._gen.set_weights(weights)
            labels = None if self._labels is None else self._labels[:GENERATE_BATCH]
            self._evaluator.evaluate(self._call(0, GENERATE_BATCH), labels)  # builds, traces
            setup, self._ready = time.perf_counter() - start, True
        start = time.perf_counter()
        self._gen.set_weights(weights)
        samples = self._generate()
        if self._cancel.is_set():
            raise Cancelled
        record = self._evaluator.evaluate(samples, self._labels)
        if self._cancel.is_set():  # abandoned: write no best checkpoint after the run ended
            raise Cancelled
        record["step"] = step
        record["eval_seconds"] = round(time.perf_counter() - start, 3)
        if setup is not None:
            record["setup_seconds"] = round(setup, 3)
        if self._keeper is not None and self._keeper.consider(step, record, weights):
            record["best"] = True
            if self._export_best is not None:
                self._export_best(self._gen, step, record)
        return record
