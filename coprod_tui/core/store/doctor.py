"""``coprod doctor``: check every file of a store and, if asked, repair without losing anything.

Repairs never delete what someone may need: a damaged case file is first
hard-linked (or copied) into ``damaged/`` and only then replaced by the newest
good version from history, or, with no good version to go back to, taken out
of ``cases/`` (its bytes stay in ``damaged/``, and the report says where) so
the rest of the store lists cleanly; a damaged history file is moved into
``damaged/``. A case file written by a newer coprod (a higher ``format``) is
never repaired here, even when this version cannot read it.
Only temp files of writers that died long ago are removed (they never held an
acknowledged save).

Nothing in a store is followed through a symbolic link: every link found is
listed (and never read, chmod'ed or chown'ed); ``--repair`` moves each link
itself (not what it points to) into ``damaged/``, and a case file that was a
link gets its newest good version from history back.
"""

from __future__ import annotations

import os
import re
import stat
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from coprod_tui.core.case import Case, utc_now
from coprod_tui.core.i18n import _
from coprod_tui.core.store.case_file import newer_format_of
from coprod_tui.core.store.folder import FolderPolicy
from coprod_tui.core.store.history import Snapshot
from coprod_tui.core.store.layout import (
    INSIGHTS,
    INSIGHTS_HISTORY,
    INSIGHTS_TRASH,
    case_file,
    case_ids,
    ids_in,
    is_case_id,
    trash_file,
)
from coprod_tui.core.store.scan import STALE_TEMP_SECONDS
from coprod_tui.core.store.storage import (
    DamagedFileError,
    LinkedFileError,
    atomic_write_bytes,
    chmod_nofollow,
    fsync_dir,
    is_temp_name,
    read_bytes,
)
from coprod_tui.core.store.types import DoctorReport

_REVISION = re.compile(rb'"revision":\s*(\d{1,15})(?![\d.eE])')
#: A revision made out of a damaged file is believed only below this.
_MAX_REVISION = 2**53 - 2


class CaseStore(Protocol):
    """The public parts of :class:`coprod_tui.core.store.CaseStore` the doctor uses.

    The doctor takes the store through this surface only, so neither module
    imports the other (the store imports the doctor lazily, when asked).
    """

    path: Path
    policy: FolderPolicy

    @property
    def who(self) -> str: ...

    def read_file(self, path: Path, case_id: str) -> Case: ...

    def locked(self, case_id: str) -> Any: ...

    def write_repaired(self, path: Path, case: Case) -> None: ...

    def snapshots(self, case_id: str) -> list[Snapshot]: ...

    def make_folder(self, folder: Path) -> None: ...

    def rebuild_catalog(self) -> None: ...


