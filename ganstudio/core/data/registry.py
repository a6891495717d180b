"""Turn a dataset spec string into a :class:`Dataset` (see :mod:`ganstudio.core.data`).

``load_dataset`` blocks (generation, file reading, maybe a download): call it from a
worker thread in the GUI. Everything it returns is plain numpy data.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from ganstudio.core.control import raise_if_cancelled
from ganstudio.core.data import digits, keras_sets, toy2d
from ganstudio.core.data.dataset import DataError, Dataset
from ganstudio.core.data.images import load_image_folder
from ganstudio.core.data.npz import read_npz
from ganstudio.core.data.transform import prepare_images, subset_indices

# (spec, description) for pickers in the GUI and ``--help`` texts.
BUILTIN_SPECS = (
    ("digits", "Built-in digits: 24,000 digits drawn from bundled fonts (offline)"),
    ("toy:ring", "2-D toy set: a ring of 8 Gaussians"),
    ("toy:grid", "2-D toy set: a 5×5 grid of Gaussians"),
    ("toy:spiral", "2-D toy set: a spiral"),
    ("mnist", "MNIST handwritten digits (keras.datasets, downloaded once)"),
    ("fashion_mnist", "Fashion-MNIST clothing (keras.datasets, downloaded once)"),
    ("cifar10", "CIFAR-10 small colour photos (keras.datasets, downloaded once)"),
)
SPEC_HELP = (
    "digits[:COUNT], toy:ring|grid|spiral, mnist, fashion_mnist, cifar10, "
    "npz:PATH (or PATH.npz), images:FOLDER (or a folder), audio:FOLDER"
)


def _split(spec: str) -> tuple[str, str]:
    """(kind, argument) of a spec string, e.g. ``("npz", "/data/x.npz")``."""
    if not isinstance(spec, str):
        raise DataError(f"a dataset spec must be text, not {type(spec).__name__}")
    spec = spec.strip()
    if not spec:
        raise DataError(f"no dataset given; expected one of: {SPEC_HELP}")
    head, sep, rest = spec.partition(":")
    key = head.lower()
    if sep and key in ("digits", "toy", "npz", "images", "audio"):
        return key, rest.strip()
    lowered = spec.lower()
    if lowered == "digits":
        return "digits", ""
    if keras_sets.ALIASES.get(lowered, lowered) in keras_sets.SETS:
        return "keras", keras_sets.ALIASES.get(lowered, lowered)
    if lowered.endswith(".npz"):
        return "npz", spec
    if Path(spec).expanduser().is_dir():
        return "images", spec
    raise DataError(f"unknown dataset {spec!r}; expected one of: {SPEC_HELP}")


def describe_spec(spec: str) -> str:
    """A short human-readable name for a dataset spec (no files are read)."""
    try:
        kind, arg = _split(spec)
    except DataError:
        return spec
    for name, text in BUILTIN_SPECS:
        if name == (arg if kind == "keras" else spec.strip().lower()):
            return text
    if kind == "digits":
        return f"Built-in digits ({arg} drawn from bundled fonts)"
    if kind == "npz":
        return f"Images from {Path(arg).name} (npz)"
    if kind == "images":
        return f"Images in folder {Path(arg).expanduser().name or arg}"
    if kind == "audio":
        return f"Audio clips in folder {Path(arg).expanduser().name or arg}"
    return spec


def _count(arg: str, what: str, default: int) -> int:
    if not arg:
        return default
    try:
        value = int(arg.replace("_", ""))
    except ValueError:
        raise DataError(f"{what}: the count must be a whole number, not {arg!r}") from None
    if value < 1:
        raise DataError(f"{what}: the count must be at least 1, not {value}")
    return value


def _image_set(
    name: str,
    x: np.ndarray,
    y: np.ndarray | None,
    class_names: list[str],
    meta: dict,
    *,
    image_size: int,
    channels: int,
    limit: int | None,
    seed: int,
    skipped: list[tuple[str, str]] | None = None,
) -> Dataset:
    pick = subset_indices(len(x), limit, seed)
    if pick is not None:
        x, y = x[pick], (y[pick] if y is not None else None)
    x = prepare_images(x, image_size=image_size, channels=channels, source=name)
    return Dataset(
        name=name,
        kind="images",
        x=x,
        y=None if y is None else np.asarray(y, np.int32),
        class_names=list(class_names) if y is not None else [],
        skipped=list(skipped or []),
        meta=meta,
    )


def load_dataset(
    spec: str,
    *,
    image_size: int = 28,
    channels: int = 1,
    limit: int | None = None,
    seed: int = 0,
    cancel: Callable[[], bool] | None = None,
) -> Dataset:
    """Load the dataset named by ``spec`` (see :mod:`ganstudio.core.data`).

    Image sets come out float32 (N, image_size, image_size, channels) in [0, 1]; toy sets
    float32 (N, 2). ``limit`` keeps a seeded random subset of that many examples (in
    their original order). Raises :class:`DataError` with a readable message.
    ``cancel`` (a ``should_stop`` callable) is asked between files and chunks; when it
    answers True the load ends with :class:`~ganstudio.core.control.Cancelled`.
    """
    if channels not in (1, 3):
        raise DataError(f"channels must be 1 (grayscale) or 3 (RGB), not {channels}")
    if limit is not None and limit < 1:
        raise DataError(f"limit must be at least 1, not {limit}")
    kind, arg = _split(spec)
    raise_if_cancelled(cancel)
    opts = dict(image_size=image_size, channels=channels, limit=limit, seed=seed)
    if kind == "digits":
        count = _count(arg, "digits", digits.DEFAULT_COUNT)
        x, y, meta = digits.load_digits(count, image_size, seed, cancel=cancel)
        return _image_set("digits", x, y, digits.CLASS_NAMES, meta, **opts)
    if kind == "toy":
        name, _, n = arg.partition(":")
        count = _count(n, f"toy:{name}", toy2d.DEFAULT_COUNT)
        return toy2d.sample_toy(name.lower(), min(count, limit or count), seed)
    if kind == "keras":
        x, y, names, meta = keras_sets.load_keras_set(arg, cancel=cancel)
        return _image_set(arg, x, y, names, meta, **opts)
    if kind == "npz":
        if not arg:
            raise DataError("npz: give the path of a .npz file, e.g. npz:/data/mnist.npz")
        x, y, names, meta = read_npz(arg, cancel=cancel)
        return _image_set(Path(arg).name, x, y, names, meta, **opts)
    if kind == "images":
        if not arg:
            raise DataError("images: give a folder, e.g. images:/data/photos")
        x, y, names, skipped, meta = load_image_folder(arg, **opts, cancel=cancel)
        folder = Path(arg).expanduser()
        return _image_set(
            folder.name or str(folder),
            x,
            y,
            names,
            meta,
            **{**opts, "limit": None},
            skipped=skipped,
        )
    # kind == "audio": written by the audio engineer; imported only when asked for.
    if not arg:
        raise DataError("audio: give a folder of audio clips, e.g. audio:/data/drums")
    try:
        from ganstudio.core.audio.dataset import load_audio_dataset
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("ganstudio"):
            raise
        raise DataError("audio datasets are not available in this build of GAN Studio") from exc
    return load_audio_dataset(arg, limit=limit, seed=seed, cancel=cancel)
