"""Everything TensorFlow holds for one run: data, networks, optimizers, the step function.

The :class:`~ganstudio.core.trainer.Trainer` drives a session; the session does the work
of each step, sample grid, checkpoint and export. TensorFlow is imported here, lazily.
The strategy, devices and cluster come from :mod:`ganstudio.core.distribute`.
"""

from __future__ import annotations

import gc
import io
import json
import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from ganstudio.core import checkpoints as ck
from ganstudio.core import distribute, workers
from ganstudio.core import events as ev
from ganstudio.core.atomic import atomic_write_bytes
from ganstudio.core.checkpoints import (
    checkpoint_arrays,
    latest_checkpoint,
    read_checkpoint,
    restore_arrays,
    save_checkpoint,
)
from ganstudio.core.cluster import Cluster
from ganstudio.core.config import TrainConfig
from ganstudio.core.control import raise_if_cancelled
from ganstudio.core.data import load_dataset
from ganstudio.core.data.pipeline import make_tf_dataset
from ganstudio.core.device import configure_precision, describe_device
from ganstudio.core.generator import export_generator
from ganstudio.core.imaging import save_png, tile_grid
from ganstudio.core.kinds import get_kind, sample_scale
from ganstudio.core.losses import get_loss
from ganstudio.core.models import build_networks, get_model, model_spec, output_range
from ganstudio.core.ranges import from_output_range
from ganstudio.core.rundir import RunDir
from ganstudio.core.tensorboard import ScalarWriter

D_GRID = 64  # resolution of the discriminator heat map for 2-D point models


