"""Is it learning? Quality metrics for generators, computed without Qt.

- :mod:`.distances`  Fréchet distance, KID, precision/recall/density/coverage (NumPy)
- :mod:`.features`   feature extractors: InceptionV3 (if its weights are on the machine),
                     the shipped digit classifier, a fixed random CNN
- :mod:`.digits`     the digit classifier's network and weights file
- :mod:`.evaluate`   :class:`Evaluator`: reference statistics of the data, every metric
                     of a batch of generated samples
- :mod:`.extractors` the extractor table: each extractor's label, primary metric and how
                     it evaluates (:mod:`.methods`)
- :mod:`.measures`   the metric table: label, direction (higher or lower is better)
- :mod:`.best`       which step is the best (its files: :mod:`ganstudio.core.checkpoints`)
- :mod:`.mel_distance` ``frechet_mel_distance``, ``spectral_convergence`` (sound)
- :mod:`.eval_curves` evaluation records gathered into curves, one per (extractor, metric)

The metrics thread, the training-time monitor and health warnings are in
:mod:`ganstudio.core.monitoring`.

TensorFlow and Keras are imported inside functions, so importing this package is cheap.
"""
