"""GAN losses on discriminator outputs (logits or critic scores), and their table.

Each loss function takes the discriminator's outputs on real and generated batches and
returns ``(d_loss, g_loss)``; the gradient penalty is added by the GAN model when the
loss asks for it. TensorFlow is imported inside the functions, so the table is light.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ganstudio.core.tables import Table

LossFn = Callable[[Any, Any], tuple[Any, Any]]


@dataclass(frozen=True)
class LossEntry:
    """One loss as config, command line, window and training read it."""

    name: str  # as in TrainConfig.loss and --loss
    label: str  # shown in the window
    fn: LossFn  # (real_scores, fake_scores) -> (d_loss, g_loss), TensorFlow ops
    logits: bool = False  # D outputs a logit: report it (and heat maps) as sigmoid(score)
    gradient_penalty: bool = False  # needs a Lipschitz critic: a gradient penalty is added


LOSSES: Table[LossEntry] = Table("loss")


def register_loss(entry: LossEntry, *, replace: bool = False) -> LossEntry:
    """Add a loss to the table (see :mod:`ganstudio.core.tables` for plugins)."""
    return LOSSES.register(entry.name, entry, replace=replace)


def unregister_loss(name: str) -> None:
    LOSSES.unregister(name)


def get_loss(name: str) -> LossEntry:
    """The loss called ``name``; raises :class:`~ganstudio.core.tables.UnknownName`."""
    return LOSSES.get(name)


def loss_names() -> tuple[str, ...]:
    return LOSSES.names()


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


def least_squares_losses(real: Any, fake: Any) -> tuple[Any, Any]:
    """Least squares (Mao et al. 2017; as HiFi-GAN's and multi-band MelGAN's critics):
    real scores pulled to 1, generated ones to 0."""
    import tensorflow as tf

    d_loss = tf.reduce_mean(tf.square(real - 1.0)) + tf.reduce_mean(tf.square(fake))
    return d_loss, tf.reduce_mean(tf.square(fake - 1.0))


register_loss(LossEntry("bce", "Binary cross-entropy", bce_losses, logits=True))
register_loss(
    LossEntry(
        "wasserstein", "Wasserstein (gradient penalty)", wasserstein_losses, gradient_penalty=True
    )
)
register_loss(LossEntry("hinge", "Hinge", hinge_losses))
register_loss(LossEntry("least-squares", "Least squares", least_squares_losses))


def discriminator_summary(loss: str, scores: Any) -> Any:
    """Mean D output to report: a probability for logit losses, the raw score otherwise."""
    import tensorflow as tf

    if get_loss(loss).logits:
        return tf.reduce_mean(tf.sigmoid(scores))
    return tf.reduce_mean(scores)
