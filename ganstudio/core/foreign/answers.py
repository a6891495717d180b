"""What shapes cannot tell about a foreign generator: the questions, and the answers kept
beside the model file (``NAME.keras.ganstudio.json``) so each is asked only once.

Answers are plain strings keyed by question (``"output_range": "-1,1"``). :func:`questions`
lists what a :class:`~.signature.Signature` leaves open, each with its choices and a
default; :func:`resolve` merges given answers over the saved ones, checks them and tells
which questions remain. Pure functions plus small file reads/writes; thread-safe.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ganstudio.core.atomic import atomic_write_bytes
from ganstudio.core.foreign.signature import Signature
from ganstudio.core.kinds import OutputKind, kind_for_foreign

SIDECAR_SUFFIX = ".ganstudio.json"
RANGES = {"-1,1": (-1.0, 1.0), "0,1": (0.0, 1.0)}
#: how a spectrogram input was scaled before the model saw it (the seed: dB, then 0..1)
INPUT_SCALES = {
    "db_minmax": "mel power in dB (relative to its maximum), then min-max scaled to 0..1",
    "power_minmax": "mel power divided by its maximum (0..1)",
    "db": "mel power in dB relative to its maximum (-80..0), unscaled",
}


@dataclass(frozen=True)
class Question:
    """One thing to ask: ``key``, a sentence, allowed ``choices`` (empty: a number)."""

    key: str
    text: str
    choices: tuple[str, ...] = ()
    default: str = ""

    def check(self, value: str) -> str:
        """The value, normalised; ValueError if it is not an allowed answer."""
        value = str(value).strip().replace(" ", "")
        if self.choices:
            if value not in self.choices:
                raise ValueError(
                    f"{self.key} must be one of {', '.join(self.choices)}, not {value!r}"
                )
            return value
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"{self.key} must be a number, not {value!r}") from None
        if not number > 0:
            raise ValueError(f"{self.key} must be positive, not {value!r}")
        return str(int(number)) if number.is_integer() else str(number)


def _audio_questions(default_rate: int) -> list[Question]:
    return [
        Question("sample_rate", "Sample rate of the sound (Hz)", (), str(default_rate)),
        Question("n_fft", "FFT size of the mel spectrogram", (), "2048"),
        Question("hop_length", "Hop size of the mel spectrogram (samples)", (), "512"),
    ]


def output_kind(sig: Signature, answers: dict[str, str]) -> str | None:
    """What the model makes: inferred, or answered."""
    return sig.output_kind or answers.get("output_kind")


def _made_kind(made: str | None) -> OutputKind | None:
    try:
        return kind_for_foreign(made) if made else None
    except ValueError:
        return None


def questions(sig: Signature, answers: dict[str, str] | None = None) -> list[Question]:
    """Everything the signature leaves open given the ``answers`` so far (a spectrogram's
    sound settings are asked only once the output is known to be a spectrogram)."""
    answers = answers or {}
    asked: list[Question] = []
    made = output_kind(sig, answers)
    if sig.output_kind is None:
        asked.append(
            Question(
                "output_kind",
                "Does the model make images or (mel) spectrograms?",
                ("image", "spectrogram"),
                "image",
            )
        )
    kind = _made_kind(made)  # None: not known yet (asked above)
    spectral_out = kind is not None and kind.spectrogram and not sig.takes_spectrogram
    if sig.output_range is None and (kind is None or kind.scaled):
        asked.append(Question("output_range", "Range of the model's output", tuple(RANGES), "-1,1"))
    if sig.num_classes is None:
        asked.append(Question("num_classes", "How many classes does the label take?", (), "10"))
    if (sig.takes_spectrogram or spectral_out) and sig.layout is None:
        asked.append(
            Question(
                "layout",
                "Spectrogram axes (mel bands x frames, as librosa, or frames x mel bands)",
                ("mels_frames", "frames_mels"),
                "mels_frames",
            )
        )
    if sig.takes_spectrogram:
        asked += _audio_questions(22050)
        asked.append(
            Question(
                "input_scale",
                "How was the mel spectrogram scaled for the model? "
                + "; ".join(f"{k}: {v}" for k, v in INPUT_SCALES.items()),
                tuple(INPUT_SCALES),
                "db_minmax",
            )
        )
    elif spectral_out:
        asked += _audio_questions(22050)
        asked.append(
            Question("top_db", "Output 0..1 spans how many dB below the loudest bin?", (), "80")
        )
    elif kind is not None and kind.to_sound is not None and not kind.spectrogram:  # waveforms
        asked.append(Question("sample_rate", "Sample rate of the sound (Hz)", (), "16000"))
    return asked


def sidecar_path(model_path: str | Path) -> Path:
    p = Path(model_path)
    return p.with_name(p.name + SIDECAR_SUFFIX)


def load_answers(model_path: str | Path) -> dict[str, str]:
    """Answers saved beside the file ({} if none or unreadable)."""
    try:
        data = json.loads(sidecar_path(model_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    answers = data.get("answers") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in (answers or {}).items()}


def save_answers(model_path: str | Path, answers: dict[str, str]) -> Path:
    """Write the answers beside the model file (atomically). Raises OSError."""
    path = sidecar_path(model_path)
    doc = {"about": f"GAN Studio's answers for {Path(model_path).name}", "answers": answers}
    atomic_write_bytes(path, (json.dumps(doc, indent=2) + "\n").encode())
    return path


def resolve(
    sig: Signature, saved: dict[str, str], given: dict[str, str] | None = None
) -> tuple[dict[str, str], list[Question]]:
    """``(answers, still open)``: ``given`` over ``saved``, each checked, limited to the
    questions this signature asks. Raises ValueError for an invalid given answer; an
    invalid saved one is simply asked again."""
    given = given or {}
    answers: dict[str, str] = {}
    asked: list[Question] = []
    while True:  # answers can open further questions (output_kind -> sound settings)
        asked = questions(sig, answers)
        before = len(answers)
        for q in asked:
            if q.key in answers:
                continue
            if q.key in given:
                answers[q.key] = q.check(given[q.key])
            elif q.key in saved:
                try:
                    answers[q.key] = q.check(saved[q.key])
                except ValueError:
                    continue
        if len(answers) == before:
            break
    known = {q.key for q in asked}
    unknown = sorted(set(given) - known)
    if unknown:
        allowed = ", ".join(sorted(known)) or "nothing"
        raise ValueError(f"this model is not asked {', '.join(unknown)} (it is asked: {allowed})")
    return answers, [q for q in asked if q.key not in answers]
