"""Run folders: listing, interrupted runs, tailing metrics that are still being written."""

from __future__ import annotations

import json
import subprocess
import sys

from ganstudio.config import TrainConfig
from ganstudio.core.checkpoints import latest_checkpoint, list_checkpoints
from ganstudio.core.rundir import RunDir, list_runs


def test_numbered_folders_and_interrupted_runs(tmp_path):
    a = RunDir.create(tmp_path, TrainConfig(dataset="npz:/x/My Data.npz"))
    b = RunDir.create(tmp_path, TrainConfig(model="mlp", dataset="toy:ring"))
    assert a.path.name == "00001-dcgan-my-data-npz" and b.path.name == "00002-mlp-ring"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    a.write_state("running", 5, 10)
    state = json.loads(a.state_path.read_text())
    state["pid"] = int(dead)
    a.state_path.write_text(json.dumps(state))
    b.write_state("running", 1, 10)  # this process: still alive
    statuses = {r.path.name: r.status for r in list_runs(tmp_path)}
    assert statuses == {a.path.name: "interrupted", b.path.name: "running"}


def test_read_metrics_tails_complete_lines_only(tmp_path):
    run = RunDir.create(tmp_path, TrainConfig())
    with open(run.metrics_path, "w") as f:
        f.write('{"step": 1}\n{"step": 2}\n{"step": 3, "d_lo')  # a writer mid-line
    records, offset = run.read_metrics()
    assert [r["step"] for r in records] == [1, 2]
    with open(run.metrics_path, "a") as f:
        f.write('ss": 1.0}\n{"step": 4}\n')
    records, offset2 = run.read_metrics(offset)
    assert [r["step"] for r in records] == [3, 4] and offset2 > offset
    assert run.read_metrics(offset2) == ([], offset2)


def test_half_written_checkpoint_is_ignored(tmp_path):
    ckpts = tmp_path / "checkpoints"
    ckpts.mkdir()
    (ckpts / "ckpt_0000010.npz").write_bytes(b"complete")
    (ckpts / ".ckpt_0000020.npz.123.tmp").write_bytes(b"half")  # a crash mid-write
    assert latest_checkpoint(ckpts).name == "ckpt_0000010.npz"
    assert len(list_checkpoints(ckpts)) == 1
