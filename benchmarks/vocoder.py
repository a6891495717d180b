"""Vocoder benchmark: speed, quality against the phase-reconstruction inverter, listening.

1. Training: ``melgan`` (its defaults) through the real :class:`Trainer` on part of the
   shared speech (``voice/kal_000`` … ``kal_079``) and, separately, on 90 % of the shared
   drums (every 10th file held out), each for ``--minutes`` of wall time on this machine,
   with a checkpoint every ``--every`` steps; the wall time of every checkpoint (since the
   run's start event) goes to ``WORK/<data>/times.json``.
2. Quality on the held-out clips (voice: ``kal_080`` … ``kal_099`` and ``voice.mp3``;
   drums: the held-out files): the generator of the last checkpoint before each of
   ``--marks`` minutes resynthesises every clip; multi-resolution STFT distance (the
   training loss's three resolutions: spectral convergence + mean |log magnitude
   difference|, lower is better) and mel spectral convergence of the result, next to our
   phase-reconstruction inverter (PGHI + 8 fast Griffin-Lim iterations) given the mel
   power of the same bands, FFT size and hop.
3. Carry-over: the voice vocoder on speech it never heard (``espeak-ng`` sentences, two
   voices) and on the held-out drums, against the inverter.
4. Speed at 16 kHz: seconds of audio per second of wall time of the final voice vocoder
   (windows of 256 frames, batch 2, after warm-up; the generator alone and the whole
   resynthesis with analysis), and of the inverter, in the same run.
5. Listening: WAVs of the original, the inverter and the vocoder at every mark for a few
   held-out clips, written to ``--out`` (not the repository).

    python benchmarks/vocoder.py --out /tmp/vocoder-bench [--minutes 60] [--marks 5,20,60]
        [--data voice,drums] [--work /tmp/vocoder-work] [--evaluate-only]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from ganstudio.core.audio.io import find_audio_files, load_audio, save_wav
from ganstudio.core.checkpoints import checkpoint_path, generator_weights
from ganstudio.core.config import TrainConfig
from ganstudio.core.vocoder.options import VocoderOptions
from ganstudio.core.vocoder.quality import (
    invert_with_phase_reconstruction,
    mel_spectral_convergence,
    mr_stft_distance,
)

SHARED = Path(os.environ.get("GANSTUDIO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
VOICE = SHARED / "data" / "voice"
DRUMS = SHARED / "data" / "drums"
SENTENCES = (
    "The old lighthouse keeper counted seven ships before the fog rolled in.",
    "Please bring the green notebook to the meeting on Thursday afternoon.",
    "A curious fox jumped over the frozen stream and vanished into the pines.",
)


def split(data: str) -> tuple[list[Path], list[Path]]:
    """(training files, held-out files) of a data set."""
    if data == "voice":
        clips = sorted(VOICE.glob("kal_*.flac"))
        held = [*clips[80:], VOICE / "voice.mp3"]
        return clips[:80], held
    files = find_audio_files(DRUMS)
    return [f for i, f in enumerate(files) if i % 10 != 9], files[9::10]


def link_folder(files: list[Path], root: Path, folder: Path) -> None:
    """A folder of symbolic links to ``files`` (their sub-folders kept): the training set."""
    if folder.exists():
        shutil.rmtree(folder)
    for f in files:
        target = folder / f.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(f)


def train(data: str, work: Path, minutes: float, every: int) -> Path:
    """Train melgan for ``minutes`` through the real Trainer; returns the run folder."""
    from ganstudio.core.control import RunControl
    from ganstudio.core.trainer import Trainer

    train_files, _ = split(data)
    folder = work / data / "train"
    link_folder(train_files, VOICE if data == "voice" else DRUMS, folder)
    config = TrainConfig.from_dict(
        {
            "model": "melgan",
            "dataset": f"audio:{folder}",
            "steps": 10_000_000,
            "checkpoint_every": every,
            "keep_checkpoints": 100_000,
            "sample_every": 2000,
            "log_every": 50,
            "tensorboard": False,
        }
    )
    config.options = {**config.options, "holdout": 0}  # the held-out clips are outside
    config.validate()
    control = RunControl()
    times: dict[str, float] = {}
    started: list[float] = []
    run_dir = work / data / "run"
    if run_dir.exists():
        shutil.rmtree(run_dir)

    def emit(event) -> None:
        name = type(event).__name__
        if name == "Started":
            started.append(time.perf_counter())
            threading.Timer(minutes * 60, control.stop).start()
            print(f"[{data}] training started: {event.device}; {'; '.join(event.notes)}")
        elif name == "CheckpointSaved" and started:
            times[str(event.step)] = time.perf_counter() - started[0]
            (work / data / "times.json").write_text(json.dumps(times))
        elif name == "StepMetrics" and event.step % 1000 == 0:
            e = event.extra
            print(
                f"[{data}] step {event.step} at {time.perf_counter() - started[0]:.0f} s: "
                f"sc {e['stft_sc']:.3f} mag {e['stft_mag']:.3f} d {event.d_loss:.3f}",
                flush=True,
            )
        elif name == "Failed":
            print(f"[{data}] failed: {event.message}")

    final = Trainer(config, run_dir=run_dir, emit=emit, control=control).run()
    print(f"[{data}] {type(final).__name__} at step {final.step}")
    return run_dir


def generator_at(run: Path, step: int):
    """The run's generator with the weights of its checkpoint at ``step``."""
    from ganstudio.core.rundir import RunDir
    from ganstudio.core.vocoder.networks import melgan_generator

    config = RunDir(run).read_config()
    o = VocoderOptions.from_options(config.options)
    mel = o.mel()
    g = melgan_generator(mel.n_mels, mel.hop_length, channels=o.channels, depth=o.depth)
    _, weights = generator_weights(checkpoint_path(run / "checkpoints", step))
    for var, value in zip(g.weights, weights, strict=True):
        var.assign(value)
    return g, mel


