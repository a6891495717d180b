"""Sound pads with a real (tiny, untrained) SpecGAN generator in the engine's run layout:
loading, saving WAVs, generating a folder, and the clear errors for unusable models."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from ganstudio.core.sound.sound_model import AudioModelError
from ganstudio.qt.audio.pads import SoundPadBank
from ganstudio.qt.audio.panel import AudioPanel
from ganstudio.qt.audio.player import SpectrogramPlayer
from tests.qt.audio_support import (
    TINY_RATE,
    TINY_SAMPLES,
    build_tiny_audio_run,
)

WAIT_MS = 120_000


@pytest.fixture(scope="module")
def audio_run(tmp_path_factory, drums_dir: Path) -> Path:
    return build_tiny_audio_run(tmp_path_factory.mktemp("runs") / "tiny audio run", drums_dir)


@pytest.fixture
def bank(qtbot):
    widget = SoundPadBank(seed=3)
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()


def load(qtbot, bank: SoundPadBank, run: Path) -> str:
    with qtbot.waitSignal(bank.model_ready, timeout=WAIT_MS) as blocker:
        bank.load_run(run)
    return blocker.args[0]


def decoded(path: Path) -> tuple[np.ndarray, int]:
    data, sr = sf.read(str(path), dtype="float32")
    return data, sr


def test_loading_a_run_makes_eight_ready_pads(qtbot, bank, audio_run):
    assert not bank.pads[0].isEnabled() and not bank.generate_button.isEnabled()
    text = load(qtbot, bank, audio_run)
    assert text.startswith("Audio model 'tiny audio run': 32 mel bands, 0.51 s at 8000 Hz")
    assert len(bank.pads) == 8 and all(p.isEnabled() for p in bank.pads)
    latents = np.stack([bank.latent(i) for i in range(8)])
    assert latents.shape == (8, 8) and len({row.tobytes() for row in latents}) == 8


def test_save_pad_writes_a_wav_of_the_model_rate_and_length(qtbot, bank, audio_run, tmp_path):
    load(qtbot, bank, audio_run)
    target = tmp_path / "out dir" / "pad one.wav"
    with qtbot.waitSignal(bank.saved, timeout=WAIT_MS) as blocker:
        bank.save_pad(0, target)
    assert blocker.args == [str(target)]
    data, sr = decoded(target)
    assert sr == TINY_RATE and data.shape == (TINY_SAMPLES,)
    assert 1e-4 < np.abs(data).max() <= 0.99  # not silent (the model is untrained), limited
    # saving again uses the cached sound: same bytes
    again = tmp_path / "again.wav"
    with qtbot.waitSignal(bank.saved, timeout=WAIT_MS):
        bank.save_pad(0, again)
    assert again.read_bytes() == target.read_bytes()
    # another pad holds another latent, so another sound
    other = tmp_path / "pad two.wav"
    with qtbot.waitSignal(bank.saved, timeout=WAIT_MS):
        bank.save_pad(1, other)
    assert not np.allclose(decoded(other)[0], data)


def test_reroll_draws_a_new_latent(qtbot, bank, audio_run, tmp_path):
    load(qtbot, bank, audio_run)
    before = bank.latent(2)
    with qtbot.waitSignal(bank.saved, timeout=WAIT_MS):
        bank.save_pad(2, tmp_path / "before.wav")
    # re-rolling renders and plays the new sound; whether this machine has a sound card
    # does not matter here (playback is tested through PortAudio in a subprocess)
    with qtbot.waitSignals([bank.message], timeout=WAIT_MS, check_params_cbs=[_playing_or_error]):
        bank.reroll(2)
    assert not np.array_equal(bank.latent(2), before)
    with qtbot.waitSignal(bank.saved, timeout=WAIT_MS):
        bank.save_pad(2, tmp_path / "after.wav")
    a, b = decoded(tmp_path / "before.wav")[0], decoded(tmp_path / "after.wav")[0]
    assert a.shape == b.shape and not np.allclose(a, b)


def _playing_or_error(text: str) -> bool:
    return text.startswith("Playing pad 3") or text.startswith("cannot open the sound output")


def test_generate_to_folder_never_overwrites(qtbot, bank, audio_run, tmp_path):
    load(qtbot, bank, audio_run)
    folder = tmp_path / "generated sounds"
    progress: list[str] = []
    bank.message.connect(progress.append)
    with qtbot.waitSignal(bank.generated, timeout=WAIT_MS) as blocker:
        bank.generate_to_folder(folder, 20)
    assert blocker.args == [str(folder), 20]
    assert "Generated 16 of 20 sounds…" in progress
    with qtbot.waitSignal(bank.generated, timeout=WAIT_MS):
        bank.generate_to_folder(folder, 3)
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"sound_{i:05d}.wav" for i in range(1, 24)]
    for path in folder.iterdir():
        data, sr = decoded(path)
        assert sr == TINY_RATE and data.shape == (TINY_SAMPLES,) and np.isfinite(data).all()


def test_pads_without_a_model_say_so(qtbot, bank, tmp_path):
    with qtbot.waitSignal(bank.error) as blocker:
        bank.play_pad(0)
    assert blocker.args == ["no audio model is loaded: use 'Load audio model…' first"]
    with qtbot.waitSignal(bank.error, timeout=WAIT_MS) as blocker:
        bank.load_run(tmp_path)
    assert blocker.args[0].startswith(f"no exported generator at {tmp_path}")
    assert bank.summary is None and not bank.pads[0].isEnabled()


def test_a_non_audio_or_incomplete_model_is_refused(qtbot, bank, audio_run):
    from ganstudio.core.generator import LoadedGenerator
    from ganstudio.core.rundir import RunDir

    gen = LoadedGenerator.load(audio_run)
    stats = RunDir(audio_run).load_stats()
    meta = gen.info["data_meta"]
    images = LoadedGenerator.from_model(gen.model, {**gen.info, "kind": "images"})
    with pytest.raises(AudioModelError, match="generates images, not sound"):
        bank.set_generator(images, stats, meta)
    with pytest.raises(AudioModelError, match=r"data_stats\.npz lacks mel_std"):
        bank.set_generator(gen, {"mel_mean": stats["mel_mean"]}, meta)
    with pytest.raises(AudioModelError, match="makes 32 mel bands but its statistics describe 8"):
        bank.set_generator(gen, {k: v[:8] for k, v in stats.items()}, meta)
    assert bank.summary is None
    with qtbot.waitSignal(bank.model_ready, timeout=WAIT_MS):
        bank.set_generator(gen, stats, meta, name="live")
    assert bank.summary.name == "live" and bank.summary.sample_rate == TINY_RATE


def test_panel_loads_an_audio_model_into_its_pads(qtbot, audio_run):
    panel = AudioPanel(warm_up=False)
    qtbot.addWidget(panel)
    try:
        with qtbot.waitSignal(panel.pads.model_ready, timeout=WAIT_MS):
            panel.load_audio_model(audio_run)
        assert panel.last_message.startswith("Audio model 'tiny audio run'")
    finally:
        panel.shutdown()


def test_spectrogram_player_reports_unusable_statistics(qtbot):
    player = SpectrogramPlayer()
    try:
        with qtbot.waitSignal(player.error, timeout=WAIT_MS) as blocker:
            player.play_spectrogram(np.full((32, 32, 1), 0.5, np.float32), {}, {})
        assert blocker.args[0].startswith("cannot turn these spectrograms into sound")
        stats = {"mel_mean": np.zeros(32, np.float32), "mel_std": np.ones(32, np.float32)}
        with qtbot.waitSignal(player.error, timeout=WAIT_MS) as blocker:
            player.play_spectrogram(np.zeros((2, 32, 32, 1)), stats, {"sample_rate": 8000})
        assert "expected one spectrogram" in blocker.args[0]
    finally:
        player.shutdown()


@pytest.fixture(scope="module")
def trained_run(tmp_path_factory, drums_dir: Path) -> Path:
    """A real run folder: two Trainer steps of SpecGAN on eight drum clips, batch 4."""
    from ganstudio.core.trainer import Trainer
    from tests.core.helpers import small_config

    config = small_config(
        "specgan",
        dataset=f"audio:{drums_dir}",
        steps=2,
        batch_size=4,
        dataset_limit=8,
        sample_every=2,
        checkpoint_every=2,
        log_every=1,
        num_samples=4,
        latent_dim=16,
        n_critic=1,
        tensorboard=False,
    )
    final = Trainer(config, runs_root=tmp_path_factory.mktemp("runs")).run()
    assert type(final).__name__ == "Finished", getattr(final, "traceback", final)
    return Path(final.run_dir)


def test_pads_and_grid_sounds_from_a_run_the_trainer_wrote(qtbot, bank, trained_run, tmp_path):
    from ganstudio.core.rundir import RunDir
    from ganstudio.core.sound.run_sound import spectrogram_audio

    text = load(qtbot, bank, trained_run)
    assert "128 mel bands, 1.02 s at 16000 Hz" in text
    with qtbot.waitSignal(bank.generated, timeout=WAIT_MS):
        bank.generate_to_folder(tmp_path, 2)
    with qtbot.waitSignal(bank.saved, timeout=WAIT_MS):
        bank.save_pad(7, tmp_path / "pad8.wav")
    for name in ("sound_00001.wav", "sound_00002.wav", "pad8.wav"):
        data, sr = decoded(tmp_path / name)
        assert sr == 16000 and data.shape == (16384,) and np.isfinite(data).all()
    # what a click on the training window's sample grid plays: a saved grid spectrogram
    run = RunDir(trained_run)
    grid = run.load_samples(run.sample_steps()[-1])
    assert grid.shape == (4, 128, 128, 1)
    meta = json.loads((run.generator_dir / "generator.json").read_text())["data_meta"]
    samples, sr = spectrogram_audio(grid[0], run.load_stats(), meta)
    assert sr == 16000 and samples.shape == (16384,) and 0 < np.abs(samples).max() <= 0.99


def test_spectrogram_player_reads_a_run_folder(qtbot, trained_run, tmp_path):
    from ganstudio.core.rundir import RunDir

    run = RunDir(trained_run)
    grid = run.load_samples(run.sample_steps()[-1])
    player = SpectrogramPlayer()
    try:
        with qtbot.waitSignal(player.error, timeout=WAIT_MS) as blocker:
            player.play_from_run(grid[0], str(tmp_path))
        assert blocker.args == [
            f"{tmp_path}: no exported generator (generator/generator.json) to play"
        ]
        # with or without a sound card here, the inverted sound is made and handed to playback
        player.play_from_run(grid[1, ..., 0], str(run.generator_dir / "generator.keras"))
        qtbot.waitUntil(lambda: player.last_audio is not None, timeout=WAIT_MS)
        samples, sr = player.last_audio
        assert sr == 16000 and samples.shape == (16384,)
    finally:
        player.shutdown()
