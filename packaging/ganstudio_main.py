"""The frozen app's entry script (see ganstudio/frozen.py for what it dispatches)."""

from ganstudio.frozen import main

raise SystemExit(main())
