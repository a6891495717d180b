"""PyInstaller runtime hook of GAN Studio's frozen app: runs before the app's own code.

The TensorFlow profiler plugin (90 MB) is not bundled, but ``import tensorflow`` imports
the profiler client, which imports it. This stub takes its place; using the profiler
client raises a clear error instead.
"""

import sys
import types


def _unavailable(*_args, **_kwargs):
    raise RuntimeError("the TensorFlow profiler client is not part of GAN Studio's app")


_stub = types.ModuleType("tensorflow.python.profiler.internal._pywrap_profiler_plugin")
_stub.trace = _unavailable
_stub.monitor = _unavailable
sys.modules[_stub.__name__] = _stub
