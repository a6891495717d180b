"""The table of feature extractors: what each is called, which data it applies to, how it
is built and how it evaluates.

Entries are tried in order when the config says ``eval_extractor = "auto"``: the first
that applies to the data's kind and :attr:`~ExtractorEntry.suits` the data wins. The
pseudo-extractors ``toy-modes`` and ``mel-bands`` are entries like the others; they
build no feature network and evaluate by themselves (:mod:`.methods`). A new extractor is
one :func:`register_extractor` call (a plugin's or a test's). Importing this is cheap:
TensorFlow loads when an extractor is built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ganstudio.core.metrics import features as ft
from ganstudio.core.metrics import methods
from ganstudio.core.metrics.measures import AUTO, DEFAULT_BEST, higher_is_better, metric_label
from ganstudio.core.tables import Table

DIGIT_LIKE_ACCURACY = 0.7  # classifier accuracy on labelled real data that marks digits

Reference = Callable[[Any, np.ndarray], dict[str, np.ndarray]]  # (evaluator, real samples)
Measure = Callable[..., dict[str, Any]]  # (evaluator, samples, labels or None)


def _always(data: Any) -> bool:
    return True


@dataclass(frozen=True)
class ExtractorEntry:
    """One way of measuring generated samples against the data."""

    name: str  # in every metric record it produces
    label: str  # for axis titles
    comparable: str  # with what its numbers may be compared
    kinds: tuple[str, ...]  # the data kinds it applies to ("images", "points", "audio" …)
    #: channels -> a :class:`~.features.Extractor`; None for one that evaluates by itself
    build: Callable[[int], ft.Extractor] | None = None
    reference: Reference = methods.feature_reference  # the real data's reference
    measure: Measure = methods.feature_measure  # (evaluator, samples, labels) -> metrics
    metrics: tuple[str, ...] = methods.FEATURE_METRICS  # what ``measure`` reports
    primary: str = DEFAULT_BEST  # the best checkpoint's metric unless the config says else
    selectable: bool = True  # may be asked for by name (settings, --eval-extractor)
    suits: Callable[[Any], bool] = _always  # "auto" picks it for this data set
    why: str = ""  # the reason "auto" gives when it picks it
    missing: Callable[[], str | None] = lambda: None  # what it lacks to run here, if anything


EXTRACTORS: Table[ExtractorEntry] = Table("feature extractor")


def register_extractor(entry: ExtractorEntry, *, replace: bool = False) -> ExtractorEntry:
    """Add an extractor to the table (a plugin or a test may)."""
    return EXTRACTORS.register(entry.name, entry, replace=replace)


def get_extractor(name: str) -> ExtractorEntry:
    """The entry called ``name``; raises ValueError naming the known ones."""
    if name not in EXTRACTORS:
        names = ", ".join(EXTRACTORS.names())
        raise ValueError(f"unknown feature extractor {name!r}; choose one of: {names}")
    return EXTRACTORS.get(name)


def selectable_extractors() -> tuple[str, ...]:
    """The names a user may ask for (besides ``auto``)."""
    return tuple(e.name for e in EXTRACTORS if e.selectable)


def make_extractor(name: str, channels: int = 1) -> ft.Extractor:
    """Build the feature extractor ``name``; FileNotFoundError if its weights are missing,
    ValueError if it is unknown or builds no features."""
    entry = get_extractor(name)
    if entry.build is None:
        raise ValueError(f"{name} evaluates by itself: it has no feature network")
    return entry.build(channels)


def extractor_label(name: str) -> str:
    return EXTRACTORS.get(name).label if name in EXTRACTORS else name


def primary_metric(name: str) -> tuple[str, bool]:
    """(the metric extractor ``name`` picks the best checkpoint by, higher is better)."""
    key = EXTRACTORS.get(name).primary if name in EXTRACTORS else DEFAULT_BEST
    return key, higher_is_better(key)


def best_criterion(name: str, requested: str = AUTO) -> tuple[str, bool, str | None]:
    """(metric, higher is better, a note or None) the best checkpoint is chosen by, for
    extractor ``name`` and the config's ``best_metric`` (``auto``: the extractor's own
    primary metric; one it does not measure falls back to that, with a note)."""
    entry = get_extractor(name)
    if requested in (AUTO, entry.primary) or requested in entry.metrics:
        key = entry.primary if requested == AUTO else requested
        return key, higher_is_better(key), None
    note = (
        f"best checkpoint by {metric_label(entry.primary)}: the {entry.label} extractor "
        f"does not measure {metric_label(requested)}"
    )
    return entry.primary, higher_is_better(entry.primary), note


def digit_like(data: Any) -> bool:
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


for _entry in (
    ExtractorEntry(
        "toy-modes",
        "toy modes",
        "comparable between runs on the same toy set",
        ("points",),
        reference=methods.no_reference,
        measure=methods.toy_modes_measure,
        metrics=("modes_covered", "high_quality_share"),
        primary="modes_covered",
        selectable=False,
        suits=lambda data: "modes" in data.meta,
        why="2-D toy set: modes covered",
    ),
    ExtractorEntry(
        "points",
        "2-D points",
        "comparable between runs on the same points",
        ("points",),
        build=lambda channels: ft.Points(),
        selectable=False,
        why="2-D points: distances between the point sets themselves",
    ),
    ExtractorEntry(
        "mel-bands",
        "mel bands",
        "comparable between runs on the same sounds",
        ("audio",),
        reference=methods.real_samples_reference,
        measure=methods.mel_bands_measure,
        metrics=("fd",),
        selectable=False,
        why="audio: Fréchet distance of mel-band statistics",
    ),
    ExtractorEntry(
        "digit-classifier",
        "digit classifier",
        "comparable across runs on digit data",
        ("images",),
        build=lambda channels: ft.DigitClassifier(),
        metrics=methods.FEATURE_METRICS + methods.CLASSIFIER_METRICS,
        suits=digit_like,
        why="digit-like data: the digit classifier's features",
    ),
    ExtractorEntry(
        "inception-v3",
        "InceptionV3",
        "comparable with published FIDs on the same data",
        ("images",),
        build=lambda channels: ft.Inception(),
        suits=lambda data: ft.inception_weights() is not None,
        missing=lambda: None if ft.inception_weights() else ft.inception_missing_message(),
        why="InceptionV3 weights found: the standard FID",
    ),
    ExtractorEntry(
        "random-cnn",
        "random CNN",
        "comparable only between runs on this same data set",
        ("images",),
        build=ft.RandomCNN,
        why=(
            "a fixed random CNN's features: comparable only between runs on this data set "
            "(for the standard FID put InceptionV3's weights in ~/.keras/models)"
        ),
    ),
):
    register_extractor(_entry)
