"""The search index: an SQLite FTS5 file inside the store, derived and always caught up.

``<store>/index/search.sqlite3`` (0600, in a 0700 folder) holds one row per
(case, section) plus one for the title and tags (see :mod:`.schema`). It is
never the source of truth:

* **missing, damaged or older** (not a database, a wrong or missing table,
  another :data:`schema.SCHEMA`) -> rebuilt from the case files, silently;
  a rebuild writes a temp file beside it and renames it into place, so a
  reader never sees half an index; a symbolic link (or anything but a
  regular file) planted at its path is removed, never followed;
* **caught up before every search**: one scan of the case folders
  (:func:`coprod_tui.core.store.scan.scan_entries`, the catalog's scan)
  compares each file's fingerprint (and folder: active or trash) with the one
  stored for it, and re-reads only the files that differ — whatever the CLI
  or another window wrote meanwhile; a file changed too close to the scan is
  stored as "re-read next time" (:func:`scan.is_racy`). While neither case
  folder's mtime moved (every store write renames a file into one) the scan
  is skipped, but never for more than :data:`FULL_SCAN_EVERY` seconds;
* **told by the store** in a workbench (:meth:`SearchIndex.observe`): writes,
  moves and purges are queued and applied by a background thread, never in
  the save itself.

A search parses the query (:mod:`.query`), builds the ``MATCH`` expression
itself from the parsed words (each one quoted), and answers in tiers: hits of
the words as typed first, then of the forms with diacritics of a word typed
without them, then of the words found inside longer words (compounds), each
tier ranked by bm25 (see :meth:`SearchIndex.search`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import coprod_tui.core.search.insight_index as _insights
import coprod_tui.core.search.schema as _schema
from coprod_tui.core.case import is_filled
from coprod_tui.core.errors import OperationalError
from coprod_tui.core.i18n import N_, _
from coprod_tui.core.search.analysis import WORD, base, fold, is_base_form, normal
from coprod_tui.core.search.hits import SearchHit
from coprod_tui.core.search.observer import CaseText, Event, IndexObserver, Pending
from coprod_tui.core.search.query import Query, QueryError, Term, parse
from coprod_tui.core.search.snippets import Matcher, merge_matchers, snippet
from coprod_tui.core.store.case_file import read_case_with_stat
from coprod_tui.core.store.layout import folders_to_scan, is_case_id
from coprod_tui.core.store.scan import Fingerprint, fingerprint, is_racy, scan_entries
from coprod_tui.core.store.storage import (
    DIR_MODE,
    FILE_MODE,
    DamagedFileError,
    chmod_nofollow,
    fsync_dir,
    make_private_folders,
    open_nofollow,
)

__all__ = ["INDEX_FOLDER", "INDEX_NAME", "SearchIndex"]

INDEX_FOLDER = "index"
INDEX_NAME = "search.sqlite3"
#: The files SQLite keeps beside the database.
_SIDE_FILES = ("-wal", "-shm", "-journal")
#: At most this many words stand in for one query word (forms with diacritics, compounds).
MAX_EXPANSION = 200
#: Words longer than this are not put in the lexicon (no one types them).
MAX_WORD = 64
#: A word in more rows than this is ranked among the most recently indexed this many.
RANK_WINDOW = 6000
#: Seconds between full scans while the case folders look unchanged (a file edited in
#: place by hand, without the rename every coprod write does, is found within this).
FULL_SCAN_EVERY = 5.0
#: Bytes of terms FTS5 gathers in memory before it writes them out as a segment (a
#: build only: fewer, larger segments to merge; 64 MB took the FTS5 insert of 10,000
#: cases from about 4.4 to 2.9 s of CPU beside 8 MB).
_BUILD_HASH = 64 * 2**20
#: (fingerprint, trashed) the index holds for a case file.
Known = tuple[Fingerprint, bool]


class SearchIndex:
    """The search index of one store. Thread-safe: one lock guards its one connection."""

    def __init__(
        self,
        root: Path,
        *,
        file_mode: int = FILE_MODE,
        dir_mode: int = DIR_MODE,
        templates: Any = None,
    ) -> None:
        self.root = Path(root)
        self.folder = self.root / INDEX_FOLDER
        self.path = self.folder / INDEX_NAME
        self.file_mode = file_mode
        self.dir_mode = dir_mode
        self._templates = templates
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._inode: int | None = None
        self._known: dict[str, Known] | None = None
        self._data_version: int | None = None
        #: The case folders' marks at the last full scan, and when it ran (monotonic);
        #: the marks stored in the file (another process may have scanned last).
        self._marks: tuple[Any, ...] | None = None
        self._stored_marks: tuple[Any, ...] | None = None
        self._full_scan_at = 0.0
        self._pending = Pending()
        #: Built in memory: the store cannot be written (read-only), so nothing is kept.
        self._memory = False
        self._observer: IndexObserver | None = None
        self._insight_observer: _insights.InsightIndexObserver | None = None
        #: How many times this object (re)built the file: tests and the doctor read it.
        self.rebuilds = 0
        #: Seconds the last build spent in each phase (``bench/search.py`` prints them).
        self.build_phases: dict[str, float] = {}

    # --- opening ----------------------------------------------------------------------

    @classmethod
    def for_store(cls, store: Any) -> SearchIndex:
        """The index of ``store`` (a :class:`~coprod_tui.core.store.CaseStore`), opened.

        Creates the index, or rebuilds one that is missing, damaged or of
        another version; raises :class:`OperationalError` (one line) only
        when no index can be written at all (a read-only store, a full disk).
        """
        policy = store.policy
        index = cls(
            store.path,
            file_mode=policy.file_mode,
            dir_mode=policy.dir_mode,
            templates=getattr(store, "_templates", None),
        )
        index.open()
        return index

    @classmethod
    def erase_purged(cls, store: Any) -> None:
        """After a purge without a running index: rebuild the index, if the store has one.

        Deleting rows is not enough for an erasure: SQLite keeps them in free
        pages and FTS5 in older segments until they are overwritten. A rebuild
        writes a new file from the documents and renames it over the old one.
        (An open index does this itself when its observer hears of a purge.)
        """
        if not (store.path / INDEX_FOLDER / INDEX_NAME).exists():
            return
        with cls.for_store(store) as index:
            index.rebuild()

    def open(self) -> None:
        """Open the file (building it if needed); called by :meth:`for_store`."""
        with self._lock, self._guard("open the search index"):
            self._ensure_open()

    def close(self) -> None:
        """Stop the background thread and close the file (pending events are applied first)."""
        self._pending.stop()
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(sqlite3.Error, OperationalError):
                    self._apply_pending()
                self._conn.close()
                self._conn = None

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def observe(self, store: Any) -> None:
        """Be told of every write, move and purge ``store`` makes (the workbench's index).

        The store's save only queues the change; a background thread applies it.
        """
        if self._observer is None:
            self._observer = IndexObserver(self._pending)
            self._pending.start(self._apply_in_background)
        store.add_observer(self._observer)
        from coprod_tui.core.insights.store import insights_of

        if self._insight_observer is None:
            self._insight_observer = _insights.InsightIndexObserver(self._pending)
        insights_of(store).add_observer(self._insight_observer)

    @property
    def in_memory(self) -> bool:
        """Whether the index lives in memory only (the store could not be written)."""
        return self._memory

    # --- the public operations ----------------------------------------------------------

    def catch_up(self) -> int:
        """Re-read the case files changed since the last look; returns how many were read."""
        with self._lock, self._guard("update the search index"):
            count, _ = self._repairing(lambda: None)
            return count

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Build the index afresh from every case file; returns how many were read.

        ``progress(done, total)`` is called as files are read (for a progress bar).
        """
        with self._lock, self._guard("rebuild the search index"):
            self._pending.take()  # everything is read from the files now
            self._close_conn()
            count = self._build(progress)
            self._connect_current()
            return count

    def search(
        self,
        query: str,
        *,
        section: str | None = None,
        tag: str | None = None,
        template: str | None = None,
        perspective: str | None = None,
        limit: int = 50,
    ) -> list[SearchHit]:
        """The best ``limit`` hits of ``query`` among the active cases, best first.

        The index catches up first, so no saved word is ever missed. Each hit
        is one (case, section): ``section_id`` is the section's id as stored
        in the case, or ``""`` for a hit in the case's title or tags. Keyword
        filters add to those in the query text (``section:ID``...). Hits of
        the words as typed come first, then hits of forms with diacritics of
        words typed without them, then hits inside compounds (words of 3
        letters or more); each group is ranked by bm25 (a word in more than
        :data:`RANK_WINDOW` rows: among the most recently indexed). :class:`QueryError`
        for a query the parser cannot read; a blank query has no hits.
        """
        parsed = parse(query)
        filters = _filters(
            parsed, section=section, tag=tag, template=template, perspective=perspective
        )
        if not parsed.terms and not any(filters.values()):
            return []
        limit = max(0, limit)
        with self._lock, self._guard("search the cases"):
            _, hits = self._repairing(lambda: self._search(parsed, filters, limit))
            return list(hits)

    def search_insights(
        self, query: str, *, tag: str | None = None, limit: int = 50
    ) -> list[SearchHit]:
        """The best ``limit`` active insights matching ``query`` (title, text, tags), best first.

        The same query language and tiers as :meth:`search`; each hit has
        ``kind`` ``"insight"``, the insight's id in ``case_id`` (also
        ``doc_id``) and its title. A query naming a section, template or
        perspective finds no insight (insights have none); ``tag:`` filters
        by the insight's own tags.
        """
        parsed = parse(query)
        filters = _filters(parsed, section=None, tag=tag, template=None, perspective=None)
        if any(filters.get(name) for name in ("section", "template", "perspective")):
            return []
        tags = filters.get("tag", ())
        if not parsed.terms and not tags:
            return []
        limit = max(0, limit)
        with self._lock, self._guard("search the insights"):
            _, hits = self._repairing(lambda: self._search_insights(parsed, tags, limit))
            return list(hits)

    def match_any(
        self, words: Iterable[str], *, exclude: Iterable[str] = (), limit: int = 10
    ) -> list[SearchHit]:
        """Active cases with a section holding any of ``words``, one hit (its best section)
        per case, best first; cases in ``exclude`` are left out.

        The words are matched as given (folded); bm25 ranks a section holding
        rare words, and many of them, first. For "suggested cases" of an
        insight (:func:`coprod_tui.core.insights.suggest.suggest_cases`).
        """
        chosen = sorted({fold(word) for word in words if WORD.fullmatch(fold(word))})
        if not chosen or limit <= 0:
            return []
        with self._lock, self._guard("search the cases"):
            _, hits = self._repairing(lambda: self._match_any(chosen, set(exclude), limit))
            return list(hits)

    def _repairing(self, answer: Callable[[], Any]) -> tuple[int, Any]:
        """(files re-read, ``answer()``) after catching up; damage found on the way is
        repaired by one silent rebuild (which then counts as every file re-read)."""
        try:
            self._ensure_open()
            self._apply_pending()
            count = self._catch_up()
            self._catch_up_insights()
            return count, answer()
        except sqlite3.DatabaseError as error:
            if _is_busy(error):
                raise
        self._pending.take()  # the rebuild reads every file anyway
        self._close_conn()
        count = self._build(None)
        self._connect_current()
        count += self._catch_up()
        self._catch_up_insights()
        return count, answer()

    # --- opening, checking, building ------------------------------------------------------

    #: The actions ``_guard`` names, marked for the catalogue (shown through ``_()``).
    _ACTIONS = (
        N_("open the search index"),
        N_("update the search index"),
        N_("rebuild the search index"),
        N_("search the cases"),
        N_("search the insights"),
    )

    @contextlib.contextmanager
    def _guard(self, action: str) -> Any:
        try:
            yield
        except sqlite3.DatabaseError as error:
            raise OperationalError(
                _(
                    "could not {action}: {reason}; run 'coprod doctor --reindex' to rebuild it"
                ).format(action=_(action), reason=_sqlite_reason(error))
            ) from None
        except OSError as error:
            from coprod_tui.core.store.storage import describe_os_error

            raise OperationalError(
                _("could not {action} in {folder}: {reason}").format(
                    action=_(action), folder=self.folder, reason=describe_os_error(error)
                )
            ) from None

    def _ensure_open(self) -> None:
        """A connection to a current, whole index file (rebuilt if it is not)."""
        if self._memory and self._conn is not None:
            return
        if self._conn is not None:
            try:
                info = os.lstat(self.path)
            except FileNotFoundError:
                info = None
            if info is not None and info.st_ino == self._inode and stat.S_ISREG(info.st_mode):
                return
            self._close_conn()  # replaced (another process rebuilt it) or removed
        try:
            self._prepare_folder()
            self._remove_planted()
        except OSError as error:
            if not _cannot_write(error):
                raise
            self._build_in_memory(None)
            return
        if not os.path.lexists(self.path):
            self._build(None)
            if self._memory:
                return
        try:
            self._connect_current()
        except sqlite3.DatabaseError:
            self._close_conn()
            self._build(None)
            self._connect_current()

    def _connect_current(self) -> None:
        """Connect to the index file and check it is ours and whole (``DatabaseError`` if not)."""
        if self._memory:
            return  # built in memory: nothing on disk to connect to
        try:
            conn = self._connect(self.path)
        except (OSError, sqlite3.OperationalError) as error:
            if not _cannot_write(error):
                raise
            self._build_in_memory(None)
            return
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            ok = _schema.is_current(conn)
        except sqlite3.DatabaseError as error:
            conn.close()
            if isinstance(error, sqlite3.OperationalError) and _cannot_write(error):
                self._build_in_memory(None)
                return
            raise
        if not ok:
            conn.close()
            raise sqlite3.DatabaseError("an index of another version")
        self._conn = conn
        self._inode = os.lstat(self.path).st_ino
        self._ensure_insight_tables()
        self._known = None
        # The marks of the last full scan any process made: trusted for FULL_SCAN_EVERY.
        self._marks = self._stored_marks = _load_marks(conn)
        self._full_scan_at = time.monotonic()

    def _connect(self, path: Path) -> sqlite3.Connection:
        """A connection; a file SQLite creates is private whatever the umask."""
        old = os.umask(0o077)
        try:
            conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        finally:
            os.umask(old)
        if os.path.lexists(path):
            chmod_nofollow(path, self.file_mode)
        # SQLite's temporary files (sorts, FTS5 merges) would otherwise go to the
        # system temp folder: pieces of case text outside the store.
        conn.execute("PRAGMA temp_store=MEMORY")
        return conn

    def _close_conn(self) -> None:
        self._memory = False
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
        self._conn = None
        self._inode = None
        self._known = None
        self._marks = None

    def _prepare_folder(self) -> None:
        """``index/`` as a private folder; a link or file in its place is removed, not followed."""
        try:
            info = os.lstat(self.folder)
        except FileNotFoundError:
            info = None
        if info is not None and not stat.S_ISDIR(info.st_mode):
            os.unlink(self.folder)  # a link (or a stray file): the link goes, its target stays
            info = None
        if info is None:
            make_private_folders(self.folder, self.dir_mode)
        elif stat.S_IMODE(info.st_mode) != self.dir_mode & 0o7777:
            chmod_nofollow(self.folder, self.dir_mode)  # made by hand, or by an older umask

    def _remove_planted(self) -> None:
        """Anything but a regular file at the index's paths (a symbolic link) is removed."""
        for path in (self.path, *(Path(f"{self.path}{side}") for side in _SIDE_FILES)):
            try:
                info = os.lstat(path)
            except FileNotFoundError:
                continue
            if stat.S_ISDIR(info.st_mode):
                import shutil

                shutil.rmtree(path)
            elif not stat.S_ISREG(info.st_mode):
                os.unlink(path)

    def _build(self, progress: Callable[[int, int], None] | None) -> int:
        """Write a fresh index to a temp file and rename it over the old one.

        Where nothing can be written (a read-only store, a folder of someone
        else's), the index is built in memory instead: searching still works,
        for as long as this object lives.
        """
        try:
            self._prepare_folder()
            self._remove_stale_temps()
            temp = self.folder / f".{INDEX_NAME}.{os.urandom(6).hex()}.tmp"
            conn = self._connect(temp)
        except (OSError, sqlite3.OperationalError) as error:
            if not _cannot_write(error):
                raise
            return self._build_in_memory(progress)
        try:
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute("PRAGMA cache_size=-65536")
            conn.execute("PRAGMA page_size=8192")
            total = self._fill(conn, progress)
            conn.close()
            # Built without a journal or syncs (a half-built temp file is simply thrown
            # away), so the finished file is synced once here, before it takes the name.
            synced_at = time.perf_counter()
            _fsync_file(temp)
            for side in _SIDE_FILES:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{self.path}{side}")
            os.replace(temp, self.path)
            fsync_dir(self.folder)
            self.build_phases["fsync + rename"] = time.perf_counter() - synced_at
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        self._memory = False
        self.rebuilds += 1
        return total

    def _build_in_memory(self, progress: Callable[[int, int], None] | None) -> int:
        self._close_conn()
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA temp_store=MEMORY")
        total = self._fill(conn, progress)
        self._conn, self._memory = conn, True
        self._marks = self._stored_marks = None
        self.rebuilds += 1
        return total

    def _fill(self, conn: sqlite3.Connection, progress: Callable[[int, int], None] | None) -> int:
        """Make the tables in an empty database and index every case file into them."""
        begun = time.perf_counter()
        _schema.create(conn, bulk=True)
        # FTS5 writes its in-memory terms out as a segment every 1 MB by default and
        # then merges the segments; _BUILD_HASH makes fewer to merge. Memory it uses
        # only while a transaction runs.
        conn.execute("INSERT INTO sec(sec, rank) VALUES ('hashsize', ?)", (_BUILD_HASH,))
        started = time.time_ns()
        marks = self._folder_marks(started)
        entries = [
            (trashed, doc_id, entry.path, info)
            for trashed, doc_id, entry, info in scan_entries(
                folders_to_scan(self.root), now=time.time()
            )
            if is_case_id(doc_id)
        ]
        total = len(entries)
        phases = {"scan": time.perf_counter() - begun}
        conn.execute("BEGIN")
        batch = _Batch(conn)
        clock = time.perf_counter
        reading = preparing = 0.0
        # One thread, in order: read a case, prepare its rows, hand a batch to SQLite.
        # (A reading thread beside the indexing one made the build slower: SQLite lets
        # go of the interpreter for each row and then waited up to a switch interval
        # to get it back from the reader, so the two ran one after the other anyway.)
        for done, (trashed, doc_id, path, info) in enumerate(entries, 1):
            at = clock()
            case, print_ = _read(Path(path), info)
            read_at = clock()
            if print_ is not None:
                prepared = None if case is None else _prepared(case)
                batch.add(doc_id, prepared, print_, trashed, is_racy(print_[1], started))
            reading += read_at - at
            preparing += clock() - read_at
            if done % _Batch.CASES == 0 or done == total:
                batch.flush()
                if progress is not None:
                    progress(done, total)
        batch.flush()
        phases["read + decode"] = reading
        phases["prepare"] = preparing
        phases["insert"] = batch.took
        insights_at = time.perf_counter()
        _insights.fill(conn, self.root, add_words)
        phases["insights"] = time.perf_counter() - insights_at
        lexicon_at = time.perf_counter()
        fill_lexicon(conn)
        phases["lexicon"] = time.perf_counter() - lexicon_at
        if marks is not None:
            _save_marks(conn, marks)
        commit_at = time.perf_counter()
        conn.execute("COMMIT")
        phases["commit"] = time.perf_counter() - commit_at
        phases["total"] = time.perf_counter() - begun
        self.build_phases = phases
        if progress is not None and not total:
            progress(0, 0)
        return total

    def _remove_stale_temps(self) -> None:
        """Temp files of builds that died (over an hour old) are removed."""
        now = time.time()
        with contextlib.suppress(OSError), os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.name.startswith(f".{INDEX_NAME}.") and entry.name.endswith(".tmp"):
                    with contextlib.suppress(OSError):
                        if now - entry.stat(follow_symlinks=False).st_mtime > 3600:
                            os.unlink(entry.path)

    # --- catching up ------------------------------------------------------------------------

    def _known_files(self) -> dict[str, Known]:
        """What the index holds for each case file (cached until another connection writes)."""
        assert self._conn is not None
        version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        if self._known is None or version != self._data_version:
            rows = self._conn.execute("SELECT case_id, ino, mtime, size, trashed FROM files")
            self._known = {row[0]: ((row[1], row[2], row[3]), bool(row[4])) for row in rows}
            self._data_version = version
        return self._known

    def _folder_marks(self, started: int) -> tuple[Any, ...] | None:
        """(inode, mtime_ns) of each case folder; ``None`` if one changed too recently to trust.

        Every write of a case file renames a file into its folder, which moves
        the folder's mtime: folders unchanged since the last full scan mean no
        case file was written, moved or removed since.
        """
        marks: list[Any] = []
        for folder, _trashed in folders_to_scan(self.root):
            try:
                info = os.lstat(folder)
            except FileNotFoundError:
                marks.append(None)
                continue
            if is_racy(info.st_mtime_ns, started):
                return None
            marks.append((info.st_ino, info.st_mtime_ns))
        return tuple(marks)

    def _catch_up(self) -> int:
        conn = self._conn
        assert conn is not None
        started = time.time_ns()
        marks = self._folder_marks(started)
        if (
            marks is not None
            and marks == self._marks
            and time.monotonic() - self._full_scan_at < FULL_SCAN_EVERY
        ):
            return 0  # no case file was replaced, added, moved or removed
        self._marks, self._full_scan_at = marks, time.monotonic()
        known = self._known_files()
        changed: list[tuple[str, Path, bool, os.stat_result]] = []
        seen: set[str] = set()
        for trashed, doc_id, entry, info in scan_entries(
            folders_to_scan(self.root), now=time.time()
        ):
            if not is_case_id(doc_id):
                continue
            seen.add(doc_id)
            if known.get(doc_id) == (fingerprint(info), trashed) and not is_racy(
                info.st_mtime_ns, started
            ):
                continue
            changed.append((doc_id, Path(entry.path), trashed, info))
        gone = [doc_id for doc_id in known if doc_id not in seen]
        keep_marks = marks is not None and marks != self._stored_marks
        if not changed and not gone and not keep_marks:
            return 0
        conn.execute("BEGIN IMMEDIATE")
        try:
            for doc_id, path, trashed, info in changed:
                case, print_ = _read(path, info)
                if print_ is None:
                    continue  # moved or removed meanwhile: the next scan sees where it went
                racy = is_racy(print_[1], started)
                _forget(conn, doc_id)
                _write_case(conn, doc_id, case, print_, trashed, racy)
                known[doc_id] = ((print_[0], -1 if racy else print_[1], print_[2]), trashed)
            for doc_id in gone:
                _forget(conn, doc_id)
                known.pop(doc_id, None)
            if keep_marks and marks is not None:
                _save_marks(conn, marks)
            conn.execute("COMMIT")
            if keep_marks:
                self._stored_marks = marks
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            self._known = None
            self._marks = None
            raise
        return len(changed)

    def _apply_in_background(self) -> None:
        with self._lock:
            if self._conn is None:
                try:
                    self._ensure_open()
                except (sqlite3.Error, OSError):
                    self._pending.take()  # the next search catches up from the files
                    return
            self._apply_pending()

    def _apply_pending(self) -> None:
        """Apply the observer's queued events in one transaction."""
        events = self._pending.take()
        if not events:
            return
        if any(event.kind in ("purged", _insights.PURGED) for event in events):
            # A purge erases for good: deleted rows would linger in the file's free pages
            # and in FTS5's older segments. Build afresh from the case files instead (the
            # old file is replaced, the purged case's words are in none of the new one).
            self._close_conn()
            self._build(None)
            self._connect_current()
            return
        conn = self._conn
        assert conn is not None
        # The cached fingerprints are kept in step when there are any; none are read
        # for this (10,000 rows of Python on the workbench's first save): the next
        # catch-up reads them from the file, which then holds these events too.
        known = self._known if self._known is not None else {}
        conn.execute("BEGIN IMMEDIATE")
        try:
            for event in events:
                if event.kind in _insights.KINDS:
                    _insights.apply_event(conn, event, add_words)
                else:
                    _apply(conn, event, known)
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            self._known = None
            raise

    def _ensure_insight_tables(self) -> None:
        """Give an index made before insights were indexed their tables (no rebuild)."""
        assert self._conn is not None
        try:
            _insights.ensure_tables(self._conn)
        except sqlite3.OperationalError as error:
            if not _cannot_write(error):
                raise  # a read-only index file: insights are simply not found

    def _has_insight_tables(self) -> bool:
        assert self._conn is not None
        found = self._conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('ins', 'ins_files', 'ins_tags')"
        ).fetchone()[0]
        return bool(found == 3)

    def _catch_up_insights(self) -> int:
        """Re-read the insight files changed since the last look (see ``insight_index``)."""
        if self._conn is None or not self._has_insight_tables():
            return 0
        return _insights.catch_up(self._conn, self.root, add_words)

    # --- searching ---------------------------------------------------------------------------

    def _search(
        self, query: Query, filters: dict[str, tuple[str, ...]], limit: int
    ) -> list[SearchHit]:
        conn = self._conn
        assert conn is not None
        where, params = self._filter_sql(filters)
        if not query.terms:
            return self._listing(where, params, filters, limit)
        tiers = _tiers(conn, query.terms)
        found: list[tuple[int, str, str, float, int, Matcher]] = []
        seen: set[int] = set()
        for tier, (expression, matcher) in enumerate(tiers):
            if len(found) >= limit:
                break
            want = limit - len(found)
            rows, windowed = self._ranked(expression, where, params, want + len(seen), window=True)
            fresh = [row for row in rows if row[0] not in seen]
            if windowed and len(fresh) < want:
                # The window of recent rows held too few (filtered) hits: rank them all.
                rows, _ = self._ranked(expression, where, params, want + len(seen), window=False)
                fresh = [row for row in rows if row[0] not in seen]
            for rowid, case_id, section_id, rank in fresh[:want]:
                seen.add(rowid)
                found.append((rowid, case_id, section_id, rank, tier, matcher))
        titles = self._titles({case_id for _r, case_id, *_rest in found})
        hits: list[SearchHit] = []
        patterns: dict[int, Any] = {}
        for rowid, case_id, section_id, rank, tier, matcher in found:
            if id(matcher) not in patterns:
                patterns[id(matcher)] = matcher.pattern()
            body_row = conn.execute("SELECT body FROM sec WHERE rowid = ?", (rowid,)).fetchone()
            body = body_row[0] if body_row else ""
            title = titles.get(case_id, "")
            hits.append(_hit(case_id, title, section_id, body, patterns[id(matcher)], rank, tier))
        return hits

    def _search_insights(self, query: Query, tags: tuple[str, ...], limit: int) -> list[SearchHit]:
        conn = self._conn
        assert conn is not None
        if not self._has_insight_tables():
            return []
        where, params = "", []
        for tag in tags:
            where += " AND EXISTS (SELECT 1 FROM ins_tags AS t WHERE t.insight_id = f.insight_id "
            where += "AND t.tag = ?)"
            params.append(tag)
        if not query.terms:
            rows = conn.execute(
                "SELECT f.insight_id, f.title, s.body FROM ins_files AS f "
                "JOIN ins AS s ON s.rowid = f.id "
                f"WHERE f.trashed = 0 AND f.damaged = 0{where} ORDER BY f.title, f.insight_id "
                "LIMIT ?",
                (*params, limit),
            ).fetchall()
            return [
                _as_insight(_hit(doc_id, title, "", body, None, 0.0, 0))
                for doc_id, title, body in rows
            ]
        found: list[SearchHit] = []
        seen: set[str] = set()
        for tier, (expression, matcher) in enumerate(_tiers(conn, query.terms)):
            if len(found) >= limit:
                break
            rows = conn.execute(
                "SELECT f.insight_id, f.title, s.body, bm25(ins) AS r FROM ins AS s "
                "JOIN ins_files AS f ON f.id = s.rowid "
                f"WHERE ins MATCH ? AND f.trashed = 0 AND f.damaged = 0{where} "
                "ORDER BY r, f.insight_id LIMIT ?",
                (expression, *params, limit + len(seen)),
            ).fetchall()
            pattern = matcher.pattern()
            for doc_id, title, body, rank in rows:
                if doc_id in seen or len(found) >= limit:
                    continue
                seen.add(doc_id)
                found.append(_as_insight(_hit(doc_id, title, "", body, pattern, rank, tier)))
        return found

    def _match_any(self, words: list[str], exclude: set[str], limit: int) -> list[SearchHit]:
        conn = self._conn
        assert conn is not None
        expression = " OR ".join(_quoted(word) for word in words)
        skip = sorted(exclude)
        where = f" AND d.case_id NOT IN ({_marks(skip)})" if skip else ""
        rows = conn.execute(
            "SELECT s.rowid, d.case_id, d.section_id, bm25(sec) AS r "
            "FROM sec AS s JOIN docs AS d ON d.id = s.rowid "
            "JOIN files AS f ON f.case_id = d.case_id "
            f"WHERE sec MATCH ? AND f.trashed = 0 AND d.section_id != ''{where} "
            "ORDER BY r, d.case_id, d.section_id LIMIT ?",
            (expression, *skip, limit * 8),
        ).fetchall()
        best: dict[str, tuple[int, str, float]] = {}
        for rowid, case_id, section_id, rank in rows:
            if case_id not in best:
                best[case_id] = (rowid, section_id, rank)
            if len(best) >= limit:
                break
        titles = self._titles(set(best))
        pattern = Matcher(words=frozenset(words)).pattern()
        hits: list[SearchHit] = []
        for case_id, (rowid, section_id, rank) in best.items():
            body_row = conn.execute("SELECT body FROM sec WHERE rowid = ?", (rowid,)).fetchone()
            body = body_row[0] if body_row else ""
            hits.append(_hit(case_id, titles.get(case_id, ""), section_id, body, pattern, rank, 0))
        return hits

    def _ranked(
        self, expression: str, where: str, params: list[Any], limit: int, *, window: bool
    ) -> tuple[list[tuple[int, str, str, float]], bool]:
        """(rowid, case id, section id, bm25) of the best ``limit`` rows, and whether windowed.

        With ``window``, a word found in more than :data:`RANK_WINDOW` rows is
        ranked among the :data:`RANK_WINDOW` most recently indexed of them:
        bm25 costs a lookup per row, and the first screenful of a word in
        every case must come in tens of milliseconds, not hundreds.
        """
        assert self._conn is not None
        extra, values = "", list(params)
        if window:
            edge = self._conn.execute(
                "SELECT rowid FROM sec WHERE sec MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                (expression, RANK_WINDOW),
            ).fetchone()
            if edge is not None:
                extra = " AND s.rowid > ?"
                values.insert(0, edge[0])
        sql = (
            "SELECT s.rowid, d.case_id, d.section_id, bm25(sec) AS r "
            "FROM sec AS s JOIN docs AS d ON d.id = s.rowid "
            "JOIN files AS f ON f.case_id = d.case_id "
            f"WHERE sec MATCH ?{extra} AND f.trashed = 0{where} "
            "ORDER BY r, d.case_id, d.section_id LIMIT ?"
        )
        rows = self._conn.execute(sql, (expression, *values, limit)).fetchall()
        return [(row[0], row[1], row[2], row[3]) for row in rows], bool(extra)

    def _titles(self, case_ids: set[str]) -> dict[str, str]:
        assert self._conn is not None
        ids = sorted(case_ids)
        if not ids:
            return {}
        rows = self._conn.execute(
            f"SELECT case_id, title FROM files WHERE case_id IN ({_marks(ids)})", ids
        )
        return {row[0]: row[1] for row in rows}

    def _listing(
        self, where: str, params: list[Any], filters: dict[str, tuple[str, ...]], limit: int
    ) -> list[SearchHit]:
        """A query of filters only: the matching sections (or the titles), by title."""
        assert self._conn is not None
        by_section = filters.get("section") or filters.get("perspective")
        only_titles = "" if by_section else " AND d.section_id = ''"
        rows = self._conn.execute(
            "SELECT d.case_id, d.section_id, f.title, s.body FROM docs AS d "
            "JOIN files AS f ON f.case_id = d.case_id JOIN sec AS s ON s.rowid = d.id "
            f"WHERE f.trashed = 0{only_titles}{where} ORDER BY f.title, d.case_id LIMIT ?",
            (*params, limit),
        ).fetchall()
        return [_hit(case_id, title, sid, body, None, 0.0, 0) for case_id, sid, title, body in rows]

    def _filter_sql(self, filters: dict[str, tuple[str, ...]]) -> tuple[str, list[Any]]:
        where = ""
        params: list[Any] = []
        sections = filters.get("section", ())
        if sections:
            where += f" AND d.section_id IN ({_marks(sections)})"
            params.extend(sections)
        templates = filters.get("template", ())
        if templates:
            where += f" AND f.template_id IN ({_marks(templates)})"
            params.extend(templates)
        for tag in filters.get("tag", ()):
            where += (
                " AND EXISTS (SELECT 1 FROM tags AS t WHERE t.case_id = d.case_id AND t.tag = ?)"
            )
            params.append(tag)
        perspectives = filters.get("perspective", ())
        if perspectives:
            pairs = self._perspective_sections(perspectives)
            if not pairs:
                where += " AND 0"
            else:
                where += f" AND (f.template_id || char(31) || d.section_id) IN ({_marks(pairs)})"
                params.extend(f"{template_id}\x1f{section_id}" for template_id, section_id in pairs)
        return where, params

    def _perspective_sections(self, perspectives: Iterable[str]) -> list[tuple[str, str]]:
        """(template id, section id) of every section of the given perspectives (renames too)."""
        templates = self._template_list()
        wanted = set(perspectives)
        pairs: list[tuple[str, str]] = []
        known: set[str] = set()
        for template in templates:
            for perspective in getattr(template, "perspectives", ()):
                known.add(perspective.id)
            for section in template.sections:
                if section.perspective in wanted:
                    for section_id in (section.id, *section.renamed_from):
                        pairs.append((template.id, section_id))
        if not wanted & known:
            names = ", ".join(sorted(known)) or _("none")
            raise QueryError(
                _("no template has the perspective {wanted!r} (there are: {names})").format(
                    wanted=sorted(wanted)[0][:40], names=names
                )
            )
        return pairs

    def _template_list(self) -> list[Any]:
        registry = self._templates
        if registry is None:
            from coprod_tui.core.template.registry import discover_templates

            registry = self._templates = discover_templates(store_dir=self.root)
        listing = getattr(registry, "all", None)
        if callable(listing):
            return list(listing())
        found = getattr(registry, "templates", [])
        return list(found.values() if isinstance(found, dict) else found)


