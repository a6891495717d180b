"""``ganstudio eval``: every quality metric of a run's generator, appended to its log.

Blocking (loads the data and TensorFlow): call from a worker thread in the window.
"""

from __future__ import annotations

import json
import time
from typing import Any

import numpy as np

from ganstudio.core.data import load_dataset
from ganstudio.core.generator import load_run_generator
from ganstudio.core.latent.sampling import generate, sample_labels
from ganstudio.core.metrics.evaluate import Evaluator, choose_extractor
from ganstudio.core.rundir import RunDir, find_run


def run_extractor(run: RunDir) -> str | None:
    """The extractor the run's evaluations used (the newest ``eval`` record's), if any."""
    records, _ = run.read_metrics()
    names = [r["extractor"] for r in records if r.get("type") == "eval" and "extractor" in r]
    return names[-1] if names else None


def evaluate_run(
    path: str, checkpoint: str = "best", n: int | None = None, extractor: str | None = None
) -> dict[str, Any]:
    """Measure ``checkpoint`` (best | latest | export | a step) of the run at ``path`` on
    ``n`` samples (default: the run's ``eval_samples``) and append the record to its
    ``metrics.jsonl``. ``extractor`` defaults to the one the run used during training."""
    run = find_run(path)
    if run is None:
        raise FileNotFoundError(f"{path} is not a run folder (no config.json)")
    config = run.read_config()
    n = int(n or config.eval_samples)
    if n < 50:
        raise ValueError(f"evaluate at least 50 samples, not {n}")
    data = load_dataset(
        config.dataset,
        image_size=config.image_size,
        channels=config.channels,
        limit=config.dataset_limit,
        seed=config.seed,
    )
    if extractor and extractor != "auto":
        name = choose_extractor(data, extractor)[0]
    else:
        name = run_extractor(run) or choose_extractor(data, config.eval_extractor)[0]
    gen = load_run_generator(run.path, checkpoint)
    rng = np.random.default_rng(config.seed + 7919)  # the latents training evaluations use
    z = rng.standard_normal((n, gen.latent_dim)).astype(np.float32)
    labels = sample_labels(gen, n, None)
    start = time.perf_counter()
    samples = generate(gen, z, labels)
    evaluator = Evaluator(
        data, name, samples=n, seed=config.seed, cache_dir=run.path / "metrics_ref"
    )
    record = evaluator.evaluate(samples, labels)
    record = {
        "type": "eval",
        "step": int(gen.info.get("step", 0)),
        **record,
        "checkpoint": checkpoint,
        "source": "ganstudio eval",
        "eval_seconds": round(time.perf_counter() - start, 3),
        "time": round(time.time(), 3),
    }
    with open(run.metrics_path, "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")
    return record
