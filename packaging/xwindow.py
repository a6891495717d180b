"""A real X server for checks of a built GAN Studio, with nothing but the standard library.

    python3 packaging/xwindow.py window [--timeout S] -- CMD [ARG...]
        start Xvfb, start CMD there, wait until a window titled "GAN Studio" is viewable,
        read the icon the window gives the window system (_NET_WM_ICON), stop CMD, print a
        JSON report (seconds to the window, icon sizes); exit 1 without window or icon.
    python3 packaging/xwindow.py run -- CMD [ARG...]
        start Xvfb, run CMD there to the end, exit with its code.

Needs Xvfb (xvfb), xdotool and xprop (x11-utils). Used by scripts/check_wheel.sh,
packaging/smoke_test.sh and benchmarks/startup_frozen.py.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

TITLE = "^GAN Studio"


@contextlib.contextmanager
def xvfb() -> Iterator[str]:
    """Start Xvfb on a display it finds free itself (-displayfd); yield ``":N"``; stop it."""
    exe = shutil.which("Xvfb")
    if exe is None:
        raise SystemExit("Xvfb is missing: apt-get install xvfb")
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        [
            exe,
            "-displayfd",
            str(write_end),
            "-screen",
            "0",
            "1280x860x24",
            "-nolisten",
            "tcp",
            "-noreset",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    with os.fdopen(read_end) as numbers:
        number = numbers.readline().strip()  # written once the server listens
    if not number.isdigit() or proc.poll() is not None:
        proc.kill()
        raise SystemExit("Xvfb did not start")
    try:
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(10)


def display_env(display: str) -> dict[str, str]:
    env = dict(os.environ, DISPLAY=display)
    for name in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    return env


def find_window(display: str) -> str | None:
    """The id of a viewable window whose title starts with "GAN Studio", or None."""
    out = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", TITLE],
        env=display_env(display),
        capture_output=True,
        text=True,
    )
    ids = out.stdout.split()
    return ids[0] if out.returncode == 0 and ids else None


def icon_sizes(display: str, window: str) -> list[int]:
    """Edge lengths of the icons the window set in _NET_WM_ICON."""
    out = subprocess.run(
        ["xprop", "-id", window, "_NET_WM_ICON"],
        env=display_env(display),
        capture_output=True,
        text=True,
    )
    return sorted({int(w) for w, h in re.findall(r"Icon \((\d+) x (\d+)\)", out.stdout) if w == h})


def time_to_window(cmd: list[str], display: str, timeout: float) -> dict:
    """Start ``cmd`` on ``display``; report when its window is viewable and its icon; stop it."""
    start = time.monotonic()
    proc = subprocess.Popen(
        cmd, env=display_env(display), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    report: dict = {"command": cmd}
    try:
        while True:
            window = find_window(display)
            if window is not None:
                report["seconds_to_window"] = round(time.monotonic() - start, 3)
                report["icon_sizes"] = icon_sizes(display, window)
                break
            if proc.poll() is not None or time.monotonic() - start > timeout:
                report["error"] = f"no window (exit code {proc.poll()})"
                break
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        proc.stderr.close()
    if "error" in report:
        report["stderr_tail"] = stderr[-2000:]
    report["ok"] = "error" not in report and bool(report.get("icon_sizes"))
    return report


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    split = argv.index("--") if "--" in argv else len(argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("window", "run"))
    parser.add_argument("--timeout", type=float, default=180)
    args = parser.parse_args(argv[:split])
    cmd = argv[split + 1 :]
    if not cmd:
        parser.error("give the command after --")
    with xvfb() as display:
        if args.mode == "run":
            return subprocess.run(cmd, env=display_env(display)).returncode
        report = time_to_window(cmd, display, args.timeout)
    print(json.dumps(report))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