# --- helpers (module level: the build and the catch-up share them) ------------------------


def _filters(
    query: Query,
    *,
    section: str | None,
    tag: str | None,
    template: str | None,
    perspective: str | None,
) -> dict[str, tuple[str, ...]]:
    """The query's filters plus the keyword ones (a tag is folded, ids are exact)."""
    given = {
        "section": section,
        "tag": fold(tag.strip()) if tag else None,
        "template": template,
        "perspective": perspective,
    }
    filters = dict(query.filters)
    for name, value in given.items():
        if value:
            filters[name] = (*filters.get(name, ()), value)
    return filters


def _load_marks(conn: sqlite3.Connection) -> tuple[Any, ...] | None:
    """The case folders' marks the last full scan stored (``None``: scan first)."""
    import json

    row = conn.execute("SELECT value FROM meta WHERE key = 'marks'").fetchone()
    try:
        value = json.loads(row[0]) if row else None
    except ValueError:
        return None
    if not isinstance(value, list):
        return None
    return tuple(tuple(item) if isinstance(item, list) else None for item in value)


def _save_marks(conn: sqlite3.Connection, marks: tuple[Any, ...]) -> None:
    """Store the marks a full scan started from, in the transaction that wrote what it found."""
    import json

    value = json.dumps([list(item) if item is not None else None for item in marks])
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('marks', ?)", (value,))


