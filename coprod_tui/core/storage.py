"""Crash-safe, private JSON files, and the TinyDB storage built on them.

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
"""

from __future__ import annotations

import errno
import json
import os
import secrets
from contextlib import suppress
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

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


class DamagedFileError(OperationalError):
    """A file exists but is not the JSON we wrote; it must not be written over."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path} is damaged ({reason}); it was left untouched")


def temp_path_for(path: Path) -> Path:
    """A fresh, hidden temp name beside ``path`` (same folder, same file system)."""
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}")


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
        if target.exists():
            raise FileExistsError(target) from None
        os.rename(temp, target)
        return
    os.unlink(temp)


def encode_json(data: Any) -> bytes:
    """The one JSON encoding every store file uses (UTF-8, one line: the C encoder).

    ``ValueError`` if the data holds text that cannot be stored as UTF-8 (a
    lone surrogate), so a caller never writes something it cannot read back.
    """
    try:
        return json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("the text holds characters that cannot be saved (lone surrogate)") from (
            error
        )


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
        raise DamagedFileError(path, f"larger than {limit} MB, too big to be a coprod file")
    if raw.startswith(_UTF8_BOM):
        raw = raw[len(_UTF8_BOM) :]
    if not raw.strip():
        raise DamagedFileError(path, "empty file")
    try:
        text = raw.decode("utf-8")
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except UnicodeDecodeError:
        raise DamagedFileError(path, "not UTF-8") from None
    except json.JSONDecodeError as error:
        raise DamagedFileError(path, f"bad JSON at line {error.lineno}") from None
    except RecursionError:
        raise DamagedFileError(path, "nested too deeply") from None
    except ValueError as error:  # NaN, 1e999, an integer of thousands of digits
        reason = "a number too long" if "digits" in str(error) else str(error)
        raise DamagedFileError(path, reason) from None


def read_json(path: Path | str) -> Any:
    """Read and parse a JSON file. ``FileNotFoundError`` if absent; never creates it."""
    target = Path(path)
    with open(target, "rb") as handle:
        raw = handle.read()
    return decode_json(raw, target)


def read_json_with_stat(path: Path | str) -> tuple[Any, os.stat_result]:
    """Like :func:`read_json`, plus the ``fstat`` of the very file that was read.

    Files are only ever replaced, never modified in place, so the stat of the
    open handle always describes exactly the bytes that were parsed.
    """
    target = Path(path)
    with open(target, "rb") as handle:
        info = os.fstat(handle.fileno())
        raw = handle.read()
    return decode_json(raw, target), info


def describe_os_error(error: OSError) -> str:
    """A short, plain-language reason for an ``OSError`` (for one-line messages)."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EFBIG: "the file would be larger than allowed (file-size limit)",
        errno.EDQUOT: "your disk quota is used up",
        errno.EACCES: "permission denied",
        errno.EPERM: "operation not permitted",
        errno.EROFS: "the store is on a read-only file system",
        errno.EIO: "an input/output error (failing disk?)",
        errno.ENOENT: "a file or folder is missing",
    }
    reason = reasons.get(error.errno or 0) or (error.strerror or str(error))
    return reason


class AtomicJSONStorage(Storage):
    """A TinyDB storage that writes through :func:`atomic_write_bytes`.

    Unlike TinyDB's ``JSONStorage`` it holds no open handle (every read opens
    the file by path, so a replace by another process is always seen), never
    creates a file on read, refuses to parse garbage (raising
    :class:`DamagedFileError` instead of letting TinyDB overwrite it), and
    writes 0600 files regardless of the umask.
    """

    def __init__(self, path: Path | str, *, mode: int = FILE_MODE) -> None:
        super().__init__()
        self.path = Path(path)
        self.mode = mode

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The whole database, or ``None`` when the file does not exist yet."""
        try:
            data = read_json(self.path)
        except FileNotFoundError:
            return None
        if not isinstance(data, dict) or not all(
            isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
            for table in data.values()
        ):
            raise DamagedFileError(self.path, "not a TinyDB database")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Replace the whole database atomically and durably."""
        atomic_write_bytes(self.path, encode_json(data), mode=self.mode)

    def close(self) -> None:
        """Nothing to close: no handle is kept between calls."""


def open_tinydb(path: Path | str, *, mode: int = FILE_MODE) -> TinyDB:
    """A TinyDB database on ``path`` through :class:`AtomicJSONStorage`."""
    return TinyDB(path, storage=AtomicJSONStorage, mode=mode)
