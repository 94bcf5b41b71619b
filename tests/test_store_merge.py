"""Two writers on one case: merged section by section, conflicts only where both changed.

Each writer is its own ``CaseStore`` (a window, or a CLI command); the
two-process test runs them as real processes.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from store_helpers import Registry, make_template

from coprod_tui.core.case import new_case, set_section_text
from coprod_tui.core.editing import EditSession, SaveState
from coprod_tui.core.store import CaseStore

TEMPLATE = make_template("situation", "notes", "reflections")


def open_store(path: Path) -> CaseStore:
    return CaseStore.open(path, templates=Registry(TEMPLATE))


@pytest.fixture
def case_id(tmp_path):
    case = new_case("Fictional: Maja, 7, the asthma plan", TEMPLATE, tags=["asthma"])
    case.sections = {"situation": "Start.", "notes": "Notes."}
    return open_store(tmp_path).create(case).id


def window(tmp_path, case_id) -> EditSession:
    store = open_store(tmp_path)
    return EditSession(store.load(case_id), store)


def cli_write(tmp_path, case_id, section, text):
    store = open_store(tmp_path)
    current = store.load(case_id)
    return store.write_section(case_id, section, text, expected=current.text(section))


def test_a_stale_store_save_merges_other_sections_silently(tmp_path, case_id):
    a, b = open_store(tmp_path), open_store(tmp_path)
    start = a.load(case_id)
    b.save(set_section_text(start, "notes", "Theirs."), base_revision=start.revision)
    result = a.save(set_section_text(start, "situation", "Mine."), base_revision=start.revision)
    assert not result.conflicted and result.clashes == ()
    stored = a.load(case_id)
    assert stored.text("situation") == "Mine." and stored.text("notes") == "Theirs."
    assert stored.revision == 3
    assert result.from_theirs == ("section:notes",)
    assert len(a.list_cases()) == 1  # no conflict copy


def test_two_windows_on_different_sections_make_one_case_with_both(tmp_path, case_id):
    one, two = window(tmp_path, case_id), window(tmp_path, case_id)
    one.set_text("situation", "Written in window one.")
    two.set_text("notes", "Written in window two.")
    assert one.save().saved
    outcome = two.save()
    assert outcome.saved and outcome.new_conflict is None
    assert outcome.merged_sections == ("situation",)
    assert two.text("situation") == "Written in window one."  # came into window two
    assert two.stale_sections() == ["situation"]
    # Window one saves again: window two's text comes to it, nothing reverts.
    one.set_text("reflections", "More from one.")
    assert one.save().merged_sections == ("notes",)
    stored = open_store(tmp_path).load(case_id)
    assert stored.sections == {
        "situation": "Written in window one.",
        "notes": "Written in window two.",
        "reflections": "More from one.",
    }
    assert len(open_store(tmp_path).list_cases()) == 1
    assert one.state is SaveState.SAVED and two.state is SaveState.SAVED


def test_the_same_section_in_two_windows_is_one_conflict_with_one_copy(tmp_path, case_id):
    one, two = window(tmp_path, case_id), window(tmp_path, case_id)
    one.set_text("situation", "One's version.")
    one.save()
    two.set_text("situation", "Two's version.")
    two.set_text("notes", "Two's notes.")
    outcome = two.save()
    assert outcome.new_conflict is not None
    assert two.state is SaveState.CONFLICT
    assert two.conflict.section_ids == ["situation"]
    store = open_store(tmp_path)
    stored = store.load(case_id)
    # The other section merged; the clashing one keeps theirs; ours is in the copy.
    assert stored.text("situation") == "One's version."
    assert stored.text("notes") == "Two's notes."
    copy = store.load(outcome.new_conflict.copy.id)
    assert copy.text("situation") == "Two's version." and copy.conflict_of == case_id
    # Typing on while the conflict is open: still one copy, kept up to date.
    for n in range(3):
        two.set_text("situation", f"Two's version, edit {n}.")
        assert two.save().new_conflict is None
    copies = [s for s in store.list_cases() if s.conflict_of == case_id]
    assert len(copies) == 1
    assert store.load(copies[0].id).text("situation") == "Two's version, edit 2."
    assert store.load(case_id).text("situation") == "One's version."


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("mine", "Two's version."),
        ("theirs", "One's version."),
        ("both", "Two's version.\n\n────"),
    ],
)
def test_a_conflict_is_resolved_per_section(tmp_path, case_id, choice, expected):
    one, two = window(tmp_path, case_id), window(tmp_path, case_id)
    one.set_text("situation", "One's version.")
    one.set_text("notes", "One's notes.")
    one.save()
    two.set_text("situation", "Two's version.")
    two.set_text("notes", "Two's notes.")
    assert two.save().new_conflict.section_ids == ["situation", "notes"]
    outcome = two.resolve({"section:situation": choice})
    assert outcome.saved
    assert two.conflict is not None and two.conflict.section_ids == ["notes"]
    stored = open_store(tmp_path).load(case_id)
    assert stored.text("situation").startswith(expected)
    if choice == "both":
        assert stored.text("situation").rstrip().endswith("One's version.")
    assert stored.text("notes") == "One's notes."  # still undecided: theirs stays
    two.resolve({"section:notes": "mine"})
    assert two.conflict is None and two.state is SaveState.SAVED
    assert open_store(tmp_path).load(case_id).text("notes") == "Two's notes."


def test_take_mine_keeps_the_replaced_revision_in_history(tmp_path, case_id):
    two = window(tmp_path, case_id)
    two.set_text("situation", "Typed until saved.")
    two.save()  # revision 2, by this window
    cli_write(tmp_path, case_id, "situation", "1\n")  # revision 3, by the CLI
    two.set_text("situation", "Typed more.")
    assert two.save().new_conflict is not None
    two.take_mine()
    store = open_store(tmp_path)
    assert store.load(case_id).text("situation") == "Typed more."
    kept = {info.revision for info in store.history(case_id)}
    assert 3 in kept
    assert store.load_revision(case_id, 3).text("situation") == "1\n"


def test_keys_typed_over_old_text_before_it_was_reloaded_clash(tmp_path, case_id):
    """Their text came in while the editor still showed the old one, and we typed on."""
    one, two = window(tmp_path, case_id), window(tmp_path, case_id)
    one.set_text("notes", "Theirs.")
    one.save()
    two.set_text("situation", "Mine.")
    assert two.save().merged_sections == ("notes",)
    # The editor of "notes" still shows "Notes." and the user types into it.
    two.set_text("notes", "Notes. And mine.")
    outcome = two.save()
    assert outcome.new_conflict is not None
    assert two.conflict.section_ids == ["notes"]
    assert open_store(tmp_path).load(case_id).text("notes") == "Theirs."


def test_a_stale_editor_read_back_is_not_an_edit(tmp_path, case_id):
    one, two = window(tmp_path, case_id), window(tmp_path, case_id)
    one.set_text("notes", "Theirs.")
    one.save()
    two.set_text("situation", "Mine.")
    two.save()
    assert two.set_text("notes", "Notes.") is False  # the old text, read back from the editor
    assert two.text("notes") == "Theirs."
    two.shown("notes")
    assert not two.dirty


def test_a_case_trashed_elsewhere_is_saved_in_the_trash_and_restorable(tmp_path, case_id):
    two = window(tmp_path, case_id)
    open_store(tmp_path).trash(case_id)
    two.set_text("situation", "Typed after it was trashed.")
    outcome = two.save()
    assert outcome.saved and outcome.newly_trashed and outcome.new_conflict is None
    assert two.state is SaveState.TRASHED
    two.set_text("situation", "And more.")
    assert not two.save().newly_trashed
    store = open_store(tmp_path)
    assert [s.id for s in store.list_trash()] == [case_id]
    assert store.list_cases() == []  # never a copy
    assert two.restore_from_trash().error is None
    assert two.state is SaveState.SAVED
    assert store.load(case_id).text("situation") == "And more."
    assert [s.id for s in store.list_cases()] == [case_id]


def test_tags_from_two_windows_are_both_kept(tmp_path, case_id):
    a, b = open_store(tmp_path), open_store(tmp_path)
    start = a.load(case_id)
    theirs = start.copy()
    theirs.tags = ["asthma", "school"]
    b.save(theirs, base_revision=start.revision)
    mine = start.copy()
    mine.tags = ["asthma", "night"]
    a.save(mine, base_revision=start.revision)
    assert a.load(case_id).tags == ["asthma", "school", "night"]


def _window_process(path: str, case_id: str, section: str, count: int, barrier) -> None:
    store = open_store(Path(path))
    session = EditSession(store.load(case_id), store)
    barrier.wait()
    for n in range(count):
        session.set_text(section, f"{section} line {n}")
        outcome = session.save()
        assert outcome.error is None and session.conflict is None, outcome


def test_two_processes_editing_different_sections_never_conflict(tmp_path, case_id):
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    workers = [
        context.Process(target=_window_process, args=(str(tmp_path), case_id, s, 25, barrier))
        for s in ("situation", "reflections")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    store = open_store(tmp_path)
    stored = store.load(case_id)
    assert stored.text("situation") == "situation line 24"
    assert stored.text("reflections") == "reflections line 24"
    assert stored.text("notes") == "Notes."
    assert [s.id for s in store.list_cases()] == [case_id]


def test_a_conflict_copy_of_a_case_with_the_longest_title_is_still_written(tmp_path):
    from coprod_tui.core.case import MAX_TITLE

    store = open_store(tmp_path)
    case = store.create(new_case("x" * MAX_TITLE, TEMPLATE))
    theirs = open_store(tmp_path)
    theirs.save(set_section_text(case, "situation", "Theirs."), base_revision=1)
    result = store.save(set_section_text(case, "situation", "Mine."), base_revision=1)
    assert result.conflicted
    copy = store.load(result.conflict.id)
    assert len(copy.title) <= MAX_TITLE and "(conflict copy, " in copy.title