def _marks(values: Iterable[Any]) -> str:
    return ", ".join("?" for _ in values)


def _cannot_write(error: BaseException) -> bool:
    """Whether an error means the index's folder or file cannot be written at all."""
    import errno

    if isinstance(error, OSError):
        return error.errno in (errno.EROFS, errno.EACCES, errno.EPERM)
    text = str(error).lower()
    return "readonly" in text or "read-only" in text or "unable to open" in text


def _is_busy(error: sqlite3.DatabaseError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def _sqlite_reason(error: sqlite3.DatabaseError) -> str:
    if _is_busy(error):
        return _("another coprod is busy with it; try again in a moment")
    return _("the index file is damaged")


def _read(path: Path, info: os.stat_result) -> tuple[Any, Fingerprint | None]:
    """(case or ``None`` if damaged, fingerprint of the file read); (None, None) if it is gone."""
    try:
        case, read_info = read_case_with_stat(path)
    except FileNotFoundError:
        return None, None
    except (DamagedFileError, OSError, ValueError, RecursionError):
        return None, fingerprint(info)  # damaged: listed by the doctor, found by nothing
    return case, fingerprint(read_info)


def _fsync_file(path: Path) -> None:
    """Flush a finished file to the disk (never through a link)."""
    fd = open_nofollow(path)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _forget(conn: sqlite3.Connection, case_id: str) -> None:
    """Remove every row of a case."""
    found = conn.execute("SELECT id FROM docs WHERE case_id = ?", (case_id,))
    rowids = [(row[0],) for row in found]
    if rowids:
        conn.executemany("DELETE FROM sec WHERE rowid = ?", rowids)
        conn.execute("DELETE FROM docs WHERE case_id = ?", (case_id,))
    conn.execute("DELETE FROM tags WHERE case_id = ?", (case_id,))
    conn.execute("DELETE FROM files WHERE case_id = ?", (case_id,))


def _rows_of(text: CaseText) -> list[tuple[str, str]]:
    """(section id, text) of every row a case gives: title and tags first, then each section."""
    head = text.title + ("\n" + "\n".join(text.tags) if text.tags else "")
    rows = [("", head)]
    for mapping in (text.sections, text.orphans):
        rows.extend((sid, body) for sid, body in mapping.items() if is_filled(body))
    return rows


#: What a build keeps of one case: (title, template id, folded tags, [(section id, NFC text)]).
Prepared = tuple[str, str, frozenset[str], list[tuple[str, str]]]


def _prepared(case: Any) -> Prepared:
    """The rows one case gives a build, in the Python it needs."""
    text = case if isinstance(case, CaseText) else CaseText.of(case)
    rows = [(sid, normal(body)) for sid, body in _rows_of(text)]
    tags = frozenset(fold(tag.strip()) for tag in text.tags if tag.strip())
    return text.title, text.template_id, tags, rows


class _Batch:
    """A fresh build's rows, written a few hundred cases at a time (one ``executemany`` each).

    The build is one transaction into an empty file, so row ids are counted
    here instead of asked of SQLite case by case.
    """

    #: Cases per flush (the progress bar moves at each).
    CASES = 64

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.next_id = 1
        self.files: list[tuple[Any, ...]] = []
        self.docs: list[tuple[int, str, str]] = []
        self.bodies: list[tuple[int, str]] = []
        self.tags: list[tuple[str, str]] = []
        #: Seconds spent writing (SQLite's tokenizing and inserting, mostly).
        self.took = 0.0

    def add(
        self,
        case_id: str,
        prepared: Prepared | None,
        print_: Fingerprint,
        trashed: bool,
        racy: bool,
    ) -> None:
        """Queue one case's rows (``prepared`` None: a damaged file, listed as such)."""
        ino, mtime, size = print_
        mtime = -1 if racy else mtime
        if prepared is None:
            self.files.append((case_id, ino, mtime, size, int(trashed), 1, "", ""))
            return
        title, template_id, tags, rows = prepared
        self.files.append((case_id, ino, mtime, size, int(trashed), 0, title, template_id))
        for sid, body in rows:
            self.docs.append((self.next_id, case_id, sid))
            self.bodies.append((self.next_id, body))
            self.next_id += 1
        self.tags.extend((tag, case_id) for tag in tags)

    def flush(self) -> None:
        """Write the queued rows."""
        at = time.perf_counter()
        conn = self.conn
        if self.files:
            conn.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)", self.files
            )
        if self.docs:
            conn.executemany(
                "INSERT INTO docs(id, case_id, section_id) VALUES (?, ?, ?)", self.docs
            )
            conn.executemany("INSERT INTO sec(rowid, body) VALUES (?, ?)", self.bodies)
        if self.tags:
            conn.executemany("INSERT OR IGNORE INTO tags VALUES (?, ?)", self.tags)
        self.files, self.docs, self.bodies, self.tags = [], [], [], []
        self.took += time.perf_counter() - at


