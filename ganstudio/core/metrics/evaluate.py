"""Every quality metric of a batch of generated samples against the training data.

:class:`Evaluator` holds the real data's reference (features of a seeded subset, their
statistics and k-NN radii; cached in the run folder so a resumed run or ``ganstudio
eval`` does not compute it again) and measures generated samples:

- images: Fréchet distance (``fd``), KID, precision, recall, density, coverage and
  feature diversity (mean pairwise distance, generated / real), on the features of the
  chosen extractor (:mod:`.features`); with the digit classifier also the classifier score
  (an Inception-score-like ``exp E[KL(p(y|x) ‖ p(y))]``), the digits covered and, for
  conditional generators, the share of samples classified as the class they were asked for;
- 2-D toy sets: modes covered and the share of high-quality points (:mod:`..data.toy2d`);
- audio: the Fréchet distance of mel-band statistics (:mod:`..audio.metrics`).

Which of these applies is the extractor table's business (:mod:`.extractors`); each entry
says how it evaluates (:mod:`.methods`).

Use an Evaluator from one thread (it calls Keras models).
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core.atomic import atomic_write_bytes
from ganstudio.core.data.dataset import Dataset
from ganstudio.core.kinds import get_kind
from ganstudio.core.metrics.extractors import (
    EXTRACTORS,
    ExtractorEntry,
    extractor_label,
    get_extractor,
    primary_metric,
)
from ganstudio.core.metrics.features import Extractor
from ganstudio.core.metrics.measures import metric_label

__all__ = ["Evaluator", "choose_extractor", "extractor_label", "metric_label", "primary_metric"]


def choose_extractor(data: Dataset, requested: str = "auto") -> tuple[str, str]:
    """(extractor name, why) for ``data``: the kind's own choice if it has one, else the
    ``requested`` one if it applies to the data's kind, else the first entry of the table
    that applies and suits the data. Raises FileNotFoundError / ValueError for a requested
    extractor that cannot run here."""
    own = get_kind(data.kind).default_extractor  # a kind that names its own measure
    if own is not None:
        return own(data)
    if requested != "auto":
        entry = get_extractor(requested)
        if not entry.selectable:
            raise ValueError(f"unknown feature extractor {requested!r}")
        if data.kind in entry.kinds:
            if (missing := entry.missing()) is not None:
                raise FileNotFoundError(missing)
            return requested, "chosen in the settings"
    for entry in EXTRACTORS:
        if data.kind in entry.kinds and entry.suits(data):
            return entry.name, entry.why
    raise ValueError(f"no feature extractor applies to {data.kind} data")


class Evaluator:
    """Reference statistics of ``data`` and the metrics of generated samples."""

    def __init__(
        self,
        data: Dataset,
        extractor: str,
        *,
        samples: int = 2000,
        seed: int = 0,
        cache_dir: str | Path | None = None,
    ) -> None:
        self.data = data
        self.extractor_name = extractor
        self.entry: ExtractorEntry = get_extractor(extractor)
        self.samples = int(samples)
        self.seed = seed
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self._extractor: Extractor | None = None
        self._ref: dict[str, np.ndarray] | None = None
        self.reference_seconds = 0.0

    # ------------------------------------------------------------------ reference
    @property
    def extractor(self) -> Extractor:
        """The feature network (for an entry that evaluates with one)."""
        if self._extractor is None:
            if self.entry.build is None:
                raise ValueError(f"{self.extractor_name} evaluates by itself: no features")
            channels = self.data.x.shape[-1] if self.data.x.ndim == 4 else 1
            self._extractor = self.entry.build(channels)
        return self._extractor

    def _cache_path(self) -> Path | None:
        if self.cache_dir is None:
            return None
        tag = self.extractor.fingerprint if self.entry.build is not None else "data"
        name = f"reference-{self.extractor_name}-{tag}-n{self.samples}-s{self.seed}.npz"
        return self.cache_dir / name

    def reference(self) -> dict[str, np.ndarray]:
        """The real data's reference, computed once (and cached in ``cache_dir``)."""
        if self._ref is not None:
            return self._ref
        path = self._cache_path()
        if path is not None and path.is_file():
            try:
                with np.load(path) as f:
                    self._ref = {k: f[k] for k in f.files}
                return self._ref
            except (OSError, ValueError):
                pass  # damaged: compute again
        start = time.perf_counter()
        pick = np.random.default_rng(self.seed).choice(
            len(self.data), min(self.samples, len(self.data)), replace=False
        )
        ref = self.entry.reference(self, self.data.x[np.sort(pick)])
        self.reference_seconds = time.perf_counter() - start
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            buf = io.BytesIO()
            np.savez(buf, **ref)
            atomic_write_bytes(path, buf.getvalue())
        self._ref = ref
        return ref

    # ------------------------------------------------------------------ metrics
    def evaluate(self, samples: np.ndarray, labels: np.ndarray | None = None) -> dict[str, Any]:
        """Every metric of generated ``samples`` (as the generator outputs them in [0, 1],
        or points in data units); ``labels`` are the classes asked of a conditional one."""
        samples = np.asarray(samples, np.float32)
        out: dict[str, Any] = {"extractor": self.extractor_name, "n": len(samples)}
        return {**out, **self.entry.measure(self, samples, labels)}
