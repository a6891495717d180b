"""Generator and discriminator factories for every model GAN Studio trains.

The models themselves are rows of the model table (:mod:`.model_table`; built-ins in
:mod:`.built_in`, MelGAN in :mod:`ganstudio.core.vocoder.model_row`); the functions here
answer what the training session asks of a row. Importing this package loads no TensorFlow
and no config (``ganstudio.core.config`` reads the table).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ganstudio.core.kinds import KINDS
from ganstudio.core.models import built_in  # noqa: F401  (registers the built-in models)
from ganstudio.core.models.model_table import (
    ModelEntry,
    get_model,
    model_names,
    models_for,
    register_model,
    unregister_model,
)
from ganstudio.core.models.spec import ModelSpec

if TYPE_CHECKING:
    from ganstudio.core.config import TrainConfig

__all__ = [
    "ModelEntry",
    "ModelSpec",
    "build_networks",
    "get_model",
    "model_names",
    "model_spec",
    "models_for",
    "output_range",
    "register_model",
    "unregister_model",
]


def _kind_noun(kind: str) -> str:
    return KINDS.get(kind).noun if kind in KINDS else kind


def model_spec(
    config: TrainConfig, example_shape: tuple[int, ...], kind: str, num_classes: int
) -> ModelSpec:
    """The :class:`ModelSpec` for ``config`` on data of the given shape.

    Raises ValueError when the model does not train on this data.
    """
    entry = get_model(config.model)
    if not entry.accepts(kind):
        takes = " or ".join(_kind_noun(k) for k in entry.data_kinds)
        others = [e.name for e in models_for(kind)]
        hint = f" (choose model {' or '.join(others)})" if others else ""
        raise ValueError(f"model {entry.name!r} trains on {takes}, not {_kind_noun(kind)}{hint}")
    if entry.conditional and num_classes < 2:
        raise ValueError(
            f"the conditional model {entry.name!r} needs a labelled dataset "
            "with at least two classes"
        )
    return ModelSpec(
        latent_dim=config.latent_dim,
        example_shape=tuple(example_shape),
        num_classes=num_classes if entry.conditional else 0,
        kind=kind,
    )


def build_networks(config: TrainConfig, spec: ModelSpec) -> tuple[Any, Any]:
    """Build (generator, discriminator) Keras models for ``config.model``."""
    return get_model(config.model).build(config, spec)


def output_range(config: TrainConfig, kind: str) -> tuple[float, float] | None:
    """The generator's output range on data of ``kind`` (None: no scaling)."""
    return get_model(config.model).output_range(kind)