def run_doctor(store: CaseStore, *, repair: bool) -> DoctorReport:
    """Check (and with ``repair``, fix) a store; see ``CaseStore.doctor``."""
    report = DoctorReport()
    for trashed in (False, True):
        for case_id in case_ids(store.path, trashed=trashed):
            report.checked += 1
            _check_case(store, trashed, case_id, report, repair=repair)
    _check_both_places(store, report)
    _check_history(store, report, repair=repair)
    _check_insights(store, report, repair=repair)
    _check_links(store, report, repair=repair)
    _check_modes(store, report, repair=repair)
    _check_temps(store, report, repair=repair)
    store.rebuild_catalog()
    return report


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _check_case(
    store: CaseStore, trashed: bool, case_id: str, report: DoctorReport, *, repair: bool
) -> None:
    path = trash_file(store.path, case_id) if trashed else case_file(store.path, case_id)
    try:
        case = store.read_file(path, case_id)
        if case.newer_format:
            report.notes.append(
                _(
                    "case {case_id} was written by a newer coprod (case format {format}); it is "
                    "read-only here"
                ).format(case_id=case_id[:8], format=case.format)
            )
        return
    except FileNotFoundError:
        return
    except DamagedFileError as damage:
        error = damage
        reason = damage.reason
    except OSError as failure:
        report.problems.append(
            _("case {case_id}: cannot read {path} ({reason})").format(
                case_id=case_id[:8], path=path, reason=failure.strerror
            )
        )
        return
    where = _(" (in the trash)") if trashed else ""
    newer = _newer_format(path)
    if newer:
        report.problems.append(
            _(
                "case {case_id}{where} was written by a newer coprod (case format {newer}) in"
                " a shape this version cannot read ({reason}); open it with that coprod; it "
                "is not repaired here"
            ).format(case_id=case_id[:8], where=where, newer=newer, reason=reason)
        )
        return
    if not repair:
        if isinstance(error, LinkedFileError):
            report.problems.append(
                _(
                    "case {case_id}{where}: {path} is {reason}, which coprod never follows; "
                    "'coprod doctor --repair' moves the link to damaged/ and restores the case's "
                    "newest good version"
                ).format(case_id=case_id[:8], where=where, path=path, reason=reason)
            )
            return
        report.problems.append(
            _(
                "case {case_id}{where} is damaged ({reason}); 'coprod doctor --repair' "
                "restores its newest good version"
            ).format(case_id=case_id[:8], where=where, reason=reason)
        )
        return
    with store.locked(case_id):
        try:
            store.read_file(path, case_id)
            return  # repaired meanwhile by someone else
        except DamagedFileError:
            pass
        except FileNotFoundError:
            return
        good, newest_revision = _newest_good_version(store, case_id)
        aside = set_aside(store, path, case_id)
        if good is None:
            # Its bytes are safe in damaged/: take it out so everything else lists cleanly.
            os.unlink(path)
            fsync_dir(path.parent)
            report.fixed.append(
                _(
                    "case {case_id}{where} was damaged ({reason}) and has no earlier version to "
                    "restore: it was set aside, the file is now {aside}"
                ).format(case_id=case_id[:8], where=where, reason=reason, aside=aside)
            )
            return
        restored = good.copy()
        # The damaged file replaced the newest kept version, so it was at least one
        # past it even when its own number can no longer be read.
        claimed = max(newest_revision + 1, good.revision, damaged_revision(aside))
        restored.revision = claimed + 1
        restored.updated = utc_now()
        restored.saved_by = store.who
        store.write_repaired(path, restored)
        report.fixed.append(
            _(
                "case {case_id}{where} was damaged ({reason}): restored revision {revision} "
                "as revision {revision2}; the damaged file is kept at {aside}"
            ).format(
                case_id=case_id[:8],
                where=where,
                reason=reason,
                revision=good.revision,
                revision2=restored.revision,
                aside=aside,
            )
        )


def _newest_good_version(store: CaseStore, case_id: str) -> tuple[Case | None, int]:
    snaps = store.snapshots(case_id)
    newest = max((snap.revision for snap in snaps), default=0)
    for snap in reversed(snaps):
        try:
            return store.read_file(snap.path, case_id), newest
        except (DamagedFileError, OSError):
            continue
    return None, newest


