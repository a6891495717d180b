"""The tf.distribute strategy of a run: which one, on which devices, and keeping workers agreed.

``auto`` trains with ``MultiWorkerMirroredStrategy`` when a cluster of several workers is
configured (see :mod:`ganstudio.core.cluster`), with ``MirroredStrategy`` when several
devices are chosen or more than one GPU is visible, and with TensorFlow's default
strategy otherwise. The batch size is the global batch: it is split evenly over all
replicas. Functions taking a strategy run on the training thread; TensorFlow is
imported lazily.
"""

from __future__ import annotations

import re
from typing import Any

from ganstudio.core.cluster import Cluster

STRATEGIES = ("auto", "default", "mirrored", "multiworker")
_DEVICE_RE = re.compile(r"^/?(?:device:)?(GPU|CPU):(\d+)$", re.IGNORECASE)


def parse_devices(spec: str) -> int | tuple[str, ...] | None:
    """``""`` → None (all visible), ``"2"`` → a count, ``"GPU:0,GPU:1"`` → device names.

    Raises ValueError with the accepted forms.
    """
    spec = (spec or "").strip()
    if not spec:
        return None
    if spec.isdigit():
        if int(spec) < 1:
            raise ValueError("devices must be at least 1")
        return int(spec)
    names = []
    for part in spec.split(","):
        m = _DEVICE_RE.match(part.strip())
        if not m:
            raise ValueError(
                f"devices must be a count (e.g. 2) or names such as GPU:0,GPU:1, not {spec!r}"
            )
        names.append(f"{m.group(1).upper()}:{int(m.group(2))}")
    if len(set(names)) != len(names):
        raise ValueError(f"devices name a device twice: {spec!r}")
    return tuple(names)


def _select(wanted: int | tuple[str, ...] | None, available: list[str]) -> list[str]:
    """Device names (``GPU:0``) from ``available`` that ``wanted`` asks for."""
    if wanted is None:
        return []
    gpus = [d for d in available if d.startswith("GPU:")]
    if isinstance(wanted, int):
        pool = gpus or [d for d in available if d.startswith("CPU:")]
        if wanted > len(pool):
            kind = "GPUs" if gpus else "CPU devices"
            raise ValueError(f"{wanted} devices asked for, but {len(pool)} {kind} are visible")
        return pool[:wanted]
    missing = [d for d in wanted if d not in available]
    if missing:
        raise ValueError(
            f"no device {', '.join(missing)} on this machine (visible: {', '.join(available)})"
        )
    return list(wanted)


def _names(devices: list[Any]) -> list[str]:
    return [f"{d.device_type}:{d.name.rsplit(':', 1)[-1]}" for d in devices]


def choose_strategy(name: str, cluster: Cluster | None, chosen: list[str], gpus: int) -> str:
    """The concrete strategy ``auto`` (or ``name``) means here."""
    if name != "auto":
        return name
    if cluster is not None and cluster.num_workers > 1:
        return "multiworker"
    if len(chosen) > 1 or (not chosen and gpus > 1):
        return "mirrored"
    return "default"