def _write_case(
    conn: sqlite3.Connection,
    case_id: str,
    case: Any,
    print_: Fingerprint,
    trashed: bool,
    racy: bool,
    *,
    lexicon: bool = True,
) -> None:
    """Insert a case's rows (the caller removed any old ones); ``case`` None: damaged.

    ``lexicon=False`` (a fresh build) leaves the lexicon to :func:`fill_lexicon`.
    """
    ino, mtime, size = print_
    mtime = -1 if racy else mtime
    if case is None:
        conn.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, 1, '', '')",
            (case_id, ino, mtime, size, int(trashed)),
        )
        return
    text = case if isinstance(case, CaseText) else CaseText.of(case)
    conn.execute(
        "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
        (case_id, ino, mtime, size, int(trashed), text.title, text.template_id),
    )
    rows = _rows_of(text)
    first = conn.execute(
        "INSERT INTO docs(case_id, section_id) VALUES (?, ?)", (case_id, rows[0][0])
    ).lastrowid
    assert first is not None
    if len(rows) > 1:
        conn.executemany(
            "INSERT INTO docs(id, case_id, section_id) VALUES (?, ?, ?)",
            [(first + n, case_id, sid) for n, (sid, _body) in enumerate(rows) if n],
        )
    bodies = [normal(body) for _sid, body in rows]
    conn.executemany(
        "INSERT INTO sec(rowid, body) VALUES (?, ?)",
        [(first + n, body) for n, body in enumerate(bodies)],
    )
    tags = {fold(tag.strip()) for tag in text.tags if tag.strip()}
    if tags:
        conn.executemany(
            "INSERT OR IGNORE INTO tags VALUES (?, ?)", [(tag, case_id) for tag in tags]
        )
    if lexicon:
        words: set[str] = set()
        for body in bodies:
            words.update(WORD.findall(fold(body)))
        add_words(conn, words)


