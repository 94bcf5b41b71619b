"""SIGKILL at any instant: every file is old or new, never torn; acknowledged saves survive."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_helpers import TWO_SECTIONS, open_store

from coprod_tui.core.case import new_case, set_section_text
from coprod_tui.core.store import StoreError, storage
from coprod_tui.core.store.storage import is_temp_name

TEMPLATE = TWO_SECTIONS

# The writer: saves forever, printing the number of each save once it returned.
WRITER = r"""
import sys
from pathlib import Path
from coprod_tui.core.case import new_case
from coprod_tui.core.store import CaseStore
from coprod_tui.core.template import Section, Template

template = Template(id="test-template", version=1, title="Test", language="en", source="x",
                    sections=(Section(id="situation", title="S"), Section(id="notes", title="N")))

class Registry:
    def get(self, template_id):
        return template

store = CaseStore.open(Path(sys.argv[1]), templates=Registry())
ids = sys.argv[3:]
n = int(sys.argv[2])  # each writer numbers its saves above all earlier ones
while True:
    n += 1
    case_id = ids[n % len(ids)]
    case = store.load(case_id)
    case.sections["situation"] = f"save {n}\n" + "Fictional filler. " * (50 + (n * 37) % 900)
    store.save(case, base_revision=case.revision)
    if n % 7 == 0:
        store.create(new_case(f"Created {n}", template))
    print(case_id, n, flush=True)
"""


def every_file_parses(root: Path) -> int:
    """Parse every JSON file of the store (and each journal line); returns the file count."""
    count = 0
    for path in root.rglob("*"):
        if path.suffix == ".json":
            json.loads(path.read_bytes())  # raises if torn
            count += 1
    journal = root / "catalog.journal"
    if journal.exists():
        for line in journal.read_bytes().splitlines():
            json.loads(line)  # one write per line: never half a line
    return count


def test_sigkill_mid_save_never_tears_a_file_or_loses_an_acknowledged_save(tmp_path):
    store = open_store(tmp_path / "store", TEMPLATE)
    ids = [store.create(new_case(f"Case {n}", TEMPLATE)).id for n in range(3)]
    rng = random.Random(5)
    acknowledged: dict[str, int] = {}
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    kills = 0
    for round_number in range(12):
        start = str(round_number * 1_000_000)
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(store.path), start, *ids],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert writer.stdout is not None
        # Wait for the first acknowledged save, then kill at a random instant.
        first = writer.stdout.readline()
        assert first, writer.stderr.read() if writer.stderr else ""
        time.sleep(rng.uniform(0.0, 0.08))
        os.kill(writer.pid, signal.SIGKILL)
        kills += 1
        out, _err = writer.communicate(timeout=30)
        # An acknowledgement is a whole line: the kill may cut the last one short.
        lines = [first, *out.splitlines(keepends=True)]
        for line in lines:
            fields = line.decode(errors="replace").split()
            if not line.endswith(b"\n") or len(fields) != 2:
                assert line is lines[-1], f"a torn line before the last: {line!r}"
                continue
            case_id, number = fields
            acknowledged[case_id] = max(acknowledged.get(case_id, 0), int(number))
        assert every_file_parses(store.path) > 0
        for case_id, number in acknowledged.items():
            text = store.load(case_id).text("situation")
            stored_number = int(text.split("\n", 1)[0].split()[1])
            assert stored_number >= number  # the acknowledged save (or a later one) is there
    assert kills == 12
    summaries = store.list_cases()
    assert not any(s.damaged for s in summaries)
    assert {s.id for s in summaries} >= set(ids)
    assert store.doctor().healthy


def test_a_crash_between_write_and_rename_keeps_the_previous_version(tmp_path, monkeypatch):
    store = open_store(tmp_path / "store", TEMPLATE)
    case = store.create(new_case("Case", TEMPLATE))
    store.save(set_section_text(case, "situation", "version 2"), base_revision=1)

    def crash(*_args, **_kwargs):
        raise OSError(5, "simulated crash before rename")

    monkeypatch.setattr(storage.os, "replace", crash)
    with pytest.raises(StoreError):
        store.save(set_section_text(case, "situation", "version 3"), base_revision=2)
    monkeypatch.undo()
    assert store.load(case.id).text("situation") == "version 2"
    assert store.load(case.id).revision == 2
    leftovers = [n for _f, _d, files in os.walk(store.path) for n in files if is_temp_name(n)]
    assert leftovers == []


def test_temp_files_of_dead_writers_are_harmless_and_swept(tmp_path):
    store = open_store(tmp_path / "store", TEMPLATE)
    case = store.create(new_case("Case", TEMPLATE))
    folder = store._case_path(case.id).parent
    stale = folder / f".{case.id}.json.dead00000000.tmp"
    stale.write_bytes(b'{"case": {"1": {"id": "torn')
    old = time.time() - 7200
    os.utime(stale, (old, old))
    fresh = folder / f".{case.id}.json.live00000000.tmp"
    fresh.write_bytes(b"in flight")
    assert [s.id for s in store.list_cases()] == [case.id]
    assert not stale.exists()  # swept: it never held an acknowledged save
    assert fresh.exists()  # maybe a live writer's: left alone
