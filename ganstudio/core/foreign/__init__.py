"""Generator files from anyone (``.keras`` / legacy ``.h5``), used safely. No Qt.

- :mod:`.safety`      refuse Lambda layers and custom objects; load in Keras' safe mode
- :mod:`.signature`   what a model takes and makes, inferred from its shapes
- :mod:`.answers`     what shapes cannot tell: questions, answers kept beside the file
- :mod:`.generators`  foreign models behind GAN Studio's interfaces
- :mod:`.opening`     ``open_model``: any generator file or run, with its role
- :mod:`.resynth`     resynthesis jobs (a sound file through any vocoder) for
                      ``ganstudio resynth`` and the Audio tab
"""
