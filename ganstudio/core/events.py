"""Typed events the training loop reports.

Events are frozen dataclasses holding only plain data (numbers, strings, NumPy arrays),
so they may cross threads safely: the loop runs on a worker thread and the GUI or the
command line consumes them on theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Started:
    """The run is set up and about to train from ``step``."""

    run_dir: str
    step: int
    total_steps: int
    device: str
    config: dict
    notes: tuple[str, ...] = ()  # things the user should know (e.g. files skipped)


@dataclass(frozen=True)
class StepMetrics:
    """Metrics after a training step (``step`` counts completed steps)."""

    step: int
    epoch: float
    d_loss: float
    g_loss: float
    d_real: float  # mean D(x); a probability for BCE/hinge-free models, a score for critics
    d_fake: float  # mean D(G(z))
    steps_per_sec: float
    extra: dict = field(default_factory=dict)  # e.g. {"gp": ...} for WGAN-GP
    data_wait_ms: float = 0.0  # mean time a step waited for its batch since the last log


@dataclass(frozen=True)
class GeneratorWeights:
    """The generator as plain data: its weights (NumPy copies, in ``get_weights`` order)
    and its description (the ``generator.json`` fields), so a viewer on another thread can
    follow training without reading the exported model again."""

    weights: tuple[np.ndarray, ...]
    info: dict


@dataclass(frozen=True)
class SampleGrid:
    """Generator output for the fixed noise batch.

    ``images`` is float32 in [0, 1], shape (n, h, w, c) for image models; for 2-D point
    models it is (n, 2) in data coordinates and ``kind`` is "points". ``path`` is the PNG
    written to the run folder, if any. ``labels`` holds the class of each sample for
    conditional models. ``generator`` holds the generator's weights at this step.
    """

    step: int
    images: np.ndarray
    kind: str = "images"
    path: str | None = None
    labels: np.ndarray | None = None
    extra: dict = field(default_factory=dict)
    generator: GeneratorWeights | None = None


@dataclass(frozen=True)
class EvalMetrics:
    """Quality metrics of the generator at ``step`` (see :mod:`ganstudio.core.metrics`).

    ``values`` holds the numbers by name (``fd``, ``kid``, ``precision``, ``recall``, …,
    or ``modes_covered`` for 2-D sets); ``extractor`` names the features they were
    measured on (numbers from different extractors are not comparable). ``best`` says
    this step became the run's best checkpoint by ``metric``.
    """

    step: int
    extractor: str
    values: dict
    metric: str = "fd"
    best: bool = False


@dataclass(frozen=True)
class HealthWarning:
    """Something looks wrong with training: ``message`` says what was seen and what to try.

    ``kind`` is collapse | discriminator | diverging | oscillating, or metrics when the
    quality metrics themselves failed.
    """

    step: int
    kind: str
    message: str


@dataclass(frozen=True)
class CheckpointSaved:
    step: int
    path: str


@dataclass(frozen=True)
class Paused:
    step: int


@dataclass(frozen=True)
class Resumed:
    step: int


@dataclass(frozen=True)
class Finished:
    """The loop ended. ``reason`` is "completed" or "stopped"; ``message`` says more
    when there is more to say (e.g. stopped while the data loaded: nothing was saved)."""

    step: int
    reason: str
    run_dir: str
    message: str = ""


@dataclass(frozen=True)
class Failed:
    """The loop ended with an error; ``message`` is meant for a person to read."""

    step: int
    message: str
    error_type: str
    run_dir: str | None = None
    traceback: str = ""


Event = (
    Started
    | StepMetrics
    | SampleGrid
    | EvalMetrics
    | HealthWarning
    | CheckpointSaved
    | Paused
    | Resumed
    | Finished
    | Failed
)
