"""The store folder: where it is, who may use it, and which modes its files get.

A store holds sensitive notes, so by default it is private: the folder is
0700 and every file 0600, whatever the umask. A folder that anyone else can
write to is refused (they could swap files under us), as is a symlinked store
path owned by someone else (they could point it anywhere), each with one line
saying what to do.

**Team stores (opt-in).** A team that shares one server may share one store
through a Unix group. ``coprod doctor --share-with-group [GROUP]``, run by the
store's owner, writes the marker file ``shared-with-group`` into the store,
sets the folder tree to ``2770`` (setgid, so new files keep the group) and the
files to ``0660``, optionally changing their group to GROUP. From then on every
member of that group can open the store, and coprod creates files 0660 and
folders 2770 there. A folder writable by *others* is refused even then.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from pathlib import Path
from typing import NamedTuple

from coprod_tui.core.case import utc_now
from coprod_tui.core.i18n import _
from coprod_tui.core.store.layout import INSIGHT_FOLDERS
from coprod_tui.core.store.storage import (
    DIR_MODE,
    FILE_MODE,
    LinkedFileError,
    atomic_write_bytes,
    chmod_nofollow,
    is_temp_name,
    make_private_folders,
    read_bytes,
)
from coprod_tui.core.store.types import NoStoreError, StoreError, UnsafeStoreError

#: Marks a folder as a coprod store (so we never take over an unrelated folder).
STORE_MARKER = "coprod-store.json"
#: Marks a store deliberately shared with its Unix group.
SHARE_MARKER = "shared-with-group"
#: Sub-folders of a store.
SUBFOLDERS = ("cases", "trash", "history", "locks", "damaged", "purged")
STORE_FORMAT = 1

SHARED_FILE_MODE = 0o660
SHARED_DIR_MODE = 0o2770


class FolderPolicy(NamedTuple):
    """How files are created in this store."""

    shared: bool
    file_mode: int
    dir_mode: int


PRIVATE = FolderPolicy(shared=False, file_mode=FILE_MODE, dir_mode=DIR_MODE)
SHARED = FolderPolicy(shared=True, file_mode=SHARED_FILE_MODE, dir_mode=SHARED_DIR_MODE)


def prepare_store_folder(path: Path, *, create: bool) -> tuple[Path, FolderPolicy]:
    """Check (and if asked, create) a store folder; returns its path and policy.

    Raises :class:`UnsafeStoreError` for a folder others could tamper with,
    :class:`NoStoreError` (exit 2) when there is no store there and ``create``
    is false, and :class:`StoreError` when the folder is not a folder, not a
    store, or its marker is damaged or from a newer coprod. A refused folder
    is left exactly as it was: nothing is created, chmod'ed or written until
    the folder is known to be a store (or an empty folder we may take over).
    """
    root = Path(os.path.abspath(os.path.expanduser(os.fspath(path))))
    try:
        link = root.lstat()
    except FileNotFoundError:
        if not create:
            raise NoStoreError(
                _("no store at {root} (create one with 'coprod new')").format(root=root)
            ) from None
        try:
            make_private_folders(root, PRIVATE.dir_mode)
            link = root.lstat()
        except OSError as error:
            raise StoreError(
                _("cannot create the store {root}: {reason}").format(
                    root=root, reason=error.strerror
                )
            ) from None
    except OSError as error:
        raise StoreError(
            _("cannot open the store {root}: {reason}").format(root=root, reason=error.strerror)
        ) from None

    if stat.S_ISLNK(link.st_mode) and link.st_uid not in (os.geteuid(), 0):
        raise UnsafeStoreError(
            _(
                "the store path {root} is a symlink owned by another user; point --store at a"
                " folder of your own"
            ).format(root=root)
        )
    try:
        info = root.stat()
    except FileNotFoundError:
        raise StoreError(
            _("the store path {root} is a symlink to nothing").format(root=root)
        ) from None
    if not stat.S_ISDIR(info.st_mode):
        raise StoreError(_("the store path {root} is not a folder").format(root=root))

    is_store = _has_marker(root)
    if not is_store:
        _check_can_take_over(root, create=create)
    policy = SHARED if _is_shared(root) else PRIVATE
    _check_folder(root, info, policy)
    if not is_store:
        _write_marker(root, policy)
    _tighten(root, info, policy)
    for name in SUBFOLDERS:
        _ensure_subfolder(root / name, policy)
    return root, policy


def store_marker_present(path: Path) -> bool:
    """Whether ``path`` holds a store marker (a plain file), without changing anything.

    For readers that must not create a store (finding a store's templates).
    """
    try:
        return stat.S_ISREG(os.lstat(Path(path) / STORE_MARKER).st_mode)
    except OSError:
        return False


def _has_marker(root: Path) -> bool:
    """Whether ``root`` is a store; refuses a marker that is a link, not a file, or damaged."""
    marker = root / STORE_MARKER
    try:
        raw = read_bytes(marker)
    except FileNotFoundError:
        return False
    except LinkedFileError as error:
        raise StoreError(
            _(
                "the store marker {marker} is {reason}; nothing was changed — replace it with"
                " the marker of a real store or choose another folder"
            ).format(marker=marker, reason=error.reason)
        ) from None
    except OSError as error:
        raise StoreError(
            _("cannot read the store marker {marker}: {reason}").format(
                marker=marker, reason=error.strerror
            )
        ) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        data = None
    version = data.get("format") if isinstance(data, dict) else None
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise StoreError(
            _(
                "the store marker {marker} is damaged (it should hold the store format); "
                "nothing was changed — restore it from a backup or choose another folder"
            ).format(marker=marker)
        )
    if version > STORE_FORMAT:
        raise StoreError(
            _(
                "the store {root} has store format {version}, made by a newer coprod (this "
                "one reads format {STORE_FORMAT}); nothing was changed — upgrade coprod"
            ).format(root=root, version=version, STORE_FORMAT=STORE_FORMAT)
        )
    return True


def _check_can_take_over(root: Path, *, create: bool) -> None:
    """Refuse a folder that is not a store unless it is empty and we may create one.

    Hidden entries count (a folder holding only ``.git/`` is someone's); only
    the folders a store itself makes, the share marker and the temp file of an
    interrupted marker write are tolerated.
    """
    try:
        entries = os.listdir(root)
    except OSError as error:
        raise StoreError(
            _("cannot open the store {root}: {reason}").format(root=root, reason=error.strerror)
        ) from None
    foreign = [name for name in entries if not _store_made(root, name)]
    if foreign:
        raise StoreError(
            _(
                "{root} holds other files and is not a coprod store; it was left unchanged — "
                "choose an empty or new folder for --store"
            ).format(root=root)
        )
    if not create:
        raise NoStoreError(_("no store at {root} (create one with 'coprod new')").format(root=root))


def _store_made(root: Path, name: str) -> bool:
    """Whether a folder entry is one a (half-made) store could hold."""
    if name.startswith(f".{STORE_MARKER}.") and is_temp_name(name):
        return True
    try:
        info = os.lstat(root / name)
    except OSError:
        return False
    if name in SUBFOLDERS or name in INSIGHT_FOLDERS:
        return stat.S_ISDIR(info.st_mode)
    return name == SHARE_MARKER and stat.S_ISREG(info.st_mode)


def _is_shared(root: Path) -> bool:
    """Whether the store opted in to group sharing; a linked share marker is refused."""
    marker = root / SHARE_MARKER
    try:
        info = os.lstat(marker)
    except FileNotFoundError:
        return False
    except OSError as error:
        raise StoreError(
            _("cannot check {marker}: {reason}").format(marker=marker, reason=error.strerror)
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeStoreError(
            _(
                "{marker} is not a plain file (a symlink?); nothing was changed — remove it "
                "and run 'coprod doctor --share-with-group' again if the store is to be "
                "shared"
            ).format(marker=marker)
        )
    return True


def _check_folder(root: Path, info: os.stat_result, policy: FolderPolicy) -> None:
    uid = os.geteuid()
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o002:
        raise UnsafeStoreError(
            _(
                "the store {root} can be changed by any user; run 'chmod 700 {root}' and try again"
            ).format(root=root)
        )
    if policy.shared:
        if info.st_uid != uid and info.st_gid not in os.getgroups() and info.st_gid != os.getgid():
            raise UnsafeStoreError(
                _("the shared store {root} belongs to a group you are not in").format(root=root)
            )
    else:
        if info.st_uid != uid:
            raise UnsafeStoreError(
                _("the store {root} belongs to another user; use a folder of your own").format(
                    root=root
                )
            )
        if mode & 0o020:
            raise UnsafeStoreError(
                _(
                    "the store {root} is writable by its group; run 'chmod 700 {root}' (or share "
                    "it on purpose with 'coprod doctor --share-with-group')"
                ).format(root=root)
            )


def _tighten(root: Path, info: os.stat_result, policy: FolderPolicy) -> None:
    """Give our own store folder its mode (best effort: a read-only store can still be read)."""
    if stat.S_IMODE(info.st_mode) != policy.dir_mode and info.st_uid == os.geteuid():
        with contextlib.suppress(OSError):
            os.chmod(root, policy.dir_mode)


def _write_marker(root: Path, policy: FolderPolicy) -> None:
    """Make an empty folder a store (the marker first: from then on it is ours)."""
    marker = root / STORE_MARKER
    body = json.dumps({"format": STORE_FORMAT, "created": utc_now()}).encode()
    try:
        atomic_write_bytes(marker, body + b"\n", mode=policy.file_mode, overwrite=False)
    except FileExistsError:
        _has_marker(root)  # another process made it meanwhile: check theirs
    except OSError as error:
        raise StoreError(
            _("cannot create a store in {root}: {reason}").format(root=root, reason=error.strerror)
        ) from None


def _ensure_subfolder(folder: Path, policy: FolderPolicy) -> None:
    try:
        info = folder.lstat()
    except FileNotFoundError:
        try:
            _make_folder(folder, policy.dir_mode)
        except OSError as error:
            raise StoreError(
                _("cannot create {folder}: {reason}").format(folder=folder, reason=error.strerror)
            ) from None
        return
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise UnsafeStoreError(
            _("{folder} is not a plain folder (a symlink?); move it away and try again").format(
                folder=folder
            )
        )
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o002 or (mode & 0o020 and not policy.shared):
        if info.st_uid != os.geteuid():
            raise UnsafeStoreError(
                _("{folder} can be changed by other users; run 'chmod 700 {folder}'").format(
                    folder=folder
                )
            )
        try:
            os.chmod(folder, policy.dir_mode)
        except OSError as error:
            raise UnsafeStoreError(
                _("{folder} can be changed by other users; run 'chmod 700 {folder}'").format(
                    folder=folder
                )
            ) from error


def _make_folder(folder: Path, mode: int) -> None:
    """``mkdir`` with an exact mode (the umask cannot widen or narrow it)."""
    make_private_folders(folder, mode)


def share_with_group(root: Path, group: str | None = None) -> list[str]:
    """Opt a store in to sharing with a Unix group; returns what was changed.

    Only the store's owner can do this. ``group`` (a group name) also changes
    the group of the whole tree; without it the folder's current group is kept.
    Nothing is changed through a symbolic link: links found in the store are
    left alone and named in the returned lines (``coprod doctor`` lists them).
    """
    import grp

    info = root.stat()
    if info.st_uid != os.geteuid():
        raise StoreError(_("only the owner of {root} can share it").format(root=root))
    gid = -1
    if group:
        try:
            gid = grp.getgrnam(group).gr_gid
        except KeyError:
            raise StoreError(_("no such group: {group}").format(group=group)) from None
    changed: list[str] = []
    skipped: list[str] = []
    real_root = os.path.realpath(root)  # --store itself may be the user's own link
    try:
        for folder, dirs, files in os.walk(real_root):
            chmod_nofollow(folder, SHARED_DIR_MODE, gid=gid)
            for name in [*dirs, *files]:
                target = os.path.join(folder, name)
                entry = os.lstat(target)
                if not (stat.S_ISREG(entry.st_mode) or stat.S_ISDIR(entry.st_mode)):
                    skipped.append(target)
                    continue
                if stat.S_ISREG(entry.st_mode):
                    try:
                        chmod_nofollow(target, SHARED_FILE_MODE, gid=gid)
                    except LinkedFileError:  # swapped for a link meanwhile
                        skipped.append(target)
            dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skipped]
        atomic_write_bytes(root / SHARE_MARKER, b"shared with the folder's group\n", mode=0o660)
    except LinkedFileError as error:
        raise StoreError(
            _("could not share {root}: {error}").format(root=root, error=error)
        ) from None
    except OSError as error:
        raise StoreError(
            _("could not share {root}: {reason}").format(root=root, reason=error.strerror)
        ) from None
    group_name = group or grp.getgrgid(root.stat().st_gid).gr_name
    changed.append(
        _("{root} is now shared with the group '{group}' (folders 2770, files 0660)").format(
            root=root, group=group_name
        )
    )
    changed.extend(
        _(
            "left alone: {path} is not a plain file or folder (a symbolic link?); "
            "run 'coprod doctor'"
        ).format(path=path)
        for path in skipped
    )
    return changed
