"""Named tables (models, data sources, losses) and the plugins that extend them.

Each concept GAN Studio offers a choice of lives in one :class:`Table`: the config, the
command line, the window and the training session read it, so adding an entry is the
only change a new model, data source or loss needs.

Third-party packages add entries through an entry point in the group
``ganstudio.plugins``, e.g. in their ``pyproject.toml``::

    [project.entry-points."ganstudio.plugins"]
    melgan = "ganstudio_melgan:register"

The object it names is loaded once, the first time any table is listed or asked for a
name it does not hold; a callable is then called with no arguments (a module that
registers on import needs none). A plugin that fails is skipped with a warning.
Registering is meant to happen before work starts; lookups may come from any thread.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from importlib import import_module
from typing import Generic, TypeVar

PLUGIN_GROUP = "ganstudio.plugins"

#: Built-in entries registered the way a plugin is, because their code lives in a layer
#: above the tables (MelGAN's row sits with the vocoder it trains); loaded first.
BUILT_IN_PLUGINS = ("ganstudio.core.vocoder.model_row",)

T = TypeVar("T")

_plugin_lock = threading.RLock()
_plugins_loaded = False


class UnknownName(LookupError):
    """A table holds no entry of that name; the message lists the names it holds."""


def load_plugins() -> list[str]:
    """Load every ``ganstudio.plugins`` entry point, once; return the names loaded now."""
    global _plugins_loaded
    with _plugin_lock:
        if _plugins_loaded:
            return []
        _plugins_loaded = True  # first: a plugin may read a table while it registers
        from importlib import metadata  # only when a table is first listed

        for name in BUILT_IN_PLUGINS:
            import_module(name)  # registers on import; a failure here is a bug, not a plugin's
        loaded = []
        for ep in metadata.entry_points(group=PLUGIN_GROUP):
            try:
                target = ep.load()
                if callable(target):
                    target()
            except Exception as exc:  # a broken plugin must not stop the program
                warnings.warn(
                    f"GAN Studio plugin {ep.name!r} ({ep.value}) failed to load: {exc}",
                    RuntimeWarning,
                    stacklevel=2,
                )
                continue
            loaded.append(ep.name)
        return loaded


class Table(Generic[T]):
    """Entries by name, in the order they were registered (the order lists show)."""

    def __init__(self, what: str) -> None:
        self.what = what  # "model", "data source", ... for messages
        self._entries: dict[str, T] = {}

    def register(self, name: str, entry: T, *, replace: bool = False) -> T:
        """Add ``entry`` as ``name``; an existing name needs ``replace=True``."""
        if not name or not isinstance(name, str):
            raise ValueError(f"a {self.what} needs a name, not {name!r}")
        if name in self._entries and not replace:
            raise ValueError(f"a {self.what} named {name!r} is already registered")
        self._entries[name] = entry
        return entry

    def unregister(self, name: str) -> None:
        """Remove ``name`` (no error if it is not there)."""
        self._entries.pop(name, None)

    def get(self, name: str) -> T:
        """The entry called ``name``; raises :class:`UnknownName` listing the known names."""
        if name in self:
            return self._entries[name]
        raise UnknownName(f"{self.what} must be one of {', '.join(self.names())}, not {name!r}")

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        if name not in self._entries:
            load_plugins()
        return name in self._entries

    def names(self) -> tuple[str, ...]:
        load_plugins()
        return tuple(self._entries)

    def entries(self) -> tuple[T, ...]:
        load_plugins()
        return tuple(self._entries.values())

    def __iter__(self) -> Iterator[T]:
        return iter(self.entries())
