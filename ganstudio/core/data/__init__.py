"""Datasets: the built-in digits, 2-D toy sets, Keras sets, .npz files, image and audio folders.

``load_dataset(spec)`` is the single entry point; the sources are rows of one table
(:mod:`.source_table`, built-ins in :mod:`.sources`). Built-in spec strings:

- ``digits`` / ``digits:COUNT``   built-in digits drawn from bundled fonts (offline)
- ``toy:ring`` / ``toy:grid`` / ``toy:spiral`` (``:COUNT``)   2-D point sets
- ``mnist`` / ``fashion_mnist`` / ``cifar10``    keras.datasets (downloaded once)
- ``npz:PATH`` or a path ending in ``.npz``      keras.datasets layout
- ``images:FOLDER`` or a folder path             images, class sub-folders as labels
- ``audio:FOLDER``                               audio clips as log-mel spectrograms
"""

from ganstudio.core.data import sources  # noqa: F401  (registers the built-in sources)
from ganstudio.core.data.dataset import DataError, Dataset
from ganstudio.core.data.source_table import (
    DataSource,
    data_sources,
    describe_spec,
    load_dataset,
    register_source,
    source_kind,
    spec_help,
    spec_label,
    unregister_source,
)
from ganstudio.core.data.toy2d import mode_coverage

__all__ = [
    "DataError",
    "DataSource",
    "Dataset",
    "data_sources",
    "describe_spec",
    "load_dataset",
    "mode_coverage",
    "register_source",
    "source_kind",
    "spec_help",
    "spec_label",
    "unregister_source",
]
