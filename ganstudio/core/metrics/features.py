"""Feature extractors: images in, one feature vector per image out.

The extractors of the table in :mod:`.extractors` (which names them, says which data they
apply to and builds them), each named in every metric record it produces (numbers from
different extractors are never compared):

- ``inception-v3``: InceptionV3's 2048 pool features, the standard FID, comparable with
  papers. Used only when its Keras weights file is already on this machine; nothing is
  downloaded (:func:`inception_weights` says what is missing and where it goes).
- ``digit-classifier``: the 128 penultimate features of the digit classifier shipped with
  GAN Studio (:mod:`.digits`), for digit-like data; its softmax gives extra measures.
- ``random-cnn``: a fixed, seeded, randomly initialised CNN. Its numbers are comparable
  only between runs on the same data set.
- ``points``: 2-D points are their own features (point sets without known modes).

Images are float (n, h, w, c) in [0, 1]. Build and call an extractor from one thread.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core.metrics.digits import load_classifier, read_info

INCEPTION_FILE = "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5"
INCEPTION_URL = (
    "https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/" + INCEPTION_FILE
)
BATCH = 250


def inception_search_dirs() -> list[Path]:
    """Folders searched for the InceptionV3 weights: ``$KERAS_HOME/models``, ``~/.keras/models``."""
    dirs = []
    if os.environ.get("KERAS_HOME"):
        dirs.append(Path(os.environ["KERAS_HOME"]).expanduser() / "models")
    dirs.append(Path.home() / ".keras" / "models")
    return dirs


def inception_weights() -> Path | None:
    """The InceptionV3 weights file if it is on this machine."""
    for folder in inception_search_dirs():
        if (folder / INCEPTION_FILE).is_file():
            return folder / INCEPTION_FILE
    return None


def inception_missing_message() -> str:
    where = " or ".join(str(d) for d in inception_search_dirs())
    return (
        f"InceptionV3 weights are not on this machine: the standard FID needs {INCEPTION_FILE} "
        f"(about 84 MB, from {INCEPTION_URL}) in {where}. GAN Studio never downloads it."
    )


def _resize(images: np.ndarray, size: int, channels: int) -> Any:
    import tensorflow as tf

    x = tf.convert_to_tensor(np.asarray(images, np.float32))
    if x.shape[-1] != channels:
        x = tf.image.grayscale_to_rgb(x) if channels == 3 else tf.image.rgb_to_grayscale(x)
    if x.shape[1] != size or x.shape[2] != size:
        x = tf.image.resize(x, (size, size), method="area" if x.shape[1] > size else "bilinear")
    return x


class Extractor:
    """Base: ``features(images) -> (n, dim) float32`` in batches. ``fingerprint`` names
    the exact weights, so cached reference features are never mixed up."""

    dim: int
    fingerprint = ""

    def _batch(self, x: Any) -> np.ndarray:
        raise NotImplementedError

    def features(self, images: np.ndarray) -> np.ndarray:
        out = [self._batch(images[i : i + BATCH]) for i in range(0, len(images), BATCH)]
        return np.concatenate(out).astype(np.float32)


class DigitClassifier(Extractor):
    """The shipped digit classifier: features, and class probabilities for the same images."""

    dim = 128

    def __init__(self, path: str | Path | None = None) -> None:
        self._model = load_classifier(path)[1]
        self.fingerprint = str(read_info(path).get("weights_sha256", ""))[:12]

    def _outputs(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        feats, logits = self._model(_resize(images, 28, 1), training=False)
        return np.asarray(feats), np.asarray(logits)

    def _batch(self, x: np.ndarray) -> np.ndarray:
        return self._outputs(x)[0]

    def features_and_probs(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(features (n, 128), softmax probabilities (n, 10))."""
        parts = [self._outputs(images[i : i + BATCH]) for i in range(0, len(images), BATCH)]
        feats = np.concatenate([p[0] for p in parts]).astype(np.float32)
        logits = np.concatenate([p[1] for p in parts]).astype(np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        return feats, probs / probs.sum(axis=1, keepdims=True)


class Inception(Extractor):
    """InceptionV3 (ImageNet weights from the Keras cache) global-average-pool features."""

    dim = 2048

    def __init__(self) -> None:
        path = inception_weights()
        if path is None:
            raise FileNotFoundError(inception_missing_message())
        import keras

        self._model = keras.applications.InceptionV3(
            include_top=False, weights=str(path), input_shape=(299, 299, 3), pooling="avg"
        )
        self.fingerprint = f"{path.stat().st_size}"

    def _batch(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(self._model(_resize(x, 299, 3) * 2.0 - 1.0, training=False))


class RandomCNN(Extractor):
    """Four strided 3×3 convolutions (32-64-128-256, LeakyReLU 0.2) with weights drawn from a
    seeded NumPy generator (He-normal), then global average pooling: 256 features."""

    dim = 256
    WIDTHS = (32, 64, 128, 256)

    def __init__(self, channels: int, seed: int = 0) -> None:
        import keras
        from keras import layers

        x_in = keras.Input((None, None, channels))
        x = x_in
        for width in self.WIDTHS:
            x = layers.Conv2D(width, 3, strides=2, padding="same")(x)
            x = layers.LeakyReLU(0.2)(x)
        x = layers.GlobalAveragePooling2D()(x)
        self._model = keras.Model(x_in, x)
        rng = np.random.default_rng(seed)
        for var in self._model.weights:
            shape = tuple(var.shape)
            if len(shape) == 4:
                fan_in = shape[0] * shape[1] * shape[2]
                var.assign(rng.normal(0.0, np.sqrt(2.0 / fan_in), shape).astype(np.float32))
            else:
                var.assign(np.zeros(shape, np.float32))
        self.channels = channels
        self.fingerprint = f"c{channels}s{seed}"

    def _batch(self, x: np.ndarray) -> np.ndarray:
        size = max(32, min(64, x.shape[1]))
        return np.asarray(self._model(_resize(x, size, self.channels) * 2.0 - 1.0))


class Points(Extractor):
    """2-D points are their own features (sets without known modes)."""

    dim = 2
    fingerprint = "identity"

    def _batch(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(x, np.float32).reshape(len(x), -1)
