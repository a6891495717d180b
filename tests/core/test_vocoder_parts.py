"""The vocoder's parts: mel frames, networks, segments of real clips, windows and seams,
and one training step of each phase."""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.core.audio.vocoder_mel import (
    MEL_FLOOR,
    VocoderMel,
    defaults_for_rate,
    log_mel_frames,
)
from ganstudio.core.control import Cancelled
from ganstudio.core.vocoder.chunks import WindowPlan, join, render_windows


def test_mel_parameters_for_usual_rates_and_the_seed():
    assert defaults_for_rate(16000) == VocoderMel(16000, 1024, 256, 80, 0.0, 8000.0)
    assert defaults_for_rate(22050).fmax == 8000.0
    seed = VocoderMel(22050, 2048, 512, 128, 0.0, None)  # librosa's defaults, as the seed
    assert seed.fmax_hz == 11025.0 and VocoderMel.from_meta(seed.to_meta()) == seed.__class__(
        22050, 2048, 512, 128, 0.0, 11025.0
    )
    with pytest.raises(ValueError, match="hop_length"):
        VocoderMel(16000, 512, 1024)
    with pytest.raises(ValueError, match="power of two"):
        VocoderMel(16000, 1000, 250)


def test_log_mel_frames_count_and_timing():
    mel = defaults_for_rate(16000)
    x = np.zeros(16000, np.float32)
    x[8000:8256] = np.sin(np.arange(256) * 0.3)  # a burst in hop block 31.25
    frames = log_mel_frames(x, mel)
    assert frames.shape == (63, 80)  # ceil(16000 / 256)
    loud = np.argmax(frames.max(axis=1))
    assert loud in (31, 32)
    assert frames.min() == pytest.approx(np.log(MEL_FLOOR))
    batch = log_mel_frames(np.stack([x, x]), mel)
    np.testing.assert_allclose(batch[1], frames, atol=1e-5)


def test_upsampling_factors_and_generator_shapes():
    from ganstudio.core.vocoder.networks import (
        melgan_discriminator,
        melgan_generator,
        upsample_factors,
    )

    assert upsample_factors(256) == [8, 8, 4]
    assert upsample_factors(512) == [8, 8, 8]
    assert np.prod(upsample_factors(300)) == 300
    with pytest.raises(ValueError, match="cannot be split"):
        upsample_factors(7 * 11)
    for hop, n_mels in ((256, 80), (512, 128)):  # our default and the seed's analysis
        g = melgan_generator(n_mels, hop, channels=16, depth=1)
        for frames in (3, 10):
            out = g(np.zeros((2, frames, n_mels), np.float32))
            assert tuple(out.shape) == (2, frames * hop, 1)
    d = melgan_discriminator(scales=2, width=4, layers_n=2)
    outputs = d(np.zeros((1, 4096, 1), np.float32))
    assert len(outputs) == 2 * (2 + 3)


def test_segments_of_real_speech(shared_dir):
    from ganstudio.core.vocoder.segments import load_segment_set

    mel = defaults_for_rate(16000)
    data = load_segment_set(shared_dir / "data" / "voice", mel, segment_frames=16, limit=10)
    assert len(data.train) == 9 and len(data.held_out) == 1
    assert not set(data.train.names) & set(data.held_out.names)
    meta = data.meta()
    assert meta["hop_length"] == 256 and meta["held_out_files"] == data.held_out.names
    rng = np.random.default_rng(1)
    mels, waves = data.batch(rng, 4)
    assert mels.shape == (4, 16, 80) and waves.shape == (4, 16 * 256, 1)
    # the mel of a training segment is that of its clip's frames, shifted by the gain
    data.gain_db = 0.0
    mels, waves = data.batch(np.random.default_rng(2), 1)
    inner = log_mel_frames(waves[0, :, 0], mel)[4:-4]
    np.testing.assert_allclose(mels[0, 4:-4], inner, atol=1e-3)


