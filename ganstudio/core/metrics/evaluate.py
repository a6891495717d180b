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

Use an Evaluator from one thread (it calls Keras models).
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core.data.dataset import Dataset
from ganstudio.core.imaging import atomic_write_bytes
from ganstudio.core.kinds import get_kind
from ganstudio.core.metrics import distances as dist
from ganstudio.core.metrics.features import (
    INFOS,
    DigitClassifier,
    Extractor,
    inception_weights,
    make_extractor,
)

K = 5  # neighbours for precision / recall / density / coverage
# A digit counts as covered when at least MIN_SHARE of its fair share (n / 10) of the
# samples are classified as it with probability ≥ CONFIDENT. Real MNIST gives every digit
# ≥ 0.83 of its share; samples of a single digit leak ≤ 0.7 share into another (but 2s
# read as 3s often enough to count: see the classifier's per-digit accuracy).
MIN_SHARE = 0.5
CONFIDENT = 0.5
DIGIT_LIKE_ACCURACY = 0.7  # classifier accuracy on labelled real data that marks digits

#: the metric the best checkpoint is chosen by, per extractor: (key, higher is better)
PRIMARY = {"toy-modes": ("modes_covered", True)}
PRIMARY_DEFAULT = ("fd", False)
LABELS = {
    "fd": "Fréchet distance",
    "kid": "KID",
    "precision": "precision",
    "recall": "recall",
    "density": "density",
    "coverage": "coverage",
    "diversity": "diversity (generated / real)",
    "classifier_score": "classifier score",
    "digits_covered": "digits covered",
    "class_accuracy": "class accuracy",
    "modes_covered": "modes covered",
    "high_quality_share": "high-quality share",
}


def primary_metric(extractor: str) -> tuple[str, bool]:
    return PRIMARY.get(extractor, PRIMARY_DEFAULT)


def extractor_label(name: str) -> str:
    if name in INFOS:
        return INFOS[name].label
    return {"toy-modes": "toy modes", "mel-bands": "mel bands"}.get(name, name)


def _digit_like(data: Dataset) -> bool:
    """Labelled data with classes 0-9 that the digit classifier reads well (seeded check)."""
    if data.y is None or [str(c) for c in data.class_names] != [str(d) for d in range(10)]:
        return False
    try:
        classifier = make_extractor("digit-classifier")
    except (FileNotFoundError, ValueError):
        return False
    pick = np.random.default_rng(0).choice(len(data), min(500, len(data)), replace=False)
    _, probs = classifier.features_and_probs(data.x[pick])
    return float((probs.argmax(axis=1) == data.y[pick]).mean()) >= DIGIT_LIKE_ACCURACY


def choose_extractor(data: Dataset, requested: str = "auto") -> tuple[str, str]:
    """(extractor name, why) for ``data``. Raises FileNotFoundError / ValueError for a
    requested extractor that cannot run here."""
    own = get_kind(data.kind).default_extractor  # a kind with its own measure
    if own is not None:
        return own(data)
    if requested != "auto":
        if requested not in INFOS or requested == "points":
            raise ValueError(f"unknown feature extractor {requested!r}")
        if requested == "inception-v3" and inception_weights() is None:
            make_extractor("inception-v3")  # raises with the message naming the file
        return requested, "chosen in the settings"
    if _digit_like(data):
        return "digit-classifier", "digit-like data: the digit classifier's features"
    if inception_weights() is not None:
        return "inception-v3", "InceptionV3 weights found: the standard FID"
    return "random-cnn", (
        "a fixed random CNN's features: comparable only between runs on this data set "
        "(for the standard FID put InceptionV3's weights in ~/.keras/models)"
    )


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
        self.samples = int(samples)
        self.seed = seed
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self._extractor: Extractor | None = None
        self._ref: dict[str, np.ndarray] | None = None
        self.reference_seconds = 0.0

    # ------------------------------------------------------------------ reference
    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            channels = self.data.x.shape[-1] if self.data.x.ndim == 4 else 1
            self._extractor = make_extractor(self.extractor_name, channels)
        return self._extractor

    def _cache_path(self) -> Path | None:
        if self.cache_dir is None:
            return None
        tag = self.extractor.fingerprint if self.extractor_name in INFOS else "data"
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
        real = self.data.x[np.sort(pick)]
        ref: dict[str, np.ndarray] = {}
        if self.extractor_name == "mel-bands":
            ref["real"] = real.astype(np.float32)
        elif self.extractor_name != "toy-modes":
            feats = self.extractor.features(real)
            mu, cov = dist.feature_stats(feats)
            ref.update(features=feats, mu=mu, cov=cov, radii=dist.knn_radii(feats, K))
            ref["diversity"] = np.asarray(dist.mean_pairwise_distance(feats))
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
        if self.extractor_name == "toy-modes":
            from ganstudio.core.data.toy2d import high_quality_share, mode_coverage

            covered, total = mode_coverage(samples, self.data.name)
            out.update(
                modes_covered=covered,
                modes_total=total,
                high_quality_share=round(high_quality_share(samples, self.data.name), 4),
            )
            return out
        ref = self.reference()
        if self.extractor_name == "mel-bands":
            from ganstudio.core.audio.metrics import frechet_mel_distance

            out["fd"] = frechet_mel_distance(ref["real"], samples)
            return out
        if isinstance(self.extractor, DigitClassifier):
            feats, probs = self.extractor.features_and_probs(samples)
            out.update(_classifier_measures(probs, labels))
        else:
            feats = self.extractor.features(samples)
        out["fd"] = dist.frechet_distance(*dist.feature_stats(feats), ref["mu"], ref["cov"])
        out["kid"], out["kid_std"] = dist.kernel_inception_distance(ref["features"], feats)
        out.update(dist.prdc(ref["features"], feats, k=K, real_radii=ref["radii"]))
        out["diversity"] = dist.mean_pairwise_distance(feats) / max(float(ref["diversity"]), 1e-12)
        return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in out.items()}


def _classifier_measures(probs: np.ndarray, labels: np.ndarray | None) -> dict[str, Any]:
    """Classifier score, digits covered and (for asked-for labels) per-class accuracy."""
    eps = 1e-12
    marginal = probs.mean(axis=0)
    kl = (probs * (np.log(probs + eps) - np.log(marginal + eps))).sum(axis=1)
    n, classes = probs.shape
    confident = probs.max(axis=1) >= CONFIDENT
    counts = np.bincount(probs.argmax(axis=1)[confident], minlength=classes)
    out: dict[str, Any] = {
        "classifier_score": float(np.exp(kl.mean())),
        "digits_covered": int((counts >= max(1.0, MIN_SHARE * n / classes)).sum()),
    }
    if labels is not None:
        labels = np.asarray(labels).reshape(-1)
        hit = probs.argmax(axis=1) == labels
        per_class = [
            float(hit[labels == c].mean()) if (labels == c).any() else None for c in range(classes)
        ]
        out["class_accuracy"] = float(hit.mean())
        out["class_accuracy_by_class"] = [None if v is None else round(v, 4) for v in per_class]
    return out
