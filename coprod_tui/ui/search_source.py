"""The workbench's handle on the search index: opened off the loop, fresh after every save.

The composition root (``ui/launch.py``) gives the app one :class:`SearchSource`;
the app starts it shortly after the first paint (:data:`START_DELAY`, the
source's ``start_delay``), so neither start-up nor the first screen ever waits
for the index. Starting it
opens the index in a thread of its own (``SearchIndex.for_store``, which may
build it from scratch on a first run) and adds the index's store observer, so
every save this window makes reaches the index; what other windows and the
CLI write is caught up by the index itself before it answers.

The search screen calls :meth:`SearchSource.search` from a worker thread.
Until the index is open it waits for it (the screen says "Indexing…"
meanwhile and stays responsive: nothing here runs on the event loop). Calls
are made one at a time (a lock), as the index asks.

This is the one place the UI names ``coprod_tui.core.search``; tests hand
:class:`SearchSource` any object with the same ``search``/``observe``/``close``
methods (``open_index``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from coprod_tui.core.errors import CoprodError

if TYPE_CHECKING:
    from coprod_tui.core.store import CaseStore

#: Seconds after the app's first paint before the index is opened.
START_DELAY = 1.0


class IndexLike(Protocol):
    """What the workbench needs of a search index (``core.search.SearchIndex``)."""

    def search(
        self,
        query: str,
        *,
        section: str | None = None,
        tag: str | None = None,
        template: str | None = None,
        limit: int = 50,
    ) -> list[Any]: ...

    def observe(self, store: CaseStore) -> None: ...

    def close(self) -> None: ...


class SearchUnavailable(CoprodError):
    """The index could not be opened (the message says why, in one line)."""

    exit_code = 1


def open_store_index(store: CaseStore, cancel: threading.Event | None = None) -> IndexLike:
    """The store's own index (created or rebuilt by the index when needed).

    Only for a real :class:`CaseStore`: the index lives inside its folder, and
    a stand-in (the snapshot tests' fixed catalogs) has no folder to write to.
    An index that has to be built from scratch is built in a low-priority
    child process first (``core/search/build.py``): built on a thread here it
    would hold the interpreter's lock for seconds and make typing stutter.
    ``cancel`` set (the app closing) ends that child.
    """
    from coprod_tui.core.store import CaseStore

    if not isinstance(store, CaseStore):
        raise SearchUnavailable("search needs a case store")
    from coprod_tui.core.search import SearchIndex
    from coprod_tui.core.search.build import build_apart
    from coprod_tui.core.search.index import INDEX_FOLDER, INDEX_NAME

    policy = store.policy
    build_apart(
        store.path,
        store.path / INDEX_FOLDER / INDEX_NAME,
        file_mode=policy.file_mode,
        dir_mode=policy.dir_mode,
        cancel=cancel,
    )
    if cancel is not None and cancel.is_set():
        raise SearchUnavailable("search has been closed")
    index: IndexLike = SearchIndex.for_store(store)
    return index


class SearchSource:
    """One search index for the app's store, opened in the background on :meth:`start`."""

    def __init__(
        self,
        store: CaseStore,
        open_index: Callable[[CaseStore], IndexLike] = open_store_index,
        *,
        start_delay: float | None = START_DELAY,
    ) -> None:
        self.store = store
        #: Seconds after the first paint before the app opens the index; ``None``:
        #: only the first search opens it (tests that never search set this).
        self.start_delay = start_delay
        #: Set by :meth:`close`: a build still running in its child process is ended.
        self._cancel = threading.Event()
        if open_index is open_store_index:
            open_index = self._open_own_index
        self._open_index = open_index
        self._index: IndexLike | None = None
        self._error: Exception | None = None
        self._started = False
        self._closed = False
        self._ready = threading.Event()
        self._guard = threading.Lock()
        #: One search at a time on the index.
        self._searching = threading.Lock()

    # -- life -------------------------------------------------------------------------

    def _open_own_index(self, store: CaseStore) -> IndexLike:
        return open_store_index(store, cancel=self._cancel)

    def start(self) -> None:
        """Open the index in a thread of its own (once; later calls do nothing)."""
        with self._guard:
            if self._started or self._closed:
                return
            self._started = True
        threading.Thread(target=self._open, name="coprod-search-index", daemon=True).start()

    def _open(self) -> None:
        try:
            index = self._open_index(self.store)
            index.observe(self.store)
        except Exception as error:  # noqa: BLE001 - kept, shown by the search screen as one line
            self._error = error
            self._ready.set()
            return
        with self._guard:
            closed = self._closed
            if not closed:
                self._index = index
        if closed:
            index.close()
        self._ready.set()

    @property
    def ready(self) -> bool:
        """Is the index open (or has opening it failed), so a search answers at once?"""
        return self._ready.is_set()

    @property
    def problem(self) -> str:
        """Why search is not available (empty while it is, or is still opening)."""
        return str(self._error) if self._error is not None else ""

    def close(self) -> None:
        """Close the index (at once, or when it has finished opening)."""
        self._cancel.set()
        with self._guard:
            self._closed = True
            index, self._index = self._index, None
        if index is not None:
            with self._searching:
                index.close()

    # -- searching --------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 50) -> list[Any]:
        """The hits for ``query`` (from a worker thread: may wait for the index to open).

        Raises the index's ``QueryError`` for a query it cannot read, and
        :class:`SearchUnavailable` when the index could not be opened.
        """
        self.start()
        self._ready.wait()
        if self._error is not None:
            if isinstance(self._error, CoprodError):
                raise self._error
            raise SearchUnavailable(f"search is not available: {self._error}") from self._error
        with self._searching:
            index = self._index
            if index is None:
                raise SearchUnavailable("search has been closed")
            return index.search(query, limit=limit)

    def using(self, use: Callable[[Any], Any]) -> Any:
        """``use(index)`` once the index is open, one call at a time (from a worker thread).

        For what the plain :meth:`search` does not cover (the insights' hits,
        an insight's suggested cases): the same waiting and the same errors.
        """
        self.start()
        self._ready.wait()
        if self._error is not None:
            if isinstance(self._error, CoprodError):
                raise self._error
            raise SearchUnavailable(f"search is not available: {self._error}") from self._error
        with self._searching:
            index = self._index
            if index is None:
                raise SearchUnavailable("search has been closed")
            return use(index)
