"""Kept earlier versions of each document: ``STORE/history/<id>/<revision>-<time>.json``.

A snapshot is a *hard link* to the case file being replaced. Case files are
never modified in place (every save writes a new file and renames it over the
old one), so the link keeps the old version's bytes for free: no copy, no
extra write, and the save's cost does not grow with the case's history. Where
links are not allowed (some shared or network folders) the file is copied.

Which versions are kept (the document folder decides *when* to snapshot;
see ``DocumentFolder.keep_history`` in :mod:`coprod_tui.core.store.documents`):
at least one per five minutes of editing and one per session. :func:`prune`
then thins them with age and bounds them in count and bytes, never dropping
the newest:

* younger than a day: all kept;
* up to 30 days: the newest of each day;
* up to a year: the newest of each week;
* older: the newest of each 30 days;
* then, while over :data:`MAX_SNAPSHOTS` or :data:`MAX_BYTES`, the older of
  the two snapshots closest together in time goes (history thins evenly
  instead of forgetting its oldest versions first).

Thinning applies only to one window's own consecutive saves. A version that
was replaced by a *different* writer (another window, another person, a CLI
command, a restore, a conflict resolved with "Take mine") is kept *pinned*
(``...-pinned.json``): it is someone's saved text that its writer may not
know was replaced, so no thinning and no bound ever removes it.

Nothing in a history folder is followed through a link: a ``history/<id>``
that is a symlink (or not a folder) is refused with :class:`UnsafeHistoryError`
and never written into or listed.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from coprod_tui.core import timefmt
from coprod_tui.core.i18n import _
from coprod_tui.core.store.storage import atomic_write_bytes, make_private_folders, read_bytes
from coprod_tui.core.store.types import StoreError

MAX_SNAPSHOTS = 100
MAX_BYTES = 32 * 1024 * 1024
#: Up to this many snapshots, all younger than a day, pruning has nothing to do.
QUICK_COUNT = 20
DAY = 86_400.0

_NAME = re.compile(r"^(\d{10,16})-(\d{8}T\d{6}Z)(-pinned)?\.json$")
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


class UnsafeHistoryError(StoreError):
    """A case's history folder is a link or not a folder; nothing is done through it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        super().__init__(
            _(
                "{folder} is not a plain folder (a symbolic link?); nothing was written "
                "through it — move it away or run 'coprod doctor'"
            ).format(folder=folder)
        )


class Snapshot(NamedTuple):
    """One kept version on disk."""

    revision: int
    saved_at: str  # ISO 8601 UTC, from the version's ``updated`` time
    path: Path
    #: Replaced by another writer: never thinned away (see the module docstring).
    pinned: bool = False

    @property
    def epoch(self) -> float:
        """``saved_at`` as seconds since the epoch (0 if unreadable)."""
        return timefmt.to_epoch(self.saved_at)


def _compact(stamp: str) -> str:
    """A stored stamp in the compact form of a kept version's file name (epoch if unreadable)."""
    return timefmt.to_compact(timefmt.parse(stamp) or datetime.fromtimestamp(0, UTC))


def _expand(compact: str) -> str:
    """A file name's compact stamp as the store's stamp; ``""`` for an impossible date."""
    return timefmt.from_compact(compact) or ""


