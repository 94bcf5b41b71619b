"""Crash-safe, private JSON files (the one atomic writer), and a TinyDB storage built on them.

Stock TinyDB writes its file in place (a crash tears it), creates it with the
umask's permissions (often world-readable) and creates a missing file on read.
Cases hold sensitive notes about real people, so every file the store writes
goes through :func:`atomic_write_bytes`:

1. a temp file in the *same folder* (so the rename cannot cross file systems),
   created with ``O_EXCL`` and ``fchmod``-ed to 0600 whatever the umask;
2. write everything, ``fsync`` the file;
3. ``os.replace`` it over the target (atomic: readers see old or new, never a
   mix, even if the writer is SIGKILLed at any instant);
4. ``fsync`` the folder so the rename itself survives a power cut.

Reading never creates anything, and a file that fails to parse raises
:class:`DamagedFileError`; callers must then leave that file alone (it may be
the only copy of someone's text).

Reading never follows a symbolic link either (``O_NOFOLLOW``) and opens only
regular files: a case file someone replaced by a link to a file outside the
store must never be shown, exported or copied into the store, so it raises
:class:`LinkedFileError` (a :class:`DamagedFileError`, so every caller already
leaves it alone and ``coprod doctor`` reports it).
"""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
from contextlib import suppress
from pathlib import Path
from typing import Any

from coprod_tui.core.errors import OperationalError

#: Mode of every file the store writes (private to the user).
FILE_MODE = 0o600
#: Mode of every folder the store creates.
DIR_MODE = 0o700
#: Suffix of in-flight temp files; a crashed writer may leave one behind.
TEMP_SUFFIX = ".tmp"

_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
#: Opening a FIFO planted in the store must not hang a read (regular files ignore it).
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def _(message: str) -> str:
    """``message`` in the user's language (``core.i18n._``), looked up rather than imported.

    ``core.i18n`` reads the settings file through ``core.locations``, which sits on
    this module, so importing it here would close an import cycle. The CLI and the
    workbench load ``core.i18n`` before anything is stored; until then (or when it
    never is) a message stays English.
    """
    i18n = sys.modules.get("coprod_tui.core.i18n")
    return message if i18n is None else str(i18n._(message))