def add_words(conn: sqlite3.Connection, words: Iterable[str]) -> None:
    """Put words in the lexicon (with their base forms); words it has are skipped."""
    new = [(word, base(word)) for word in words if len(word) <= MAX_WORD]
    if new:
        conn.executemany("INSERT OR IGNORE INTO lex(word, base) VALUES (?, ?)", new)


def fill_lexicon(conn: sqlite3.Connection) -> None:
    """The lexicon of a fresh build, from the index's own vocabulary (one pass, in C).

    The build made the tables without the trigger that feeds ``lextri``: it is
    filled here in one statement, and the trigger made after.
    """
    conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, sec, row)")
    try:
        add_words(conn, (row[0] for row in conn.execute("SELECT term FROM temp.vocab")))
    finally:
        conn.execute("DROP TABLE temp.vocab")
    _schema.finish_bulk(conn)


def _apply(conn: sqlite3.Connection, event: Event, known: dict[str, Known]) -> None:
    """One observer event, in the caller's transaction."""
    if event.kind == "written":
        _forget(conn, event.case_id)
        if event.fingerprint is None:
            known.pop(event.case_id, None)  # no fingerprint: re-read at the next catch-up
            return
        racy = is_racy(event.fingerprint[1], time.time_ns())
        _write_case(conn, event.case_id, event.case, event.fingerprint, event.trashed, racy)
        ino, mtime, size = event.fingerprint
        known[event.case_id] = ((ino, -1 if racy else mtime, size), event.trashed)
    elif event.kind == "moved":
        # A move into the trash stamps the file's time: re-read it at the next catch-up.
        conn.execute(
            "UPDATE files SET trashed = ?, mtime = -1 WHERE case_id = ?",
            (int(event.trashed), event.case_id),
        )
        entry = known.get(event.case_id)
        if entry is not None:
            known[event.case_id] = ((entry[0][0], -1, entry[0][2]), event.trashed)
    elif event.kind == "purged":
        _forget(conn, event.case_id)
        known.pop(event.case_id, None)


