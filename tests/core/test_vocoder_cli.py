"""``ganstudio resynth`` and ``ganstudio sample`` with vocoders and foreign generator files,
end to end in subprocesses on real sound files; the vocoder standing in for the inverter."""

from __future__ import annotations

import os
import stat

import numpy as np
import pytest
import soundfile as sf

from ganstudio.core.trainer import Trainer
from tests.core import foreign_models as fm
from tests.core.helpers import small_config
from tests.core.test_cli import ganstudio
from tests.core.test_vocoder_training import tiny_melgan

# the SpecGAN dataset's analysis (16 kHz, n_fft 1024, hop 128, 128 bands up to 8 kHz)
SPECGAN_MEL = {"n_fft": 1024, "hop_length": 128, "n_mels": 128, "fmax": 8000.0}


@pytest.fixture(scope="module")
def vocoder_run(shared_dir, tmp_path_factory):
    """A tiny melgan run with the SpecGAN analysis, trained 2 steps on real speech."""
    config = tiny_melgan(
        f"audio:{shared_dir / 'data' / 'voice'}",
        dataset_limit=4,
        steps=2,
        options={**SPECGAN_MEL, "adv_start": 100, "segment_frames": 16},
    )
    final = Trainer(config, runs_root=tmp_path_factory.mktemp("runs")).run()
    assert type(final).__name__ == "Finished", getattr(final, "message", "")
    return final.run_dir


def test_resynth_real_files_at_the_models_rate(vocoder_run, shared_dir, drums_dir, tmp_path):
    from ganstudio.core.audio.io import load_audio

    voice = shared_dir / "data" / "voice" / "voice.mp3"
    drum = sorted((drums_dir / "HardElectro1").glob("*.flac"))[0]  # stereo, 44.1 kHz
    assert sf.info(drum).channels == 2 and sf.info(drum).samplerate == 44100
    out = tmp_path / "out"
    result = ganstudio("resynth", vocoder_run, str(voice), str(drum), "--out", str(out))
    assert result.returncode == 0, result.stderr
    written = sorted(out.iterdir())
    assert [p.name for p in written] == sorted(
        [f"{voice.stem}-resynth.wav", f"{drum.stem}-resynth.wav"]
    )
    for src in (voice, drum):
        info = sf.info(out / f"{src.stem}-resynth.wav")
        expected = len(load_audio(src, mono=True, sample_rate=16000)[0])
        assert (info.samplerate, info.channels, info.frames) == (16000, 1, expected)
    assert "real time" in result.stderr

    one = tmp_path / "one.wav"
    again = ganstudio("resynth", vocoder_run, str(voice), "--out", str(one), "--quiet")
    assert again.returncode == 0 and again.stdout.strip() == str(one)


@pytest.mark.parametrize("umask", [0o022, 0o027], ids=["umask022", "umask027"])
def test_resynth_writes_the_sound_with_the_mode_the_umask_gives(
    vocoder_run, shared_dir, tmp_path, umask
):
    out = tmp_path / "generated.wav"
    voice = shared_dir / "data" / "voice" / "voice.mp3"
    old = os.umask(umask)  # the command inherits it, as from the user's shell
    try:
        result = ganstudio("resynth", vocoder_run, str(voice), "--out", str(out), "--quiet")
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    assert oct(stat.S_IMODE(out.stat().st_mode)) == oct(0o666 & ~umask)  # not mkstemp's 0600


def test_resynth_refuses_a_generator_of_images(tmp_path, shared_dir):
    path = tmp_path / "images.keras"
    fm.latent_to_image().save(path)
    voice = shared_dir / "data" / "voice" / "kal_001.flac"
    result = ganstudio("resynth", str(path), str(voice), "--out", str(tmp_path / "x.wav"))
    assert result.returncode == 2
    assert (
        "does not turn a sound into a sound" in result.stderr
        or "resynthesis needs" in result.stderr
    )


def test_sample_a_foreign_h5_file_with_answers(tmp_path):
    path = tmp_path / "spec.h5"
    fm.latent_to_spectrogram().save(path)
    asked = ganstudio("sample", str(path), "-n", "2", "--out", str(tmp_path / "a"))
    assert asked.returncode == 2 and "--answer output_kind=" in asked.stderr
    answers = ["output_kind=spectrogram", "output_range=0,1", "sample_rate=16000"]
    answers += ["n_fft=1024", "hop_length=256", "top_db=80"]
    flags = [x for a in answers for x in ("--answer", a)]
    done = ganstudio(
        "sample", str(path), "-n", "2", "--seed", "1", "--out", str(tmp_path / "b"), *flags
    )
    assert done.returncode == 0, done.stderr
    wavs = sorted((tmp_path / "b").glob("sound_*.wav"))
    assert len(wavs) == 2 and sf.info(wavs[0]).samplerate == 16000
    remembered = ganstudio("sample", str(path), "-n", "1", "--out", str(tmp_path / "c.png"))
    assert remembered.returncode == 0, remembered.stderr  # answers kept beside the file


