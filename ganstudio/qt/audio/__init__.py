"""The Audio tab: sound files, waveform and spectrogram views, playback, sound pads."""
