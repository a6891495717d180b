"""Downloads that can be stopped and never leave a partial file behind.

Blocking: call from a worker thread. The ``cancel`` callable is asked between chunks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from urllib.request import urlopen

from ganstudio.core.atomic import atomic_file
from ganstudio.core.control import raise_if_cancelled

DOWNLOAD_TIMEOUT_S = 60.0  # a stalled connection fails instead of hanging
DOWNLOAD_CHUNK = 1 << 20


def download(
    url: str, dest: Path, sha256: str | None = None, cancel: Callable[[], bool] | None = None
) -> Path:
    """Fetch ``url`` into ``dest`` through a temporary file beside it, asking ``cancel``
    between chunks. Nothing is left behind when it fails or is cancelled; a SHA-256
    mismatch is an error. Blocking: call it from a worker thread."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response, atomic_file(dest) as out:
        while True:
            raise_if_cancelled(cancel)
            chunk = response.read(DOWNLOAD_CHUNK)
            if not chunk:
                break
            digest.update(chunk)
            out.write(chunk)
        if sha256 and digest.hexdigest() != sha256:
            raise OSError(f"{url} arrived damaged (its SHA-256 checksum does not match)")
    return dest
