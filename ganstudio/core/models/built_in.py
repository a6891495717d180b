"""The built-in image, point and spectrogram models, registered in the model table
(:mod:`.model_table`). MelGAN, the vocoder, is registered by
:mod:`ganstudio.core.vocoder.model_row`, beside its code.

Defaults are hyperparameters that train each model well on a small CPU (see README).
The network modules import Keras only inside their functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ganstudio.core.models import dcgan, mlp, specgan
from ganstudio.core.models.model_table import ModelEntry, register_model

if TYPE_CHECKING:
    from ganstudio.core.config import TrainConfig
    from ganstudio.core.models.spec import ModelSpec

TANH = (-1.0, 1.0)
_ADAM = dict(lr_g=2e-4, lr_d=2e-4, beta1=0.5)


def _mlp(config: TrainConfig, spec: ModelSpec) -> tuple[Any, Any]:
    return mlp.mlp_generator(spec, config.options), mlp.mlp_discriminator(spec, config.options)


def _dcgan(config: TrainConfig, spec: ModelSpec) -> tuple[Any, Any]:
    opts = config.options
    return (
        dcgan.dcgan_generator(spec, float(opts.get("g_width", 1.0))),
        dcgan.dcgan_discriminator(spec, batch_std=bool(opts.get("batch_std", False))),
    )


def _wgan_gp(config: TrainConfig, spec: ModelSpec) -> tuple[Any, Any]:
    return dcgan.dcgan_generator(spec), dcgan.dcgan_discriminator(spec, batch_norm=False)


def _specgan(config: TrainConfig, spec: ModelSpec) -> tuple[Any, Any]:
    return (
        specgan.specgan_generator(spec.latent_dim, spec.example_shape),
        specgan.specgan_discriminator(spec.example_shape),
    )


register_model(
    ModelEntry(
        name="mlp",
        label="MLP GAN (classic, fully connected)",
        description="the classic fully connected GAN, for 2-D points or small images",
        build=_mlp,
        data_kinds={"points": None, "images": (0.0, 1.0)},
        # hinge loss and sampling from G's weight average: 10 of 10 seeds cover the 8 modes
        # of toy:ring in 3000 steps, against 2 of 10 with BCE and no average
        defaults=dict(
            latent_dim=2,
            lr_g=1e-3,
            lr_d=1e-3,
            beta1=0.5,
            beta2=0.999,
            loss="hinge",
            n_critic=1,
            ema_decay=0.999,
        ),
        gradient_penalty=True,
    )
)
register_model(
    ModelEntry(
        name="dcgan",
        label="DCGAN (convolutional)",
        description="convolutional GAN with batch norm (Radford et al. 2015)",
        build=_dcgan,
        data_kinds={"images": TANH, "audio": TANH},
        # hinge loss, sampling from G's weight average and a generator twice as wide:
        # FD 27.0 and 30.3 (seeds 0, 1; 10 of 10 digits) against 48.5 with BCE, no average
        # and the narrow generator, and 154 for the TensorFlow tutorial's networks (digit
        # classifier, MNIST, 1500 steps at batch 64; benchmarks/dcgan_vs_tutorial.py)
        defaults=dict(
            latent_dim=64,
            **_ADAM,
            beta2=0.999,
            loss="hinge",
            n_critic=1,
            ema_decay=0.999,
            options={"g_width": 2.0},
        ),
    )
)
register_model(
    ModelEntry(
        name="wgan-gp",
        label="WGAN-GP (Wasserstein, gradient penalty)",
        description="DCGAN networks without batch norm, Wasserstein loss + gradient penalty",
        build=_wgan_gp,
        data_kinds={"images": TANH, "audio": TANH},
        defaults=dict(
            latent_dim=64, **_ADAM, beta2=0.9, loss="wasserstein", n_critic=5, gp_weight=10.0
        ),
        gradient_penalty=True,
    )
)
register_model(
    ModelEntry(
        name="cgan",
        label="Conditional DCGAN (by class)",
        description="class-conditional DCGAN: choose the class to generate (labelled images)",
        build=_dcgan,
        data_kinds={"images": TANH},
        defaults=dict(latent_dim=64, **_ADAM, beta2=0.999, loss="bce", n_critic=1),
        conditional=True,
    )
)
register_model(
    ModelEntry(
        name="specgan",
        label="SpecGAN (sounds as spectrograms)",
        description="DCGAN-style networks on 128×128 log-mel spectrograms (audio:FOLDER)",
        build=_specgan,
        data_kinds={"audio": TANH},
        defaults=dict(
            latent_dim=100,
            lr_g=1e-4,
            lr_d=1e-4,
            beta1=0.5,
            beta2=0.9,
            loss="wasserstein",
            n_critic=5,
            gp_weight=10.0,
            image_size=128,
            batch_size=32,
        ),
        gradient_penalty=True,
    )
)
