"""Type-ahead: keys typed while a key's action is still on its way to another screen.

Textual handles a key in two steps. When the app reads the key it hands it to
whatever has focus; a binding acts only later, once the key has bubbled back
up to the app. Keys typed quickly after Enter on the case list (a fast typist,
a paste of keys, a burst over a slow SSH link) were therefore handed to the
case list before Enter had opened the editor, and there ``c`` duplicated a
case and ``x`` asked to delete one.

:class:`TypeAhead` closes that gap without reordering anything:

1. The widget that has focus (the case table, the new-case title; see
   :class:`HoldsTypeAhead`) starts holding when a key will move the focus to
   another screen, and holds every key after it: held keys are stopped there,
   so no binding of the old screen ever sees them.
2. The key's action runs in the app's own task, so the app reads no further
   key until it returns. It calls :meth:`TypeAhead.take` (which waits until
   the widget has held every key it was already given), opens the new screen,
   waits until that screen has focus, and gives the held keys to it with
   :func:`hand_on`.

Keys that reach the app after the action has started go, as usual, to
whatever has focus when the action is done: the new screen, after the held
keys. Held keys are typed as text (printable keys, Enter, Backspace); other
keys typed in that instant are dropped rather than guessed at.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from textual import events
from textual.widgets import Input, TextArea

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer
    from textual.widget import Widget

#: Held keys are let go if no action takes them within this many seconds
#: (the action that should have taken them turned out not to run).
UNCLAIMED_AFTER = 2.0


class TypeAhead:
    """Keys held at one widget between a key that opens a screen and that screen."""

    def __init__(self, owner: Widget) -> None:
        self._owner = owner
        self._held: list[events.Key] | None = None
        self._timer: Timer | None = None

    @property
    def holding(self) -> bool:
        return self._held is not None

    def start(self) -> None:
        """Hold the keys after this one (call from the owner's ``on_key``)."""
        self._held = []
        self._cancel_timer()
        self._timer = self._owner.set_timer(UNCLAIMED_AFTER, self._let_go)

    def hold(self, event: events.Key) -> bool:
        """Keep ``event`` if holding (call first thing in the owner's ``on_key``)."""
        if self._held is None:
            return False
        event.stop()
        event.prevent_default()
        self._held.append(event)
        return True

    async def take(self) -> list[events.Key]:
        """The held keys in the order typed, once every key on its way is held; stop holding.

        Call it from the action, which runs in the app's task: keys given to
        the owner before the action began are in the owner's queue, and a
        callback queued behind them runs once they are all held.
        """
        self._cancel_timer()
        if self._held is None:
            return []
        done = asyncio.get_running_loop().create_future()

        def drained() -> None:
            if not done.done():
                done.set_result(None)

        if self._owner.call_later(drained):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done, UNCLAIMED_AFTER)
        held, self._held = self._held, None
        return held

    def _let_go(self) -> None:
        self._timer = None
        self._held = None

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None


class HoldsTypeAhead:
    """Mixin for a focusable widget where keys typed after an opening key are held."""

    @cached_property
    def type_ahead(self) -> TypeAhead:
        return TypeAhead(self)  # type: ignore[arg-type]

    def key_opens_something(self, key: str) -> bool:
        """Will ``key``, pressed here now, move the focus to another screen?"""
        raise NotImplementedError

    def on_key(self, event: events.Key) -> None:
        if not self.type_ahead.hold(event) and self.key_opens_something(event.key):
            self.type_ahead.start()


async def hand_on(app: App[Any], keys: Sequence[events.Key]) -> None:
    """Type ``keys`` into whatever has focus now, following the focus as it moves.

    Enter in an input submits it, and what follows goes to what has focus
    after that (the new case's title, then its editor). Keys that cannot be
    typed where they land are dropped.
    """
    while keys and app.focused is not None:
        rest = await type_into(app.focused, keys)
        if len(rest) == len(keys):
            return
        keys = rest


async def type_into(widget: Widget, keys: Sequence[events.Key]) -> Sequence[events.Key]:
    """Type ``keys`` into a text widget; returns the keys from the first it cannot type.

    Printable keys and Backspace are typed into an :class:`Input` or a
    :class:`TextArea`, Enter adds a line to a ``TextArea`` and submits an
    ``Input`` (and ends the typing there).
    """
    for index, event in enumerate(keys):
        if isinstance(widget, Input):
            if event.is_printable and event.character:
                widget.insert_text_at_cursor(event.character)
            elif event.key == "backspace":
                widget.action_delete_left()
            elif event.key == "enter":
                await widget.action_submit()
                return keys[index + 1 :]
            else:
                return keys[index:]
        elif isinstance(widget, TextArea) and not widget.read_only:
            if (event.is_printable and event.character) or event.key == "enter":
                text = "\n" if event.key == "enter" else str(event.character)
                result = widget.replace(text, *widget.selection, maintain_selection_offset=False)
                widget.move_cursor(result.end_location)
            elif event.key == "backspace":
                widget.action_delete_left()
            else:
                return keys[index:]
        else:
            return keys[index:]
    return ()
