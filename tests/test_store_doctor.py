"""``CaseStore.doctor``: find damage, repair it without ever deleting what was there."""

from __future__ import annotations

import os
import stat

from store_helpers import ONE_SECTION, open_store

from coprod_tui.core.case import new_case, set_section_text
from coprod_tui.core.store import CaseStore

TEMPLATE = ONE_SECTION
GARBAGE = b'{"case": {"1": {"title": "half a fi'


def case_with_history(store: CaseStore, *texts: str):
    case = store.create(new_case("Fictional Hedda", TEMPLATE))
    for text in texts:
        current = store.load(case.id)
        store.save(set_section_text(current, "situation", text), base_revision=current.revision)
        store = open_store(store.path)  # a new session each time: every version kept
    return case


def test_a_healthy_store(tmp_path):
    store = open_store(tmp_path)
    case_with_history(store, "a", "b")
    report = store.doctor()
    assert report.healthy and report.checked == 1 and report.problems == []


def test_doctor_reports_damage_and_repair_restores_the_newest_good_version(tmp_path):
    store = open_store(tmp_path)
    case = case_with_history(store, "first", "second", "third")
    other = store.create(new_case("Untouched", TEMPLATE))
    path = store._case_path(case.id)
    damaged = GARBAGE + b', "revision": 4, "tit'
    path.write_bytes(damaged)

    report = store.doctor()
    assert not report.healthy
    assert len(report.problems) == 1 and case.id[:8] in report.problems[0]
    assert path.read_bytes() == damaged  # checking changes nothing

    report = store.doctor(repair=True)
    assert report.healthy, report.problems
    assert any("restored revision 3" in line for line in report.fixed)
    repaired = store.load(case.id)
    assert repaired.text("situation") == "second"  # newest good kept version
    assert repaired.revision == 5
    aside = list((store.path / "damaged").iterdir())
    assert [p.read_bytes() for p in aside] == [damaged]  # the damaged file is kept
    assert not any(s.damaged for s in store.list_cases())
    assert store.load(other.id).title == "Untouched"
    assert store.doctor().healthy


def test_damage_without_any_earlier_version_is_set_aside_and_said_where(tmp_path):
    store = open_store(tmp_path)
    case = store.create(new_case("Lonely", TEMPLATE))
    other = store.create(new_case("Untouched", TEMPLATE))
    path = store._case_path(case.id)
    path.write_bytes(GARBAGE)
    report = store.doctor(repair=True)
    assert report.healthy, report.problems
    [aside] = (store.path / "damaged").iterdir()
    assert aside.read_bytes() == GARBAGE  # the only copy of its bytes is kept
    assert "no earlier version" in report.fixed[0] and str(aside) in report.fixed[0]
    assert not path.exists()
    assert [s.id for s in store.list_cases()] == [other.id]
    assert store.doctor().healthy


def test_a_damaged_trashed_case_is_found_too(tmp_path):
    store = open_store(tmp_path)
    case = case_with_history(store, "kept")
    store.trash(case.id)
    store._trash_path(case.id).write_bytes(b"")
    assert "in the trash" in store.doctor().problems[0]
    assert store.doctor(repair=True).healthy
    assert store.load(case.id).text("situation") == "" and store.list_trash()[0].id == case.id


def test_damaged_history_is_reported_and_moved_aside(tmp_path):
    store = open_store(tmp_path)
    case = case_with_history(store, "a", "b")
    [first, *_rest] = store._history.snapshots(case.id)
    first.path.unlink()
    first.path.write_bytes(GARBAGE)  # a damaged copy, not the live file's link
    report = store.doctor()
    assert any("kept revision 1 is damaged" in line for line in report.problems)
    assert store.history(case.id)[-1].damaged
    assert store.doctor(repair=True).healthy
    assert GARBAGE in [p.read_bytes() for p in (store.path / "damaged").iterdir()]
    assert store.doctor().healthy


def test_loose_modes_are_reported_and_tightened(tmp_path):
    store = open_store(tmp_path)
    case = store.create(new_case("Fictional", TEMPLATE))
    path = store._case_path(case.id)
    os.chmod(path, 0o644)
    report = store.doctor()
    assert any("can be read by other users" in line for line in report.problems)
    assert store.doctor(repair=True).healthy
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_restoring_over_a_damaged_file_keeps_it_aside(tmp_path):
    store = open_store(tmp_path)
    case = case_with_history(store, "first", "second")
    path = store._case_path(case.id)
    path.write_bytes(GARBAGE)
    restored = store.restore(case.id, 2)
    assert restored.text("situation") == "first"
    assert store.load(case.id).revision == restored.revision > 2
    assert [p.read_bytes() for p in (store.path / "damaged").iterdir()] == [GARBAGE]
