"""A text progress bar for headless training: an event sink for :class:`Trainer`."""

from __future__ import annotations

import time
from typing import TextIO

from ganstudio.core import events as ev
from ganstudio.core.metrics.measures import METRICS


def format_eta(seconds: float) -> str:
    """``1:05:09`` / ``4:07`` style remaining time; ``--`` when unknown."""
    if not seconds or seconds != seconds or seconds < 0 or seconds > 1e8:
        return "--"
    s = round(seconds)
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def progress_text(step: int, total: int, epoch: float, steps_per_sec: float) -> str:
    """The window's progress line: step, epoch, speed and time left."""
    eta = (total - step) / steps_per_sec if steps_per_sec > 0 and total > step else 0.0
    parts = [f"step {step}/{total}", f"epoch {epoch:.2f}", f"{steps_per_sec:.1f} steps/s"]
    parts.append(f"ETA {format_eta(eta)}" if step < total else "done")
    return " · ".join(parts)


def eval_summary(event: ev.EvalMetrics) -> str:
    """One line of an evaluation's main numbers, e.g. ``FD 12.3 · KID 0.010 · …``."""
    parts = []
    for metric in METRICS:
        key = metric.name
        value = event.values.get(key) if metric.short else None
        if value is None:
            continue
        text = f"{value:.3g}" if isinstance(value, float) else str(value)
        if key == "modes_covered" and "modes_total" in event.values:
            text += f"/{event.values['modes_total']}"
        parts.append(f"{metric.short} {text}")
    best = " (best so far)" if event.best else ""
    return f"{event.extractor}: " + " · ".join(parts) + best


class ProgressPrinter:
    """Prints one updating progress line (at most ~4 times a second) and notable events."""

    def __init__(self, stream: TextIO, enabled: bool = True, width: int = 24) -> None:
        self.stream = stream
        self.enabled = enabled
        self.width = width
        self.total = 0
        self._last = 0.0
        self._tty = hasattr(stream, "isatty") and stream.isatty()

    def _line(self, text: str, final: bool = False) -> None:
        if self._tty:
            self.stream.write("\r\033[K" + text + ("\n" if final else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.Started):
            self.total = event.total_steps
            what = "resuming" if event.step else "training"
            self._line(
                f"{what} {event.config['model']} on {event.config['dataset']} "
                f"({event.device}) → {event.run_dir}",
                final=True,
            )
            for note in event.notes:
                self._line(f"  {note}", final=True)
        elif isinstance(event, ev.StepMetrics) and self.enabled:
            now = time.monotonic()
            interval = 0.25 if self._tty else 10.0
            if now - self._last < interval and event.step < self.total:
                return
            self._last = now
            frac = event.step / max(1, self.total)
            bar = "#" * int(frac * self.width)
            eta = (self.total - event.step) / event.steps_per_sec if event.steps_per_sec else -1
            self._line(
                f"step {event.step}/{self.total} [{bar:{self.width}}] {frac:4.0%}  "
                f"D {event.d_loss:.3f}  G {event.g_loss:.3f}  "
                f"{event.steps_per_sec:.1f} steps/s  data wait {event.data_wait_ms:.1f} ms  "
                f"ETA {format_eta(eta)}"
            )
        elif isinstance(event, ev.EvalMetrics) and self.enabled:
            self._line(f"step {event.step}: {eval_summary(event)}", final=True)
        elif isinstance(event, ev.HealthWarning):
            self._line(f"warning at step {event.step}: {event.message}", final=True)
        elif isinstance(event, ev.CheckpointSaved) and not self._tty and self.enabled:
            self._line(f"checkpoint at step {event.step}: {event.path}")
        elif isinstance(event, ev.Finished):
            more = f" ({event.message})" if event.message else ""
            self._line(
                f"{event.reason} at step {event.step}{more}; run folder: {event.run_dir}",
                final=True,
            )
        elif isinstance(event, ev.Failed):
            self._line(f"failed at step {event.step}: {event.message}", final=True)
