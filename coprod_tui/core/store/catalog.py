"""The catalog: a derivable cache of case summaries, so listing never opens 10,000 files.

Two files, both only ever a cache (the case files are the truth):

* ``catalog.json`` — a snapshot: one compact row per case file;
* ``catalog.journal`` — one JSON line appended by every write of a case file
  (a few hundred bytes, no fsync), so a save costs the same at 10 cases as at
  10,000 and a listing right after a bulk import or many saves still needs no
  case file opened.

Every row carries the *fingerprint* of the file it describes: inode,
modification time in nanoseconds and size. Case files are only replaced, never
modified in place by coprod, so a listing scans the case folders once
(``scandir`` + ``stat``), trusts every row whose fingerprint still matches, and
re-reads only the files that differ — a save that was killed before it could
append its row, a file edited or damaged by hand, a lost journal. Those fresh
rows are appended to the journal for the next lister; when the journal grows
large a lister folds it into a new snapshot. A missing, stale or damaged
catalog is simply rebuilt; it is never the only copy of anything.

Like git's index, a file changed within :data:`RACY_NS` of the scan is always
re-read (and its row is kept only flagged for re-checking), so a file replaced
twice within one timestamp tick can never be mistaken for the cached one. The
folder scan and the racy rule live in :mod:`coprod_tui.core.store.scan`
(shared with the search index); the case-file format in
:mod:`coprod_tui.core.store.case_file`. The catalog is the store's first
observer (:meth:`Catalog.written`, :meth:`Catalog.purged`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import time
from pathlib import Path
from typing import Any

from coprod_tui.core.case import (
    MAX_ITEMS,
    MAX_NAME,
    MAX_REVISION,
    MAX_STAMP,
    MAX_TITLE,
    Case,
    is_case_id,
    is_filled,
    word_count,
)
from coprod_tui.core.store.case_file import decode_case
from coprod_tui.core.store.layout import ACTIVE, TRASH, folders_to_scan
from coprod_tui.core.store.scan import (
    COARSE_RACY_NS,
    RACY_NS,
    STALE_TEMP_SECONDS,
    is_racy,
    scan_entries,
)
from coprod_tui.core.store.storage import (
    DamagedFileError,
    atomic_write_bytes,
    read_bytes,
    read_json,
    read_json_with_stat,
)
from coprod_tui.core.store.types import CaseSummary

__all__ = [
    "COARSE_RACY_NS",
    "RACY_NS",
    "STALE_TEMP_SECONDS",
    "Catalog",
    "is_case_id",
    "summary_fields",
]

CATALOG_NAME = "catalog.json"
JOURNAL_NAME = "catalog.journal"
CATALOG_FORMAT = 3
#: A lister folds the journal into a new snapshot once it is this big.
COMPACT_BYTES = 512 * 1024
#: A journal this big (no lister for a very long time) is dropped by the next
#: writer: its rows are only a cache, the next listing re-reads instead.
JOURNAL_MAX_BYTES = 64 * 1024 * 1024

#: The summary fields of a row, after ``ino, mtime_ns, size, flags``.
FIELDS = (
    "title",
    "template_id",
    "tags",
    "updated",
    "created",
    "filled",
    "revision",
    "conflict_of",
    "saved_by",
    "words",
)
_WIDTH = 4 + len(FIELDS)
_BLANK: list[Any] = ["", "", [], "", "", [], 0, None, "", []]
#: Row flags: re-read this file before trusting the row (it was read while
#: racy); the file failed to parse.
_RECHECK = 1
_DAMAGED = 2

_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

Rows = dict[str, dict[str, list[Any]]]


def summary_fields(case: Case) -> list[Any]:
    """The cached summary of a case: its :data:`FIELDS`, in order.

    ``words`` is the word count of each ``filled`` section, in the same order
    (coverage reads 10,000 cases from it without opening one). Rows written
    before it existed are one field short: :func:`good_row` refuses them, so
    their files are simply read again once.
    """
    filled = [key for key, text in case.sections.items() if is_filled(text)]
    return [
        case.title,
        case.template_id,
        list(case.tags),
        case.updated,
        case.created,
        filled,
        case.revision,
        case.conflict_of,
        case.saved_by,
        [word_count(case.sections[key]) for key in filled],
    ]


_U64 = 2**64
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _short_text(value: Any, limit: int) -> bool:
    return type(value) is str and len(value) <= limit and not _SURROGATE.search(value)


def _names(value: Any) -> bool:
    return (
        type(value) in (list, tuple)
        and len(value) <= MAX_ITEMS
        and all(_short_text(item, MAX_NAME) for item in value)
    )


def good_row(row: Any) -> bool:
    """Whether a cached row has exactly the shape and types a writer gives it.

    The catalog is a cache anyone with access to the store folder can damage
    (or craft): a row that fails here is dropped, so its case file is simply
    read again, and listing never trips over a wrong type, a huge number or
    a stray escape code in the cache.
    """
    return (
        type(row) is list
        and len(row) == _WIDTH
        and _short_text(row[5], MAX_NAME)
        and _short_text(row[12], MAX_NAME)
        and _names(row[6])
        and _names(row[9])
        and _good_core(row)
    )


def _good_core(row: list[Any]) -> bool:
    """:func:`good_row` without the interned fields (a snapshot checks its tables once)."""
    ino, mtime_ns, size, flags, title = row[:5]
    updated, created, filled, revision, conflict_of = row[7:12]
    words = row[13]
    return (
        type(words) is list
        and len(words) == len(filled)
        and all(type(count) is int and 0 <= count < MAX_REVISION for count in words)
        and type(ino) is int
        and 0 <= ino < _U64
        and type(mtime_ns) is int
        and 0 <= mtime_ns < _U64
        and type(size) is int
        and 0 <= size < _U64
        and type(flags) is int
        and 0 <= flags <= _RECHECK | _DAMAGED
        and type(revision) is int
        and 0 <= revision < MAX_REVISION
        and (conflict_of is None or is_case_id(conflict_of))
        and _short_text(title, MAX_TITLE)
        and _short_text(updated, MAX_STAMP)
        and _short_text(created, MAX_STAMP)
    )


def _to_summary(case_id: str, row: list[Any], *, trashed: bool) -> CaseSummary:
    """A :class:`CaseSummary` from a row.

    Built by filling the instance dict directly: a frozen dataclass's
    ``__init__`` sets each field through ``object.__setattr__``, which would
    cost more than the rest of listing 10,000 cases.
    """
    summary = object.__new__(CaseSummary)
    summary.__dict__.update(
        id=case_id,
        title=row[4],
        template_id=row[5],
        tags=tuple(row[6]),
        updated=row[7],
        created=row[8],
        filled=tuple(row[9]),
        revision=row[10],
        conflict_of=row[11],
        saved_by=row[12],
        words=tuple(row[13]),
        damaged=bool(row[3] & _DAMAGED),
        trashed=trashed,
    )
    return summary


_racy_limit = is_racy


def _empty() -> Rows:
    return {ACTIVE: {}, TRASH: {}}


class Catalog:
    """Lists a store's cases from the cached rows plus one folder scan."""

    def __init__(self, root: Path, *, file_mode: int) -> None:
        self.root = root
        self.path = root / CATALOG_NAME
        self.journal = root / JOURNAL_NAME
        self.file_mode = file_mode

    # --- the writers' side -------------------------------------------------------------

    def note(self, case: Case, path: Path, *, trashed: bool = False) -> None:
        """Record the case file just written (the caller holds the case's lock).

        Best effort and cheap: one short append without fsync. Any failure is
        ignored; the next listing then notices the file by its fingerprint.
        """
        try:
            info = os.stat(path)
            row = [info.st_ino, info.st_mtime_ns, info.st_size, 0, *summary_fields(case)]
            self._append([[TRASH if trashed else ACTIVE, case.id, *row]])
        except (OSError, ValueError, TypeError):
            pass

    # The catalog is the store's first observer (see ``documents.StoreObserver``).

    def written(self, doc: Case, path: Path, trashed: bool) -> None:
        """A case file was written: record it (see :meth:`note`)."""
        self.note(doc, path, trashed=trashed)

    def moved(self, doc_id: str, trashed: bool) -> None:
        """Nothing to do: a move keeps the inode, so the next scan carries its row over."""

    def purged(self, doc_id: str) -> None:
        """A case was deleted for good: fold everything into a fresh snapshot now.

        The rows of the removed case (its title) are then gone from both
        ``catalog.json`` and the journal, not just ignored.
        """
        self.rewrite()

    def _append(self, items: list[list[Any]]) -> None:
        text = "".join(
            json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n" for item in items
        )
        data = text.encode("utf-8", "replace")
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | _O_CLOEXEC | _O_NOFOLLOW
        fd = os.open(self.journal, flags, self.file_mode)
        try:
            info = os.fstat(fd)
            if info.st_mode & 0o777 != self.file_mode and info.st_uid == os.geteuid():
                os.fchmod(fd, self.file_mode)
            os.write(fd, data)  # one write: appends from several processes never interleave
            too_big = info.st_size + len(data) > JOURNAL_MAX_BYTES
        finally:
            os.close(fd)
        if too_big:
            with contextlib.suppress(OSError):
                os.unlink(self.journal)

    # --- the listers' side -------------------------------------------------------------

    def scan(self, *, use_cache: bool = True, compact: bool = False) -> list[CaseSummary]:
        """Every case (active and trashed), checked against the case files.

        ``use_cache=False`` re-reads every case file and writes a fresh
        snapshot (``coprod doctor``); ``compact`` writes a fresh snapshot and
        empties the journal whatever their size (see :meth:`rewrite`).
        """
        started = time.time_ns()
        cached, journal_bytes, snapshot_ok = (
            self._read_cached() if use_cache else (_empty(), 0, False)
        )
        fresh = _empty()
        learned: list[list[Any]] = []  # rows worth keeping for the next lister
        now = time.time()
        for trashed, case_id, entry, info in scan_entries(folders_to_scan(self.root), now=now):
            area, other = (TRASH, ACTIVE) if trashed else (ACTIVE, TRASH)
            rows, fresh_rows = cached[area], fresh[area]
            old = rows.get(case_id)
            if old is None or old[0] != info.st_ino:
                old = cached[other].get(case_id)  # trashed or untrashed: same inode
            if (
                old is not None
                and old[0] == info.st_ino
                and old[1] == info.st_mtime_ns
                and old[2] == info.st_size
                and not old[3] & _RECHECK
                and not _racy_limit(info.st_mtime_ns, started)
            ):
                fresh_rows[case_id] = old
                continue
            plain = stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)
            if not plain or not is_case_id(case_id):
                continue  # a link is listed as damaged (never read), not hidden
            row = _read_row(Path(entry.path), rows.get(case_id) or old)
            if row is None:
                continue  # vanished meanwhile (trashed, restored)
            if _racy_limit(row[1], started):
                row[3] |= _RECHECK  # keep it for its title, but check it next time
            fresh_rows[case_id] = row
            learned.append([area, case_id, *row])
        rebuild = not snapshot_ok and any(fresh.values())
        if compact or rebuild or journal_bytes > COMPACT_BYTES or len(learned) > 1000:
            self._compact(fresh, started)
        elif learned:
            with contextlib.suppress(OSError):
                self._append(learned)
        summaries = []
        for area, rows in fresh.items():
            trashed = area == TRASH
            # Snapshot order first (newest first), then anything newer.
            order = [key for key in cached[area] if key in rows]
            order += [key for key in rows if key not in cached[area]]
            summaries += [_to_summary(key, rows[key], trashed=trashed) for key in order]
        return summaries

    def rewrite(self) -> None:
        """Fold everything into a fresh snapshot now, from the files as they are.

        After a purge: the rows of removed cases (their titles) are gone from
        both ``catalog.json`` and the journal, not just ignored.
        """
        self.scan(compact=True)

    def _read_cached(self) -> tuple[Rows, int, bool]:
        """Snapshot rows with the journal applied, the journal's size, and whether
        the snapshot was there and sound."""
        rows = _empty()
        try:
            data = read_json(self.path)
        except (OSError, DamagedFileError):
            data = None
        snapshot_ok = isinstance(data, dict) and data.get("format") == CATALOG_FORMAT
        if snapshot_ok:
            try:
                rows = _decode_snapshot(data)
            except (KeyError, IndexError, TypeError, ValueError, AttributeError):
                rows, snapshot_ok = _empty(), False
        try:
            raw = read_bytes(self.journal, limit=JOURNAL_MAX_BYTES + 1)  # never through a link
        except (OSError, DamagedFileError):
            return rows, 0, snapshot_ok
        if len(raw) > JOURNAL_MAX_BYTES:  # not ours (writers drop it sooner): fold it away
            return rows, len(raw), snapshot_ok
        for item in _journal_items(raw):
            area, case_id, row = item[0], item[1], item[2:]
            if area in (ACTIVE, TRASH) and is_case_id(case_id) and good_row(row):
                rows[area][case_id] = row
                rows[TRASH if area == ACTIVE else ACTIVE].pop(case_id, None)
        return rows, len(raw), snapshot_ok

    def _compact(self, fresh: Rows, started: int) -> None:
        """Fold everything into a new snapshot and start an empty journal.

        The journal is renamed away first, so rows appended meanwhile go to a
        new journal; rows that slip into the renamed one are lost, which only
        means their files are re-read by the next lister.
        """
        folded: Path | None = self.root / f".{JOURNAL_NAME}.{os.urandom(6).hex()}.tmp"
        try:
            os.rename(self.journal, folded)  # type: ignore[arg-type]
        except OSError:
            folded = None
        body = json.dumps(
            _encode_snapshot(fresh, started), ensure_ascii=False, separators=(",", ":")
        )
        # A cache: a read-only or full disk must not stop listing.
        with contextlib.suppress(OSError):
            atomic_write_bytes(self.path, body.encode("utf-8", "replace"), mode=self.file_mode)
        if folded is not None:
            with contextlib.suppress(OSError):
                os.unlink(folded)


