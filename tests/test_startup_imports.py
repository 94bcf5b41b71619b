"""A scripting command loads only what it needs (ARCHITECTURE.md, "Start-up").

``bench/cli.py`` measures the speed; this guards the cause. Each command runs
in a fresh interpreter (as a user's shell would start it) and reports which
heavy modules ended up loaded: none of these is needed to show, write or list
a case, and each costs milliseconds of every run.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from coprod_tui.core.case import new_case
from coprod_tui.core.store import CaseStore
from coprod_tui.core.template.registry import discover_templates

HEAVY = ("dataclasses", "inspect", "yaml", "rich", "textual", "socket", "sqlite3", "_strptime")

PROBE = """
import contextlib, io, json, sys
from coprod_tui.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "loaded": sorted(sys.modules)}))
"""


@pytest.fixture
def case_id(tmp_path):
    """A store with one fictional case; the parsed-template cache warmed (as after install)."""
    template = discover_templates().default()
    store = CaseStore.open(tmp_path / "store", create=True)
    case = store.create(new_case("Home visit, Tallbacka (fictional)", template))
    subprocess.run(
        [sys.executable, "-c", PROBE, "--store", str(tmp_path / "store"), "list"],
        check=True,
        capture_output=True,
    )
    return case.id


@pytest.mark.parametrize(
    "command",
    [["show", "{id}"], ["write", "{id}", "1"], ["list"], ["show", "{id}", "--json"]],
)
def test_a_scripting_command_loads_no_heavy_module(tmp_path, case_id, command):
    argv = ["--store", str(tmp_path / "store"), *(part.format(id=case_id) for part in command)]
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        input="Fictional text.",
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"] == 0, result.stderr
    loaded = set(report["loaded"])
    assert [name for name in HEAVY if name in loaded] == [], result.stderr[-3000:]
