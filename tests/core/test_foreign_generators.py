"""Generator files from outside GAN Studio: safe loading, shape inference, questions kept
beside the file, sampling and resynthesis."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.core import foreign_models as fm


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Every test model saved as .keras and as .h5 (built once per module)."""
    folder = tmp_path_factory.mktemp("foreign")
    return {
        "image": fm.save_both(fm.latent_to_image(), folder, "image"),
        "label": fm.save_both(fm.latent_label_to_image(), folder, "label"),
        "onehot": fm.save_both(fm.latent_label_to_image(onehot=True), folder, "onehot"),
        "spec": fm.save_both(fm.latent_to_spectrogram(), folder, "spec"),
        "seed": fm.save_both(fm.seed_vocoder(), folder, "seed"),
        "wave": fm.save_both(fm.latent_to_waveform(), folder, "wave"),
        "free": fm.save_both(fm.free_length_vocoder(), folder, "free"),
        "lambda": fm.save_both(fm.with_lambda(), folder, "lambda"),
    }


FORMATS = pytest.mark.parametrize("fmt", [0, 1], ids=["keras", "h5"])


@FORMATS
def test_latent_image_generator_is_inferred_and_samples(files, fmt):
    from ganstudio.core.foreign.opening import open_model

    opened = open_model(files["image"][fmt])
    gen = opened.model
    assert opened.role == "generator" and opened.foreign
    assert (gen.kind, gen.latent_dim, gen.output_shape, gen.output_range) == (
        "images",
        8,
        (28, 28, 1),
        (-1.0, 1.0),  # from the tanh of the last layer
    )
    out = gen.generate(np.random.default_rng(0).standard_normal((5, 8)))
    assert out.shape == (5, 28, 28, 1) and out.min() >= 0.0 and out.max() <= 1.0


@FORMATS
@pytest.mark.parametrize("kind", ["label", "onehot"])
def test_latent_label_generators_take_class_labels(files, fmt, kind):
    from ganstudio.core.foreign.opening import open_model

    gen = open_model(files[kind][fmt]).model
    assert gen.signature.input_kind == "latent+label"
    assert gen.signature.latent_index == 1  # the label comes first in these models
    assert gen.num_classes == 3 and gen.output_range == (0.0, 1.0)
    z = np.zeros((3, 8), np.float32)
    out = gen.generate(z, np.array([0, 1, 2]))
    assert out.shape == (3, 16, 16, 3)
    assert not np.allclose(out[0], out[1])  # the label changes the image


@FORMATS
def test_ambiguous_output_is_asked_once_and_remembered(files, fmt, tmp_path):
    from ganstudio.core.foreign.answers import sidecar_path
    from ganstudio.core.foreign.opening import NeedsAnswers, open_model

    path = tmp_path / files["spec"][fmt].name
    path.write_bytes(files["spec"][fmt].read_bytes())
    with pytest.raises(NeedsAnswers) as first:
        open_model(path)
    assert [q.key for q in first.value.questions] == ["output_kind", "output_range"]
    with pytest.raises(NeedsAnswers) as second:  # a spectrogram opens the sound questions
        open_model(path, {"output_kind": "spectrogram", "output_range": "0,1"})
    sound_keys = {"sample_rate", "n_fft", "hop_length", "top_db"}
    assert {q.key for q in second.value.questions} == sound_keys
    answers = {"output_kind": "spectrogram", "output_range": "0,1", "sample_rate": "16000"}
    answers |= {"n_fft": "1024", "hop_length": "256", "top_db": "80"}
    opened = open_model(path, answers)
    saved = json.loads(sidecar_path(path).read_text())["answers"]
    assert saved["output_kind"] == "spectrogram" and saved["sample_rate"] == "16000"

    again = open_model(path).model  # nothing asked the second time
    # (frames 32, mels 64) in the file: 64 is a usual mel count, so the layout is inferred
    assert again.kind == "audio" and again.output_shape == (64, 32, 1)
    spec = again.generate(np.zeros((2, 8), np.float32))
    assert spec.shape == (2, 64, 32, 1)
    from ganstudio.core.sound.run_sound import SoundParams

    sound = SoundParams(again.stats, again.info["data_meta"]).to_audio(spec)
    assert sound.shape == (2, 31 * 256) and np.isfinite(sound).all()
    assert opened.notes and "saved" in opened.notes[0]


@FORMATS
def test_latent_waveform_generator_writes_wavs(files, fmt, tmp_path):
    import soundfile as sf

    from ganstudio.core.foreign.opening import NeedsAnswers, open_model
    from ganstudio.core.latent.sampling import write_samples

    with pytest.raises(NeedsAnswers) as asked:
        open_model(files["wave"][fmt], remember=False)
    assert [q.key for q in asked.value.questions] == ["sample_rate"]
    gen = open_model(files["wave"][fmt], {"sample_rate": "16000"}, remember=False).model
    assert gen.kind == "waveform" and gen.output_shape == (4096,)
    wavs = write_samples(gen, 3, tmp_path / "waves", seed=2)
    assert len(wavs) == 3
    info = sf.info(wavs[0])
    assert (info.samplerate, info.frames) == (16000, 4096)


