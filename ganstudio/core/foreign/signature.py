"""What a generator from anyone takes and makes, inferred from its shapes.

Inputs: one vector ``(d,)`` is a latent; a vector plus an integer ``()``/``(1,)`` input (or
a shorter float vector, read as a one-hot label) is a latent plus a class label; one 2-D
input ``(a, b)`` or ``(a, b, 1)`` is a spectrogram. Outputs: ``(h, w, 3)`` is an image,
``(h, w)``/``(h, w, 1)`` an image, or an image or a spectrogram (asked) when a side is
a usual mel-band count, ``(n,)``/``(n, 1)`` a waveform. The output range comes from the last
layer's activation (tanh: -1..1; sigmoid: 0..1) when it has one. A spectrogram's
orientation is read from a free (``None``) axis — frames — or from a usual mel-band count
(40, 64, 80, 96, 128, 256) on exactly one axis; otherwise it is asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ganstudio.core.kinds import IMAGES, WAVEFORM

USUAL_MEL_COUNTS = (40, 64, 80, 96, 128, 256)
INPUT_KINDS = ("latent", "latent+label", "spectrogram")
OUTPUT_KINDS = ("image", "spectrogram", "waveform")


SPECTROGRAM_INPUT = "spectrogram"  # the input_kind of a model that takes a spectrogram


@dataclass(frozen=True)
class Signature:
    """The inferred interface of a foreign generator; ``None`` fields must be asked."""

    input_kind: str
    output_kind: str | None  # None: image or spectrogram, ask
    input_shape: tuple  # of the main input (latent or spectrogram), without the batch axis
    output_shape: tuple
    latent_index: int = 0  # which model input is the latent / spectrogram
    latent_dim: int = 0
    label_form: str = ""  # "index" or "onehot" for latent+label models
    num_classes: int | None = 0  # None: unknown, ask
    output_range: tuple[float, float] | None = None  # None: unknown, ask
    layout: str | None = None  # "mels_frames" | "frames_mels" for spectrograms; None: ask

    def describe(self) -> str:
        what = {
            "latent": f"a latent vector of {self.latent_dim}",
            "latent+label": f"a latent vector of {self.latent_dim} and a class label",
            "spectrogram": f"a spectrogram {_shape(self.input_shape)}",
        }[self.input_kind]
        out = self.output_kind or "an image or a spectrogram"
        return f"takes {what}, makes {out} {_shape(self.output_shape)}"

    @property
    def takes_spectrogram(self) -> bool:
        """A spectrogram goes in (a vocoder), not a latent vector."""
        return self.input_kind == SPECTROGRAM_INPUT


def _shape(shape: tuple) -> str:
    return "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"


class SignatureError(ValueError):
    """The model's shapes are not those of a generator GAN Studio can use."""


def _dims(tensor: Any) -> tuple:
    return tuple(None if d is None else int(d) for d in tuple(tensor.shape)[1:])


def _is_int(tensor: Any) -> bool:
    return "int" in str(getattr(tensor, "dtype", "float"))


def _spectrogram_layout(shape: tuple) -> str | None:
    a, b = shape[0], shape[1]
    if a is None and b is not None:
        return "frames_mels"
    if b is None and a is not None:
        return "mels_frames"
    if a is None:
        return None
    a_mel, b_mel = a in USUAL_MEL_COUNTS, b in USUAL_MEL_COUNTS
    if a_mel != b_mel:
        return "mels_frames" if a_mel else "frames_mels"
    return None


def output_activation(config: dict[str, Any]) -> str | None:
    """The activation of the layer that makes the (first) output, from the model config."""
    cfg = config.get("config", {}) if isinstance(config, dict) else {}
    layers = cfg.get("layers") or []
    if not layers:
        return None
    target = layers[-1]
    outputs = cfg.get("output_layers")
    if outputs:
        first = outputs[0] if isinstance(outputs[0], list) else outputs
        by_name = {lay.get("config", {}).get("name"): lay for lay in layers}
        target = by_name.get(first[0], target)
    act = target.get("config", {}).get("activation")
    if isinstance(act, dict):
        act = act.get("config") if isinstance(act.get("config"), str) else act.get("class_name")
    return str(act).lower() if act else None


def _embedding_classes(config: dict[str, Any]) -> int | None:
    for layer in (config.get("config", {}) or {}).get("layers") or []:
        if layer.get("class_name") == "Embedding":
            return int(layer["config"]["input_dim"])
    return None


def infer_signature(model: Any, config: dict[str, Any]) -> Signature:
    """Infer a :class:`Signature` from a loaded Keras model and its JSON config."""
    inputs, outputs = list(model.inputs), list(model.outputs)
    if len(outputs) != 1:
        raise SignatureError(f"a generator has one output; this model has {len(outputs)}")
    out = _dims(outputs[0])
    act = output_activation(config)
    out_range = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}.get(act or "")
    if len(inputs) == 1 and len(_dims(inputs[0])) == 1 and not _is_int(inputs[0]):
        kind, index, dim, label_form, classes = "latent", 0, _dims(inputs[0])[0], "", 0
        in_shape = _dims(inputs[0])
    elif len(inputs) == 2:
        kind = "latent+label"
        a, b = _dims(inputs[0]), _dims(inputs[1])
        if len(a) > 1 or len(b) > 1:
            raise SignatureError("two inputs must be a latent vector and a class label")
        a_label = _is_int(inputs[0]) or a in ((), (1,)) or (not _is_int(inputs[1]) and a < b)
        index = 1 if a_label else 0
        label = inputs[1 - index]
        in_shape = _dims(inputs[index])
        dim = in_shape[0]
        if _is_int(label) or _dims(label) in ((), (1,)):
            label_form, classes = "index", _embedding_classes(config)
        else:
            label_form, classes = "onehot", _dims(label)[0]
    elif len(inputs) == 1 and len(_dims(inputs[0])) in (2, 3):
        in_shape = _dims(inputs[0])
        if len(in_shape) == 3 and in_shape[2] != 1:
            raise SignatureError(f"a spectrogram input has one channel, not {in_shape[2]}")
        kind, index, dim, label_form, classes = SPECTROGRAM_INPUT, 0, 0, "", 0
    else:
        shapes = ", ".join(_shape(_dims(t)) for t in inputs)
        raise SignatureError(
            f"cannot tell what this model takes ({shapes}): GAN Studio uses generators that "
            "take a latent vector, a latent vector and a label, or a spectrogram"
        )
    if dim is None:
        raise SignatureError("the latent vector's size is not fixed in this model")

    layout = None
    if len(out) == 1 or (len(out) == 2 and out[1] == 1):
        out_kind = WAVEFORM.foreign
    elif len(out) == 3 and out[2] == 3:
        out_kind = IMAGES.foreign
    elif len(out) in (2, 3) and (len(out) == 2 or out[2] == 1):
        maybe_mels = out[0] in USUAL_MEL_COUNTS or out[1] in USUAL_MEL_COUNTS
        out_kind = None if maybe_mels else IMAGES.foreign
        layout = _spectrogram_layout(out)
    else:
        raise SignatureError(f"cannot tell what this model makes {_shape(out)}")
    if kind == SPECTROGRAM_INPUT:
        if out_kind != WAVEFORM.foreign:
            raise SignatureError(
                f"this model takes a spectrogram and makes {_shape(out)}: only spectrogram -> "
                "waveform models (vocoders) are supported"
            )
        layout = _spectrogram_layout(in_shape)
    return Signature(
        kind, out_kind, in_shape, out, index, int(dim or 0), label_form, classes, out_range, layout
    )
