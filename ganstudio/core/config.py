"""Training configuration: one dataclass, validated, with a JSON round-trip.

The same config drives the command line and the window, and is saved in every run
folder as ``config.json`` so a run can be resumed or inspected later.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from ganstudio.core.atomic import atomic_write_text
from ganstudio.core.augment import AUGMENTS
from ganstudio.core.distribute import STRATEGIES, parse_devices
from ganstudio.core.losses import get_loss, loss_names
from ganstudio.core.metrics.extractors import selectable_extractors
from ganstudio.core.metrics.measures import AUTO, metric_names
from ganstudio.core.models.model_table import MODELS, get_model, model_names
from ganstudio.core.tables import UnknownName

IMAGE_SIZES = (28, 32, 64, 128)


class ConfigError(ValueError):
    """A configuration value is invalid; the message says which and why."""


@dataclass
class TrainConfig:
    """Everything needed to start (or restart) a training run."""

    dataset: str = "digits"
    model: str = "dcgan"
    steps: int = 1500
    epochs: float | None = None  # if set, overrides ``steps`` once the dataset size is known
    batch_size: int = 64
    latent_dim: int = 64
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    beta1: float = 0.5
    beta2: float = 0.999
    loss: str = "bce"
    n_critic: int = 1
    gp_weight: float = 10.0
    image_size: int = 28
    channels: int = 1
    sample_every: int = 100
    checkpoint_every: int = 500
    keep_checkpoints: int = 3
    log_every: int = 10
    num_samples: int = 64
    seed: int = 0
    mixed_precision: bool = False
    strategy: str = "auto"  # tf.distribute: auto | default | mirrored | multiworker
    devices: str = ""  # all visible; a count ("2") or names ("GPU:0,GPU:1")
    xla: bool = False  # compile the training step with XLA (jit_compile)
    tensorboard: bool = True
    dataset_limit: int | None = None  # use at most this many examples (quick tries, tests)
    eval_every: int | None = None  # quality metrics every N steps; None: auto (≤ 5 %), 0: off
    eval_samples: int = 1000  # generated samples (and real ones) per evaluation
    eval_extractor: str = "auto"  # features: auto | digit-classifier | inception-v3 | random-cnn
    best_metric: str = AUTO  # the best checkpoint's metric: auto (the extractor's) | fd | …
    augment: str = "none"  # differentiable augmentation before D: none | diffaugment
    ema_decay: float = 0.0  # > 0: sample from a moving average of G's weights (e.g. 0.999)
    options: dict[str, Any] = field(default_factory=dict)  # model-specific extras

    # ------------------------------------------------------------------ checks
    def validate(self) -> TrainConfig:
        """Raise :class:`ConfigError` naming the first invalid value; return self."""
        try:
            model, loss = get_model(self.model), get_loss(self.loss)
        except UnknownName as exc:
            raise ConfigError(str(exc)) from None
        positive_ints = (
            "steps",
            "batch_size",
            "latent_dim",
            "n_critic",
            "sample_every",
            "checkpoint_every",
            "keep_checkpoints",
            "log_every",
            "num_samples",
        )
        for name in positive_ints:
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"{name} must be a whole number of at least 1, not {value!r}")
        for name in ("lr_g", "lr_d"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and 0 < value < 1):
                raise ConfigError(f"{name} must be a number between 0 and 1, not {value!r}")
        for name in ("beta1", "beta2"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and 0 <= value < 1):
                raise ConfigError(f"{name} must be in [0, 1), not {value!r}")
        if self.epochs is not None and not self.epochs > 0:
            raise ConfigError(f"epochs must be positive, not {self.epochs!r}")
        if self.image_size not in IMAGE_SIZES:
            sizes = ", ".join(map(str, IMAGE_SIZES[:-1])) + f" or {IMAGE_SIZES[-1]}"
            raise ConfigError(f"image_size must be {sizes}, not {self.image_size!r}")
        if self.channels not in (1, 3):
            raise ConfigError(f"channels must be 1 or 3, not {self.channels!r}")
        if self.gp_weight < 0:
            raise ConfigError("gp_weight must not be negative")
        if self.dataset_limit is not None and self.dataset_limit < 1:
            raise ConfigError("dataset_limit must be at least 1")
        if not self.dataset:
            raise ConfigError("dataset must not be empty")
        if self.strategy not in STRATEGIES:
            raise ConfigError(f"strategy must be {', '.join(STRATEGIES)}, not {self.strategy!r}")
        try:
            parse_devices(self.devices)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        if self.eval_every is not None and (
            not isinstance(self.eval_every, int) or self.eval_every < 0
        ):
            raise ConfigError(
                f"eval_every must be a whole number (0 turns metrics off), not {self.eval_every!r}"
            )
        if not isinstance(self.eval_samples, int) or self.eval_samples < 50:
            raise ConfigError(f"eval_samples must be at least 50, not {self.eval_samples!r}")
        extractors = selectable_extractors()
        if self.eval_extractor not in ("auto", *extractors):
            raise ConfigError(
                f"eval_extractor must be auto or one of {', '.join(extractors)}, "
                f"not {self.eval_extractor!r}"
            )
        if self.best_metric not in (AUTO, *metric_names()):
            raise ConfigError(
                f"best_metric must be {AUTO} or one of {', '.join(metric_names())}, "
                f"not {self.best_metric!r}"
            )
        if not (isinstance(self.ema_decay, (int, float)) and 0 <= self.ema_decay < 1):
            raise ConfigError(f"ema_decay must be in [0, 1), not {self.ema_decay!r}")
        if self.augment not in AUGMENTS:
            raise ConfigError(f"augment must be one of {', '.join(AUGMENTS)}, not {self.augment!r}")
        if loss.gradient_penalty and self.gp_weight > 0 and not model.gradient_penalty:
            raise ConfigError(_no_penalty_message(self.model, self.loss))
        return self

    @property
    def uses_gradient_penalty(self) -> bool:
        """Whether training adds the gradient penalty: the loss needs one and its weight > 0."""
        return get_loss(self.loss).gradient_penalty and self.gp_weight > 0

    # ------------------------------------------------------------- round trip
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        """A config from ``data``; fields it leaves out take its model's defaults."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown config keys: {', '.join(unknown)}")
        model = data.get("model", cls.model)
        defaults = model_defaults(model) if isinstance(model, str) and model in MODELS else {}
        return cls(**{**defaults, **data})

    def to_json(self, path: str | Path) -> None:
        atomic_write_text(path, json.dumps(self.to_dict(), indent=2) + "\n")

    @classmethod
    def from_json(cls, path: str | Path, overrides: dict[str, Any] | None = None) -> TrainConfig:
        """Read a config file (``overrides`` replace its values; see :meth:`from_dict`)."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ConfigError(f"cannot read config {path}: {exc}") from exc
        if not isinstance(data, dict):
            raise ConfigError(f"config {path} must hold a JSON object")
        return cls.from_dict({**data, **(overrides or {})})

    def with_model_defaults(self) -> TrainConfig:
        """Return a copy whose untouched fields take the chosen model's defaults."""
        return replace(self, **model_defaults(self.model))


