"""Train the digit classifier the quality metrics use, on the built-in digit set only.

    python scripts/train_digit_classifier.py [--count 60000] [--epochs 4] [--seed 0]

Writes ``resources/models/digits_classifier.npz`` and prints its accuracy on held-out
built-in digits and on the real MNIST test split (``$GANSTUDIO_SHARED/data/mnist.npz``,
never used for training). Deterministic: seeded data, seeded initial weights, a fixed
batch order and TensorFlow's op determinism; the weights' SHA-256 is printed and saved,
so two runs on the same machine and TensorFlow version can be compared.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def weights_digest(model) -> str:
    h = hashlib.sha256()
    for v in model.weights:
        h.update(np.ascontiguousarray(v.numpy(), np.float32).tobytes())
    return h.hexdigest()


def accuracy(model, x: np.ndarray, y: np.ndarray) -> tuple[float, list[float]]:
    """Overall accuracy and the accuracy on each digit."""
    hit = model.predict(x, batch_size=512, verbose=0).argmax(axis=1) == y
    return float(hit.mean()), [round(float(hit[y == d].mean()), 4) for d in range(10)]


def mnist_test(shared: Path) -> tuple[np.ndarray, np.ndarray] | None:
    path = shared / "data" / "mnist.npz"
    if not path.is_file():
        return None
    with np.load(path) as f:
        return f["x_test"].astype(np.float32)[..., None] / 255.0, f["y_test"].astype(np.int64)


def distort(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Handwriting-like variation of (n, 28, 28, 1) digits in [0, 1]: an elastic warp
    (Simard et al. 2003), a random affine map and a thinner or bolder stroke."""
    from scipy import ndimage

    n, h, w = x.shape[:3]
    out = np.empty_like(x)
    yy, xx = np.meshgrid(
        np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64), indexing="ij"
    )
    centre = np.array([(h - 1) / 2.0, (w - 1) / 2.0])
    for i in range(n):
        dy = ndimage.gaussian_filter(rng.uniform(-1, 1, (h, w)), 4.0) * 34.0
        dx = ndimage.gaussian_filter(rng.uniform(-1, 1, (h, w)), 4.0) * 34.0
        angle = np.deg2rad(rng.uniform(-12, 12))
        scale = rng.uniform(0.85, 1.1)
        shear = rng.uniform(-0.2, 0.2)
        c, s = np.cos(angle), np.sin(angle)
        inv = np.array([[c, -s], [s, c]]) @ np.array([[1.0, shear], [0.0, 1.0]]) / scale
        py, px = yy - centre[0], xx - centre[1]
        sy = inv[0, 0] * py + inv[0, 1] * px + centre[0] + dy + rng.normal(0, 0.7)
        sx = inv[1, 0] * py + inv[1, 1] * px + centre[1] + dx + rng.normal(0, 0.7)
        img = ndimage.map_coordinates(x[i, ..., 0], [sy, sx], order=1, cval=0.0)
        pick = rng.random()
        if pick < 0.25:
            img = ndimage.grey_dilation(img, size=(2, 2))
        elif pick < 0.45:
            img = ndimage.grey_erosion(img, size=(2, 2)) * 0.5 + img * 0.5
        out[i, ..., 0] = img
    return np.clip(out, 0.0, 1.0)


def train(count: int, epochs: int, seed: int, batch: int = 128):
    import keras
    import tensorflow as tf

    from ganstudio.core.data import load_dataset
    from ganstudio.core.metrics.digits import build_digit_classifier

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    data = load_dataset(f"digits:{count}", seed=seed)
    model = build_digit_classifier()
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    rng = np.random.default_rng(seed)
    x, y = data.x, data.y.astype(np.int64)
    for epoch in range(epochs):
        order = rng.permutation(len(x))  # the batch order is ours, not tf.data's
        if epoch == epochs - 1:
            model.optimizer.learning_rate.assign(3e-4)
        xe = distort(x[order], rng)
        model.fit(xe, y[order], batch_size=batch, epochs=1, shuffle=False, verbose=2)
    return model, data


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=60_000, help="built-in digits to train on")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--out", type=Path, default=ROOT / "resources" / "models" / "digits_classifier.npz"
    )
    args = p.parse_args(argv)
    import keras
    import tensorflow as tf

    from ganstudio.core.data import load_dataset
    from ganstudio.core.metrics.digits import save_classifier

    t0 = time.perf_counter()
    model, _ = train(args.count, args.epochs, args.seed)
    held = load_dataset("digits:10000", seed=args.seed + 1000)  # other digits, never trained on
    info = {
        "trained_on": f"built-in digits: {args.count} (seed {args.seed})",
        "epochs": args.epochs,
        "seed": args.seed,
        "accuracy_digits_heldout": round(accuracy(model, held.x, held.y.astype(np.int64))[0], 4),
        "weights_sha256": weights_digest(model),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
    }
    shared = Path(os.environ.get("GANSTUDIO_SHARED", ROOT.parent / "shared"))
    test = mnist_test(shared)
    if test is not None:
        overall, by_digit = accuracy(model, *test)
        info["accuracy_mnist_test"] = round(overall, 4)
        info["accuracy_mnist_test_by_digit"] = by_digit
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save_classifier(model, args.out, info)
    for key, value in info.items():
        print(f"{key}: {value}")
    print(
        f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KB) in "
        f"{time.perf_counter() - t0:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
