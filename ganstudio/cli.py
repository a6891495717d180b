"""Command line: ``ganstudio`` opens the window; subcommands train and sample headless."""

from __future__ import annotations

import argparse
import difflib
import logging
import os
import secrets
import signal
import sys
import threading
from dataclasses import fields
from pathlib import Path

from ganstudio import __version__, cli_models
from ganstudio.core.augment import AUGMENTS
from ganstudio.core.checkpoints import latest_checkpoint_step, read_best
from ganstudio.core.cluster import find_cluster, write_tf_config
from ganstudio.core.config import IMAGE_SIZES, ConfigError, TrainConfig
from ganstudio.core.control import RunControl
from ganstudio.core.data.source_table import data_sources, spec_help
from ganstudio.core.distribute import STRATEGIES
from ganstudio.core.kinds import kind_of
from ganstudio.core.latent.sampling import write_samples
from ganstudio.core.latent.space import TRUNCATION_MAX
from ganstudio.core.losses import LOSSES
from ganstudio.core.metrics.extractors import selectable_extractors
from ganstudio.core.metrics.measures import AUTO, metric_label, metric_names
from ganstudio.core.models.model_table import MODELS
from ganstudio.core.monitoring.run_eval import evaluate_run
from ganstudio.core.progress import ProgressPrinter
from ganstudio.core.run_lock import RunLocked, lock_holder
from ganstudio.core.rundir import RunDir, default_runs_root, is_run_folder, list_runs
from ganstudio.core.trainer import Trainer, already_a_run, config_differences, other_settings
from ganstudio.logs import divert_native_stderr, setup_logging, verbose_requested

log = logging.getLogger(__name__)

# CLI flag → TrainConfig field, for flags that map one to one.
_FIELD_FLAGS = {
    f.name: "--" + f.name.replace("_", "-")
    for f in fields(TrainConfig)
    if f.name not in ("options", "tensorboard", "mixed_precision", "dataset_limit", "xla")
}


def _eval_every(text: str) -> int | str:
    """``auto``, ``off`` (0) or a whole number of steps."""
    if text in ("auto", "off"):
        return "auto" if text == "auto" else 0
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected auto, off or a number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def _checkpoint(text: str) -> str:
    if text in ("best", "latest", "export") or text.isdigit():
        return text
    raise argparse.ArgumentTypeError(f"expected best, latest, export or a step, not {text!r}")


def _add_train_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, help="a config.json to start from (flags override it)")
    p.add_argument(
        "--dataset",
        help=f"what to train on: {spec_help()} (default: digits)",
    )
    p.add_argument("--model", choices=MODELS.names(), help="the model (listed below)")
    p.add_argument("--loss", choices=LOSSES.names(), help="the loss (listed below)")
    p.add_argument("--steps", type=int)
    p.add_argument("--epochs", type=float, help="train this many passes (overrides --steps)")
    p.add_argument("--batch-size", type=int)
    p.add_argument("--latent-dim", type=int)
    p.add_argument("--lr-g", type=float, help="generator learning rate")
    p.add_argument("--lr-d", type=float, help="discriminator learning rate")
    p.add_argument("--beta1", type=float)
    p.add_argument("--beta2", type=float)
    p.add_argument("--n-critic", type=int, help="discriminator updates per generator update")
    p.add_argument("--gp-weight", type=float)
    p.add_argument("--image-size", type=int, choices=IMAGE_SIZES)
    p.add_argument("--channels", type=int, choices=(1, 3))
    p.add_argument("--sample-every", type=int)
    p.add_argument("--checkpoint-every", type=int)
    p.add_argument("--keep-checkpoints", type=int)
    p.add_argument("--log-every", type=int)
    p.add_argument("--num-samples", type=int)
    p.add_argument("--seed", type=int)
    p.add_argument("--limit", type=int, dest="dataset_limit", help="use at most N examples")
    p.add_argument(
        "--eval-every",
        type=_eval_every,
        help="quality metrics every N steps; auto (default) keeps them under 5%% of the "
        "training time; off (or 0) turns them off",
    )
    p.add_argument("--eval-samples", type=int, help="samples per evaluation (default 1000)")
    p.add_argument(
        "--eval-extractor",
        choices=("auto", *selectable_extractors()),
        help="features for the metrics (default auto: the digit classifier for digits, "
        "InceptionV3 if its weights are installed, else a fixed random CNN)",
    )
    p.add_argument(
        "--best-metric",
        choices=(AUTO, *metric_names()),
        help="the metric the best checkpoint is chosen by (default auto: the extractor's own, "
        "the Fréchet distance for images and sounds, modes covered for 2-D toy sets)",
    )
    p.add_argument(
        "--ema-decay",
        type=float,
        help="sample from a moving average of the generator's weights (e.g. 0.999; 0: off)",
    )
    p.add_argument(
        "--augment",
        choices=tuple(AUGMENTS),
        help="differentiable augmentation of every image the discriminator sees "
        "(diffaugment: for small data sets)",
    )
    p.add_argument(
        "--mixed-precision",
        action="store_true",
        default=None,
        help="float16 compute on a GPU that supports it",
    )
    _add_distribution_options(p)
    p.add_argument("--no-tensorboard", action="store_true", help="skip TensorBoard event files")
    p.add_argument(
        "--run-dir", type=Path, help="write the run here instead of a new numbered folder"
    )
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="--run-dir already holds a run: move it aside (RUN.old-TIMESTAMP) and start anew",
    )
    p.add_argument(
        "--resume-if-exists",
        action="store_true",
        help="--run-dir already holds a run of these settings: resume it (one command that "
        "starts or continues a run, e.g. in a requeued Slurm job)",
    )
    p.add_argument("--runs-root", type=Path, help="where new run folders go")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    cli_models.add_option_option(p)


