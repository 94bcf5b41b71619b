"""The workbench uses the store's own templates, and creates a store where none is.

The app itself is replaced by a stand-in: what is checked is what
``run_workbench`` hands to ``create_app`` (no Textual needed).
"""

from __future__ import annotations

import argparse

import pytest
from cli_helpers import isolate

from coprod_tui.core.store import CaseStore
from coprod_tui.core.store.folder import STORE_MARKER
from coprod_tui.core.template.registry import store_templates_dir
from coprod_tui.ui import launch


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)


class StandIn:
    """Records what the workbench was given instead of running it."""

    return_code = 0

    def __init__(self, store, templates, config, **_options) -> None:
        self.store, self.templates = store, templates
        StandIn.last = self

    def run(self) -> None:
        """Nothing to run."""


def test_the_workbench_sees_the_store_templates(monkeypatch, tmp_path):
    folder = tmp_path / "store"
    CaseStore.open(folder)
    store_templates_dir(folder).mkdir()
    (store_templates_dir(folder) / "ours.yaml").write_text(
        "id: our-practice\nversion: 1\ntitle: Our practice\nlanguage: sv\nsource: tests\n"
        "sections:\n  - id: situation\n    title: Situation\n    questions: [Var?]\n"
    )
    monkeypatch.setattr(launch, "create_app", StandIn)
    assert launch.run_workbench(argparse.Namespace(demo=False, store=folder)) == 0
    assert StandIn.last.templates.get("our-practice").title == "Our practice"


def test_the_workbench_creates_a_store_where_none_is(monkeypatch, tmp_path):
    folder = tmp_path / "new" / "store"
    monkeypatch.setattr(launch, "create_app", StandIn)
    assert launch.run_workbench(argparse.Namespace(demo=False, store=folder)) == 0
    assert (folder / STORE_MARKER).is_file()
