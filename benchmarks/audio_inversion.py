"""Audio benchmark, in one run.

1. Mel -> audio: GAN Studio's fast Griffin-Lim (``ganstudio.core.audio.inversion``)
   against ``librosa.feature.inverse.mel_to_audio`` on the same mel spectrograms of real
   1-second drum clips (16 kHz, n_fft 1024, hop 128, 128 mel bands, librosa's default
   32 iterations), both warmed up, calls interleaved so both see the same machine load.
   Prints the median time per clip, the speed ratio and the spectral convergence (SC,
   lower is better) of both: in the mel domain (the input mel vs the mel of the result)
   and in the linear STFT domain (the original clip vs the result).
2. Fréchet distance on mel-band statistics between real drum spectrograms and those of
   (a) an untrained SpecGAN generator and (b) the same generator after a short training
   run through the real :class:`ganstudio.core.trainer.Trainer`.

    python benchmarks/audio_inversion.py [--clips 8] [--rounds 3] [--iters 8,16,32]
                                         [--train-steps 150] [--batch 16]
                                         [--no-train] [--no-inversion]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from ganstudio.core.audio.features import MelParams, fit_length
from ganstudio.core.audio.inversion import mel_to_audio
from ganstudio.core.audio.io import find_audio_files
from ganstudio.core.audio.warmup import warm_up
from ganstudio.core.data.audio_folder import load_clip
from ganstudio.core.metrics.mel_distance import frechet_mel_distance, spectral_convergence

SHARED = Path(os.environ.get("GANSTUDIO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
SR, N_FFT, HOP, N_MELS = 16000, 1024, 128, 128


def drum_clips(folder: Path, n: int, seed: int) -> list[np.ndarray]:
    """``n`` real drum sounds, 1 s at 16 kHz (onset first, zero-padded), peak 0.9."""
    files = find_audio_files(folder)
    order = np.random.default_rng(seed).permutation(len(files))
    clips = []
    for i in order:
        try:
            clips.append(load_clip(files[i], MelParams(clip_samples=SR, n_frames=SR // HOP + 1)))
        except ValueError:
            continue
        if len(clips) == n:
            break
    return clips


def inversion(clips: list[np.ndarray], rounds: int, iters: list[int]) -> None:
    import librosa

    kw = dict(sr=SR, n_fft=N_FFT, hop_length=HOP)
    mels = [librosa.feature.melspectrogram(y=y, n_mels=N_MELS, **kw) for y in clips]
    t0 = time.perf_counter()
    warm_up()
    librosa.feature.inverse.mel_to_audio(mels[0], **kw)
    mel_to_audio(mels[0], SR, n_fft=N_FFT, hop_length=HOP)
    print(f"warm-up (numba compilation, both): {time.perf_counter() - t0:.1f} s")

    def scs(clip: np.ndarray, mel: np.ndarray, out: np.ndarray) -> tuple[float, float]:
        out = fit_length(out, len(clip))
        mel_out = librosa.feature.melspectrogram(y=out, n_mels=N_MELS, **kw)
        lin = np.abs(librosa.stft(clip, n_fft=N_FFT, hop_length=HOP))
        lin_out = np.abs(librosa.stft(out, n_fft=N_FFT, hop_length=HOP))
        return spectral_convergence(np.sqrt(mel), np.sqrt(mel_out)), spectral_convergence(
            lin, lin_out
        )

    names = ["librosa (32 it)"] + [f"ours ({n} it)" for n in iters]
    times: dict[str, list[float]] = {k: [] for k in names}
    quality: dict[str, list[tuple[float, float]]] = {k: [] for k in names}
    for r in range(rounds):
        for clip, mel in zip(clips, mels, strict=True):
            t = time.perf_counter()
            out = librosa.feature.inverse.mel_to_audio(mel, **kw)
            times[names[0]].append(time.perf_counter() - t)
            if r == 0:
                quality[names[0]].append(scs(clip, mel, out))
            for name, n_iter in zip(names[1:], iters, strict=True):
                t = time.perf_counter()
                out = mel_to_audio(mel, SR, n_fft=N_FFT, hop_length=HOP, n_iter=n_iter)
                times[name].append(time.perf_counter() - t)
                if r == 0:
                    quality[name].append(scs(clip, mel, out))
    batch = np.stack(mels)
    t = time.perf_counter()
    mel_to_audio(batch, SR, n_fft=N_FFT, hop_length=HOP, n_iter=iters[0])
    batch_per_clip = (time.perf_counter() - t) / len(mels)

    base = statistics.median(times[names[0]])
    print(
        f"\nmel -> audio, {len(clips)} real 1-second drum clips x {rounds} rounds "
        f"({SR} Hz, n_fft {N_FFT}, hop {HOP}, {N_MELS} mels)"
    )
    print(f"{'method':<18}{'median ms/clip':>16}{'speed-up':>10}{'SC mel':>9}{'SC linear':>11}")
    for name in names:
        med = statistics.median(times[name])
        sc_mel, sc_lin = np.mean(quality[name], axis=0)
        print(f"{name:<18}{med * 1e3:>16.2f}{base / med:>9.1f}x{sc_mel:>9.4f}{sc_lin:>11.4f}")
    print(
        f"ours ({iters[0]} it), batch of {len(mels)}: {batch_per_clip * 1e3:.2f} ms/clip "
        f"({base / batch_per_clip:.1f}x)"
    )


def frechet_after_training(drums: Path, steps: int, batch: int) -> None:
    import keras

    from ganstudio.core.config import TrainConfig
    from ganstudio.core.data.audio_folder import load_audio_dataset
    from ganstudio.core.generator import LoadedGenerator
    from ganstudio.core.models.specgan import specgan_generator
    from ganstudio.core.trainer import Trainer

    real = load_audio_dataset(drums)
    config = TrainConfig(model="specgan").with_model_defaults()
    config.dataset = f"audio:{drums}"
    config.steps, config.batch_size, config.n_critic = steps, batch, 5
    config.sample_every, config.checkpoint_every = steps, steps
    config.log_every, config.num_samples, config.tensorboard = 10, 16, False
    config.validate()
    rng = np.random.default_rng(123)
    z = rng.standard_normal((256, config.latent_dim)).astype(np.float32)

    keras.utils.set_random_seed(config.seed)
    untrained = specgan_generator(config.latent_dim, real.example_shape)
    fake0 = (np.asarray(untrained.predict(z, verbose=0)) + 1.0) / 2.0

    with tempfile.TemporaryDirectory() as root:
        t = time.perf_counter()
        trainer = Trainer(config, runs_root=root)
        final = trainer.run()
        took = time.perf_counter() - t
        if type(final).__name__ != "Finished":
            print(f"\ntraining failed: {final}")
            return
        gen = LoadedGenerator.load(trainer.run_dir)
        fake1 = gen.generate(z, None)
    fd0 = frechet_mel_distance(real.x, fake0)
    fd1 = frechet_mel_distance(real.x, fake1)
    print(
        f"\nFréchet distance on mel-band statistics vs {len(real)} real drum spectrograms "
        f"(256 generated each, [0, 1] normalised spectrograms):"
    )
    print(f"  untrained SpecGAN generator: {fd0:8.3f}")
    print(
        f"  after {steps} WGAN-GP steps (batch {batch}, 5 critic updates each): {fd1:8.3f}"
        f"   (run took {took:.0f} s)"
    )
    print(f"  real vs real (two halves):   {frechet_mel_distance(real.x[::2], real.x[1::2]):8.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--iters", default="8,16,32", help="our Griffin-Lim iteration counts")
    parser.add_argument("--train-steps", type=int, default=150)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--no-train", action="store_true")
    parser.add_argument("--no-inversion", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    drums = SHARED / "data" / "drums"
    if not args.no_inversion:
        inversion(
            drum_clips(drums, args.clips, args.seed),
            args.rounds,
            [int(v) for v in args.iters.split(",")],
        )
    if not args.no_train:
        frechet_after_training(drums, args.train_steps, args.batch)


if __name__ == "__main__":
    main()
