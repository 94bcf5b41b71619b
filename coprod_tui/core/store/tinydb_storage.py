"""A TinyDB storage for anyone who opens a store's files with TinyDB itself.

coprod reads and writes case files through ``case_file.py``; the files stay
TinyDB databases so scripts can use TinyDB on them. Stock ``JSONStorage``
writes in place (a crash tears the file) and with the umask's modes; this
storage writes through the store's one atomic writer instead. It lives apart
from ``storage.py`` so that no coprod command pays for importing TinyDB.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from coprod_tui.core.i18n import _
from coprod_tui.core.store.storage import (
    FILE_MODE,
    DamagedFileError,
    atomic_write_bytes,
    encode_json,
    read_json,
)


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
            raise DamagedFileError(self.path, _("not a TinyDB database"))
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Replace the whole database atomically and durably."""
        atomic_write_bytes(self.path, encode_json(data), mode=self.mode)

    def close(self) -> None:
        """Nothing to close: no handle is kept between calls."""
