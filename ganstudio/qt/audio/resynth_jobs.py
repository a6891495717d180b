"""Worker-thread jobs of the resynthesis dialog: open a vocoder, resynthesise a sound
and prepare both for display. No widgets here.

Threading contract: a :class:`VocoderSlot` and the model in it are touched only by these
jobs, which one :class:`~ganstudio.qt.common.jobs.JobRunner` runs one at a time. Jobs
return frozen dataclasses of plain data.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ganstudio.core.foreign.opening import NeedsAnswers
from ganstudio.core.foreign.resynth import (
    Resynthesis,
    open_vocoder,
    resynthesize_file,
    save_resynthesis,
)
from ganstudio.qt.audio.files import (
    ENVELOPE_WIDTH,
    MAX_FRAMES,
    MAX_SECONDS,
    display_hop,
    pool_frames,
)


@dataclass(frozen=True)
class Questions:
    """The model file needs answers first (see ``core.foreign.answers``)."""

    path: str
    summary: str
    answers: dict
    questions: tuple


@dataclass(frozen=True)
class DisplayedSound:
    """What the waveform and mel views draw for one sound."""

    env_min: np.ndarray
    env_max: np.ndarray
    s_db: np.ndarray
    times: np.ndarray
    freqs: np.ndarray
    duration: float


@dataclass(frozen=True)
class ResynthView:
    """A finished resynthesis and the views of both sounds."""

    result: Resynthesis
    original: DisplayedSound
    output: DisplayedSound


class VocoderSlot:
    """The open vocoder (loaded on the worker thread, reused while the path stays)."""

    def __init__(self) -> None:
        self.key: tuple | None = None
        self.model: Any = None


def displayed(samples: np.ndarray, sr: int) -> DisplayedSound:
    # deferred: scipy (audio features)
    from ganstudio.core.audio.features import mel_spectrogram_db, waveform_envelope

    env_min, env_max = waveform_envelope(samples, ENVELOPE_WIDTH)
    s_db, times, freqs = mel_spectrogram_db(samples, sr, hop_length=display_hop(len(samples)))
    s_db, times = pool_frames(s_db, times, MAX_FRAMES)
    return DisplayedSound(env_min, env_max, s_db, times, freqs, len(samples) / sr)


def resynthesize_job(
    slot: VocoderSlot,
    model_path: str,
    answers: dict,
    sound_path: str,
    *,
    stop: threading.Event,
    progress: Callable[[Any], None] | None = None,
) -> ResynthView | Questions:
    """Open the vocoder (or reuse it), resynthesise ``sound_path`` (cancelled when ``stop``,
    the runner's stop event, is set) and compute both sounds' views. Returns
    :class:`Questions` instead when the model file needs answers."""
    key = (model_path, tuple(sorted(answers.items())))
    if slot.key != key:
        try:
            slot.model, slot.key = open_vocoder(model_path, answers or None), key
        except NeedsAnswers as need:
            return Questions(need.path, need.summary, need.answers, tuple(need.questions))
    result = resynthesize_file(
        slot.model, sound_path, progress=progress, cancelled=stop.is_set, max_seconds=MAX_SECONDS
    )
    return ResynthView(
        result,
        displayed(result.original, result.original_rate),
        displayed(result.output, result.output_rate),
    )


def save_job(result: Resynthesis, path: str) -> str:
    return str(save_resynthesis(result, path))
