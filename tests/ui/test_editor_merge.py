"""Two windows on one case in the workbench: merged by section, decided per section."""

from __future__ import annotations

from editor_helpers import status_state, status_text, type_keys, wait_saved, wait_until
from notices import notices

from coprod_tui.core.editing import SaveState
from coprod_tui.core.store import CaseStore
from coprod_tui.ui.dialogs.conflict import ConflictScreen


def other_window_writes(store: CaseStore, case_id: str, **texts: str) -> None:
    """Another window (its own store object, as another process has) saves some sections."""
    other = CaseStore.open(store.path)
    theirs = other.load(case_id)
    theirs.sections.update({key.replace("_", "-"): text for key, text in texts.items()})
    assert not other.save(theirs, base_revision=theirs.revision).conflicted


def copies_of(store: CaseStore, case_id: str):
    return [s for s in store.list_cases() if s.conflict_of == case_id]


async def test_another_windows_section_is_merged_and_shown(editing, store, app_factory):
    async with editing(sections={"situation": "Start."}) as (app, pilot, screen, case):
        other_window_writes(store, case.id, lived_reality="Written in the other window.")
        await type_keys(pilot, *" Mine.")
        await wait_saved(pilot, screen)
        assert status_state(screen) is SaveState.SAVED
        stored = store.load(case.id)
        assert stored.text("situation") == "Start. Mine."
        assert stored.text("lived-reality") == "Written in the other window."
        assert not copies_of(store, case.id)
        # The other window's text is in section 2's editor now, and survives further saves.
        await pilot.press("ctrl+pagedown")
        assert screen.editor.text == "Written in the other window."
        await pilot.press("end", *" And mine.")
        await wait_saved(pilot, screen)
        assert store.load(case.id).text("lived-reality") == "Written in the other window. And mine."
        assert any(n.title == "Merged" for n in notices(app))


async def test_a_clash_is_decided_per_section_with_keep_both(editing, store):
    sections = {"situation": "Start.", "lived-reality": "Life."}
    async with editing(sections=sections) as (app, pilot, screen, case):
        # Both sections written here and saved; then the other window changes both;
        # then both are typed on here before the next save.
        await type_keys(pilot, *" Mine.", "ctrl+pagedown", "end", *" My life.")
        await wait_saved(pilot, screen)
        other_window_writes(store, case.id, situation="Theirs.", lived_reality="Their life.")
        screen.editor.insert("!")
        screen.action_previous_section()
        screen.editor.insert("!")
        await wait_saved(pilot, screen)
        assert status_state(screen) is SaveState.CONFLICT
        assert len(copies_of(store, case.id)) == 1
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        titles = [str(s.render()) for s in app.screen.query(".diff-title")]
        assert titles[0].startswith("1. ") and titles[1].startswith("2. ")
        # Section 1: Tab to "Take theirs", Enter. Section 2: Tab twice to "Keep both", Enter.
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        await pilot.press("tab", "tab", "enter")
        await wait_until(pilot, lambda: app.screen is screen)
        await wait_saved(pilot, screen)
        assert status_state(screen) is SaveState.SAVED
        stored = store.load(case.id)
        assert stored.text("situation") == "Theirs."
        both = stored.text("lived-reality")
        assert both.startswith("Life. My life.!") and both.rstrip().endswith("Their life.")
        assert "────" in both
        assert screen.editor.text == "Theirs."  # the editors show what was stored
        assert screen._editors[1].text == both
        assert len(copies_of(store, case.id)) == 1  # one copy for the one conflict


async def test_a_case_trashed_in_another_window_is_said_plainly_and_restorable(editing, store):
    async with editing(sections={"situation": "Start."}) as (app, pilot, screen, case):
        CaseStore.open(store.path).trash(case.id)
        await type_keys(pilot, *" Typed on.")
        await wait_saved(pilot, screen)
        assert status_state(screen) is SaveState.TRASHED
        assert status_text(screen) == "In trash: F8 restore"
        assert any(n.title == "In the trash" for n in notices(app))
        await type_keys(pilot, *" More.")
        await wait_saved(pilot, screen)
        assert store.list_cases() == []  # no conflict copies, ever
        assert [s.id for s in store.list_trash()] == [case.id]
        await pilot.press("f8")
        await wait_until(pilot, lambda: status_state(screen) is SaveState.SAVED)
        assert [s.id for s in store.list_cases()] == [case.id]
        assert store.load(case.id).text("situation") == "Start. Typed on. More."


async def test_the_editor_follows_another_windows_save_without_typing(editing, store, monkeypatch):
    from coprod_tui.ui.screens.case_editor import CaseEditorScreen

    monkeypatch.setattr(CaseEditorScreen, "FOLLOW_EVERY", 0.1)
    async with editing(sections={"situation": "Start."}) as (app, pilot, screen, case):
        before = store.load(case.id).revision
        other_window_writes(store, case.id, situation="Start. Added elsewhere.")
        await wait_until(pilot, lambda: screen.editor.text == "Start. Added elsewhere.")
        assert status_state(screen) is SaveState.SAVED
        assert store.load(case.id).revision == before + 1  # following writes nothing
        await pilot.press("end", *" Then here.")
        await wait_saved(pilot, screen)
        assert store.load(case.id).text("situation") == "Start. Added elsewhere. Then here."
        assert not copies_of(store, case.id)


async def test_a_case_purged_elsewhere_is_said_plainly_and_never_comes_back(editing, store):
    async with editing(sections={"situation": "Start."}) as (app, pilot, screen, case):
        CaseStore.open(store.path).purge(case.id)
        await type_keys(pilot, *" Typed on.")
        await wait_until(pilot, lambda: any(n.title == "Deleted for good" for n in notices(app)))
        assert store.list_cases(include_trashed=True) == []
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen  # the unsaved text is not dropped silently
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is not screen)
        assert store.list_cases(include_trashed=True) == []


async def test_a_case_in_a_newer_format_opens_read_only_and_keeps_every_byte(
    app_factory, make_case, store
):
    import json

    from editor_helpers import open_editor

    case = make_case(sections={"situation": "Written by a newer coprod."})
    path = store.path / "cases" / f"{case.id}.json"
    data = json.loads(path.read_bytes())
    document = data["case"]["1"]
    document["format"] = document.get("format", 1) + 1
    document["insights"] = [{"id": "i-1", "quote": "newer coprod"}]
    path.write_text(json.dumps(data), encoding="utf-8")
    before = path.read_bytes()
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(pilot, case.id)
        assert screen.read_only and screen.editor.read_only
        assert any(n.title == "Read-only" for n in notices(app))
        await pilot.press(*"typed", "f3", "ctrl+s")
        await pilot.pause()
        assert screen.editor.text == "Written by a newer coprod."
        assert app.screen is screen  # F3 is not offered
        await pilot.press("escape")
        await pilot.pause()
    assert path.read_bytes() == before
