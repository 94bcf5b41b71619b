"""A second kind of document on the generic document folder: a few lines, not a copy."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import pytest

from coprod_tui.core.case import is_case_id, new_case_id, utc_now
from coprod_tui.core.store import WriteRefused
from coprod_tui.core.store.case_file import DocumentFile
from coprod_tui.core.store.documents import DocumentFolder, DocumentKind, store_guard
from coprod_tui.core.store.storage import DIR_MODE, FILE_MODE
from coprod_tui.core.store.types import CaseNotFound, CasePurgedError


@dataclass
class Note:
    """An invented second kind of document: one text, plus the bookkeeping every kind has."""

    id: str
    text: str
    revision: int = 0
    updated: str = ""
    saved_by: str = ""
    copy_of: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            **copy.deepcopy(self.extra),
            **{k: v for k, v in vars(self).items() if k != "extra"},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Note:
        if not isinstance(data.get("text"), str) or not isinstance(data.get("revision"), int):
            raise ValueError("'text' must be a string and 'revision' a number")
        known = {"id", "text", "revision", "updated", "saved_by", "copy_of"}
        note = cls(**{key: data[key] for key in known if key in data})
        note.extra = {key: value for key, value in data.items() if key not in known}
        return note

    def check(self) -> None:
        if len(self.text) > 100:
            raise ValueError("'text' is longer than 100 characters")

    def copy(self) -> Note:
        return copy.deepcopy(self)


@dataclass(frozen=True)
class Merged:
    case: Note
    clashes: tuple[str, ...]
    from_theirs: tuple[str, ...]


def merge_notes(base: Note, mine: Note, theirs: Note) -> Merged:
    if mine.text == base.text or mine.text == theirs.text:
        return Merged(theirs.copy(), (), ("text",) if theirs.text != mine.text else ())
    if theirs.text == base.text:
        merged = theirs.copy()
        merged.text = mine.text
        return Merged(merged, (), ())
    return Merged(theirs.copy(), ("text",), ())


def note_copy(note: Note, new_id: str, who: str, stamp: str) -> Note:
    made = note.copy()
    made.id, made.copy_of = new_id, note.id
    return made


NOTES = DocumentKind(
    name="note",
    file=DocumentFile("note"),
    from_dict=Note.from_dict,
    is_id=is_case_id,
    new_id=new_case_id,
    merge=merge_notes,
    conflict_copy=note_copy,
    active="notes",
    trash="notes-trash",
    history="notes-history",
)


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[Any, ...]] = []

    def written(self, doc: Note, path: Any, trashed: bool) -> None:
        self.events.append(("written", doc.id, doc.revision, trashed))

    def moved(self, doc_id: str, trashed: bool) -> None:
        self.events.append(("moved", doc_id, trashed))

    def purged(self, doc_id: str) -> None:
        self.events.append(("purged", doc_id))


@pytest.fixture
def folder(tmp_path) -> DocumentFolder[Note]:
    notes = DocumentFolder(
        tmp_path / "store", NOTES, file_mode=FILE_MODE, dir_mode=DIR_MODE, who="tester@host"
    )
    (tmp_path / "store").mkdir(mode=0o700)
    notes.make_folders()
    return notes


def new_note(folder: DocumentFolder[Note], text: str) -> Note:
    doc_id = new_case_id()
    with folder.locked(doc_id):
        return folder.write_new(Note(doc_id, text, updated=utc_now()))


def test_a_second_kind_saves_merges_and_keeps_history(folder):
    note = new_note(folder, "first")
    assert note.revision == 1 and folder.path_of(note.id).parent.name == "notes"
    assert folder.load(note.id).text == "first"
    raw = folder.path_of(note.id).read_text(encoding="utf-8")
    assert raw.startswith('{\n  "note": {\n    "1": {\n') and raw.endswith("}\n")

    mine = note.copy()
    mine.text = "second"
    saved = folder.save(mine, base_revision=1)
    assert saved.case.revision == 2 and not saved.conflicted
    assert [v.revision for v in folder.versions(note.id)] == [1]
    assert folder.kept_version(note.id, 1).text == "first"

    unchanged = folder.save(saved.case, base_revision=2)
    assert unchanged.case.revision == 2  # nothing new: nothing written


def test_a_second_kind_gets_conflict_copies(folder):
    note = new_note(folder, "base")
    theirs, mine = note.copy(), note.copy()
    theirs.text, mine.text = "theirs", "mine"
    folder.save(theirs, base_revision=1)
    result = folder.save(mine, base_revision=1)
    assert result.conflicted and result.clashes == ("text",)
    assert result.case.text == "theirs" and folder.load(note.id).text == "theirs"
    copy_ = folder.load(result.conflict.id)
    assert copy_.text == "mine" and copy_.copy_of == note.id and copy_.revision == 1
    # Saving again for the same conflict updates that copy instead of making another.
    mine.text = "mine, more"
    again = folder.save(mine, base_revision=1, conflict_copy=copy_.id)
    assert again.conflict.id == copy_.id and folder.load(copy_.id).text == "mine, more"


def test_a_second_kind_goes_to_the_trash_comes_back_and_is_purged(folder):
    recorder = Recorder()
    folder.add_observer(recorder)
    note = new_note(folder, "to go")
    folder.move(note.id, to_trash=True)
    assert folder.trash_path(note.id).exists() and not folder.path_of(note.id).exists()
    edited = note.copy()
    edited.text = "edited in the trash"
    assert folder.save(edited, base_revision=1).trashed
    folder.move(note.id, to_trash=False)
    assert folder.purge(note.id) == [note.id]
    assert recorder.events == [
        ("written", note.id, 1, False),
        ("moved", note.id, True),
        ("written", note.id, 2, True),
        ("moved", note.id, False),
        ("purged", note.id),
    ]
    with pytest.raises(CaseNotFound, match="no note with id"):
        folder.load(note.id)
    with pytest.raises(CasePurgedError):
        folder.save(edited, base_revision=2)  # an open editor cannot bring it back


def test_a_second_kind_passes_its_value_checks_and_the_registered_ones(folder, tmp_path):
    note = new_note(folder, "short")
    too_long = note.copy()
    too_long.text = "x" * 101
    refused = pytest.raises(WriteRefused, match="could not save the note: 'text' is longer")
    with refused, store_guard("save the note", tmp_path):
        folder.save(too_long, base_revision=1)

    def no_names(doc: Note) -> None:
        if "Fictional Olle" in doc.text:
            raise WriteRefused("the note names a person; write initials instead")

    folder.add_write_check(no_names)
    named = note.copy()
    named.text = "met Fictional Olle"
    with pytest.raises(WriteRefused, match="initials"):
        folder.save(named, base_revision=1)
    assert folder.load(note.id).text == "short" and folder.load(note.id).revision == 1
