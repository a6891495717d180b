"""The table of quality metrics: each metric's name, label and which way is better.

Monitor, health warnings, the best checkpoint, the command line's summaries, the metric
plot and the compare dialog all read a metric's label and direction here. A new metric
is one :func:`register_metric` call (and an extractor that reports it, see
:mod:`.extractors`). Plain data, no TensorFlow.
"""

from __future__ import annotations

from dataclasses import dataclass

from ganstudio.core.tables import Table

#: the metric the best checkpoint is chosen by unless an extractor or the config says else
DEFAULT_BEST = "fd"
AUTO = "auto"  # TrainConfig.best_metric: the extractor's own primary metric


@dataclass(frozen=True)
class MetricInfo:
    """One quality metric as records, plots and summaries name it."""

    name: str  # the key in metric records
    label: str  # axis titles, warnings, ``ganstudio eval``
    higher_is_better: bool
    short: str = ""  # in one-line summaries (progress line); "" leaves it out


METRICS: Table[MetricInfo] = Table("quality metric")


def register_metric(info: MetricInfo, *, replace: bool = False) -> MetricInfo:
    """Add a metric to the table (a plugin or a test may)."""
    return METRICS.register(info.name, info, replace=replace)


def metric_label(name: str) -> str:
    """The label of metric ``name`` (its name, spaced, if the table does not hold it)."""
    return METRICS.get(name).label if name in METRICS else name.replace("_", " ")


def higher_is_better(name: str) -> bool:
    """Which way metric ``name`` improves; raises UnknownName for a metric not in the table."""
    return METRICS.get(name).higher_is_better


def axis_title(name: str) -> str:
    """A plot's axis title for metric ``name``: its label and which way is better."""
    if name not in METRICS:
        return metric_label(name)
    better = "higher" if higher_is_better(name) else "lower"
    return f"{metric_label(name)} ({better} is better)"


def metric_names() -> tuple[str, ...]:
    return METRICS.names()


for _info in (
    MetricInfo("fd", "Fréchet distance", False, "FD"),
    MetricInfo("kid", "KID", False, "KID"),
    MetricInfo("precision", "precision", True, "precision"),
    MetricInfo("recall", "recall", True, "recall"),
    MetricInfo("density", "density", True),
    MetricInfo("coverage", "coverage", True, "coverage"),
    MetricInfo("diversity", "diversity (generated / real)", True),
    MetricInfo("classifier_score", "classifier score", True),
    MetricInfo("digits_covered", "digits covered", True, "digits"),
    MetricInfo("class_accuracy", "class accuracy", True, "class acc"),
    MetricInfo("modes_covered", "modes covered", True, "modes covered"),
    MetricInfo("high_quality_share", "high-quality share", True, "high quality share"),
):
    register_metric(_info)
