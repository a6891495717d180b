"""Runs as sound: how a trained run's spectrograms become waveforms. No Qt.

:mod:`ganstudio.core.audio` holds the signal processing; this package puts it together with
run folders, generators and trained vocoders.

- :mod:`.run_sound`   a run's spectrograms to sound (``SoundParams``)
- :mod:`.stand_in`    a trained vocoder in place of the phase-reconstruction inverter
- :mod:`.sound_model` an audio generator for the sound pads: load, render, write WAVs
"""
