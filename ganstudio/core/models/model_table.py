"""The model table: every model GAN Studio trains, described in one entry.

Config validation and defaults, the ``--model`` choices and help, the window's model list
and the training session all read this table, so a new model is one
:func:`register_model` call (built-ins in :mod:`ganstudio.core.models.built_in`, others
from tests or plugins, see :mod:`ganstudio.core.tables`). Nothing here imports
TensorFlow or Keras: builders import them when called. Register before training starts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ganstudio.core.kinds import KINDS
from ganstudio.core.tables import Table

if TYPE_CHECKING:
    from ganstudio.core.config import TrainConfig
    from ganstudio.core.models.spec import ModelSpec

Range = tuple[float, float]
Builder = Callable[["TrainConfig", "ModelSpec"], tuple[Any, Any]]
GanFactory = Callable[..., Any]
SessionFactory = Callable[..., Any]


@dataclass(frozen=True)
class ModelEntry:
    """One model.

    ``data_kinds`` maps each kind of data the model trains on (names in
    :mod:`ganstudio.core.kinds`: images | points | audio | a plugin's)
    to the range its generator outputs for that kind (data in [0, 1] are mapped to it;
    None leaves the data unscaled, as for 2-D points). The kind the model is meant for
    comes first: the window switches to a model meant for the chosen data.

    ``defaults`` are the TrainConfig values that train it well (loss included).
    ``gradient_penalty`` says its critic may take a per-example gradient penalty (no
    batch norm); losses that need one are refused for models without it.

    ``make_gan`` is the hook for a model that needs its own training model (a vocoder
    with feature-matching and STFT losses, say). It is called inside the distribution
    strategy scope as ``make_gan(generator, discriminator, config=, spec=, gp_weight=)``
    and returns a ``keras.Model`` with ``generator`` and ``discriminator`` attributes,
    ``generate(z, labels=None, training=False)``, ``discriminate(x, labels=None,
    training=False)``, ``compile(d_optimizer=, g_optimizer=)`` that sets ``d_optimizer``
    and ``g_optimizer`` (their variables are checkpointed) and a per-replica
    ``train_step(batch)`` returning at least ``d_loss``, ``g_loss``, ``d_real`` and
    ``d_fake``; other values are logged as extra metrics. With several replicas the
    optimizers sum the replicas' gradients, so a step divides its losses by the number of
    replicas before differentiating (as ``GAN._scaled`` does). None means the standard
    :class:`ganstudio.core.gan.GAN` (see :func:`ganstudio.core.gan.make_standard_gan`).

    ``session`` is the hook for a model whose data, sample views or export differ (a
    vocoder trains on waveform segments and shows resyntheses): called as
    ``session(config, run, cluster)``, it returns a :class:`ganstudio.core.session.TrainingSession`
    (usually a subclass). None means the standard session.
    """

    name: str  # as in TrainConfig.model and --model
    label: str  # shown in the window's model list
    description: str  # one line for --help
    build: Builder  # (config, spec) -> (generator, discriminator) Keras models
    data_kinds: Mapping[str, Range | None]
    defaults: Mapping[str, Any] = field(default_factory=dict)
    conditional: bool = False  # takes class labels (needs a labelled dataset)
    gradient_penalty: bool = False
    make_gan: GanFactory | None = None
    session: SessionFactory | None = None

    def __post_init__(self) -> None:
        unknown = sorted(k for k in self.data_kinds if k not in KINDS)
        if not self.data_kinds or unknown:
            raise ValueError(
                f"model {self.name!r}: data kinds must be some of {', '.join(KINDS.names())}"
                + (f", not {', '.join(unknown)}" if unknown else "")
            )

    def accepts(self, kind: str) -> bool:
        return kind in self.data_kinds

    def output_range(self, kind: str) -> Range | None:
        """The generator's output range on data of ``kind`` (None: no scaling)."""
        return self.data_kinds[kind]

    @property
    def main_kind(self) -> str:
        """The kind of data the model is meant for."""
        return next(iter(self.data_kinds))


MODELS: Table[ModelEntry] = Table("model")


def register_model(entry: ModelEntry, *, replace: bool = False) -> ModelEntry:
    """Add a model to the table; ``replace=True`` swaps an existing one."""
    return MODELS.register(entry.name, entry, replace=replace)


def unregister_model(name: str) -> None:
    MODELS.unregister(name)


def get_model(name: str) -> ModelEntry:
    """The model called ``name``; raises :class:`~ganstudio.core.tables.UnknownName`."""
    return MODELS.get(name)


def model_names() -> tuple[str, ...]:
    return MODELS.names()


def models_for(kind: str) -> list[ModelEntry]:
    """The models that train on data of ``kind``, those meant for it first."""
    entries = MODELS.entries()
    meant = [e for e in entries if e.main_kind == kind]
    return meant + [e for e in entries if e.accepts(kind) and e.main_kind != kind]
