"""Command-line parts for model files: ``--answer`` and ``--vocoder`` options, the
questions a foreign generator file asks, and ``ganstudio resynth``.

Kept apart from :mod:`ganstudio.cli` (which only wires them in); every function prints
to stdout/stderr and returns an exit status or plain data.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ganstudio.core.foreign.opening import NeedsAnswers, open_model
from ganstudio.core.foreign.resynth import (
    expand_inputs,
    output_paths,
    resynthesize_file,
    save_resynthesis,
)
from ganstudio.core.generator import load_run_generator
from ganstudio.core.kinds import kind_of
from ganstudio.core.vocoder.vocoder import MelVocoder

ANSWER_HELP = (
    "for a generator file from outside GAN Studio: what its shapes cannot tell, as KEY=VALUE "
    "(repeat; e.g. --answer output_range=-1,1); remembered beside the file"
)


def add_answer_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--answer", action="append", default=[], metavar="KEY=VALUE", help=ANSWER_HELP)


def add_option_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a model option (repeat), e.g. melgan's width and depth: --option channels=64 "
        "--option depth=2 (see the README for each model's options)",
    )


def parse_options(pairs: list[str]) -> dict[str, Any]:
    """``KEY=VALUE`` pairs as a dict; values read as JSON numbers, true/false/null, or text."""
    import json

    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--option takes KEY=VALUE, not {pair!r}")
        try:
            options[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            options[key.strip()] = value.strip()
    return options


def parse_answers(pairs: list[str]) -> dict[str, str]:
    answers = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--answer takes KEY=VALUE, not {pair!r}")
        answers[key.strip()] = value.strip()
    return answers


def ask_on_terminal(need: Any) -> dict[str, str]:
    """Ask a :class:`~ganstudio.core.foreign.opening.NeedsAnswers`'s questions on the
    terminal (Enter takes the default); returns the answers."""
    print(f"{Path(need.path).name} {need.summary}.", file=sys.stderr)
    answers = dict(need.answers)
    for q in need.questions:
        choices = f" [{' | '.join(q.choices)}]" if q.choices else ""
        reply = input(f"{q.text}{choices} (default {q.default}): ").strip()
        answers[q.key] = reply or q.default
    return answers


def open_model_file(path: Path, answer_pairs: list[str]) -> Any:
    """:func:`~ganstudio.core.foreign.opening.open_model` with ``--answer`` values; asks on
    the terminal what is still open (when there is one), else raises with the questions."""

    answers = parse_answers(answer_pairs)
    for _ in range(3):  # an answer may open further questions
        try:
            opened = open_model(path, answers or None)
        except NeedsAnswers as need:
            if not sys.stdin.isatty():
                raise
            answers = ask_on_terminal(need)
            continue
        for note in opened.notes:
            print(note, file=sys.stderr)
        return opened
    return open_model(path, answers)


def add_resynth_parser(sub: Any) -> None:
    p = sub.add_parser(
        "resynth",
        help="turn sounds into new sounds with a vocoder (a melgan run or a mel->wave model)",
    )
    p.add_argument("model", type=Path, help="a melgan run folder, or a .keras/.h5 vocoder file")
    p.add_argument("inputs", type=Path, nargs="+", help="sound files or folders (any format)")
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        help="a .wav file (one input) or a folder for NAME-resynth.wav files",
    )
    add_answer_option(p)
    p.add_argument("--quiet", action="store_true", help="print only the written files")


def cmd_resynth(args: argparse.Namespace) -> int:
    inputs = expand_inputs(args.inputs)
    targets = output_paths(inputs, args.out)
    opened = open_model_file(args.model, args.answer)
    if not opened.is_vocoder:
        raise ValueError(
            f"{args.model}: {opened.summary} — resynthesis needs a melgan run or a generator "
            "that takes a mel spectrogram and returns a waveform"
        )
    vocoder = opened.model
    if not args.quiet:
        print(f"vocoder {vocoder.describe()}", file=sys.stderr)
    for src, dst in zip(inputs, targets, strict=True):
        result = resynthesize_file(vocoder, src)
        path = save_resynthesis(result, dst)
        if not args.quiet:
            print(
                f"{src.name}: {result.duration:.2f} s at {result.output_rate} Hz in "
                f"{result.seconds:.2f} s ({result.speed:.0f}x real time)",
                file=sys.stderr,
            )
        print(path)
    return 0


def open_sampler(
    path: Path, answer_pairs: list[str], vocoder_path: Path | None, checkpoint: str = "export"
) -> tuple:
    """(generator, vocoder or None) for ``ganstudio sample``; ``checkpoint`` other than
    ``export`` (best, latest or a step) takes a run folder's weights from its checkpoints."""
    if checkpoint != "export":
        model = load_run_generator(path, checkpoint)
    else:
        opened = open_model_file(path, answer_pairs)
        if opened.is_vocoder:
            raise ValueError(
                f"{path}: {opened.summary} — it turns sound into sound; use ganstudio resynth"
            )
        model = opened.model
    vocoder = None
    if vocoder_path is not None:
        if not kind_of(model.kind).spectrogram:
            raise ValueError("--vocoder is for generators of spectrograms")
        vocoder = MelVocoder.load(vocoder_path)
    return model, vocoder
