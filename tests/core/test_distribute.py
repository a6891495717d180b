"""Strategy choice, cluster descriptions, sharded per-replica input and the worker collectives
that run in one process (the multi-process runs are in ``test_multiworker.py``)."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
import tensorflow as tf

from ganstudio.cli import main
from ganstudio.core.cluster import Cluster, ClusterError, find_cluster, read_tf_config
from ganstudio.core.config import ConfigError, TrainConfig
from ganstudio.core.data.dataset import Dataset
from ganstudio.core.data.pipeline import make_tf_dataset, split_for_replicas
from ganstudio.core.distribute import choose_strategy, create_strategy, parse_devices
from ganstudio.core.models.replicas import BatchDropout
from ganstudio.core.workers import (
    broadcast_from_chief,
    check_workers_agree,
    explain_failure,
    gather_from_workers,
)


@pytest.fixture
def no_cluster(monkeypatch):
    """No TF_CONFIG and no Slurm step; restores whatever the test writes."""
    for name in ("TF_CONFIG", "SLURM_PROCID", "SLURM_STEP_NUM_TASKS", "CUDA_VISIBLE_DEVICES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TF_CONFIG", "")
    return monkeypatch


def test_devices_are_a_count_or_names():
    assert parse_devices("") is None
    assert parse_devices("2") == 2
    assert parse_devices("gpu:0, /device:GPU:1") == ("GPU:0", "GPU:1")
    for bad in ("GPU zero", "0", "GPU:0,GPU:0", "TPU:0"):
        with pytest.raises(ValueError, match="devices"):
            parse_devices(bad)
    assert TrainConfig().strategy == "auto" and TrainConfig.from_dict({}).devices == ""
    with pytest.raises(ConfigError, match="strategy must be auto, default, mirrored"):
        TrainConfig(strategy="horovod").validate()
    with pytest.raises(ConfigError, match="devices must be"):
        TrainConfig(devices="all of them").validate()


def test_auto_picks_multiworker_in_a_cluster_then_mirrored_for_several_devices():
    pair = Cluster({"worker": ["a:1", "b:1"]}, "worker", 0)
    assert choose_strategy("auto", pair, [], 0) == "multiworker"
    assert choose_strategy("auto", None, [], 2) == "mirrored"  # two GPUs visible
    assert choose_strategy("auto", None, ["GPU:1"], 2) == "default"  # one chosen
    assert choose_strategy("auto", None, [], 1) == "default"
    assert choose_strategy("mirrored", pair, [], 0) == "mirrored"


def test_the_default_strategy_refuses_several_devices_with_a_hint(no_cluster):
    with pytest.raises(ValueError, match="choose strategy mirrored"):
        create_strategy("default", "CPU:0,CPU:1", None)  # checked before any device lookup
    with pytest.raises(ValueError, match="no device GPU:3 on this machine"):
        create_strategy("auto", "GPU:3", None)


def test_cluster_flags_write_tf_config_and_the_first_worker_is_chief(no_cluster):
    assert main(["train", "--task-index", "1", "--steps", "1"]) == 2
    assert main(["train", "--cluster", "localhost:1,localhost", "--task-index", "0"]) == 2
    assert read_tf_config() is None

    from ganstudio.core.cluster import write_tf_config

    written = write_tf_config("node1:2222, node2:2222", 1)
    data = json.loads(os.environ["TF_CONFIG"])
    assert data == {
        "cluster": {"worker": ["node1:2222", "node2:2222"]},
        "task": {"type": "worker", "index": 1},
    }
    assert read_tf_config() == written and not written.is_chief and written.rank == 1
    with pytest.raises(ClusterError, match="--task-index must be between 0 and 1"):
        write_tf_config("node1:2222,node2:2222", 2)


def test_a_chief_task_comes_first_and_bad_tf_config_is_explained(no_cluster):
    no_cluster.setenv(
        "TF_CONFIG",
        json.dumps(
            {
                "cluster": {"chief": ["c:1"], "worker": ["w:1", "w:2"]},
                "task": {"type": "worker", "index": 0},
            }
        ),
    )
    cluster = read_tf_config()
    assert cluster.num_workers == 3 and cluster.rank == 1 and not cluster.is_chief
    no_cluster.setenv(
        "TF_CONFIG", '{"cluster": {"worker": ["w:1"]}, "task": {"type": "worker", "index": 3}}'
    )
    with pytest.raises(ClusterError, match="not one of its cluster's tasks"):
        read_tf_config()
    no_cluster.setenv("TF_CONFIG", "{not json")
    with pytest.raises(ClusterError, match="TF_CONFIG is not valid JSON"):
        read_tf_config()


def test_a_slurm_job_step_names_the_cluster_through_tensorflows_resolver(no_cluster):
    no_cluster.setenv("SLURM_PROCID", "1")
    no_cluster.setenv("SLURM_STEP_NUM_TASKS", "2")
    no_cluster.setenv("SLURM_STEP_NODELIST", "gpu[07-08]")
    no_cluster.setenv("SLURM_STEP_TASKS_PER_NODE", "1(x2)")
    cluster = find_cluster()
    assert cluster == Cluster({"worker": ["gpu07:8888", "gpu08:8888"]}, "worker", 1)
    assert read_tf_config() == cluster  # written for MultiWorkerMirroredStrategy
    assert "CUDA_VISIBLE_DEVICES" not in os.environ  # GPUs left as Slurm set them
    no_cluster.setenv("SLURM_STEP_NUM_TASKS", "1")
    no_cluster.setenv("TF_CONFIG", "")
    assert find_cluster() is None  # one task: no cluster


def _examples(n: int) -> Dataset:
    x = np.arange(n, dtype=np.float32).reshape(n, 1)
    return Dataset(name="count", kind="points", x=x, y=np.arange(n) % 2)


def _epoch(context, n: int, batch: int, n_critic: int = 1) -> list[np.ndarray]:
    ds = make_tf_dataset(
        _examples(n), batch, seed=3, output_range=None, n_critic=n_critic, input_context=context
    )
    per_element = (
        batch
        // context.num_input_pipelines
        // (context.num_replicas_in_sync // context.num_input_pipelines)
    )
    count = (n // context.num_input_pipelines) // per_element
    return [e.numpy().ravel() for e in ds.take(count)]


def test_each_worker_reads_its_own_shard_of_the_examples():
    seen = []
    for worker in range(2):
        context = tf.distribute.InputContext(2, worker, 4)  # 2 workers × 2 replicas each
        batches = _epoch(context, 64, 16)
        assert all(len(b) == 4 for b in batches)  # global 16 = 4 replicas × 4
        seen.append(np.concatenate(batches))
    assert not set(seen[0]) & set(seen[1])  # different workers, different examples
    assert sorted(np.concatenate(seen)) == list(range(64))  # and together all of them
    assert set(seen[0]) == set(range(0, 64, 2))  # worker 0: examples 0, 2, 4, ...


def test_replicas_share_every_critic_slice_as_one_device_would():
    step = tf.range(8)  # two critic slices [0..3] and [4..7] of a global batch of 4
    parts = split_for_replicas((step,), replicas=2, n_critic=2).numpy()
    assert parts.tolist() == [[0, 1, 4, 5], [2, 3, 6, 7]]
    images = tf.reshape(tf.range(8 * 2 * 2), (8, 2, 2, 1))
    x, _ = split_for_replicas((images, step), replicas=2, n_critic=2)
    assert x.shape == (2, 4, 2, 2, 1) and np.array_equal(x[1, 2], images[6])
    with pytest.raises(ValueError, match=r"batch size 4 \(the global batch\) cannot be split"):
        make_tf_dataset(
            _examples(64),
            8,
            n_critic=2,
            output_range=None,
            input_context=tf.distribute.InputContext(1, 0, 3),
        )


def test_collectives_on_one_worker_pass_the_chiefs_values_through():
    strategy = tf.distribute.get_strategy()
    lone = Cluster({"worker": ["localhost:1"]}, "worker", 0)
    template = {"w": np.zeros((2, 3), np.float32), "step": np.asarray(0, np.int64)}
    chief = {"w": np.arange(6, dtype=np.float32).reshape(2, 3) / 7, "step": np.asarray(2**40)}
    got = broadcast_from_chief(strategy, chief, template)
    assert got["w"].dtype == np.float32 and np.array_equal(got["w"], chief["w"])
    assert int(got["step"]) == 2**40  # exact through float64
    assert broadcast_from_chief(strategy, None, template) is None
    assert gather_from_workers(strategy, lone, np.array([1.5, 2.5])).tolist() == [[1.5, 2.5]]
    check_workers_agree(strategy, lone, {"weights": 3.0})


def test_a_lost_worker_is_explained_and_other_errors_are_not():
    lost = tf.errors.UnavailableError(
        None,
        None,
        "Collective ops is aborted by: The following tasks are unhealthy (stopped sending "
        "heartbeats):\n/job:worker/replica:0/task:1\nThe tasks have crashed.",
    )
    message = explain_failure(lost)
    assert "lost contact with worker 1" in message and "ganstudio resume RUN" in message
    assert explain_failure(ValueError("bad batch size")) is None


def test_batch_dropout_drops_and_rescales_in_training_only():
    layer = BatchDropout(0.25, seed=1)
    x = tf.ones((400, 50))
    out = layer(x, training=True).numpy()
    assert set(np.unique(out)) <= {0.0, np.float32(1 / 0.75)}
    assert 0.2 < (out == 0).mean() < 0.3
    assert np.array_equal(layer(x, training=False), x)
    assert BatchDropout.from_config(layer.get_config()).rate == 0.25