class DamagedFileError(OperationalError):
    """A file exists but is not the JSON we wrote; it must not be written over."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(
            _("{path} is damaged ({reason}); it was left untouched").format(
                path=self.path, reason=reason
            )
        )


class LinkedFileError(DamagedFileError):
    """A store entry is a symbolic link (or not a regular file): never read or written through."""

    def __init__(self, path: Path, reason: str | None = None) -> None:
        self.path = Path(path)
        self.reason = _("a symbolic link") if reason is None else reason
        OperationalError.__init__(
            self,
            _(
                "{path} is {reason}, which coprod never follows; it was left untouched — "
                "run 'coprod doctor'"
            ).format(path=self.path, reason=self.reason),
        )


def temp_path_for(path: Path) -> Path:
    """A fresh, hidden temp name beside ``path`` (same folder, same file system)."""
    # os.urandom, not secrets: the name needs no more than unpredictability,
    # and importing secrets (hashlib, random) costs every CLI command.
    return path.with_name(f".{path.name}.{os.urandom(6).hex()}{TEMP_SUFFIX}")


def is_temp_name(name: str) -> bool:
    """Whether a folder entry is one of our in-flight temp files."""
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename is only durable once its folder is)."""
    fd = os.open(folder, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)
    try:
        os.fsync(fd)
    except OSError as error:
        # Some file systems cannot fsync a folder; the data itself is synced.
        if error.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def atomic_write_bytes(
    path: Path | str,
    data: bytes,
    *,
    mode: int = FILE_MODE,
    durable: bool = True,
    overwrite: bool = True,
) -> None:
    """Replace ``path`` with ``data`` atomically, privately and durably.

    On any failure (disk full, permission denied, read-only file system) the
    previous file is left exactly as it was, the temp file is removed and the
    ``OSError`` propagates. ``durable=False`` skips the fsyncs; only for bulk
    work that syncs afterwards itself. ``overwrite=False`` creates a new file
    only: it raises ``FileExistsError`` if ``path`` exists, even if it appears
    while the data is being written (the temp file is hard-linked into place).
    """
    target = Path(path)
    temp = temp_path_for(target)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_CLOEXEC | _O_NOFOLLOW, mode)
    try:
        try:
            os.fchmod(fd, mode)  # beat the umask, whatever it is
            _write_all(fd, data)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        if overwrite:
            os.replace(temp, target)
        else:
            _link_into_place(temp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
    if durable:
        fsync_dir(target.parent)


def _link_into_place(temp: Path, target: Path) -> None:
    """Give ``temp`` the name ``target`` unless that name exists (``FileExistsError``)."""
    try:
        os.link(temp, target)
    except FileExistsError:
        raise
    except OSError:
        # No hard links here (some network or FAT file systems): check, then rename.
        if os.path.lexists(target):
            raise FileExistsError(target) from None
        os.rename(temp, target)
        return
    os.unlink(temp)


def encode_json(data: Any) -> bytes:
    """Compact JSON (UTF-8, one line: the C encoder), for the catalog and other caches.

    Case files use the diff-friendly layout of :mod:`coprod_tui.core.store.case_file`.

    ``ValueError`` if the data holds text that cannot be stored as UTF-8 (a
    lone surrogate), so a caller never writes something it cannot read back.
    """
    try:
        return json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(
            _("the text holds characters that cannot be saved (lone surrogate)")
        ) from (error)


#: The largest JSON file coprod parses (a case, a catalog snapshot, an
#: import). Anything bigger is refused before parsing: no real case comes
#: near it, and parsing a hostile giant would take the memory of the machine.
MAX_JSON_BYTES = 64 * 1024 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError("a number too large for JSON")
    return value


def decode_json(raw: bytes, path: Path) -> Any:
    """Parse bytes written by :func:`encode_json`; :class:`DamagedFileError` if they aren't.

    Strict where Python's ``json`` is lenient: ``NaN``/``Infinity`` and
    numbers that overflow to infinity (``1e999``) are refused, as are files
    over :data:`MAX_JSON_BYTES`; a leading UTF-8 BOM (some editors add one)
    is skipped. Every failure, including an integer too long for Python to
    convert and nesting too deep to parse, is a :class:`DamagedFileError`.
    """
    if len(raw) > MAX_JSON_BYTES:
        limit = MAX_JSON_BYTES // (1024 * 1024)
        raise DamagedFileError(
            path, _("larger than {limit} MB, too big to be a coprod file").format(limit=limit)
        )
    if raw.startswith(_UTF8_BOM):
        raw = raw[len(_UTF8_BOM) :]
    if not raw.strip():
        raise DamagedFileError(path, _("empty file"))
    try:
        text = raw.decode("utf-8")
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except UnicodeDecodeError:
        raise DamagedFileError(path, _("not UTF-8")) from None
    except json.JSONDecodeError as error:
        raise DamagedFileError(
            path, _("bad JSON at line {lineno}").format(lineno=error.lineno)
        ) from None
    except RecursionError:
        raise DamagedFileError(path, _("nested too deeply")) from None
    except ValueError as error:  # NaN, 1e999, an integer of thousands of digits
        reason = _("a number too long") if "digits" in str(error) else str(error)
        raise DamagedFileError(path, reason) from None


def open_nofollow(path: Path | str) -> int:
    """Open a regular file for reading without following a link; returns the descriptor.

    ``FileNotFoundError`` if absent; :class:`LinkedFileError` if ``path`` is a
    symbolic link or anything but a regular file (a FIFO, a device, a folder).
    """
    target = Path(path)
    try:
        fd = os.open(target, os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_CLOEXEC)
    except OSError as error:
        if error.errno == errno.ELOOP or (error.errno == errno.EISDIR):
            raise _not_plain(target) from None
        raise
    try:
        info = os.fstat(fd)
    except BaseException:
        os.close(fd)
        raise
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise _not_plain(target)
    return fd


def _not_plain(path: Path) -> LinkedFileError:
    """The error for a store entry that is a link or not a regular file."""
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            return LinkedFileError(path)
    except OSError:
        pass
    return LinkedFileError(path, _("not a regular file"))


def _read_fd(fd: int, limit: int | None = None) -> bytes:
    """Everything, or the first ``limit`` bytes, of an open file."""
    chunks = []
    left = limit
    while left is None or left > 0:
        chunk = os.read(fd, 1 << 20 if left is None else min(1 << 20, left))
        if not chunk:
            break
        chunks.append(chunk)
        if left is not None:
            left -= len(chunk)
    return b"".join(chunks)


def read_bytes(path: Path | str, *, limit: int | None = None) -> bytes:
    """The bytes (at most ``limit``) of a regular file, never through a link.

    See :func:`open_nofollow`.
    """
    fd = open_nofollow(path)
    try:
        return _read_fd(fd, limit)
    finally:
        os.close(fd)


def read_json(path: Path | str) -> Any:
    """Read and parse a JSON file. ``FileNotFoundError`` if absent; never creates it.

    Never follows a link: :class:`LinkedFileError` for a link or a non-file.
    """
    target = Path(path)
    return decode_json(read_bytes(target, limit=MAX_JSON_BYTES + 1), target)


def read_json_with_stat(path: Path | str) -> tuple[Any, os.stat_result]:
    """Like :func:`read_json`, plus the ``fstat`` of the very file that was read.

    Files are only ever replaced, never modified in place, so the stat of the
    open handle always describes exactly the bytes that were parsed.
    """
    target = Path(path)
    fd = open_nofollow(target)
    try:
        info = os.fstat(fd)
        raw = _read_fd(fd, MAX_JSON_BYTES + 1)
    finally:
        os.close(fd)
    return decode_json(raw, target), info


def chmod_nofollow(path: Path | str, mode: int, *, gid: int = -1) -> None:
    """``chmod`` (and with ``gid``, ``chgrp``) a file or folder, never through a link.

    The entry is opened with ``O_NOFOLLOW`` and changed through its descriptor,
    so a file swapped for a link between a check and the change is refused
    (:class:`LinkedFileError`), never changed outside the store.
    """
    target = Path(path)
    try:
        fd = os.open(target, os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_CLOEXEC)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise LinkedFileError(target) from None
        if error.errno != errno.EACCES:
            raise
        # Not readable by its owner (mode 0000 and not root): check, then chmod by name.
        if stat.S_ISLNK(os.lstat(target).st_mode):
            raise LinkedFileError(target) from None
        if gid != -1:
            os.chown(target, -1, gid, follow_symlinks=False)
        os.chmod(target, mode)
        return
    try:
        kind = stat.S_IFMT(os.fstat(fd).st_mode)
        if kind not in (stat.S_IFREG, stat.S_IFDIR):
            raise LinkedFileError(target, _("not a regular file or folder"))
        if gid != -1:
            os.fchown(fd, -1, gid)
        os.fchmod(fd, mode)
    finally:
        os.close(fd)


def make_private_folders(folder: Path | str, mode: int = DIR_MODE) -> None:
    """Create ``folder`` and any missing parents, each with exactly ``mode``.

    ``mkdir -p`` leaves the modes to the umask (0777 under umask 000); every
    folder coprod creates (config, data, store) must be private whatever the
    umask. Folders that already exist are left exactly as they are.
    """
    target = Path(os.path.abspath(os.fspath(folder)))
    missing: list[Path] = []
    probe = target
    while not os.path.lexists(probe) and probe.parent != probe:
        missing.append(probe)
        probe = probe.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, mode & 0o777)
        except FileExistsError:
            continue  # made meanwhile by someone else: theirs, leave it alone
        os.chmod(path, mode)
        fsync_dir(path.parent)


def describe_os_error(error: OSError) -> str:
    """A short, plain-language reason for an ``OSError`` (for one-line messages)."""
    reasons = {
        errno.ENOSPC: _("the disk is full"),
        errno.EFBIG: _("the file would be larger than allowed (file-size limit)"),
        errno.EDQUOT: _("your disk quota is used up"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("operation not permitted"),
        errno.EROFS: _("the store is on a read-only file system"),
        errno.EIO: _("an input/output error (failing disk?)"),
        errno.ENOENT: _("a file or folder is missing"),
        errno.ELOOP: _("a symbolic link is in the way (coprod never follows one)"),
    }
    reason = reasons.get(error.errno or 0) or (error.strerror or str(error))
    return reason
