"""``melgan`` through the real engine: model table, Trainer, run folder, resume, export."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ganstudio.core import checkpoints as ck
from ganstudio.core.rundir import RunDir
from ganstudio.core.trainer import Trainer
from tests.core.helpers import Recorder, small_config

TINY = dict(
    channels=16,
    depth=1,
    d_width=4,
    d_scales=2,
    d_layers=2,
    segment_frames=8,
    adv_start=2,
    view_clips=2,
    view_seconds=0.5,
)


def tiny_melgan(dataset: str, **values):
    options = {**TINY, **values.pop("options", {})}
    settings = dict(steps=4, batch_size=2, sample_every=2, checkpoint_every=2, log_every=1)
    config = small_config("melgan", dataset=dataset, **{**settings, **values})
    config.options = {**config.options, **options}
    return config


@pytest.mark.parametrize(
    ("folder", "limit", "rate"),
    [("voice", 6, 16000), ("drums/HardElectro1", 6, 22050)],  # drums: stereo 44.1 kHz files
)
def test_melgan_trains_through_the_engine(shared_dir, tmp_path, folder, limit, rate):
    config = tiny_melgan(
        f"audio:{shared_dir / 'data' / folder}",
        dataset_limit=limit,
        options={"sample_rate": rate, "holdout": 2},
    )
    rec = Recorder()
    final = Trainer(config, runs_root=tmp_path, emit=rec).run()
    assert type(final).__name__ == "Finished", getattr(final, "message", "")
    metrics = rec.of("StepMetrics")
    assert [m.step for m in metrics] == [1, 2, 3, 4]
    for m in metrics:
        values = [m.d_loss, m.g_loss, *m.extra.values()]
        assert all(np.isfinite(v) for v in values)
    assert metrics[0].d_loss == 0.0 and metrics[-1].d_loss != 0.0  # adversarial from step 3
    assert {"stft_sc", "stft_mag", "fm", "adv"} <= set(metrics[-1].extra)

    grids = rec.of("SampleGrid")
    assert [g.step for g in grids] == [2, 4] and grids[-1].kind == "vocoder"
    g = grids[-1]
    n_mels = 80
    frames = round(0.5 * rate / 256)
    assert g.images.shape == (2, n_mels, 2 * frames + 2, 1)
    assert g.extra["original"].shape == g.extra["resynth"].shape == (2, frames * 256)
    assert g.extra["sample_rate"] == rate

    run = RunDir(final.run_dir)
    assert run.read_state()["status"] == "completed"
    assert [p.name for p in sorted(run.checkpoints_dir.iterdir())] == [
        ck.checkpoint_name(2),
        ck.checkpoint_name(4),
    ]
    assert run.sample_steps() == [2, 4]
    assert (run.samples_dir / "step_0000004.sound.npz").is_file()
    info = run.read_generator_info()
    assert info["kind"] == "vocoder" and info["model"] == "melgan"
    meta = info["data_meta"]
    assert (meta["sample_rate"], meta["hop_length"], meta["n_mels"]) == (rate, 256, 80)
    assert len(meta["train_files"]) + len(meta["held_out_files"]) == limit
    assert set(meta["train_files"]).isdisjoint(meta["held_out_files"])
    saved = json.loads(run.config_path.read_text())
    assert saved["options"]["channels"] == 16 and saved["loss"] == "least-squares"
    assert len(run.read_metrics()[0]) == 4


def test_melgan_resumes_from_its_checkpoint(shared_dir, tmp_path):
    config = tiny_melgan(f"audio:{shared_dir / 'data' / 'voice'}", dataset_limit=4)
    first = Trainer(config, runs_root=tmp_path).run()
    run = RunDir(first.run_dir)
    _, (weights, *_) = ck.generator_weights(ck.checkpoint_path(run.checkpoints_dir, 4))
    config.steps = 6
    rec = Recorder()
    final = Trainer(config, run_dir=run.path, resume=True, emit=rec).run()
    assert type(final).__name__ == "Finished", getattr(final, "message", "")
    assert rec.of("Started")[0].step == 4
    assert [m.step for m in rec.of("StepMetrics")] == [5, 6]
    assert rec.of("StepMetrics")[0].d_loss != 0.0  # past adv_start: adversarial at once
    _, (resumed, *_) = ck.generator_weights(ck.checkpoint_path(run.checkpoints_dir, 6))
    assert not np.array_equal(weights, resumed)


def test_melgan_refuses_image_data_and_bad_options(mnist_npz, shared_dir, tmp_path):
    from ganstudio.core.config import ConfigError

    final = Trainer(tiny_melgan(f"npz:{mnist_npz}"), runs_root=tmp_path).run()
    assert type(final).__name__ == "Failed" and "use a dataset 'audio:FOLDER'" in final.message
    bad = tiny_melgan(f"audio:{shared_dir / 'data' / 'voice'}", options={"widht": 3})
    final = Trainer(bad, runs_root=tmp_path).run()
    assert type(final).__name__ == "Failed" and "unknown melgan option(s) widht" in final.message
    with pytest.raises(ConfigError, match="gradient penalty"):
        tiny_melgan(f"audio:{shared_dir / 'data' / 'voice'}", loss="wasserstein", gp_weight=10.0)
