"""The real window training real GANs through the real engine (tiny settings)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent

from ganstudio.core.checkpoints import checkpoint_path, list_checkpoints
from ganstudio.core.config import TrainConfig
from ganstudio.core.events import Paused
from ganstudio.core.rundir import RunDir
from ganstudio.core.trainer import Trainer
from ganstudio.qt.main_window import MainWindow
from tests.qt.conftest import error_boxes

TIMEOUT = 180_000  # ms: the first run in a process imports TensorFlow and traces the model


def tiny(mnist_npz: Path, **changes) -> TrainConfig:
    values = dict(
        dataset=f"npz:{mnist_npz}",
        model="mlp",
        steps=100_000,
        batch_size=16,
        dataset_limit=256,
        latent_dim=2,
        lr_g=1e-3,
        lr_d=1e-3,
        sample_every=10,
        checkpoint_every=40,
        log_every=1,
        num_samples=16,
        tensorboard=False,
    )
    values.update(changes)
    return TrainConfig(**values)


def parked(after: int = -1):
    """A ``waitSignal`` check on the training controller's ``event``: the run parked at a
    step later than ``after``."""
    return lambda event: isinstance(event, Paused) and event.step > after


def last_step(w: MainWindow) -> int:
    return w.train_view.loss_plot.series.last_step


def test_train_pause_resume_stop_reopen_and_resume(window, qtbot, mnist_npz):
    tv = window.train_view
    tv.panel.set_config(tiny(mnist_npz))
    tv.panel.set_dataset(f"npz:{mnist_npz}")  # pick a dataset
    window.start_action.trigger()
    assert tv.running and not window.start_action.isEnabled()
    qtbot.waitUntil(lambda: last_step(window) >= 15 and bool(tv.grid_view.steps), timeout=TIMEOUT)
    assert tv.current_run and Path(tv.current_run, "config.json").is_file()
    qtbot.waitUntil(lambda: "steps/s" in tv.controls.label.text(), timeout=5000)
    assert "/" in tv.controls.label.text() and tv.controls.bar.value() >= 1

    with qtbot.waitSignal(tv.session.event, check_params_cb=parked(), timeout=10000) as p:
        window.pause_action.trigger()
    assert window.pause_action.text() == "Resume"
    at = p.args[0].step
    assert last_step(window) <= at  # the run's metrics arrive before its Paused

    # one step while paused; the run then parks again, and says so after that step's metrics
    with qtbot.waitSignal(tv.session.event, check_params_cb=parked(at), timeout=10000) as p:
        window.step_action.trigger()
    assert p.args[0].step == at + 1 and last_step(window) == at + 1

    window.pause_action.trigger()  # resume
    qtbot.waitUntil(lambda: last_step(window) >= at + 10, timeout=30000)

    window.stop_action.trigger()
    qtbot.waitUntil(lambda: not tv.running, timeout=60000)
    run = tv.current_run
    state = RunDir(run).read_state()
    assert state["status"] == "stopped"
    stopped_at = state["step"]
    assert list_checkpoints(RunDir(run).checkpoints_dir)

    # reopen the run in a fresh view state
    tv.loss_plot.clear()
    tv.grid_view.clear()
    with qtbot.waitSignal(tv.run_opened, timeout=60000):
        assert tv.open_run(run)
    assert tv.loss_plot.series.last_step == stopped_at
    assert len(tv.grid_view.steps) >= 2
    assert window.resume_run_action.isEnabled()
    assert window.settings.recent_runs()[0] == str(Path(run).resolve())

    window.resume_run_action.trigger()
    qtbot.waitUntil(lambda: last_step(window) >= stopped_at + 5, timeout=TIMEOUT)
    window.stop_action.trigger()
    qtbot.waitUntil(lambda: not tv.running, timeout=60000)
    assert RunDir(run).read_state()["step"] > stopped_at


def test_step_before_start_trains_exactly_one_step(window, qtbot, mnist_npz):
    tv = window.train_view
    tv.panel.set_config(tiny(mnist_npz))
    window.step_action.trigger()
    qtbot.waitUntil(lambda: len(tv.grid_view.steps) >= 1, timeout=TIMEOUT)
    assert last_step(window) == 1 and tv.grid_view.steps == [1]  # stepping shows each step
    with qtbot.waitSignal(tv.session.event, check_params_cb=parked(1), timeout=20000) as p:
        window.step_action.trigger()
    assert p.args[0].step == 2  # parked again after exactly one more step
    assert last_step(window) == 2 and tv.running and tv.paused
    window.stop_action.trigger()
    qtbot.waitUntil(lambda: not tv.running, timeout=60000)


def test_toy_set_shows_points_over_the_discriminator_heat_map(window, qtbot, mnist_npz):
    from ganstudio.core.data import DataError, load_dataset

    try:
        load_dataset("toy:ring", limit=64)
    except DataError as exc:
        pytest.skip(f"the engine cannot load toy sets on this branch yet: {exc}")
    tv = window.train_view
    tv.panel.set_config(tiny(mnist_npz, dataset="toy:ring", batch_size=64, sample_every=5))
    window.start_action.trigger()
    qtbot.waitUntil(lambda: tv.toy_view.updates >= 2, timeout=TIMEOUT)
    assert tv.samples.currentWidget() is tv.toy_view
    assert tv.toy_view.heat.get_visible() and tv.toy_view.heat.get_array().ndim == 2
    assert tv.toy_view.real.get_offsets().shape[0] > 0
    assert tv.toy_view.fake.get_offsets().shape[1] == 2
    window.stop_action.trigger()
    qtbot.waitUntil(lambda: not tv.running, timeout=60000)


def test_worker_error_shows_message_and_window_keeps_working(window, qtbot, tmp_path, mnist_npz):
    tv = window.train_view
    tv.panel.set_config(tiny(Path(), dataset=f"npz:{tmp_path / 'missing.npz'}"))
    window.start_action.trigger()
    qtbot.waitUntil(lambda: not tv.running, timeout=TIMEOUT)
    assert tv.last_error and "missing.npz" in tv.last_error
    assert any("missing.npz" in text for text in error_boxes(window))
    assert "missing.npz" in window.statusBar().currentMessage()
    assert window.start_action.isEnabled()
    tv.panel.set_dataset(f"npz:{mnist_npz}")
    window.start_action.trigger()
    qtbot.waitUntil(lambda: last_step(window) >= 3, timeout=TIMEOUT)
    window.stop_action.trigger()
    qtbot.waitUntil(lambda: not tv.running, timeout=60000)


def _train_until_step_3(window, qtbot, mnist_npz) -> str:
    window.train_view.panel.set_config(tiny(mnist_npz, checkpoint_every=100_000))
    window.start_action.trigger()
    qtbot.waitUntil(lambda: last_step(window) >= 3, timeout=TIMEOUT)
    return window.train_view.current_run


def _checkpoint_at_stop(run: str) -> Path:
    state = RunDir(run).read_state()
    assert state["status"] == "stopped"
    return checkpoint_path(RunDir(run).checkpoints_dir, state["step"])


def test_close_while_training_shows_progress_then_closes_with_checkpoint(
    window, qtbot, mnist_npz, answer_yes
):
    tv = window.train_view
    run = _train_until_step_3(window, qtbot, mnist_npz)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    assert not window.close()  # not yet: the run is stopping, the event loop keeps running
    assert answer_yes and "Stop training" in answer_yes[0]
    dialog = window.stop_on_close.dialog
    assert dialog is not None and dialog.isVisible() and "checkpoint" in dialog.labelText()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=60000)
    timer.stop()
    assert tv.session is None  # the training thread has ended
    assert ticks  # timers fired while the checkpoint was written
    assert _checkpoint_at_stop(run).is_file()


def test_second_close_request_closes_at_once_and_the_run_still_saves(
    window, qtbot, mnist_npz, answer_yes
):
    tv = window.train_view
    run = _train_until_step_3(window, qtbot, mnist_npz)
    assert not window.close()
    assert window.close()  # the second request stops waiting
    assert not window.isVisible() and window.stop_on_close.gave_up
    qtbot.waitUntil(lambda: tv.session is None, timeout=60000)
    assert _checkpoint_at_stop(run).is_file()


def test_watch_a_run_written_by_a_headless_trainer(window, qtbot, mnist_npz, tmp_path, file_reads):
    run = tmp_path / "headless-run"
    config = tiny(mnist_npz, steps=400, sample_every=20, log_every=5)
    headless = Trainer(config, run_dir=run)
    thread = threading.Thread(target=headless.run, name="headless-trainer")
    thread.start()
    try:
        qtbot.waitUntil(lambda: (run / "config.json").is_file(), timeout=TIMEOUT)
        with qtbot.waitSignal(window.train_view.run_opened, timeout=60000):
            assert window.train_view.open_run(str(run), watch=True)
        window.train_view.watcher.timer.setInterval(200)
        qtbot.waitUntil(lambda: last_step(window) >= 100, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: len(window.train_view.grid_view.steps) >= 3, timeout=60000)
        assert window.unwatch_action.isEnabled() and window.start_action.isEnabled() is not False
        assert file_reads and threading.main_thread().name not in file_reads  # read on a worker
    finally:
        headless.control.stop()
        thread.join(120)
    window.unwatch_action.trigger()
    assert not window.train_view.watching


def test_drop_npz_sets_dataset_and_drop_run_opens_it(window, qtbot, mnist_npz, tmp_path):
    def drop(path: Path) -> None:
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        event = QDropEvent(
            QPointF(50, 50),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        window.dropEvent(event)

    drop(mnist_npz)
    assert window.train_view.panel.dataset_spec() == f"npz:{mnist_npz}"
    run = tmp_path / "r"
    Trainer(tiny(mnist_npz, steps=12, sample_every=6), run_dir=run).run()
    with qtbot.waitSignal(window.train_view.run_opened, timeout=60000):
        drop(run)
    assert window.train_view.current_run == str(run)
    assert window.train_view.grid_view.steps == [6, 12]


def test_a_folder_held_by_a_cli_run_opens_to_watch_and_start_is_refused(window, qtbot, tmp_path):
    import os
    import signal
    import socket
    import subprocess
    import sys

    from tests.conftest import ROOT

    run = tmp_path / "cli-run"
    ring = ("--dataset", "toy:ring", "--model", "mlp", "--batch-size", "64", "--log-every", "5")
    long = ("--steps", "1000000", "--checkpoint-every", "1000000", "--quiet")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ganstudio", "train", *ring, *long, "--run-dir", str(run)],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        stderr=subprocess.PIPE,
        text=True,
    )
    tv = window.train_view
    try:
        qtbot.waitUntil(lambda: RunDir(run).read_metrics()[0] != [], timeout=TIMEOUT)
        window.open_path(run)  # as a double-click or a drop: not asked to watch
        qtbot.waitUntil(lambda: tv.watching, timeout=TIMEOUT)
        owner = f"process {proc.pid} on {socket.gethostname()}"
        assert tv.run_writer == owner
        assert owner in tv.controls.label.text()
        assert not window.resume_run_action.isEnabled()
        assert not window.start_training()  # the Start action's slot
        assert tv.session is None and owner in (tv.last_error or "")
        assert not window.resume_run()
        qtbot.waitUntil(lambda: last_step(window) >= 10, timeout=TIMEOUT)  # it follows the run
        qtbot.waitUntil(lambda: tv.controls.step >= 10, timeout=TIMEOUT)
        assert owner in tv.controls.label.text()  # the progress line still names the writer
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=TIMEOUT / 1000) == 143
        qtbot.waitUntil(lambda: tv.run_writer == "", timeout=TIMEOUT)  # the lock was freed
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    assert RunDir(run).read_state()["status"] == "stopped"
    tv.stop_watching()
    assert window.start_training()  # a new run of its own, now that it watches nothing