def test_vocoder_stands_in_for_the_inverter_when_mel_settings_match(
    vocoder_run, drums_dir, tmp_path
):
    from ganstudio.core.generator import LoadedGenerator
    from ganstudio.core.latent.sampling import write_samples
    from ganstudio.core.latent.space import LatentError
    from ganstudio.core.sound.run_sound import SoundParams
    from ganstudio.core.sound.stand_in import VocoderSound, mismatch
    from ganstudio.core.vocoder.vocoder import MelVocoder

    config = small_config(
        "specgan",
        dataset=f"audio:{drums_dir}",
        dataset_limit=4,
        steps=1,
        batch_size=2,
        n_critic=1,
        latent_dim=8,
        sample_every=1,
        checkpoint_every=1,
        num_samples=2,
        tensorboard=False,
    )
    final = Trainer(config, runs_root=tmp_path / "runs").run()
    assert type(final).__name__ == "Finished", getattr(final, "message", "")
    gen = LoadedGenerator.load(final.run_dir)
    vocoder = MelVocoder.load(vocoder_run)
    sound = SoundParams.of_run(final.run_dir)
    assert mismatch(sound.meta, vocoder.mel) is None
    spec = gen.generate(np.random.default_rng(0).standard_normal((2, 8)))
    audio = VocoderSound.checked(sound, vocoder).to_audio(spec)
    assert audio.shape == (2, 16384) and np.isfinite(audio).all() and np.abs(audio).max() > 0

    from ganstudio.core.sound import sound_model

    slot = sound_model.ModelSlot()  # the sound pads' worker-side state
    sound_model.load_run(slot, final.run_dir)
    assert "vocoder" in sound_model.use_vocoder(slot, vocoder_run)
    assert isinstance(slot.sound_maker(), VocoderSound)
    pads, sr = sound_model.render(slot, np.zeros((1, 8), np.float32))
    assert pads.shape == (1, 16384) and sr == 16000
    assert "phase reconstruction" in sound_model.use_vocoder(slot, "")
    assert slot.sound_maker() is slot.sound

    wavs = write_samples(gen, 2, tmp_path / "voc", seed=3, vocoder=vocoder)
    assert [sf.info(p).frames for p in wavs] == [16384, 16384]
    cli = ganstudio(
        "sample", final.run_dir, "-n", "1", "--vocoder", vocoder_run, "--out", str(tmp_path / "c")
    )
    assert cli.returncode == 0, cli.stderr

    other = tmp_path / "other"
    other_run = Trainer(
        tiny_melgan(f"audio:{drums_dir / 'HardElectro1'}", dataset_limit=3, steps=1),
        runs_root=other,
    ).run()
    with pytest.raises(LatentError, match="hop 128 vs 256"):
        write_samples(gen, 1, tmp_path / "no", vocoder=MelVocoder.load(other_run.run_dir))
    with pytest.raises(sound_model.AudioModelError, match="keep phase reconstruction"):
        sound_model.use_vocoder(slot, other_run.run_dir)
    assert slot.vocoder_path == ""

    # a grid tile or the explorer: the vocoder where it fits, phase reconstruction if not
    from ganstudio.core.sound.stand_in import VocoderCache, run_spectrogram_sound

    cache = VocoderCache()
    by_vocoder, sr = run_spectrogram_sound(spec[0], final.run_dir, vocoder_run, cache)
    np.testing.assert_allclose(by_vocoder, audio[0], atol=1e-5)
    by_phase, _ = run_spectrogram_sound(spec[0], final.run_dir, other_run.run_dir, cache)
    np.testing.assert_allclose(by_phase, sound.one(spec[0]), atol=1e-5)
    assert sr == 16000


def test_resynth_with_the_seeds_h5_generator(shared_dir, tmp_path):
    """The seed's pipeline: voice.mp3 through a (mels, frames, 1) -> waveform .h5 file."""
    seed = tmp_path / "wgan_generator.h5"
    fm.seed_vocoder().save(seed)
    voice = shared_dir / "data" / "voice" / "voice.mp3"
    answers = ["sample_rate=22050", "n_fft=2048", "hop_length=512", "input_scale=db_minmax"]
    flags = [x for a in answers for x in ("--answer", a)]
    out = tmp_path / "generated.wav"
    result = ganstudio("resynth", str(seed), str(voice), "--out", str(out), *flags)
    assert result.returncode == 0, result.stderr
    info = sf.info(out)
    assert info.samplerate == 22050 and abs(info.frames - round(5.5303 * 22050)) < 3
    assert (tmp_path / "wgan_generator.h5.ganstudio.json").is_file()


def test_option_flags_reach_the_config():
    from ganstudio.cli import build_parser, config_from_args

    args = build_parser().parse_args(
        ["train", "--model", "melgan", "--option", "channels=32", "--option", "fmax=null"]
    )
    config = config_from_args(args)
    assert config.options["channels"] == 32 and config.options["fmax"] is None
    assert config.options["depth"] == 3  # the model's defaults stay for the others
