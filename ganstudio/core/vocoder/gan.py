"""The vocoder GAN as a Keras model: a mel -> waveform generator trained with a
multi-resolution STFT loss, and (from ``adv_start`` generator steps on) multi-scale
discriminators with an adversarial loss from the loss table (on every scale's score map)
and a feature-matching loss.

``train_step`` takes ``(mel, wave)`` batches — ``(b, frames, n_mels)`` log-mel frames and
the ``(b, frames * hop, 1)`` waveforms they were computed from — and returns the losses.
It meets the model table's ``make_gan`` contract (``generator``, ``discriminator``,
``g_optimizer``, ``d_optimizer``, ``generate``, ``discriminate``), so the engine's
checkpoints and exports work unchanged. Before ``adv_start`` the discriminators are not
run at all (a ``tf.cond``), so the spectral-loss-only phase costs only the generator — as
Parallel WaveGAN and multi-band MelGAN train.
"""

from __future__ import annotations

from typing import Any

import keras

from ganstudio.core.losses import get_loss
from ganstudio.core.vocoder.losses import feature_matching_loss, split_scales, stft_losses


class VocoderGAN(keras.Model):
    """MelGAN-style training: STFT loss always, adversarial + feature matching later."""

    def __init__(
        self,
        generator: Any,
        discriminator: Any,
        *,
        scales: int,
        loss: str = "least-squares",
        adv_start: int = 0,
        stft_weight: float = 1.0,
        adv_weight: float = 4.0,
        fm_weight: float = 10.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        entry = get_loss(loss)
        if entry.gradient_penalty:
            raise ValueError(
                f"the {loss} loss needs a gradient penalty, which melgan's discriminators do "
                "not take: choose least-squares or hinge"
            )
        self.generator = generator
        self.discriminator = discriminator
        self.scales = int(scales)
        self.loss_name = loss
        self._adversarial = entry.fn
        self.adv_start = int(adv_start)
        self.stft_weight = float(stft_weight)
        self.adv_weight = float(adv_weight)
        self.fm_weight = float(fm_weight)

    def compile(self, d_optimizer: Any, g_optimizer: Any, **kwargs: Any) -> None:
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        d_optimizer.build(self.discriminator.trainable_variables)
        g_optimizer.build(self.generator.trainable_variables)

    def generate(self, mel: Any, labels: Any = None, training: bool = False) -> Any:
        """Waveforms ``(b, frames * hop, 1)`` from log-mel frames ``(b, frames, n_mels)``."""
        return self.generator(mel, training=training)

    def discriminate(self, wave: Any, labels: Any = None, training: bool = False) -> Any:
        """Every scale's score map for waveforms ``(b, n, 1)``."""
        return [s for _, s in self._judge(wave, training)]

    def _judge(self, wave: Any, training: bool = True) -> list[tuple[list, Any]]:
        return split_scales(self.discriminator(wave, training=training), self.scales)

    def _mean(self, scores: list) -> Any:
        import tensorflow as tf

        return tf.add_n([tf.reduce_mean(s) for s in scores]) / self.scales

    @staticmethod
    def _apply(optimizer: Any, tape: Any, loss: Any, variables: list) -> None:
        grads = tape.gradient(optimizer.scale_loss(loss), variables)
        optimizer.apply_gradients(zip(grads, variables, strict=True))

    def train_step(self, data: Any) -> dict[str, Any]:
        """One generator update and, once adversarial training has started, one update of
        the discriminators; returns d_loss, g_loss, d_real, d_fake, stft_sc, stft_mag,
        adv and fm (the adversarial terms are 0 before ``adv_start``). Losses of the
        discriminators are averaged over their scales."""
        import tensorflow as tf

        mel, wave = data
        wave = tf.cast(wave, tf.float32)
        adv_on = self.g_optimizer.iterations >= self.adv_start
        zero = tf.constant(0.0)

        def adversarial_terms(fake: Any) -> tuple[Any, Any]:
            real_out, fake_out = self._judge(wave), self._judge(fake)
            pairs = zip(real_out, fake_out, strict=True)
            adv = tf.add_n([self._adversarial(r, f)[1] for (_, r), (_, f) in pairs])
            maps_real = [m for maps, _ in real_out for m in maps]
            maps_fake = [m for maps, _ in fake_out for m in maps]
            return adv / self.scales, feature_matching_loss(maps_real, maps_fake)

        with tf.GradientTape() as tape:
            fake = tf.cast(self.generator(mel, training=True), tf.float32)
            sc, mag = stft_losses(wave, fake)
            adv, fm = tf.cond(adv_on, lambda: adversarial_terms(fake), lambda: (zero, zero))
            g_loss = self.stft_weight * (sc + mag) + self.adv_weight * adv + self.fm_weight * fm
        self._apply(self.g_optimizer, tape, g_loss, self.generator.trainable_variables)

        def discriminator_step() -> tuple[Any, Any, Any]:
            with tf.GradientTape() as d_tape:
                real_scores = [s for _, s in self._judge(wave)]
                fake_scores = [s for _, s in self._judge(tf.stop_gradient(fake))]
                pairs = zip(real_scores, fake_scores, strict=True)
                d_loss = tf.add_n([self._adversarial(r, f)[0] for r, f in pairs])
            self._apply(self.d_optimizer, d_tape, d_loss, self.discriminator.trainable_variables)
            return d_loss / self.scales, self._mean(real_scores), self._mean(fake_scores)

        d_loss, d_real, d_fake = tf.cond(adv_on, discriminator_step, lambda: (zero, zero, zero))
        return {
            "d_loss": d_loss,
            "g_loss": g_loss,
            "d_real": d_real,
            "d_fake": d_fake,
            "stft_sc": sc,
            "stft_mag": mag,
            "adv": adv,
            "fm": fm,
        }
