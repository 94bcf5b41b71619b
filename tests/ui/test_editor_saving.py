"""Never lose a word: flush, leaving, quitting, conflicts, store failures, history."""

from __future__ import annotations

import threading

from editor_helpers import open_editor, status_state, status_text, wait_saved, wait_until
from notices import notices

from coprod_tui.core.editing import SaveState
from coprod_tui.core.store import CaseStore, StoreError
from coprod_tui.ui.dialogs.conflict import ConflictScreen
from coprod_tui.ui.dialogs.history import HistoryScreen
from coprod_tui.ui.screens.case_editor import CaseEditorScreen


def conflict_copies(store: CaseStore, case_id: str):
    return [s for s in store.list_cases() if s.conflict_of == case_id]


async def test_flush_saves_unsaved_text_synchronously(editing, store):
    async with editing(sections={}) as (app, pilot, screen, case):
        await pilot.press(*"Mid-sent")
        screen.flush()
        assert store.load(case.id).text("situation") == "Mid-sent"
        assert not screen.session.dirty
        assert status_text(screen) == "Saved 14:03:12"


async def test_flush_reads_the_editor_even_before_its_change_message(editing, store):
    async with editing(sections={}) as (app, pilot, screen, case):
        screen.editor.insert("typed just before the signal")
        screen.flush()  # no pause: the Changed message has not been handled yet
        assert store.load(case.id).text("situation") == "typed just before the signal"


async def test_escape_saves_and_returns_to_the_list(editing, store):
    async with editing(sections={}) as (app, pilot, screen, case):
        await pilot.press(*"Leaving now")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen
        assert not isinstance(app.screen, CaseEditorScreen)
        assert store.load(case.id).text("situation") == "Leaving now"


async def test_ctrl_q_saves_before_quitting(editing, store):
    async with editing(sections={}) as (_app, pilot, _screen, case):
        await pilot.press(*"Last words")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert store.load(case.id).text("situation") == "Last words"


async def test_flush_while_a_background_save_is_in_flight(
    app_factory, make_case, store, monkeypatch
):
    case = make_case(sections={})
    real_save = store.save
    started = threading.Event()
    release = threading.Event()
    calls: list[str] = []

    def slow_save(saved, *, base_revision, **options):
        calls.append(saved.text("situation"))
        started.set()
        release.wait(5)  # the disk is slow until the test says otherwise
        return real_save(saved, base_revision=base_revision, **options)

    monkeypatch.setattr(store, "save", slow_save)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot, case.id)
        await pilot.press(*"one")
        # The autosave is stuck inside the store (polled: the loop must run its timer).
        await wait_until(pilot, started.is_set)
        await pilot.pause()
        assert status_text(screen) == "Saving…"
        await pilot.press(*" two")
        threading.Timer(0.2, release.set).start()  # the disk catches up while flush waits
        screen.flush()  # waits for the save in flight, then saves the newest text
        assert store.load(case.id).text("situation") == "one two"
        await wait_saved(pilot, screen)
        assert calls[-1] == "one two"
        assert not conflict_copies(store, case.id)  # saves never raced each other
        assert status_state(screen) is SaveState.SAVED


async def test_store_failure_keeps_text_and_retries(app_factory, make_case, store, monkeypatch):
    case = make_case(sections={})
    real_save = store.save
    failing = {"on": True}

    def flaky_save(saved, *, base_revision, **options):
        if failing["on"]:
            raise StoreError("could not save: No space left on device")
        return real_save(saved, base_revision=base_revision, **options)

    monkeypatch.setattr(store, "save", flaky_save)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot, case.id)
        await pilot.press(*"Precious")
        await wait_until(pilot, lambda: screen.session.last_error is not None)
        await pilot.pause()
        assert status_text(screen) == "Unsaved"
        assert screen.session.dirty
        assert screen.editor.text == "Precious"
        messages = [n.message for n in notices(app)]
        assert any("No space left on device" in m and "retried" in m for m in messages)
        failing["on"] = False
        await wait_saved(pilot, screen)  # the scheduled retry succeeds on its own
        assert store.load(case.id).text("situation") == "Precious"
        assert status_text(screen) == "Saved 14:03:12"


