"""Cross-process locks on lock files that are never deleted.

``fcntl.flock`` on a separate, permanent lock file: the data files themselves
are replaced on every save, so a lock on them would lock a file that is no
longer the current one. A lock file is never deleted (deleting it would let two
processes hold "the" lock on two different inodes). The kernel drops the lock
when the process dies, so a SIGKILLed writer never leaves a stale lock.

Waiting polls with a short, growing sleep so a wait can time out: a process
stopped with Ctrl-Z while holding a lock must not hang everyone else forever.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from coprod_tui.core.i18n import _
from coprod_tui.core.store.storage import FILE_MODE

_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

#: How long to wait for a lock before giving up with a clear error.
DEFAULT_TIMEOUT = 30.0


class LockTimeout(TimeoutError):
    """Another process held the lock for longer than the timeout."""


@contextmanager
def file_lock(
    path: Path, *, mode: int = FILE_MODE, timeout: float = DEFAULT_TIMEOUT
) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (created 0600 if missing).

    Raises :class:`LockTimeout` after ``timeout`` seconds, or ``OSError`` if
    the lock file cannot be opened or created.
    """
    # O_RDONLY is enough for flock and lets group members of a shared store
    # lock a file another member created.
    fd = os.open(path, os.O_RDONLY | os.O_CREAT | _O_CLOEXEC | _O_NOFOLLOW, mode)
    try:
        _fix_mode(fd, mode)
        _acquire(fd, timeout)
        yield
    finally:
        os.close(fd)  # closing the last descriptor releases the lock


def _fix_mode(fd: int, mode: int) -> None:
    info = os.fstat(fd)
    if info.st_mode & 0o777 != mode and info.st_uid == os.geteuid():
        os.fchmod(fd, mode)


def _acquire(fd: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    delay = 0.0005
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if time.monotonic() >= deadline:
            raise LockTimeout(
                _("waited {timeout:.0f} s for a lock held by another process").format(
                    timeout=timeout
                )
            )
        time.sleep(delay)
        delay = min(delay * 2, 0.02)
