"""The layers contract of pyproject.toml holds on the code and fails on a wrong arrow."""

from __future__ import annotations

import grimp
import pytest
import tomllib
from importlinter.contracts.layers import LayersContract

from tests.conftest import ROOT


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("ganstudio", exclude_type_checking_imports=True)


def _contract() -> LayersContract:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (options,) = [c for c in config["contracts"] if c["type"] == "layers"]
    # as import-linter reads them: a bool is a string
    options = {
        k: str(v) if isinstance(v, bool) else v
        for k, v in options.items()
        if k not in ("name", "type")
    }
    session = {k: v for k, v in config.items() if k != "contracts"}
    return LayersContract("core layers", session_options=session, contract_options=options)


def test_the_core_keeps_its_layers():
    check = _contract().check(_graph(), verbose=False)
    assert check.kept, check.metadata


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("ganstudio.core.audio.io", "ganstudio.core.vocoder.vocoder"),  # audio -> vocoder
        ("ganstudio.core.data.sources", "ganstudio.core.config"),  # data -> config
        ("ganstudio.core.models.built_in", "ganstudio.core.vocoder.session"),  # the old circle
        ("ganstudio.core.metrics.best", "ganstudio.core.generator"),  # metrics -> generator
        ("ganstudio.core.vocoder.vocoder", "ganstudio.core.foreign.opening"),  # vocoder -> foreign
        ("ganstudio.core.latent.render", "ganstudio.core.foreign.opening"),  # two of one layer
    ],
)
def test_a_wrong_arrow_breaks_the_contract(importer, imported):
    wrong = _graph()  # grimp caches the scan: a fresh graph is cheap
    wrong.add_import(importer=importer, imported=imported, line_number=1, line_contents="x")
    assert not _contract().check(wrong, verbose=False).kept
