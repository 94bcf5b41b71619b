"""A purge erases a case from the search index too, down to the bytes of its file.

Deleting rows would not do: SQLite keeps deleted rows in free pages and FTS5
keeps them in older segments, so the index file would still hold the words.
The people and words here are fictional.
"""

from __future__ import annotations

from pathlib import Path

from coprod_tui.cli import main
from coprod_tui.core.case import new_case
from coprod_tui.core.search import SearchIndex
from coprod_tui.core.search.index import INDEX_FOLDER, INDEX_NAME
from coprod_tui.core.store import CaseStore
from coprod_tui.core.template.registry import discover_templates

SECRET = "Vindelbrinkarna"  # an invented word, in one case only


def _store_with_secret(path: Path) -> tuple[CaseStore, str]:
    template = discover_templates().default()
    store = CaseStore.open(path, create=True)
    kept = new_case("Kept visit (fictional)", template)
    kept.sections["situation"] = "Ett vanligt hembesök."
    store.create(kept)
    gone = new_case("To be erased (fictional)", template)
    gone.sections["situation"] = f"Familjen {SECRET} ringde om remissen."
    return store, store.create(gone).id


def _index_bytes(store: CaseStore) -> bytes:
    folder = store.path / INDEX_FOLDER
    return b"".join(p.read_bytes() for p in folder.iterdir() if p.name.startswith(INDEX_NAME))


def test_coprod_purge_leaves_no_word_of_the_case_in_the_index(tmp_path, capsys):
    store, gone = _store_with_secret(tmp_path / "store")
    with SearchIndex.for_store(store) as index:
        assert [hit.case_id for hit in index.search(SECRET.lower())] == [gone]
    assert SECRET.encode() in _index_bytes(store)
    assert main(["--store", str(store.path), "purge", gone, "--yes"]) == 0
    assert SECRET.encode() not in _index_bytes(store)
    with SearchIndex.for_store(CaseStore.open(store.path)) as index:
        assert index.search(SECRET.lower()) == []
        assert len(index.search("hembesök")) == 1


def test_a_purge_in_the_workbench_rebuilds_the_index_it_observes(tmp_path):
    store, gone = _store_with_secret(tmp_path / "store")
    with SearchIndex.for_store(store) as index:
        index.observe(store)
        assert index.search(SECRET.lower())
        store.purge(gone)
        assert index.search(SECRET.lower()) == []  # a search applies what was queued
        assert SECRET.encode() not in _index_bytes(store)
        assert len(index.search("hembesök")) == 1
