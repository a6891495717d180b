"""The digit classifier GAN Studio ships for judging generated digits.

A small CNN (about 90 000 weights) trained by ``scripts/train_digit_classifier.py`` on the
built-in digit set only. Its weights live in ``resources/models/digits_classifier.npz``
(NumPy arrays in the order of ``model.weights``, plus a JSON description), so loading runs
no pickled code. Its 128 penultimate activations are the features of the digit metrics;
its softmax gives the classifier score, the digits covered and per-class accuracy.
Keras is imported inside the functions; a model is used from one thread at a time.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core.atomic import atomic_write_bytes

WEIGHTS_FILE = "digits_classifier.npz"
INPUT_SIZE = 28
FEATURE_LAYER = "features"


def build_digit_classifier(dropout: float = 0.3) -> Any:
    """(28, 28, 1) images in [0, 1] → 10 logits; the layer ``features`` is 128 wide."""
    import keras
    from keras import layers

    x_in = keras.Input((INPUT_SIZE, INPUT_SIZE, 1), name="image")
    x = x_in
    for filters in (32, 64):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D(2)(x)
    x = layers.Conv2D(64, 3, activation="relu")(x)  # 7x7 -> 5x5
    x = layers.MaxPooling2D(2)(x)  # 2x2x64
    x = layers.Flatten()(x)
    feats = layers.Dense(128, activation="relu", name=FEATURE_LAYER)(x)
    x = layers.Dropout(dropout)(feats)
    logits = layers.Dense(10, name="logits")(x)
    return keras.Model(x_in, logits, name="digit_classifier")


def classifier_path() -> Path:
    """Where the shipped weights are: ``resources/models`` of the checkout or frozen app."""
    bundle = getattr(sys, "_MEIPASS", None)
    roots = [Path(bundle)] if getattr(sys, "frozen", False) and bundle else []
    roots.append(Path(__file__).resolve().parents[3])
    for root in roots:
        path = root / "resources" / "models" / WEIGHTS_FILE
        if path.is_file():
            return path
    return roots[-1] / "resources" / "models" / WEIGHTS_FILE


def save_classifier(model: Any, path: str | Path, info: dict[str, Any]) -> Path:
    """Write the weights (float32, compressed) and ``info`` into one ``.npz``, atomically."""
    arrays = {f"w{i:02d}": np.asarray(v.numpy(), np.float32) for i, v in enumerate(model.weights)}
    arrays["info"] = np.frombuffer(json.dumps(info).encode(), np.uint8)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    atomic_write_bytes(path, buf.getvalue())
    return Path(path)


def read_info(path: str | Path | None = None) -> dict[str, Any]:
    """The description saved with the weights (accuracies, training settings)."""
    with np.load(path or classifier_path()) as f:
        return json.loads(bytes(f["info"]).decode())


def load_classifier(path: str | Path | None = None) -> tuple[Any, Any]:
    """(classifier giving logits, model giving (features, logits)) from the weights file.

    Raises FileNotFoundError naming the file when it is missing.
    """
    import keras

    path = Path(path or classifier_path())
    if not path.is_file():
        raise FileNotFoundError(
            f"the digit classifier's weights are missing ({path}); "
            "make them with: python scripts/train_digit_classifier.py"
        )
    model = build_digit_classifier()
    with np.load(path) as f:
        keys = sorted(k for k in f.files if k.startswith("w"))
        if len(keys) != len(model.weights):
            raise ValueError(
                f"{path.name} holds {len(keys)} arrays, the network has "
                f"{len(model.weights)}: it was made for another network"
            )
        for key, var in zip(keys, model.weights, strict=True):
            var.assign(f[key])
    both = keras.Model(model.input, [model.get_layer(FEATURE_LAYER).output, model.output])
    return model, both
