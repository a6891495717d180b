"""How long ``ganstudio train`` takes to stop after SIGTERM (Slurm's grace is 30 s by default).

Starts the default run (DCGAN on the bundled digits) into a temporary folder, sends SIGTERM
as soon as the log reaches each of ``--at`` steps (step 100 is the first sample step, when
the first quality evaluation, with its one-off reference statistics, has just started on
the metrics thread), and prints the seconds from the signal to the process's exit, with the
step and state the run folder then holds.

    .venv/bin/python benchmarks/stop_on_sigterm.py --at 101 160
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def logged_step(run: Path) -> int:
    try:
        lines = (run / "metrics.jsonl").read_text().splitlines()
    except OSError:
        return 0
    steps = [json.loads(ln).get("step", 0) for ln in lines if ln.strip().startswith("{")]
    return max([s for s in steps if isinstance(s, int)], default=0)


def one(at: int, extra: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp) / "run"
        env = dict(os.environ, GANSTUDIO_HOME=str(Path(tmp) / "home"))
        args = ["train", "--run-dir", str(run), "--steps", "100000", "--quiet"]
        proc = subprocess.Popen(
            [sys.executable, "-m", "ganstudio", *args, "--log-every", "1", *extra],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        while logged_step(run) < at:
            if proc.poll() is not None:
                raise SystemExit(proc.stderr.read()[-2000:])
            time.sleep(0.02)
        sent = time.perf_counter()
        proc.send_signal(signal.SIGTERM)
        err = proc.communicate(timeout=600)[1]
        seconds = time.perf_counter() - sent
        state = json.loads((run / "state.json").read_text())
        print(
            f"SIGTERM at step {at}: exit {proc.returncode} after {seconds:.1f} s; "
            f"state {state['status']} at step {state['step']}; "
            f"checkpoints {sorted(p.name for p in (run / 'checkpoints').glob('ckpt_*'))}"
        )
        if proc.returncode != 143:
            print(err[-2000:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--at", type=int, nargs="+", default=[101, 160])
    parser.add_argument("extra", nargs="*", help="more `ganstudio train` options")
    args = parser.parse_args()
    for at in args.at:
        one(at, args.extra)


if __name__ == "__main__":
    main()