def _newer_format(path: Path) -> int:
    """The ``format`` a case file claims when it is newer than this coprod's (else 0)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return 0
    return newer_format_of(raw, path)


def damaged_revision(path: Path) -> int:
    """The revision a damaged file claims, if it can still be made out (else 0).

    The repaired version gets a higher number, so an editor still holding the
    damaged revision as its base gets a conflict copy rather than a silent
    overwrite.
    """
    try:
        found = _REVISION.findall(read_bytes(path))
    except (OSError, DamagedFileError):  # a link (never followed), gone, unreadable
        return 0
    return max((int(value) for value in found if int(value) <= _MAX_REVISION), default=0)


def set_aside(store: CaseStore, path: Path, case_id: str) -> Path:
    """Keep a damaged file in ``damaged/`` (link, else copy) before anything replaces it."""
    folder = store.path / "damaged"
    if not folder.is_dir():
        store.make_folder(folder)
    aside = folder / f"{case_id}-{_stamp()}.json"
    try:
        # follow_symlinks=False: a case file that is a link is kept aside as
        # that link, never as a hard link to whatever it points to.
        os.link(path, aside, follow_symlinks=False)
    except FileExistsError:
        return aside
    except OSError:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            os.symlink(os.readlink(path), aside)
        else:
            atomic_write_bytes(aside, read_bytes(path), mode=store.policy.file_mode)
        return aside
    fsync_dir(aside.parent)
    return aside


def _check_both_places(store: CaseStore, report: DoctorReport) -> None:
    both = set(case_ids(store.path, trashed=False)) & set(case_ids(store.path, trashed=True))
    for case_id in sorted(both):
        report.problems.append(
            _(
                "case {case_id} is both in cases/ and in trash/; move one of the two files "
                "out of {path} by hand"
            ).format(case_id=case_id[:8], path=store.path)
        )


def _check_history(store: CaseStore, report: DoctorReport, *, repair: bool) -> None:
    root = store.path / "history"
    try:
        case_ids = sorted(os.listdir(root))
    except FileNotFoundError:
        return
    for case_id in case_ids:
        if not is_case_id(case_id) or os.path.islink(root / case_id):
            continue  # a linked history folder is never read (see _check_links)
        for snap in store.snapshots(case_id):
            try:
                store.read_file(snap.path, case_id)
            except FileNotFoundError:
                continue
            except (DamagedFileError, OSError):
                if repair:
                    aside = store.path / "damaged" / f"{case_id}-r{snap.revision}-{_stamp()}.json"
                    os.replace(snap.path, aside)
                    fsync_dir(aside.parent)
                    report.fixed.append(
                        _(
                            "case {case_id}: kept revision {revision} was damaged; moved to {aside}"
                        ).format(case_id=case_id[:8], revision=snap.revision, aside=aside)
                    )
                else:
                    report.problems.append(
                        _("case {case_id}: kept revision {revision} is damaged").format(
                            case_id=case_id[:8], revision=snap.revision
                        )
                    )


def _is_case_file(store: CaseStore, path: str) -> bool:
    """Whether ``path`` is a case or insight file (checked, and repaired, with its document)."""
    folder, name = os.path.split(path)
    documents = ("cases", "trash", INSIGHTS, INSIGHTS_TRASH)
    return (
        folder in {str(store.path / place) for place in documents}
        and name.endswith(".json")
        and is_case_id(name[:-5])
    )


def _check_insights(store: CaseStore, report: DoctorReport, *, repair: bool) -> None:
    """Insight files as case files: damaged ones reported; ``repair`` restores or sets aside.

    The same rules as :func:`_check_case` through the insights' own document
    folder (their history, their locks); a store without insights costs two
    folder listings.
    """
    if not any(ids_in(store.path / place) for place in (INSIGHTS, INSIGHTS_TRASH)):
        return
    from coprod_tui.core.insights.store import InsightStore

    docs = InsightStore(
        store.path,
        file_mode=store.policy.file_mode,
        dir_mode=store.policy.dir_mode,
        who=store.who,
    ).docs
    checked = 0
    for trashed, place in ((False, INSIGHTS), (True, INSIGHTS_TRASH)):
        for doc_id in sorted(ids_in(store.path / place)):
            checked += 1
            _check_insight(store, docs, place, trashed, doc_id, report, repair=repair)
    report.notes.append(_("{checked} insight(s) checked").format(checked=checked))
    history = store.path / INSIGHTS_HISTORY
    for doc_id in sorted(ids_in_history(history)):
        for snap in docs.history.snapshots(doc_id):
            try:
                docs.read(snap.path, doc_id)
            except FileNotFoundError:
                continue
            except (DamagedFileError, OSError):
                if repair:
                    aside = store.path / "damaged" / f"{doc_id}-r{snap.revision}-{_stamp()}.json"
                    if not aside.parent.is_dir():
                        store.make_folder(aside.parent)
                    os.replace(snap.path, aside)
                    fsync_dir(aside.parent)
                    report.fixed.append(
                        _(
                            "insight {doc_id}: kept revision {revision} was damaged; "
                            "moved to {aside}"
                        ).format(doc_id=doc_id[:8], revision=snap.revision, aside=aside)
                    )
                else:
                    report.problems.append(
                        _("insight {doc_id}: kept revision {revision} is damaged").format(
                            doc_id=doc_id[:8], revision=snap.revision
                        )
                    )


def ids_in_history(root: Path) -> list[str]:
    """The document ids with a history folder under ``root`` (linked folders left out)."""
    try:
        names = os.listdir(root)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [name for name in names if is_case_id(name) and not os.path.islink(root / name)]


def _check_insight(
    store: CaseStore,
    docs: Any,
    place: str,
    trashed: bool,
    doc_id: str,
    report: DoctorReport,
    *,
    repair: bool,
) -> None:
    path = store.path / place / f"{doc_id}.json"
    where = _(" (in the trash)") if trashed else ""
    try:
        insight = docs.read(path, doc_id)
        if insight.newer_format:
            report.notes.append(
                _(
                    "insight {doc_id} was written by a newer coprod (format {format}); it is "
                    "read-only here"
                ).format(doc_id=doc_id[:8], format=insight.format)
            )
        return
    except FileNotFoundError:
        return
    except DamagedFileError as damage:
        reason = damage.reason
    except OSError as failure:
        report.problems.append(
            _("insight {doc_id}: cannot read {path} ({reason})").format(
                doc_id=doc_id[:8], path=path, reason=failure.strerror
            )
        )
        return
    fmt = docs.kind.file.stored_format(path) if not os.path.islink(path) else None
    if fmt is not None and fmt > docs.kind.current_format:
        report.problems.append(
            _(
                "insight {doc_id}{where} was written by a newer coprod (format {fmt}) in a "
                "shape this version cannot read ({reason}); it is not repaired here"
            ).format(doc_id=doc_id[:8], where=where, fmt=fmt, reason=reason)
        )
        return
    if not repair:
        report.problems.append(
            _(
                "insight {doc_id}{where} is damaged ({reason}); 'coprod doctor --repair' "
                "restores its newest good version"
            ).format(doc_id=doc_id[:8], where=where, reason=reason)
        )
        return
    with docs.locked(doc_id):
        try:
            docs.read(path, doc_id)
            return  # repaired meanwhile
        except DamagedFileError:
            pass
        except FileNotFoundError:
            return
        snaps = docs.history.snapshots(doc_id)
        newest = max((snap.revision for snap in snaps), default=0)
        good = None
        for snap in reversed(snaps):
            try:
                good = docs.read(snap.path, doc_id)
                break
            except (DamagedFileError, OSError):
                continue
        aside = set_aside(store, path, doc_id)
        if good is None:
            os.unlink(path)
            fsync_dir(path.parent)
            report.fixed.append(
                _(
                    "insight {doc_id}{where} was damaged ({reason}) and has no earlier version to"
                    " restore: it was set aside, the file is now {aside}"
                ).format(doc_id=doc_id[:8], where=where, reason=reason, aside=aside)
            )
            return
        restored = good.copy()
        restored.revision = max(newest + 1, good.revision, damaged_revision(aside)) + 1
        restored.updated = utc_now()
        restored.saved_by = store.who
        docs.write(path, restored, checked=False)
        report.fixed.append(
            _(
                "insight {doc_id}{where} was damaged ({reason}): restored revision {revision}"
                " as revision {revision2}; the damaged file is kept at {aside}"
            ).format(
                doc_id=doc_id[:8],
                where=where,
                reason=reason,
                revision=good.revision,
                revision2=restored.revision,
                aside=aside,
            )
        )


def store_links(store: CaseStore) -> list[str]:
    """Every symbolic link (or other non-file, non-folder entry) in the store, never followed."""
    found: list[str] = []
    for folder, dirs, files in os.walk(store.path):
        for name in sorted([*dirs, *files]):
            path = os.path.join(folder, name)
            try:
                mode = os.lstat(path).st_mode
            except FileNotFoundError:
                continue
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                found.append(path)
        dirs.sort()
    return found


def _check_links(store: CaseStore, report: DoctorReport, *, repair: bool) -> None:
    """List every link in the store; with ``repair``, move each link into ``damaged/``.

    A link costs no text when moved (it is only a pointer, kept as it was);
    what it points to is never read, changed or removed.
    """
    damaged = str(store.path / "damaged")
    for path in store_links(store):
        if _is_case_file(store, path):
            continue  # reported and repaired with the case itself
        kind = _("a symbolic link") if os.path.islink(path) else _("not a plain file or folder")
        if os.path.dirname(path) == damaged:
            report.notes.append(
                _("{path} is {kind} (kept aside; coprod never follows it)").format(
                    path=path, kind=kind
                )
            )
            continue
        if not repair:
            report.problems.append(
                _(
                    "{path} is {kind}, which coprod never follows; 'coprod doctor --repair' moves"
                    " it into damaged/"
                ).format(path=path, kind=kind)
            )
            continue
        relative = os.path.relpath(path, store.path).replace(os.sep, "_")
        aside = store.path / "damaged" / f"{relative}-{_stamp()}.link"
        os.replace(path, aside)
        fsync_dir(aside.parent)
        report.fixed.append(
            _("{path} was {kind}; moved (the link itself) to {aside}").format(
                path=path, kind=kind, aside=aside
            )
        )


def _check_modes(store: CaseStore, report: DoctorReport, *, repair: bool) -> None:
    policy = store.policy
    loose_files = 0o007 if policy.shared else 0o077
    loose_dirs = 0o007 if policy.shared else 0o077
    uid = os.geteuid()
    for folder, dirs, files in os.walk(store.path):
        entries = [(folder, True)] + [(os.path.join(folder, name), False) for name in files]
        for path, is_dir in entries:
            try:
                info = os.lstat(path)
            except FileNotFoundError:
                continue
            if stat.S_ISLNK(info.st_mode):
                continue
            mode = stat.S_IMODE(info.st_mode)
            if not mode & (loose_dirs if is_dir else loose_files):
                continue
            wanted = policy.dir_mode if is_dir else policy.file_mode
            if repair and info.st_uid == uid:
                try:
                    chmod_nofollow(path, wanted)
                except LinkedFileError:
                    continue  # swapped for a link meanwhile: reported as a link
                report.fixed.append(
                    _("{path}: mode {mode:o} tightened to {wanted:o}").format(
                        path=path, mode=mode, wanted=wanted
                    )
                )
            else:
                report.problems.append(
                    _(
                        "{path} can be read by other users (mode {mode:o}); run 'chmod {value:o} "
                        "{path}' or 'coprod doctor --repair'"
                    ).format(path=path, mode=mode, value=wanted & 0o777)
                )
        dirs.sort()


def _check_temps(store: CaseStore, report: DoctorReport, *, repair: bool) -> None:
    now = time.time()
    stale = []
    for folder, _dirs, files in os.walk(store.path):
        for name in files:
            if not is_temp_name(name):
                continue
            path = os.path.join(folder, name)
            try:
                if now - os.lstat(path).st_mtime > STALE_TEMP_SECONDS:
                    stale.append(path)
            except FileNotFoundError:
                continue
    if not stale:
        return
    if repair:
        for path in stale:
            try:
                os.unlink(path)
            except FileNotFoundError:
                continue
        report.fixed.append(
            _("removed {n} temp file(s) left by interrupted saves").format(n=len(stale))
        )
    else:
        report.notes.append(_("{n} temp file(s) left by interrupted saves").format(n=len(stale)))
