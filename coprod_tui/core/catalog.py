"""The catalog: a derivable cache of case summaries, so listing never opens 10,000 files.

Saves never touch the catalog, so a save costs the same at 10 cases as at
10,000. Instead, each cached summary carries the *fingerprint* of the case
file it was read from — inode, modification time in nanoseconds and size.
Case files are only ever replaced (new inode) and never modified in place, so
a listing scans the case folders once (``scandir`` + ``stat``, cheap), reuses
every summary whose fingerprint still matches, and re-reads only the files
that changed. When anything changed, the refreshed catalog is written back
atomically for the next lister. A missing, stale or damaged catalog is simply
rebuilt from the case files; it is never the only copy of anything.

Like git's index, an entry whose file changed within :data:`RACY_NS` of the
scan is marked *racy* and re-read next time, so a file replaced twice within
one timestamp tick can never be mistaken for the cached one.

Listing 10,000 cases is one ``stat`` per file plus one JSON parse of the
catalog, so rows are compact lists (faster to parse than objects) and
summaries are built without per-field overhead.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
from pathlib import Path
from typing import Any

from coprod_tui.core.case import Case, is_filled
from coprod_tui.core.storage import (
    DamagedFileError,
    atomic_write_bytes,
    is_temp_name,
    read_json,
    read_json_with_stat,
)
from coprod_tui.core.store_layout import folders_to_scan, is_case_id
from coprod_tui.core.store_types import CaseSummary

__all__ = ["CASE_DOC_ID", "CASE_TABLE", "Catalog", "case_document", "is_case_id", "summary_fields"]

CATALOG_NAME = "catalog.json"
CATALOG_FORMAT = 2
#: Entries whose file changed this close to the scan are re-checked next time:
#: covers the timestamp granularity of ext4/XFS/btrfs/APFS (a jiffy or finer) ...
RACY_NS = 100_000_000
#: ... and of file systems that keep whole seconds only (FAT keeps 2 s).
COARSE_RACY_NS = 2_500_000_000
#: Temp files older than this were left by a crashed writer and are removed.
STALE_TEMP_SECONDS = 3600
#: TinyDB layout of a case file: table "case", document 1.
CASE_TABLE = "case"
CASE_DOC_ID = "1"


def case_document(data: Any, path: Path) -> dict[str, Any]:
    """The case dict inside a parsed case file (a one-document TinyDB database)."""
    try:
        doc = data[CASE_TABLE][CASE_DOC_ID]
    except (KeyError, TypeError):
        raise DamagedFileError(path, "no case document in it") from None
    if not isinstance(doc, dict):
        raise DamagedFileError(path, "the case document is not an object")
    return doc


def summary_fields(case: Case) -> list[Any]:
    """The cached summary of a case: a row in :data:`FIELDS` order."""
    return [
        case.title,
        case.template_id,
        list(case.tags),
        case.updated,
        case.created,
        [key for key, text in case.sections.items() if is_filled(text)],
        case.revision,
        case.conflict_of,
        case.saved_by,
    ]


#: The summary fields of a catalog row, after ``ino, mtime_ns, size, flags``.
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
)
_BLANK: list[Any] = ["", "", [], "", "", [], 0, None, ""]
_RACY = 1
_DAMAGED = 2


def _to_summary(case_id: str, row: list[Any], *, trashed: bool) -> CaseSummary:
    """A :class:`CaseSummary` from a catalog row.

    Built by filling the instance dict directly: a frozen dataclass's
    ``__init__`` sets each field through ``object.__setattr__``, which costs
    more than the rest of listing 10,000 cases put together.
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
        damaged=bool(row[3] & _DAMAGED),
        trashed=trashed,
    )
    return summary


