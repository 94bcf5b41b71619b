"""Which document files changed: one folder scan, compared by fingerprint.

Files in a store are only ever replaced (written to a temp file and renamed
into place), never modified in place, so a file's *fingerprint* — inode,
modification time in nanoseconds, size — changes whenever its content may
have. A cache of anything derived from the files (the catalog's summaries,
the search index) keeps the fingerprint of the file each entry came from;
one ``scandir`` + ``stat`` per folder then tells which files to read again.

Like git's index, a file changed within :data:`RACY_NS` of the scan (or
:data:`COARSE_RACY_NS` on file systems with whole-second times) must be
re-read next time too (:func:`is_racy`): two replaces within one timestamp
tick would otherwise be mistaken for one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

from coprod_tui.core.store.layout import folders_to_scan
from coprod_tui.core.store.storage import is_temp_name

__all__ = [
    "COARSE_RACY_NS",
    "RACY_NS",
    "STALE_TEMP_SECONDS",
    "Change",
    "Fingerprint",
    "changed_files",
    "fingerprint",
    "is_racy",
    "scan_entries",
]

#: Files changed this close to the scan are re-read: covers the timestamp
#: granularity of ext4/XFS/btrfs/APFS (a jiffy or finer) ...
RACY_NS = 100_000_000
#: ... and of file systems that keep whole seconds only (FAT keeps 2 s).
COARSE_RACY_NS = 2_500_000_000
#: Temp files older than this were left by a crashed writer and are removed.
STALE_TEMP_SECONDS = 3600
#: Length of ``<uuid>.json``.
_NAME_LENGTH = 41

#: (inode, mtime_ns, size) of one file.
Fingerprint = tuple[int, int, int]


def fingerprint(info: os.stat_result) -> Fingerprint:
    """The fingerprint of a file from its ``stat``."""
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def is_racy(mtime_ns: int, started: int) -> bool:
    """Whether a file with this mtime changed too close to ``started`` (ns) to be trusted."""
    margin = COARSE_RACY_NS if mtime_ns % 1_000_000_000 == 0 else RACY_NS
    return mtime_ns >= started - margin


def scan_entries(
    folders: Iterable[tuple[Path, bool]], *, now: float
) -> Iterator[tuple[bool, str, os.DirEntry[str], os.stat_result]]:
    """(trashed, id, entry, lstat) of every ``<uuid-length>.json`` entry in ``folders``.

    ``folders`` are (folder, trashed) pairs, as :func:`layout.folders_to_scan`
    gives. Names are only checked for their length here (the caller checks
    the id of the few it reads); temp files of writers that died more than
    :data:`STALE_TEMP_SECONDS` before ``now`` are removed on the way.
    """
    for folder, trashed in folders:
        try:
            iterator = os.scandir(folder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        with iterator:
            for entry in iterator:
                name = entry.name
                if len(name) != _NAME_LENGTH or not name.endswith(".json"):
                    if is_temp_name(name):
                        _remove_if_stale(entry, now)
                    continue
                try:
                    info = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue
                yield trashed, name[:-5], entry, info


class Change(NamedTuple):
    """One file whose fingerprint differs from the known one (or that is new)."""

    doc_id: str
    path: Path
    trashed: bool
    fingerprint: Fingerprint


def changed_files(
    root: Path, known: Mapping[str, Fingerprint], *, started: int | None = None
) -> tuple[list[Change], set[str]]:
    """The case files of the store at ``root`` that differ from ``known``, and the ids gone.

    ``known`` maps ids to the fingerprints a cache holds. A file changed too
    close to ``started`` (default: now) is always reported (see :func:`is_racy`).
    """
    import time

    started = time.time_ns() if started is None else started
    changes: list[Change] = []
    seen: set[str] = set()
    for trashed, doc_id, entry, info in scan_entries(folders_to_scan(root), now=time.time()):
        seen.add(doc_id)
        print_ = fingerprint(info)
        if known.get(doc_id) == print_ and not is_racy(info.st_mtime_ns, started):
            continue
        changes.append(Change(doc_id, Path(entry.path), trashed, print_))
    return changes, set(known) - seen


def _remove_if_stale(entry: os.DirEntry[str], now: float) -> None:
    """Temp files of writers that died long ago hold nothing acknowledged."""
    try:
        if now - entry.stat(follow_symlinks=False).st_mtime > STALE_TEMP_SECONDS:
            os.unlink(entry.path)
    except OSError:
        pass
