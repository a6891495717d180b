"""MelGAN networks (Kumar et al. 2019), slimmed for a CPU: a mel -> waveform generator and
multi-scale waveform discriminators.

Generator: a 7-tap convolution lifts the ``n_mels`` bands to ``channels``; each upsampling
stage is a LeakyReLU and a transposed convolution (kernel 2 x stride) that halves the width,
followed by a residual stack of ``depth`` blocks whose 3-tap convolutions are dilated 1, 3,
9, ...; the strides multiply to the hop size; a 7-tap convolution and tanh make the
waveform. Channels-last, any number of frames: ``(batch, frames, n_mels) -> (batch,
frames * hop, 1)``. The paper uses ``channels=512``; our default 128 is about a sixteenth
of the compute at the early stages, which keeps resynthesis far faster than real time on
two CPU cores. Only built-in Keras layers are used, so the exported ``.keras`` file loads
in Keras' safe mode.

Discriminators: ``scales`` copies of a strided 1-D convolution stack, fed the waveform
average-pooled by 1, 2, 4, ...; each returns its feature maps and a final score map
(feature matching reads the maps). No normalisation layers. The paper's stride-4 layers
use 41-tap grouped convolutions up to 1024 channels; TensorFlow's grouped convolution is
slower than a plain one on a CPU, so ours are plain 15-tap convolutions doubling from
``width`` up to ``8 * width`` channels (about 7k multiply-adds per sample at the first
scale instead of the paper's ~100k).
"""

from __future__ import annotations

from typing import Any

#: preferred strides, largest first (kernels are twice the stride)
_STRIDES = (8, 5, 4, 3, 2)


def upsample_factors(hop: int) -> list[int]:
    """Strides whose product is ``hop``, largest first (e.g. 256 -> [8, 8, 4]; 512 ->
    [8, 8, 8]). Raises ValueError for a hop with a prime factor above 8."""
    if hop < 2:
        raise ValueError(f"the hop size must be at least 2, not {hop}")
    left, factors = int(hop), []
    while left > 1:
        for s in _STRIDES:
            if left % s == 0 and (s != 5 or left % 8 != 0):
                factors.append(s)
                left //= s
                break
        else:
            raise ValueError(
                f"hop size {hop} cannot be split into upsampling strides of 2, 3, 4, 5 and 8"
            )
    merged: list[int] = []
    for s in factors:  # 2 x 2 -> 4 keeps the stage count (and the cost) low
        if merged and merged[-1] == 2 and s == 2:
            merged[-1] = 4
        else:
            merged.append(s)
    return sorted(merged, reverse=True)


def _residual_stack(x: Any, channels: int, depth: int, name: str) -> Any:
    from keras import layers

    for j in range(depth):
        y = layers.LeakyReLU(0.2)(x)
        y = layers.Conv1D(channels, 3, dilation_rate=3**j, padding="same", name=f"{name}_dil{j}")(y)
        y = layers.LeakyReLU(0.2)(y)
        y = layers.Conv1D(channels, 1, name=f"{name}_mix{j}")(y)
        x = layers.Add()([x, y])
    return x


def melgan_generator(
    n_mels: int = 80, hop: int = 256, *, channels: int = 128, depth: int = 3, min_channels: int = 8
) -> Any:
    """Log-mel frames ``(None, n_mels)`` -> tanh waveform ``(None * hop, 1)``.

    ``channels``: width after the first convolution (halved by every upsampling stage,
    not below ``min_channels``); ``depth``: residual blocks per stage."""
    import keras
    from keras import layers

    if channels < 8 or depth < 1:
        raise ValueError("a MelGAN generator needs at least 8 channels and 1 residual block")
    mel = keras.Input((None, int(n_mels)), name="mel")
    x = layers.Conv1D(channels, 7, padding="same", name="lift")(mel)
    width = channels
    for i, stride in enumerate(upsample_factors(hop)):
        width = max(min_channels, width // 2)
        x = layers.LeakyReLU(0.2)(x)
        x = layers.Conv1DTranspose(
            width, 2 * stride, strides=stride, padding="same", name=f"up{i}"
        )(x)
        x = _residual_stack(x, width, depth, f"res{i}")
    x = layers.LeakyReLU(0.2)(x)
    wave = layers.Conv1D(1, 7, padding="same", activation="tanh", dtype="float32", name="wave")(x)
    return keras.Model(mel, wave, name="melgan_generator")


def scale_discriminator(width: int, layers_n: int, name: str) -> Any:
    """One waveform discriminator: returns ``[feature maps..., score map]``."""
    import keras
    from keras import layers

    wave = keras.Input((None, 1), name="wave")
    outputs = []
    x = layers.Conv1D(width, 15, padding="same", name=f"{name}_in")(wave)
    x = layers.LeakyReLU(0.2)(x)
    outputs.append(x)
    filters = width
    for i in range(layers_n):
        filters = min(filters * 2, width * 8)
        x = layers.Conv1D(filters, 15, strides=4, padding="same", name=f"{name}_down{i}")(x)
        x = layers.LeakyReLU(0.2)(x)
        outputs.append(x)
    x = layers.Conv1D(filters, 5, padding="same", name=f"{name}_mix")(x)
    x = layers.LeakyReLU(0.2)(x)
    outputs.append(x)
    score = layers.Conv1D(1, 3, padding="same", dtype="float32", name=f"{name}_score")(x)
    outputs.append(score)
    return keras.Model(wave, outputs, name=name)


def melgan_discriminator(*, scales: int = 3, width: int = 16, layers_n: int = 3) -> Any:
    """Multi-scale discriminator: the waveform ``(None, 1)`` and its 2x, 4x... average-pooled
    versions each go through their own :func:`scale_discriminator`. Returns the flat list
    ``[maps of scale 0..., score 0, maps of scale 1..., score 1, ...]``; every scale has
    ``layers_n + 3`` outputs, the last being its score map."""
    import keras
    from keras import layers

    if scales < 1 or width < 4 or layers_n < 1:
        raise ValueError("the discriminator needs at least 1 scale, width 4 and 1 layer")
    wave = keras.Input((None, 1), name="wave")
    x = wave
    outputs = []
    for s in range(scales):
        if s:
            x = layers.AveragePooling1D(4, strides=2, padding="same", name=f"pool{s}")(x)
        outputs.extend(scale_discriminator(width, layers_n, f"scale{s}")(x))
    return keras.Model(wave, outputs, name="melgan_discriminator")
