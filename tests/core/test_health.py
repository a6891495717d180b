"""Health warnings from synthetic metric series, and the adaptive evaluation cadence."""

from __future__ import annotations

from ganstudio.core.monitoring.health import HealthMonitor
from ganstudio.core.monitoring.monitor import EvalSchedule


def kinds(warnings) -> list[str]:
    return [w.kind for w in warnings]


def test_a_discriminator_winning_for_long_is_reported_once_and_again_after_recovery():
    m = HealthMonitor(patience=200)
    seen = []
    for step in range(10, 300, 10):
        seen += m.train(step, 0.98, 0.02)
    assert kinds(seen) == ["discriminator"]
    assert seen[0].step == 210 and "since step 10" in seen[0].message
    assert "learning rate" in seen[0].message  # what to try
    assert m.train(300, 0.6, 0.4) == []  # recovered: re-armed
    again = [w for s in range(310, 600, 10) for w in m.train(s, 0.99, 0.01)]
    assert kinds(again) == ["discriminator"]
    assert HealthMonitor(probabilities=False).train(1000, 50.0, -50.0) == []  # critic scores


def test_falling_recall_or_coverage_is_a_collapse():
    m = HealthMonitor()
    assert m.evaluation(100, {"fd": 50, "recall": 0.3, "coverage": 0.4}) == []
    assert m.evaluation(200, {"fd": 30, "recall": 0.6, "coverage": 0.7}) == []
    (w,) = m.evaluation(300, {"fd": 35, "recall": 0.25, "coverage": 0.65})
    assert w.kind == "collapse" and "recall fell from 0.6 (step 200) to 0.25" in w.message
    assert m.evaluation(400, {"fd": 36, "recall": 0.2, "coverage": 0.6}) == []  # said once


def test_fixed_noise_losing_diversity_is_a_collapse():
    m = HealthMonitor()
    assert m.fixed_noise(100, 5.0) == [] and m.fixed_noise(200, 8.0) == []
    (w,) = m.fixed_noise(300, 3.0)
    assert w.kind == "collapse" and "fixed-noise" in w.message


def test_modes_lost_on_a_toy_set_is_a_collapse():
    m = HealthMonitor(primary="modes_covered", higher_is_better=True)
    assert m.evaluation(100, {"modes_covered": 8}) == []
    assert kinds(m.evaluation(200, {"modes_covered": 3})) == ["collapse"]


def test_a_diverging_metric_is_reported():
    m = HealthMonitor()
    out = []
    for step, fd in enumerate([80, 40, 20, 25, 32, 45], start=1):
        out += m.evaluation(step * 100, {"fd": fd})
    (w,) = out
    assert w.kind == "diverging" and "from 20 at its best (step 300) to 45" in w.message
    assert "--best" in w.message


def test_an_oscillating_metric_is_reported_but_noise_is_not():
    m = HealthMonitor()
    out = []
    for step, fd in enumerate([30, 60, 28, 62, 27, 61, 29], start=1):
        out += m.evaluation(step * 100, {"fd": fd})
    assert kinds(out) == ["oscillating"]
    calm = HealthMonitor()
    quiet = [
        w
        for i, fd in enumerate([30, 31, 30, 31, 30, 31, 30])
        for w in calm.evaluation(i, {"fd": fd})
    ]
    assert quiet == []


def test_adaptive_cadence_keeps_evaluations_under_five_percent():
    s = EvalSchedule(None, base=100, start=0, end=3000)
    assert not s.due(50, True, 0.1) and s.due(100, True, 0.1)  # first: at the first grid
    assert s.next == 200  # the cost is not known yet
    assert not s.due(200, False, 0.1)  # still evaluating: try again a grid later
    # Training takes 3000 * 0.1 = 300 s, so the work may cost 0.9 * 5 % of it = 13.5 s.
    # The first evaluation (3 s) and the reference statistics (1.5 s) count; the final one
    # is reserved: 13.5 - 4.5 = 9 s left = 3 evaluations, 2 before the final one.
    s.measured(3.0, setup_seconds=1.5)
    assert s.spent == 4.5 and s.interval() == 1000 and s.next == 1100
    s.measured(1.0)  # the first evaluation also warmed up: the next ones are cheaper
    assert s.spent == 5.5  # 8 s left: 8 evaluations, 7 before the final one (2900 / 8)
    assert s.next == 100 + 400
    assert s.due(500, True, 0.1) and s.next == 900


def test_adaptive_cadence_counts_every_evaluation_and_leaves_the_end_to_the_final_one():
    s = EvalSchedule(None, base=100, start=0, end=1500)
    budget = 0.05 * 1500 * 0.05  # 5 % of the run's 75 s of training
    assert s.due(100, True, 0.05)
    step, work = 100, 0.0
    while True:
        s.measured(0.9, setup_seconds=0.3 if work == 0 else 0.0)
        work += 0.9 + (0.3 if work == 0 else 0.0)
        step = s.next
        if step >= 1500:
            break
        assert s.due(step, True, 0.05)
    assert not s.due(1500, True, 0.05)  # the last step is the final evaluation's
    work += 0.9  # the final evaluation
    assert work <= budget
    assert s.last is not None and 1500 - s.last >= 100


def test_fixed_cadence():
    fixed = EvalSchedule(50, base=100, start=120, end=1000)
    assert fixed.next == 150 and fixed.due(150, False, 1.0) and fixed.next == 200
