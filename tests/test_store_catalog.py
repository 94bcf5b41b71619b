"""The catalog cache: listing without opening case files, and never trusting a stale row."""

from __future__ import annotations

import time

import pytest
from store_helpers import ONE_SECTION, open_store

from coprod_tui.core.case import new_case, set_section_text
from coprod_tui.core.store import CaseStore
from coprod_tui.core.store import catalog as catalog_module

TEMPLATE = ONE_SECTION


@pytest.fixture
def reads(monkeypatch) -> list:
    """Counts the case files the catalog opens."""
    opened: list = []
    real = catalog_module.read_json_with_stat

    def counting(path):
        opened.append(path)
        return real(path)

    monkeypatch.setattr(catalog_module, "read_json_with_stat", counting)
    return opened


def settle() -> None:
    """Let freshly written files age past the catalog's racy window."""
    time.sleep(catalog_module.RACY_NS / 1e9 + 0.05)


def make_store(tmp_path, count: int) -> tuple[CaseStore, list[str]]:
    store = open_store(tmp_path / "store", TEMPLATE)
    ids = [store.create(new_case(f"Fictional {n}", TEMPLATE)).id for n in range(count)]
    return store, ids


def test_listing_after_saves_opens_no_case_file(tmp_path, reads):
    store, ids = make_store(tmp_path, 30)
    store.save(set_section_text(store.load(ids[3]), "situation", "x"), base_revision=1)
    settle()
    summaries = store.list_cases()
    assert reads == []  # every row came from the writers' journal
    assert {s.id for s in summaries} == set(ids)
    assert next(s for s in summaries if s.id == ids[3]).filled == ("situation",)
    assert (store.path / "catalog.json").exists()


def test_a_lost_journal_only_costs_re_reads(tmp_path, reads):
    store, ids = make_store(tmp_path, 10)
    settle()
    store.list_cases()
    (store.path / "catalog.journal").unlink(missing_ok=True)
    store.save(set_section_text(store.load(ids[0]), "situation", "new"), base_revision=1)
    (store.path / "catalog.journal").unlink()  # as if the writer died before noting it
    settle()
    reads.clear()
    summaries = {s.id: s for s in store.list_cases()}
    assert summaries[ids[0]].revision == 2 and summaries[ids[0]].filled == ("situation",)
    assert [p.name for p in reads] == [f"{ids[0]}.json"]
    reads.clear()
    store.list_cases()
    assert reads == []  # what was learned is kept for the next lister


def test_torn_journal_lines_are_skipped(tmp_path):
    store, ids = make_store(tmp_path, 3)
    with open(store.path / "catalog.journal", "ab") as journal:
        journal.write(b'["cases","' + ids[0].encode() + b'",1,2')
    assert {s.id for s in store.list_cases()} == set(ids)


def test_the_journal_is_folded_into_the_snapshot(tmp_path, monkeypatch):
    monkeypatch.setattr(catalog_module, "COMPACT_BYTES", 2000)
    store, ids = make_store(tmp_path, 20)
    journal = store.path / "catalog.journal"
    assert journal.stat().st_size > 2000
    settle()
    store.list_cases()
    assert not journal.exists() or journal.stat().st_size == 0
    assert len(store.list_cases()) == 20


def test_trash_moves_keep_their_rows(tmp_path, reads):
    store, ids = make_store(tmp_path, 5)
    settle()
    store.list_cases()
    store.trash(ids[1])
    reads.clear()
    assert [s.id for s in store.list_trash()] == [ids[1]]
    # Trashing stamps the file with the deletion time (its mtime), so that one
    # file is read again; every other row is still trusted.
    assert [p.name for p in reads] == [f"{ids[1]}.json"]


def test_a_file_replaced_within_the_racy_window_is_always_re_read(tmp_path, reads, monkeypatch):
    monkeypatch.setattr(catalog_module, "RACY_NS", 60 * 10**9)  # "just now", however slow
    store, ids = make_store(tmp_path, 2)
    store.list_cases()
    reads.clear()
    store.list_cases()  # files younger than the racy window: re-read, not trusted
    assert sorted(p.name for p in reads) == sorted(f"{i}.json" for i in ids)


def test_the_snapshot_round_trips_every_summary_field(tmp_path, reads):
    store = open_store(tmp_path / "store", TEMPLATE)
    for n in range(6):
        case = new_case(f"Fictional {n}", TEMPLATE, tags=[f"t{n % 2}", "shared"])
        case.sections["situation"] = "text" if n % 3 else ""
        store.create(case)
    settle()
    first = store.list_cases()  # folds the journal into a fresh snapshot
    assert (store.path / "catalog.json").exists()
    reads.clear()
    second = open_store(store.path, TEMPLATE).list_cases()
    assert reads == []
    assert second == first
    assert {s.tags for s in second} == {("t0", "shared"), ("t1", "shared")}
    assert [s.updated for s in second] == sorted((s.updated for s in second), reverse=True)
