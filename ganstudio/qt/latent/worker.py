"""The latent explorer's generation jobs: a :class:`LatentRenderer` used only by the
explorer's :class:`~ganstudio.qt.common.jobs.JobRunner` thread.

Threading contract: every request is a job on the runner's lane of its channel
(``"view"``, ``"map"``, ``"strip"``, ``"directions"``, one lane per export, and
``"generator"`` for installing, loading or following a generator), so only the newest
slider position, map or path is rendered and shown (the runner's newest-request-wins).
The generator is handed over once (``install``/``load``) and is then called only on the
runner's thread. A generator being trained is followed with
``update_weights``: new weights (NumPy arrays) go into a model kept per architecture,
built once from the run's exported model. Results are NumPy arrays, plain dataclasses or
lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ganstudio.core.generator import LoadedGenerator
from ganstudio.core.latent import directions as ld
from ganstudio.core.latent.directions import layer_names
from ganstudio.core.latent.render import FastGenerator
from ganstudio.core.latent.sampling import write_samples


@dataclass(frozen=True)
class LatentJob:
    """One request: render ``z`` (view/map/strip), find directions, or export."""

    channel: str  # "view" | "map" | "strip" | "directions" | "export"
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


class LatentRenderer:
    """Owns the generator on the runner's thread and renders jobs (each method is a job)."""

    def __init__(self) -> None:
        self._gen: Any = None
        self._mixer: Any = None
        self._live: dict[tuple, Any] = {}  # architecture -> FastGenerator fed new weights

    def install(self, gen: Any) -> None:
        """Take over ``gen`` (from here on only this thread calls it)."""

        self._gen, self._mixer = FastGenerator(gen), None

    def load(self, path: str) -> GenInfo:
        """Load a run folder or exported generator and take it over."""
        try:
            gen = LoadedGenerator.load(path)
        except Exception as exc:  # report any loading problem to the user
            raise RuntimeError(f"cannot load a generator from {path}: {exc}") from exc
        self.install(gen)
        return GenInfo.of(gen, source=str(path))

    def update_weights(self, source: str, snapshot: Any) -> tuple[GenInfo, int, bool]:
        """Show ``snapshot``'s weights (a GeneratorWeights of the run in ``source``); returns
        (info, step, whether a model was built). The model is built only for an
        architecture not seen yet, from the exported model."""

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
            raise RuntimeError(f"cannot follow the generator in {source}: {exc}") from exc
        built = self._gen is not fast
        self._gen, self._mixer = fast, None
        return GenInfo.of(fast.gen, source=source), int(snapshot.info.get("step", 0)), built

    def render(self, job: LatentJob) -> Any:
        if self._gen is None:
            raise RuntimeError("no generator is loaded")
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
