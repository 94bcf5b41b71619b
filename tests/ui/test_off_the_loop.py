"""The UI never waits on the disk: every store call runs in a worker thread.

Each test holds one store call (a ``threading.Event`` the test opens) and
checks, while it is held, that the app still runs: a timer fires and a key
typed meanwhile is handled (F1 opens help). Had the call run on the event
loop, the test itself would never get to open the gate. Then the call goes
on and the screen shows its result. The people and places are fictional.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from editor_helpers import open_editor, until_stored, until_typed, wait_saved, wait_until
from notices import notices
from textual import events

from coprod_tui.core.case import set_section_text
from coprod_tui.core.editing import SaveState
from coprod_tui.core.store import CaseStore
from coprod_tui.ui import typeahead
from coprod_tui.ui.dialogs.history import HistoryScreen
from coprod_tui.ui.screens.case_editor import CaseEditorScreen
from coprod_tui.ui.screens.case_list import CaseListScreen, CaseTable
from coprod_tui.ui.screens.trash import TrashScreen
from coprod_tui.ui.widgets.loading_notice import LoadingNotice

SIZE = (100, 30)


@pytest.fixture(autouse=True)
def quick_landing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A key typed while an action waits for the store goes on after 0.2 s, not 5 s."""
    monkeypatch.setattr(typeahead, "LANDING_TIMEOUT", 0.2)


class Gate:
    """Holds every call of one store method, once armed, until opened."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, store: CaseStore, name: str) -> None:
        self.entered = threading.Event()
        self.opened = threading.Event()
        self.armed = False
        original = getattr(store, name)

        def held(*args: Any, **kwargs: Any) -> Any:
            if self.armed and not self.opened.is_set():
                self.entered.set()
                assert self.opened.wait(10), "the test never opened the gate"
            return original(*args, **kwargs)

        monkeypatch.setattr(store, name, held)

    def arm(self) -> Gate:
        self.armed = True
        return self


async def soon(predicate: Any, timeout: float = 5.0) -> None:
    """Poll with plain sleeps: Pilot's pauses wait for the screen, which is busy meanwhile."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.02)


def press(pilot: Any, *keys: str) -> None:
    """Type keys without waiting for the screen (Pilot.press would wait for the held call)."""
    for key in keys:
        character = key if len(key) == 1 else {"enter": "\r"}.get(key)
        name = {" ": "space"}.get(key, key)
        pilot.app.post_message(events.Key(name, character))


async def app_runs_while_held(pilot: Any, gate: Gate) -> None:
    """While the call is held the app runs: a timer fires, a key typed meanwhile is dispatched.

    The key (F20: nothing is bound to it) is let through once the landing
    timeout has passed, instead of waiting for the disk. Then the call goes on.
    """
    app = pilot.app
    await soon(gate.entered.is_set)
    ticks: list[int] = []
    app.set_timer(0.01, lambda: ticks.append(1))
    await soon(lambda: ticks)
    seen: list[str] = []
    original = app.key_order.dispatched

    def dispatched(event: Any) -> None:
        seen.append(getattr(event, "key", ""))
        original(event)

    app.key_order.dispatched = dispatched
    try:
        app.post_message(events.Key("f20", None))
        await soon(lambda: "f20" in seen)
    finally:
        app.key_order.dispatched = original
    assert not gate.opened.is_set()
    gate.opened.set()
    await until_typed(pilot)
    await until_stored(pilot)


async def test_refresh_on_return_from_the_editor(app_factory, make_case, store, monkeypatch):
    case = make_case("Before")
    gate = Gate(monkeypatch, store, "list_cases")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseEditorScreen))
        store.save(
            set_section_text(store.load(case.id), "reflections", "So what."),
            base_revision=store.load(case.id).revision,
        )
        gate.arm()
        press(pilot, "escape")
        await app_runs_while_held(pilot, gate)
        assert isinstance(app.screen, CaseListScreen)
        row = app.screen.query_one(CaseTable).get_row(case.id)
        assert "3/9" in str(row[1])


async def test_create(app_factory, store, monkeypatch):
    gate = Gate(monkeypatch, store, "create").arm()
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        press(pilot, "n", *"Karin, 77", "enter")
        await app_runs_while_held(pilot, gate)
        await wait_until(pilot, lambda: isinstance(app.screen, CaseEditorScreen))
        [summary] = store.list_cases()
        assert summary.title == "Karin, 77" and app.screen.case_id == summary.id


