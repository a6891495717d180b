"""A tiny stand-in engine for worker-thread tests: emits real event objects and obeys
RunControl exactly as the Trainer contract says (tests of the real Trainer are elsewhere)."""

from __future__ import annotations

import time

import numpy as np

from ganstudio.core.control import RunControl
from ganstudio.core.events import (
    Failed,
    Finished,
    Paused,
    Resumed,
    SampleGrid,
    Started,
    StepMetrics,
)


class ScriptedTrainer:
    def __init__(
        self,
        config,
        *,
        emit,
        control=None,
        run_dir=None,
        resume=False,
        runs_root=None,
        step_time=0.0,
        fail_at=None,
    ):
        self.config = config
        self.emit = emit
        self.control = control or RunControl()
        self.run_dir = run_dir or "/tmp/scripted-run"
        self.step_time = step_time
        self.fail_at = fail_at

    def run(self):
        c = self.config
        self.emit(Started(self.run_dir, 0, c.steps, "CPU", c.to_dict()))
        step = 0
        while step < c.steps:
            at = step
            if not self.control.gate(
                on_pause=lambda at=at: self.emit(Paused(at)),
                on_resume=lambda at=at: self.emit(Resumed(at)),
            ):
                ev = Finished(step, "stopped", self.run_dir)
                self.emit(ev)
                return ev
            if self.step_time:
                time.sleep(self.step_time)
            step += 1
            if step == self.fail_at:
                ev = Failed(
                    step, f"loss became NaN at step {step}", "FloatingPointError", self.run_dir
                )
                self.emit(ev)
                return ev
            self.emit(StepMetrics(step, step / 100, 1.0, 1.0, 0.5, 0.5, 100.0))
            if step % c.sample_every == 0:
                self.emit(SampleGrid(step, np.full((4, 8, 8, 1), step / c.steps, np.float32)))
        ev = Finished(step, "completed", self.run_dir)
        self.emit(ev)
        return ev


def factory(**options):
    def make(config, **kwargs):
        return ScriptedTrainer(config, **kwargs, **options)

    return make
