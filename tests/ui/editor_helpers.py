"""Helpers for driving the case editor in Pilot tests."""

from __future__ import annotations

import asyncio
from typing import Any

from textual import events
from textual.pilot import Pilot

from coprod_tui.core.editing import SaveState
from coprod_tui.ui.screens.case_editor import CaseEditorScreen
from coprod_tui.ui.widgets.save_status import SaveStatus


async def open_editor(pilot: Pilot[Any], case_id: str) -> CaseEditorScreen:
    """Push the editor for ``case_id`` and wait until it is ready."""
    screen = CaseEditorScreen(case_id)
    await pilot.app.push_screen(screen)
    await screen.until_ready()  # the case is read off the loop
    await pilot.pause()
    return screen


async def wait_saved(pilot: Pilot[Any], screen: CaseEditorScreen, timeout: float = 3.0) -> None:
    """Wait until the autosave has run and nothing is unsaved or in flight."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause(0.02)
        busy = any(worker.is_running for worker in screen.workers)
        if not busy and screen.session is not None and not screen.session.dirty:
            await pilot.pause()
            return
    raise AssertionError("the editor did not save in time")


def status_text(screen: CaseEditorScreen) -> str:
    """What the save status shows right now."""
    return str(screen.query_one(SaveStatus).render())


def status_state(screen: CaseEditorScreen) -> SaveState:
    return screen.query_one(SaveStatus).state


async def wait_until(pilot: Pilot[Any], predicate: Any, timeout: float = 5.0) -> None:
    """Let the app run until ``predicate()`` holds (robust on a busy machine)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.02)


#: Key names of the characters the tests type that are not their own name.
KEY_NAMES = {" ": "space", ",": "comma", ":": "colon", "/": "slash", ".": "full_stop"}
#: Characters of the named keys the tests use.
KEY_CHARACTERS = {"enter": "\r", "space": " ", "backspace": "\x7f"}


async def burst(pilot: Pilot[Any], *keys: str) -> None:
    """Press ``keys`` in one go, as a fast typist, a paste or a slow SSH link delivers them.

    Like ``Pilot.press`` (a key name, or one character: ``*"text"`` types
    text), but ``Pilot.press`` lets the app finish each key before the next,
    which hides type-ahead problems; here the app gets every key before it has
    handled the first.
    """
    for key in keys:
        if len(key) == 1:
            pilot.app.post_message(events.Key(KEY_NAMES.get(key, key), key))
        else:
            pilot.app.post_message(events.Key(key, KEY_CHARACTERS.get(key)))
    await pilot.pause()


async def until_typed(pilot: Pilot[Any], timeout: float = 10.0) -> None:
    """Wait until every key of a burst has landed (the app's key order is idle).

    The app reads the callback only after every key posted before it, so from
    then on ``idle`` says whether a key is still on its way.
    """
    app: Any = pilot.app
    read = asyncio.Event()
    app.call_later(read.set)
    await wait_until(pilot, lambda: read.is_set() and app.key_order.idle, timeout)
    await pilot.pause()


async def until_stored(pilot: Pilot[Any], timeout: float = 5.0) -> None:
    """Wait until every store call the UI made off the loop has answered and been shown.

    The screens call the store in thread workers (``ui/workers.py``); a test
    that checks the store or the screen right after a key waits for them.
    """
    app: Any = pilot.app
    await pilot.pause()
    await wait_until(pilot, lambda: not any(w.is_running for w in app.workers), timeout)
    await pilot.pause()


async def type_keys(pilot: Pilot[Any], *keys: str) -> None:
    """Type ``keys`` (``*"text"`` for text) in one go and wait until every key has landed.

    For tests about what typed text does (saved, merged, shown), not about key
    timing: :func:`burst` delivers the keys through the app's own key order,
    and the app renders once for the lot instead of once per key, where
    ``Pilot.press`` waits for the app to go idle twice after each key.
    """
    await burst(pilot, *keys)
    await until_typed(pilot)
