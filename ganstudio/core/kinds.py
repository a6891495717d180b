"""The table of output kinds: what a generator makes (images, 2-D points, sound, ...).

A dataset, a model's data kinds, a sample grid event and an exported generator all name
a kind; everything that depends on it (how output is scaled, tiled, saved, played,
measured, explored and exported) asks the kind's :class:`OutputKind` entry here instead
of comparing names. The built-in kinds are registered below; a plugin or a test adds one
with :func:`register_kind` (before a model or data source that names it).

A foundation module: it imports numpy and the generic table only. Heavy work an entry
points to (phase reconstruction, drawing) is imported inside the function it names.
Lookups may come from any thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ganstudio.core.tables import Table

#: (dataset) -> (extractor name, why): the quality extractor a kind's data get by default
ExtractorChoice = Callable[[Any], tuple[str, str]]


def image_batch(samples: np.ndarray) -> np.ndarray:
    """Samples that are images already, as (n, h, w, c) float images in [0, 1]."""
    arr = np.asarray(samples, np.float32)
    if arr.ndim == 3:
        arr = arr[..., None]
    if arr.ndim != 4:
        raise ValueError(f"cannot show outputs of shape {arr.shape} as images")
    return arr


@dataclass(frozen=True)
class OutputKind:
    """One kind of generator output, and every per-kind fact the program needs.

    ``scaled``: data in [0, 1] are mapped to the model's output range for training and
    back for showing (False: data units pass through, as 2-D points and waveforms do).
    ``to_images``: (samples) -> (n, h, w, c) float tiles in [0, 1], how samples are
    tiled into a grid, saved as PNG and shown in the explorer; None for ``plane`` kinds.
    ``plane``: samples are 2-D points drawn in the plane (real points and the
    discriminator's field beside them, at least ``min_samples`` of them, a CSV export).
    ``to_sound``: (samples, sound settings) -> (n, samples) waveforms, None if the
    samples are not sound; ``spectrogram`` says they are mel spectrograms that need the
    run's mel settings (and may use a vocoder) to become sound.
    ``view_sounds``: its sample grids come with sounds of their own (a vocoder's
    resyntheses, saved beside the grid), played by clicking a tile.
    ``from_noise``: a generator of this kind samples from a latent (a vocoder does not).
    """

    name: str
    noun: str  # in messages: "model 'x' trains on images, not 2-D points"
    scaled: bool = True
    to_images: Callable[[np.ndarray], np.ndarray] | None = image_batch
    plane: bool = False
    min_samples: int = 0  # the fixed noise batch holds at least this many samples
    to_sound: Callable[[np.ndarray, Any], np.ndarray] | None = None
    spectrogram: bool = False
    view_sounds: bool = False
    from_noise: bool = True
    augment: bool = False  # image augmentations (DiffAugment) apply to its data
    form_shape: bool = False  # the image size / channels settings shape its data
    default_extractor: ExtractorChoice | None = None  # None: the extractor table decides
    sample_out: str = "samples"  # ``ganstudio sample``'s default output (a .png: one grid)
    explorable: bool = True  # the latent explorer can show it
    foreign: str | None = None  # a foreign model file's word for such output (its signature)

    @property
    def tiled(self) -> bool:
        """Samples are tiled into a grid image (False: drawn in the plane, or not shown)."""
        return self.to_images is not None

    def tiles(self, samples: np.ndarray) -> np.ndarray:
        """``samples`` as (n, h, w, c) tiles in [0, 1]; ValueError for a kind not tiled."""
        if self.to_images is None:
            raise ValueError(f"{self.noun} are not tiled into images")
        return self.to_images(samples)

    def range_for(self, output_range: Any) -> Any:
        """The range to map this kind's output back from (None: it is not scaled)."""
        return output_range if self.scaled else None


KINDS: Table[OutputKind] = Table("output kind")


def register_kind(kind: OutputKind, *, replace: bool = False) -> OutputKind:
    """Add an output kind; ``replace=True`` swaps an existing one."""
    return KINDS.register(kind.name, kind, replace=replace)


def unregister_kind(name: str) -> None:
    KINDS.unregister(name)


def get_kind(name: str) -> OutputKind:
    """The kind called ``name``; raises :class:`~ganstudio.core.tables.UnknownName`."""
    return KINDS.get(name)


def kind_names() -> tuple[str, ...]:
    return KINDS.names()


def kind_of(name: str | None, default: str = "images") -> OutputKind:
    """The entry for ``name``; an unknown or missing name reads as ``default`` (an older
    or foreign description without a kind we know)."""
    return KINDS.get(name) if name in KINDS else KINDS.get(default)


def kind_for_foreign(made: str) -> OutputKind:
    """The kind of a foreign generator whose signature says it makes ``made``."""
    for kind in KINDS.entries():
        if kind.foreign == made:
            return kind
    raise ValueError(f"a foreign generator cannot make {made!r}")


def sample_scale(tiles: np.ndarray) -> int:
    """How much a saved sample grid is enlarged: small tiles twice."""
    return 2 if np.shape(tiles)[1] <= 32 else 1


# -- the built-in kinds ---------------------------------------------------------------------
def _spectrogram_sound(samples: np.ndarray, sound: Any) -> np.ndarray:
    return sound.to_audio(samples)  # phase reconstruction, imported by SoundParams on use


def _waveform_sound(samples: np.ndarray, sound: Any) -> np.ndarray:
    return np.asarray(samples, np.float32)


IMAGES = register_kind(
    OutputKind(
        "images",
        "images",
        augment=True,
        form_shape=True,
        sample_out="samples.png",
        foreign="image",
    )
)
POINTS = register_kind(
    OutputKind(
        "points",
        "2-D points",
        scaled=False,
        to_images=None,
        plane=True,
        min_samples=512,
    )
)
AUDIO = register_kind(
    OutputKind(
        "audio",
        "audio",
        to_sound=_spectrogram_sound,
        spectrogram=True,
        foreign="spectrogram",
    )
)
WAVEFORM = register_kind(
    OutputKind(
        "waveform",
        "waveforms",
        scaled=False,
        to_images=None,
        to_sound=_waveform_sound,
        explorable=False,
        foreign="waveform",
    )
)
#: a vocoder's export: it turns a mel spectrogram into sound, it does not sample from noise
VOCODER = register_kind(
    OutputKind(
        "vocoder",
        "vocoder sound",
        scaled=False,
        view_sounds=True,
        from_noise=False,
        explorable=False,
    )
)
