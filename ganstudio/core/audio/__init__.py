"""Audio engine: reading and writing sound files, display and training features, fast
Griffin-Lim inversion, audio datasets, metrics and playback. No Qt.

Modules (each usable from any thread unless its docstring says otherwise):

- :mod:`.io`          ``load_audio``, ``save_wav``, ``describe_audio``, ``find_audio_files``
- :mod:`.features`    ``waveform_envelope``, ``mel_spectrogram_db`` (display),
                      ``MelParams``, ``log_mel`` (training)
- :mod:`.warmup`      ``warm_up``: compile librosa's and our numba kernels off the GUI thread
- :mod:`.run_sound`   a run's spectrograms to sound (``SoundParams``)
- :mod:`.sound_model` an audio generator for the sound pads: load, render, write WAVs
- :mod:`.stft`        a batched NumPy STFT/ISTFT with precomputed windows
- :mod:`.inversion`   ``mel_to_audio``, ``spectrogram_to_audio``, ``denormalise``
- :mod:`.pghi`        phase from magnitude (phase gradient heap integration)
- :mod:`.fastgl`      the fast Griffin-Lim loop and sparse-filterbank NNLS kernels (numba)
- :mod:`.dataset`     ``load_audio_dataset`` (the ``audio:FOLDER`` dataset)
- :mod:`.metrics`     ``frechet_mel_distance``, ``spectral_convergence``
- :mod:`.playback`    ``AudioPlayer`` (sounddevice, imported lazily), ``PlaybackError``

Heavy imports (librosa, sounddevice) happen inside functions, so importing this package
is cheap.
"""

from ganstudio.core.audio.io import (
    AUDIO_EXTENSIONS,
    AudioError,
    AudioInfo,
    describe_audio,
    find_audio_files,
    load_audio,
    save_wav,
)

__all__ = [
    "AUDIO_EXTENSIONS",
    "AudioError",
    "AudioInfo",
    "describe_audio",
    "find_audio_files",
    "load_audio",
    "save_wav",
]
