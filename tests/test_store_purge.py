"""Erasure on request: ``CaseStore.purge`` and the trash's deletion times.

A purged case leaves nothing of its text in the store: not its file, not its
history, not its conflict copies, not its copies in ``damaged/``, not its
title in the catalog. All people are fictional.
"""

from __future__ import annotations

import os
import time

import pytest
from store_helpers import ONE_SECTION, Registry, open_store

from coprod_tui.core.case import new_case, set_section_text
from coprod_tui.core.store import CaseNotFound, CaseStore

SECRET = "Gunnel Fiktiv-Lind"  # an invented name that must leave no trace


def add(store: CaseStore, title: str, text: str = "") -> str:
    case = store.create(new_case(title, ONE_SECTION))
    if text:
        store.save(set_section_text(case, "situation", text), base_revision=case.revision)
    return case.id


def everything_in(store: CaseStore) -> bytes:
    """Every byte of every file in the store folder (what a purge must clean)."""
    data = b""
    for folder, _dirs, files in os.walk(store.path):
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                with open(path, "rb") as handle:
                    data += handle.read()
    return data


@pytest.fixture
def store(tmp_path) -> CaseStore:
    return open_store(tmp_path / "store")


def test_purge_removes_the_case_its_history_and_its_title_everywhere(store):
    keep = add(store, "Arvid, 70: a different case", "Nothing to do with the other one.")
    gone = add(store, f"{SECRET}, 52", f"{SECRET} called about her mother.")
    store.save(
        set_section_text(store.load(gone), "situation", f"{SECRET} called again."),
        base_revision=store.load(gone).revision,
    )
    store._snapshotted.clear()  # a later session: the next save keeps a version
    store.save(
        set_section_text(store.load(gone), "situation", f"{SECRET}, third call."),
        base_revision=store.load(gone).revision,
    )
    assert store.history(gone)
    assert len(store.list_cases()) == 2

    assert store.purge(gone) == [gone]

    assert [s.id for s in store.list_cases(include_trashed=True)] == [keep]
    assert not (store.path / "history" / gone).exists()
    assert SECRET.encode() not in everything_in(store)
    with pytest.raises(CaseNotFound):
        store.load(gone)
    assert store.load(keep).text("situation") == "Nothing to do with the other one."
    # Another process's view agrees: the catalog forgot it.
    assert [s.id for s in open_store(store.path).list_cases(include_trashed=True)] == [keep]


def test_purge_takes_trashed_cases_conflict_copies_and_damaged_copies(store):
    gone = add(store, f"{SECRET}, 52", "First.")
    first = store.load(gone)
    store.save(set_section_text(first, "situation", "Window one."), base_revision=first.revision)
    result = store.save(
        set_section_text(first, "situation", f"Window two, {SECRET}."),
        base_revision=first.revision,
    )
    assert result.conflict is not None
    copy = result.conflict.id
    store.trash(copy)  # a trashed conflict copy goes too
    damaged = store.path / "damaged"
    damaged.mkdir(mode=0o700, exist_ok=True)
    (damaged / f"{gone}-20240312T140000Z.json").write_text(f'{{"{SECRET}": 1', encoding="utf-8")
    temp = store.path / "cases" / f".{gone}.json.0123456789ab.tmp"
    temp.write_text(SECRET, encoding="utf-8")
    store.trash(gone)
    other = add(store, "Arvid, 70")

    removed = store.purge(gone)

    assert sorted(removed) == sorted([gone, copy]) and removed[0] == gone
    assert [s.id for s in store.list_cases(include_trashed=True)] == [other]
    assert list(damaged.iterdir()) == []
    assert not temp.exists()
    assert SECRET.encode() not in everything_in(store)


def test_purge_of_an_unknown_id_says_so_and_changes_nothing(store):
    keep = add(store, "Arvid, 70")
    with pytest.raises(CaseNotFound):
        store.purge("00000000-0000-4000-8000-000000000099")
    with pytest.raises(CaseNotFound):
        store.purge("not-an-id")
    assert [s.id for s in store.list_cases()] == [keep]


def test_purge_never_follows_a_linked_history_folder_out_of_the_store(store, tmp_path):
    gone = add(store, "Arvid, 70")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("not the store's", encoding="utf-8")
    history = store.path / "history"
    history.mkdir(mode=0o700, exist_ok=True)
    (history / gone).symlink_to(outside)
    store.purge(gone)
    assert not os.path.lexists(history / gone)
    assert (outside / "precious.txt").read_text(encoding="utf-8") == "not the store's"


def test_trash_lists_the_last_deleted_first_with_when(store):
    first = add(store, "Deleted first")
    last = add(store, "Deleted last")
    before = time.time()
    store.trash(last)
    store.trash(first)
    # Pretend "last" really was deleted later, a minute after "first": it leads.
    os.utime(store.path / "trash" / f"{first}.json", (before - 60, before - 60))
    trashed = store.list_trash_by_deletion()
    assert [summary.id for summary, _when in trashed] == [last, first]
    assert trashed[0][1] >= before - 1  # the moment it was deleted, not its last edit
    # Trashing records the moment: the case trashed now leads, whatever its last edit.
    store.untrash(first)
    store.trash(first)
    assert [summary.id for summary, _ in store.list_trash_by_deletion()][0] == first
    # The time lives with the file: a rebuilt catalog and another process see it too.
    (store.path / "catalog.json").unlink(missing_ok=True)
    (store.path / "catalog.journal").unlink(missing_ok=True)
    again = open_store(store.path).list_trash_by_deletion()
    assert [summary.id for summary, _when in again][0] == first


def test_an_editor_still_open_on_a_purged_case_cannot_bring_it_back(tmp_path):
    from coprod_tui.core.editing import EditSession
    from coprod_tui.core.store import CasePurgedError

    store = CaseStore.open(tmp_path / "store", templates=Registry(ONE_SECTION))
    case = store.create(new_case("Fictional: to be erased", ONE_SECTION))
    session = EditSession(store.load(case.id), store)
    CaseStore.open(tmp_path / "store", templates=Registry(ONE_SECTION)).purge(case.id)
    session.set_text("situation", "Typed after the purge.")
    outcome = session.save()
    assert isinstance(outcome.error, CasePurgedError)
    assert "deleted for good" in str(outcome.error)
    assert store.list_cases(include_trashed=True) == []
    assert not any((tmp_path / "store" / "cases").iterdir())
