"""The training session of a ``melgan`` run: waveform segments in, resyntheses out.

A :class:`~ganstudio.core.session.TrainingSession` whose data are the clips of an
``audio:FOLDER`` (:mod:`.segments`), whose batches are random segments with their mel
frames, whose sample grid is the live view (:mod:`.live`: fixed held-out clips, the input
mel beside the mel of the generated waveform, both sounds kept for playing) and whose
export is a vocoder (``kind: "vocoder"`` with the mel parameters). Used from the
training thread only, as its base class.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ganstudio.core import events as ev
from ganstudio.core.config import TrainConfig
from ganstudio.core.data.source_table import split_spec
from ganstudio.core.kinds import get_kind
from ganstudio.core.rundir import RunDir
from ganstudio.core.session import TrainingSession
from ganstudio.core.vocoder.live import LiveView, save_view
from ganstudio.core.vocoder.losses import STFT_RESOLUTIONS
from ganstudio.core.vocoder.options import VocoderOptions
from ganstudio.core.vocoder.segments import load_segment_set
from ganstudio.core.vocoder.vocoder import VOCODER_KIND


class VocoderSession(TrainingSession):
    """A training session for mel -> waveform models."""

    #: the image/point quality metrics do not apply: the live view and benchmarks/vocoder.py
    #: measure the resynthesis instead
    quality_metrics = False

    def __init__(self, config: TrainConfig, run: RunDir, cluster: Any = None) -> None:
        super().__init__(config, run, cluster)
        self.options = VocoderOptions.from_options(config.options)
        if config.n_critic != 1:
            raise ValueError(
                "melgan updates its discriminators once per generator step: set n_critic to 1"
            )
        hop = self.options.mel().hop_length
        longest = max(window for _, _, window in STFT_RESOLUTIONS)
        if self.options.segment_frames * hop < longest:
            raise ValueError(
                f"a training segment of {self.options.segment_frames} frames x hop {hop} is "
                f"shorter than the STFT loss's longest window ({longest} samples): set "
                f"segment_frames to at least {-(-longest // hop)}"
            )

    def _optimizer(self, lr: float) -> Any:
        """Adam whose rate halves every ``lr_half_life`` of its own steps (Parallel WaveGAN
        and MelGAN's successors decay the rate too; the optimizer's step counter is
        checkpointed, so a resumed run continues on the same curve)."""
        import keras

        half_life = self.options.lr_half_life
        if half_life:
            lr = keras.optimizers.schedules.ExponentialDecay(lr, half_life, 0.5)
        return super()._optimizer(lr)

    def _load_data(self, cancel: Callable[[], bool] | None = None) -> Any:
        source, folder = split_spec(self.config.dataset)
        if not get_kind(source.kind).spectrogram or not folder:  # clips of sound
            raise ValueError(
                f"melgan trains on sound: use a dataset 'audio:FOLDER', not {self.config.dataset!r}"
            )
        o = self.options
        data = load_segment_set(
            folder,
            o.mel(),
            segment_frames=o.segment_frames,
            holdout=o.holdout,
            gain_db=o.gain_db,
            limit=self.config.dataset_limit,
            seed=self.config.seed,
        )
        self.view = LiveView.choose(data, o.view_clips, o.view_seconds)
        self.notes.append(
            f"{len(data.train)} clips to train on, {len(data.held_out)} held out "
            f"({data.mel.sample_rate} Hz, {data.mel.n_mels} mel bands, hop {data.mel.hop_length})"
        )
        return data

    def _input_pipeline(self, per_step: int, seed: int) -> Any:
        return self.data.tf_dataset(per_step, seed)

    def sample_grid(self, step: int) -> ev.SampleGrid:
        """Resynthesise the view's clips with the current generator; save and describe it."""
        out = np.asarray(self.gan.generator(self.view.frames, training=False), np.float32)
        shown = self.view.render(out[..., 0])
        png = save_view(self.run, step, shown)
        return ev.SampleGrid(step, shown.images, VOCODER_KIND, str(png), None, shown.extra())

    def generator_info(self, step: int) -> dict[str, Any]:
        data = self.data
        return {
            "kind": VOCODER_KIND,
            "model": self.config.model,
            "input": "log-mel frames (frames, n_mels)",
            "latent_dim": 0,
            "num_classes": 0,
            "output_shape": [None, 1],
            "output_range": [-1.0, 1.0],
            "step": step,
            "dataset": self.config.dataset,
            "data_meta": data.meta(),
        }
