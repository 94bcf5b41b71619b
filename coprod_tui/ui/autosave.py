"""When to save: shortly after typing pauses, and never later than a few seconds.

A pure debounce never fires for someone who types without pausing, so a
second deadline (``max_delay`` after the first unsaved edit) forces a save
anyway. Keystrokes only record a timestamp; one interval timer, running only
while something waits, checks the deadlines. Typing never waits for this.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic

from textual.message_pump import MessagePump
from textual.timer import Timer


class AutosaveScheduler:
    """Calls ``save`` once typing pauses, and at most ``max_delay`` s after the first edit."""

    def __init__(
        self,
        owner: MessagePump,
        save: Callable[[], None],
        *,
        debounce: float = 1.0,
        max_delay: float = 5.0,
    ) -> None:
        self._owner = owner
        self._save = save
        self.debounce = debounce
        self.max_delay = max(max_delay, debounce)
        self._first: float | None = None
        self._last = 0.0
        self._timer: Timer | None = None

    @property
    def pending(self) -> bool:
        """True while a save is scheduled."""
        return self._first is not None

    def edited(self) -> None:
        """Note an edit; the save comes once typing pauses."""
        now = monotonic()
        self._last = now
        if self._first is None:
            self._first = now
            self._start()

    def save_soon(self, delay: float) -> None:
        """Schedule a save ``delay`` s from now (used to retry after a failure)."""
        now = monotonic()
        self._last = now - self.debounce + delay
        if self._first is None:
            self._first = now
            self._start()

    def cancel(self) -> None:
        self._first = None
        if self._timer is not None:
            self._timer.pause()

    def _start(self) -> None:
        if self._timer is None:
            tick = min(0.25, max(self.debounce / 4, 0.01))
            self._timer = self._owner.set_interval(tick, self._tick, name="autosave")
        else:
            self._timer.resume()

    def _tick(self) -> None:
        if self._first is None:
            return
        now = monotonic()
        if now - self._last >= self.debounce or now - self._first >= self.max_delay:
            self.cancel()
            self._save()
