"""Is it learning? Quality metrics for generators, computed without Qt.

- :mod:`.distances`  Fréchet distance, KID, precision/recall/density/coverage (NumPy)
- :mod:`.features`   feature extractors: InceptionV3 (if its weights are on the machine),
                     the shipped digit classifier, a fixed random CNN
- :mod:`.digits`     the digit classifier's network and weights file
- :mod:`.evaluate`   :class:`Evaluator`: reference statistics of the data, every metric
                     of a batch of generated samples
- :mod:`.background` the metrics thread a training run hands generator snapshots to
- :mod:`.best`       which step is the best (its files: :mod:`ganstudio.core.checkpoints`)
- :mod:`.health`     warnings (collapse, a winning discriminator, a diverging metric)

TensorFlow and Keras are imported inside functions, so importing this package is cheap.
"""