class TrainingSession:
    """The live TensorFlow side of one run (used from one thread only)."""

    def __init__(self, config: TrainConfig, run: RunDir, cluster: Cluster | None = None) -> None:
        self.config = config
        self.run = run
        self.cluster = cluster
        self.multiworker = False  # several workers train together (set up in setup())
        self.stop_requested = False  # this worker wants to stop: every worker stops
        self.stopping = False  # some worker asked to stop at the last step
        self.notes: list[str] = []
        self.device = "CPU"
        self.total_steps = config.steps
        self._metrics_file: Any = None
        self._tb_writer: Any = None
        self._waited = 0.0  # seconds spent waiting for input since the last log
        self._waits = 0

    # ------------------------------------------------------------------ setup
    def setup(self, resume: bool, cancel: Callable[[], bool] | None = None) -> int:
        """Load data, build the GAN, restore a checkpoint if resuming; return the start step.

        ``cancel`` is asked while the data loads and once more before the networks are
        built; when it answers True, :class:`~ganstudio.core.control.Cancelled` is raised
        and nothing has been written.
        """
        import keras
        import tensorflow as tf

        c = self.config
        # First: a multi-worker strategy must start before TensorFlow initialises.
        self.strategy, concrete, notes = distribute.create_strategy(
            c.strategy, c.devices, self.cluster
        )
        self.multiworker = concrete == "multiworker" and self.strategy.num_replicas_in_sync > 1
        self.device = describe_device()
        if self.strategy.num_replicas_in_sync > 1 or concrete != "default":
            self.device += f"; {distribute.describe_replicas(self.strategy, concrete)}"
        self.notes += notes + configure_precision(c.mixed_precision)
        keras.utils.set_random_seed(c.seed)
        data = self._load_data(cancel)
        raise_if_cancelled(cancel)
        self.data = data
        if data.skipped:
            self.notes.append(f"{len(data.skipped)} unreadable files skipped")
        self.run.save_stats(data.stats)
        self.kind = get_kind(data.kind)
        if c.augment != "none" and not self.kind.augment:
            raise ValueError(f"--augment {c.augment} works on images, not on {self.kind.noun}")
        self.spec = model_spec(c, data.example_shape, data.kind, data.num_classes)
        self.range = output_range(c, data.kind)
        per_step = c.batch_size * c.n_critic
        if len(data) < per_step:
            critic = f" × {c.n_critic} critic steps = {per_step}" if c.n_critic > 1 else ""
            raise ValueError(
                f"the dataset holds {len(data)} examples, but one training step uses "
                f"batch size {c.batch_size}{critic}; choose a smaller batch size or add data"
            )
        if c.epochs is not None:
            self.total_steps = max(1, math.ceil(c.epochs * len(data) / per_step))
        self.steps_per_epoch = len(data) / per_step

        # deferred: Keras
        from ganstudio.core.gan import make_standard_gan

        make_gan = get_model(c.model).make_gan or make_standard_gan
        with self.strategy.scope():
            generator, discriminator = build_networks(c, self.spec)
            gp = c.gp_weight if c.uses_gradient_penalty else 0.0
            self.gan = make_gan(generator, discriminator, config=c, spec=self.spec, gp_weight=gp)
            self.gan.compile(
                d_optimizer=self._optimizer(c.lr_d), g_optimizer=self._optimizer(c.lr_g)
            )
        self._step_fn = distribute.compile_step(
            self.strategy, self.gan.train_step, xla=c.xla, notes=self.notes
        )

        rng = np.random.default_rng(c.seed)
        n = max(c.num_samples, self.kind.min_samples)
        self.fixed_noise = rng.standard_normal((n, c.latent_dim)).astype(np.float32)
        self.fixed_labels = (
            (np.arange(n) % data.num_classes).astype(np.int32) if self.spec.conditional else None
        )
        if self.kind.plane:
            self.real_points = data.x[
                rng.choice(len(data), size=min(512, len(data)), replace=False)
            ]
        start = self._restore() if resume else 0
        if self.multiworker:  # every worker starts from the same point, or none does
            values = workers.fingerprint(
                c.to_dict(), len(data), start, checkpoint_arrays(self.gan, start)
            )
            workers.check_workers_agree(self.strategy, self.cluster, values)  # type: ignore[arg-type]
        if resume:
            # Records past ``start`` will be logged again: readers drop the old ones when
            # they meet this marker (the log is never rewritten under a watching reader).
            self.run.mark_resumed(start)
        tf.random.set_seed(c.seed + start)  # a resumed run continues on its own stream
        self._batches = iter(self._input_pipeline(per_step, c.seed + start))
        self._open_logs()
        return start

    def _load_data(self, cancel: Callable[[], bool] | None = None) -> Any:
        """The run's dataset (a model's own session may load its data differently);
        ``cancel`` is asked while it loads."""
        c = self.config
        return load_dataset(
            c.dataset,
            image_size=c.image_size,
            channels=c.channels,
            limit=c.dataset_limit,
            seed=c.seed,
            cancel=cancel,
        )

    def _input_pipeline(self, per_step: int, seed: int) -> Any:
        """The endless batches ``train_step`` consumes: each worker's shard of the data,
        cut into per-replica batches."""

        def dataset(context: Any) -> Any:
            return make_tf_dataset(
                self.data,
                per_step,
                seed=seed,
                output_range=self.range,
                with_labels=self.spec.conditional,
                n_critic=self.config.n_critic,
                input_context=context,
            )

        # Every strategy but TensorFlow's default (CPU only here) fetches to its devices.
        return self.strategy.distribute_datasets_from_function(dataset)

    def _optimizer(self, lr: float) -> Any:
        import keras

        opt = keras.optimizers.Adam(lr, beta_1=self.config.beta1, beta_2=self.config.beta2)
        if (
            self.config.mixed_precision
            and keras.mixed_precision.global_policy().name == "mixed_float16"
        ):
            opt = keras.optimizers.LossScaleOptimizer(opt)
        return opt

    def _restore(self) -> int:
        """Load the latest checkpoint; with several workers, the chief's (other workers'
        run folders are private and empty), sent to all so every worker starts the same."""
        path = latest_checkpoint(self.run.checkpoints_dir)
        data = read_checkpoint(path) if path is not None else None
        if self.multiworker:
            template = checkpoint_arrays(self.gan, 0, self._checkpoint_extra())
            data = workers.broadcast_from_chief(self.strategy, data, template)
        if data is None:
            self.notes.append("no checkpoint found: starting from step 0")
            return 0
        step, extra = restore_arrays(self.gan, data, path.name if path else "of the chief")
        if ck.FIXED_NOISE in extra:
            self.fixed_noise = extra[ck.FIXED_NOISE].astype(np.float32)
        if ck.FIXED_LABELS in extra:
            self.fixed_labels = extra[ck.FIXED_LABELS].astype(np.int32)
        if ck.REAL_POINTS in extra:
            self.real_points = extra[ck.REAL_POINTS]
        return step

    def _open_logs(self) -> None:
        self._metrics_file = open(self.run.metrics_path, "a", encoding="utf-8")  # noqa: SIM115
        if self.config.tensorboard:
            self._tb_writer = ScalarWriter(self.run.tensorboard_dir)

    # ------------------------------------------------------------------- step
    def train_step(self) -> dict[str, Any]:
        """One generator update (after ``n_critic`` discriminator updates).

        Sets :attr:`stopping` when any worker had :attr:`stop_requested` set.
        """
        import tensorflow as tf

        start = time.perf_counter()
        batch = next(self._batches)
        self._waited += time.perf_counter() - start
        self._waits += 1
        logs, stop = self._step_fn(batch, tf.constant(float(self.stop_requested)))
        self.stopping = self.stop_requested or (self.multiworker and float(stop) > 0)
        return logs

    def take_data_wait_ms(self) -> float:
        """Mean time a step waited for its batch since the last call, in milliseconds."""
        mean = 1000.0 * self._waited / self._waits if self._waits else 0.0
        self._waited, self._waits = 0.0, 0
        return mean

    # ----------------------------------------------------------------- output
    def log_metrics(self, step: int, values: dict[str, float], rate: float) -> ev.StepMetrics:
        wait = self.take_data_wait_ms()
        extra = {
            k: v for k, v in values.items() if k not in ("d_loss", "g_loss", "d_real", "d_fake")
        }
        event = ev.StepMetrics(
            step,
            step / self.steps_per_epoch,
            values["d_loss"],
            values["g_loss"],
            values["d_real"],
            values["d_fake"],
            rate,
            extra,
            wait,
        )
        record = {
            "step": step,
            "epoch": round(event.epoch, 4),
            **values,
            "steps_per_sec": round(rate, 3),
            "data_wait_ms": round(wait, 3),
            "time": round(time.time(), 3),
        }
        self._metrics_file.write(json.dumps(record) + "\n")
        self._metrics_file.flush()
        if self._tb_writer is not None:
            self._tb_writer.write(step, {**values, "steps_per_sec": rate, "data_wait_ms": wait})
        return event

    def write_record(self, record: dict[str, Any]) -> None:
        """Append one record (e.g. ``"type": "eval"``) to ``metrics.jsonl``."""
        self._metrics_file.write(json.dumps(record) + "\n")
        self._metrics_file.flush()

    def write_scalars(self, step: int, values: dict[str, float]) -> None:
        """TensorBoard scalars (if TensorBoard files are written)."""
        if self._tb_writer is not None and values:
            self._tb_writer.write(step, values)

    def generate(self, z: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
        """Generator output for ``z``: images in [0, 1], points in data units."""
        return from_output_range(self.gan.generate(z, labels, training=False), self.range)

    def sample_grid(self, step: int) -> ev.SampleGrid:
        """Generate from the fixed noise, save PNG + array, and describe it as an event."""
        images = self.generate(self.fixed_noise, self.fixed_labels)
        buf = io.BytesIO()
        np.save(buf, images.astype(np.float16))
        atomic_write_bytes(self.run.sample_path(step, "npy"), buf.getvalue())
        extra: dict[str, Any] = {}
        path = None
        if self.kind.plane:
            extra = self._points_extra(images)
        elif self.kind.tiled:
            cols = self.data.num_classes if self.spec.conditional else None
            tiles = self.kind.tiles(images)
            path = save_png(
                tile_grid(tiles, cols=cols),
                self.run.sample_path(step, "png"),
                scale=sample_scale(tiles),
            )
        return ev.SampleGrid(
            step,
            images,
            self.kind.name,
            str(path) if path else None,
            self.fixed_labels,
            extra,
            generator=self.generator_weights(step),
        )

    def generator_weights(self, step: int) -> ev.GeneratorWeights:
        """The generator's weights (copies) and description at ``step``, as plain data."""
        weights = tuple(np.asarray(w) for w in self.gan.sampler.get_weights())
        return ev.GeneratorWeights(weights, self.generator_info(step))

    def _points_extra(self, points: np.ndarray) -> dict[str, Any]:
        """D's output over the whole area the toy view plots: real and generated points
        (generated ones clipped to 3× the data's reach), padded, on a 0.5 grid so the
        extent changes rarely."""
        real = self.real_points
        reach = 3.0 * max(float(np.abs(real).max()), 1.0)
        shown = np.clip(points[np.isfinite(points).all(axis=1)], -reach, reach)
        both = np.concatenate([real, shown])
        lo, hi = both.min(axis=0), both.max(axis=0)
        pad = 0.1 * float((hi - lo).max())
        lo, hi = np.floor((lo - pad) * 2.0) / 2.0, np.ceil((hi + pad) * 2.0) / 2.0
        xs = np.linspace(lo[0], hi[0], D_GRID, dtype=np.float32)
        ys = np.linspace(lo[1], hi[1], D_GRID, dtype=np.float32)
        grid = np.stack(np.meshgrid(xs, ys), -1).reshape(-1, 2)
        scores = np.asarray(self.gan.discriminate(grid, training=False), np.float32).reshape(
            D_GRID, D_GRID
        )
        if get_loss(self.config.loss).logits:
            scores = 1.0 / (1.0 + np.exp(-scores))
        return {
            "d_grid": scores,
            "d_grid_extent": (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])),
            "real_points": self.real_points,
        }

    def _checkpoint_extra(self) -> dict[str, np.ndarray]:
        extra = {ck.FIXED_NOISE: self.fixed_noise, ck.SEED: np.asarray(self.config.seed)}
        if self.fixed_labels is not None:
            extra[ck.FIXED_LABELS] = self.fixed_labels
        if self.kind.plane:
            extra[ck.REAL_POINTS] = self.real_points
        return extra

    def save_checkpoint(self, step: int):
        return save_checkpoint(
            self.gan,
            self.run.checkpoints_dir,
            step,
            keep=self.config.keep_checkpoints,
            extra=self._checkpoint_extra(),
        )

    def generator_info(self, step: int) -> dict[str, Any]:
        return {
            "latent_dim": self.config.latent_dim,
            "num_classes": self.spec.num_classes,
            "class_names": self.data.class_names if self.spec.conditional else [],
            "output_shape": list(self.data.example_shape),
            "kind": self.data.kind,
            "output_range": list(self.range) if self.range else None,
            "model": self.config.model,
            "step": step,
            "dataset": self.config.dataset,
            "data_meta": self.data.meta,
        }

    @property
    def sampler(self) -> Any:
        """The generator that makes samples (the weight average, if the GAN keeps one)."""
        return getattr(self.gan, "sampler", self.gan.generator)

    def export(self) -> None:
        export_generator(
            self.sampler,
            self.run.generator_dir,
            self.generator_info(int(self.gan.g_optimizer.iterations.numpy())),
        )

    def wait_for_workers(self) -> None:
        """Return when every worker got here: none leaves while the chief still writes."""
        if self.multiworker:
            workers.barrier(self.strategy, self.cluster)  # type: ignore[arg-type]

    def close(self) -> None:
        """Close the logs and let go of everything TensorFlow holds for this run.

        Call it on the thread that ran the session, when the run ends (the Trainer does,
        always), so the input pipeline's iterator and the networks go now rather than in
        the interpreter's shutdown (where a tf.data iterator's destructor once blocked the
        exit for minutes; see :mod:`~ganstudio.core.data.pipeline`). Safe to call twice.
        """
        held = any(getattr(self, n, None) is not None for n in ("gan", "_batches", "data"))
        try:
            if self._metrics_file is not None:
                self._metrics_file.close()
            if self._tb_writer is not None:
                self._tb_writer.close()
        finally:
            self._metrics_file = self._tb_writer = None
            self._batches = self._step_fn = None  # the input pipeline's iterator first
            self.gan = self.strategy = self.data = None
            if held:  # the step function and the GAN hold cycles back to the session
                gc.collect()
