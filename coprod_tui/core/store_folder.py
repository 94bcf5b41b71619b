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
from dataclasses import dataclass
from pathlib import Path

from coprod_tui.core.case import utc_now
from coprod_tui.core.storage import DIR_MODE, FILE_MODE, atomic_write_bytes, fsync_dir
from coprod_tui.core.store_types import StoreError, UnsafeStoreError

#: Marks a folder as a coprod store (so we never take over an unrelated folder).
STORE_MARKER = "coprod-store.json"
#: Marks a store deliberately shared with its Unix group.
SHARE_MARKER = "shared-with-group"
#: Sub-folders of a store.
SUBFOLDERS = ("cases", "trash", "history", "locks", "damaged")
STORE_FORMAT = 1

SHARED_FILE_MODE = 0o660
SHARED_DIR_MODE = 0o2770


@dataclass(frozen=True)
class FolderPolicy:
    """How files are created in this store."""

    shared: bool
    file_mode: int
    dir_mode: int


PRIVATE = FolderPolicy(shared=False, file_mode=FILE_MODE, dir_mode=DIR_MODE)
SHARED = FolderPolicy(shared=True, file_mode=SHARED_FILE_MODE, dir_mode=SHARED_DIR_MODE)


def prepare_store_folder(path: Path, *, create: bool) -> tuple[Path, FolderPolicy]:
    """Check (and if asked, create) a store folder; returns its path and policy.

    Raises :class:`UnsafeStoreError` for a folder others could tamper with and
    :class:`StoreError` when the folder is missing, not a folder, or not a
    store.
    """
    root = Path(os.path.abspath(os.path.expanduser(os.fspath(path))))
    try:
        link = root.lstat()
    except FileNotFoundError:
        if not create:
            raise StoreError(f"no store at {root} (create one with 'coprod new')") from None
        _make_folder(root, PRIVATE.dir_mode, parents=True)
        link = root.lstat()
    except OSError as error:
        raise StoreError(f"cannot open the store {root}: {error.strerror}") from None

    if stat.S_ISLNK(link.st_mode) and link.st_uid not in (os.geteuid(), 0):
        raise UnsafeStoreError(
            f"the store path {root} is a symlink owned by another user; "
            "point --store at a folder of your own"
        )
    try:
        info = root.stat()
    except FileNotFoundError:
        raise StoreError(f"the store path {root} is a symlink to nothing") from None
    if not stat.S_ISDIR(info.st_mode):
        raise StoreError(f"the store path {root} is not a folder")

    policy = SHARED if (root / SHARE_MARKER).exists() else PRIVATE
    _check_folder(root, info, policy)
    _ensure_is_store(root, policy)
    for name in SUBFOLDERS:
        _ensure_subfolder(root / name, policy)
    return root, policy


def _check_folder(root: Path, info: os.stat_result, policy: FolderPolicy) -> None:
    uid = os.geteuid()
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o002:
        raise UnsafeStoreError(
            f"the store {root} can be changed by any user; run 'chmod 700 {root}' and try again"
        )
    if policy.shared:
        if info.st_uid != uid and info.st_gid not in os.getgroups() and info.st_gid != os.getgid():
            raise UnsafeStoreError(f"the shared store {root} belongs to a group you are not in")
    else:
        if info.st_uid != uid:
            raise UnsafeStoreError(
                f"the store {root} belongs to another user; use a folder of your own"
            )
        if mode & 0o020:
            raise UnsafeStoreError(
                f"the store {root} is writable by its group; run 'chmod 700 {root}' "
                "(or share it on purpose with 'coprod doctor --share-with-group')"
            )
    if mode != policy.dir_mode and info.st_uid == uid:
        # Readable by others, or missing bits we need: tighten, best effort
        # (a read-only store can still be read).
        with contextlib.suppress(OSError):
            os.chmod(root, policy.dir_mode)


def _ensure_is_store(root: Path, policy: FolderPolicy) -> None:
    """Refuse to take over a non-empty folder that is not a store."""
    marker = root / STORE_MARKER
    if marker.exists():
        return
    entries = [name for name in os.listdir(root) if not name.startswith(".")]
    if any(name not in SUBFOLDERS and name != SHARE_MARKER for name in entries):
        raise StoreError(
            f"{root} holds other files and is not a coprod store; "
            "choose an empty or new folder for --store"
        )
    body = json.dumps({"format": STORE_FORMAT, "created": utc_now()}).encode()
    try:
        atomic_write_bytes(marker, body + b"\n", mode=policy.file_mode)
    except OSError as error:
        raise StoreError(f"cannot create a store in {root}: {error.strerror}") from None


def _ensure_subfolder(folder: Path, policy: FolderPolicy) -> None:
    try:
        info = folder.lstat()
    except FileNotFoundError:
        try:
            _make_folder(folder, policy.dir_mode)
        except OSError as error:
            raise StoreError(f"cannot create {folder}: {error.strerror}") from None
        return
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise UnsafeStoreError(
            f"{folder} is not a plain folder (a symlink?); move it away and try again"
        )
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o002 or (mode & 0o020 and not policy.shared):
        if info.st_uid != os.geteuid():
            raise UnsafeStoreError(
                f"{folder} can be changed by other users; run 'chmod 700 {folder}'"
            )
        try:
            os.chmod(folder, policy.dir_mode)
        except OSError as error:
            raise UnsafeStoreError(
                f"{folder} can be changed by other users; run 'chmod 700 {folder}'"
            ) from error


def _make_folder(folder: Path, mode: int, *, parents: bool = False) -> None:
    """``mkdir`` with an exact mode (the umask cannot widen or narrow it)."""
    if parents and not folder.parent.exists():
        _make_folder(folder.parent, DIR_MODE, parents=True)
    try:
        os.mkdir(folder, mode & 0o777)
    except FileExistsError:
        return
    os.chmod(folder, mode)
    fsync_dir(folder.parent)


def share_with_group(root: Path, group: str | None = None) -> list[str]:
    """Opt a store in to sharing with a Unix group; returns what was changed.

    Only the store's owner can do this. ``group`` (a group name) also changes
    the group of the whole tree; without it the folder's current group is kept.
    """
    import grp

    info = root.stat()
    if info.st_uid != os.geteuid():
        raise StoreError(f"only the owner of {root} can share it")
    gid = -1
    if group:
        try:
            gid = grp.getgrnam(group).gr_gid
        except KeyError:
            raise StoreError(f"no such group: {group}") from None
    changed: list[str] = []
    try:
        for folder, _dirs, files in os.walk(root):
            os.chown(folder, -1, gid)
            os.chmod(folder, SHARED_DIR_MODE)
            for name in files:
                target = os.path.join(folder, name)
                os.chown(target, -1, gid)
                os.chmod(target, SHARED_FILE_MODE)
        atomic_write_bytes(root / SHARE_MARKER, b"shared with the folder's group\n", mode=0o660)
    except OSError as error:
        raise StoreError(f"could not share {root}: {error.strerror}") from None
    group_name = group or grp.getgrgid(root.stat().st_gid).gr_name
    changed.append(f"{root} is now shared with the group '{group_name}' (folders 2770, files 0660)")
    return changed
