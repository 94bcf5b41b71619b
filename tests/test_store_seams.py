"""The store's seams: observers told of every write, move and purge; write checks on every path."""

from __future__ import annotations

import ast
import logging
import time
from pathlib import Path

import pytest
from store_helpers import TWO_SECTIONS, open_store

import coprod_tui.core.store as store_package
from coprod_tui.core.case import Case, new_case, set_section_text
from coprod_tui.core.errors import UserInputError
from coprod_tui.core.export import ExportItem
from coprod_tui.core.store import CaseStore, WriteRefused
from coprod_tui.core.store.scan import changed_files, fingerprint

TEMPLATE = TWO_SECTIONS


class Recorder:
    """An observer that writes down what it hears."""

    def __init__(self) -> None:
        self.events: list[tuple] = []

    def written(self, doc: Case, path: Path, trashed: bool) -> None:
        assert path.exists()  # told after the write is durable, not before
        self.events.append(("written", doc.id, doc.revision, trashed))

    def moved(self, doc_id: str, trashed: bool) -> None:
        self.events.append(("moved", doc_id, trashed))

    def purged(self, doc_id: str) -> None:
        self.events.append(("purged", doc_id))


class Broken:
    """An observer that fails on everything."""

    def written(self, doc: Case, path: Path, trashed: bool) -> None:
        raise RuntimeError("observer down")

    def moved(self, doc_id: str, trashed: bool) -> None:
        raise RuntimeError("observer down")

    def purged(self, doc_id: str) -> None:
        raise RuntimeError("observer down")


@pytest.fixture
def store(tmp_path) -> CaseStore:
    return open_store(tmp_path / "store", TEMPLATE)


def make(store: CaseStore, title: str = "Fictional Jonas") -> Case:
    return store.create(new_case(title, TEMPLATE))


# --- observers ------------------------------------------------------------------------


def test_observers_hear_every_write_move_and_purge(tmp_path):
    recorder = Recorder()
    store = CaseStore.open(tmp_path / "store", templates=None, observers=[recorder])
    case = make(store)
    store.save(set_section_text(case, "situation", "a"), base_revision=1)
    store.write_section(case.id, "notes", "b", append=True)
    store.trash(case.id)
    store.untrash(case.id)
    removed = store.purge(case.id)
    assert recorder.events == [
        ("written", case.id, 1, False),
        ("written", case.id, 2, False),
        ("written", case.id, 3, False),
        ("moved", case.id, True),
        ("moved", case.id, False),
        ("purged", case.id),
    ]
    assert removed == [case.id]


def test_add_observer_hears_later_writes_and_trashed_saves(store):
    case = make(store)
    recorder = Recorder()
    store.add_observer(recorder)
    store.trash(case.id)
    store.save(set_section_text(case, "situation", "in the trash"), base_revision=1)
    assert recorder.events == [("moved", case.id, True), ("written", case.id, 2, True)]


def test_a_failing_observer_never_fails_or_undoes_a_write(store, caplog):
    broken, recorder = Broken(), Recorder()
    store.add_observer(broken)
    store.add_observer(recorder)
    with caplog.at_level(logging.ERROR):
        case = make(store, "Fictional Kerstin")
        saved = store.save(set_section_text(case, "situation", "kept"), base_revision=1)
        store.trash(case.id)
        store.untrash(case.id)
    assert saved.case.revision == 2 and store.load(case.id).text("situation") == "kept"
    assert [s.title for s in store.list_cases()] == ["Fictional Kerstin"]  # the catalog heard it
    assert len(recorder.events) == 4  # the observers after the broken one still hear
    assert "observer down" in caplog.text
    assert store.purge(case.id) == [case.id]
    assert store.list_cases(include_trashed=True) == []


# --- write checks ---------------------------------------------------------------------


class Seen:
    """A write check that records what it saw (and can be told to refuse)."""

    def __init__(self) -> None:
        self.cases: list[Case] = []
        self.refuse = False

    def __call__(self, case: Case) -> None:
        self.cases.append(case.copy())
        if self.refuse:
            raise WriteRefused("it names someone real; remove the name and save again")

    def texts(self) -> list[tuple[str, str]]:
        return [(c.text("situation"), c.text("notes")) for c in self.cases]


@pytest.fixture
def seen(store) -> Seen:
    check = Seen()
    store.add_write_check(check)
    return check


def test_create_save_and_the_merged_result_pass_the_checks(store, seen):
    case = make(store)
    assert len(seen.cases) == 1 and seen.cases[0].id == case.id
    store.save(set_section_text(case, "situation", "window one"), base_revision=1)
    store.save(set_section_text(case, "notes", "window two"), base_revision=1)  # merges
    assert seen.texts()[1:] == [("window one", ""), ("window one", "window two")]


def test_update_and_write_section_pass_the_checks(store, seen):
    case = make(store)
    store.update(case.id, lambda c: set_section_text(c, "notes", "updated"))
    store.write_section(case.id, "situation", "appended", append=True)
    store.write_section(case.id, "situation", "replaced", expected="appended")
    assert seen.texts()[1:] == [("", "updated"), ("appended", "updated"), ("replaced", "updated")]


