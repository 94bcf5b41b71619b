"""Type-ahead: every key lands where it would have landed typed slowly.

Textual handles a key in several steps, each in a different task. The app
reads the key and hands it to whatever has focus (priority bindings run first,
in the app's own task); the focused widget handles it in *its* task and, unless
it stops the key, passes it up to its parent, and so on to the app, where the
ordinary bindings run. The app reads the next key as soon as it has handed the
last one on. Keys typed in one burst (a fast typist, a paste of keys, a laggy
SSH link that delivers a second of typing at once) therefore all reach the old
focus before the first key's binding has moved it: the text typed after Tab in
a form went into the field Tab was leaving, the text after Ctrl+PgDn into the
section it was leaving, the keys after Escape into the case being closed.

:class:`KeyOrder` is the one mechanism for all of them. The app gives it every
key and paste it reads (``CoprodApp.on_event``), and it lets one through at a
time:

1. A key goes on to Textual's normal dispatch (bindings, the focused widget)
   only when every key before it has *landed*: the app and every widget on the
   open screens have handled everything that key set off, including the
   binding's action, a screen it pushed or popped and the focus that moved.
2. Keys that arrive meanwhile wait in arrival order and are then posted back
   to the app one by one, so each passes through the same dispatch as a key
   typed slowly: bindings and widgets behave exactly as typed, and a key that
   itself moves the focus (Enter in the new-case title, then Ctrl+PgDn in the
   new case) holds the keys after it in turn. A run of plain text for the
   focused text field (see :func:`is_plain_text`) goes back together: text
   cannot move the focus, and a long burst of writing stays quick.

"Landed" is found without guessing what a key does: the screens' widgets are
swept from the deepest up, level by level, each level asked to run a callback
behind whatever it already has queued (``call_later``), so anything the key
set off in a widget has been passed up before the level above is asked. The
sweep is repeated until a whole sweep leaves the screen and the focus where
they were. A key that does not land within :data:`LANDING_TIMEOUT` seconds
(an action that waits for something else) lets the next one go anyway: keys
are never dropped, only kept in order.

One step earlier, in the terminal's byte stream, Escape followed at once by
other keys is made unambiguous before Textual parses it (``ui/terminal_input.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual import events
from textual.widgets import Input, TextArea

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump
    from textual.widget import Widget

#: Longest wait for one key to land before the next is let through regardless.
LANDING_TIMEOUT = 5.0

#: Seconds between looks for widgets that stopped before answering a sweep.
STOPPED_CHECK = 0.1

#: Most sweeps after one key (a key that keeps moving things would be a bug).
MAX_SWEEPS = 8

#: What is kept in order: the events that carry what the user types.
TYPED_EVENTS = (events.Key, events.Paste)


class KeyOrder:
    """Lets keys and pastes through one at a time, each once the one before has landed.

    The app calls :meth:`admit` first thing for every key and paste it reads
    from the terminal (not for those coming back up from a widget), and
    :meth:`dispatched` once Textual's own handling of an admitted one returned.

    Plain text typed into a text field (printable keys and pastes while an
    ``Input`` or an editable ``TextArea`` has focus, none of them bound with
    priority) cannot move the focus: a run of it is let through together and
    lands as one, so a long burst of writing costs one sweep, not one per key.
    """

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._waiting: deque[events.Event] = deque()
        self._in_flight = False
        self._replaying: deque[events.Event] = deque()
        self._landing: asyncio.Task[None] | None = None
        #: How many times keys were waited for until they landed (tests count them).
        self.landings = 0

    @property
    def waiting(self) -> int:
        """How many keys are waiting for the ones in flight to land."""
        return len(self._waiting)

    @property
    def idle(self) -> bool:
        """True when no key is in flight and none is waiting."""
        return not self._in_flight and not self._waiting

    def admit(self, event: events.Event) -> bool:
        """Should ``event`` be dispatched now? If not, it is kept and replayed in its turn."""
        if self._replaying and event is self._replaying[0]:
            self._replaying.popleft()
            return True
        if self._in_flight:
            self._waiting.append(event)
            return False
        self._in_flight = True
        from coprod_tui.ui.workers import keys_are_waiting

        if keys_are_waiting(self._app):
            # Store work is under way (the list being read at start-up, a case
            # loading): this key waits for it like any key typed after another.
            self._waiting.append(event)
            self._landing = asyncio.get_running_loop().create_task(
                self._land_then_next(), name="coprod-key-landing"
            )
            return False
        return True

    def dispatched(self, event: events.Event) -> None:
        """Textual has handed ``event`` on: once the last let through lands, the next go."""
        if self._replaying or self._landing is not None:
            return  # more of the same run are on their way; the last one starts the wait
        self.landings += 1
        self._landing = asyncio.get_running_loop().create_task(
            self._land_then_next(), name="coprod-key-landing"
        )

    def close(self) -> None:
        """The app is ending: stop waiting and forget the keys nobody will read."""
        self._waiting.clear()
        self._replaying.clear()
        self._in_flight = False
        if self._landing is not None:
            self._landing.cancel()
            self._landing = None

    async def _land_then_next(self) -> None:
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(until_settled(self._app), LANDING_TIMEOUT)
        except asyncio.CancelledError:
            return  # closed: nothing more to let through
        except Exception as error:  # never leave keys stuck: go on in order
            self._app.log.error("type-ahead: waiting for a key to land failed", error)
        self._landing = None
        self._next()

    def _next(self) -> None:
        """Post the oldest waiting key (or run of plain text) back to the app."""
        if not self._waiting:
            self._in_flight = False
            return
        run = [self._waiting.popleft()]
        if is_plain_text(self._app, run[0]):
            while self._waiting and is_plain_text(self._app, self._waiting[0]):
                run.append(self._waiting.popleft())
        self._replaying.extend(run)
        for event in run:
            if not self._app.post_message(event):
                # The app is closing: nothing will read keys again.
                self._replaying.clear()
                self._waiting.clear()
                self._in_flight = False
                return


def is_plain_text(app: App[Any], event: events.Event) -> bool:
    """Is ``event`` text typed into the focused text field, which cannot move the focus?"""
    focused = app.focused
    if isinstance(focused, TextArea):
        if focused.read_only:
            return False
    elif not isinstance(focused, Input):
        return False
    if isinstance(event, events.Paste):
        return True
    if not isinstance(event, events.Key) or not event.is_printable or not event.character:
        return False
    if event.key in ("enter", "tab"):
        return False
    bound = app.screen.active_bindings.get(event.key)
    return bound is None or not bound.binding.priority


def _state(app: App[Any]) -> tuple[Any, ...]:
    """What a key can move: the screens shown and the focus."""
    return (tuple(app.screen_stack), app.focused)


def _levels(app: App[Any]) -> list[list[MessagePump]]:
    """The app's message pumps by depth: the app, its screens, their children, ..."""
    levels: list[list[MessagePump]] = [[app]]
    level: list[Widget] = list(app.screen_stack)
    while level:
        levels.append(list(level))
        level = [child for node in level for child in node.children]
    return levels