async def test_escape_refuses_to_drop_unsaved_text_once(app_factory, make_case, store, monkeypatch):
    case = make_case(sections={})

    def broken_save(saved, *, base_revision, **options):
        raise StoreError("the store is read-only")

    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot, case.id)
        monkeypatch.setattr(store, "save", broken_save)
        await pilot.press(*"Keep me")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert screen.editor.text == "Keep me"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen


def other_window_saves(store: CaseStore, case_id: str, text: str) -> None:
    """A second process edits the same case behind the editor's back."""
    other = CaseStore.open(store.path)
    theirs = other.load(case_id)
    theirs.sections["situation"] = text
    assert not other.save(theirs, base_revision=theirs.revision).conflicted


async def test_conflict_is_shown_and_both_texts_are_kept(editing, store):
    async with editing(sections={"situation": "Shared start."}) as (app, pilot, screen, case):
        other_window_saves(store, case.id, "Theirs: written in the other window.")
        await pilot.press(*" Mine")  # the cursor starts after the text
        await wait_saved(pilot, screen)
        assert status_state(screen) is SaveState.CONFLICT
        assert "F8" in status_text(screen)
        assert any("conflict copy" in n.message for n in notices(app))
        assert store.load(case.id).text("situation") == "Theirs: written in the other window."
        copies = conflict_copies(store, case.id)
        assert len(copies) == 1
        assert store.load(copies[0].id).text("situation") == "Shared start. Mine"

        # Typing on goes into the copy, never over theirs.
        await pilot.press(*" more")
        await wait_saved(pilot, screen)
        assert store.load(copies[0].id).text("situation") == "Shared start. Mine more"
        assert store.load(case.id).text("situation") == "Theirs: written in the other window."

        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        shown = " ".join(str(s.render()) for s in app.screen.query(".diff-side"))
        assert "Theirs: written in the other window." in shown
        assert "Shared start. Mine more" in shown
        await pilot.press("m")
        await pilot.pause()
        assert app.screen is screen
        assert store.load(case.id).text("situation") == "Shared start. Mine more"
        assert status_state(screen) is SaveState.SAVED
        assert len(conflict_copies(store, case.id)) == 1  # the copy stays

        # Editing continues on the new base without another conflict.
        await pilot.press(*"!")
        await wait_saved(pilot, screen)
        assert store.load(case.id).text("situation") == "Shared start. Mine more!"
        assert len(conflict_copies(store, case.id)) == 1


async def test_conflict_keep_theirs(editing, store):
    async with editing(sections={"situation": "Shared start."}) as (app, pilot, screen, case):
        other_window_saves(store, case.id, "Theirs wins.")
        await pilot.press(*" Mine")
        await wait_saved(pilot, screen)
        assert status_state(screen) is SaveState.CONFLICT
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert screen.editor.text == "Theirs wins."
        assert status_state(screen) is SaveState.SAVED
        copies = conflict_copies(store, case.id)
        assert store.load(copies[0].id).text("situation") == "Shared start. Mine"
        await pilot.press("end", *" And more.")
        await wait_saved(pilot, screen)
        assert store.load(case.id).text("situation") == "Theirs wins. And more."


async def test_decide_later_keeps_the_conflict(editing, store):
    async with editing(sections={"situation": "Shared start."}) as (app, pilot, screen, case):
        other_window_saves(store, case.id, "Theirs.")
        await pilot.press(*"Mine ")
        await wait_saved(pilot, screen)
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert status_state(screen) is SaveState.CONFLICT


async def test_history_browse_and_restore(app_factory, make_case, store):
    case = make_case(sections={"situation": "Version one."})
    for text in ("Version two.", "Version three."):
        other_window_saves(store, case.id, text)  # a fresh store keeps each old version
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot, case.id)
        assert screen.editor.text == "Version three."
        await pilot.press("f4")
        await pilot.pause()
        history = app.screen
        assert isinstance(history, HistoryScreen)
        assert history.selected_revision == 2
        preview = str(history.query_one("#preview-text").render())
        assert "Version two." in preview
        await pilot.press("down")
        assert history.selected_revision == 1
        assert "Version one." in str(history.query_one("#preview-text").render())
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is screen
        assert screen.editor.text == "Version one."
        stored = store.load(case.id)
        assert stored.text("situation") == "Version one."
        assert stored.revision == 4
        # The writer carries on after the restored text, with no need for End.
        await pilot.press(*" Again.")
        await wait_saved(pilot, screen)
        assert store.load(case.id).text("situation") == "Version one. Again."
        assert not conflict_copies(store, case.id)