@pytest.mark.parametrize(
    ("keys", "check"),
    [
        (("r", *" and Karin", "enter"), lambda case: case.title == "Sven, 81 and Karin"),
        (("t", *"falls", "enter"), lambda case: case.tags == ["falls"]),
    ],
    ids=["rename", "tags"],
)
async def test_rename_and_tags_go_through_update(
    app_factory, make_case, store, monkeypatch, keys, check
):
    case = make_case("Sven, 81")
    gate = Gate(monkeypatch, store, "update")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*keys[:-1])
        # Another window saves meanwhile: the rename must not conflict with it.
        other = CaseStore.open(store.path)
        other.save(
            set_section_text(other.load(case.id), "situation", "Elsewhere."),
            base_revision=case.revision,
        )
        gate.arm()
        press(pilot, keys[-1])
        await app_runs_while_held(pilot, gate)
        stored = store.load(case.id)
        assert check(stored), [n.message for n in notices(app)]
        assert stored.text("situation") == "Elsewhere."
        assert len(store.list_cases()) == 1  # no conflict copy


async def test_duplicate(app_factory, make_case, store, monkeypatch):
    case = make_case("Sven, 81")
    gate = Gate(monkeypatch, store, "create").arm()
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        press(pilot, "c")
        await app_runs_while_held(pilot, gate)
        copy = next(s for s in store.list_cases() if s.id != case.id)
        assert app.screen.selected_case_id() == copy.id


async def test_trash_then_the_trash_view_and_untrash(app_factory, make_case, store, monkeypatch):
    case = make_case("Sven, 81")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        trash = Gate(monkeypatch, store, "trash").arm()
        press(pilot, "x", "y")
        await app_runs_while_held(pilot, trash)
        assert [s.id for s in store.list_trash()] == [case.id]
        listing = Gate(monkeypatch, store, "list_trash_by_deletion").arm()
        press(pilot, "b")
        await app_runs_while_held(pilot, listing)
        assert isinstance(app.screen, TrashScreen) and app.screen.trashed
        untrash = Gate(monkeypatch, store, "untrash").arm()
        press(pilot, "enter")
        await app_runs_while_held(pilot, untrash)
        assert [s.id for s in store.list_cases()] == [case.id]
        assert not app.screen.trashed


@pytest.mark.parametrize("key", ["d", "e"], ids=["purge", "empty-trash"])
async def test_purge_and_empty_trash(app_factory, make_case, store, monkeypatch, key):
    case = make_case("Sven, 81")
    store.trash(case.id)
    gate = Gate(monkeypatch, store, "purge").arm()
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await until_stored(pilot)
        await pilot.press(key)
        await until_stored(pilot)
        press(pilot, "y")
        await app_runs_while_held(pilot, gate)
        assert store.list_trash() == []
        assert isinstance(app.screen, TrashScreen) and not app.screen.trashed


async def test_the_editor_loads_off_the_loop_and_keeps_what_is_typed_meanwhile(
    app_factory, make_case, store, monkeypatch
):
    case = make_case(sections={"situation": "Start."})
    gate = Gate(monkeypatch, store, "load").arm()
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = CaseEditorScreen(case.id)
        await app.push_screen(screen)
        await soon(gate.entered.is_set)
        assert screen.query_one(LoadingNotice).has_focus
        assert "Loading" in str(screen.query_one(LoadingNotice).render())
        press(pilot, *" Typed early.")
        gate.opened.set()
        await screen.until_ready()
        await until_typed(pilot)
        assert app.focused is screen.editor
        await wait_saved(pilot, screen)
        assert store.load(case.id).text("situation") == "Start. Typed early."


async def test_keys_let_through_while_the_editor_is_being_built_are_typed_in_too(
    app_factory, make_case, store, monkeypatch
):
    """A disk slow past the landing timeout lets keys go while the editor replaces the notice.

    Those keys reach the screen itself (nothing has focus for that moment):
    they are typed into section 1 after the ones the notice kept, not dropped.
    """
    case = make_case(sections={"situation": "Start."})
    gate = Gate(monkeypatch, store, "load").arm()
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = CaseEditorScreen(case.id)
        building = asyncio.Event()
        original_recompose = screen.recompose

        async def slow_recompose() -> None:
            building.set()
            await asyncio.sleep(0.6)  # longer than the landing timeout (0.2 s here)
            await original_recompose()

        monkeypatch.setattr(screen, "recompose", slow_recompose)
        await app.push_screen(screen)
        await soon(gate.entered.is_set)
        press(pilot, *" Kept")
        gate.opened.set()
        await soon(building.is_set)
        press(pilot, *" while built.")
        await screen.until_ready()
        await soon(lambda: app.key_order.idle)
        await until_typed(pilot)
        assert app.focused is screen.editor
        await wait_saved(pilot, screen)
        assert store.load(case.id).text("situation") == "Start. Kept while built."


