"""Display and training features, and the audio:FOLDER dataset, on the real drum kit."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from ganstudio.core.audio.features import (
    MelParams,
    log_mel,
    mel_power,
    mel_spectrogram_db,
    waveform_envelope,
)
from ganstudio.core.audio.io import find_audio_files, load_audio
from ganstudio.core.audio.stft import Stft
from ganstudio.core.audio.warmup import warm_up
from ganstudio.core.data.audio_folder import load_audio_dataset, load_clip
from ganstudio.core.data.dataset import DataError


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    warm_up()


@pytest.fixture(scope="module")
def stereo_drum(drums_dir: Path) -> tuple[np.ndarray, int]:
    for path in find_audio_files(drums_dir):
        samples, sr = load_audio(path)
        if samples.ndim == 2 and len(samples) > sr // 4:
            return samples, sr
    pytest.fail("no stereo drum sample found")


def test_waveform_envelope(stereo_drum):
    samples, _ = stereo_drum
    mins, maxs = waveform_envelope(samples, 400)
    assert mins.shape == maxs.shape == (400,)
    mono = samples.mean(axis=1)
    assert np.isclose(mins.min(), mono.min()) and np.isclose(maxs.max(), mono.max())
    assert (mins <= maxs).all()
    short_min, short_max = waveform_envelope(mono[:10], 50)  # fewer samples than pixels
    assert short_min.shape == (50,) and np.isin(short_max, mono[:10]).all()
    assert waveform_envelope(np.zeros(0), 5)[0].tolist() == [0.0] * 5


def test_mel_spectrogram_db_axes(stereo_drum):
    samples, sr = stereo_drum
    s_db, times, freqs = mel_spectrogram_db(samples, sr, n_mels=64, hop_length=256)
    assert s_db.shape == (64, len(times)) and freqs.shape == (64,)
    assert s_db.max() == pytest.approx(0.0) and s_db.min() >= -80.0 - 1e-3
    assert times[0] == 0.0
    assert times[-1] == pytest.approx(len(samples) / sr, abs=256 / sr)
    assert freqs[0] == 0.0 and freqs[-1] == pytest.approx(sr / 2)
    assert np.all(np.diff(freqs) > 0)


def test_log_mel_matches_librosa(drums_dir: Path):
    import librosa

    path = find_audio_files(drums_dir)[5]
    clip = load_clip(path)
    params = MelParams()
    ours = mel_power(clip, params)
    ref = librosa.feature.melspectrogram(
        y=clip, sr=16000, n_fft=1024, hop_length=128, n_mels=128, pad_mode="constant"
    )
    assert ours.shape == (128, 128)
    np.testing.assert_allclose(ours, ref[:, :128], rtol=1e-3, atol=1e-6 * ref.max())
    batch = log_mel(np.stack([clip, clip * 0.5]), params)
    assert batch.shape == (2, 128, 128) and np.isfinite(batch).all()
    assert batch[0].max() > batch[1].max()  # quieter clip, lower log energy


def test_stft_round_trip():
    rng = np.random.default_rng(1)
    signal = rng.standard_normal((3, 5000)).astype(np.float32)
    stft = Stft(1024, 128)
    spec = stft.forward(signal)
    assert spec.shape == (3, 1 + 5000 // 128, 513)
    back = stft.inverse(spec, length=5000)
    np.testing.assert_allclose(back, signal, atol=1e-4)
    odd = Stft(400, 160)  # hop does not divide n_fft: the general overlap-add path
    np.testing.assert_allclose(odd.inverse(odd.forward(signal[0]), 5000), signal[0], atol=1e-4)


def test_dataset_from_a_subset(drums_dir: Path):
    data = load_audio_dataset(drums_dir, limit=12, seed=3)
    assert data.kind == "audio" and len(data) == 12
    assert data.x.shape == (12, 128, 128, 1) and data.x.dtype == np.float32
    assert data.x.min() >= 0.0 and data.x.max() <= 1.0
    assert abs(float(data.x.mean()) - 0.5) < 0.05  # z-scored bands centre on 0.5
    assert data.stats["mel_mean"].shape == data.stats["mel_std"].shape == (128,)
    assert (data.stats["mel_std"] > 0).all()
    meta = data.meta
    assert meta["sample_rate"] == 16000 and meta["clip_samples"] == 16384
    assert (meta["n_fft"], meta["hop_length"], meta["n_mels"]) == (1024, 128, 128)
    assert meta["fmin"] == 0.0 and meta["fmax"] == 8000.0 and meta["n_files"] == 12
    assert "peak" in meta["normalisation"]
    again = load_audio_dataset(drums_dir, limit=12, seed=3)
    assert again.meta["files"] == meta["files"]
    assert load_audio_dataset(drums_dir, limit=12, seed=4).meta["files"] != meta["files"]


def test_dataset_lists_unreadable_audio_and_ignores_other_files(drums_dir: Path, tmp_path: Path):
    folder = tmp_path / "my sounds"
    (folder / "kit a").mkdir(parents=True)
    good = find_audio_files(drums_dir)[:3]
    for i, path in enumerate(good):
        shutil.copy(path, folder / "kit a" / f"hit {i}{path.suffix}")
    (folder / "notes.txt").write_text("not audio")
    (folder / "kit a" / "broken.wav").write_bytes(b"RIFF\x00\x00")
    (folder / "empty.flac").write_bytes(b"")
    data = load_audio_dataset(folder)
    assert len(data) == 3
    reasons = dict(data.skipped)
    assert set(reasons) == {str(folder / "kit a" / "broken.wav"), str(folder / "empty.flac")}
    assert "empty" in reasons[str(folder / "empty.flac")]


def test_dataset_errors_name_the_folder(tmp_path: Path):
    empty = tmp_path / "nothing here"
    empty.mkdir()
    (empty / "readme.txt").write_text("hello")
    with pytest.raises(DataError, match=r"no audio files.*nothing here"):
        load_audio_dataset(empty)
    (empty / "fake.wav").write_text("hello")
    with pytest.raises(DataError, match=r"none of the 1 audio files in .*nothing here"):
        load_audio_dataset(empty)
    with pytest.raises(DataError, match="does not exist"):
        load_audio_dataset(tmp_path / "missing")
