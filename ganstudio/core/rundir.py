"""Run folders: one layout shared by the command line and the window.

::

    00003-dcgan-digits/
      config.json            the full TrainConfig
      state.json             status, step, total_steps, updated, message (rewritten atomically)
      metrics.jsonl          one JSON object per logged step, appended and flushed as it goes
                             (append-only; a resume adds a marker, see core/metrics_log.py);
                             quality evaluations ("type": "eval") and warnings ("warning")
      metrics_ref/           the real data's reference features for the quality metrics
      samples/step_0000100.png, step_0000100.npy   fixed-noise grids (PNG + float16 array)
      checkpoints/           the last K checkpoints and the best one (core/checkpoints.py)
      generator/generator.keras, generator.json    the exported generator
      generator/best/                              the best checkpoint's generator, exported
      data_stats.npz         arrays needed to turn generator output back into data
      tb/                    TensorBoard event files
      writer.lock            held by the process writing the run (see core/run_lock.py)

Reading is safe while another process (a headless run, maybe on another machine over a
shared folder) is still writing: metrics are read up to the last complete line.
"""

from __future__ import annotations

import json
import os
import re
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core.atomic import atomic_write_bytes
from ganstudio.core.checkpoints import latest_checkpoint_step
from ganstudio.core.config import TrainConfig
from ganstudio.core.imaging import load_png
from ganstudio.core.metrics_log import (
    MetricsChunk,
    append_resume_marker,
    read_chunk,
    resolve_resumes,
)
from ganstudio.core.process import process_alive
from ganstudio.core.run_lock import LOCK_FILE, lock_holder
from ganstudio.paths import app_home

CONFIG_FILE = "config.json"
GENERATOR_DIR = "generator"
GENERATOR_MODEL = "generator.keras"
GENERATOR_INFO = "generator.json"
STEP_RE = re.compile(r"step_(\d+)\.(png|npy)$")


def default_runs_root() -> Path:
    return app_home() / "runs"


def is_run_folder(path: str | Path) -> bool:
    """True if ``path`` is a GAN Studio run folder (a folder with a ``config.json``)."""
    p = Path(path)
    return p.is_dir() and (p / CONFIG_FILE).is_file()


def locate_run(path: str | Path) -> RunDir:
    """The folder ``path`` points into: a run folder (or an exported generator's folder)
    given as itself, its ``generator/`` folder or a file inside either."""
    p = Path(path)
    if p.is_file():
        p = p.parent
    if p.name == GENERATOR_DIR and not (p / GENERATOR_DIR).is_dir():
        p = p.parent
    return RunDir(p)


def find_run(path: str | Path) -> RunDir | None:
    """Like :func:`locate_run`, but None unless that folder is a run folder."""
    run = locate_run(path)
    return run if run.exists() else None


def _slug(text: str) -> str:
    text = Path(text.split(":", 1)[-1]).name or text
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:24] or "data"


