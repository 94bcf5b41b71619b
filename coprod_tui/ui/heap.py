"""Keep CPython's full garbage collections out of the time a key takes.

At 10,000 cases the workbench holds some 300,000 objects that live as long as
it does: the imports, Textual, the case list's summaries and its table rows. A
full collection walks every one of them (130-180 ms measured here), and with
CPython's own thresholds one comes every 70,000 or so surviving allocations:
opening a screen makes more than that, so most screen changes had one inside
them (measured: 45-75 ms added to the median of opening the Insights screen
and of following a link). Nearly nothing the collector finds is garbage;
reference counting frees what goes (the rows of a list read again) at once.

Three measures, one job each:

* :func:`settle`: once the case list first holds its whole reading, freeze
  what is alive (``gc.freeze``), after a young collection has swept up the
  start-up garbage. Full collections then walk only what came after (7-20 ms
  measured at 10,000 cases instead of 130-180).
* :class:`QuietCollector`: young collections run as CPython runs them; the
  full ones wait for a pause in the typing (a second with no key), or at most
  :attr:`QuietCollector.LONGEST` seconds, so a long burst of typing cannot put
  them off for ever. When the app ends, the thresholds are as they were.
* :func:`forget_the_departed`, on every screen change: two things Textual
  keeps of widgets long gone. A ``TextArea`` watches the app's theme, and its
  watcher stays on the app until the theme next changes, holding the whole
  editor (one for each section visited, with its text: ``SectionEditor``
  also takes its own off as it leaves, :func:`unwatch`); and a style
  helper's ``lru_cache`` on a method keeps up to 1,024 widgets' render caches,
  every line they drew.

The freeze is once per process (a frozen object is never collected, so a
process that runs many apps in turn, like the test suite, keeps only the
first). The collector is never switched off: cycles are found as before, a
little later; when the app ends, its thresholds are as they were.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

__all__ = ["QuietCollector", "forget_the_departed", "settle", "unwatch"]

#: Whether this process has frozen its heap (it does so once: see :func:`settle`).
_settled = False


def settle() -> bool:
    """Freeze what is alive now, once per process; True if this call did it.

    Once per process, not per app: a frozen object is never collected, so an
    app frozen and then closed would stay in memory. A workbench process runs
    one app; a process that runs many in turn (the test suite) keeps only the
    first one's objects, and the others are collected as usual.
    """
    global _settled
    if _settled:
        return False
    _settled = True
    gc.collect(1)  # the young generations only: cheap, and start-up garbage goes first
    gc.freeze()
    return True


class QuietCollector:
    """Full collections in the pauses between keys, young ones as usual.

    ``start`` raises only the third threshold (full collections), so CPython
    never starts one by itself; ``tick``, called every second or so, runs one
    when CPython would have wanted it (its own rule: ten young-generation
    collections since the last full one) and the keyboard has been quiet for
    :attr:`QUIET` seconds, or the last one is :attr:`LONGEST` seconds old.
    """

    #: Seconds without a key before a due full collection runs.
    QUIET = 1.0
    #: Seconds after which a due full collection runs even while keys come.
    LONGEST = 30.0
    #: CPython's own rule for when a full collection is due.
    DUE = 10
    #: The third threshold while started: never reached in practice.
    HOLD = 1 << 30

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._saved: tuple[int, int, int] | None = None
        self._last_key = self._last_full = clock()

    @property
    def started(self) -> bool:
        return self._saved is not None

    def start(self) -> None:
        if self._saved is None:
            self._saved = gc.get_threshold()
            first, second, _third = self._saved
            gc.set_threshold(first, second, self.HOLD)

    def stop(self) -> None:
        """The thresholds as they were before :meth:`start`."""
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def key_seen(self) -> None:
        self._last_key = self._clock()

    def due(self) -> bool:
        return gc.get_count()[2] >= self.DUE

    def tick(self) -> bool:
        """Run a full collection if one is due and now is a good time; True if it ran."""
        if self._saved is None or not self.due():
            return False
        now = self._clock()
        if now - self._last_key < self.QUIET and now - self._last_full < self.LONGEST:
            return False
        gc.collect()
        self._last_full = self._clock()
        return True


def _drop_watchers(app: object, gone: Callable[[object], bool]) -> None:
    """Remove the app's watchers whose watching node is ``gone`` (Textual's own list)."""
    watchers = getattr(app, "__watchers", None)
    if isinstance(watchers, dict):
        for name, listed in watchers.items():
            if isinstance(listed, list):
                watchers[name] = [w for w in listed if not gone(w[0])]


def unwatch(widget: object, app: object) -> None:
    """Take ``widget``'s watchers off ``app`` (a ``TextArea`` leaving: see the module)."""
    _drop_watchers(app, lambda node: node is widget)


def forget_the_departed(app: object) -> None:
    """Let go of what closed widgets left behind on the app and in Textual's caches.

    Both are Textual's private parts, reached with care: if they move, this
    does nothing and the app works as before, only with more to collect.
    """
    # The rule Textual applies itself when the watched value next changes.
    _drop_watchers(app, lambda node: bool(getattr(node, "_closing", False)))
    try:
        from textual._styles_cache import StylesCache
    except ImportError:
        return
    clear = getattr(getattr(StylesCache, "get_inner_outer", None), "cache_clear", None)
    if callable(clear):
        clear()
