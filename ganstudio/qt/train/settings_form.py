"""The training settings form: dataset, model, preset and hyperparameters.

Every field is a spin box or a list with a valid range, so invalid values cannot be
typed; :meth:`TrainingPanel.config` still runs ``TrainConfig.validate()``. Choosing a
model loads ``model_defaults(model)``; choosing a preset loads its values. GUI thread only.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QSpinBox,
    QWidget,
)

from ganstudio.config import PRESETS, TrainConfig, model_defaults

GUI_MODELS = ("mlp", "dcgan", "wgan-gp", "cgan")
BUILTIN_DATASETS = (
    ("Built-in digits", "digits"),
    ("Toy 2-D: ring of 8 Gaussians", "toy:ring"),
    ("Toy 2-D: 5×5 grid of Gaussians", "toy:grid"),
    ("Toy 2-D: spiral", "toy:spiral"),
    ("MNIST", "mnist"),
    ("Fashion-MNIST", "fashion_mnist"),
    ("CIFAR-10", "cifar10"),
)
OPEN_NPZ = "<open-npz>"
OPEN_FOLDER = "<open-folder>"
CUSTOM = "Custom"


def dataset_label(spec: str) -> str:
    """A short name for a dataset spec shown in the list."""
    for label, known in BUILTIN_DATASETS:
        if spec == known:
            return label
    if spec.startswith("images:"):
        return f"Images: {Path(spec[7:]).name}"
    return f"File: {Path(spec.removeprefix('npz:')).name}"


def _spin(lo: int, hi: int, value: int, special: str | None = None) -> QSpinBox:
    box = QSpinBox()
    box.setRange(lo, hi)
    box.setValue(value)
    box.setAccelerated(True)
    if special:
        box.setSpecialValueText(special)
    return box


def _dspin(lo: float, hi: float, decimals: int, step: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setDecimals(decimals)
    box.setRange(lo, hi)
    box.setSingleStep(step)
    return box


class TrainingPanel(QWidget):
    """Form widgets for a :class:`TrainConfig`; ``config()`` reads, ``set_config()`` writes."""

    dataset_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._base = TrainConfig()
        self._last_dataset_index = 0
        self._loading = False
        self.preset = QComboBox()
        self.preset.addItems([CUSTOM, *PRESETS])
        self.dataset = QComboBox()
        for label, spec in BUILTIN_DATASETS:
            self.dataset.addItem(label, spec)
        self.dataset.insertSeparator(self.dataset.count())
        self.dataset.addItem("Open .npz…", OPEN_NPZ)
        self.dataset.addItem("Open image folder…", OPEN_FOLDER)
        self.model = QComboBox()
        self.model.addItems(GUI_MODELS)
        self.loss = QComboBox()
        self.loss.addItems(["bce", "wasserstein", "hinge"])
        self.latent_dim = _spin(1, 1024, 64)
        self.batch_size = _spin(1, 4096, 64)
        self.lr_g = _dspin(0.000001, 0.5, 6, 0.0001)
        self.lr_d = _dspin(0.000001, 0.5, 6, 0.0001)
        self.beta1 = _dspin(0.0, 0.999, 3, 0.05)
        self.beta2 = _dspin(0.0, 0.999, 3, 0.001)
        self.n_critic = _spin(1, 20, 1)
        self.steps = _spin(1, 10_000_000, 1500)
        self.sample_every = _spin(1, 1_000_000, 100)
        self.checkpoint_every = _spin(1, 10_000_000, 500)
        self.seed = _spin(0, 2**31 - 1, 0)
        self.image_size = QComboBox()
        self.image_size.addItems(["28", "32", "64"])
        self.channels = QComboBox()
        self.channels.addItems(["1", "3"])
        self.dataset_limit = _spin(0, 100_000_000, 0, special="all")
        form = QFormLayout(self)
        for label, widget in (
            ("Preset", self.preset),
            ("Dataset", self.dataset),
            ("Use examples", self.dataset_limit),
            ("Image size", self.image_size),
            ("Channels", self.channels),
            ("Model", self.model),
            ("Loss", self.loss),
            ("Latent size", self.latent_dim),
            ("Batch size", self.batch_size),
            ("Learning rate G", self.lr_g),
            ("Learning rate D", self.lr_d),
            ("Adam β1", self.beta1),
            ("Adam β2", self.beta2),
            ("D steps per G step", self.n_critic),
            ("Steps", self.steps),
            ("Sample every", self.sample_every),
            ("Checkpoint every", self.checkpoint_every),
            ("Seed", self.seed),
        ):
            form.addRow(label, widget)
        self.set_config(TrainConfig().with_model_defaults())
        self.preset.currentTextChanged.connect(self._preset_chosen)
        self.model.currentTextChanged.connect(self._model_chosen)
        self.dataset.currentIndexChanged.connect(self._dataset_chosen)

    # -- reading and writing -----------------------------------------------------------
    def config(self) -> TrainConfig:
        """The form as a validated TrainConfig (raises ConfigError with a readable text)."""
        limit = self.dataset_limit.value()
        cfg = replace(
            self._base,
            dataset=self.dataset_spec(),
            model=self.model.currentText(),
            loss=self.loss.currentText(),
            latent_dim=self.latent_dim.value(),
            batch_size=self.batch_size.value(),
            lr_g=self.lr_g.value(),
            lr_d=self.lr_d.value(),
            beta1=self.beta1.value(),
            beta2=self.beta2.value(),
            n_critic=self.n_critic.value(),
            steps=self.steps.value(),
            epochs=None,
            sample_every=self.sample_every.value(),
            checkpoint_every=self.checkpoint_every.value(),
            seed=self.seed.value(),
            image_size=int(self.image_size.currentText()),
            channels=int(self.channels.currentText()),
            dataset_limit=limit or None,
        )
        return cfg.validate()

    def set_config(self, cfg: TrainConfig) -> None:
        """Show ``cfg`` in the form (fields the form lacks are kept for ``config()``)."""
        self._loading = True
        try:
            self._base = cfg
            self.set_dataset(cfg.dataset)
            if cfg.model in GUI_MODELS:
                self.model.setCurrentText(cfg.model)
            self._apply_values(cfg.to_dict())
        finally:
            self._loading = False

    def _apply_values(self, values: dict) -> None:
        for name in (
            "latent_dim",
            "batch_size",
            "n_critic",
            "steps",
            "sample_every",
            "checkpoint_every",
            "seed",
        ):
            if name in values and values[name] is not None:
                getattr(self, name).setValue(int(values[name]))
        for name in ("lr_g", "lr_d", "beta1", "beta2"):
            if name in values and values[name] is not None:
                getattr(self, name).setValue(float(values[name]))
        if "loss" in values:
            self.loss.setCurrentText(values["loss"])
        if "image_size" in values:
            self.image_size.setCurrentText(str(values["image_size"]))
        if "channels" in values:
            self.channels.setCurrentText(str(values["channels"]))
        if "dataset_limit" in values:
            self.dataset_limit.setValue(int(values["dataset_limit"] or 0))

    def dataset_spec(self) -> str:
        spec = self.dataset.currentData()
        return spec if spec not in (OPEN_NPZ, OPEN_FOLDER, None) else "digits"

    def set_dataset(self, spec: str) -> None:
        """Select ``spec``, adding it to the list first if it is a file or folder."""
        self.dataset.blockSignals(True)
        try:
            index = self.dataset.findData(spec)
            if index < 0:
                index = self.dataset.findData(OPEN_NPZ) - 1  # before the separator
                self.dataset.insertItem(index, dataset_label(spec), spec)
                self.dataset.setItemData(index, spec, Qt.ItemDataRole.ToolTipRole)
            self.dataset.setCurrentIndex(index)
        finally:
            self.dataset.blockSignals(False)
        self._last_dataset_index = index
        self._dataset_set(spec)

    # -- reactions -----------------------------------------------------------------------
    def _preset_chosen(self, name: str) -> None:
        if name == CUSTOM or name not in PRESETS or self._loading:
            return
        values = PRESETS[name]
        self._loading = True
        try:
            if "dataset" in values:
                self.set_dataset(values["dataset"])
            self.model.setCurrentText(values.get("model", self.model.currentText()))
            self._apply_values(values)
        finally:
            self._loading = False

    def _model_chosen(self, model: str) -> None:
        if self._loading:
            return
        self._apply_values(model_defaults(model))
        self.preset.setCurrentText(CUSTOM)

    def _dataset_chosen(self, index: int) -> None:
        spec = self.dataset.itemData(index)
        if spec in (OPEN_NPZ, OPEN_FOLDER):
            spec = self._ask_path(spec)
            if not spec:
                self.dataset.setCurrentIndex(self._last_dataset_index)
                return
            self.set_dataset(spec)
            return
        self._last_dataset_index = index
        self._dataset_set(spec)

    def _dataset_set(self, spec: str) -> None:
        if not self._loading:
            if spec.startswith("toy:") and self.model.currentText() != "mlp":
                self.model.setCurrentText("mlp")
            if spec == "cifar10":
                self.image_size.setCurrentText("32")
                self.channels.setCurrentText("3")
            elif spec in ("digits", "mnist", "fashion_mnist"):
                self.image_size.setCurrentText("28")
                self.channels.setCurrentText("1")
        self.dataset_changed.emit(spec)

    def _ask_path(self, which: str) -> str:
        if which == OPEN_NPZ:
            path, _ = QFileDialog.getOpenFileName(
                self, "Open a dataset (.npz)", "", "NumPy archives (*.npz)"
            )
            return f"npz:{path}" if path else ""
        path = QFileDialog.getExistingDirectory(self, "Open an image folder")
        return f"images:{path}" if path else ""
