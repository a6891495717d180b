"""Small real Keras generators with the ``LoadedGenerator`` interface, for latent tests.

``KerasGenerator`` maps a Keras model's tanh output from [-1, 1] to [0, 1] the way an
exported generator does; the models are tiny and untrained (fixed seeds), which is all
the explorer's tests need: every latent gives a different, reproducible output.
"""

from __future__ import annotations

import numpy as np


class KerasGenerator:
    """A generator over a real Keras model: ``generate(z, labels=None) -> [0, 1]``."""

    def __init__(self, model, kind="images", num_classes=0, class_names=None):
        self.model = model
        self.kind = kind
        self.latent_dim = int(model.inputs[0].shape[-1])
        self.num_classes = num_classes
        self.class_names = list(class_names or [str(i) for i in range(num_classes)])
        self.output_shape = tuple(int(s) for s in model.outputs[0].shape[1:])
        self.output_range = (-1.0, 1.0)
        self.calls = 0

    def generate(self, z, labels=None):
        self.calls += 1
        z = np.asarray(z, np.float32).reshape(-1, self.latent_dim)
        if self.num_classes:
            if labels is None:
                raise ValueError("this generator is conditional: pass one label per latent")
            raw = self.model.predict_on_batch([z, np.asarray(labels, np.int32).reshape(-1)])
        else:
            raw = self.model.predict_on_batch(z)
        if self.kind == "points":  # points stay in data coordinates
            return np.asarray(raw, np.float32)
        return np.clip((np.asarray(raw, np.float32) + 1.0) / 2.0, 0.0, 1.0)


def tiny_image_model(latent_dim=8, size=8, seed=0):
    import keras

    keras.utils.set_random_seed(seed)
    z = keras.Input((latent_dim,))
    h = keras.layers.Dense(4 * (size // 2) ** 2, activation="relu", name="fc")(z)
    h = keras.layers.Reshape((size // 2, size // 2, 4))(h)
    h = keras.layers.Conv2DTranspose(1, 3, 2, padding="same", activation="tanh", name="out")(h)
    return keras.Model(z, h)


def tiny_conditional_model(latent_dim=8, classes=3, size=8, seed=0):
    import keras

    keras.utils.set_random_seed(seed)
    z = keras.Input((latent_dim,))
    label = keras.Input((), dtype="int32")
    init = keras.initializers.RandomNormal(stddev=3.0)  # make the class visible
    e = keras.layers.Embedding(classes, 6, embeddings_initializer=init)(label)
    h = keras.layers.Concatenate()([z, e])
    h = keras.layers.Dense(size * size, activation="tanh", name="fc")(h)
    h = keras.layers.Reshape((size, size, 1))(h)
    return keras.Model([z, label], h)


def tiny_points_model(seed=0):
    import keras

    keras.utils.set_random_seed(seed)
    z = keras.Input((2,))
    h = keras.layers.Dense(16, activation="tanh")(z)
    return keras.Model(z, keras.layers.Dense(2, activation="tanh")(h))