def create_strategy(name: str, devices: str, cluster: Cluster | None) -> tuple[Any, str, list]:
    """Build the strategy; return (strategy, concrete name, notes for the user).

    Call before anything else initialises TensorFlow when a multi-worker cluster is
    configured: ``MultiWorkerMirroredStrategy`` starts this worker's server.
    """
    import tensorflow as tf

    wanted = parse_devices(devices)
    several = wanted if isinstance(wanted, int) else len(wanted or ())
    if name == "default" and several > 1:
        raise ValueError(
            f"the default strategy trains on one device, not {several}: "
            "choose strategy mirrored (or auto) for several"
        )
    gpus = _names(tf.config.list_physical_devices("GPU"))
    notes: list[str] = []
    if name in ("multiworker", "auto") and cluster is not None and cluster.num_workers > 1:
        if wanted is not None:
            chosen = _select(wanted, [*gpus, "CPU:0"])
            visible = [
                g for g in tf.config.list_physical_devices("GPU") if _names([g])[0] in chosen
            ]
            tf.config.set_visible_devices(visible, "GPU")
        try:
            strategy = tf.distribute.MultiWorkerMirroredStrategy()
        except RuntimeError as exc:
            raise ValueError(
                f"cannot join the cluster ({exc}). Multi-worker training must start in a fresh "
                "process: run `ganstudio train --strategy multiworker` on every worker"
            ) from None
        notes.append(f"{cluster.describe()}; the chief writes the run folder")
        return strategy, "multiworker", notes
    if name == "multiworker":
        notes.append("no cluster of several workers (TF_CONFIG, --cluster or Slurm): one process")
        name = "auto"
    elif cluster is not None and cluster.num_workers > 1:
        notes.append(f"a cluster is configured, but strategy {name!r} trains this process alone")
    logical = _names(tf.config.list_logical_devices())
    chosen = _select(wanted, logical)
    concrete = choose_strategy(name, None, chosen, len(gpus))
    if concrete == "mirrored":
        return _mirrored(tuple(chosen)), concrete, notes
    # One device: the chosen one, else the first GPU (its input is fetched to it ahead of
    # each step), else TensorFlow's default strategy on the CPU.
    device = chosen[0] if chosen else next((d for d in logical if d.startswith("GPU:")), None)
    if device:
        return tf.distribute.OneDeviceStrategy(f"/{device}"), concrete, notes
    return tf.distribute.get_strategy(), concrete, notes


def local_devices(strategy: Any) -> list[str]:
    """The devices of this worker's replicas (``/job:.../device:GPU:0``)."""
    import tensorflow as tf

    try:
        return list(strategy.extended.worker_devices)
    except RuntimeError:  # TF's default strategy: TensorFlow's own placement
        gpus = tf.config.list_logical_devices("GPU")
        return [gpus[0].name if gpus else "/device:CPU:0"]


_MIRRORED: dict[tuple[str, ...], Any] = {}


def _mirrored(devices: tuple[str, ...]) -> Any:
    """One MirroredStrategy per device set and process: a second one over the same
    devices would reuse the first one's collective keys and mix up their all-reduces."""
    import tensorflow as tf

    if devices not in _MIRRORED:
        _MIRRORED[devices] = tf.distribute.MirroredStrategy([f"/{d}" for d in devices] or None)
    return _MIRRORED[devices]


def describe_replicas(strategy: Any, concrete: str) -> str:
    """e.g. ``mirrored: 2 replicas (GPU:0, GPU:1 on this worker)``."""
    devices = [d.rsplit("/", 1)[-1].replace("device:", "") for d in local_devices(strategy)]
    n = strategy.num_replicas_in_sync
    return f"{concrete}: {n} replica{'s' if n > 1 else ''} ({', '.join(devices)} on this worker)"


def replicas_per_worker(strategy: Any) -> int:
    return len(local_devices(strategy))


def compile_step(strategy: Any, replica_step: Any, *, xla: bool, notes: list[str]) -> Any:
    """The training step as one ``tf.function(batch, stop) -> (logs, stop)``.

    ``replica_step(batch) -> dict`` runs on every replica (XLA-compiled with ``xla``, as
    Keras compiles its per-replica step). With several replicas their logs and ``stop``
    flags (1.0 where a worker wants to stop) are averaged in one all-reduce, so every
    worker sees the same losses and stops after the same step.
    """
    import tensorflow as tf

    replicas = strategy.num_replicas_in_sync
    on_gpus = all("GPU" in d for d in local_devices(strategy))
    if xla and replicas > 1 and not on_gpus:
        notes.append("XLA cannot compile the all-reduce between CPU replicas: no XLA")
        xla = False
    elif xla:
        notes.append("XLA (jit_compile) on the training step")
    keys: list[str] = []

    def packed(batch: Any, stop: Any) -> Any:
        logs = replica_step(batch)
        keys[:] = sorted(logs)
        return tf.stack([tf.cast(logs[k], tf.float32) for k in keys] + [stop])

    per_replica = tf.function(packed, jit_compile=True) if xla else packed

    def step(batch: Any, stop: Any) -> tuple[Any, Any]:
        values = strategy.run(per_replica, args=(batch, stop))
        if replicas > 1:
            values = strategy.reduce(tf.distribute.ReduceOp.MEAN, values, axis=None)
        else:
            values = strategy.experimental_local_results(values)[0]
        return {k: values[i] for i, k in enumerate(keys)}, values[-1]

    return tf.function(step)