def _add_distribution_options(p: argparse.ArgumentParser) -> None:
    """Where and how to train: strategy, devices, XLA, and this process's cluster role."""
    p.add_argument(
        "--strategy",
        choices=STRATEGIES,
        help="tf.distribute strategy (default auto: multiworker in a cluster, mirrored on "
        "several GPUs, else default); --batch-size is then the global batch",
    )
    p.add_argument("--devices", help="devices to train on: a count (2) or names (GPU:0,GPU:1)")
    p.add_argument(
        "--xla", action="store_true", default=None, help="compile the training step with XLA"
    )
    p.add_argument(
        "--cluster",
        metavar="HOST:PORT,...",
        help="the workers of a multi-worker run, the same list on each (writes TF_CONFIG)",
    )
    p.add_argument("--task-index", type=int, help="this worker's position in --cluster (0: chief)")


def _join_cluster(args: argparse.Namespace) -> None:
    """Write TF_CONFIG from --cluster/--task-index (before TensorFlow starts)."""
    if args.cluster is None:
        if args.task_index is not None:
            raise ConfigError("--task-index needs --cluster")
        return
    if args.task_index is None:
        raise ConfigError("--cluster needs --task-index (0 for the chief)")
    write_tf_config(args.cluster, args.task_index)


def _train_epilog() -> str:
    """The models, losses and datasets to choose from, one per line."""

    def rows(pairs: list[tuple[str, str]]) -> str:
        width = max(len(name) for name, _ in pairs) + 2
        return "\n".join(f"  {name:{width}}{text}" for name, text in pairs)

    datasets = [(c.spec, c.description) for s in data_sources() for c in s.choices]
    return (
        f"models:\n{rows([(m.name, m.description) for m in MODELS])}\n\n"
        f"losses:\n{rows([(e.name, e.label) for e in LOSSES])}\n\n"
        f"datasets:\n{rows(datasets)}\n  and any of: {spec_help()}"
    )


