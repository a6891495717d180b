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

from ganstudio.core.augment import augment_fn
from ganstudio.core.losses import discriminator_summary, get_loss
from ganstudio.core.models.replicas import agree_on_overflow, draw_for_replica, replica_position


class GAN(keras.Model):
    """Generator + discriminator trained adversarially.

    A step makes ``n_critic`` discriminator updates (each on its own slice of the batch)
    and then one generator update. Batches are ``x`` or ``(x, labels)`` for conditional
    models, holding ``n_critic * batch_size`` examples. ``augment`` names a differentiable
    augmentation (:mod:`ganstudio.core.augment`) applied to every image D sees.

    ``ema_decay`` > 0 keeps an exponential moving average of the generator's weights
    (``ema_generator``; Yazıcı et al. 2019), updated after every generator step with the
    decay warmed up as ``min(decay, (1 + t) / (10 + t))``. Generating outside training
    (``generate(..., training=False)``: sample grids, exports, metrics) uses ``sampler``,
    the averaged generator when there is one.
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
        augment: str = "none",
        ema_decay: float = 0.0,
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
        self.augment = augment
        self._augment = augment_fn(augment)
        self.ema_decay = float(ema_decay)
        self.ema_generator = None
        if self.ema_decay > 0:
            self.ema_generator = keras.models.clone_model(generator)
            self.ema_generator.set_weights(generator.get_weights())

    @property
    def sampler(self) -> Any:
        """The generator that makes samples: the weight average if kept, else the generator."""
        return self.ema_generator if self.ema_generator is not None else self.generator

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
        return (self.generator if training else self.sampler)(inputs, training=training)

    def _update_ema(self) -> None:
        """Move the averaged generator toward the trained one (after a generator step)."""
        if self.ema_generator is None:
            return
        import tensorflow as tf

        t = tf.cast(self.g_optimizer.iterations, tf.float32)
        decay = tf.minimum(self.ema_decay, (1.0 + t) / (10.0 + t))
        for avg, w in zip(self.ema_generator.weights, self.generator.weights, strict=True):
            avg.assign(decay * avg + (1.0 - decay) * tf.cast(w, avg.dtype))

    def discriminate(self, x: Any, labels: Any = None, training: bool = False) -> Any:
        inputs = [x, labels] if self.conditional else x
        return self.discriminator(inputs, training=training)

    def _seen(self, x: Any) -> Any:
        """``x`` as the discriminator sees it in training (augmented, if chosen)."""
        return x if self._augment is None else self._augment(x)

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
            real_scores = self.discriminate(self._seen(x), y, training=True)
            fake_scores = self.discriminate(self._seen(fake), y, training=True)
            d_loss, g_loss = self._losses(real_scores, fake_scores)
            d_scaled = self._scaled(self.d_optimizer, d_loss)
            g_scaled = self._scaled(self.g_optimizer, g_loss)
        self._apply(self.d_optimizer, d_tape, d_scaled, self.discriminator.trainable_variables)
        self._apply(self.g_optimizer, g_tape, g_scaled, self.generator.trainable_variables)
        self._update_ema()
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
                fake = tf.cast(self.generate(z, y, training=True), x.dtype)
                x, fake = self._seen(x), self._seen(fake)
                real_scores = self.discriminate(x, y, training=True)
                fake_scores = self.discriminate(fake, y, training=True)
                d_loss, _ = self._losses(real_scores, fake_scores)
                if self.gp_weight > 0:
                    gp = self._gradient_penalty(x, fake, y, i)
                    d_loss = d_loss + self.gp_weight * gp
                d_scaled = self._scaled(self.d_optimizer, d_loss)
            self._apply(self.d_optimizer, tape, d_scaled, self.discriminator.trainable_variables)

        z = self._latents(n, self.n_critic)
        y = None if y_all is None else y_all[-n:]
        with tf.GradientTape() as tape:
            fake = self.generate(z, y, training=True)
            fake_scores = self.discriminate(self._seen(fake), y, training=True)
            _, g_loss = self._losses(real_scores, fake_scores)
            g_scaled = self._scaled(self.g_optimizer, g_loss)
        self._apply(self.g_optimizer, tape, g_scaled, self.generator.trainable_variables)
        self._update_ema()
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
        augment=getattr(config, "augment", "none"),
        ema_decay=getattr(config, "ema_decay", 0.0),
    )
