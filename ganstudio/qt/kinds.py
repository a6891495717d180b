"""How the window shows each output kind: the Train tab's sample view and the explorer's.

The core's :mod:`ganstudio.core.kinds` says what a kind is; this table says how the window
draws it. A kind with no entry here gets one read off its core entry (tiled kinds go to
the sample grid, plane kinds to the toy view), so a plugin's kind shows without one; a
plugin registers a :class:`KindView` with :func:`register_kind_view` to say more.
:func:`~ganstudio.qt.train.grid_history.sample_grid` tiles a sample event by this table.
Lookups read no files and may come from any thread.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ganstudio.core.kinds import KINDS, OutputKind, get_kind
from ganstudio.core.tables import Table

#: the Train tab's views (``TrainView.samples`` pages)
GRID_VIEW = "grid"  # SampleGridView: tiles, a history slider, PNG/GIF export
TOY_VIEW = "toy"  # ToyView: points over the discriminator's field


@dataclass(frozen=True)
class KindView:
    """One kind in the window.

    ``sample_view``: where the Train tab shows its samples (:data:`GRID_VIEW` or
    :data:`TOY_VIEW`). ``keep_samples``: grid tiles keep their sample, and a click hands
    it out (a spectrogram is played). ``view_sounds``: its grids come with sounds of their
    own (a vocoder's resyntheses), read back with the grid. ``explorer``: how the latent
    explorer draws an output ("image" tiles or "plane" points; None: not explorable).
    ``playable``: the explorer offers Play and autoplay.
    """

    name: str
    sample_view: str = GRID_VIEW
    keep_samples: bool = False
    view_sounds: bool = False
    explorer: str | None = "image"
    playable: bool = False


VIEWS: Table[KindView] = Table("kind view")


def register_kind_view(view: KindView, *, replace: bool = False) -> KindView:
    return VIEWS.register(view.name, view, replace=replace)


def unregister_kind_view(name: str) -> None:
    VIEWS.unregister(name)


def _derived(kind: OutputKind) -> KindView:
    """The view a kind gets from its core entry alone."""
    explorer = None if not kind.explorable else ("plane" if kind.plane else "image")
    return KindView(
        kind.name,
        TOY_VIEW if kind.plane else GRID_VIEW,
        keep_samples=kind.tiled and kind.to_sound is not None,
        view_sounds=kind.view_sounds,
        explorer=explorer,
        playable=kind.to_sound is not None and kind.explorable,
    )


def kind_view(name: str | None, samples: np.ndarray | None = None) -> KindView:
    """How the window shows kind ``name``. An unknown kind reads as points when its
    ``samples`` are (n, 2), as images otherwise (an older run's events)."""
    if name in VIEWS:
        return VIEWS.get(name)  # type: ignore[arg-type]
    if name in KINDS:
        return _derived(get_kind(name))  # type: ignore[arg-type]
    points = samples is not None and np.ndim(samples) == 2 and np.shape(samples)[-1] == 2
    return _derived(get_kind("points" if points else "images"))


def tiles_of(name: str | None, samples: np.ndarray) -> np.ndarray:
    """Samples of kind ``name`` as (n, h, w, c) tiles (unknown kinds: as images)."""
    kind = get_kind(name) if name in KINDS else get_kind("images")  # type: ignore[arg-type]
    return kind.tiles(samples) if kind.tiled else np.asarray(samples, np.float32)


for _view in (
    KindView("images"),
    KindView("points", TOY_VIEW, explorer="plane"),
    KindView("audio", keep_samples=True, playable=True),
    KindView("vocoder", view_sounds=True, explorer=None),
    KindView("waveform", explorer=None),
):
    register_kind_view(_view)