# Snapshot rows store repeated values (template id, author, the set of filled
# sections, the tags) as indexes into two small tables: 10,000 cases share a
# handful of them, and parsing an int is far cheaper than parsing a list of
# nine section ids. Rows are sorted newest first, so listing's sort is cheap.
_INTERNED_TEXT = (5, 12)  # template_id, saved_by
_INTERNED_SETS = (6, 9)  # tags, filled


def _encode_snapshot(fresh: Rows, started: int) -> dict[str, Any]:
    texts: dict[str, int] = {}
    sets: dict[tuple[str, ...], int] = {}
    out: dict[str, Any] = {
        "format": CATALOG_FORMAT,
        "fields": ["ino", "mtime_ns", "size", "flags", *FIELDS],
    }
    for area, rows in fresh.items():
        encoded: dict[str, list[Any]] = {}
        ordered = sorted(rows.items(), key=lambda item: (item[1][7], item[0]), reverse=True)
        for case_id, row in ordered:
            row = list(row)
            if _racy_limit(row[1], started):
                row[3] |= _RECHECK
            for index in _INTERNED_TEXT:
                row[index] = texts.setdefault(row[index], len(texts))
            for index in _INTERNED_SETS:
                row[index] = sets.setdefault(tuple(row[index]), len(sets))
            encoded[case_id] = row
        out[area] = encoded
    out["texts"] = list(texts)
    out["sets"] = [list(values) for values in sets]
    return out


