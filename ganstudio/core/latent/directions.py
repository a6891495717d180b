"""Principal latent directions (GANSpace) and class blending for conditional generators.

Both call the generator, so they belong on a worker thread; they never touch Qt.
TensorFlow/Keras are imported lazily, only when the generator exposes a Keras model
(``gen.model``) and an intermediate layer or a label embedding is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ganstudio.core.latent.space import LatentError, check_latents, sample_latents
from ganstudio.core.ranges import from_output_range


@dataclass(frozen=True)
class Directions:
    """Unit latent directions (k, d), the share of feature variance each explains, and
    the feature they were computed from ('output' or a layer name)."""

    vectors: np.ndarray
    explained: np.ndarray
    source: str


def keras_model(gen: Any) -> Any | None:
    """The Keras model behind ``gen`` if it exposes one as ``gen.model``, else None."""
    model = getattr(gen, "model", None)
    return model if model is not None and hasattr(model, "get_layer") else None


def layer_names(gen: Any) -> list[str]:
    """Names of the generator's layers usable as PCA features (empty without a model)."""
    model = keras_model(gen)
    if model is None:
        return []
    skip = ("InputLayer", "Embedding", "Reshape", "Flatten", "Dropout")
    return [la.name for la in model.layers[:-1] if type(la).__name__ not in skip]


def _features(gen: Any, z: np.ndarray, labels: np.ndarray | None, layer: str | None) -> np.ndarray:
    if layer is None:
        out = gen.generate(z, labels)
        return np.asarray(out, np.float32).reshape(len(z), -1)
    model = keras_model(gen)
    if model is None:
        raise LatentError("this generator exposes no layers; use its output for directions")
    import keras

    try:
        target = model.get_layer(layer)
    except ValueError as exc:
        raise LatentError(f"the generator has no layer named {layer!r}") from exc
    sub = keras.Model(model.inputs, target.output)
    args = [z, labels] if labels is not None else z
    out = sub.predict_on_batch(args)
    return np.asarray(out, np.float32).reshape(len(z), -1)


def principal_directions(
    gen: Any,
    k: int = 8,
    n_samples: int = 512,
    seed: int = 0,
    layer: str | None = None,
    batch: int = 128,
) -> Directions:
    """GANSpace-style directions: PCA of features of ``n_samples`` random latents.

    Features are the generator's output (``layer`` None) or an intermediate layer's
    activations. The PCA components are carried back to latent space by least-squares
    regression of the latents on the PCA coordinates (GANSpace's recipe for generators
    without a style space); each direction is scaled to unit length. For conditional
    generators the samples use random classes. Blocks; call it off the GUI thread.
    """
    d = int(gen.latent_dim)
    k = max(1, min(int(k), d))
    if n_samples < k + 1:
        raise LatentError(f"need more samples ({n_samples}) than directions ({k})")
    z = sample_latents(n_samples, d, seed)
    labels = None
    if getattr(gen, "num_classes", 0):
        rng = np.random.default_rng(seed + 1)
        labels = rng.integers(0, int(gen.num_classes), n_samples).astype(np.int32)
    chunks = []
    for i in range(0, n_samples, batch):
        lab = None if labels is None else labels[i : i + batch]
        chunks.append(_features(gen, z[i : i + batch], lab, layer))
    feats = np.concatenate(chunks).astype(np.float64)
    feats -= feats.mean(axis=0)
    _, s, vt = np.linalg.svd(feats, full_matrices=False)
    k = min(k, len(s))
    var = s**2
    explained = (var[:k] / max(var.sum(), 1e-12)).astype(np.float32)
    coords = feats @ vt[:k].T  # (n, k) PCA coordinates
    u, *_ = np.linalg.lstsq(coords, z.astype(np.float64), rcond=None)  # z ~ coords @ u
    norms = np.linalg.norm(u, axis=1, keepdims=True)
    vectors = (u / np.maximum(norms, 1e-12)).astype(np.float32)
    return Directions(vectors, explained, layer or "output")


class ClassMixer:
    """Renders latents with a class blended between two labels.

    If the generator's Keras model feeds its label through one ``Embedding`` layer, the
    two class embeddings are interpolated and the rest of the network runs on the mix
    (``mode == 'embedding'``). Otherwise the images of the two classes are cross-faded
    pixel by pixel (``mode == 'crossfade'``). Either way a weight of 0 gives exactly
    ``gen.generate(z, label_from)``. Use from one thread (the worker's).
    """

    def __init__(self, gen: Any) -> None:
        self.gen = gen
        self.mode = "crossfade"
        self._sub = self._table = self._shape = None
        model = keras_model(gen)
        if model is not None and getattr(gen, "num_classes", 0) and len(model.inputs) == 2:
            try:
                self._init_embedding(model)
                self.mode = "embedding"
            except LatentError:  # no embedding to split the graph at: blend images instead
                self._sub = None

    def _init_embedding(self, model: Any) -> None:
        import keras

        embeddings = [la for la in model.layers if isinstance(la, keras.layers.Embedding)]
        if len(embeddings) != 1:
            raise LatentError("no single label embedding")
        emb = embeddings[0]
        try:
            self._sub = keras.Model([model.inputs[0], emb.output], model.outputs[0])
        except ValueError as exc:  # Keras: "Graph disconnected" / "not connected to inputs"
            raise LatentError(f"the label reaches the output around its embedding: {exc}") from exc
        self._table = np.asarray(emb.get_weights()[0], np.float32)
        self._shape = tuple(emb.output.shape[1:])
        lo, hi = getattr(self.gen, "output_range", None) or (-1.0, 1.0)
        self._range = (float(lo), float(hi))

    def generate(
        self, z: np.ndarray, label_from: np.ndarray, label_to: np.ndarray, mix: np.ndarray
    ) -> np.ndarray:
        """Outputs in [0, 1] for latents ``z`` with classes blended by ``mix`` in [0, 1]."""
        z = check_latents(z, int(self.gen.latent_dim))
        la = np.asarray(label_from, np.int32)
        lb = np.asarray(label_to, np.int32)
        w = np.asarray(mix, np.float32)
        if np.all((w == 0) | (la == lb)):
            return np.asarray(self.gen.generate(z, la), np.float32)
        if self.mode == "embedding":
            e = (1.0 - w[:, None]) * self._table[la] + w[:, None] * self._table[lb]
            raw = self._sub.predict_on_batch([z, e.reshape((len(z), *self._shape))])
            return from_output_range(raw, self._range)
        a = np.asarray(self.gen.generate(z, la), np.float32)
        b = np.asarray(self.gen.generate(z, lb), np.float32)
        ww = w.reshape((-1,) + (1,) * (a.ndim - 1))
        return ((1.0 - ww) * a + ww * b).astype(np.float32)
