"""Audio engine: reading and writing sound files, display and training features, fast
Griffin-Lim inversion and playback. No Qt. (The ``audio:FOLDER`` data set is
:mod:`ganstudio.core.data.audio_folder`, sound metrics :mod:`ganstudio.core.metrics.mel_distance`,
runs as sound :mod:`ganstudio.core.sound`.)

Modules (each usable from any thread unless its docstring says otherwise):

- :mod:`.io`          ``load_audio``, ``save_wav``, ``describe_audio``, ``find_audio_files``
- :mod:`.features`    ``waveform_envelope``, ``mel_spectrogram_db`` (display),
                      ``MelParams``, ``log_mel`` (training)
- :mod:`.warmup`      ``warm_up``: compile librosa's and our numba kernels off the GUI thread
- :mod:`.stft`        a batched NumPy STFT/ISTFT with precomputed windows
- :mod:`.inversion`   ``mel_to_audio``, ``spectrogram_to_audio``, ``denormalise``
- :mod:`.pghi`        phase from magnitude (phase gradient heap integration)
- :mod:`.fastgl`      the fast Griffin-Lim loop and sparse-filterbank NNLS kernels (numba)
- :mod:`.vocoder_mel` the vocoders' mel analysis
- :mod:`.mel_meta`    mel parameters kept with a generator
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
