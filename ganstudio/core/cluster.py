"""Which cluster this process belongs to: ``TF_CONFIG``, ``--cluster``, or a Slurm job step.

TensorFlow's ``MultiWorkerMirroredStrategy`` reads its cluster from the ``TF_CONFIG``
environment variable. ``ganstudio train --cluster host:port,... --task-index I`` writes it,
and inside a Slurm job step (``srun``) TensorFlow's ``SlurmClusterResolver`` finds the
cluster, which is then written to ``TF_CONFIG`` too, so every path ends the same way.
Everything here must run before TensorFlow initialises its runtime (the CLI calls it
first; the trainer calls it before the session builds the strategy). Plain Python: only
the Slurm path imports TensorFlow, and that import does not initialise the runtime.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

SLURM_PORT = 8888  # first port of the Slurm workers (the next ones on the same node add 1)


class ClusterError(ValueError):
    """The cluster description is invalid; the message says what to fix."""


@dataclass(frozen=True)
class Cluster:
    """This process's place in a cluster: the job table and its own task."""

    jobs: dict[str, list[str]]  # job name ("chief", "worker", ...) -> host:port addresses
    task_type: str
    task_index: int

    @property
    def workers(self) -> list[str]:
        """The training tasks in rank order: the chief (if any), then the workers."""
        return self.jobs.get("chief", []) + self.jobs.get("worker", [])

    @property
    def num_workers(self) -> int:
        return len(self.workers)

    @property
    def rank(self) -> int:
        """This task's position in :attr:`workers` (0 is the chief)."""
        offset = len(self.jobs.get("chief", [])) if self.task_type == "worker" else 0
        return offset + self.task_index

    @property
    def is_chief(self) -> bool:
        """The chief writes the run folder: task "chief", or worker 0 when there is none."""
        return self.rank == 0 and self.task_type in ("chief", "worker")

    def describe(self) -> str:
        role = "chief" if self.is_chief else "worker"
        return f"{role} (task {self.task_type}:{self.task_index}, {self.num_workers} workers)"


def parse_addresses(text: str) -> list[str]:
    """``host:port,host:port`` → addresses, each checked."""
    addresses = [a.strip() for a in text.split(",") if a.strip()]
    if not addresses:
        raise ClusterError("--cluster needs at least one host:port address")
    for address in addresses:
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ClusterError(f"cluster address {address!r} is not host:port (e.g. node1:2222)")
    if len(set(addresses)) != len(addresses):
        raise ClusterError("cluster addresses must differ from each other")
    return addresses


def write_tf_config(addresses: str, task_index: int) -> Cluster:
    """Set ``TF_CONFIG`` for worker ``task_index`` of the workers at ``addresses``."""
    workers = parse_addresses(addresses)
    if not 0 <= task_index < len(workers):
        raise ClusterError(
            f"--task-index must be between 0 and {len(workers) - 1} for {len(workers)} workers, "
            f"not {task_index}"
        )
    cluster = Cluster({"worker": workers}, "worker", task_index)
    _export(cluster)
    return cluster


def _export(cluster: Cluster) -> None:
    os.environ["TF_CONFIG"] = json.dumps(
        {"cluster": cluster.jobs, "task": {"type": cluster.task_type, "index": cluster.task_index}}
    )


def read_tf_config() -> Cluster | None:
    """The cluster named by ``TF_CONFIG``; None if it is unset or names no cluster."""
    text = os.environ.get("TF_CONFIG", "").strip()
    if not text:
        return None
    try:
        data = json.loads(text)
        jobs = {str(k): [str(a) for a in v] for k, v in data.get("cluster", {}).items()}
        task = data.get("task", {})
    except (ValueError, AttributeError, TypeError) as exc:
        raise ClusterError(
            f"TF_CONFIG is not valid JSON with a cluster and a task: {exc}"
        ) from None
    if not jobs:
        return None
    task_type, index = task.get("type"), task.get("index")
    if task_type not in jobs or not isinstance(index, int) or not 0 <= index < len(jobs[task_type]):
        raise ClusterError(
            f"TF_CONFIG's task {task!r} is not one of its cluster's tasks "
            f"({', '.join(f'{k}: {len(v)}' for k, v in jobs.items())})"
        )
    return Cluster(jobs, task_type, index)


def slurm_cluster(port_base: int = SLURM_PORT) -> Cluster | None:
    """The cluster of the current Slurm job step (``srun`` with several tasks), else None.

    Uses TensorFlow's ``SlurmClusterResolver`` for the hosts, ports and this task's rank,
    then writes ``TF_CONFIG``. GPUs are left as Slurm assigned them (``--gpus-per-task``
    or all GPUs of a node for one task per node): the resolver does not rewrite
    ``CUDA_VISIBLE_DEVICES``.
    """
    tasks = os.environ.get("SLURM_STEP_NUM_TASKS", "")
    if not tasks.isdigit() or int(tasks) < 2 or "SLURM_PROCID" not in os.environ:
        return None
    import tensorflow as tf

    try:
        # The GPU counts only feed the resolver's own GPU split, which is switched off;
        # passing them keeps it from calling nvidia-smi on CPU-only nodes.
        resolver = tf.distribute.cluster_resolver.SlurmClusterResolver(
            port_base=port_base,
            gpus_per_node=int(tasks),
            gpus_per_task=1,
            auto_set_gpu=False,
        )
        spec = resolver.cluster_spec().as_dict()
    except (RuntimeError, ValueError) as exc:
        raise ClusterError(f"cannot read the Slurm job step's cluster: {exc}") from None
    cluster = Cluster({k: list(v) for k, v in spec.items()}, resolver.task_type, resolver.task_id)
    _export(cluster)
    return cluster


def find_cluster() -> Cluster | None:
    """The cluster from ``TF_CONFIG``, else from a Slurm job step; None on a lone machine."""
    return read_tf_config() or slurm_cluster()