# --- building the MATCH expression ----------------------------------------------------------


def _quoted(word: str) -> str:
    """An FTS5 string: the word in double quotes (a quote inside doubled)."""
    return '"' + word.replace('"', '""') + '"'


def _exact(term: Term) -> str:
    text = _quoted(" ".join(term.words))
    return text + " *" if term.prefix else text


def _tiers(conn: sqlite3.Connection, terms: tuple[Term, ...]) -> list[tuple[str, Matcher]]:
    """The MATCH expression and hit matcher of each tier: as typed, + diacritics, + compounds."""
    exact_alts: list[list[str]] = []
    matchers: list[list[Matcher]] = [[], [], []]
    variant_alts: list[list[str]] = []
    compound_alts: list[list[str]] = []
    for term in terms:
        exact_alts.append([_exact(term)])
        matchers[0].append(_matcher_of(term))
        variants: list[str] = []
        compounds: list[str] = []
        if term.phrase:
            spelled = _phrase_variants(conn, term)
            variant_alts.append([_exact(Term(words, term.prefix)) for words in spelled])
            compound_alts.append([])
            if term.prefix:
                matchers[1].append(Matcher(prefix_phrases=tuple(spelled)))
            else:
                matchers[1].append(Matcher(phrases=tuple(spelled)))
            matchers[2].append(Matcher())
            continue
        word = term.words[0]
        variants = _variants(conn, word, prefix=term.prefix)
        if len(word) >= 3:
            compounds = _compounds(conn, word, skip=set(variants))
        variant_alts.append([_quoted(w) for w in variants])
        compound_alts.append([_quoted(w) for w in compounds])
        matchers[1].append(Matcher(words=frozenset(variants)))
        matchers[2].append(Matcher(words=frozenset(compounds)))
    expressions: list[tuple[str, Matcher]] = []
    alternatives = [list(alts) for alts in exact_alts]
    tiers_extra = [variant_alts, compound_alts]
    last = None
    for tier in range(3):
        if tier:
            for alts, extra in zip(alternatives, tiers_extra[tier - 1], strict=True):
                alts.extend(extra)
        expression = " AND ".join(f"({' OR '.join(alts)})" for alts in alternatives)
        if expression == last:
            continue
        last = expression
        expressions.append(
            (expression, merge_matchers(m for level in matchers[: tier + 1] for m in level))
        )
    return expressions