def test_segments_of_drums_any_rate_channels_and_length(drums_dir):
    from ganstudio.core.vocoder.segments import load_segment_set

    mel = defaults_for_rate(22050)
    data = load_segment_set(drums_dir / "HardElectro1", mel, segment_frames=24, holdout=2)
    assert len(data.held_out) == 2 and len(data.train) >= 5
    assert all(len(c) >= 24 * 256 and len(c) % 256 == 0 for c in data.train.clips)
    pairs = zip(data.train.mels, data.train.clips, strict=True)
    assert all(len(m) == len(c) // 256 for m, c in pairs)
    mels, waves = data.batch(np.random.default_rng(0), 3)
    assert np.isfinite(mels).all() and np.abs(waves).max() <= 0.95 + 1e-6


def test_window_weights_sum_to_one_and_cover_everything():
    plan = WindowPlan(n_frames=50, core=12, context=3, hop=4)
    total = np.zeros(50 * 4)
    for k in range(plan.count):
        w = plan.weights(k, plan.window * 4)
        offset = (k * plan.core - plan.context) * 4
        for i, value in enumerate(w):
            if 0 <= offset + i < len(total):
                total[offset + i] += value
    np.testing.assert_allclose(total, 1.0, atol=1e-12)
    ramp = np.linspace(-1, 1, 50 * 4, dtype=np.float32)
    outputs = []  # each window renders the ramp exactly; outside the signal, garbage
    for k in range(plan.count):
        offset = (k * plan.core - plan.context) * 4
        idx = np.arange(offset, offset + plan.window * 4)
        outputs.append(np.where((idx >= 0) & (idx < len(ramp)), ramp[np.clip(idx, 0, 199)], 9.0))
    np.testing.assert_allclose(join(plan, outputs, len(ramp)), ramp, atol=1e-6)


def test_cancel_between_batches():
    plan = WindowPlan(n_frames=100, core=10, context=2, hop=1)
    calls = []

    def render(batch):
        calls.append(len(batch))
        return np.zeros((len(batch), plan.window), np.float32)

    with pytest.raises(Cancelled):
        render_windows(
            plan,
            np.zeros((100, 3), np.float32),
            render,
            fill=0.0,
            batch=2,
            n_samples=100,
            cancelled=lambda: len(calls) >= 2,
        )
    assert calls == [2, 2]


def test_chunked_resynthesis_matches_one_pass_without_seams(shared_dir):
    """A long input through windows equals one pass over it (no clicks at the seams)."""
    from ganstudio.core.audio.io import load_audio
    from ganstudio.core.vocoder.networks import melgan_generator
    from ganstudio.core.vocoder.vocoder import MelVocoder

    mel = defaults_for_rate(16000)
    import keras

    keras.utils.set_random_seed(3)
    voc = MelVocoder(melgan_generator(80, 256, channels=32, depth=2), mel, core_frames=40)
    x, _ = load_audio(shared_dir / "data" / "voice" / "voice.mp3", sample_rate=16000)
    frames = log_mel_frames(x, mel)
    whole = voc.render_whole(frames)
    done = []
    chunked = voc.render(frames, progress=done.append)
    assert done[-1] == (-(-len(frames) // 40),) * 2 and len(done) > 1
    assert chunked.shape == whole.shape == (len(frames) * 256,)
    scale = np.abs(whole).max()
    assert scale > 0 and np.abs(chunked - whole).max() < 1e-4 * scale
    # around every seam the sample-to-sample steps stay as small as elsewhere
    steps = np.abs(np.diff(chunked))
    for k in range(1, -(-len(frames) // 40)):
        seam = k * 40 * 256
        assert steps[seam - 512 : seam + 512].max() <= steps.max()
    y = voc.resynthesize(x, 16000)
    assert y.shape == x.shape and np.isfinite(y).all()


@pytest.mark.parametrize("loss", ["least-squares", "hinge"])
def test_training_steps_are_finite_in_both_phases(loss):
    import keras
    import tensorflow as tf

    from ganstudio.core.vocoder.gan import VocoderGAN
    from ganstudio.core.vocoder.networks import melgan_discriminator, melgan_generator

    g = melgan_generator(16, 64, channels=16, depth=1)
    d = melgan_discriminator(scales=2, width=4, layers_n=2)
    gan = VocoderGAN(g, d, scales=2, loss=loss, adv_start=1)
    gan.compile(keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4))
    step = tf.function(gan.train_step)
    rng = np.random.default_rng(0)
    batch = (
        rng.standard_normal((2, 40, 16)).astype(np.float32),
        (rng.standard_normal((2, 40 * 64, 1)) * 0.3).astype(np.float32),
    )
    d_before = [w.copy() for w in d.get_weights()]
    first = {k: float(v) for k, v in step(batch).items()}
    assert first["d_loss"] == 0.0 and first["adv"] == 0.0  # spectral losses only
    assert all(np.array_equal(a, b) for a, b in zip(d_before, d.get_weights(), strict=True))
    second = {k: float(v) for k, v in step(batch).items()}
    assert all(np.isfinite(v) for v in second.values())
    assert second["d_loss"] != 0.0 and second["fm"] > 0.0
    assert not all(np.array_equal(a, b) for a, b in zip(d_before, d.get_weights(), strict=True))