class Catalog:
    """Lists a store's cases from the cached catalog plus one folder scan."""

    def __init__(self, root: Path, *, file_mode: int) -> None:
        self.root = root
        self.path = root / CATALOG_NAME
        self.file_mode = file_mode

    def scan(self, *, use_cache: bool = True) -> list[CaseSummary]:
        """Every case (active and trashed), refreshed against the case files.

        ``use_cache=False`` re-reads every case file (``coprod doctor``).
        """
        cached = self._read_cached() if use_cache else {"cases": {}, "trash": {}}
        started = time.time_ns()
        now = time.time()
        fresh: dict[str, dict[str, list[Any]]] = {"cases": {}, "trash": {}}
        changed = False
        for folder, trashed in folders_to_scan(self.root):
            area = "trash" if trashed else "cases"
            old_rows, new_rows = cached[area], fresh[area]
            try:
                iterator = os.scandir(folder)
            except (FileNotFoundError, NotADirectoryError):
                continue
            with iterator:
                for entry in iterator:
                    name = entry.name
                    if len(name) != 41 or not name.endswith(".json"):
                        if is_temp_name(name):
                            _remove_if_stale(entry, now)
                        continue
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except FileNotFoundError:
                        continue
                    case_id = name[:-5]
                    old = old_rows.get(case_id)
                    if (
                        old is not None
                        and old[0] == info.st_ino
                        and old[1] == info.st_mtime_ns
                        and old[2] == info.st_size
                        and not old[3] & _RACY
                    ):
                        new_rows[case_id] = old
                        continue
                    if not stat.S_ISREG(info.st_mode) or not is_case_id(case_id):
                        continue
                    previous = old or cached["trash" if area == "cases" else "cases"].get(case_id)
                    row = _read_row(Path(entry.path), case_id, previous, started)
                    if row is None:
                        continue  # vanished meanwhile (trashed, restored)
                    changed = changed or row != old
                    new_rows[case_id] = row
        if changed or any(fresh[area].keys() != cached[area].keys() for area in fresh):
            self._write(fresh)
        return [
            _to_summary(case_id, row, trashed=area == "trash")
            for area, rows in fresh.items()
            for case_id, row in rows.items()
        ]

    def _read_cached(self) -> dict[str, dict[str, list[Any]]]:
        empty: dict[str, dict[str, list[Any]]] = {"cases": {}, "trash": {}}
        try:
            data = read_json(self.path)
        except (OSError, DamagedFileError):
            return empty
        if not isinstance(data, dict) or data.get("format") != CATALOG_FORMAT:
            return empty
        for area in empty:
            rows = data.get(area)
            if isinstance(rows, dict):
                width = 4 + len(FIELDS)
                empty[area] = {
                    key: row
                    for key, row in rows.items()
                    if isinstance(row, list) and len(row) == width
                }
        return empty

    def _write(self, rows: dict[str, dict[str, list[Any]]]) -> None:
        body = json.dumps(
            {"format": CATALOG_FORMAT, "fields": ["ino", "mtime_ns", "size", "flags", *FIELDS]}
            | rows,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        # A cache: a read-only or full disk must not stop listing.
        with contextlib.suppress(OSError):
            atomic_write_bytes(self.path, body.encode("utf-8", "replace"), mode=self.file_mode)


def _remove_if_stale(entry: os.DirEntry[str], now: float) -> None:
    """Temp files of writers that died long ago hold nothing acknowledged."""
    try:
        if now - entry.stat(follow_symlinks=False).st_mtime > STALE_TEMP_SECONDS:
            os.unlink(entry.path)
    except OSError:
        pass


def _read_row(
    path: Path, case_id: str, previous: list[Any] | None, started: int
) -> list[Any] | None:
    """A fresh catalog row for one case file (flagged damaged if it fails to parse)."""
    flags = 0
    try:
        data, info = read_json_with_stat(path)
        fields = summary_fields(Case.from_dict(case_document(data, path)))
    except FileNotFoundError:
        return None
    except (DamagedFileError, ValueError, TypeError, OSError):
        # Unreadable or damaged: list it as damaged (never hide it), keeping
        # the last good summary so the user can tell which case broke.
        try:
            info = path.stat()
        except FileNotFoundError:
            return None
        fields = list(previous[4:]) if previous is not None else list(_BLANK)
        flags |= _DAMAGED
    margin = COARSE_RACY_NS if info.st_mtime_ns % 1_000_000_000 == 0 else RACY_NS
    if info.st_mtime_ns >= started - margin:
        flags |= _RACY
    return [info.st_ino, info.st_mtime_ns, info.st_size, flags, *fields]
