"""What every set of mel parameters shares: its upper band edge in hertz and a round trip
through the ``meta`` dict a run or an export records (:class:`MelMeta`)."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any, TypeVar

T = TypeVar("T", bound="MelMeta")


class MelMeta:
    """Mixin for frozen dataclasses with ``sample_rate`` and ``fmax`` (None: half the rate)."""

    @property
    def fmax_hz(self) -> float:
        fmax = self.fmax  # type: ignore[attr-defined]
        return float(fmax) if fmax is not None else self.sample_rate / 2.0  # type: ignore[attr-defined]

    def to_meta(self) -> dict[str, Any]:
        meta = asdict(self)  # type: ignore[call-overload]
        meta["fmax"] = self.fmax_hz
        return meta

    @classmethod
    def from_meta(cls: type[T], meta: dict[str, Any]) -> T:
        """Rebuild from a run's or a dataset's ``meta`` dict (other keys ignored)."""
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: meta[k] for k in names if k in meta})
