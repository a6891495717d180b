"""MelGAN's row in the model table, beside its code: networks, training model, session.

The model table loads this module with the built-in plugins (see
:func:`ganstudio.core.tables.load_plugins`), the first time a table is listed or asked for
a name it does not hold: the row is registered from the layer its code lives in, and the
model table below never imports the vocoder. Keras loads only when the networks are built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ganstudio.core.models.model_table import ModelEntry, register_model
from ganstudio.core.vocoder import networks
from ganstudio.core.vocoder.options import DEFAULTS as MELGAN_OPTIONS
from ganstudio.core.vocoder.options import VocoderOptions
from ganstudio.core.vocoder.session import VocoderSession

if TYPE_CHECKING:
    from ganstudio.core.config import TrainConfig
    from ganstudio.core.models.spec import ModelSpec

TANH = (-1.0, 1.0)


def _melgan(config: TrainConfig, spec: ModelSpec) -> tuple[Any, Any]:
    o = VocoderOptions.from_options(config.options)
    mel = o.mel()
    return (
        networks.melgan_generator(mel.n_mels, mel.hop_length, channels=o.channels, depth=o.depth),
        networks.melgan_discriminator(scales=o.d_scales, width=o.d_width, layers_n=o.d_layers),
    )


def _melgan_gan(generator: Any, discriminator: Any, *, config: TrainConfig, **_: Any) -> Any:
    # deferred: Keras
    from ganstudio.core.vocoder.gan import VocoderGAN

    o = VocoderOptions.from_options(config.options)
    return VocoderGAN(
        generator,
        discriminator,
        scales=o.d_scales,
        loss=config.loss,
        adv_start=o.adv_start,
        stft_weight=o.stft_weight,
        adv_weight=o.adv_weight,
        fm_weight=o.fm_weight,
    )


register_model(
    ModelEntry(
        name="melgan",
        label="MelGAN vocoder (mel spectrogram → sound)",
        description="mel -> waveform GAN (Kumar et al. 2019) for resynthesis (audio:FOLDER)",
        build=_melgan,
        data_kinds={"audio": TANH},
        defaults=dict(
            latent_dim=1,
            batch_size=8,
            lr_g=1e-3,
            lr_d=2e-4,
            beta1=0.5,
            beta2=0.9,
            loss="least-squares",
            n_critic=1,
            gp_weight=0.0,
            steps=20000,
            sample_every=500,
            checkpoint_every=1000,
            options=dict(MELGAN_OPTIONS),
        ),
        make_gan=_melgan_gan,
        session=VocoderSession,
    )
)