def test_conflict_copies_pass_the_checks(store, seen):
    case = make(store)
    store.save(set_section_text(case, "situation", "theirs"), base_revision=1)
    result = store.save(set_section_text(case, "situation", "mine"), base_revision=1)
    assert result.conflicted
    copy = seen.cases[-1]
    assert copy.id == result.conflict.id and copy.conflict_of == case.id
    assert copy.text("situation") == "mine"
    store.write_section(case.id, "situation", "mine again", expected="stale")
    assert seen.cases[-1].conflict_of == case.id
    assert seen.cases[-1].text("situation") == "mine again"


def test_restore_passes_the_checks(store, seen):
    case = make(store)
    store.save(set_section_text(case, "situation", "later"), base_revision=1)
    seen.cases.clear()
    store.restore(case.id, 1)
    assert [(c.id, c.text("situation"), c.revision) for c in seen.cases] == [(case.id, "", 3)]


def test_import_passes_the_checks_for_cases_and_kept_versions(store, seen, tmp_path):
    source = open_store(tmp_path / "source", TEMPLATE)
    case = make(source, "Fictional Linnea")
    source.save(set_section_text(case, "situation", "v2"), base_revision=1)
    item = ExportItem(source.load(case.id, mapped=False), history=source.kept_versions(case.id))
    report = store.import_cases([item])
    assert report.added == [case.id]
    assert sorted(c.revision for c in seen.cases) == [1, 2, 2]  # checked up front, then written


def test_a_refusing_check_writes_nothing_by_any_path(store, seen, tmp_path):
    case = make(store)
    path = store._case_path(case.id)
    before = path.read_bytes()
    seen.refuse = True
    attempts = [
        lambda: store.create(new_case("Fictional Maja", TEMPLATE)),
        lambda: store.save(set_section_text(case, "situation", "x"), base_revision=1),
        lambda: store.update(case.id, lambda c: set_section_text(c, "notes", "x")),
        lambda: store.write_section(case.id, "notes", "x", append=True),
        lambda: store.import_cases([new_case("Fictional Nils", TEMPLATE)]),
    ]
    for attempt in attempts:
        with pytest.raises(UserInputError) as caught:
            attempt()
        message = str(caught.value)
        assert message.startswith("could not ") and message.count("could not") == 1
        assert message.endswith("remove the name and save again") and "\n" not in message
        assert caught.value.exit_code == 2
    assert path.read_bytes() == before
    assert [s.id for s in store.list_cases()] == [case.id]


def test_the_value_checks_come_first(store, seen):
    case = make(store)
    seen.cases.clear()
    with pytest.raises(UserInputError, match="cannot be saved"):
        store.save(set_section_text(case, "situation", "bad \udc80"), base_revision=1)
    assert seen.cases == []  # refused by Case.check before any registered check ran


# --- the changed-files scan and the doctor's surface ----------------------------------


def test_changed_files_names_new_changed_and_gone_files(store):
    first, second = make(store, "One"), make(store, "Two")
    known = {case.id: fingerprint(store._case_path(case.id).stat()) for case in (first, second)}
    known["00000000-0000-4000-8000-000000000000"] = (1, 2, 3)
    later = time.time_ns() + 10 * 10**9  # a scan long after: nothing is racy
    changes, gone = changed_files(store.path, known, started=later)
    assert changes == [] and gone == {"00000000-0000-4000-8000-000000000000"}
    store.save(set_section_text(first, "notes", "changed"), base_revision=1)
    store.trash(second.id)
    third = make(store, "Three")
    changes, gone = changed_files(store.path, known, started=later)
    # Trashing stamps the deletion time, so the moved file counts as changed too.
    assert {(c.doc_id, c.trashed) for c in changes} == {
        (first.id, False),
        (second.id, True),
        (third.id, False),
    }
    changes, _gone = changed_files(store.path, known)  # just written: racy, always re-read
    assert {c.doc_id for c in changes} == {first.id, second.id, third.id}


def test_the_doctor_uses_only_the_stores_public_surface_and_no_cycle():
    folder = Path(store_package.__file__).parent
    doctor = (folder / "doctor.py").read_text(encoding="utf-8")
    assert "store._" not in doctor and "SLF001" not in doctor
    imported = {
        node.module
        for module in ("doctor.py", "documents.py", "case_file.py", "catalog.py", "scan.py")
        for node in ast.walk(ast.parse((folder / module).read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "coprod_tui.core.store.case_store" not in imported


def test_an_append_to_a_case_whose_template_is_unknown_is_saved(tmp_path):
    # The store maps a case onto its template before a change; with no such
    # template it used to hand the stored case itself to the change, so an
    # in-place append looked like "nothing changed" and was silently dropped.
    store = CaseStore.open(tmp_path / "store", templates=None)
    case = make(store)
    result = store.write_section(case.id, "notes", "kept", append=True)
    assert result.case.revision == 2
    assert store.load(case.id).text("notes") == "kept"
