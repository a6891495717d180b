"""Mel -> sound (fast Griffin-Lim) and the audio metrics, on real drum clips."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ganstudio.core.audio.features import MelParams, mel_power
from ganstudio.core.audio.inversion import (
    denormalise,
    get_inverter,
    mel_to_audio,
    spectrogram_to_audio,
)
from ganstudio.core.audio.io import find_audio_files, load_audio, save_wav
from ganstudio.core.audio.stft import Stft
from ganstudio.core.audio.warmup import warm_up
from ganstudio.core.data.audio_folder import load_audio_dataset, load_clip
from ganstudio.core.metrics.mel_distance import (
    frechet_distance,
    frechet_mel_distance,
    spectral_convergence,
)


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    warm_up()


@pytest.fixture(scope="module")
def drum_clips(drums_dir: Path) -> np.ndarray:
    files = find_audio_files(drums_dir)
    picks = [files[i] for i in np.random.default_rng(7).choice(len(files), 6, replace=False)]
    return np.stack([load_clip(p) for p in picks])


def test_round_trip_of_real_drums(drum_clips: np.ndarray):
    mel = mel_power(drum_clips)  # (6, 128, 128)
    audio = mel_to_audio(mel, 16000, length=16384)
    assert audio.shape == (6, 16384) and audio.dtype == np.float32
    assert np.isfinite(audio).all()
    stft = Stft(1024, 128)
    mel_sc = [
        spectral_convergence(np.sqrt(m), np.sqrt(mel_power(a)))
        for m, a in zip(mel, audio, strict=True)
    ]
    lin_sc = [
        spectral_convergence(np.abs(stft.forward(c)), np.abs(stft.forward(a)))
        for c, a in zip(drum_clips, audio, strict=True)
    ]
    assert max(mel_sc) < 0.2, mel_sc  # the mel spectrogram of the result matches
    assert np.mean(lin_sc) < 0.3, lin_sc  # and the sound is close to the original's
    noise = np.random.default_rng(0).standard_normal(audio.shape).astype(np.float32) * 0.1
    assert spectral_convergence(np.sqrt(mel[0]), np.sqrt(mel_power(noise[0]))) > 0.5


def test_more_iterations_fit_better(drum_clips: np.ndarray):
    mel = mel_power(drum_clips[:2])
    inv = get_inverter()
    scs = []
    for n_iter in (0, 2, 32):
        audio = inv(mel, 16384, n_iter=n_iter)
        scs.append(spectral_convergence(np.sqrt(mel), np.sqrt(mel_power(audio))))
    assert scs[2] < 0.85 * scs[1] < 0.85 * 0.85 * scs[0]


def test_batched_equals_single(drum_clips: np.ndarray):
    mel = mel_power(drum_clips[:3])
    batch = mel_to_audio(mel, length=16384)
    single = mel_to_audio(mel[1], length=16384)
    assert single.shape == (16384,)
    np.testing.assert_allclose(batch[1], single, atol=1e-4)


def test_mel_to_audio_rejects_bad_input():
    with pytest.raises(ValueError, match="non-negative"):
        mel_to_audio(-np.ones((128, 10), np.float32))
    with pytest.raises(ValueError, match="expected"):
        mel_to_audio(np.ones(10, np.float32))


def test_spectrogram_to_audio_writes_decodable_wavs(drums_dir: Path, tmp_path: Path):
    data = load_audio_dataset(drums_dir, limit=6, seed=1)
    mel_back = denormalise(data.x, data.stats, data.meta)
    assert mel_back.shape == (6, 128, 128)
    audio = spectrogram_to_audio(data.x[:4], data.stats, data.meta, n_iter=16)
    assert audio.shape == (4, data.meta["clip_samples"]) and np.abs(audio).max() <= 0.99
    assert np.abs(audio).max(axis=1).min() > 0.05  # not silence
    for i, wave in enumerate(audio):
        path = save_wav(tmp_path / f"gen_{i}.wav", wave, data.meta["sample_rate"])
        back, sr = load_audio(path)
        assert sr == 16000 and back.shape == (16384,)
    bad_stats = {"mel_mean": np.zeros(64), "mel_std": np.ones(64)}
    with pytest.raises(ValueError, match="bands"):
        spectrogram_to_audio(data.x[:1], bad_stats, data.meta)


def test_frechet_distance_on_mel_statistics(drums_dir: Path):
    data = load_audio_dataset(drums_dir, limit=40, seed=0)
    real_a, real_b = data.x[:20], data.x[20:]
    noise = np.random.default_rng(0).uniform(0, 1, real_a.shape).astype(np.float32)
    assert frechet_mel_distance(real_a, real_a) == pytest.approx(0.0, abs=1e-6)
    same_kind = frechet_mel_distance(real_a, real_b)
    assert 0 < same_kind < frechet_mel_distance(real_a, noise)
    assert frechet_mel_distance(real_a, np.full_like(real_a, 0.5)) > same_kind


def test_frechet_distance_matches_closed_form():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((5, 5))
    cov1, cov2 = a @ a.T + np.eye(5), np.diag(rng.uniform(0.5, 2, 5))
    mu1, mu2 = rng.standard_normal(5), rng.standard_normal(5)
    vals = np.linalg.eigvals(cov1 @ cov2)  # (cov1 cov2)^1/2 has eigenvalues sqrt(vals)
    expected = (
        np.sum((mu1 - mu2) ** 2) + np.trace(cov1) + np.trace(cov2) - 2 * np.sqrt(vals).real.sum()
    )
    assert frechet_distance(mu1, cov1, mu2, cov2) == pytest.approx(expected, rel=1e-9)
    assert frechet_distance(mu1, cov1, mu1, cov1) == pytest.approx(0.0, abs=1e-9)


def test_spectral_convergence():
    t = np.ones((4, 4))
    assert spectral_convergence(t, t) == 0.0
    assert spectral_convergence(t, 0.5 * t) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="shapes"):
        spectral_convergence(t, np.ones((4, 3)))


def test_params_survive_meta_round_trip():
    params = MelParams(sample_rate=22050, clip_samples=8192, n_frames=64)
    assert MelParams.from_meta(params.to_meta() | {"other": 1}).fmax_hz == 11025.0


def test_pghi_first_guess_beats_random_phases(drum_clips: np.ndarray):
    from ganstudio.core.audio.fastgl import fast_griffin_lim

    mel = mel_power(drum_clips)
    inv = get_inverter()
    mag = np.sqrt(inv.linear_power(mel))

    def mel_sc(init: str, n_iter: int) -> float:
        audio = fast_griffin_lim(inv.stft, mag, 16384, n_iter=n_iter, init=init)
        return spectral_convergence(np.sqrt(mel), np.sqrt(mel_power(audio)))

    assert mel_sc("pghi", 0) < 0.6 * mel_sc("random", 0)
    assert mel_sc("pghi", 8) < mel_sc("random", 32)  # the default beats 4x the work
    with pytest.raises(ValueError, match="unknown Griffin-Lim init"):
        fast_griffin_lim(inv.stft, mag, 16384, init="magic")