async def test_history_preview_and_restore(app_factory, make_case, store, monkeypatch):
    case = make_case(sections={"situation": "Version one."})
    other = CaseStore.open(store.path)
    for revision, text in ((1, "Version two."), (2, "Version three.")):
        other = CaseStore.open(store.path)  # a fresh store keeps each old version
        changed = set_section_text(other.load(case.id), "situation", text)
        other.save(changed, base_revision=revision)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(pilot, case.id)
        history = Gate(monkeypatch, store, "history").arm()
        press(pilot, "f4")
        await app_runs_while_held(pilot, history)
        assert isinstance(app.screen, HistoryScreen)
        preview = Gate(monkeypatch, store, "load_revision").arm()
        press(pilot, "down")  # from version 2 to version 1, read in the background
        await app_runs_while_held(pilot, preview)
        assert "Version one." in str(app.screen.query_one("#preview-text").render())
        restore = Gate(monkeypatch, store, "restore").arm()
        press(pilot, "r")
        await app_runs_while_held(pilot, restore)
        assert app.screen is screen and screen.editor.text == "Version one."


async def test_resolve_a_conflict(editing, store, monkeypatch):
    async with editing(sections={"situation": "Shared."}) as (app, pilot, screen, case):
        other = CaseStore.open(store.path)
        other.save(set_section_text(other.load(case.id), "situation", "Theirs."), base_revision=1)
        await pilot.press(*" Mine")
        await wait_saved(pilot, screen)
        assert screen.session.conflict is not None
        await pilot.press("f8")
        await until_stored(pilot)
        gate = Gate(monkeypatch, store, "save").arm()
        press(pilot, "m")
        await app_runs_while_held(pilot, gate)
        assert store.load(case.id).text("situation") == "Shared. Mine"


async def test_restore_from_trash_in_the_editor(editing, store, monkeypatch):
    async with editing(sections={"situation": "Start."}) as (app, pilot, screen, case):
        CaseStore.open(store.path).trash(case.id)
        await pilot.press(*" On.")
        await wait_saved(pilot, screen)
        assert screen.session.trashed
        gate = Gate(monkeypatch, store, "untrash").arm()
        press(pilot, "f8")
        await app_runs_while_held(pilot, gate)
        await wait_until(pilot, lambda: screen.session.state is SaveState.SAVED)
        assert [s.id for s in store.list_cases()] == [case.id]


async def test_catch_up(editing, store, monkeypatch):
    monkeypatch.setattr(CaseEditorScreen, "FOLLOW_EVERY", 0.1)
    async with editing(sections={"situation": "Start."}) as (app, pilot, screen, case):
        gate = Gate(monkeypatch, store, "fingerprint").arm()
        other = CaseStore.open(store.path)
        elsewhere = set_section_text(other.load(case.id), "situation", "Start. Elsewhere.")
        other.save(elsewhere, base_revision=1)
        await app_runs_while_held(pilot, gate)
        await wait_until(pilot, lambda: screen.editor.text == "Start. Elsewhere.")


async def test_a_build_that_finds_the_screen_gone_breaks_nothing(
    app_factory, make_case, store, monkeypatch
):
    """Textual's recompose does nothing for a screen that has left (Escape, another case
    opened, the app closing as the case arrives): the editor then builds nothing and the app
    goes on, instead of failing on widgets that were never made."""
    case = make_case(sections={"situation": "Start."})
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = CaseEditorScreen(case.id)

        async def left_meanwhile() -> None:
            """What recompose does once the screen is detached: nothing."""

        monkeypatch.setattr(screen, "recompose", left_meanwhile)
        await app.push_screen(screen)
        await screen.until_ready()
        await pilot.pause()
        assert screen.session is not None and not screen._built
        await pilot.press("escape")
        await soon(lambda: isinstance(app.screen, CaseListScreen))
        await pilot.press("n")  # the app still takes keys
        await soon(lambda: not isinstance(app.screen, CaseListScreen))
    assert store.load(case.id).text("situation") == "Start."