class RunDir:
    """A run folder (existing or about to be created)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    # ----------------------------------------------------------------- layout
    config_path = property(lambda self: self.path / CONFIG_FILE)
    state_path = property(lambda self: self.path / "state.json")
    metrics_path = property(lambda self: self.path / "metrics.jsonl")
    samples_dir = property(lambda self: self.path / "samples")
    checkpoints_dir = property(lambda self: self.path / "checkpoints")
    generator_dir = property(lambda self: self.path / GENERATOR_DIR)
    generator_model_path = property(lambda self: self.generator_dir / GENERATOR_MODEL)
    generator_info_path = property(lambda self: self.generator_dir / GENERATOR_INFO)
    stats_path = property(lambda self: self.path / "data_stats.npz")
    tensorboard_dir = property(lambda self: self.path / "tb")

    @classmethod
    def create(cls, root: str | Path, config: TrainConfig) -> RunDir:
        """Make a new numbered run folder under ``root`` and save the config in it."""
        root = Path(root)
        root.mkdir(parents=True, exist_ok=True)
        numbers = [int(m.group(1)) for p in root.iterdir() if (m := re.match(r"(\d+)-", p.name))]
        n = max(numbers, default=0) + 1
        while True:
            path = root / f"{n:05d}-{config.model}-{_slug(config.dataset)}"
            try:
                path.mkdir()
                break
            except FileExistsError:
                n += 1
        run = cls(path)
        run.prepare()
        run.write_config(config)
        return run

    def prepare(self) -> None:
        for d in (self.samples_dir, self.checkpoints_dir, self.generator_dir):
            d.mkdir(parents=True, exist_ok=True)

    def exists(self) -> bool:
        return is_run_folder(self.path)

    def read_generator_info(self) -> dict[str, Any]:
        """The exported generator's description (``generator/generator.json``); {} if none."""
        try:
            info = json.loads(self.generator_info_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return info if isinstance(info, dict) else {}

    # ------------------------------------------------------------ config/state
    def write_config(self, config: TrainConfig) -> None:
        atomic_write_bytes(
            self.config_path, (json.dumps(config.to_dict(), indent=2) + "\n").encode()
        )

    def read_config(self) -> TrainConfig:
        return TrainConfig.from_json(self.config_path)

    def write_state(self, status: str, step: int, total_steps: int, message: str = "") -> None:
        state = {
            "status": status,
            "step": step,
            "total_steps": total_steps,
            "updated": time.time(),
            "message": message,
            "host": socket.gethostname(),
            "pid": os.getpid(),
        }
        atomic_write_bytes(self.state_path, (json.dumps(state, indent=2) + "\n").encode())

    def read_state(self) -> dict[str, Any]:
        try:
            return json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return {"status": "unknown", "step": 0, "total_steps": 0, "updated": 0.0, "message": ""}

    # ---------------------------------------------------------------- metrics
    def read_metrics(self, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """Step records from byte ``offset`` up to the last complete line (resume markers
        applied, see :mod:`~ganstudio.core.metrics_log`), and the new offset. From offset
        0 this is the run's whole curve; to follow a growing log use :meth:`tail_metrics`."""
        chunk = self.tail_metrics(offset)
        return resolve_resumes(chunk.records), chunk.offset

    def tail_metrics(self, offset: int = 0) -> MetricsChunk:
        """Raw records (step records and resume markers) from byte ``offset``."""
        return read_chunk(self.metrics_path, offset)

    def mark_resumed(self, step: int) -> None:
        """Append a marker: the run continues from its checkpoint at ``step``."""
        append_resume_marker(self.metrics_path, step)

    # ---------------------------------------------------------------- samples
    def sample_path(self, step: int, ext: str = "png") -> Path:
        return self.samples_dir / f"step_{step:07d}.{ext}"

    def sample_steps(self) -> list[int]:
        """Steps that have a saved sample grid, ascending."""
        if not self.samples_dir.is_dir():
            return []
        steps = {
            int(m.group(1)) for p in self.samples_dir.iterdir() if (m := STEP_RE.match(p.name))
        }
        return sorted(steps)

    def load_samples(self, step: int) -> np.ndarray:
        """The sample array saved at ``step`` (float32), or the PNG grid if no array exists."""
        npy = self.sample_path(step, "npy")
        if npy.is_file():
            return np.load(npy).astype(np.float32)

        return load_png(self.sample_path(step, "png"))

    def save_stats(self, stats: dict[str, np.ndarray]) -> None:
        if stats:
            import io

            buf = io.BytesIO()
            np.savez(buf, **stats)
            atomic_write_bytes(self.stats_path, buf.getvalue())

    def load_stats(self) -> dict[str, np.ndarray]:
        if not self.stats_path.is_file():
            return {}
        with np.load(self.stats_path) as f:
            return {k: f[k] for k in f.files}


def training_records(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records of logged training steps (evaluations and warnings have a ``type``)."""
    return [r for r in records if r.get("type", "train") == "train" and "step" in r]


def _writer_gone(state: dict[str, Any]) -> bool:
    """True if the process that wrote ``state`` ran on this host and has exited."""
    if state.get("host") != socket.gethostname():
        return False  # another machine's run (e.g. over a shared folder): trust its state
    try:
        pid = int(state.get("pid") or 0)
    except (TypeError, ValueError):
        return False
    return process_alive(pid) is False


def honest_status(run: RunDir, state: dict[str, Any]) -> str:
    """The state's status, or "interrupted" when it says running or paused but nobody holds
    the run's writer lock (its process is gone: killed, crashed, its machine lost). A run
    written before the lock existed is judged by the host and pid in its state."""
    status = str(state.get("status", "unknown"))
    if status not in ("running", "paused"):
        return status
    if not (run.path / LOCK_FILE).exists():
        return "interrupted" if _writer_gone(state) else status
    return "interrupted" if lock_holder(run.path) is None else status


def checkpoint_step(run: RunDir) -> int:
    """The step of the run's newest checkpoint (0: none)."""
    return latest_checkpoint_step(run.checkpoints_dir)


@dataclass(frozen=True)
class RunInfo:
    """A one-line summary of a run folder. ``status`` is the state's status, "interrupted"
    (its writer is gone, see :func:`honest_status`) or "unreadable" (``message`` says why);
    ``checkpoint`` is the newest checkpoint's step."""

    path: Path
    model: str
    dataset: str
    status: str
    step: int
    total_steps: int
    updated: float
    message: str = ""
    checkpoint: int = 0


def list_runs(root: str | Path | None = None) -> list[RunInfo]:
    """Every run folder under ``root`` (default: the app's runs folder), newest first."""
    root = Path(root) if root is not None else default_runs_root()
    if not root.is_dir():
        return []
    runs = []
    for path in root.iterdir():
        run = RunDir(path)
        if not run.exists():
            continue
        state = run.read_state()
        try:
            config = run.read_config()
        except (OSError, ValueError, TypeError) as exc:  # ConfigError is a ValueError
            updated = float(state.get("updated") or 0.0)
            runs.append(RunInfo(path, "?", "?", "unreadable", 0, 0, updated, str(exc)))
            continue
        runs.append(
            RunInfo(
                path,
                config.model,
                config.dataset,
                honest_status(run, state),
                int(state.get("step", 0)),
                int(state.get("total_steps", 0)),
                float(state.get("updated", 0.0)),
                checkpoint=checkpoint_step(run),
            )
        )
    return sorted(runs, key=lambda r: r.path.name, reverse=True)
