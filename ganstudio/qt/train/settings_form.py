"""The training settings form: dataset, model, preset and hyperparameters.

The dataset, model and loss lists come from their tables (``core.data.source_table``,
``core.models.model_table``, ``core.losses``): each item shows a label and holds the name
(``currentData()``). Every field is a spin box or a list with a valid range, so invalid
values cannot be typed; :meth:`TrainingPanel.config` still runs ``TrainConfig.validate()``.
Choosing a model loads ``model_defaults(model)``; choosing a preset loads its values;
choosing data a model cannot train on switches to one that can. ``set_config`` then
``config`` gives back every field (those the form does not show are carried through).
The folded "Advanced" group (:mod:`.advanced`: strategy, devices, XLA, mixed precision)
keeps its values when a model or preset is chosen; its devices text is checked by
``validate()``. GUI thread only.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QSpinBox, QWidget

from ganstudio.core.augment import AUGMENTS
from ganstudio.core.config import IMAGE_SIZES, PRESETS, TrainConfig, model_defaults
from ganstudio.core.data.source_table import find_choice, source_kind
from ganstudio.core.kinds import kind_of
from ganstudio.core.losses import LOSSES
from ganstudio.core.models.model_table import MODELS, models_for
from ganstudio.qt.train.advanced import FIELDS as ADVANCED_FIELDS
from ganstudio.qt.train.advanced import AdvancedSettings
from ganstudio.qt.train.dataset_picker import DatasetPicker

CUSTOM = "Custom"
_INT_FIELDS = (
    "latent_dim",
    "batch_size",
    "n_critic",
    "steps",
    "sample_every",
    "checkpoint_every",
    "seed",
)
_FLOAT_FIELDS = ("lr_g", "lr_d", "beta1", "beta2")
_LIST_FIELDS = ("loss", "image_size", "channels", "augment")
_SHOWN = {
    "dataset",
    "model",
    "dataset_limit",
    "eval_every",
    *_INT_FIELDS,
    *_FLOAT_FIELDS,
    *_LIST_FIELDS,
    *ADVANCED_FIELDS,
}
AUTO = -1  # the eval-every box's value for "auto" (config: None); 0 is "off"


class EvalEveryBox(QSpinBox):
    """Steps between quality evaluations: "auto" (≤ 5 % of training time), "off" or N."""

    def __init__(self) -> None:
        super().__init__()
        self.setRange(AUTO, 10_000_000)
        self.setValue(AUTO)
        self.setToolTip(
            "Quality metrics (FID-style distance, precision/recall, …) every N steps; "
            "auto keeps their cost under 5 % of training time; off turns them off"
        )

    def textFromValue(self, value: int) -> str:
        return {AUTO: "auto", 0: "off"}.get(value, str(value))

    def valueFromText(self, text: str) -> int:
        text = text.strip().lower()
        if text in ("auto", "off"):
            return AUTO if text == "auto" else 0
        return int(text) if text.isdigit() else AUTO

    def validate(self, text: str, pos: int):
        t = text.strip().lower()
        if t.isdigit() or t in ("auto", "off"):
            return QValidator.State.Acceptable, text, pos
        if not t or "auto".startswith(t) or "off".startswith(t):
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos

    def config_value(self) -> int | None:
        return None if self.value() == AUTO else self.value()

    def set_config_value(self, value: int | None) -> None:
        self.setValue(AUTO if value is None else int(value))


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


def _select(box: QComboBox, value: Any, label: str | None = None) -> None:
    """Select the item holding ``value``, adding it (as ``label``) if the list lacks it."""
    index = box.findData(value)
    if index < 0:
        box.addItem(label or str(value), value)
        index = box.count() - 1
    box.setCurrentIndex(index)


class TrainingPanel(QWidget):
    """Form widgets for a :class:`TrainConfig`; ``config()`` reads, ``set_config()`` writes."""

    dataset_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._base = TrainConfig()  # the fields the form does not show
        self._loading = False
        self.preset = QComboBox()
        self.preset.addItems([CUSTOM, *PRESETS])
        self.dataset = DatasetPicker()
        self.model = QComboBox()
        for entry in MODELS:
            self.model.addItem(entry.label, entry.name)
            self.model.setItemData(
                self.model.count() - 1, entry.description, Qt.ItemDataRole.ToolTipRole
            )
        self.loss = QComboBox()
        for loss in LOSSES:
            self.loss.addItem(loss.label, loss.name)
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
        for size in IMAGE_SIZES:
            self.image_size.addItem(str(size), size)
        self.channels = QComboBox()
        for channels in (1, 3):
            self.channels.addItem(str(channels), channels)
        self.dataset_limit = _spin(0, 100_000_000, 0, special="all")
        self.advanced = AdvancedSettings()
        self.eval_every = EvalEveryBox()
        self.augment = QComboBox()
        for name, text in AUGMENTS.items():
            self.augment.addItem(name, name)
            self.augment.setItemData(self.augment.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
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
            ("Quality metrics every", self.eval_every),
            ("Augmentation", self.augment),
            ("Seed", self.seed),
        ):
            form.addRow(label, widget)
        form.addRow(self.advanced)
        self.set_config(TrainConfig().with_model_defaults())
        self.preset.currentTextChanged.connect(self._preset_chosen)
        self.model.currentIndexChanged.connect(self._model_chosen)
        self.dataset.chosen.connect(self._dataset_set)
        self.steps.valueChanged.connect(self._steps_edited)

    # -- reading and writing -----------------------------------------------------------
    def config(self) -> TrainConfig:
        """The form as a validated TrainConfig (raises ConfigError with a readable text)."""
        limit = self.dataset_limit.value()
        cfg = replace(
            self._base,
            dataset=self.dataset_spec(),
            model=self.model.currentData(),
            loss=self.loss.currentData(),
            **{name: getattr(self, name).value() for name in (*_INT_FIELDS, *_FLOAT_FIELDS)},
            image_size=self.image_size.currentData(),
            channels=self.channels.currentData(),
            dataset_limit=limit or None,
            **self.advanced.values(),
            augment=self.augment.currentData(),
            eval_every=self.eval_every.config_value(),
        )
        return cfg.validate()

    def set_config(self, cfg: TrainConfig) -> None:
        """Show ``cfg`` in the form; ``config()`` then returns it unchanged."""
        self._loading = True
        try:
            self._base = cfg
            self.set_dataset(cfg.dataset)
            self.select_model(cfg.model)
            self._apply_values(cfg.to_dict())
            self.dataset_limit.setValue(int(cfg.dataset_limit or 0))
        finally:
            self._loading = False

    def select_model(self, name: str) -> None:
        """Select the model called ``name`` (as choosing it in the list does)."""
        _select(self.model, name)

    def _apply_values(self, values: dict) -> None:
        """Show the shown fields of ``values``; keep the others for ``config()``."""
        for name in _INT_FIELDS:
            if values.get(name) is not None:
                getattr(self, name).setValue(int(values[name]))
        for name in _FLOAT_FIELDS:
            if values.get(name) is not None:
                getattr(self, name).setValue(float(values[name]))
        for name in _LIST_FIELDS:
            if name in values:
                _select(getattr(self, name), values[name])
        self.advanced.set_values(values)
        if "eval_every" in values:
            self.eval_every.set_config_value(values["eval_every"])
        known = {f.name for f in fields(TrainConfig)}
        hidden = {k: v for k, v in values.items() if k in known and k not in _SHOWN}
        if hidden:
            self._base = replace(self._base, **hidden)

    def dataset_spec(self) -> str:
        return self.dataset.spec()

    def set_dataset(self, spec: str) -> None:
        """Select ``spec`` (adding it to the list if it is a file or folder), as if chosen."""
        self.dataset.set_spec(spec)
        self._dataset_set(spec)

    # -- reactions -----------------------------------------------------------------------
    def _preset_chosen(self, name: str) -> None:
        if name == CUSTOM or name not in PRESETS or self._loading:
            return
        values = PRESETS[name]
        self._loading = True
        try:
            if "model" in values:
                self.select_model(values["model"])
            self._apply_values(values)
            if "dataset" in values:
                self.set_dataset(values["dataset"])
        finally:
            self._loading = False
        self._apply_choice_settings(self.dataset_spec())

    def _model_chosen(self, index: int) -> None:
        if self._loading or index < 0:
            return
        self._apply_values(model_defaults(self.model.itemData(index)))
        self.preset.setCurrentText(CUSTOM)

    def _steps_edited(self) -> None:
        if not self._loading and self._base.epochs is not None:
            self._base = replace(self._base, epochs=None)  # the steps typed now count

    def _dataset_set(self, spec: str) -> None:
        kind = source_kind(spec)
        shaped = kind is None or kind_of(kind).form_shape  # image size and channels apply
        self.image_size.setEnabled(shaped)
        self.channels.setEnabled(shaped)
        if not self._loading:
            name = self.model.currentData()
            model = MODELS.get(name) if name in MODELS else None
            if kind is not None and model is not None and not model.accepts(kind):
                fitting = models_for(kind)
                if fitting:
                    self.select_model(fitting[0].name)  # loads its defaults
            self._apply_choice_settings(spec)
        self.dataset_changed.emit(spec)

    def _apply_choice_settings(self, spec: str) -> None:
        choice = find_choice(spec)
        if choice is not None:
            self._apply_values(dict(choice.settings))