def _decode_snapshot(data: dict[str, Any]) -> Rows:
    """The rows of a snapshot; a row that is not exactly right is left out (re-read)."""
    texts = data["texts"]
    sets = data["sets"]
    if type(texts) is not list or type(sets) is not list:
        raise ValueError("bad tables")
    # Check each shared value once, not once per row that uses it.
    texts = [text if _short_text(text, MAX_NAME) else None for text in texts]
    sets = [tuple(values) if _names(values) else None for values in sets]
    n_texts, n_sets = len(texts), len(sets)
    rows = _empty()
    for area in rows:
        stored = data[area]
        if type(stored) is not dict:
            raise ValueError("bad area")
        decoded = rows[area]
        for case_id, row in stored.items():
            if type(row) is not list or len(row) != _WIDTH or not is_case_id(case_id):
                continue
            template, author, tags, filled = row[5], row[12], row[6], row[9]
            if not (
                type(template) is int
                and type(author) is int
                and type(tags) is int
                and type(filled) is int
                and 0 <= template < n_texts
                and 0 <= author < n_texts
                and 0 <= tags < n_sets
                and 0 <= filled < n_sets
            ):
                continue
            row[5], row[12], row[6], row[9] = (
                texts[template],
                texts[author],
                sets[tags],
                sets[filled],
            )
            if None in (row[5], row[12], row[6], row[9]) or not _good_core(row):
                continue
            decoded[case_id] = row
    return rows


