"""The checkpoint format's one home: names, keys and the best checkpoint, as old runs wrote them."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ganstudio.core import checkpoints as ck


def test_the_on_disk_names_stay_those_old_run_folders_hold(tmp_path):
    # The only test that spells the format: it is frozen, old run folders must still open.
    assert ck.checkpoint_name(500) == "ckpt_0000500.npz"
    assert ck.checkpoint_path(tmp_path, 3) == tmp_path / "ckpt_0000003.npz"
    assert ck.best_weights_path(tmp_path).name == "best.npz"
    assert ck.best_info_path(tmp_path).name == "best.json"
    assert ck.variable_key(ck.G_EMA, 12) == "g_ema/0012"
    assert ck.extra_key(ck.FIXED_NOISE) == "extra/fixed_noise"


def test_names_and_steps_map_both_ways_and_sort_by_step(tmp_path):
    for step in (0, 7, 1_234_567, 12_345_678):  # past seven digits too
        assert ck.checkpoint_step(ck.checkpoint_path(tmp_path, step)) == step
        ck.checkpoint_path(tmp_path, step).write_bytes(b"x")
    for other in ("best.npz", "ckpt_12.npy", "ckpt_x.npz", ".ckpt_0000001.npz.1-ab.tmp"):
        assert ck.checkpoint_step(other) is None
        (tmp_path / other).write_bytes(b"x")
    assert ck.checkpoint_steps(tmp_path) == [0, 7, 1_234_567, 12_345_678]
    assert ck.latest_checkpoint_step(tmp_path) == 12_345_678
    ck.prune_checkpoints(tmp_path, keep=2)
    assert ck.checkpoint_steps(tmp_path) == [1_234_567, 12_345_678]
    assert (tmp_path / "best.npz").is_file()  # pruning never touches the best checkpoint
    assert ck.latest_checkpoint_step(tmp_path / "missing") == 0


def test_the_best_checkpoint_round_trips_and_needs_both_files(tmp_path):
    assert ck.read_best(tmp_path) is None
    weights = [np.arange(3.0), np.ones((2, 2))]
    ck.save_best(tmp_path, 40, weights, ck.best_info("fd", 1.5, False, "random-cnn"))
    best = ck.read_best(tmp_path)
    assert best == {
        "metric": "fd",
        "value": 1.5,
        "higher_is_better": False,
        "extractor": "random-cnn",
        "step": 40,
    }
    step, got = ck.generator_weights(ck.best_weights_path(tmp_path))
    assert step == 40 and all(np.array_equal(a, b) for a, b in zip(got, weights, strict=True))
    ck.best_weights_path(tmp_path).unlink()
    assert ck.read_best(tmp_path) is None


def test_the_sampling_weights_are_the_average_where_a_checkpoint_keeps_one(tmp_path):
    def var(value):
        return SimpleNamespace(numpy=lambda: np.asarray(value, np.float32))

    net = SimpleNamespace(weights=[var(1.0)])
    opt = SimpleNamespace(variables=[var(0.0)])
    gan = SimpleNamespace(generator=net, discriminator=net, g_optimizer=opt, d_optimizer=opt)
    plain = ck.save_checkpoint(gan, tmp_path, 1)
    gan.ema_generator = SimpleNamespace(weights=[var(2.0)])
    averaged = ck.save_checkpoint(gan, tmp_path, 2, extra={ck.SEED: np.asarray(3)})
    assert ck.generator_weights(plain)[1] == [1.0]
    assert ck.generator_weights(averaged) == (2, [2.0])
    assert int(ck.read_checkpoint(averaged)[ck.extra_key(ck.SEED)]) == 3
