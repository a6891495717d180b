"""The training thread's side of the quality metrics: when to evaluate, what to log.

:class:`QualityMonitor` is driven by the :class:`~ganstudio.core.trainer.Trainer` on the
training thread. At evaluation steps it copies the generator's weights (NumPy) and hands
them to the :class:`~.background.MetricsWorker`, which generates and measures on its own
thread with its own generator copy; finished evaluations come back here to be written to
``metrics.jsonl`` (``"type": "eval"`` records naming the extractor) and TensorBoard and
reported as :class:`EvalMetrics` events, with :class:`HealthWarning` events when
something looks wrong (also logged, as ``"type": "warning"`` records).

With ``eval_every`` unset the cadence adapts: evaluations fall on sample-grid steps, at
most one runs at a time, and after each one the gap to the next is set so that all the
metrics thread's work (the first and final evaluations and the reference statistics
included) stays under ``BUDGET`` (5 %) of the run's training time.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from ganstudio.core import events as ev
from ganstudio.core.generator import export_generator
from ganstudio.core.losses import get_loss
from ganstudio.core.metrics.best import BestKeeper
from ganstudio.core.metrics.distances import mean_pairwise_distance
from ganstudio.core.metrics.evaluate import Evaluator, choose_extractor
from ganstudio.core.metrics.extractors import best_criterion, extractor_label
from ganstudio.core.metrics.measures import DEFAULT_BEST, higher_is_better
from ganstudio.core.monitoring.background import MetricsWorker
from ganstudio.core.monitoring.health import HealthMonitor

BUDGET = 0.05  # evaluations may cost at most this share of training time (auto cadence)
PLAN = 0.9  # the auto cadence plans for this part of the budget: evaluation costs vary


class EvalSchedule:
    """Which steps to evaluate: every ``every`` steps, or (None) adaptively, on multiples
    of ``base`` (the sample interval) up to ``end``, spaced so that all the metrics thread's
    work (every evaluation, the final one and the one-off reference statistics included)
    costs ≤ ``budget`` of the run's training time."""

    def __init__(self, every: int | None, base: int, start: int, end: int, budget: float = BUDGET):
        self.every = every
        self.base = every or base
        self.budget = budget
        self.start, self.end = start, end
        self.next = (start // self.base + 1) * self.base
        self.cost: float | None = None  # seconds of the latest evaluation
        self.spent = 0.0  # seconds of all evaluations so far, reference statistics included
        self.last: int | None = None
        self.seconds_per_step = 0.0

    def interval(self) -> int:
        """Steps from the latest evaluation to the next. Auto: what is left of the budget,
        less the final evaluation's cost, is spread evenly over the steps left; when no
        evaluation fits before the end, the next one is the final one (at ``end``)."""
        if self.every or not self.cost or self.seconds_per_step <= 0 or self.last is None:
            return self.base
        allowed = PLAN * self.budget * (self.end - self.start) * self.seconds_per_step
        fit = max(0, math.floor((allowed - self.spent) / self.cost) - 1)  # -1: the final one
        steps = math.ceil((self.end - self.last) / (fit + 1) / self.base) * self.base
        return max(self.base, steps)

    def measured(self, seconds: float, setup_seconds: float = 0.0) -> None:
        """An evaluation took ``seconds`` (and the one-off setup before the first, such as
        the reference statistics, ``setup_seconds``): count them, and space the next
        evaluation by this cost."""
        self.cost = seconds
        self.spent += seconds + setup_seconds
        if self.every is None and self.last is not None:
            self.next = self.last + self.interval()

    def due(self, step: int, idle: bool, seconds_per_step: float) -> bool:
        """Whether to evaluate at ``step`` (auto: never at or after ``end``, which
        :meth:`QualityMonitor.finish` evaluates)."""
        if seconds_per_step > 0:
            self.seconds_per_step = seconds_per_step
        if step < self.next or (self.every is None and step >= self.end):
            return False
        if self.every is None and not idle:  # auto: one evaluation at a time
            self.next = step + self.base
            return False
        self.last = step
        self.next = step + self.interval()
        return True


class QualityMonitor:
    """Quality metrics, the best checkpoint and health warnings for one run."""

    def __init__(self, session: Any) -> None:
        self.s = session
        self.worker: MetricsWorker | None = None
        self.schedule: EvalSchedule | None = None
        self.extractor = ""
        self.health = HealthMonitor()
        self._began = (0, 0.0)  # (step, time.perf_counter()) when training began

    # ------------------------------------------------------------------ setup
    def start(self, step: int) -> list[str]:
        """Prepare (after the session's setup); returns notes for the Started event."""
        c, data = self.s.config, self.s.data
        primary, higher, note = DEFAULT_BEST, higher_is_better(DEFAULT_BEST), None
        enabled = c.eval_every != 0 and getattr(self.s, "quality_metrics", True)
        cluster = getattr(self.s, "cluster", None)
        if enabled and cluster is not None and not cluster.is_chief:
            return ["quality metrics: measured by the chief"]  # it alone writes the run
        if enabled:
            self.extractor, why = choose_extractor(data, c.eval_extractor)
            primary, higher, note = best_criterion(self.extractor, c.best_metric)
        self.health = HealthMonitor(
            probabilities=get_loss(c.loss).logits,
            patience=max(200, self.s.total_steps // 10),
            primary=primary,
            higher_is_better=higher,
        )
        if not enabled:
            if c.eval_every == 0:
                return ["quality metrics off (--eval-every 0)"]
            return [f"quality metrics: none for {c.model} (it reports its own measures)"]
        import keras

        n = c.eval_samples
        rng = np.random.default_rng(c.seed + 7919)  # the same latents at every evaluation
        latents = rng.standard_normal((n, c.latent_dim)).astype(np.float32)
        labels = None
        if self.s.spec.conditional:
            labels = (np.arange(n) % data.num_classes).astype(np.int32)
        copy = keras.models.clone_model(self.s.sampler)
        copy.set_weights(self.s.sampler.get_weights())
        evaluator = Evaluator(
            data, self.extractor, samples=n, seed=c.seed, cache_dir=self.s.run.path / "metrics_ref"
        )
        keeper = BestKeeper(self.s.run.checkpoints_dir, primary, higher, self.extractor)
        base_info = self.s.generator_info(step)

        def export_best(generator: Any, at: int, record: dict[str, Any]) -> None:
            info = {**base_info, "step": at, "checkpoint": "best", "metric": primary}
            info["value"] = record.get(primary)
            export_generator(generator, self.s.run.generator_dir / "best", info)

        self.worker = MetricsWorker(
            copy,
            evaluator,
            latents=latents,
            labels=labels,
            output_range=self.s.range,
            keeper=keeper,
            export_best=export_best,
        )
        self.schedule = EvalSchedule(c.eval_every, c.sample_every, step, self.s.total_steps)
        self._began = (step, time.perf_counter())
        cadence = f"every {c.eval_every} steps" if c.eval_every else "adaptive (≤ 5 % of time)"
        notes = [f"quality metrics: {extractor_label(self.extractor)} ({why}); {cadence}"]
        return notes + ([note] if note else [])

    # ---------------------------------------------------------------- training
    def after_step(self, step: int, logged: dict[str, float] | None) -> list:
        """Call after every step (``logged``: the values if this step was logged)."""
        out: list = []
        if logged is not None and "d_real" in logged:
            out += self._warn(self.health.train(step, logged["d_real"], logged["d_fake"]))
        if self.worker is not None and self.schedule is not None:
            began, t0 = self._began  # the mean pace since training began
            per_step = (time.perf_counter() - t0) / (step - began) if step > began else 0.0
            if self.schedule.due(step, self.worker.idle, per_step):
                self.worker.submit(step, self.s.sampler.get_weights())
            out += self._collect()
        return out

    def after_sample(self, step: int, samples: np.ndarray) -> list:
        """The fixed-noise samples of a sample grid: their diversity."""
        return self._warn(self.health.fixed_noise(step, mean_pairwise_distance(samples)))

    def finish(self, step: int, completed: bool) -> list:
        """End of the run: evaluate the final step (if completed) and stop the thread."""
        if self.worker is None:
            return []
        if completed and self.schedule is not None and self.schedule.last != step:
            self.worker.submit(step, self.s.sampler.get_weights())
        self.worker.close(finish=completed)
        out = self._collect()
        self.worker = None
        return out

    def close(self) -> None:
        """Stop the thread without waiting for evaluations (on failure)."""
        if self.worker is not None:
            self.worker.close(finish=False, timeout=30.0)
            self.worker = None

    # --------------------------------------------------------------- internals
    def _collect(self) -> list:
        out: list = []
        assert self.worker is not None
        for record in self.worker.results():
            step = int(record["step"])
            if "error" in record:
                out += self._warn(
                    [
                        ev.HealthWarning(
                            step, "metrics", f"quality metrics failed: {record['error']}"
                        )
                    ]
                )
                continue
            if self.schedule is not None:
                self.schedule.measured(
                    float(record["eval_seconds"]), float(record.get("setup_seconds", 0.0))
                )
            self.s.write_record({"type": "eval", **record, "time": round(time.time(), 3)})
            scalars = {
                f"eval/{self.extractor}/{k}": v
                for k, v in record.items()
                if isinstance(v, (int, float)) and not isinstance(v, bool) and k != "step"
            }
            self.s.write_scalars(step, scalars)
            values = {k: v for k, v in record.items() if k not in ("step", "extractor", "best")}
            primary = self.health.primary
            out.append(
                ev.EvalMetrics(step, self.extractor, values, primary, bool(record.get("best")))
            )
            out += self._warn(self.health.evaluation(step, record))
        return out

    def _warn(self, warnings: list[ev.HealthWarning]) -> list[ev.HealthWarning]:
        for w in warnings:
            record = {"type": "warning", "step": w.step, "kind": w.kind, "message": w.message}
            self.s.write_record(record)
        return warnings