def model_defaults(model: str) -> dict[str, Any]:
    """The values that train ``model`` well (its entry in the model table). Sampling from
    the weight average is a model's choice: ``ema_decay`` is always among them (0: off)."""
    try:
        return {"ema_decay": 0.0, **get_model(model).defaults}
    except UnknownName as exc:
        raise ConfigError(str(exc)) from None


def _no_penalty_message(model: str, loss: str) -> str:
    """Why ``model`` cannot train with ``loss``, and what to choose instead."""
    entry = get_model(model)
    models = [
        name
        for name in model_names()
        if (other := get_model(name)).gradient_penalty
        and other.conditional == entry.conditional
        and set(entry.data_kinds) <= set(other.data_kinds)
    ]
    losses = [name for name in loss_names() if not get_loss(name).gradient_penalty]
    choices = [f"model {' or '.join(models)}"] if models else []
    choices += [f"loss {' or '.join(losses)}"] if losses else []
    return (
        f"model {model!r} cannot train with the {loss} loss: that loss needs a gradient "
        f"penalty, and the batch norm in {model}'s discriminator mixes the examples of a "
        "batch, which breaks the per-example gradient penalty. "
        f"Choose {', or '.join(choices)} instead."
    )


def _preset(model: str, **values: Any) -> dict[str, Any]:
    return {"model": model, **model_defaults(model), **values}


PRESETS: dict[str, dict[str, Any]] = {
    "Quick look (MLP, 2-D latent)": _preset("mlp", dataset="digits", steps=2000, batch_size=64),
    "DCGAN digits": _preset("dcgan", dataset="digits", steps=1500, batch_size=64),
    "WGAN-GP digits": _preset("wgan-gp", dataset="digits", steps=1500, batch_size=64),
    "Conditional digits": _preset("cgan", dataset="digits", steps=1500, batch_size=64),
    "Mode collapse: 8 Gaussians": _preset("mlp", dataset="toy:ring", steps=3000, batch_size=256),
}
