"""Open any generator file: a GAN Studio run or export, or a ``.keras``/``.h5`` from anyone.

:func:`open_model` returns an :class:`OpenedModel` whose ``role`` says what it can do:

* ``"generator"`` — latent (+ label) -> image, spectrogram or waveform: a
  :class:`~ganstudio.core.generator.LoadedGenerator` (the explorer, ``ganstudio sample``);
* ``"vocoder"`` — sound -> sound: a :class:`~ganstudio.core.vocoder.vocoder.MelVocoder`
  (a ``melgan`` run) or a :class:`~.generators.ForeignVocoder` (``ganstudio resynth``).

A foreign file is checked and loaded in Keras' safe mode (:mod:`.safety`), its
interface inferred (:mod:`.signature`); what cannot be inferred is taken from ``answers``
or the answers saved beside the file (:mod:`.answers`), and newly given answers are saved
there. If questions remain, :class:`NeedsAnswers` carries them. Blocking (Keras loads
here): call it on a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ganstudio.core.foreign.answers import Question, load_answers, resolve, save_answers
from ganstudio.core.foreign.generators import ForeignGenerator, ForeignVocoder
from ganstudio.core.foreign.safety import MODEL_SUFFIXES, load_model_safely, read_model_config
from ganstudio.core.foreign.signature import infer_signature
from ganstudio.core.generator import LoadedGenerator, generator_files
from ganstudio.core.kinds import KINDS, VOCODER, kind_of
from ganstudio.core.rundir import GENERATOR_INFO
from ganstudio.core.vocoder.vocoder import MelVocoder


class NeedsAnswers(ValueError):
    """The model file needs answers that shapes cannot give; ``questions`` lists them."""

    def __init__(self, path: str, summary: str, answers: dict, open_questions: list[Question]):
        self.path, self.summary = path, summary
        self.answers, self.questions = dict(answers), list(open_questions)
        lines = [f"{Path(path).name} {summary}; please answer:"]
        for q in open_questions:
            choices = f" [{' | '.join(q.choices)}]" if q.choices else ""
            lines.append(f"  {q.key}{choices} (default {q.default}): {q.text}")
        lines.append(
            "e.g. --answer " + " --answer ".join(f"{q.key}={q.default}" for q in open_questions)
        )
        super().__init__("\n".join(lines))


@dataclass
class OpenedModel:
    """A usable model and what it is."""

    path: str
    role: str  # "generator" or "vocoder" (the vocoder kind's name)
    model: Any
    summary: str
    foreign: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def is_vocoder(self) -> bool:
        """It turns mel spectrograms into sound (it does not sample from noise)."""
        return self.role == VOCODER.name


def is_foreign_file(path: str | Path) -> bool:
    """True for a model file that is not a GAN Studio export (no generator.json beside)."""
    p = Path(path)
    if p.suffix.lower() not in MODEL_SUFFIXES or not p.is_file():
        return False
    return p.suffix.lower() != ".keras" or not (p.parent / GENERATOR_INFO).is_file()


def _open_own(path: Path) -> OpenedModel:
    _, info_path = generator_files(path)
    import json

    try:
        kind = json.loads(info_path.read_text(encoding="utf-8")).get("kind")
    except (OSError, ValueError):
        kind = None
    if not kind_of(kind).from_noise:  # a vocoder: it turns mel spectrograms into sound
        voc = MelVocoder.load(path)
        return OpenedModel(str(path), VOCODER.name, voc, voc.describe())
    gen = LoadedGenerator.load(path)
    what = kind_of(gen.kind).noun if gen.kind in KINDS else gen.kind
    return OpenedModel(str(path), "generator", gen, f"{gen.run_name}: makes {what}")


def open_model(
    path: str | Path, answers: dict[str, str] | None = None, *, remember: bool = True
) -> OpenedModel:
    """Open ``path`` (see the module docstring). Raises :class:`NeedsAnswers`,
    :class:`~.safety.UnsafeModelError`, FileNotFoundError or ValueError."""
    p = Path(path).expanduser()
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file or folder")
    if not is_foreign_file(p):
        if answers:
            raise ValueError("answers are only for model files from outside GAN Studio")
        return _open_own(p)

    config = read_model_config(p)
    model = load_model_safely(p)
    sig = infer_signature(model, config)
    saved = load_answers(p)
    resolved, open_questions = resolve(sig, saved, answers)
    if open_questions:
        raise NeedsAnswers(str(p), sig.describe(), resolved, open_questions)
    notes: list[str] = []
    if remember and resolved and resolved != saved:
        try:
            notes.append(f"answers saved in {save_answers(p, resolved)}")
        except OSError as exc:
            notes.append(f"could not save the answers beside the file ({exc.strerror})")
    if sig.takes_spectrogram:
        voc = ForeignVocoder(model, sig, resolved, p.name)
        return OpenedModel(str(p), VOCODER.name, voc, voc.describe(), True, notes)
    gen = ForeignGenerator(model, sig, resolved, str(p))
    return OpenedModel(str(p), "generator", gen, f"{p.name} {sig.describe()}", True, notes)
