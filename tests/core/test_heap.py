"""The engine's modules are frozen out of the cycle collector; a run's objects are not."""

from __future__ import annotations

import gc
import weakref

from ganstudio.core import heap
from ganstudio.core.session import TrainingSession
from ganstudio.core.trainer import Trainer
from tests.core.helpers import tiny_config


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cycle collector frees it


def test_objects_made_after_the_freeze_stay_collectable():
    heap.freeze_engine_modules()
    assert gc.get_freeze_count() > 100_000  # TensorFlow's and Keras's module objects
    assert heap.freeze_engine_modules() is False  # once per process
    node = _Node()
    ref = weakref.ref(node)
    del node
    gc.collect()
    assert ref() is None


def test_a_finished_run_lets_go_of_its_networks(mnist_npz, tmp_path, monkeypatch):
    refs = []
    setup = TrainingSession.setup

    def remembering_setup(self, *args, **kwargs):
        step = setup(self, *args, **kwargs)
        refs.append(weakref.ref(self.gan.generator))
        return step

    monkeypatch.setattr(TrainingSession, "setup", remembering_setup)
    final = Trainer(tiny_config(mnist_npz, "dcgan"), runs_root=tmp_path).run()
    assert type(final).__name__ == "Finished"
    assert gc.get_freeze_count() > 0
    assert len(refs) == 1 and refs[0]() is None  # collected when the session closed
