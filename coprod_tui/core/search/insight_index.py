"""Insights in the search index: their own tables beside the cases', filled the same way.

An insight is one row: its title, text and tags in one FTS5 body (title
first, so a hit inside the title is a hit at the start). The tables are made
with ``IF NOT EXISTS`` when an index is opened (:func:`ensure_tables`), so an
index built before insights were indexed simply gains them, and the
insight catch-up (:func:`catch_up`) then reads every insight once: no
schema bump, no rebuild of the cases' rows. The words go into the same
lexicon as the cases' words, so a query typed without å, ä, ö and words
inside compounds find insights too.

* ``ins_files`` — one row per insight file: its fingerprint (as
  ``files`` keeps a case's), whether it is in the trash or damaged, its
  title; ``id`` is the ``ins`` rowid;
* ``ins``       — the FTS5 table (``unicode61``, diacritics kept);
* ``ins_tags``  — (folded tag, insight id), for ``tag:`` filters.

Kept current exactly as the cases are: the store's observer
(:class:`InsightIndexObserver`, on the :class:`InsightStore`) queues writes,
moves and purges; a search first catches up from the insight folders by
fingerprint; a purge rebuilds the whole file (an erasure leaves no word in
free pages); a rebuild fills these tables too (:func:`fill`).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from coprod_tui.core.search.analysis import WORD, fold, normal
from coprod_tui.core.search.observer import Event, Pending
from coprod_tui.core.store.layout import INSIGHTS, INSIGHTS_TRASH, is_case_id
from coprod_tui.core.store.scan import Fingerprint, fingerprint, is_racy, scan_entries

__all__ = [
    "InsightIndexObserver",
    "InsightText",
    "apply_event",
    "catch_up",
    "ensure_tables",
    "fill",
    "insight_body",
]

TABLES = """
CREATE TABLE IF NOT EXISTS ins_files(
    id INTEGER PRIMARY KEY, insight_id TEXT NOT NULL UNIQUE,
    ino INTEGER NOT NULL, mtime INTEGER NOT NULL, size INTEGER NOT NULL,
    trashed INTEGER NOT NULL, damaged INTEGER NOT NULL DEFAULT 0, title TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ins_tags(tag TEXT NOT NULL, insight_id TEXT NOT NULL,
    PRIMARY KEY(tag, insight_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ins_tags_insight ON ins_tags(insight_id);
CREATE VIRTUAL TABLE IF NOT EXISTS ins USING fts5(body, tokenize="unicode61 remove_diacritics 0");
"""

#: Event kinds the insight observer queues (the cases' are ``written``, ``moved``, ``purged``).
WRITTEN, MOVED, PURGED = "insight_written", "insight_moved", "insight_purged"
KINDS = frozenset({WRITTEN, MOVED, PURGED})

#: How words go into the index's lexicon (``index.add_words``, passed in: no import cycle).
AddWords = Callable[[sqlite3.Connection, Iterable[str]], None]


class InsightText:
    """What the index keeps of an insight: a snapshot (later edits of the object cannot leak in)."""

    __slots__ = ("tags", "text", "title")

    def __init__(self, title: str, text: str, tags: tuple[str, ...]) -> None:
        self.title, self.text, self.tags = title, text, tags

    @classmethod
    def of(cls, insight: Any) -> InsightText:
        """The snapshot of an :class:`~coprod_tui.core.insights.model.Insight`."""
        return cls(str(insight.title), str(insight.text), tuple(insight.tags))


def insight_body(text: InsightText) -> str:
    """The one indexed text of an insight: title, text, tags, one per line (NFC)."""
    parts = [text.title, text.text, *text.tags]
    return normal("\n".join(part for part in parts if part))


def ensure_tables(conn: sqlite3.Connection) -> None:
    """Make the insight tables if the index has none yet (an index of before insights)."""
    found = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    if not {"ins_files", "ins_tags", "ins"} <= found:
        # One statement at a time: ``executescript`` would commit the caller's transaction.
        for statement in TABLES.split(";"):
            if statement.strip():
                conn.execute(statement)


def folders(root: Path) -> list[tuple[Path, bool]]:
    """(folder, trashed) of the folders that hold insight files."""
    return [(root / INSIGHTS, False), (root / INSIGHTS_TRASH, True)]


def _read(path: Path, doc_id: str) -> tuple[InsightText | None, Fingerprint | None]:
    """(snapshot or ``None`` if damaged, fingerprint); (None, None) if the file is gone.

    The fingerprint is taken before reading: a file replaced meanwhile is
    stored under its old fingerprint, so the next catch-up reads it again.
    """
    from coprod_tui.core.insights.model import Insight
    from coprod_tui.core.insights.store import INSIGHT_FILE
    from coprod_tui.core.store.storage import DamagedFileError

    try:
        print_ = fingerprint(os.lstat(path))
        data = INSIGHT_FILE.read(path)
        insight = Insight.from_dict(data)
    except FileNotFoundError:
        return None, None
    except (DamagedFileError, OSError, ValueError, RecursionError, TypeError, KeyError):
        try:
            return None, fingerprint(os.lstat(path))
        except OSError:
            return None, None
    return InsightText.of(insight), print_


def forget(conn: sqlite3.Connection, insight_id: str) -> None:
    """Remove every row of an insight."""
    row = conn.execute("SELECT id FROM ins_files WHERE insight_id = ?", (insight_id,)).fetchone()
    if row is not None:
        conn.execute("DELETE FROM ins WHERE rowid = ?", (row[0],))
        conn.execute("DELETE FROM ins_files WHERE id = ?", (row[0],))
    conn.execute("DELETE FROM ins_tags WHERE insight_id = ?", (insight_id,))


def write(
    conn: sqlite3.Connection,
    insight_id: str,
    text: InsightText | None,
    print_: Fingerprint,
    trashed: bool,
    racy: bool,
) -> set[str]:
    """Insert an insight's rows (the caller removed old ones); the folded words of its text.

    ``text`` None: a damaged file, listed so it is not read again until it changes.
    """
    ino, mtime, size = print_
    mtime = -1 if racy else mtime
    if text is None:
        conn.execute(
            "INSERT INTO ins_files(insight_id, ino, mtime, size, trashed, damaged, title) "
            "VALUES (?, ?, ?, ?, ?, 1, '')",
            (insight_id, ino, mtime, size, int(trashed)),
        )
        return set()
    rowid = conn.execute(
        "INSERT INTO ins_files(insight_id, ino, mtime, size, trashed, damaged, title) "
        "VALUES (?, ?, ?, ?, ?, 0, ?)",
        (insight_id, ino, mtime, size, int(trashed), text.title),
    ).lastrowid
    body = insight_body(text)
    conn.execute("INSERT INTO ins(rowid, body) VALUES (?, ?)", (rowid, body))
    tags = {fold(tag.strip()) for tag in text.tags if tag.strip()}
    if tags:
        conn.executemany(
            "INSERT OR IGNORE INTO ins_tags VALUES (?, ?)", [(tag, insight_id) for tag in tags]
        )
    return set(WORD.findall(fold(body)))


def _known(conn: sqlite3.Connection) -> dict[str, tuple[Fingerprint, bool]]:
    rows = conn.execute("SELECT insight_id, ino, mtime, size, trashed FROM ins_files")
    return {row[0]: ((row[1], row[2], row[3]), bool(row[4])) for row in rows}


def fill(conn: sqlite3.Connection, root: Path, add_words: AddWords) -> int:
    """Index every insight file of the store at ``root`` (a fresh build, in its transaction).

    Their words go into ``lex`` here; a fresh build adds the cases' words and
    the trigram index after this. Returns how many insight files were read.
    """
    ensure_tables(conn)
    started = time.time_ns()
    words: set[str] = set()
    count = 0
    for trashed, doc_id, entry, _info in scan_entries(folders(root), now=time.time()):
        if not is_case_id(doc_id):
            continue
        text, print_ = _read(Path(entry.path), doc_id)
        if print_ is None:
            continue
        forget(conn, doc_id)  # the same id in both folders (a crash mid-move): keep one
        words |= write(conn, doc_id, text, print_, trashed, is_racy(print_[1], started))
        count += 1
    add_words(conn, words)
    return count


def catch_up(conn: sqlite3.Connection, root: Path, add_words: AddWords) -> int:
    """Re-read the insight files changed since the index last saw them; how many were read.

    One scan of the two insight folders (an ``lstat`` per file: a thousand
    insights cost a few milliseconds), compared by fingerprint and folder.
    """
    started = time.time_ns()
    known = _known(conn)
    changed: list[tuple[str, Path, bool]] = []
    seen: set[str] = set()
    for trashed, doc_id, entry, info in scan_entries(folders(root), now=time.time()):
        if not is_case_id(doc_id) or doc_id in seen:
            continue
        seen.add(doc_id)
        if known.get(doc_id) == (fingerprint(info), trashed) and not is_racy(
            info.st_mtime_ns, started
        ):
            continue
        changed.append((doc_id, Path(entry.path), trashed))
    gone = [doc_id for doc_id in known if doc_id not in seen]
    if not changed and not gone:
        return 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        words: set[str] = set()
        for doc_id, path, trashed in changed:
            text, print_ = _read(path, doc_id)
            if print_ is None:
                continue  # moved or removed meanwhile: the next scan sees where it went
            forget(conn, doc_id)
            words |= write(conn, doc_id, text, print_, trashed, is_racy(print_[1], started))
        for doc_id in gone:
            forget(conn, doc_id)
        add_words(conn, words)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(changed)


def apply_event(conn: sqlite3.Connection, event: Event, add_words: AddWords) -> None:
    """One queued insight event, in the caller's transaction (a purge rebuilds instead)."""
    if event.kind == WRITTEN:
        forget(conn, event.case_id)
        if event.fingerprint is None or not isinstance(event.case, InsightText):
            return  # no fingerprint: read at the next catch-up
        racy = is_racy(event.fingerprint[1], time.time_ns())
        add_words(
            conn, write(conn, event.case_id, event.case, event.fingerprint, event.trashed, racy)
        )
    elif event.kind == MOVED:
        conn.execute(
            "UPDATE ins_files SET trashed = ?, mtime = -1 WHERE insight_id = ?",
            (int(event.trashed), event.case_id),
        )
    elif event.kind == PURGED:
        forget(conn, event.case_id)


class InsightIndexObserver:
    """The :class:`~coprod_tui.core.store.StoreObserver` a :class:`SearchIndex` adds to the
    store's :class:`~coprod_tui.core.insights.store.InsightStore`: it only ``lstat``s and
    queues, in the same queue as the cases' events."""

    def __init__(self, pending: Pending) -> None:
        self._pending = pending

    def written(self, doc: Any, path: Path, trashed: bool) -> None:
        """Queue the insight just written, with the fingerprint of the file it is now."""
        try:
            print_: Fingerprint | None = fingerprint(os.lstat(path))
        except OSError:
            print_ = None
        snapshot: Any = InsightText.of(doc)
        self._pending.put(Event(WRITTEN, doc.id, snapshot, print_, trashed))

    def moved(self, doc_id: str, trashed: bool) -> None:
        """Queue a move into or out of the trash."""
        self._pending.put(Event(MOVED, doc_id, trashed=trashed))

    def purged(self, doc_id: str) -> None:
        """Queue a purge: the index is rebuilt without it."""
        self._pending.put(Event(PURGED, doc_id))
