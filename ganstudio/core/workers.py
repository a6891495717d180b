"""Keeping the workers of a multi-worker run agreed: one checkpoint, one configuration.

Only the chief reads and writes the run folder; these collectives hand its checkpoint to
every worker, check before the first step that all workers hold the same configuration,
data size, step and weights, and turn a lost worker into a message for a person. Every
worker must call each function at the same point (they are collective operations).
Training thread only; TensorFlow is imported lazily.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import numpy as np

from ganstudio.core.cluster import Cluster
from ganstudio.core.distribute import replicas_per_worker


def _sum_over_replicas(strategy: Any, value_of: Any) -> np.ndarray:
    """SUM over all replicas of every worker of ``value_of(replica_id)`` (a float64 array)."""
    import tensorflow as tf

    per_replica = strategy.experimental_distribute_values_from_function(
        lambda ctx: tf.constant(value_of(int(ctx.replica_id_in_sync_group)))
    )
    return np.asarray(strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None))


def gather_from_workers(strategy: Any, cluster: Cluster, vector: np.ndarray) -> np.ndarray:
    """Every worker's ``vector`` (same length on all), as rows in rank order."""
    local = replicas_per_worker(strategy)
    vector = np.asarray(vector, np.float64).ravel()

    def value_of(replica: int) -> np.ndarray:
        rows = np.zeros((cluster.num_workers, vector.size))
        if replica % local == 0:  # the first replica of each worker speaks for it
            rows[replica // local] = vector
        return rows

    return _sum_over_replicas(strategy, value_of)


def broadcast_from_chief(
    strategy: Any, arrays: dict[str, np.ndarray] | None, template: dict[str, np.ndarray]
) -> dict[str, np.ndarray] | None:
    """The chief's ``arrays`` on every worker (None if the chief has none).

    ``template`` gives the keys, shapes and dtypes every worker expects; the chief's
    arrays must match it. Values travel as float64, exact for float32 and int32/int64
    below 2**53; the other workers add zeros, so the sum is the chief's value exactly.
    """
    keys = sorted(template)
    has = 1.0 if arrays is not None else 0.0
    if arrays is not None:
        for key in keys:
            if key in arrays and np.shape(arrays[key]) != np.shape(template[key]):
                raise ValueError(f"checkpoint array {key} has shape {np.shape(arrays[key])}")
        flat = np.concatenate(
            [[has]] + [np.ravel(arrays.get(k, template[k])).astype(np.float64) for k in keys]
        )
    else:
        flat = np.zeros(1 + sum(np.size(template[k]) for k in keys))
    zeros = np.zeros_like(flat)
    total = _sum_over_replicas(strategy, lambda replica: flat if replica == 0 else zeros)
    if total[0] == 0:
        return None
    out, offset = {}, 1
    for key in keys:
        size = np.size(template[key])
        out[key] = total[offset : offset + size].reshape(np.shape(template[key]))
        out[key] = out[key].astype(np.asarray(template[key]).dtype)
        offset += size
    return out


def barrier(strategy: Any, cluster: Cluster) -> None:
    """Return when every worker got here (e.g. none leaves while the chief still writes)."""
    gather_from_workers(strategy, cluster, np.zeros(1))


def fingerprint(config: dict[str, Any], examples: int, step: int, arrays: dict) -> dict:
    """What every worker must share: the configuration (the dataset may sit at another
    path on each machine), the number of examples, the step and a checksum of the weights."""
    digest = hashlib.sha256(
        json.dumps({k: v for k, v in config.items() if k != "dataset"}, sort_keys=True).encode()
    ).digest()
    checksum = sum(
        (i + 1) * float(np.sum(np.asarray(v, np.float64))) for i, v in enumerate(arrays.values())
    )
    return {
        "configuration": float(int.from_bytes(digest[:6], "big")),
        "number of examples": float(examples),
        "step to start from": float(step),
        "weights": checksum,
    }


def check_workers_agree(strategy: Any, cluster: Cluster, values: dict[str, float]) -> None:
    """Raise ValueError naming the first of ``values`` on which a worker differs from the chief."""
    names = sorted(values)
    rows = gather_from_workers(strategy, cluster, np.array([values[n] for n in names]))
    for j, name in enumerate(names):
        differing = [rank for rank in range(len(rows)) if rows[rank, j] != rows[0, j]]
        if differing:
            raise ValueError(
                f"worker {differing[0]} disagrees with the chief about the {name}: start every "
                "worker with the same command, configuration and data"
            )


_TASK_RE = re.compile(r"/job:(\w+)/replica:\d+/task:(\d+)")


def explain_failure(exc: BaseException) -> str | None:
    """A message for a lost worker (collectives aborted), or None for other errors."""
    import tensorflow as tf

    lost = (tf.errors.UnavailableError, tf.errors.AbortedError, tf.errors.DeadlineExceededError)
    text = str(exc)
    if not isinstance(exc, lost) and "Collective ops is aborted" not in text:
        return None
    task = _TASK_RE.search(text.split("Collective ops is aborted", 1)[-1])
    who = f"{task.group(1)} {task.group(2)}" if task else "another worker"
    detail = next(
        (line.strip() for line in text.splitlines() if "aborted by" in line or "unhealthy" in line),
        text.strip().splitlines()[0] if text.strip() else type(exc).__name__,
    )
    return (
        f"lost contact with {who} of the cluster, so training stopped ({detail[:200]}). The "
        "chief's last checkpoint is kept: start the workers again with `ganstudio resume RUN` "
        "(a single process can continue the run as well)"
    )