_COMMANDS = ("train", "resume", "sample", "resynth", "eval", "runs")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ganstudio",
        description="GAN Studio: train and explore GANs. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"ganstudio {__version__}")
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="also show TensorFlow's own log lines (else they go to the log file; "
        "GANSTUDIO_VERBOSE=1 does the same)",
    )
    sub = parser.add_subparsers(dest="command")
    train = sub.add_parser(
        "train",
        help="train a GAN headless (Ctrl-C saves and stops)",
        epilog=_train_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_train_options(train)
    resume = sub.add_parser("resume", help="continue a run from its latest checkpoint")
    resume.add_argument("run", type=Path)
    resume.add_argument("--steps", type=int, help="new total number of steps")
    _add_distribution_options(resume)
    resume.add_argument("--quiet", action="store_true")
    sample = sub.add_parser("sample", help="generate from a run's exported generator")
    sample.add_argument(
        "run", type=Path, help="a run folder, an exported generator, or a .keras/.h5 generator file"
    )
    sample.add_argument("-n", type=int, default=64, help="how many samples (default 64)")
    sample.add_argument(
        "--out",
        type=Path,
        help="a .png grid, or a folder for one file per sample and latents.npy "
        "(default: samples.png; a folder 'samples' for audio and 2-D point models)",
    )
    sample.add_argument("--seed", type=int, default=None, help="default: a random seed (printed)")
    sample.add_argument("--label", type=int, default=None, help="class for conditional models")
    sample.add_argument(
        "--best", action="store_true", help="the best checkpoint by the run's quality metric"
    )
    sample.add_argument(
        "--checkpoint",
        type=_checkpoint,
        default="export",
        help="best, latest, a step, or export (default: the generator exported last)",
    )
    sample.add_argument(
        "--truncation",
        type=float,
        default=1.0,
        help=f"scale latents toward the mean (0..{TRUNCATION_MAX:g}; 1 leaves them as drawn)",
    )
    sample.add_argument(
        "--vocoder",
        type=Path,
        help="a melgan run that turns the spectrograms into sound instead of phase "
        "reconstruction (its mel settings must match)",
    )
    cli_models.add_answer_option(sample)
    cli_models.add_resynth_parser(sub)
    evaluate = sub.add_parser(
        "eval", help="print every quality metric of a run's generator and log them"
    )
    evaluate.add_argument("run", type=Path, help="a run folder")
    evaluate.add_argument(
        "--checkpoint",
        type=_checkpoint,
        default="best",
        help="best (default; latest if the run has none), latest, export or a step",
    )
    evaluate.add_argument("-n", type=int, default=None, help="samples (default: the run's)")
    evaluate.add_argument(
        "--extractor",
        choices=("auto", *selectable_extractors()),
        default=None,
        help="features (default: the ones the run used)",
    )
    runs = sub.add_parser("runs", help="list run folders and their state")
    runs.add_argument("--root", type=Path, help="runs folder (default: ~/GANStudio/runs)")
    return parser


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    """Explicit flags over the config file; the model's defaults for anything left out."""
    values = {name: getattr(args, name, None) for name in (*_FIELD_FLAGS, "dataset_limit")}
    values = {name: value for name, value in values.items() if value is not None}
    if values.get("eval_every") == "auto":
        values["eval_every"] = None
    if args.mixed_precision:
        values["mixed_precision"] = True
    if args.xla:
        values["xla"] = True
    if args.no_tensorboard:
        values["tensorboard"] = False
    if args.config:
        config = TrainConfig.from_json(args.config, values)
    else:
        config = TrainConfig.from_dict(values)
    config.options = {**config.options, **cli_models.parse_options(args.option)}
    return config.validate()


def _stop_signals() -> list[signal.Signals]:
    """The signals that stop a run with a checkpoint: Ctrl-C, SIGTERM (Slurm, systemd,
    docker, Kubernetes, logout) and SIGHUP (the terminal closed), where they exist."""
    names = ("SIGINT", "SIGTERM", "SIGHUP")
    return [getattr(signal, n) for n in names if hasattr(signal, n)]


def _train(trainer_kwargs: dict, quiet: bool) -> int:
    control = RunControl()
    printer = ProgressPrinter(sys.stderr, enabled=not quiet)
    result: list = []
    trainer = Trainer(control=control, emit=printer, **trainer_kwargs)
    worker = threading.Thread(target=lambda: result.append(trainer.run()), name="train")
    received: list[int] = []

    def on_signal(signum, _frame) -> None:
        # Runs in the main thread, which only waits below: safe to take the control's lock.
        received.append(signum)
        name = signal.Signals(signum).name
        if len(received) > 1:  # a second signal: leave now, the last checkpoint stays
            print(f"\n{name}: stopping without a final checkpoint", file=sys.stderr)
            log.warning("%s again: leaving without a final checkpoint", name)
            os._exit(128 + signum)
        again = "Ctrl-C" if signum == signal.SIGINT else "a second signal"
        print(f"\n{name}: stopping, saving a checkpoint ({again} quits at once)", file=sys.stderr)
        log.info("%s: stopping the run with a checkpoint", name)
        control.stop()

    # A handler instead of KeyboardInterrupt: an exception raised inside Thread.join()
    # can leave the thread looking finished while it still runs.
    previous = {s: signal.signal(s, on_signal) for s in _stop_signals()}
    try:
        worker.start()
        while worker.is_alive():
            worker.join(0.5)
            # TensorFlow's coordination service (multi-worker runs) puts its own SIGTERM
            # handler in place when the strategy starts, which would swallow the signal:
            # ours goes back each time round.
            for s in previous:
                signal.signal(s, on_signal)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    final = result[0] if result else None
    if final is None or type(final).__name__ == "Failed":
        return 1
    return 128 + received[0] if received else 0


def _writes_the_folder(config: TrainConfig) -> bool:
    """Whether this process writes the run folder: a lone process or a cluster's chief (the
    other workers write a private folder). Call after :func:`_join_cluster`."""
    if config.strategy not in ("auto", "multiworker"):
        return True
    cluster = find_cluster()
    return cluster is None or cluster.is_chief


def cmd_train(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    if (args.overwrite or args.resume_if_exists) and args.run_dir is None:
        raise ConfigError("--overwrite and --resume-if-exists need --run-dir")
    if args.overwrite and args.resume_if_exists:
        raise ConfigError("give --overwrite or --resume-if-exists, not both")
    _join_cluster(args)
    path = args.run_dir
    if path is not None and is_run_folder(path) and _writes_the_folder(config):
        # Refused at once, before TensorFlow loads (the trainer checks again, locked).
        _check_free(path)
        if args.resume_if_exists:
            differ = config_differences(RunDir(path).read_config(), config)
            if differ:
                raise ConfigError(str(other_settings(path, differ)))
        elif not args.overwrite:
            raise ConfigError(str(already_a_run(path)))
    kwargs = {
        "config": config,
        "run_dir": path,
        "runs_root": args.runs_root,
        "overwrite": args.overwrite,
        "resume_if_exists": args.resume_if_exists,
    }
    return _train(kwargs, args.quiet)


def _check_free(path: Path) -> None:
    """Refuse at once (RunLocked) when another process writes the run folder ``path``."""
    owner = lock_holder(path)
    if owner is not None:
        raise RunLocked(path, owner)


def cmd_resume(args: argparse.Namespace) -> int:
    run = RunDir(args.run)
    if not run.exists():
        raise ConfigError(f"{args.run} is not a run folder (no config.json)")
    config = run.read_config()
    if args.steps is not None:
        done = latest_checkpoint_step(run.checkpoints_dir)
        if args.steps < done:
            raise ConfigError(
                f"the run's latest checkpoint is at step {done}: --steps {args.steps} would "
                f"end before it (give --steps {done} or more)"
            )
        config.steps, config.epochs = args.steps, None
        config.validate()
    for name in ("strategy", "devices", "xla"):
        if getattr(args, name) is not None:
            setattr(config, name, getattr(args, name))
    _join_cluster(args)
    if _writes_the_folder(config):
        _check_free(args.run)  # refused at once, before TensorFlow loads
    return _train({"config": config, "run_dir": args.run, "resume": True}, args.quiet)


def cmd_sample(args: argparse.Namespace) -> int:
    checkpoint = "best" if args.best else args.checkpoint
    gen, vocoder = cli_models.open_sampler(args.run, args.answer, args.vocoder, checkpoint)
    if checkpoint != "export":
        print(f"{checkpoint} checkpoint: step {gen.info.get('step')}", file=sys.stderr)
    seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    out = args.out or Path(kind_of(gen.kind).sample_out)
    paths = write_samples(
        gen, args.n, out, seed=seed, label=args.label, truncation=args.truncation, vocoder=vocoder
    )
    if args.seed is None:
        print(f"seed {seed} (pass --seed {seed} to make the same samples again)", file=sys.stderr)
    for path in paths[:5]:
        print(path)
    if len(paths) > 5:
        print(f"... {len(paths)} files in {paths[0].parent}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    checkpoint = args.checkpoint
    if checkpoint == "best" and read_best(RunDir(args.run).checkpoints_dir) is None:
        checkpoint = "latest"
        print("no best checkpoint in this run: evaluating the latest", file=sys.stderr)

    record = evaluate_run(str(args.run), checkpoint, args.n, args.extractor)
    print(
        f"{args.run}: {checkpoint} checkpoint, step {record['step']}, {record['n']} samples, "
        f"{record['extractor']} features"
    )
    skip = ("type", "step", "n", "extractor", "checkpoint", "source", "time")
    for key, value in record.items():
        if key in skip:
            continue
        if isinstance(value, list):
            value = " ".join("-" if v is None else f"{v:.2f}" for v in value)
        elif isinstance(value, float):
            value = f"{value:.4g}"
        print(f"  {metric_label(key):32} {value}")
    return 0


def cmd_runs(args: argparse.Namespace) -> int:
    import time

    root = args.root or default_runs_root()
    runs = list_runs(root)
    if not runs:
        print(f"no runs in {root}")
        return 0
    print(f"{'run':40} {'model':8} {'dataset':20} {'status':10} {'step':>13}  updated")
    for r in runs:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(r.updated)) if r.updated else "-"
        print(
            f"{r.path.name:40} {r.model:8} {r.dataset[-20:]:20} {r.status:10} "
            f"{r.step:>6}/{r.total_steps:<6}  {when}"
        )
        if r.status == "unreadable":
            print(f"    {r.message}")
        elif r.status == "interrupted":
            print(
                f"    its process is gone; last checkpoint at step {r.checkpoint} "
                f"(continue with: ganstudio resume {r.path})"
            )
    return 0


def gui_main(argv: list[str] | None = None) -> int:
    """Open the window (the entry point of the double-click launcher)."""
    if argv is None:
        if not verbose_requested(sys.argv[1:]):
            divert_native_stderr()
        argv = [a for a in sys.argv[1:] if a != "--verbose"]
    try:
        # deferred: PySide6 and the window load only for the GUI
        from ganstudio.qt.app import run_app
    except ImportError as exc:
        print(
            f"The GAN Studio window cannot start: {exc}.\n"
            "Headless training works without it: ganstudio train --help",
            file=sys.stderr,
        )
        return 2
    return run_app(argv)


def _not_a_command(word: str) -> str | None:
    """Why ``word`` (the first argument, neither a command nor an option) cannot be
    handed to the window; None when it is an existing path the window can open."""
    if Path(word).expanduser().exists():
        return None
    if os.sep in word or "/" in word or Path(word).suffix:
        return f"no such file or folder: {word!r}"
    close = difflib.get_close_matches(word, _COMMANDS, n=1)
    if close:
        return f"unknown command {word!r} (did you mean {close[0]!r}?)"
    return (
        f"unknown command {word!r} (commands: {', '.join(_COMMANDS)}; or a run folder, "
        ".npz file or data folder to open in the window)"
    )


def main(argv: list[str] | None = None) -> int:
    """The ``ganstudio`` command. Called as the process's entry (``argv`` None), it first
    sends TensorFlow's native logging to the log file unless ``--verbose`` is given."""
    entry = argv is None
    argv = sys.argv[1:] if argv is None else argv
    if entry and not verbose_requested(argv):
        divert_native_stderr()
    argv = [a for a in argv if a != "--verbose"]
    first = argv[0] if argv else ""
    if first not in _COMMANDS and first not in ("-h", "--help", "--version"):
        # The window: ganstudio [PATH] [--config FILE] [--start] [--watch]
        problem = _not_a_command(first) if first and not first.startswith("-") else None
        if problem is not None:
            print(f"ganstudio: error: {problem}", file=sys.stderr)
            return 2
        return gui_main(argv)
    setup_logging("cli")
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {
        "train": cmd_train,
        "resume": cmd_resume,
        "sample": cmd_sample,
        "resynth": cli_models.cmd_resynth,
        "eval": cmd_eval,
        "runs": cmd_runs,
    }
    try:
        return handlers[args.command](args)
    except (ConfigError, ValueError, FileNotFoundError, OSError, RunLocked) as exc:
        log.error("ganstudio %s: %s", args.command, exc)
        print(f"ganstudio {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except Exception:
        log.exception("ganstudio %s failed", args.command)
        raise
