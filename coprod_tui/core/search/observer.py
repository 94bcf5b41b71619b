"""The store observer: hears of every durable write, move and purge, and queues it.

:class:`StoreObserver` methods run inside the store's save, with the case's
lock held, so they only take the file's fingerprint (one ``lstat``: the
version the index will be told about is exactly the one just written) and
append to a queue. One background thread applies the queue to the index
(:meth:`Pending.drain` in the index's own lock); a search drains whatever is
left first, so a search right after a save sees the save, and the durable
case write never waits for the index.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coprod_tui.core.store.scan import Fingerprint, fingerprint

__all__ = ["CaseText", "Event", "IndexObserver", "Pending"]


@dataclass(frozen=True)
class CaseText:
    """What the index keeps of a case: a snapshot, so later edits of the object cannot leak in."""

    title: str
    template_id: str
    tags: tuple[str, ...]
    sections: dict[str, str]
    orphans: dict[str, str]

    @classmethod
    def of(cls, case: Any) -> CaseText:
        """The snapshot of a :class:`~coprod_tui.core.case.Case` (shallow: strings never change)."""
        return cls(
            case.title, case.template_id, tuple(case.tags), dict(case.sections), dict(case.orphans)
        )


@dataclass(frozen=True)
class Event:
    """One change to apply: ``written`` (with the case), ``moved`` or ``purged``."""

    kind: str
    case_id: str
    case: CaseText | None = None
    fingerprint: Fingerprint | None = None
    trashed: bool = False


class Pending:
    """The queue of events between the store's save and the index (thread-safe)."""

    def __init__(self) -> None:
        self._events: deque[Event] = deque()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def put(self, event: Event) -> None:
        """Queue ``event`` and wake the background thread (never blocks on the index)."""
        with self._wake:
            self._events.append(event)
            self._wake.notify()

    def take(self) -> list[Event]:
        """Every queued event, oldest first; the queue is left empty."""
        with self._wake:
            events = list(self._events)
            self._events.clear()
            return events

    def __len__(self) -> int:
        return len(self._events)

    def start(self, apply: Callable[[], None]) -> None:
        """Run ``apply`` on a daemon thread whenever events arrive (once)."""
        if self._thread is not None:
            return

        def run() -> None:
            while True:
                with self._wake:
                    while not self._events and not self._closed:
                        self._wake.wait()
                    if self._closed:
                        return
                try:
                    apply()
                except Exception:  # noqa: BLE001 - the next search catches up from the files
                    import logging

                    logging.getLogger(__name__).exception("search index update failed")
                    self.take()

        self._thread = threading.Thread(target=run, name="coprod-search-index", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End the background thread (queued events are left for a later drain)."""
        with self._wake:
            self._closed = True
            self._wake.notify_all()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)


class IndexObserver:
    """The :class:`~coprod_tui.core.store.StoreObserver` a :class:`SearchIndex` adds."""

    def __init__(self, pending: Pending) -> None:
        self._pending = pending

    def written(self, doc: Any, path: Path, trashed: bool) -> None:
        """Queue the case just written, with the fingerprint of the file it is now."""
        try:
            print_: Fingerprint | None = fingerprint(os.lstat(path))
        except OSError:
            print_ = None  # replaced or moved already: the next catch-up reads it
        self._pending.put(Event("written", doc.id, CaseText.of(doc), print_, trashed))

    def moved(self, doc_id: str, trashed: bool) -> None:
        """Queue a move into or out of the trash."""
        self._pending.put(Event("moved", doc_id, trashed=trashed))

    def purged(self, doc_id: str) -> None:
        """Queue a purge: the case leaves the index."""
        self._pending.put(Event("purged", doc_id))
