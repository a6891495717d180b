"""Warm-up of the audio engine: librosa's and our numba kernels compile on first use.

librosa's first call compiles with numba (many seconds cold, about a second from the
cache). Call :func:`warm_up` once on a worker thread before the first display or
inversion, never on the GUI thread.
"""

from __future__ import annotations

import numpy as np

from ganstudio.core.audio.features import MelParams, mel_power, mel_spectrogram_db
from ganstudio.core.audio.inversion import mel_to_audio


def warm_up() -> None:
    """Import librosa and run the display, feature and inversion paths once."""
    import librosa

    rng = np.random.default_rng(0)
    y = (rng.standard_normal(4096) * 0.1).astype(np.float32)
    mel_spectrogram_db(y, 16000)
    mel_to_audio(mel_power(y, MelParams(clip_samples=4096, n_frames=8)), n_iter=2)
    librosa.resample(y, orig_sr=16000, target_sr=8000)
