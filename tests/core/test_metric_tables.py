"""Metrics as tables: an extractor and a metric registered here are used everywhere, and the
best checkpoint's metric is a field of the run's config."""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.core import events as ev
from ganstudio.core.checkpoints import read_best
from ganstudio.core.config import ConfigError, TrainConfig
from ganstudio.core.data import Dataset
from ganstudio.core.metrics.eval_curves import EvalSeries
from ganstudio.core.metrics.evaluate import Evaluator, choose_extractor
from ganstudio.core.metrics.extractors import (
    EXTRACTORS,
    ExtractorEntry,
    best_criterion,
    register_extractor,
)
from ganstudio.core.metrics.measures import METRICS, MetricInfo, higher_is_better, register_metric
from ganstudio.core.monitoring.health import HealthMonitor
from ganstudio.core.progress import eval_summary
from ganstudio.core.rundir import RunDir
from ganstudio.core.trainer import Trainer
from tests.core.helpers import Recorder, tiny_config


def _mean_reference(evaluator, real: np.ndarray) -> dict[str, np.ndarray]:
    return {"mean": np.asarray(real.mean())}


def _mean_gap(evaluator, samples: np.ndarray, labels) -> dict[str, float]:
    return {"mean_gap": round(abs(float(samples.mean()) - float(evaluator.reference()["mean"])), 6)}


@pytest.fixture
def mean_gap():
    """A metric and an extractor that evaluates by itself, added from this test module."""
    register_metric(MetricInfo("mean_gap", "mean brightness gap", False, "gap"))
    register_extractor(
        ExtractorEntry(
            "mean-brightness",
            "mean brightness",
            "comparable between runs on the same images",
            ("images",),
            reference=_mean_reference,
            measure=_mean_gap,
            metrics=("mean_gap",),
            primary="mean_gap",
        )
    )
    yield
    EXTRACTORS.unregister("mean-brightness")
    METRICS.unregister("mean_gap")


def test_a_registered_extractor_and_metric_are_used_by_a_training_run(
    mean_gap, mnist_npz, tmp_path
):
    config = tiny_config(
        mnist_npz, "dcgan", steps=4, eval_every=2, eval_samples=64, eval_extractor="mean-brightness"
    )
    rec = Recorder()
    final = Trainer(config, runs_root=tmp_path, emit=rec).run()
    assert type(final).__name__ == "Finished", getattr(final, "traceback", final)
    assert any("mean brightness (chosen in the settings)" in n for n in rec.of("Started")[0].notes)
    events = rec.of("EvalMetrics")
    assert [e.step for e in events] == [2, 4]
    assert {e.metric for e in events} == {"mean_gap"} and "fd" not in events[-1].values
    best = read_best(RunDir(final.run_dir).checkpoints_dir)
    assert best["metric"] == "mean_gap" and best["higher_is_better"] is False
    assert best["value"] == min(e.values["mean_gap"] for e in events)

    series = EvalSeries()  # what the metric plot and the compare dialog list
    series.extend(RunDir(final.run_dir).read_metrics()[0])
    assert series.curves() == [
        ("mean-brightness", "mean_gap", "mean brightness gap (mean brightness)")
    ]
    assert "gap " in eval_summary(events[-1])


def test_a_registered_extractor_is_chosen_only_for_its_kinds(mean_gap):
    images = Dataset("noise", "images", np.random.default_rng(0).random((80, 8, 8, 1), np.float32))
    points = Dataset("blob", "points", np.random.default_rng(0).normal(size=(80, 2)))
    assert choose_extractor(images, "mean-brightness")[0] == "mean-brightness"
    assert choose_extractor(points, "mean-brightness")[0] == "points"
    record = Evaluator(images, "mean-brightness", samples=50).evaluate(images.x[:40] + 0.5)
    assert record["extractor"] == "mean-brightness" and record["mean_gap"] == pytest.approx(
        0.5, abs=0.05
    )
    TrainConfig(eval_extractor="mean-brightness", best_metric="mean_gap").validate()


def test_the_best_metric_is_a_config_field_checked_against_the_table():
    assert TrainConfig().best_metric == "auto"
    with pytest.raises(ConfigError, match="best_metric must be auto or one of fd, kid"):
        TrainConfig(best_metric="sharpness").validate()
    old = TrainConfig().to_dict()
    del old["best_metric"]  # a run folder from before the field existed
    assert TrainConfig.from_dict(old).validate().best_metric == "auto"
    assert TrainConfig.from_dict({**old, "best_metric": "kid"}).best_metric == "kid"


def test_the_criterion_follows_the_config_where_the_extractor_measures_it():
    assert best_criterion("digit-classifier") == ("fd", False, None)
    assert best_criterion("digit-classifier", "digits_covered") == ("digits_covered", True, None)
    assert best_criterion("toy-modes") == ("modes_covered", True, None)
    metric, higher, note = best_criterion("toy-modes", "kid")
    assert (metric, higher) == ("modes_covered", True)
    assert note == "best checkpoint by modes covered: the toy modes extractor does not measure KID"


def test_health_reads_labels_and_direction_from_the_metric_table():
    assert not higher_is_better("fd") and higher_is_better("coverage")
    monitor = HealthMonitor(primary="coverage", higher_is_better=higher_is_better("coverage"))
    warnings: list[ev.HealthWarning] = []
    for step, value in enumerate((0.8, 0.7, 0.5, 0.3, 0.2), start=1):
        warnings += monitor.evaluation(step * 100, {"coverage": value})
    kinds = {w.kind: w.message for w in warnings}
    assert "The coverage worsened three evaluations in a row" in kinds["diverging"]
