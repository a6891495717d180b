"""Reading and writing sound files: the real drum kit, bad files, MP3, WAV round trips."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from ganstudio.core.audio.io import (
    AUDIO_EXTENSIONS,
    AudioError,
    describe_audio,
    find_audio_files,
    load_audio,
    save_wav,
)


@pytest.fixture(scope="module")
def drum_files(drums_dir: Path) -> list[Path]:
    return find_audio_files(drums_dir)


@pytest.fixture(scope="module")
def one_of_each(drum_files: list[Path]) -> dict[tuple, Path]:
    """One drum file per (format, subtype, rate, channels) combination."""
    kinds: dict[tuple, Path] = {}
    for path in drum_files:
        info = sf.info(str(path))
        kinds.setdefault((info.format, info.subtype, info.samplerate, info.channels), path)
    return kinds


def test_find_audio_files_skips_non_audio(drums_dir: Path, drum_files: list[Path]):
    every_file = [p for p in drums_dir.rglob("*") if p.is_file()]
    others = [p for p in every_file if p.suffix.lower() not in AUDIO_EXTENSIONS]
    assert any(p.suffix == ".xml" for p in others)  # drumkit.xml files sit beside the sounds
    assert len(drum_files) > 400
    assert drum_files == sorted(drum_files)
    assert all(p.suffix.lower() in AUDIO_EXTENSIONS for p in drum_files)
    assert len(drum_files) + len(others) == len(every_file)
    assert any(" " in str(p.relative_to(drums_dir)) for p in drum_files)  # spaces in names


def test_find_audio_files_on_a_missing_folder(tmp_path: Path):
    with pytest.raises(AudioError, match="not a folder"):
        find_audio_files(tmp_path / "nope")


def test_mixed_rates_channels_and_depths_load(one_of_each: dict[tuple, Path]):
    combos = set(one_of_each)
    assert {c[2] for c in combos} >= {22050, 44100, 48000}
    assert {c[3] for c in combos} == {1, 2}
    assert {c[1] for c in combos} >= {"PCM_U8", "PCM_16", "PCM_24"}
    for (fmt, subtype, rate, channels), path in one_of_each.items():
        native, sr = load_audio(path)
        assert sr == rate
        assert native.dtype == np.float32
        assert native.shape == ((len(native),) if channels == 1 else (len(native), channels))
        assert 0 < np.abs(native).max() <= 1.0, (path, subtype)
        mono, sr16 = load_audio(path, mono=True, sample_rate=16000)
        assert sr16 == 16000 and mono.ndim == 1
        assert abs(len(mono) - len(native) * 16000 / rate) <= 2
        info = describe_audio(path)
        assert (info.format, info.subtype, info.sample_rate, info.channels) == (
            fmt,
            subtype,
            rate,
            channels,
        )
        assert info.frames == len(native)
        assert f"{rate} Hz" in info.summary()


def test_bit_depths_are_reported(one_of_each: dict[tuple, Path]):
    depths = {describe_audio(p).bit_depth for p in one_of_each.values()}
    assert depths >= {8, 16, 24}


def test_unsigned_8_bit_is_centred(one_of_each: dict[tuple, Path]):
    path = next(p for k, p in one_of_each.items() if k[1] == "PCM_U8")
    samples, _ = load_audio(path)
    assert abs(float(samples.mean())) < 0.1  # unsigned bytes mapped around 0, not 0.5


def test_empty_file(tmp_path: Path):
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    with pytest.raises(AudioError, match=r"empty\.wav: the file is empty \(0 bytes\)"):
        load_audio(path)


def test_zero_length_file(tmp_path: Path):
    path = tmp_path / "silence.wav"
    sf.write(str(path), np.zeros(0, np.float32), 16000)
    assert path.stat().st_size > 0
    with pytest.raises(AudioError, match="valid header but holds no audio frames"):
        load_audio(path)


def test_renamed_non_audio_file(drums_dir: Path, tmp_path: Path):
    xml = next(drums_dir.rglob("drumkit.xml"))
    path = tmp_path / "kick.wav"
    path.write_bytes(xml.read_bytes())
    with pytest.raises(AudioError) as err:
        load_audio(path)
    text = str(err.value)
    assert str(path) in text and "not audio despite its '.wav' extension" in text
    with pytest.raises(AudioError):
        describe_audio(path)


def test_corrupt_header(drum_files: list[Path], tmp_path: Path):
    wav = next(p for p in drum_files if p.suffix.lower() == ".wav")
    data = bytearray(wav.read_bytes())
    data[8:40] = bytes(32)  # wipe the WAVE id and the fmt chunk
    path = tmp_path / "broken.wav"
    path.write_bytes(bytes(data))
    with pytest.raises(AudioError, match=r"broken\.wav: not a readable audio file - it is corrupt"):
        load_audio(path)


def test_missing_file(tmp_path: Path):
    with pytest.raises(AudioError, match="no such file"):
        load_audio(tmp_path / "gone.flac")


def test_mp3_written_here_decodes(tmp_path: Path):
    assert "MP3" in sf.available_formats()  # libsndfile >= 1.1 encodes and decodes MP3
    sr = 22050
    t = np.arange(sr) / sr
    tone = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    path = tmp_path / "tone.mp3"
    sf.write(str(path), tone, sr, format="MP3", subtype="MPEG_LAYER_III")
    samples, rate = load_audio(path)
    assert rate == sr and samples.ndim == 1
    assert abs(len(samples) - sr) < 2000  # encoder padding only
    spectrum = np.abs(np.fft.rfft(samples))
    assert abs(np.argmax(spectrum) * sr / len(samples) - 440) < 5
    assert describe_audio(path).format == "MP3"


def test_save_wav_round_trip(tmp_path: Path):
    rng = np.random.default_rng(0)
    stereo = (rng.uniform(-0.9, 0.9, (12345, 2))).astype(np.float32)
    path = save_wav(tmp_path / "sub dir" / "out.wav", stereo, 16000)
    back, sr = load_audio(path)
    assert sr == 16000 and back.shape == (12345, 2)
    assert np.abs(back - stereo).max() < 1e-4  # 16-bit quantisation
    info = describe_audio(path)
    assert (info.format, info.subtype) == ("WAV", "PCM_16")
    assert [p.name for p in path.parent.iterdir()] == ["out.wav"]  # no temporary left over


def test_save_wav_rejects_bad_input_and_keeps_the_old_file(tmp_path: Path):
    path = save_wav(tmp_path / "keep.wav", np.zeros(100, np.float32), 8000)
    before = path.read_bytes()
    with pytest.raises(AudioError, match="NaN"):
        save_wav(path, np.array([0.0, np.nan], np.float32), 8000)
    with pytest.raises(AudioError, match="expected"):
        save_wav(path, np.zeros((2, 2, 2), np.float32), 8000)
    assert path.read_bytes() == before
