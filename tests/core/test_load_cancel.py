"""Stop while the data loads: loaders give up between files, the run ends stopped."""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.core import session as session_module
from ganstudio.core.audio.io import find_audio_files
from ganstudio.core.checkpoints import checkpoint_steps, list_checkpoints
from ganstudio.core.control import Cancelled, RunControl
from ganstudio.core.data import audio_folder as audio_dataset
from ganstudio.core.data import digits, images, load_dataset
from ganstudio.core.imaging import save_png
from ganstudio.core.rundir import RunDir
from ganstudio.core.trainer import Trainer
from tests.core.helpers import Recorder, small_config


class CountingCancel:
    """A ``cancel`` callable that turns True on its ``after``-th question."""

    def __init__(self, after: int) -> None:
        self.after, self.asked = after, 0

    def __call__(self) -> bool:
        self.asked += 1
        return self.asked >= self.after


def test_stop_while_the_drums_load_ends_the_run_stopped_before_any_network(
    drums_dir, tmp_path, monkeypatch
):
    control = RunControl()
    read: list[str] = []
    real_load_clip = audio_dataset.load_clip

    def load_clip(path, *args, **kwargs):
        read.append(str(path))
        if len(read) == 3:
            control.stop()  # the user presses Stop while the folder is being read
        return real_load_clip(path, *args, **kwargs)

    built: list[str] = []
    real_build = session_module.build_networks
    monkeypatch.setattr(audio_dataset, "load_clip", load_clip)
    monkeypatch.setattr(
        session_module, "build_networks", lambda *a, **k: built.append("G+D") or real_build(*a, **k)
    )
    rec = Recorder()
    config = small_config("specgan", dataset=f"audio:{drums_dir}", steps=5, batch_size=4)
    final = Trainer(config, run_dir=tmp_path / "run", emit=rec, control=control).run()

    assert (type(final).__name__, final.reason, final.step) == ("Finished", "stopped", 0)
    assert "nothing was saved" in final.message
    assert len(read) < len(find_audio_files(drums_dir)) // 2  # gave up early
    assert not built and not rec.of("Started") and not rec.of("CheckpointSaved")
    run = RunDir(tmp_path / "run")
    assert run.read_state()["status"] == "stopped"
    assert not list_checkpoints(run.checkpoints_dir)


def test_stop_before_loading_a_resumed_run_keeps_its_step(mnist_npz, tmp_path):
    from tests.core.helpers import tiny_config

    config = tiny_config(mnist_npz, "mlp", steps=4, checkpoint_every=4)
    first = Trainer(config, run_dir=tmp_path / "run").run()
    assert first.reason == "completed"
    control = RunControl()
    control.stop()
    config.steps = 8
    again = Trainer(config, run_dir=tmp_path / "run", resume=True, control=control).run()
    assert (again.reason, again.step) == ("stopped", 4)
    state = RunDir(tmp_path / "run").read_state()
    assert (state["status"], state["step"]) == ("stopped", 4)
    assert checkpoint_steps(RunDir(tmp_path / "run").checkpoints_dir) == [4]


def test_image_folder_loading_gives_up_between_files(tmp_path, monkeypatch):
    for i in range(40):
        save_png(np.full((8, 8), i / 40.0, np.float32), tmp_path / f"img{i:02d}.png")
    read: list[str] = []
    real_read = images.read_image
    monkeypatch.setattr(images, "read_image", lambda p, *a: read.append(p) or real_read(p, *a))
    with pytest.raises(Cancelled):
        load_dataset(f"images:{tmp_path}", cancel=CountingCancel(after=5))
    assert 0 < len(read) < 10
    assert len(load_dataset(f"images:{tmp_path}", cancel=lambda: False)) == 40


def test_audio_folder_loading_gives_up_between_chunks(drums_dir):
    cancel = CountingCancel(after=2)
    with pytest.raises(Cancelled):
        load_dataset(f"audio:{drums_dir}", cancel=cancel)
    assert cancel.asked == 2


def test_digit_generation_and_npz_reading_give_up_when_asked(mnist_npz, monkeypatch):
    drawn = CountingCancel(after=3)
    with pytest.raises(Cancelled):
        digits.generate_digits(5000, 28, seed=1, cancel=drawn)
    assert drawn.asked == 3
    with pytest.raises(Cancelled):
        load_dataset("digits:5000", cancel=lambda: True)
    with pytest.raises(Cancelled):
        load_dataset(f"npz:{mnist_npz}", cancel=lambda: True)


@pytest.fixture
def http_folder(tmp_path):
    """A folder served over HTTP on localhost (a download without the internet)."""
    import functools
    import http.server
    import threading

    served = tmp_path / "served"
    served.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(10)


def test_download_checks_its_hash_and_leaves_nothing_when_cancelled(http_folder, tmp_path):
    import hashlib

    from ganstudio.core.data.download import DOWNLOAD_CHUNK, download

    served, base = http_folder
    payload = np.random.default_rng(0).bytes(3 * DOWNLOAD_CHUNK + 17)
    (served / "set.npz").write_bytes(payload)
    sha = hashlib.sha256(payload).hexdigest()
    dest = tmp_path / "cache" / "set.npz"

    cancel = CountingCancel(after=2)  # after the first chunk
    with pytest.raises(Cancelled):
        download(f"{base}/set.npz", dest, sha, cancel)
    assert not dest.exists() and not list(dest.parent.iterdir())  # no partial file left

    with pytest.raises(OSError, match="checksum"):
        download(f"{base}/set.npz", dest, "0" * 64)
    assert not list(dest.parent.iterdir())

    assert download(f"{base}/set.npz", dest, sha).read_bytes() == payload