def _journal_items(raw: bytes) -> list[list[Any]]:
    """The parsed journal lines (a torn or foreign line is skipped)."""
    lines = raw.splitlines()
    try:
        items = json.loads(b"[" + b",".join(line for line in lines if line.strip()) + b"]")
        if all(isinstance(item, list) and len(item) >= 2 for item in items):
            return list(items)
    except (ValueError, RecursionError):
        pass
    good = []
    for line in lines:
        try:
            item = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(item, list) and len(item) >= 2:
            good.append(item)
    return good


def _read_row(path: Path, previous: list[Any] | None) -> list[Any] | None:
    """A fresh row for one case file (flagged damaged if it fails to parse)."""
    flags = 0
    try:
        data, info = read_json_with_stat(path)
        fields = summary_fields(decode_case(data, path))
    except FileNotFoundError:
        return None
    except (DamagedFileError, ValueError, TypeError, OSError, RecursionError):
        # Unreadable or damaged: list it as damaged (never hide it), keeping
        # the last good summary so the user can tell which case broke.
        try:
            info = path.lstat()
        except FileNotFoundError:
            return None
        fields = list(previous[4:]) if previous is not None else list(_BLANK)
        flags |= _DAMAGED
    return [info.st_ino, info.st_mtime_ns, info.st_size, flags, *fields]
