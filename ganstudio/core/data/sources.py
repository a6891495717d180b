"""The built-in data sources, registered in the table of :mod:`.source_table`.

Loaders block (generation, file reading, maybe a download); they run on a worker thread.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ganstudio.core.data import digits, keras_sets, toy2d
from ganstudio.core.data.dataset import DataError, Dataset
from ganstudio.core.data.images import AUDIO_SUFFIXES, IMAGE_SUFFIXES, load_image_folder
from ganstudio.core.data.npz import read_npz
from ganstudio.core.data.source_table import (
    Browse,
    Choice,
    DataSource,
    LoadOptions,
    register_source,
)
from ganstudio.core.data.transform import prepare_images, subset_indices

GRAY_28 = {"image_size": 28, "channels": 1}


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
    opts: LoadOptions,
    *,
    subset: bool = True,
    skipped: list[tuple[str, str]] | None = None,
) -> Dataset:
    pick = subset_indices(len(x), opts.limit, opts.seed) if subset else None
    if pick is not None:
        x, y = x[pick], (y[pick] if y is not None else None)
    x = prepare_images(x, image_size=opts.image_size, channels=opts.channels, source=name)
    return Dataset(
        name=name,
        kind="images",
        x=x,
        y=None if y is None else np.asarray(y, np.int32),
        class_names=list(class_names) if y is not None else [],
        skipped=list(skipped or []),
        meta=meta,
    )


def _folder_name(arg: str) -> str:
    return Path(arg).expanduser().name or arg


SCAN_FILES = 2000  # a dropped folder's kind is judged by at most this many files


def _media_counts(folder: Path) -> tuple[int, int]:
    """(image files, audio files) among the first files under ``folder`` (recursively)."""
    images = audio = seen = 0
    for _root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            suffix = os.path.splitext(name)[1].lower()
            images += suffix in IMAGE_SUFFIXES
            audio += suffix in AUDIO_SUFFIXES
            seen += 1
            if seen >= SCAN_FILES:
                return images, audio
    return images, audio


def _holds_sound(path: Path) -> bool:
    """A folder with more audio clips than images in it."""
    if not path.is_dir():
        return False
    images, audio = _media_counts(path)
    return audio > images


def _holds_images(path: Path) -> bool:
    """Any other folder (one without images says so when it is loaded)."""
    return path.is_dir() and not _holds_sound(path)


# -- digits ---------------------------------------------------------------------------------
def _load_digits(arg: str, opts: LoadOptions) -> Dataset:
    count = _count(arg, "digits", digits.DEFAULT_COUNT)
    x, y, meta = digits.load_digits(count, opts.image_size, opts.seed, cancel=opts.cancel)
    return _image_set("digits", x, y, digits.CLASS_NAMES, meta, opts)


register_source(
    DataSource(
        prefix="digits",
        kind="images",
        load=_load_digits,
        help="digits[:COUNT]",
        title="Digits",
        describe=lambda arg: f"Built-in digits ({arg} drawn from bundled fonts)",
        choices=(
            Choice(
                "digits",
                "Built-in digits",
                "Built-in digits: 24,000 digits drawn from bundled fonts (offline)",
                GRAY_28,
            ),
        ),
    )
)


# -- 2-D toy sets ---------------------------------------------------------------------------
def _load_toy(arg: str, opts: LoadOptions) -> Dataset:
    name, _, n = arg.partition(":")
    count = _count(n, f"toy:{name}", toy2d.DEFAULT_COUNT)
    return toy2d.sample_toy(name.lower(), min(count, opts.limit or count), opts.seed)


def _describe_toy(arg: str) -> str:
    name, _, count = arg.partition(":")
    return f"2-D toy set: {name}" + (f" ({count} points)" if count else "")


def _toy_modes(arg: str, points: np.ndarray) -> tuple[int, int] | None:
    """Modes covered for the sets made of separate modes (ring, grid; not the spiral)."""
    name = arg.partition(":")[0].lower()
    try:
        shape = toy2d.toy_shape(name)
    except DataError:
        return None
    return toy2d.mode_coverage(points, name) if shape.labelled else None


register_source(
    DataSource(
        prefix="toy",
        kind="points",
        load=_load_toy,
        help="toy:ring|grid|spiral[:COUNT]",
        title="Toy 2-D",
        describe=_describe_toy,
        count_modes=_toy_modes,
        choices=(
            Choice(
                "toy:ring", "Toy 2-D: ring of 8 Gaussians", "2-D toy set: a ring of 8 Gaussians"
            ),
            Choice(
                "toy:grid", "Toy 2-D: 5×5 grid of Gaussians", "2-D toy set: a 5×5 grid of Gaussians"
            ),
            Choice("toy:spiral", "Toy 2-D: spiral", "2-D toy set: a spiral"),
        ),
    )
)


# -- keras.datasets -------------------------------------------------------------------------
def _keras_name(spec: str) -> str | None:
    name = keras_sets.ALIASES.get(spec.lower(), spec.lower())
    return name if name in keras_sets.SETS else None


def _load_keras(arg: str, opts: LoadOptions) -> Dataset:
    name = _keras_name(arg) or arg
    x, y, names, meta = keras_sets.load_keras_set(name, cancel=opts.cancel)
    return _image_set(name, x, y, names, meta, opts)


_KERAS_CHOICES = (
    Choice("mnist", "MNIST", "MNIST handwritten digits (keras.datasets, downloaded once)", GRAY_28),
    Choice(
        "fashion_mnist",
        "Fashion-MNIST",
        "Fashion-MNIST clothing (keras.datasets, downloaded once)",
        GRAY_28,
    ),
    Choice(
        "cifar10",
        "CIFAR-10",
        "CIFAR-10 small colour photos (keras.datasets, downloaded once)",
        {"image_size": 32, "channels": 3},
    ),
)


def _describe_keras(arg: str) -> str:
    name = _keras_name(arg)
    return next((c.description for c in _KERAS_CHOICES if c.spec == name), f"Keras set {arg}")


register_source(
    DataSource(
        prefix="keras",
        kind="images",
        load=_load_keras,
        help=", ".join(c.spec for c in _KERAS_CHOICES),
        title="Keras",
        describe=_describe_keras,
        choices=_KERAS_CHOICES,
        bare=_keras_name,
    )
)


# -- files and folders ----------------------------------------------------------------------
def _load_npz(arg: str, opts: LoadOptions) -> Dataset:
    if not arg:
        raise DataError("npz: give the path of a .npz file, e.g. npz:/data/mnist.npz")
    x, y, names, meta = read_npz(arg, cancel=opts.cancel)
    return _image_set(Path(arg).name, x, y, names, meta, opts)


register_source(
    DataSource(
        prefix="npz",
        kind="images",
        load=_load_npz,
        help="npz:PATH (or PATH.npz)",
        title="File",
        describe=lambda arg: f"Images from {Path(arg).name} (npz)",
        browse=Browse("Open .npz…", "Open a dataset (.npz)", "NumPy archives (*.npz)"),
        bare=lambda spec: spec if spec.lower().endswith(".npz") else None,
        claims=lambda path: path.suffix.lower() == ".npz" and path.is_file(),
    )
)


def _load_images(arg: str, opts: LoadOptions) -> Dataset:
    if not arg:
        raise DataError("images: give a folder, e.g. images:/data/photos")
    x, y, names, skipped, meta = load_image_folder(
        arg,
        image_size=opts.image_size,
        channels=opts.channels,
        limit=opts.limit,
        seed=opts.seed,
        cancel=opts.cancel,
    )
    return _image_set(_folder_name(arg), x, y, names, meta, opts, subset=False, skipped=skipped)


register_source(
    DataSource(
        prefix="images",
        kind="images",
        load=_load_images,
        help="images:FOLDER (or a folder)",
        title="Images",
        describe=lambda arg: f"Images in folder {_folder_name(arg)}",
        browse=Browse("Open image folder…", "Open an image folder"),
        bare=lambda spec: spec if Path(spec).expanduser().is_dir() else None,
        claims=_holds_images,
    )
)


def _load_audio(arg: str, opts: LoadOptions) -> Dataset:
    if not arg:
        raise DataError("audio: give a folder of audio clips, e.g. audio:/data/drums")
    # deferred: scipy (audio features) loads with the first audio set
    from ganstudio.core.data.audio_folder import load_audio_dataset

    return load_audio_dataset(arg, limit=opts.limit, seed=opts.seed, cancel=opts.cancel)


register_source(
    DataSource(
        prefix="audio",
        kind="audio",
        load=_load_audio,
        help="audio:FOLDER",
        title="Audio",
        describe=lambda arg: f"Audio clips in folder {_folder_name(arg)}",
        browse=Browse("Open audio folder…", "Open a folder of audio clips"),
        claims=_holds_sound,
    )
)