async def sweep(app: App[Any]) -> None:
    """Return once every pump has handled what it had queued, deepest level first.

    A message a widget passes up to its parent is queued there before the
    parent's level is asked, so whatever a key set off has reached the app by
    the time the app's callback runs.
    """
    loop = asyncio.get_running_loop()
    for level in reversed(_levels(app)):
        waits: dict[asyncio.Future[None], MessagePump] = {}
        for node in level:
            done: asyncio.Future[None] = loop.create_future()
            if node.call_later(_resolve, done):
                waits[done] = node
        while waits:
            finished, _ = await asyncio.wait(waits, timeout=STOPPED_CHECK)
            for future in finished:
                del waits[future]
            # A widget removed meanwhile (the editor left) never runs its callback.
            for future, node in list(waits.items()):
                if not node.is_running:
                    del waits[future]


def _resolve(done: asyncio.Future[None]) -> None:
    if not done.done():
        done.set_result(None)


async def until_settled(app: App[Any]) -> None:
    """Sweep until a whole sweep leaves the screens and the focus where they were."""
    from coprod_tui.ui.workers import keys_are_waiting

    for _ in range(MAX_SWEEPS):
        before = _state(app)
        await sweep(app)
        if keys_are_waiting(app):
            # Store work a key started (ui/workers.py): the key lands when it is done.
            while keys_are_waiting(app):
                await asyncio.sleep(STOPPED_CHECK / 10)
            continue
        if _state(app) == before:
            return


# -- the earlier, per-widget holding -----------------------------------------------------
#
# Screens written against the earlier mechanism (a widget that held the keys after
# an opening key, and an action that handed them on) keep working: with KeyOrder
# no key reaches a widget before the one before it has landed, so there is never
# anything to hold. Remove these once no screen uses them.


class TypeAhead:
    """Nothing to hold any more (see :class:`KeyOrder`); kept for older callers."""

    def __init__(self, owner: object) -> None:
        self._owner = owner

    @property
    def holding(self) -> bool:
        return False

    def start(self) -> None:
        """Nothing to do: later keys wait in :class:`KeyOrder`."""

    def hold(self, event: events.Key) -> bool:
        return False

    async def take(self) -> list[events.Key]:
        return []


class HoldsTypeAhead:
    """Mixin kept for older callers: the app's :class:`KeyOrder` does the holding."""

    @property
    def type_ahead(self) -> TypeAhead:
        return TypeAhead(self)

    def key_opens_something(self, key: str) -> bool:
        """Unused: every key waits for the one before it to land."""
        return False


async def hand_on(app: App[Any], keys: Sequence[events.Key]) -> None:
    """Kept for older callers: with :class:`KeyOrder` there are never keys to hand on."""
    for event in keys:
        app.post_message(event)