def _matcher_of(term: Term) -> Matcher:
    if term.phrase:
        if term.prefix:
            return Matcher(prefix_phrases=(term.words,))
        return Matcher(phrases=(term.words,))
    if term.prefix:
        return Matcher(prefixes=frozenset(term.words))
    return Matcher(words=frozenset(term.words))


#: At most this many spellings with diacritics stand in for one phrase typed without them.
MAX_PHRASE_VARIANTS = 32


def _phrase_variants(conn: sqlite3.Connection, term: Term) -> list[tuple[str, ...]]:
    """The phrase spelled with diacritics where its words were typed without them."""
    import itertools

    options = [[word, *_variants(conn, word, prefix=False)[:8]] for word in term.words]
    spelled = itertools.islice(itertools.product(*options), 1, MAX_PHRASE_VARIANTS + 1)
    return [tuple(words) for words in spelled]


def _variants(conn: sqlite3.Connection, word: str, *, prefix: bool) -> list[str]:
    """Words with diacritics whose base form is ``word`` (typed without them), or starts so."""
    if not is_base_form(word):
        return []
    if prefix:
        rows = conn.execute(
            "SELECT word FROM lex WHERE base >= ? AND base < ? AND word != base LIMIT ?",
            (word, word + "\U0010ffff", MAX_EXPANSION),
        )
    else:
        rows = conn.execute(
            "SELECT word FROM lex WHERE base = ? AND word != ? LIMIT ?",
            (word, word, MAX_EXPANSION),
        )
    return [row[0] for row in rows]