def checkpoint_for(times: dict[str, float], minute: float) -> tuple[int, float] | None:
    """The last checkpoint saved before ``minute`` minutes: (step, seconds)."""
    before = [(int(s), t) for s, t in times.items() if t <= minute * 60 + 1]
    return max(before) if before else None


def score(clips: dict[str, np.ndarray], make, mel) -> tuple[float, float, dict]:
    """Mean MR-STFT distance and mel SC of ``make(x)`` over the clips, and the outputs."""
    outs, mr, sc = {}, [], []
    for name, x in clips.items():
        y = make(x)
        outs[name] = y
        mr.append(mr_stft_distance(x, y))
        sc.append(mel_spectral_convergence(x, y, mel))
    return float(np.mean(mr)), float(np.mean(sc)), outs


def load_clips(files: list[Path], sr: int) -> dict[str, np.ndarray]:
    """Held-out clips, mono at ``sr``, peak-normalised to 0.95 (as training data)."""
    clips = {}
    for f in files:
        try:
            x, _ = load_audio(f, mono=True, sample_rate=sr)
        except ValueError:
            continue
        peak = float(np.abs(x).max())
        if peak > 1e-6 and len(x) >= 2048:
            clips[f.stem] = (x * (0.95 / peak)).astype(np.float32)
    return clips


def espeak_clips(folder: Path, sr: int) -> dict[str, np.ndarray]:
    """Sentences spoken by espeak-ng (two voices), if it is installed."""
    if shutil.which("espeak-ng") is None:
        print("espeak-ng is not installed: no unseen-speaker test (apt-get install espeak-ng)")
        return {}
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i, text in enumerate(SENTENCES):
        voice = "en-us" if i % 2 == 0 else "en+f3"
        path = folder / f"espeak_{i}_{voice.replace('+', '_')}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), text], check=True)
        files.append(path)
    return load_clips(files, sr)


def evaluate(data: str, work: Path, out: Path, marks: list[float], results: dict) -> None:
    from ganstudio.core.vocoder.vocoder import MelVocoder

    run = work / data / "run"
    times = json.loads((work / data / "times.json").read_text())
    _, held = split(data)
    _, mel = generator_at(run, max(int(s) for s in times))
    clips = load_clips(held, mel.sample_rate)
    inv_mr, inv_sc, inv_out = score(clips, lambda x: invert_with_phase_reconstruction(x, mel), mel)
    entry = {"clips": len(clips), "inverter": {"mr_stft": inv_mr, "mel_sc": inv_sc}, "marks": []}
    print(f"\n[{data}] {len(clips)} held-out clips; inverter: MR-STFT {inv_mr:.3f}, ", end="")
    print(f"mel SC {inv_sc:.3f}")
    listen = sorted(clips)[:3] + (["voice"] if "voice" in clips else [])
    voc = None
    for name in listen:
        save_wav(out / f"{data}-{name}.original.wav", clips[name], mel.sample_rate)
        save_wav(out / f"{data}-{name}.inverter.wav", inv_out[name], mel.sample_rate)
    for minute in marks:
        found = checkpoint_for(times, minute)
        if found is None:
            continue
        step, seconds = found
        g, _ = generator_at(run, step)
        voc = MelVocoder(g, mel)
        mr, sc, outs = score(clips, lambda x, v=voc: v.resynthesize(x, mel.sample_rate), mel)
        entry["marks"].append(
            {"minutes": minute, "step": step, "seconds": seconds, "mr_stft": mr, "mel_sc": sc}
        )
        print(
            f"[{data}] {minute:g} min (step {step}, checkpoint at {seconds / 60:.1f} min): "
            f"MR-STFT {mr:.3f}, mel SC {sc:.3f}"
        )
        for name in listen:
            save_wav(out / f"{data}-{name}.vocoder-{minute:g}min.wav", outs[name], mel.sample_rate)
    results[data] = entry
    if data == "voice" and voc is not None:
        carry_over(voc, mel, work, out, results)
        speed(voc, clips, mel, results)


