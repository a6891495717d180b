"""Datasets: the built-in digits, 2-D toy sets, Keras sets, .npz files, image and audio folders.

``load_dataset(spec)`` is the single entry point. Spec strings:

- ``digits`` / ``digits:COUNT``   built-in digits drawn from bundled fonts (offline)
- ``toy:ring`` / ``toy:grid`` / ``toy:spiral`` (``:COUNT``)   2-D point sets
- ``mnist`` / ``fashion_mnist`` / ``cifar10``    keras.datasets (downloaded once)
- ``npz:PATH`` or a path ending in ``.npz``      keras.datasets layout
- ``images:FOLDER`` or a folder path             images, class sub-folders as labels
- ``audio:FOLDER``                               audio clips as log-mel spectrograms
"""

from ganstudio.core.data.dataset import DataError, Dataset
from ganstudio.core.data.registry import BUILTIN_SPECS, SPEC_HELP, describe_spec, load_dataset
from ganstudio.core.data.toy2d import mode_coverage

__all__ = [
    "BUILTIN_SPECS",
    "SPEC_HELP",
    "DataError",
    "Dataset",
    "describe_spec",
    "load_dataset",
    "mode_coverage",
]
