"""GAN losses on discriminator outputs (logits or critic scores), in TensorFlow.

Each function takes the discriminator's outputs on real and generated batches and
returns ``(d_loss, g_loss)``; the gradient penalty is added by the GAN model.
"""

from __future__ import annotations

from typing import Any


def bce_losses(real: Any, fake: Any) -> tuple[Any, Any]:
    """Non-saturating binary cross-entropy (Goodfellow et al. 2014) on logits."""
    import tensorflow as tf

    d_loss = tf.reduce_mean(tf.nn.softplus(-real)) + tf.reduce_mean(tf.nn.softplus(fake))
    g_loss = tf.reduce_mean(tf.nn.softplus(-fake))
    return d_loss, g_loss


def wasserstein_losses(real: Any, fake: Any) -> tuple[Any, Any]:
    """Wasserstein critic loss (Arjovsky et al. 2017)."""
    import tensorflow as tf

    return tf.reduce_mean(fake) - tf.reduce_mean(real), -tf.reduce_mean(fake)


def hinge_losses(real: Any, fake: Any) -> tuple[Any, Any]:
    """Hinge loss (Lim & Ye 2017; used by SAGAN and BigGAN)."""
    import tensorflow as tf

    d_loss = tf.reduce_mean(tf.nn.relu(1.0 - real)) + tf.reduce_mean(tf.nn.relu(1.0 + fake))
    return d_loss, -tf.reduce_mean(fake)


LOSS_FUNCTIONS = {"bce": bce_losses, "wasserstein": wasserstein_losses, "hinge": hinge_losses}


def discriminator_summary(loss: str, scores: Any) -> Any:
    """Mean D output to report: a probability for BCE, the raw score otherwise."""
    import tensorflow as tf

    if loss == "bce":
        return tf.reduce_mean(tf.sigmoid(scores))
    return tf.reduce_mean(scores)