def _compounds(conn: sqlite3.Connection, word: str, *, skip: set[str]) -> list[str]:
    """Longer words holding ``word`` inside (``remiss`` -> ``läkarremissen``), shortest first."""
    column = "{word base}" if is_base_form(word) else "word"
    expression = f"{column} : {_quoted(word)}"
    rows = conn.execute(
        "SELECT l.word, l.base FROM lextri JOIN lex AS l ON l.id = lextri.rowid "
        "WHERE lextri MATCH ? LIMIT ?",
        (expression, MAX_EXPANSION * 20),
    )
    plain = is_base_form(word)
    found = [
        found_word
        for found_word, found_base in rows
        if found_word != word
        and found_word not in skip
        and (word in found_word or (plain and word in found_base))
    ]
    found.sort(key=lambda w: (len(w), w))
    return found[:MAX_EXPANSION]


def _as_insight(hit: SearchHit) -> SearchHit:
    import dataclasses

    return dataclasses.replace(hit, kind="insight")


def _hit(
    case_id: str,
    title: str,
    section_id: str,
    body: str,
    pattern: Any,
    rank: float,
    tier: int,
) -> SearchHit:
    shown, marks, span = snippet(body, pattern)
    if section_id == "" and span is not None and span[1] > len(title):
        span = None  # the hit is in the tags, which have no place in the title's text
    relevance = -rank if rank < 0 else 0.0
    score = (2 - tier) + relevance / (1.0 + relevance)
    return SearchHit(
        case_id=case_id,
        title=title,
        section_id=section_id,
        snippet=shown,
        highlights=marks,
        span=span,
        score=round(score, 6),
    )
