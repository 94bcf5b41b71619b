"""CaseStore basics: create, load, save with revisions, conflicts, ids, trash, templates."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from coprod_tui.core.case import Case, new_case, set_section_text
from coprod_tui.core.errors import UserInputError
from coprod_tui.core.store import (
    AmbiguousCaseId,
    CaseNotFound,
    CaseStore,
    DamagedCaseError,
    StoreError,
    UnsafeStoreError,
    storage,
)
from coprod_tui.core.template import Section, Template


def make_template(*section_ids: str, version: int = 1, renamed: dict | None = None) -> Template:
    ids = section_ids or ("situation", "emotions", "reflections")
    renamed = renamed or {}
    return Template(
        id="test-template",
        version=version,
        title="Test template",
        language="en",
        source="invented for tests",
        sections=tuple(
            Section(id=sid, title=sid.title(), renamed_from=tuple(renamed.get(sid, ())))
            for sid in ids
        ),
    )


class Registry:
    """The bit of the template registry the store uses."""

    def __init__(self, *templates: Template) -> None:
        self.templates = {t.id: t for t in templates}

    def get(self, template_id: str) -> Template:
        return self.templates[template_id]


@pytest.fixture
def template() -> Template:
    return make_template()


@pytest.fixture
def store(tmp_path, template) -> CaseStore:
    return CaseStore.open(tmp_path / "store", templates=Registry(template))


def add(store: CaseStore, template: Template, title: str = "Fictional visit", **text) -> Case:
    case = new_case(title, template)
    case.sections.update(text)
    return store.create(case)


def all_files(root: Path) -> list[Path]:
    return [Path(folder) / name for folder, _d, files in os.walk(root) for name in files]


def all_dirs(root: Path) -> list[Path]:
    return [Path(folder) for folder, _d, _f in os.walk(root)]


# --- privacy --------------------------------------------------------------------------


def test_everything_is_private_under_umask_000(tmp_path, template):
    old = os.umask(0)
    try:
        store = CaseStore.open(tmp_path / "deep" / "store", templates=Registry(template))
        case = add(store, template, situation="Ingrid Fictional visits.")
        store.save(set_section_text(case, "emotions", "calm"), base_revision=1)
        store.list_cases()
        store.trash(case.id)
    finally:
        os.umask(old)
    for folder in all_dirs(store.path):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE((tmp_path / "deep").stat().st_mode) == 0o700
    files = all_files(store.path)
    assert len(files) >= 5
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722, 0o702])
def test_a_store_others_can_write_is_refused(tmp_path, mode):
    folder = tmp_path / "store"
    CaseStore.open(folder)
    os.chmod(folder, mode)
    with pytest.raises(UnsafeStoreError) as error:
        CaseStore.open(folder)
    message = str(error.value)
    assert f"chmod 700 {folder}" in message
    assert "\n" not in message
    assert stat.S_IMODE(folder.stat().st_mode) == mode  # not silently changed


def test_a_readable_store_is_tightened(tmp_path):
    folder = tmp_path / "store"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    CaseStore.open(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_writable_subfolder_is_refused_or_fixed(tmp_path):
    folder = tmp_path / "store"
    CaseStore.open(folder)
    os.chmod(folder / "cases", 0o777)
    CaseStore.open(folder)  # ours: tightened
    assert stat.S_IMODE((folder / "cases").stat().st_mode) == 0o700


def test_a_symlinked_subfolder_is_refused(tmp_path):
    folder = tmp_path / "store"
    CaseStore.open(folder)
    os.rmdir(folder / "trash")
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", folder / "trash")
    with pytest.raises(UnsafeStoreError, match="symlink"):
        CaseStore.open(folder)


def test_own_symlink_to_own_store_is_fine(tmp_path, template):
    real = tmp_path / "real"
    store = CaseStore.open(real, templates=Registry(template))
    case = add(store, template)
    os.symlink(real, tmp_path / "link")
    again = CaseStore.open(tmp_path / "link", templates=Registry(template))
    assert [s.id for s in again.list_cases()] == [case.id]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give files to another user")
def test_foreign_symlink_and_foreign_folder_are_refused(tmp_path):
    real = tmp_path / "real"
    CaseStore.open(real)
    link = tmp_path / "link"
    os.symlink(real, link)
    os.lchown(link, 4321, 4321)
    with pytest.raises(UnsafeStoreError, match="symlink owned by another user"):
        CaseStore.open(link)
    os.chown(real, 4321, 4321)
    with pytest.raises(UnsafeStoreError, match="another user"):
        CaseStore.open(real)


def test_a_folder_with_other_files_is_not_taken_over(tmp_path):
    (tmp_path / "notes.txt").write_text("someone's notes")
    with pytest.raises(StoreError, match="not a coprod store"):
        CaseStore.open(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_open_without_create_needs_an_existing_store(tmp_path):
    with pytest.raises(StoreError, match="no store"):
        CaseStore.open(tmp_path / "missing", create=False)
    assert not (tmp_path / "missing").exists()


def test_a_file_as_store_path_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="not a folder"):
        CaseStore.open(tmp_path / "file")


# --- create, load, save ---------------------------------------------------------------


def test_create_load_round_trip(store, template):
    case = new_case("Fictional visit", template, tags=["home", "copd"])
    case.sections["situation"] = "Åke Fiktiv, 81, “patient”, calls at 07:10."
    case.fields["setting"] = "health centre"
    stored = store.create(case)
    assert stored.revision == 1
    assert "@" in stored.saved_by
    loaded = store.load(case.id)
    assert loaded == stored
    assert loaded.tags == ["home", "copd"]


def test_create_refuses_an_existing_id(store, template):
    case = add(store, template)
    with pytest.raises(UserInputError, match="already exists"):
        store.create(case)
    store.trash(case.id)
    with pytest.raises(UserInputError, match="already exists"):
        store.create(case)  # trashed ids stay reserved


def test_save_bumps_the_revision(store, template):
    case = add(store, template)
    edited = set_section_text(case, "situation", "First words.")
    result = store.save(edited, base_revision=case.revision)
    assert not result.conflicted
    assert result.case.revision == 2
    assert store.load(case.id).text("situation") == "First words."
    again = store.save(set_section_text(result.case, "situation", "More."), base_revision=2)
    assert again.case.revision == 3


def test_saving_unchanged_text_writes_nothing(store, template):
    case = add(store, template, situation="Same.")
    before = store._case_path(case.id).stat().st_ino
    result = store.save(case.copy(), base_revision=1)
    assert result.case.revision == 1 and not result.conflicted
    assert store._case_path(case.id).stat().st_ino == before


def test_a_stale_save_becomes_a_conflict_copy(store, template):
    case = add(store, template, situation="Shared start.")
    theirs = store.save(set_section_text(case, "situation", "Theirs."), base_revision=1)
    mine = set_section_text(case, "situation", "Mine.")
    result = store.save(mine, base_revision=1)
    assert result.conflicted
    assert result.case.text("situation") == "Theirs."
    assert result.case.revision == theirs.case.revision
    copy = result.conflict
    assert copy.id != case.id
    assert copy.conflict_of == case.id
    assert copy.title.startswith("Fictional visit (conflict copy, ")
    assert "@" in copy.title
    assert store.load(copy.id).text("situation") == "Mine."
    assert store.load(case.id).text("situation") == "Theirs."
    summaries = {s.id: s for s in store.list_cases()}
    assert summaries[copy.id].conflict_of == case.id
    # The conflict copy can be edited and saved like any case.
    more = store.save(set_section_text(copy, "situation", "Mine, more."), base_revision=1)
    assert not more.conflicted


def test_a_stale_save_of_identical_text_is_no_conflict(store, template):
    case = add(store, template)
    store.save(set_section_text(case, "situation", "Same."), base_revision=1)
    result = store.save(set_section_text(case, "situation", "Same."), base_revision=1)
    assert not result.conflicted
    assert len(store.list_cases()) == 1


def test_saving_a_case_someone_trashed_saves_it_in_the_trash_without_copies(store, template):
    case = add(store, template)
    store.trash(case.id)
    result = store.save(set_section_text(case, "situation", "Typed on."), base_revision=1)
    assert result.trashed and not result.conflicted
    assert [s.id for s in store.list_trash()] == [case.id]
    assert store.list_cases() == []  # no conflict copy appeared
    assert store.load(case.id).text("situation") == "Typed on."
    again = store.save(set_section_text(result.case, "situation", "More."), base_revision=2)
    assert again.trashed and not again.conflicted and again.case.revision == 3
    store.untrash(case.id)
    assert store.load(case.id).text("situation") == "More."


def test_saving_a_case_whose_file_vanished_recreates_it(store, template):
    case = add(store, template)
    store._case_path(case.id).unlink()
    result = store.save(set_section_text(case, "situation", "Still here."), base_revision=1)
    assert not result.conflicted
    assert store.load(case.id).text("situation") == "Still here."


def test_update_applies_a_change_under_the_lock(store, template):
    case = add(store, template, situation="one")

    def append(current: Case) -> Case:
        current.sections["situation"] += " two"
        return current

    updated = store.update(case.id, append)
    assert updated.revision == 2
    assert store.load(case.id).text("situation") == "one two"


def test_lone_surrogates_are_refused_without_writing(store, template):
    case = add(store, template)
    with pytest.raises(UserInputError, match="cannot be saved"):
        store.save(set_section_text(case, "situation", "bad \udc80"), base_revision=1)
    assert store.load(case.id).revision == 1


# --- ids ------------------------------------------------------------------------------


def test_resolve_id_by_unique_prefix(store, template):
    cases = [add(store, template, title=f"Case {n}") for n in range(20)]
    for case in cases:
        assert store.resolve_id(case.id) == case.id
        assert store.resolve_id(case.id.upper()) == case.id
        unique = next(
            case.id[:n]
            for n in range(1, 37)
            if sum(c.id.startswith(case.id[:n]) for c in cases) == 1
        )
        assert store.resolve_id(unique) == case.id


def test_resolve_id_errors(store, template):
    first = add(store, template)
    second = new_case("Other", template)
    # Shares six characters with the first id and never eight (the 7th differs).
    seventh = "0" if first.id[6] != "0" else "1"
    second.id = first.id[:6] + seventh + second.id[7:]
    store.create(second)
    with pytest.raises(AmbiguousCaseId, match="2 cases start with"):
        store.resolve_id(first.id[:6])
    with pytest.raises(CaseNotFound):
        store.resolve_id("zzzz")
    with pytest.raises(CaseNotFound):
        store.resolve_id("   ")
    store.trash(first.id)
    assert store.resolve_id(first.id[:6]) == second.id
    assert store.resolve_id(first.id[:8], include_trashed=True) == first.id
    with pytest.raises(CaseNotFound, match="trash"):
        store.resolve_id(first.id)


def test_unknown_or_malformed_ids_are_not_found(store):
    for bad in ["nope", "../../etc/passwd", "00000000-0000-0000-0000-000000000000"]:
        with pytest.raises(CaseNotFound):
            store.load(bad)


# --- listing and trash ----------------------------------------------------------------


def test_list_summaries(store, template):
    first = add(store, template, title="First", situation="text", emotions="  ")
    second = add(store, template, title="Second")
    summaries = store.list_cases()
    assert [s.id for s in summaries][:2] and {s.id for s in summaries} == {first.id, second.id}
    by_id = {s.id: s for s in summaries}
    assert by_id[first.id].filled == ("situation",)
    assert by_id[first.id].title == "First"
    assert by_id[first.id].revision == 1
    assert not by_id[first.id].damaged


def test_trash_and_untrash_keep_the_id(store, template):
    case = add(store, template)
    store.trash(case.id)
    assert store.list_cases() == []
    assert [s.id for s in store.list_trash()] == [case.id]
    assert store.list_trash()[0].trashed
    assert store.load(case.id).id == case.id  # still readable
    store.untrash(case.id)
    assert [s.id for s in store.list_cases()] == [case.id]
    assert store.list_trash() == []
    with pytest.raises(CaseNotFound):
        store.untrash(case.id[:-1] + ("0" if case.id[-1] != "0" else "1"))


def test_catalog_follows_changes_made_behind_its_back(store, template):
    case = add(store, template, title="Before")
    assert store.list_cases()[0].title == "Before"
    other = CaseStore.open(store.path, templates=Registry(template))
    other.save(Case(**{**case.__dict__, "title": "After"}), base_revision=1)
    assert store.list_cases()[0].title == "After"


def test_catalog_is_rebuilt_when_missing_or_damaged(store, template):
    case = add(store, template, title="Kept")
    store.list_cases()
    catalog = store.path / "catalog.json"
    catalog.write_text("{ torn")
    assert [s.title for s in store.list_cases()] == ["Kept"]
    catalog.unlink()
    assert [s.title for s in store.list_cases()] == ["Kept"]
    assert catalog.exists()
    assert store.load(case.id).title == "Kept"


def test_an_in_place_edit_of_a_case_file_is_noticed(store, template):
    case = add(store, template, title="Original")
    store.list_cases()
    path = store._case_path(case.id)
    text = path.read_text().replace("Original", "Edited by hand!!")
    path.write_text(text)  # in place, same inode
    assert store.list_cases()[0].title == "Edited by hand!!"


# --- damage ---------------------------------------------------------------------------


def test_a_damaged_case_is_listed_and_never_written_over(store, template):
    good = add(store, template, title="Good")
    bad = add(store, template, title="Will break")
    store.list_cases()
    path = store._case_path(bad.id)
    path.write_bytes(b'{"case": {"1": {"id": ')
    summaries = {s.id: s for s in store.list_cases()}
    assert summaries[bad.id].damaged
    assert summaries[bad.id].title == "Will break"  # last good title kept
    assert not summaries[good.id].damaged
    with pytest.raises(DamagedCaseError, match="doctor"):
        store.load(bad.id)
    with pytest.raises(DamagedCaseError):
        store.save(set_section_text(bad, "situation", "x"), base_revision=1)
    assert path.read_bytes() == b'{"case": {"1": {"id": '
    store.save(set_section_text(good, "situation", "fine"), base_revision=1)
    assert store.load(good.id).text("situation") == "fine"


def test_a_case_file_with_the_wrong_shape_is_damaged(store, template):
    case = add(store, template)
    store._case_path(case.id).write_text('{"case": {"1": {"id": 5}}}')
    with pytest.raises(DamagedCaseError):
        store.load(case.id)
    assert store.list_cases()[0].damaged


# --- failures -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "disk is full"),
        (errno.EACCES, "permission denied"),
        (errno.EROFS, "read-only"),
    ],
)
def test_write_failures_are_one_clear_line_and_keep_everything(
    store, template, monkeypatch, code, words
):
    case = add(store, template, situation="Saved before.")
    path = store._case_path(case.id)
    before = path.read_bytes()
    edited = set_section_text(case, "situation", "Unsaved words.")

    def fail(*_args, **_kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(storage.os, "fsync", fail)
    with pytest.raises(StoreError) as error:
        store.save(edited, base_revision=1)
    message = str(error.value)
    assert words in message and "\n" not in message
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert edited.text("situation") == "Unsaved words."  # the caller still holds it
    retry = store.save(edited, base_revision=1)  # and can simply retry
    assert retry.case.text("situation") == "Unsaved words."
    assert not retry.conflicted


def test_a_read_only_store_can_still_be_listed_and_read(store, template, monkeypatch):
    case = add(store, template, title="Readable")

    def refuse(*_args, **_kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(storage, "atomic_write_bytes", refuse)
    monkeypatch.setattr("coprod_tui.core.store.catalog.atomic_write_bytes", refuse)
    assert [s.title for s in store.list_cases()] == ["Readable"]
    assert store.load(case.id).title == "Readable"
    with pytest.raises(StoreError, match="read-only"):
        store.save(set_section_text(case, "situation", "x"), base_revision=1)


# --- template changes -----------------------------------------------------------------


def test_template_changes_map_by_id_and_keep_orphans(tmp_path):
    old = make_template("situation", "feelings", "notes", version=1)
    store = CaseStore.open(tmp_path / "s", templates=Registry(old))
    case = new_case("Fictional", old)
    case.sections.update(situation="S", feelings="F", notes="N")
    store.create(case)

    new = make_template("situation", "emotions", version=2, renamed={"emotions": ["feelings"]})
    reopened = CaseStore.open(tmp_path / "s", templates=Registry(new))
    loaded = reopened.load(case.id)
    assert loaded.sections == {"situation": "S", "emotions": "F"}
    assert loaded.orphans == {"notes": "N"}
    assert loaded.template_version == 2
    # Saving the mapped case keeps the orphan on disk.
    reopened.save(set_section_text(loaded, "situation", "S2"), base_revision=loaded.revision)
    raw = reopened.load(case.id, mapped=False)
    assert raw.orphans == {"notes": "N"} and raw.sections["emotions"] == "F"


def test_unknown_template_loads_unmapped(tmp_path, template):
    store = CaseStore.open(tmp_path / "s", templates=Registry(template))
    case = add(store, template, situation="kept")
    blind = CaseStore.open(tmp_path / "s", templates=Registry())
    assert blind.load(case.id).sections == {"situation": "kept"}


def test_write_section_appends_and_replaces(store, template):
    case = add(store, template, situation="one")
    store.write_section(case.id, "situation", "two", append=True)
    store.write_section(case.id, "situation", "three\n", append=True)
    store.write_section(case.id, "situation", "four", append=True)
    assert store.load(case.id).text("situation") == "one\ntwo\nthree\nfour"
    result = store.write_section(case.id, "situation", "fresh", expected="one\ntwo\nthree\nfour")
    assert not result.conflicted and result.case.text("situation") == "fresh"


def test_write_section_never_overwrites_a_change_it_did_not_see(store, template):
    case = add(store, template, situation="as read")
    # Someone else changes the same section, and another one, meanwhile.
    other = store.load(case.id)
    other.sections.update(situation="theirs", emotions="also theirs")
    store.save(other, base_revision=other.revision)
    result = store.write_section(case.id, "situation", "mine", expected="as read")
    assert result.conflicted
    assert store.load(case.id).text("situation") == "theirs"
    copy = store.load(result.conflict.id)
    assert copy.text("situation") == "mine" and copy.text("emotions") == "also theirs"
    # A change to another section only is merged, not a conflict.
    result = store.write_section(case.id, "reflections", "mine too", expected="")
    assert not result.conflicted
    assert store.load(case.id).text("emotions") == "also theirs"
