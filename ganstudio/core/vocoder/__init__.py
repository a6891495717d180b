"""Vocoders: mel spectrogram -> waveform models, trained (``melgan``) and used. No Qt.

- :mod:`.segments`   training data: clips of any length, their mel frames, random segments
- :mod:`.losses`     multi-resolution STFT and feature-matching losses (TensorFlow)
- :mod:`.gan`        ``VocoderGAN``: the training model (the model table's ``make_gan``)
- :mod:`.options`    ``VocoderOptions``: melgan's settings in ``TrainConfig.options``
- :mod:`.session`    ``VocoderSession``: data, live view and export of a melgan run
- :mod:`.live`       the live view: held-out clips, input mel | generated mel, both sounds
- :mod:`.chunks`     long inputs in overlapping windows joined by crossfades
- :mod:`.vocoder`    ``MelVocoder``: a trained vocoder; resynthesis of any sound
- :mod:`.networks`   the MelGAN generator and discriminators (Keras, imported when built)
- :mod:`.model_row`  MelGAN's row in the model table (loaded as a built-in plugin)
- :mod:`.quality`    MR-STFT distance, mel spectral convergence, the inverter baseline
"""
