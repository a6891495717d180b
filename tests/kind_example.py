"""A new kind of output defined outside GAN Studio, as a plugin would: 1-D curves.

Each sample is a vector of :data:`LENGTH` values in [0, 1], drawn as a line-plot tile.
``register()`` adds the kind, a data source of sine curves (``waves[:COUNT]``) and a
small fully connected model that makes them; nothing in ``ganstudio`` names any of them.
``unregister()`` takes them out again.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ganstudio.core.data import Dataset, register_source, unregister_source
from ganstudio.core.data.source_table import Choice, DataSource, LoadOptions
from ganstudio.core.kinds import OutputKind, register_kind, unregister_kind
from ganstudio.core.models import ModelEntry, register_model, unregister_model

KIND = "curves"
MODEL = "curve-mlp"
SOURCE = "waves"
LENGTH = 64
TILE_HEIGHT = 24


def draw_curves(samples: np.ndarray) -> np.ndarray:
    """(n, LENGTH) values in [0, 1] -> (n, TILE_HEIGHT, LENGTH, 1) line plots, white on black
    (consecutive points joined by vertical strokes)."""
    values = np.clip(np.asarray(samples, np.float32).reshape(len(samples), -1), 0.0, 1.0)
    rows = np.rint((1.0 - values) * (TILE_HEIGHT - 1)).astype(int)
    tiles = np.zeros((len(values), TILE_HEIGHT, values.shape[1], 1), np.float32)
    for i, row in enumerate(rows):
        for x, y in enumerate(row):
            prev = row[x - 1] if x else y
            lo, hi = min(prev, y), max(prev, y)
            tiles[i, lo : hi + 1, x, 0] = 1.0
    return tiles


def curve_features(data: Any) -> tuple[str, str]:
    """Curves are measured by their values themselves (the ``points`` extractor flattens)."""
    return "points", "1-D curves: distances between the curve values themselves"


CURVES = OutputKind(
    KIND,
    "1-D curves",
    to_images=draw_curves,
    default_extractor=curve_features,
    sample_out="samples.png",
)


def sine_waves(arg: str, opts: LoadOptions) -> Dataset:
    """``waves[:COUNT]``: sine curves of random phase and 1-3 periods, in [0, 1]."""
    count = int(arg or 512)
    rng = np.random.default_rng(opts.seed)
    t = np.linspace(0.0, 2 * np.pi, LENGTH, dtype=np.float32)
    periods = rng.integers(1, 4, count)[:, None]
    phase = rng.uniform(0, 2 * np.pi, count)[:, None]
    x = 0.5 + 0.4 * np.sin(periods * t[None] + phase)
    return Dataset(name="waves", kind=KIND, x=x.astype(np.float32), meta={"length": LENGTH})


def curve_networks(config: Any, spec: Any) -> tuple[Any, Any]:
    """A generator z -> 32 -> LENGTH (tanh) and a critic LENGTH -> 32 -> 1."""
    import keras
    from keras import layers

    z = keras.Input((spec.latent_dim,))
    h = layers.Dense(32, activation="relu")(z)
    g = keras.Model(z, layers.Dense(spec.example_shape[0], activation="tanh")(h))
    x = keras.Input(spec.example_shape)
    d = layers.Dense(32, activation="relu")(x)
    return g, keras.Model(x, layers.Dense(1)(d))


def register() -> None:
    register_kind(CURVES)
    register_model(
        ModelEntry(
            name=MODEL,
            label="Curve MLP",
            description="a tiny MLP that makes 1-D curves (registered by a test)",
            build=curve_networks,
            data_kinds={KIND: (-1.0, 1.0)},
            defaults=dict(latent_dim=4, lr_g=1e-3, lr_d=1e-3, loss="bce", n_critic=1),
        )
    )
    register_source(
        DataSource(
            prefix=SOURCE,
            kind=KIND,
            load=sine_waves,
            help="waves[:COUNT]",
            title="Waves",
            describe=lambda arg: "Sine curves (1-D)",
            choices=(Choice("waves", "Curves: sine waves", "Sine curves of 64 values"),),
        )
    )


def unregister() -> None:
    unregister_source(SOURCE)
    unregister_model(MODEL)
    unregister_kind(KIND)
