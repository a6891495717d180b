"""How an entry of the extractor table evaluates: its reference and its measures.

Each function takes the :class:`~ganstudio.core.metrics.evaluate.Evaluator` (for its data,
its feature extractor and its cached reference) and returns plain numbers:

- features (the default): Fréchet distance (``fd``), KID, precision, recall, density,
  coverage and feature diversity on an extractor's features; with a classifier (an
  extractor with ``features_and_probs``) also the classifier score, digits covered and,
  for conditional generators, the class accuracy;
- toy modes: modes covered and the share of high-quality points (:mod:`..data.toy2d`);
- mel bands: the Fréchet distance of mel-band statistics (:mod:`..audio.metrics`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ganstudio.core.data.toy2d import high_quality_share, mode_coverage
from ganstudio.core.metrics import distances as dist
from ganstudio.core.metrics.mel_distance import frechet_mel_distance

K = 5  # neighbours for precision / recall / density / coverage
# A digit counts as covered when at least MIN_SHARE of its fair share (n / 10) of the
# samples are classified as it with probability ≥ CONFIDENT. Real MNIST gives every digit
# ≥ 0.83 of its share; samples of a single digit leak ≤ 0.7 share into another (but 2s
# read as 3s often enough to count: see the classifier's per-digit accuracy).
MIN_SHARE = 0.5
CONFIDENT = 0.5

FEATURE_METRICS = ("fd", "kid", "precision", "recall", "density", "coverage", "diversity")
CLASSIFIER_METRICS = ("classifier_score", "digits_covered", "class_accuracy")


# ------------------------------------------------------------------ features
def feature_reference(ev: Any, real: np.ndarray) -> dict[str, np.ndarray]:
    """The real samples' features, their statistics, k-NN radii and diversity."""
    feats = ev.extractor.features(real)
    mu, cov = dist.feature_stats(feats)
    ref = {"features": feats, "mu": mu, "cov": cov, "radii": dist.knn_radii(feats, K)}
    ref["diversity"] = np.asarray(dist.mean_pairwise_distance(feats))
    return ref


def feature_measure(ev: Any, samples: np.ndarray, labels: np.ndarray | None) -> dict[str, Any]:
    """Every feature metric of ``samples`` against the reference."""
    ref = ev.reference()
    out: dict[str, Any] = {}
    if hasattr(ev.extractor, "features_and_probs"):
        feats, probs = ev.extractor.features_and_probs(samples)
        out.update(classifier_measures(probs, labels))
    else:
        feats = ev.extractor.features(samples)
    out["fd"] = dist.frechet_distance(*dist.feature_stats(feats), ref["mu"], ref["cov"])
    out["kid"], out["kid_std"] = dist.kernel_inception_distance(ref["features"], feats)
    out.update(dist.prdc(ref["features"], feats, k=K, real_radii=ref["radii"]))
    out["diversity"] = dist.mean_pairwise_distance(feats) / max(float(ref["diversity"]), 1e-12)
    return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in out.items()}


def classifier_measures(probs: np.ndarray, labels: np.ndarray | None) -> dict[str, Any]:
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


# ---------------------------------------------------------------- toy modes
def no_reference(ev: Any, real: np.ndarray) -> dict[str, np.ndarray]:
    return {}


def toy_modes_measure(ev: Any, samples: np.ndarray, labels: np.ndarray | None) -> dict[str, Any]:
    """Modes of the 2-D toy set covered, and the share of points near a mode."""
    covered, total = mode_coverage(samples, ev.data.name)
    return {
        "modes_covered": covered,
        "modes_total": total,
        "high_quality_share": round(high_quality_share(samples, ev.data.name), 4),
    }


# ---------------------------------------------------------------- mel bands
def real_samples_reference(ev: Any, real: np.ndarray) -> dict[str, np.ndarray]:
    return {"real": real.astype(np.float32)}


def mel_bands_measure(ev: Any, samples: np.ndarray, labels: np.ndarray | None) -> dict[str, Any]:
    """The Fréchet distance of mel-band statistics of real and generated spectrograms."""
    return {"fd": frechet_mel_distance(ev.reference()["real"], samples)}
