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

from coprod_tui.core.case import Case, is_filled
from coprod_tui.core.storage import (
    DamagedFileError,
    atomic_write_bytes,
    is_temp_name,
    read_json,
    read_json_with_stat,
)
from coprod_tui.core.store_types import CaseSummary

CATALOG_NAME = "catalog.json"
CATALOG_FORMAT = 1
#: Entries whose file changed this close to the scan are re-checked next time.
RACY_NS = 2_000_000_000
#: Temp files older than this were left by a crashed writer and are removed.
STALE_TEMP_SECONDS = 3600
#: The folders a catalog covers, and whether their cases are trashed.
FOLDERS = (("cases", False), ("trash", True))
#: TinyDB layout of a case file: table "case", document 1.
CASE_TABLE = "case"
CASE_DOC_ID = "1"

_CASE_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def is_case_id(text: str) -> bool:
    """Whether ``text`` is a full, canonical (lower-case) case id."""
    return bool(_CASE_ID.match(text))


def case_document(data: Any, path: Path) -> dict[str, Any]:
    """The case dict inside a parsed case file (a one-document TinyDB database)."""
    try:
        doc = data[CASE_TABLE][CASE_DOC_ID]
    except (KeyError, TypeError):
        raise DamagedFileError(path, "no case document in it") from None
    if not isinstance(doc, dict):
        raise DamagedFileError(path, "the case document is not an object")
    return doc


def summary_fields(case: Case) -> dict[str, Any]:
    """The JSON-ready summary of a case (what the catalog caches)."""
    return {
        "id": case.id,
        "title": case.title,
        "template_id": case.template_id,
        "tags": list(case.tags),
        "updated": case.updated,
        "created": case.created,
        "filled": [key for key, text in case.sections.items() if is_filled(text)],
        "revision": case.revision,
        "conflict_of": case.conflict_of,
        "saved_by": case.saved_by,
    }


def _blank_fields(case_id: str) -> dict[str, Any]:
    return {
        "id": case_id,
        "title": "",
        "template_id": "",
        "tags": [],
        "updated": "",
        "created": "",
        "filled": [],
        "revision": 0,
        "conflict_of": None,
        "saved_by": "",
    }


def _to_summary(fields: dict[str, Any], *, damaged: bool, trashed: bool) -> CaseSummary:
    return CaseSummary(
        id=fields["id"],
        title=fields["title"],
        template_id=fields["template_id"],
        tags=tuple(fields["tags"]),
        updated=fields["updated"],
        filled=tuple(fields["filled"]),
        revision=fields["revision"],
        damaged=damaged,
        conflict_of=fields["conflict_of"],
        created=fields["created"],
        saved_by=fields["saved_by"],
        trashed=trashed,
    )


def _fingerprint(info: os.stat_result) -> list[int]:
    return [info.st_ino, info.st_mtime_ns, info.st_size]


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
        cached = self._read_cached() if use_cache else {}
        started = time.time_ns()
        entries: dict[str, dict[str, Any]] = {}
        changed = False
        for folder, _trashed in FOLDERS:
            for name, info in self._scan_folder(self.root / folder):
                key = f"{folder}/{name[:-5]}"
                old = cached.get(key)
                if (
                    use_cache
                    and old is not None
                    and old["fp"] == _fingerprint(info)
                    and not old.get("racy")
                ):
                    entries[key] = old
                    continue
                fresh = self._read_entry(self.root / folder / name, old, cached, key)
                if fresh is None:
                    continue  # vanished meanwhile (trashed, restored)
                fresh["racy"] = fresh["fp"][1] >= started - RACY_NS
                if (
                    old is None
                    or {**old, "racy": False} != {**fresh, "racy": False}
                    or old.get("racy") != fresh["racy"]
                ):
                    changed = True
                entries[key] = fresh
        if changed or entries.keys() != cached.keys():
            self._write(entries)
        summaries = []
        for key, entry in entries.items():
            trashed = key.startswith("trash/")
            summaries.append(_to_summary(entry["s"], damaged=entry["damaged"], trashed=trashed))
        return summaries

    def _scan_folder(self, folder: Path) -> list[tuple[str, os.stat_result]]:
        found: list[tuple[str, os.stat_result]] = []
        try:
            iterator = os.scandir(folder)
        except FileNotFoundError:
            return found
        now = time.time()
        with iterator:
            for entry in iterator:
                name = entry.name
                if is_temp_name(name):
                    self._remove_if_stale(entry, now)
                    continue
                if not name.endswith(".json") or not is_case_id(name[:-5]):
                    continue
                try:
                    info = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue
                if stat.S_ISREG(info.st_mode):
                    found.append((name, info))
        return found

    @staticmethod
    def _remove_if_stale(entry: os.DirEntry[str], now: float) -> None:
        """Temp files of writers that died long ago hold nothing acknowledged."""
        try:
            if now - entry.stat(follow_symlinks=False).st_mtime > STALE_TEMP_SECONDS:
                os.unlink(entry.path)
        except OSError:
            pass

    def _read_entry(
        self,
        path: Path,
        old: dict[str, Any] | None,
        cached: dict[str, dict[str, Any]],
        key: str,
    ) -> dict[str, Any] | None:
        case_id = key.split("/", 1)[1]
        try:
            data, info = read_json_with_stat(path)
            fields = summary_fields(Case.from_dict(case_document(data, path)))
            fields["id"] = case_id
            return {"fp": _fingerprint(info), "s": fields, "damaged": False}
        except FileNotFoundError:
            return None
        except (DamagedFileError, TypeError, ValueError):
            pass
        except OSError:
            pass  # unreadable: list it as damaged rather than hide it
        try:
            info = path.stat()
        except FileNotFoundError:
            return None
        # Keep the last good title so the user can tell which case broke.
        other = "trash/" if key.startswith("cases/") else "cases/"
        previous = old or cached.get(other + case_id)
        fields = dict(previous["s"]) if previous is not None else _blank_fields(case_id)
        return {"fp": _fingerprint(info), "s": fields, "damaged": True}

    def _read_cached(self) -> dict[str, dict[str, Any]]:
        try:
            data = read_json(self.path)
        except (OSError, DamagedFileError):
            return {}
        if not isinstance(data, dict) or data.get("format") != CATALOG_FORMAT:
            return {}
        entries = data.get("entries")
        if not isinstance(entries, dict):
            return {}
        valid: dict[str, dict[str, Any]] = {}
        for key, entry in entries.items():
            if _valid_entry(entry):
                valid[key] = entry
        return valid

    def _write(self, entries: dict[str, dict[str, Any]]) -> None:
        body = json.dumps(
            {"format": CATALOG_FORMAT, "entries": entries},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        # A cache: a read-only or full disk must not stop listing.
        with contextlib.suppress(OSError):
            atomic_write_bytes(self.path, body.encode("utf-8", "replace"), mode=self.file_mode)


def _valid_entry(entry: Any) -> bool:
    try:
        fields = entry["s"]
        return (
            isinstance(entry["fp"], list)
            and len(entry["fp"]) == 3
            and isinstance(entry["damaged"], bool)
            and isinstance(fields["id"], str)
            and isinstance(fields["title"], str)
            and isinstance(fields["template_id"], str)
            and isinstance(fields["tags"], list)
            and isinstance(fields["updated"], str)
            and isinstance(fields["created"], str)
            and isinstance(fields["filled"], list)
            and isinstance(fields["revision"], int)
            and isinstance(fields["saved_by"], str)
            and "conflict_of" in fields
        )
    except (KeyError, TypeError):
        return False
