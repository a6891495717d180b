"""Checks of an installed or frozen GAN Studio that the packaging scripts run.

    ganstudio selfcheck audio|play      (the frozen app)
    python -m ganstudio.selfcheck audio|play

``audio``: librosa and numba compute a mel spectrogram of a 440 Hz tone and the audio
engine's warm-up compiles its kernels; when ``NUMBA_CACHE_DIR`` is set (the frozen app sets
it), the compiled kernels must have been cached there. ``play``: a short tone goes to the
default sound output (the smoke test points ALSA at a file). Each prints one JSON line and
exits 0 when the check passed, 1 when it did not.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

from ganstudio.core.audio.playback import AudioPlayer, PlaybackError

TONE_HZ = 440.0
RATE = 16000


def _tone(seconds: float) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return (0.5 * np.sin(2 * np.pi * TONE_HZ * t)).astype(np.float32)


def check_audio() -> dict:
    import librosa
    import numba

    # deferred: scipy (audio features)
    from ganstudio.core.audio.features import mel_spectrogram_db

    # deferred: scipy and numba (the kernels it compiles)
    from ganstudio.core.audio.warmup import warm_up

    s_db, _times, freqs = mel_spectrogram_db(_tone(1.0), RATE)
    peak_hz = float(freqs[int(np.argmax(s_db.mean(axis=1)))])
    warm_up()
    cache = os.environ.get("NUMBA_CACHE_DIR")
    cached = sorted(str(p) for p in Path(cache).rglob("*.nbi")) if cache else []
    return {
        "ok": abs(peak_hz - TONE_HZ) < 60 and (not cache or bool(cached)),
        "mel_shape": list(s_db.shape),
        "peak_hz": round(peak_hz, 1),
        "librosa": librosa.__version__,
        "numba": numba.__version__,
        "numba_cache_dir": cache,
        "numba_cache_index_files": len(cached),
    }


def check_play(seconds: float = 0.5) -> dict:
    samples = _tone(seconds)
    try:
        with AudioPlayer() as player:
            player.play(samples, RATE)
            finished = player.wait(timeout=30)
    except PlaybackError as exc:
        return {"ok": False, "error": str(exc)}
    return {"ok": bool(finished), "samples": int(samples.size), "rate": RATE}


CHECKS = {"audio": check_audio, "play": check_play}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or argv[0] not in CHECKS:
        print(f"usage: ganstudio selfcheck {{{','.join(CHECKS)}}}", file=sys.stderr)
        return 2
    report = {"check": argv[0], **CHECKS[argv[0]]()}
    print(json.dumps(report))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
