"""Loading a Keras model file from anyone without running code from it.

A ``.keras`` file (a zip holding ``config.json``) or a legacy ``.h5`` file (its
``model_config`` attribute) describes the network as JSON. Before Keras sees it,
:func:`check_config` walks that JSON: every object it names must be a built-in Keras
class (layers, initializers, regularizers, constraints, dtype policies, models), and
``Lambda`` layers — which carry Python code, marshalled byte code included — are refused.
Then Keras loads it with ``safe_mode=True`` (which also refuses lambdas) and without
compiling. Every refusal is an :class:`UnsafeModelError` that names the offending layers
and says why. Blocking; call from a worker thread (Keras is imported here).
"""

from __future__ import annotations

import json
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL_SUFFIXES = (".keras", ".h5", ".hdf5")
_CODE_CLASSES = {"Lambda", "TFOpLambda", "SlicingOpLambda", "__lambda__"}
_SPECIAL = {
    "__keras_tensor__",
    "__tensor__",
    "__numpy__",
    "__tuple__",
    "__bytes__",
    "__typespec__",
    "__ellipsis__",
    "__slice__",
    "Functional",
    "Sequential",
    "Model",
    "InputLayer",
    "DTypePolicy",
    "Policy",
}


class UnsafeModelError(ValueError):
    """The file would need code from outside Keras to load; the message says which."""


@lru_cache(maxsize=1)
def _keras_names() -> frozenset[str]:
    import keras

    names: set[str] = set(_SPECIAL)
    for space in (
        keras.layers,
        keras.initializers,
        keras.regularizers,
        keras.constraints,
        keras.dtype_policies,
        keras.models,
        keras.optimizers,
        keras.losses,
        keras.metrics,
    ):
        names.update(n for n in dir(space) if n[:1].isupper())
    return frozenset(names)


def read_model_config(path: str | Path) -> dict[str, Any]:
    """The model's JSON description from a ``.keras`` or ``.h5`` file (no Keras needed).
    Raises ValueError naming the file when it is not a readable Keras model file."""
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no such file")
    suffix = p.suffix.lower()
    try:
        if suffix == ".keras" and zipfile.is_zipfile(p):
            with zipfile.ZipFile(p) as z:
                return json.loads(z.read("config.json"))
        if suffix in (".h5", ".hdf5"):
            import h5py

            with h5py.File(p, "r") as f:
                raw = f.attrs.get("model_config")
                if raw is None:
                    raise ValueError(
                        f"{p}: this HDF5 file holds no model description (only weights?); "
                        "save the whole model with model.save()"
                    )
                return json.loads(raw.decode("utf-8") if hasattr(raw, "decode") else raw)
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise ValueError(f"{p}: not a readable Keras model file ({exc})") from exc
    raise ValueError(f"{p}: not a Keras model file; expected a .keras file or a legacy .h5 file")


def _walk(node: Any, found_code: list[str], found_custom: list[str], layer: str) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, found_code, found_custom, layer)
        return
    if not isinstance(node, dict):
        return
    cls = node.get("class_name")
    config = node.get("config")
    if isinstance(cls, str):
        name = config.get("name", layer) if isinstance(config, dict) else layer
        module = node.get("module")
        registered = node.get("registered_name")
        label = f"{cls} ({name})" if name and name != cls else cls
        if cls in _CODE_CLASSES:
            found_code.append(label)
        elif cls == "function":
            if not str(module or "").startswith("keras"):
                found_custom.append(f"function {config!r}")
        elif (
            cls not in _keras_names()
            or (module is not None and not str(module).startswith("keras"))
            or (isinstance(registered, str) and ">" in registered)
        ):
            found_custom.append(label)
        layer = name if isinstance(name, str) else layer
    for key, value in node.items():
        if key not in ("class_name", "module", "registered_name"):
            _walk(value, found_code, found_custom, layer)


def check_config(config: dict[str, Any], path: str | Path = "the model") -> None:
    """Raise :class:`UnsafeModelError` if the config names Lambda layers or objects that
    are not part of Keras."""
    code: list[str] = []
    custom: list[str] = []
    _walk(config, code, custom, "")
    if code:
        raise UnsafeModelError(
            f"{path}: refused — it contains {', '.join(sorted(set(code)))}. A Lambda layer "
            "stores Python code that would run when the model loads; GAN Studio never runs "
            "code from a model file. Rebuild the generator with built-in Keras layers instead "
            "of Lambda layers and save it again."
        )
    if custom:
        raise UnsafeModelError(
            f"{path}: refused — it uses custom objects that are not part of Keras: "
            f"{', '.join(sorted(set(custom)))}. Loading them would need their Python code, "
            "and GAN Studio loads only built-in Keras layers (Keras safe mode). Rebuild the "
            "generator from built-in layers and save it again."
        )


def load_model_safely(path: str | Path) -> Any:
    """Check the file's config, then load it with Keras in safe mode, uncompiled."""
    p = Path(path)
    if p.suffix.lower() not in MODEL_SUFFIXES:
        raise ValueError(f"{p}: expected a .keras file or a legacy .h5 file")
    check_config(read_model_config(p), p.name)
    import keras

    try:
        return keras.saving.load_model(p, compile=False, safe_mode=True)
    except Exception as exc:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ValueError(f"{p}: Keras could not load this model ({text[:300]})") from exc