def test_fast_explorer_calls_match_the_foreign_generator(files):
    from ganstudio.core.foreign.opening import open_model
    from ganstudio.core.latent.render import FastGenerator

    gen = open_model(files["onehot"][1]).model  # label first, one-hot, in the file
    z = np.random.default_rng(1).standard_normal((3, 8)).astype(np.float32)
    labels = np.array([2, 0, 1])
    np.testing.assert_allclose(
        FastGenerator(gen).generate(z, labels), gen.generate(z, labels), atol=1e-5
    )


def test_bad_answer_is_refused_with_the_choices(files):
    from ganstudio.core.foreign.opening import open_model

    with pytest.raises(ValueError, match="output_range must be one of -1,1, 0,1"):
        open_model(files["spec"][0], {"output_kind": "image", "output_range": "0..255"})
    with pytest.raises(ValueError, match="not asked hop_length"):
        open_model(files["image"][0], {"hop_length": "256"})


@FORMATS
def test_lambda_models_are_refused_with_the_reason(files, fmt):
    from ganstudio.core.foreign.opening import open_model
    from ganstudio.core.foreign.safety import UnsafeModelError

    with pytest.raises(UnsafeModelError) as err:
        open_model(files["lambda"][fmt])
    text = str(err.value)
    assert "Lambda (double)" in text and "never runs code from a model file" in text


def test_custom_objects_are_refused(tmp_path):
    import keras

    from ganstudio.core.foreign.safety import UnsafeModelError, load_model_safely

    @keras.saving.register_keras_serializable(package="Theirs")
    class Doubler(keras.layers.Layer):
        def call(self, x):
            return x * 2.0

    z = keras.Input((4,))
    model = keras.Model(z, Doubler()(keras.layers.Dense(4)(z)))
    for name in ("custom.keras", "custom.h5"):
        model.save(tmp_path / name)
        with pytest.raises(UnsafeModelError, match="custom objects that are not part of Keras"):
            load_model_safely(tmp_path / name)


def test_not_a_model_file_gets_a_message(tmp_path):
    from ganstudio.core.foreign.opening import open_model

    bad = tmp_path / "broken.h5"
    bad.write_bytes(b"not hdf5 at all")
    with pytest.raises(ValueError, match=r"broken\.h5: not a readable Keras model file"):
        open_model(bad)


@FORMATS
def test_seed_vocoder_orientation_and_long_input(files, fmt, shared_dir):
    """The seed's (mels, frames, 1) -> waveform model, on a file longer than its window:
    the layout is inferred (128 is a mel count, 216 is not); the output follows the
    input's loudness frame by frame, at the model's rate, with the input's length."""
    from ganstudio.core.audio.io import load_audio
    from ganstudio.core.audio.vocoder_mel import mel_power_centred
    from ganstudio.core.foreign.opening import NeedsAnswers, open_model

    path = files["seed"][fmt]
    with pytest.raises(NeedsAnswers) as asked:
        open_model(path, remember=False)
    keys = [q.key for q in asked.value.questions]
    assert keys == ["sample_rate", "n_fft", "hop_length", "input_scale"]  # no layout question
    answers = {"sample_rate": "22050", "n_fft": "2048", "hop_length": "512"}
    voc = open_model(path, answers | {"input_scale": "power_minmax"}, remember=False).model
    assert voc.layout == "mels_frames" and voc.fixed_frames == fm.SEED_FRAMES

    x, sr = load_audio(shared_dir / "data" / "voice" / "voice.mp3")
    x = np.concatenate([x, x])  # 11 s: three windows of 216 frames
    y = voc.resynthesize(x, sr)
    assert len(y) == round(len(x) * 22050 / sr) and np.isfinite(y).all()
    x22 = load_audio(shared_dir / "data" / "voice" / "voice.mp3", sample_rate=22050)[0]
    x22 = np.concatenate([x22, x22])
    power = mel_power_centred(x22, voc.mel)
    expected = (power / power.max()).mean(axis=0)  # per frame, as the model computes
    got = y[: (len(expected) - 1) * 512 : 512]
    assert np.corrcoef(expected[: len(got)], got)[0, 1] > 0.99


def test_free_length_foreign_vocoder(files, shared_dir):
    from ganstudio.core.audio.io import load_audio
    from ganstudio.core.foreign.opening import open_model

    answers = {"sample_rate": "16000", "n_fft": "1024", "hop_length": "256"}
    voc = open_model(files["free"][1], answers | {"input_scale": "db"}, remember=False).model
    assert voc.layout == "frames_mels" and voc.fixed_frames is None and voc.n_mels == 80
    x, sr = load_audio(shared_dir / "data" / "voice" / "kal_003.flac")
    y = voc.resynthesize(x, sr)
    assert y.shape == x.shape and np.isfinite(y).all()
