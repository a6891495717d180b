"""The GAN as a Keras model: two networks, two optimizers, one ``train_step``.

``train_step`` is a per-replica step: it runs unchanged inside ``strategy.run`` for
``tf.distribute`` training, and the trainer wraps it in one ``tf.function``. Each replica's
losses are divided by the number of replicas before differentiating (the optimizers sum
the replicas' gradients), and latents and interpolation weights are drawn for the global
batch from a stateless seed (run seed, step), so any number of replicas computes what one
device computes, and a resumed run draws what an uninterrupted one would.
"""

from __future__ import annotations

from typing import Any

import keras

from ganstudio.core.losses import discriminator_summary, get_loss
from ganstudio.core.models.replicas import agree_on_overflow, draw_for_replica, replica_position


class GAN(keras.Model):
    """Generator + discriminator trained adversarially.

    A step makes ``n_critic`` discriminator updates (each on its own slice of the batch)
    and then one generator update. Batches are ``x`` or ``(x, labels)`` for conditional
    models, holding ``n_critic * batch_size`` examples.
    """

    def __init__(
        self,
        generator: Any,
        discriminator: Any,
        *,
        latent_dim: int,
        loss: str = "bce",
        n_critic: int = 1,
        gp_weight: float = 0.0,
        conditional: bool = False,
        seed: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = latent_dim
        self.loss_name = loss
        self.n_critic = n_critic
        self.gp_weight = gp_weight
        self.conditional = conditional
        self.seed = seed
        self._losses = get_loss(loss).fn

    def compile(self, d_optimizer: Any, g_optimizer: Any, **kwargs: Any) -> None:
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        # Build optimizer state now, so it exists before tracing and can be checkpointed.
        d_optimizer.build(self.discriminator.trainable_variables)
        g_optimizer.build(self.generator.trainable_variables)

    # ------------------------------------------------------------------ helpers
    def generate(self, z: Any, labels: Any = None, training: bool = False) -> Any:
        inputs = [z, labels] if self.conditional else z
        return self.generator(inputs, training=training)

    def discriminate(self, x: Any, labels: Any = None, training: bool = False) -> Any:
        inputs = [x, labels] if self.conditional else x
        return self.discriminator(inputs, training=training)

    def _stream_seed(self, stream: int, draw: int) -> Any:
        """A stateless seed for draw ``draw`` of this step (``stream`` 0: latents, 1: GP)."""
        import tensorflow as tf

        step = tf.cast(self.g_optimizer.iterations, tf.int64) * (self.n_critic + 1) + draw
        return tf.stack([tf.constant(self.seed * 2 + stream, tf.int64), step])

    def _latents(self, n: Any, draw: int) -> Any:
        """Normal latents for this replica's ``n`` examples (drawn for the global batch)."""
        import tensorflow as tf

        seed = self._stream_seed(0, draw)
        return draw_for_replica(
            lambda shape: tf.random.stateless_normal(shape, seed), n, (self.latent_dim,)
        )

    def _gradient_penalty(self, real: Any, fake: Any, labels: Any, draw: int) -> Any:
        """Gulrajani et al. 2017: (‖∇D(x̂)‖ - 1)² on uniform interpolates x̂."""
        import tensorflow as tf

        seed = self._stream_seed(1, draw)
        alpha = draw_for_replica(  # uniform, not normal
            lambda shape: tf.random.stateless_uniform(shape, seed, 0.0, 1.0),
            tf.shape(real)[0],
            (1,) * (len(real.shape) - 1),
        )
        mixed = real + alpha * (fake - real)
        with tf.GradientTape() as tape:
            tape.watch(mixed)
            score = self.discriminate(mixed, labels, training=True)
        grads = tape.gradient(score, mixed)
        norms = tf.sqrt(
            tf.reduce_sum(tf.square(grads), axis=list(range(1, len(real.shape)))) + 1e-12
        )
        return tf.reduce_mean(tf.square(norms - 1.0))

    @staticmethod
    def _scaled(optimizer: Any, loss: Any) -> Any:
        """The loss to differentiate (call inside the tape): divided by the number of
        replicas, whose gradients the optimizer sums, and scaled up under mixed precision."""
        _, replicas = replica_position()
        return optimizer.scale_loss(loss / replicas if replicas > 1 else loss)

    @staticmethod
    def _apply(optimizer: Any, tape: Any, scaled_loss: Any, variables: list) -> None:
        grads = tape.gradient(scaled_loss, variables)
        if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
            grads = agree_on_overflow(grads)  # all replicas skip an overflowing step, or none
        optimizer.apply_gradients(zip(grads, variables, strict=True))

    # --------------------------------------------------------------- the step
    def train_step(self, data: Any) -> dict[str, Any]:
        """One generator update and ``n_critic`` discriminator updates; returns the losses."""
        if self.conditional:
            x_all, y_all = data
        else:
            x_all, y_all = data, None
        if self.n_critic == 1 and self.gp_weight == 0:
            return self._simultaneous_step(x_all, y_all)
        return self._alternating_step(x_all, y_all)

    def _logs(self, d_loss: Any, g_loss: Any, real_scores: Any, fake_scores: Any) -> dict:
        return {
            "d_loss": d_loss,
            "g_loss": g_loss,
            "d_real": discriminator_summary(self.loss_name, real_scores),
            "d_fake": discriminator_summary(self.loss_name, fake_scores),
        }

    def _simultaneous_step(self, x: Any, y: Any) -> dict[str, Any]:
        """Both networks step on one forward pass (as in the TensorFlow DCGAN tutorial)."""
        import tensorflow as tf

        z = self._latents(tf.shape(x)[0], 0)
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fake = self.generate(z, y, training=True)
            real_scores = self.discriminate(x, y, training=True)
            fake_scores = self.discriminate(fake, y, training=True)
            d_loss, g_loss = self._losses(real_scores, fake_scores)
            d_scaled = self._scaled(self.d_optimizer, d_loss)
            g_scaled = self._scaled(self.g_optimizer, g_loss)
        self._apply(self.d_optimizer, d_tape, d_scaled, self.discriminator.trainable_variables)
        self._apply(self.g_optimizer, g_tape, g_scaled, self.generator.trainable_variables)
        return self._logs(d_loss, g_loss, real_scores, fake_scores)

    def _alternating_step(self, x_all: Any, y_all: Any) -> dict[str, Any]:
        """``n_critic`` critic updates on their own slices of the batch, then one G update."""
        import tensorflow as tf

        n = tf.shape(x_all)[0] // self.n_critic
        gp = tf.constant(0.0)
        for i in range(self.n_critic):
            x = x_all[i * n : (i + 1) * n]
            y = None if y_all is None else y_all[i * n : (i + 1) * n]
            z = self._latents(n, i)
            with tf.GradientTape() as tape:
                fake = self.generate(z, y, training=True)
                real_scores = self.discriminate(x, y, training=True)
                fake_scores = self.discriminate(fake, y, training=True)
                d_loss, _ = self._losses(real_scores, fake_scores)
                if self.gp_weight > 0:
                    gp = self._gradient_penalty(x, tf.cast(fake, x.dtype), y, i)
                    d_loss = d_loss + self.gp_weight * gp
                d_scaled = self._scaled(self.d_optimizer, d_loss)
            self._apply(self.d_optimizer, tape, d_scaled, self.discriminator.trainable_variables)

        z = self._latents(n, self.n_critic)
        y = None if y_all is None else y_all[-n:]
        with tf.GradientTape() as tape:
            fake = self.generate(z, y, training=True)
            fake_scores = self.discriminate(fake, y, training=True)
            _, g_loss = self._losses(real_scores, fake_scores)
            g_scaled = self._scaled(self.g_optimizer, g_loss)
        self._apply(self.g_optimizer, tape, g_scaled, self.generator.trainable_variables)
        logs = self._logs(d_loss, g_loss, real_scores, fake_scores)
        if self.gp_weight > 0:
            logs["gp"] = gp
        return logs


def make_standard_gan(
    generator: Any, discriminator: Any, *, config: Any, spec: Any, gp_weight: float
) -> GAN:
    """The default ``make_gan`` of a model entry (see :class:`ModelEntry`)."""
    return GAN(
        generator,
        discriminator,
        latent_dim=config.latent_dim,
        loss=config.loss,
        n_critic=config.n_critic,
        gp_weight=gp_weight,
        conditional=spec.conditional,
        seed=config.seed,
    )
