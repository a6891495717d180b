"""The latent explorer's generation worker: runs on its own QThread.

Threading contract: the GUI thread stamps every request through a shared
:class:`StampBoard` and emits it to :meth:`LatentWorker.process` (a queued slot). The
worker skips any request whose stamp is no longer the newest on its channel, so only
the latest slider position, map or path is rendered; the GUI also ignores results whose
stamp is stale. The generator is handed over once (``install``/``load``) and is then
called only on the worker thread. A generator being trained is followed with
``update_weights``: new weights (NumPy arrays) go into a model kept per architecture,
built once from the run's exported model. Results are NumPy arrays, plain dataclasses or
lists.
"""

from __future__ import annotations

import threading
import traceback
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from ganstudio.core.generator import LoadedGenerator
from ganstudio.core.latent import directions as ld
from ganstudio.core.latent.directions import layer_names
from ganstudio.core.latent.render import FastGenerator
from ganstudio.core.latent.sampling import write_samples

NEVER_STALE = ("export",)


class StampBoard:
    """Thread-safe newest-request stamps, one counter per channel."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: dict[str, int] = {}
        self._counter = 0
        self.dropped = 0

    def next(self, channel: str) -> int:
        with self._lock:
            self._counter += 1
            self._latest[channel] = self._counter
            return self._counter

    def latest(self, channel: str) -> int | None:
        """The newest stamp handed out on ``channel`` (None if none yet)."""
        with self._lock:
            return self._latest.get(channel)

    def invalidate(self) -> None:
        """Make every pending request stale (e.g. when the generator changes)."""
        with self._lock:
            for channel in self._latest:
                self._counter += 1
                self._latest[channel] = self._counter

    def is_current(self, channel: str, stamp: int) -> bool:
        if channel in NEVER_STALE:
            return True
        with self._lock:
            return self._latest.get(channel) == stamp

    def note_dropped(self) -> None:
        with self._lock:
            self.dropped += 1


@dataclass(frozen=True)
class LatentJob:
    """One request: render ``z`` (view/map/strip), find directions, or export."""

    channel: str  # "view" | "map" | "strip" | "directions" | "export"
    stamp: int
    z: np.ndarray | None = None
    labels: np.ndarray | None = None
    label_to: np.ndarray | None = None
    mix: np.ndarray | None = None
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class GenInfo:
    """What the GUI needs to know about a generator (plain data)."""

    latent_dim: int
    num_classes: int
    class_names: tuple[str, ...]
    kind: str
    output_shape: tuple[int, ...]
    layers: tuple[str, ...]
    source: str

    @classmethod
    def of(cls, gen: Any, source: str = "") -> GenInfo:
        n = int(getattr(gen, "num_classes", 0) or 0)
        names = tuple(str(c) for c in (getattr(gen, "class_names", None) or ()))
        if n and len(names) != n:
            names = tuple(str(i) for i in range(n))
        return cls(
            latent_dim=int(gen.latent_dim),
            num_classes=n,
            class_names=names,
            kind=str(gen.kind),
            output_shape=tuple(int(s) for s in gen.output_shape if s is not None),
            layers=tuple(layer_names(gen)),
            source=source,
        )


class LatentWorker(QObject):
    """Owns the generator on the worker thread and renders requests."""

    loaded = Signal(object)  # GenInfo, after ``load``
    weights_applied = Signal(object, int, bool)  # GenInfo, step, a newly built model
    result = Signal(str, int, object, object)  # channel, stamp, payload, job
    failed = Signal(str, int, str)  # channel, stamp, message

    def __init__(self, stamps: StampBoard) -> None:
        super().__init__()
        self._stamps = stamps
        self._gen: Any = None
        self._mixer: Any = None
        self._live: dict[tuple, Any] = {}  # architecture -> FastGenerator fed new weights

    @Slot(object)
    def install(self, gen: Any) -> None:
        """Take over ``gen`` (from here on only this thread calls it)."""

        self._gen, self._mixer = FastGenerator(gen), None

    @Slot(str)
    def load(self, path: str) -> None:
        """Load a run folder or exported generator, then emit ``loaded``."""
        try:
            gen = LoadedGenerator.load(path)
        except Exception as exc:  # report any loading problem to the user
            self.failed.emit("load", 0, f"cannot load a generator from {path}: {exc}")
            return
        self.install(gen)
        self.loaded.emit(GenInfo.of(gen, source=str(path)))

    @Slot(str, object)
    def update_weights(self, source: str, snapshot: Any) -> None:
        """Show ``snapshot``'s weights (a GeneratorWeights of the run in ``source``). The
        model is built only for an architecture not seen yet, from the exported model."""

        weights = list(snapshot.weights)
        key = (str(snapshot.info.get("model")), tuple(w.shape for w in weights))
        fast = self._live.get(key)
        try:
            if fast is None:
                fast = FastGenerator(LoadedGenerator.load(source))
                self._live = {key: fast}  # one architecture at a time is enough
            fast.model.set_weights(weights)
        except Exception as exc:  # reported; the explorer keeps the generator it had
            self._live.pop(key, None)
            self.failed.emit("load", 0, f"cannot follow the generator in {source}: {exc}")
            return
        built = self._gen is not fast
        self._gen, self._mixer = fast, None
        info = GenInfo.of(fast.gen, source=source)
        self.weights_applied.emit(info, int(snapshot.info.get("step", 0)), built)

    @Slot(object)
    def process(self, job: LatentJob) -> None:
        if not self._stamps.is_current(job.channel, job.stamp):
            self._stamps.note_dropped()
            return
        if self._gen is None:
            self.failed.emit(job.channel, job.stamp, "no generator is loaded")
            return
        try:
            payload = self._run(job)
        except Exception as exc:  # shown to the user; the explorer stays usable
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            self.failed.emit(job.channel, job.stamp, detail)
            return
        self.result.emit(job.channel, job.stamp, payload, job)

    def _run(self, job: LatentJob) -> Any:
        gen = self._gen
        if job.channel == "directions":
            return ld.principal_directions(gen, **job.params)
        if job.channel == "export":
            return [str(p) for p in write_samples(gen, **job.params)]
        if job.label_to is not None and job.mix is not None and np.any(job.mix > 0):
            if self._mixer is None:
                self._mixer = ld.ClassMixer(gen)
            out = self._mixer.generate(job.z, job.labels, job.label_to, job.mix)
        else:
            out = gen.generate(job.z, job.labels)
        return np.asarray(out, np.float32)
