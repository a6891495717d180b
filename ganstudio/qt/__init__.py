"""The desktop GUI: the only package that imports PySide6.

superqt (the window's throttle and debounce helpers) imports Qt through qtpy; ``QT_API``
makes qtpy pick PySide6 even where another binding is installed, also in the frozen app.
"""

import os

os.environ.setdefault("QT_API", "pyside6")
