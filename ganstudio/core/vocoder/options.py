"""The ``melgan`` model's own settings, read from ``TrainConfig.options``.

Every key has a default (:data:`DEFAULTS`, also the model table's default ``options``);
a run's ``config.json`` keeps the options it was started with, so resuming rebuilds the
same networks. Mel settings left at None follow the sample rate
(:func:`~ganstudio.core.audio.vocoder_mel.defaults_for_rate`). Plain data; no TensorFlow.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from ganstudio.core.audio.vocoder_mel import VocoderMel, defaults_for_rate, with_overrides


@dataclass(frozen=True)
class VocoderOptions:
    """Width and depth of the networks, the data's segments, the losses' weights, the mel."""

    channels: int = 128  # generator width after the first convolution (halved per stage)
    depth: int = 3  # residual blocks per upsampling stage (dilations 1, 3, 9, ...)
    d_width: int = 16  # first discriminator layer's channels
    d_scales: int = 3  # discriminators, on the waveform pooled 1x, 2x, 4x, ...
    d_layers: int = 3  # stride-4 layers per discriminator
    segment_frames: int = 32  # training segment: 32 frames x hop 256 = 8192 samples
    holdout: float = 0.1  # clips held out (a fraction, or a count when >= 1)
    gain_db: float = 12.0  # random gain of 0 to -gain_db dB per segment
    adv_start: int = 8000  # generator steps on the spectral losses alone, then adversarial
    lr_half_life: int = 6000  # steps over which the learning rates halve (0: constant)
    stft_weight: float = 1.0
    adv_weight: float = 4.0
    fm_weight: float = 10.0
    sample_rate: int = 16000
    n_fft: int | None = None
    hop_length: int | None = None
    n_mels: int | None = None
    fmin: float | None = None
    fmax: float | None = None
    view_clips: int = 4  # held-out clips in the live view
    view_seconds: float = 2.0  # of each

    def __post_init__(self) -> None:
        for name in ("channels", "depth", "d_width", "d_scales", "d_layers", "segment_frames"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"melgan option {name} must be at least 1")
        if min(self.adv_start, self.gain_db, self.holdout, self.lr_half_life) < 0:
            raise ValueError(
                "melgan options adv_start, gain_db, holdout and lr_half_life must not be negative"
            )
        if self.view_clips < 1 or self.view_seconds <= 0:
            raise ValueError("melgan options view_clips and view_seconds must be positive")
        self.mel()  # raises ValueError for invalid mel settings

    @classmethod
    def from_options(cls, options: dict[str, Any] | None) -> VocoderOptions:
        """Build from ``TrainConfig.options``; unknown keys or bad values raise ValueError."""
        options = dict(options or {})
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(options) - set(known))
        if unknown:
            raise ValueError(
                f"unknown melgan option(s) {', '.join(unknown)}; known: {', '.join(known)}"
            )
        values: dict[str, Any] = {}
        for key, value in options.items():
            kind = known[key].type
            try:
                if value is None:
                    values[key] = None
                elif "int" in str(kind) and "float" not in str(kind):
                    values[key] = int(value)
                else:
                    values[key] = float(value)
            except (TypeError, ValueError):
                raise ValueError(f"melgan option {key} must be a number, not {value!r}") from None
        return cls(**values)

    def mel(self) -> VocoderMel:
        """The mel analysis: the rate's defaults with any explicit settings over them."""
        return with_overrides(
            defaults_for_rate(self.sample_rate),
            n_fft=self.n_fft,
            hop_length=self.hop_length,
            n_mels=self.n_mels,
            fmin=self.fmin,
            fmax=self.fmax,
        )

    def to_options(self) -> dict[str, Any]:
        return asdict(self)


DEFAULTS: dict[str, Any] = VocoderOptions().to_options()
