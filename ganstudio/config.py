"""Training configuration: one dataclass, validated, with a JSON round-trip.

The same config drives the command line and the window, and is saved in every run
folder as ``config.json`` so a run can be resumed or inspected later.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

MODELS = ("mlp", "dcgan", "wgan-gp", "cgan", "specgan")
LOSSES = ("bce", "wasserstein", "hinge")


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
    tensorboard: bool = True
    dataset_limit: int | None = None  # use at most this many examples (quick tries, tests)
    options: dict[str, Any] = field(default_factory=dict)  # model-specific extras

    # ------------------------------------------------------------------ checks
    def validate(self) -> TrainConfig:
        """Raise :class:`ConfigError` naming the first invalid value; return self."""
        if self.model not in MODELS:
            raise ConfigError(f"model must be one of {', '.join(MODELS)}, not {self.model!r}")
        if self.loss not in LOSSES:
            raise ConfigError(f"loss must be one of {', '.join(LOSSES)}, not {self.loss!r}")
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
        if self.image_size not in (28, 32, 64, 128):
            raise ConfigError(f"image_size must be 28, 32, 64 or 128, not {self.image_size!r}")
        if self.channels not in (1, 3):
            raise ConfigError(f"channels must be 1 or 3, not {self.channels!r}")
        if self.gp_weight < 0:
            raise ConfigError("gp_weight must not be negative")
        if self.dataset_limit is not None and self.dataset_limit < 1:
            raise ConfigError("dataset_limit must be at least 1")
        if not self.dataset:
            raise ConfigError("dataset must not be empty")
        return self

    # ------------------------------------------------------------- round trip
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown config keys: {', '.join(unknown)}")
        return cls(**data)

    def to_json(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, path: str | Path) -> TrainConfig:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ConfigError(f"cannot read config {path}: {exc}") from exc
        if not isinstance(data, dict):
            raise ConfigError(f"config {path} must hold a JSON object")
        return cls.from_dict(data)

    def with_model_defaults(self) -> TrainConfig:
        """Return a copy whose untouched fields take the chosen model's defaults."""
        return replace(self, **model_defaults(self.model))


def model_defaults(model: str) -> dict[str, Any]:
    """Hyperparameters that train each model well on a small CPU (see README)."""
    if model == "mlp":
        return dict(latent_dim=2, lr_g=1e-3, lr_d=1e-3, beta1=0.5, loss="bce", n_critic=1)
    if model == "wgan-gp":
        return dict(
            latent_dim=64,
            lr_g=2e-4,
            lr_d=2e-4,
            beta1=0.5,
            beta2=0.9,
            loss="wasserstein",
            n_critic=5,
            gp_weight=10.0,
        )
    if model == "cgan":
        return dict(latent_dim=64, lr_g=2e-4, lr_d=2e-4, beta1=0.5, loss="bce", n_critic=1)
    if model == "specgan":
        return dict(
            latent_dim=100,
            lr_g=1e-4,
            lr_d=1e-4,
            beta1=0.5,
            beta2=0.9,
            loss="wasserstein",
            n_critic=5,
            gp_weight=10.0,
            image_size=128,
            batch_size=32,
        )
    return dict(latent_dim=64, lr_g=2e-4, lr_d=2e-4, beta1=0.5, loss="bce", n_critic=1)


PRESETS: dict[str, dict[str, Any]] = {
    "Quick look (MLP, 2-D latent)": dict(
        model="mlp", dataset="digits", steps=2000, batch_size=64, **model_defaults("mlp")
    ),
    "DCGAN digits": dict(
        model="dcgan", dataset="digits", steps=1500, batch_size=64, **model_defaults("dcgan")
    ),
    "WGAN-GP digits": dict(
        model="wgan-gp", dataset="digits", steps=1500, batch_size=64, **model_defaults("wgan-gp")
    ),
    "Conditional digits": dict(
        model="cgan", dataset="digits", steps=1500, batch_size=64, **model_defaults("cgan")
    ),
    "Mode collapse: 8 Gaussians": dict(
        model="mlp",
        dataset="toy:ring",
        steps=3000,
        batch_size=256,
        latent_dim=2,
        lr_g=1e-3,
        lr_d=1e-3,
        beta1=0.5,
        loss="bce",
    ),
}