class History:
    """The history folders of one store."""

    def __init__(self, root: Path, *, file_mode: int, dir_mode: int) -> None:
        self.root = root
        self.file_mode = file_mode
        self.dir_mode = dir_mode

    def folder(self, case_id: str) -> Path:
        return self.root / case_id

    def snapshots(self, case_id: str) -> list[Snapshot]:
        """Kept versions, oldest first (:class:`UnsafeHistoryError` for a linked folder)."""
        folder = self.folder(case_id)
        try:
            fd = os.open(folder, os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW | _O_CLOEXEC)
        except FileNotFoundError:
            return []
        except OSError:  # ELOOP (a link), ENOTDIR (a file)
            raise UnsafeHistoryError(folder) from None
        try:
            names = os.listdir(fd)
        finally:
            os.close(fd)
        found = []
        for name in names:
            match = _NAME.match(name)
            if match:
                found.append(
                    Snapshot(
                        revision=int(match.group(1)),
                        saved_at=_expand(match.group(2)),
                        path=folder / name,
                        pinned=bool(match.group(3)),
                    )
                )
        found.sort(key=lambda snap: snap.revision)
        return found

    def find(self, case_id: str, revision: int) -> Snapshot | None:
        for snap in self.snapshots(case_id):
            if snap.revision == revision:
                return snap
        return None

    def keep(
        self, case_id: str, source: Path, revision: int, saved_at: str, *, pinned: bool = False
    ) -> bool:
        """Keep ``source`` (the current case file) as ``revision``; False if already kept.

        ``pinned`` marks a version replaced by another writer: never thinned.
        A version already kept unpinned is pinned now if asked.
        """
        folder = self.folder(case_id)
        self._check_folder(folder)
        name = f"{revision:010d}-{_compact(saved_at)}"
        target = folder / f"{name}{'-pinned' if pinned else ''}.json"
        existing = self.find(case_id, revision)
        if existing is not None:
            if pinned and not existing.pinned:
                os.replace(existing.path, target)
            return False
        try:
            os.link(source, target, follow_symlinks=False)
        except FileExistsError:
            return False
        except FileNotFoundError:
            if folder.is_dir():
                raise
            self._make_folder(folder)
            return self.keep(case_id, source, revision, saved_at, pinned=pinned)
        except OSError:
            # Hard links refused here (protected_hardlinks, some network or
            # FAT file systems): copy instead.
            atomic_write_bytes(target, read_bytes(source), mode=self.file_mode)
        # No fsync of the history folder here: the save goes on to fsync the
        # case's folder, which on journalling file systems (ext4, XFS) commits
        # this link too; elsewhere a power cut may cost a history entry, never
        # the case itself.
        return True

    @staticmethod
    def _check_folder(folder: Path) -> None:
        """Refuse a history folder that is a link or a file (never write through one)."""
        try:
            info = os.lstat(folder)
        except FileNotFoundError:
            return
        if not stat.S_ISDIR(info.st_mode):
            raise UnsafeHistoryError(folder)

    def add_version(self, case_id: str, data: bytes, revision: int, saved_at: str) -> bool:
        """Keep ``data`` (a whole case file's bytes) as ``revision``; False if it is kept already.

        For ``coprod import`` of a backup: never replaces a kept version (the
        store's own copy of a revision wins), never follows a name into place.
        """
        if self.find(case_id, revision) is not None:
            return False
        folder = self.folder(case_id)
        self._check_folder(folder)
        if not folder.is_dir():
            self._make_folder(folder)
        target = folder / f"{revision:010d}-{_compact(saved_at)}.json"
        try:
            atomic_write_bytes(target, data, mode=self.file_mode, overwrite=False)
        except FileExistsError:
            return False
        return True

    def _make_folder(self, folder: Path) -> None:
        make_private_folders(folder, self.dir_mode)

    def prune(self, case_id: str, *, now: float) -> list[Snapshot]:
        """Thin a case's history (see the module docstring); returns what went."""
        snaps = [snap for snap in self.snapshots(case_id) if not snap.pinned]
        quick = min(QUICK_COUNT, MAX_SNAPSHOTS)
        if len(snaps) <= quick and all(now - snap.epoch <= DAY for snap in snaps):
            return []  # nothing old, nothing big: no need to stat every file
        doomed = choose_prunable(
            snaps, now=now, sizes=_sizes(snaps), max_count=MAX_SNAPSHOTS, max_bytes=MAX_BYTES
        )
        for snap in doomed:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(snap.path)
        return doomed


def _sizes(snaps: list[Snapshot]) -> dict[int, int]:
    sizes = {}
    for snap in snaps:
        try:
            sizes[snap.revision] = snap.path.stat().st_size
        except OSError:
            sizes[snap.revision] = 0
    return sizes


def choose_prunable(
    snaps: list[Snapshot],
    *,
    now: float,
    sizes: dict[int, int] | None = None,
    max_count: int = MAX_SNAPSHOTS,
    max_bytes: int = MAX_BYTES,
) -> list[Snapshot]:
    """Which snapshots to drop (pure, so the policy is easy to test). Pinned ones never go."""
    ordered = sorted((snap for snap in snaps if not snap.pinned), key=lambda snap: snap.revision)
    if not ordered:
        return []
    newest = ordered[-1]
    kept: list[Snapshot] = []
    buckets: dict[tuple[str, int], Snapshot] = {}
    for snap in ordered:
        age = now - snap.epoch
        if age <= DAY or snap is newest:
            kept.append(snap)
            continue
        if age <= 30 * DAY:
            bucket = ("day", int(snap.epoch // DAY))
        elif age <= 365 * DAY:
            bucket = ("week", int(snap.epoch // (7 * DAY)))
        else:
            bucket = ("month", int(snap.epoch // (30 * DAY)))
        buckets[bucket] = snap  # later (newer) snapshots win their bucket
    kept.extend(buckets.values())
    kept.sort(key=lambda snap: snap.revision)

    sizes = sizes or {}
    total = sum(sizes.get(snap.revision, 0) for snap in kept)
    while len(kept) > 1 and (len(kept) > max_count or total > max_bytes):
        # Drop the older of the closest pair (never the newest).
        gaps = [(kept[i + 1].epoch - kept[i].epoch, i) for i in range(len(kept) - 1)]
        _gap, index = min(gaps)
        gone = kept.pop(index)
        total -= sizes.get(gone.revision, 0)
    keep_ids = {id(snap) for snap in kept}
    return [snap for snap in ordered if id(snap) not in keep_ids]
