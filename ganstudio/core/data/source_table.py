"""The table of data sources, and turning a dataset spec string into a :class:`Dataset`.

A spec is ``PREFIX:ARGUMENT`` (``npz:/data/x.npz``) or a bare form a source recognises
(``mnist``, ``x.npz``, a folder). Each :class:`DataSource` says what it loads, the kind
of data it produces, its help text and its entries in the window's dataset list; the
built-ins are in :mod:`ganstudio.core.data.sources`, others come from tests or plugins
(see :mod:`ganstudio.core.tables`).

``load_dataset`` blocks (generation, file reading, maybe a download): call it from a
worker thread in the GUI. The other functions read no files (a bare folder path is
checked with one ``stat``) and may be called from any thread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core.control import raise_if_cancelled
from ganstudio.core.data.dataset import DataError, Dataset
from ganstudio.core.kinds import KINDS
from ganstudio.core.tables import Table


@dataclass(frozen=True)
class LoadOptions:
    """How a loader shapes what it loads (image sources; others may ignore them)."""

    image_size: int = 28
    channels: int = 1
    limit: int | None = None  # a seeded random subset of at most this many examples
    seed: int = 0
    cancel: Callable[[], bool] | None = None  # asked between files and chunks (Stop)


@dataclass(frozen=True)
class Choice:
    """A ready-made spec offered in the window's dataset list."""

    spec: str
    label: str  # short, shown in the list
    description: str  # a sentence for tooltips, ``describe_spec`` and ``--help``
    settings: Mapping[str, Any] = field(default_factory=dict)  # form values that suit it


@dataclass(frozen=True)
class Browse:
    """An "Open …" entry of the window's dataset list: a file or folder dialog."""

    label: str  # "Open .npz…"
    title: str  # the dialog's title
    file_filter: str | None = None  # a file dialog with this filter; None: a folder dialog


@dataclass(frozen=True)
class DataSource:
    """One kind of spec: ``prefix:ARGUMENT``, the prefix alone, or a bare form."""

    prefix: str
    kind: str  # the kind of data it produces (:mod:`ganstudio.core.kinds`): images | points | ...
    load: Callable[[str, LoadOptions], Dataset]  # (argument, options) -> Dataset; blocks
    help: str  # its spec forms for --help, e.g. "npz:PATH (or PATH.npz)"
    title: str  # a short noun for list labels, e.g. "File"
    describe: Callable[[str], str]  # a short description of an argument (no file reads)
    choices: tuple[Choice, ...] = ()
    browse: Browse | None = None
    bare: Callable[[str], str | None] | None = None  # a spec without prefix -> argument
    claims: Callable[[Path], bool] | None = None  # it loads this path (a dropped file, folder)
    # (argument, generated points) -> (modes covered, modes in total); None: no modes
    count_modes: Callable[[str, np.ndarray], tuple[int, int] | None] | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(
                f"data source {self.prefix!r}: kind must be one of {', '.join(KINDS.names())}, "
                f"not {self.kind!r} (register_kind first)"
            )


SOURCES: Table[DataSource] = Table("data source")


def register_source(source: DataSource, *, replace: bool = False) -> DataSource:
    """Add a data source to the table; ``replace=True`` swaps an existing prefix."""
    return SOURCES.register(source.prefix, source, replace=replace)


def unregister_source(prefix: str) -> None:
    SOURCES.unregister(prefix)


def data_sources() -> tuple[DataSource, ...]:
    """Every source, in the order the window lists them."""
    return SOURCES.entries()


def spec_help() -> str:
    """Every spec form, for ``--help`` texts and error messages."""
    return ", ".join(s.help for s in data_sources())


def split_spec(spec: str) -> tuple[DataSource, str]:
    """The source of a spec string and its argument; raises :class:`DataError`."""
    if not isinstance(spec, str):
        raise DataError(f"a dataset spec must be text, not {type(spec).__name__}")
    spec = spec.strip()
    if not spec:
        raise DataError(f"no dataset given; expected one of: {spec_help()}")
    head, _, rest = spec.partition(":")
    if head.lower() in SOURCES:  # "prefix:argument", or the prefix alone (its default)
        return SOURCES.get(head.lower()), rest.strip()
    for source in data_sources():
        arg = source.bare(spec) if source.bare is not None else None
        if arg is not None:
            return source, arg
    raise DataError(f"unknown dataset {spec!r}; expected one of: {spec_help()}")


def source_kind(spec: str) -> str | None:
    """The kind of data ``spec`` loads (images | points | audio), None if not a known spec.

    Reads no files: use it to choose a model before loading.
    """
    try:
        return split_spec(spec)[0].kind
    except DataError:
        return None


def spec_for_path(path: str | Path) -> str | None:
    """The spec of the first source that claims ``path`` (``audio:/x/drums``), None if
    none does. Reads at most a folder listing (call it from a worker for a slow disk)."""
    p = Path(path)
    for source in data_sources():
        if source.claims is not None and source.claims(p):
            return f"{source.prefix}:{p}"
    return None


def mode_coverage_of(spec: str, points: np.ndarray) -> tuple[int, int] | None:
    """(modes covered, modes in total) by generated ``points`` of the set ``spec`` names,
    or None when that set has no modes to count (or is no known spec)."""
    try:
        source, arg = split_spec(spec)
    except DataError:
        return None
    return source.count_modes(arg, points) if source.count_modes is not None else None


def find_choice(spec: str) -> Choice | None:
    """The list entry offering ``spec`` (ignoring case), if any."""
    key = spec.strip().lower() if isinstance(spec, str) else ""
    for source in data_sources():
        for choice in source.choices:
            if choice.spec.lower() == key:
                return choice
    return None


def _name_spec(
    spec: str, of_choice: Callable[[Choice], str], of_source: Callable[[DataSource, str], str]
) -> str:
    """A name for ``spec``: its built-in choice's, else its source's (``of_source(source,
    arg)``), else the spec itself. No files are read."""
    choice = find_choice(spec)
    if choice is not None:
        return of_choice(choice)
    try:
        source, arg = split_spec(spec)
    except DataError:
        return spec
    return of_source(source, arg)


def describe_spec(spec: str) -> str:
    """A short human-readable name for a dataset spec (no files are read)."""
    return _name_spec(spec, lambda c: c.description, lambda source, arg: source.describe(arg))


def spec_label(spec: str) -> str:
    """A short label for a spec in a list, e.g. ``File: faces.npz``."""

    def of_source(source: DataSource, arg: str) -> str:
        return f"{source.title}: {Path(arg).expanduser().name or arg}" if arg else source.title

    return _name_spec(spec, lambda c: c.label, of_source)


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
    source, arg = split_spec(spec)
    raise_if_cancelled(cancel)
    data = source.load(arg, LoadOptions(image_size, channels, limit, seed, cancel))
    if data.kind != source.kind:
        raise DataError(
            f"data source {source.prefix!r} loaded {data.kind} but declares {source.kind}"
        )
    return data
