"""Vocoder losses in TensorFlow: multi-resolution STFT, adversarial, feature matching.

* Multi-resolution STFT loss (Yamamoto et al. 2020, Parallel WaveGAN): at each
  ``(n_fft, hop, window)`` resolution, spectral convergence ``||S - S'||_F / ||S||_F`` plus
  the mean absolute difference of log magnitudes, averaged over resolutions.
* Adversarial losses: any loss of the loss table (``least-squares`` as HiFi-GAN, ``hinge``
  as MelGAN), applied to the score map of every discriminator scale by the GAN model.
* Feature matching (Larsen et al. 2016, MelGAN): mean absolute difference of the
  discriminators' feature maps on real and generated waveforms.

TensorFlow is imported inside the functions (they run inside the training ``tf.function``).
"""

from __future__ import annotations

from typing import Any

#: (n_fft, hop, window) in samples, as Parallel WaveGAN; suit 16 to 24 kHz
STFT_RESOLUTIONS: tuple[tuple[int, int, int], ...] = (
    (1024, 120, 600),
    (2048, 240, 1200),
    (512, 50, 240),
)
_EPS = 1e-7


def stft_magnitude(wave: Any, n_fft: int, hop: int, window: int) -> Any:
    """``|STFT|`` of (batch, samples[, 1]) waveforms with a Hann window of ``window``
    samples: (batch, frames, n_fft // 2 + 1), floored at 1e-7."""
    import tensorflow as tf

    if len(wave.shape) == 3:
        wave = wave[..., 0]
    spec = tf.signal.stft(
        tf.cast(wave, tf.float32), window, hop, fft_length=n_fft, window_fn=tf.signal.hann_window
    )
    return tf.maximum(tf.abs(spec), _EPS)


def stft_losses(
    real: Any, fake: Any, resolutions: tuple[tuple[int, int, int], ...] = STFT_RESOLUTIONS
) -> tuple[Any, Any]:
    """(spectral convergence, log-magnitude distance), each averaged over resolutions."""
    import tensorflow as tf

    sc, mag = 0.0, 0.0
    for n_fft, hop, window in resolutions:
        s_real = stft_magnitude(real, n_fft, hop, window)
        s_fake = stft_magnitude(fake, n_fft, hop, window)
        sc += tf.norm(s_real - s_fake) / tf.maximum(tf.norm(s_real), _EPS)
        mag += tf.reduce_mean(tf.abs(tf.math.log(s_real) - tf.math.log(s_fake)))
    n = float(len(resolutions))
    return sc / n, mag / n


def split_scales(outputs: list, scales: int) -> list[tuple[list, Any]]:
    """The discriminator's flat output list -> ``[(feature maps, score), ...]`` per scale."""
    per = len(outputs) // scales
    groups = [outputs[i * per : (i + 1) * per] for i in range(scales)]
    return [(g[:-1], g[-1]) for g in groups]


def feature_matching_loss(real_maps: list, fake_maps: list) -> Any:
    """Mean over every feature map of ``mean |real - fake|`` (real maps are constants)."""
    import tensorflow as tf

    terms = [
        tf.reduce_mean(tf.abs(tf.stop_gradient(r) - f))
        for r, f in zip(real_maps, fake_maps, strict=True)
    ]
    return tf.add_n(terms) / float(len(terms))