def carry_over(voc, mel, work: Path, out: Path, results: dict) -> None:
    """The final voice vocoder on an unseen speaker (espeak-ng) and on the held-out drums."""
    sets = {"espeak-ng": espeak_clips(work / "espeak", mel.sample_rate)}
    sets["drums"] = load_clips(split("drums")[1], mel.sample_rate)
    results["carry_over"] = {}
    for name, clips in sets.items():
        if not clips:
            continue
        v_mr, v_sc, v_out = score(clips, lambda x: voc.resynthesize(x, mel.sample_rate), mel)
        i_mr, i_sc, i_out = score(clips, lambda x: invert_with_phase_reconstruction(x, mel), mel)
        results["carry_over"][name] = {
            "clips": len(clips),
            "vocoder": {"mr_stft": v_mr, "mel_sc": v_sc},
            "inverter": {"mr_stft": i_mr, "mel_sc": i_sc},
        }
        print(
            f"[voice vocoder on {name}] {len(clips)} clips: vocoder MR-STFT {v_mr:.3f} / mel SC "
            f"{v_sc:.3f}; inverter {i_mr:.3f} / {i_sc:.3f}"
        )
        for clip in sorted(clips)[:2]:
            save_wav(out / f"unseen-{name}-{clip}.original.wav", clips[clip], mel.sample_rate)
            save_wav(out / f"unseen-{name}-{clip}.inverter.wav", i_out[clip], mel.sample_rate)
            save_wav(out / f"unseen-{name}-{clip}.vocoder.wav", v_out[clip], mel.sample_rate)


def speed(voc, clips: dict[str, np.ndarray], mel, results: dict, seconds: float = 60.0) -> None:
    """Seconds of 16 kHz audio made per second: generator alone, whole resynthesis, inverter."""
    from ganstudio.core.audio.vocoder_mel import log_mel_frames

    x = np.concatenate(list(clips.values()))
    reps = int(np.ceil(seconds * mel.sample_rate / len(x)))
    x = np.tile(x, reps)[: int(seconds * mel.sample_rate)]
    frames = log_mel_frames(x, mel)
    voc.render(frames[:600])  # warm-up: traces the windows' shape
    invert_with_phase_reconstruction(x[:32000], mel)

    def best(fn) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return min(times)

    t_gen = best(lambda: voc.render(frames))
    t_all = best(lambda: voc.resynthesize(x, mel.sample_rate))
    t_inv = best(lambda: invert_with_phase_reconstruction(x, mel))
    results["speed"] = {
        "audio_seconds": seconds,
        "generator_x_realtime": seconds / t_gen,
        "resynthesis_x_realtime": seconds / t_all,
        "inverter_x_realtime": seconds / t_inv,
    }
    print(
        f"\nspeed at {mel.sample_rate} Hz ({seconds:.0f} s of audio, best of 3): generator "
        f"{seconds / t_gen:.1f}x real time, whole resynthesis {seconds / t_all:.1f}x, "
        f"phase-reconstruction inverter {seconds / t_inv:.1f}x"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", type=Path, required=True, help="folder for the WAVs and results")
    p.add_argument("--work", type=Path, default=Path("/tmp/vocoder-bench-work"))
    p.add_argument("--minutes", type=float, default=60.0)
    p.add_argument("--marks", default="5,20,60")
    p.add_argument("--every", type=int, default=250, help="checkpoint every N steps")
    p.add_argument("--data", default="voice,drums")
    p.add_argument("--evaluate-only", action="store_true", help="reuse WORK's runs")
    args = p.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    marks = [float(m) for m in args.marks.split(",")]
    datasets = [d.strip() for d in args.data.split(",") if d.strip()]
    results: dict = {"load": os.getloadavg(), "cpus": os.cpu_count()}
    if not args.evaluate_only:
        for data in datasets:
            train(data, args.work, args.minutes, args.every)
    for data in datasets:
        evaluate(data, args.work, args.out, marks, results)
    results["load_after"] = os.getloadavg()
    (args.out / "results.json").write_text(json.dumps(results, indent=2))
    print(f"\nresults and WAVs in {args.out}; load average {results['load_after']}")


if __name__ == "__main__":
    main()
