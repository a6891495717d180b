"""A run's quality while it trains and afterwards: when to measure, what to log, what to warn.

:mod:`ganstudio.core.metrics` holds the measures themselves; this package drives them for a
run. No Qt; TensorFlow is imported inside functions.

- :mod:`.monitor`    ``QualityMonitor``: the training thread's side (evaluation steps, best)
- :mod:`.background` the metrics thread a training run hands generator snapshots to
- :mod:`.health`     warnings (collapse, a winning discriminator, a diverging metric)
- :mod:`.run_eval`   ``ganstudio eval``: every metric of a run's generator, appended to its log
"""
