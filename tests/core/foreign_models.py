"""Keras generator files "from someone else", built by the tests themselves (tiny)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

SEED_FRAMES = 216  # librosa: 5 s at 22.05 kHz, hop 512 -> 1 + 110250 // 512 frames
SEED_MELS = 128
SEED_SAMPLES = 110250


def latent_to_image(latent: int = 8, activation: str = "tanh"):
    """z (latent,) -> (28, 28, 1) image."""
    import keras
    from keras import layers

    z = keras.Input((latent,))
    x = layers.Dense(7 * 7 * 4, activation="relu")(z)
    x = layers.Reshape((7, 7, 4))(x)
    x = layers.Conv2DTranspose(4, 4, strides=2, padding="same", activation="relu")(x)
    x = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation=activation)(x)
    return keras.Model(z, x)


def latent_label_to_image(latent: int = 8, classes: int = 3, onehot: bool = False):
    """[label, z] -> (16, 16, 3) sigmoid image; the label first, as an index or one-hot."""
    import keras
    from keras import layers

    if onehot:
        label = keras.Input((classes,))
        emb = layers.Dense(4)(label)
    else:
        label = keras.Input((1,), dtype="int32")
        emb = layers.Flatten()(layers.Embedding(classes, 4)(label))
    z = keras.Input((latent,))
    x = layers.Concatenate()([z, emb])
    x = layers.Dense(8 * 8 * 3, activation="relu")(x)
    x = layers.Reshape((8, 8, 3))(x)
    x = layers.Conv2DTranspose(3, 4, strides=2, padding="same", activation="sigmoid")(x)
    return keras.Model([label, z], x)


def latent_to_spectrogram(latent: int = 8):
    """z -> (frames 32, mels 64) with a linear output (range, kind and layout to ask)."""
    import keras
    from keras import layers

    z = keras.Input((latent,))
    x = layers.Dense(32 * 64)(z)
    return keras.Model(z, layers.Reshape((32, 64))(x))


def latent_to_waveform(latent: int = 8, samples: int = 4096):
    """z -> (samples, 1) tanh waveform, as WaveGAN makes sounds from noise."""
    import keras
    from keras import layers

    z = keras.Input((latent,))
    x = layers.Dense(samples // 16, activation="relu")(z)
    x = layers.Reshape((samples // 16, 1))(x)
    x = layers.Conv1DTranspose(1, 32, strides=16, padding="same", activation="tanh")(x)
    return keras.Model(z, x)


def seed_vocoder(envelope: bool = True):
    """The seed's case: a mel spectrogram (128, 216, 1) in -> a waveform (110250,) out.

    With ``envelope`` every output sample of frame t is the frame's mean over the mel
    bands (fixed weights), so the output follows the input's loudness over time: a wrong
    axis order or badly joined windows show up as a poor match."""
    import keras
    from keras import layers

    mel = keras.Input((SEED_MELS, SEED_FRAMES, 1))
    x = layers.Reshape((SEED_MELS, SEED_FRAMES))(mel)
    x = layers.Permute((2, 1))(x)  # (frames, mels)
    x = layers.Dense(1, use_bias=False, name="mean")(x)
    x = layers.UpSampling1D(512)(x)  # (frames * 512, 1)
    x = layers.Cropping1D((0, SEED_FRAMES * 512 - SEED_SAMPLES))(x)
    wave = layers.Reshape((SEED_SAMPLES,))(x)
    model = keras.Model(mel, wave)
    if envelope:
        model.get_layer("mean").set_weights([np.full((SEED_MELS, 1), 1.0 / SEED_MELS, np.float32)])
    return model


def free_length_vocoder(n_mels: int = 80, hop: int = 256):
    """(frames any, n_mels) -> (frames * hop, 1) tanh: a MelGAN-like foreign vocoder."""
    import keras
    from keras import layers

    mel = keras.Input((None, n_mels))
    x = layers.Conv1D(8, 3, padding="same")(mel)
    x = layers.Conv1DTranspose(1, 2 * hop, strides=hop, padding="same", activation="tanh")(x)
    return keras.Model(mel, x)


def with_lambda():
    import keras
    from keras import layers

    z = keras.Input((8,))
    x = layers.Dense(16)(z)
    x = layers.Lambda(lambda t: t * 2.0, name="double")(x)
    return keras.Model(z, layers.Dense(4, activation="tanh")(x))


def save_both(model, folder: Path, stem: str) -> tuple[Path, Path]:
    """Save ``model`` as ``stem.keras`` and as legacy ``stem.h5``."""
    keras_path, h5_path = folder / f"{stem}.keras", folder / f"{stem}.h5"
    model.save(keras_path)
    model.save(h5_path)
    return keras_path, h5_path
