"""Latent explorer latency through the real widget path (request -> worker -> image shown).

Measures, after warm-up, on this machine's CPU:
- slider-to-image latency for a 28x28 DCGAN generator (p50 / p95, target p95 <= 30 ms),
- the time to render a 20 x 20 latent map (target <= 0.5 s).

Usage:  QT_QPA_PLATFORM=offscreen python benchmarks/latent_latency.py [--moves 200]
The generator is an untrained DCGAN of the project's architecture
(``ganstudio.core.models``) wrapped by ``LoadedGenerator.from_model``, as for a live
snapshot of a training run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def make_generator(latent_dim: int):
    """(generator, description): the project's untrained 28x28 DCGAN as a LoadedGenerator."""
    from ganstudio.core.config import TrainConfig
    from ganstudio.core.generator import LoadedGenerator
    from ganstudio.core.models import build_networks, model_spec, output_range

    config = TrainConfig(model="dcgan", latent_dim=latent_dim, image_size=28, channels=1)
    spec = model_spec(config, (28, 28, 1), "images", 0)
    model, _ = build_networks(config, spec)
    info = dict(
        latent_dim=latent_dim,
        num_classes=0,
        class_names=[],
        output_shape=[28, 28, 1],
        kind="images",
        output_range=list(output_range(config, "images")),
        model="dcgan",
    )
    return LoadedGenerator.from_model(model, info), "project DCGAN 28x28 (untrained)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--maps", type=int, default=10)
    parser.add_argument("--latent-dim", type=int, default=64)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from ganstudio.qt.latent.explorer import LatentExplorer

    app = QApplication.instance() or QApplication(sys.argv)
    gen, what = make_generator(args.latent_dim)
    w = LatentExplorer()
    w.resize(1100, 800)
    w.show()
    shown: dict[str, int] = {}
    w.image_shown.connect(lambda s: shown.__setitem__("view", s))
    w.map_shown.connect(lambda s: shown.__setitem__("map", s))

    def wait(channel: str, stamp: int, limit: float = 30.0) -> None:
        end = time.perf_counter() + limit
        while shown.get(channel) != stamp:
            app.processEvents()
            if time.perf_counter() > end:
                raise TimeoutError(f"no {channel} result within {limit} s")
            time.sleep(0.0002)

    w.set_generator(gen, "benchmark")
    try:
        lat, maps = measure(app, w, wait, args)
    finally:
        w.shutdown()
        w.close()
    cells = w.state.cells
    print(f"generator: {what}, latent {args.latent_dim}, output {tuple(gen.output_shape)}")
    print(f"CPU threads visible: {os.cpu_count()}")
    for index, what_slider in ((0, "map-axis slider"), (2, "other slider")):
        ms = lat[index]
        print(
            f"{what_slider} -> image ({args.moves} moves): p50 {np.percentile(ms, 50):.1f} ms, "
            f"p95 {np.percentile(ms, 95):.1f} ms, max {ms.max():.1f} ms (target p95 <= 30 ms)"
        )
    print(
        f"latent map {cells}x{cells} ({args.maps} renders): median {np.median(maps):.3f} s, "
        f"max {maps.max():.3f} s (target <= 0.5 s)"
    )


def measure(app, w, wait, args) -> tuple[dict, np.ndarray]:
    """Slider latencies (ms) per slider index and map render times (s), after warm-up."""
    wait("map", w.request_map(), 120.0)
    values = np.random.default_rng(0).integers(-300, 301, args.moves + 20)

    def move(slider, v: int) -> float:
        t0 = time.perf_counter()
        slider.setValue(int(v) if int(v) != slider.value() else int(v) + 1)
        wait("view", w.jobs.latest("view"))
        app.processEvents()  # let the new pixmap paint
        return time.perf_counter() - t0

    # slider 0 is a map axis: only the large view re-renders (the marker moves);
    # slider 2 is not: the map re-renders too, once the slider rests (debounced)
    lat = {}
    for index in (0, 2):
        slider = w.controls.sliders[index]
        for v in values[:20]:  # warm-up
            move(slider, v)
        lat[index] = np.array([move(slider, v) for v in values[20:]]) * 1000

    def render_map() -> float:
        t0 = time.perf_counter()
        stamp = w.request_map()
        wait("map", stamp)
        app.processEvents()
        return time.perf_counter() - t0

    for _ in range(2):
        render_map()
    maps = np.array([render_map() for _ in range(args.maps)])
    return lat, maps


if __name__ == "__main__":
    main()
