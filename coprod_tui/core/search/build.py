"""Build a store's search index in a process of its own, at low priority.

A first start of the workbench (or one after the index was damaged, or made
by an older coprod) has to build the index from every case file: 10-15 s at
10,000 cases. Built on a thread of the workbench, that work holds the
interpreter's lock half the time, and every keystroke waits for it. Built
here, in a child process under ``nice``, the workbench's thread only waits
for the child to end (without the lock), and the operating system gives the
typing the CPU first.

    python -m coprod_tui.core.search.build STORE FILE_MODE DIR_MODE

is the child: it builds (or finds current) the index of ``STORE`` exactly as
:meth:`SearchIndex.open` would, and exits 0. :func:`build_apart` is the
parent's side. Nothing here is needed for correctness: if the child cannot
run or fails, the caller opens the index in-process as before, which builds
it itself.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import coprod_tui.core.search.schema as _schema

__all__ = ["APART_FROM", "NICENESS", "build_apart", "needs_build"]

#: How much lower than the workbench the building child runs (``nice``).
NICENESS = 10
#: Stores with fewer case files than this are built in-process: their build takes
#: less than starting a Python child would (~0.6 ms a case against ~150 ms).
APART_FROM = 300


def _has_cases(root: Path, at_least: int) -> bool:
    """Whether the store holds at least ``at_least`` case files (stops counting there)."""
    from coprod_tui.core.store.layout import folders_to_scan

    count = 0
    for folder, _trashed in folders_to_scan(root):
        try:
            with os.scandir(folder) as entries:
                for _entry in entries:
                    count += 1
                    if count >= at_least:
                        return True
        except OSError:
            continue
    return count >= at_least


def needs_build(index_path: Path) -> bool:
    """Whether the index file is missing, damaged or of another version (then it is built)."""
    if not index_path.is_file() or index_path.is_symlink():
        return True
    try:
        conn = sqlite3.connect(index_path, timeout=5)
    except sqlite3.Error:
        return True
    try:
        return not _schema.is_current(conn)
    except sqlite3.Error:
        return True
    finally:
        conn.close()


def build_apart(
    root: Path,
    index_path: Path,
    *,
    file_mode: int,
    dir_mode: int,
    cancel: threading.Event | None = None,
    at_least: int = APART_FROM,
) -> bool:
    """Build the index of the store at ``root`` in a low-priority child, if it needs one.

    Returns once there is nothing to build (or the store holds fewer than
    ``at_least`` case files: the caller builds those itself) or the child has
    ended; ``True`` if a child ran and succeeded. ``cancel`` set meanwhile
    ends the child (a build that is cut off leaves no index: it was writing
    a temp file).
    """
    if cancel is not None and cancel.is_set():
        return False
    if not needs_build(index_path) or not _has_cases(root, at_least):
        return False
    command = [
        sys.executable,
        "-m",
        "coprod_tui.core.search.build",
        str(root),
        oct(file_mode),
        oct(dir_mode),
    ]
    try:
        child = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )
    except OSError:
        return False
    try:
        while True:
            # Cancel first, then wait a little: a cancel that came while the child was
            # starting ends it before it can finish an index nobody wants any more.
            if cancel is not None and cancel.is_set():
                child.terminate()
                child.wait(timeout=10)
                return False
            with contextlib.suppress(subprocess.TimeoutExpired):
                return child.wait(timeout=0.05) == 0
    except BaseException:
        with contextlib.suppress(OSError):
            child.kill()
        raise


def _stop(_signum: int, _frame: object) -> None:
    raise SystemExit(1)  # unwinds the build, which removes its temp file


def main(argv: list[str] | None = None) -> int:
    """The child: build the index of one store at low priority."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3:
        print("usage: python -m coprod_tui.core.search.build STORE FILE_MODE DIR_MODE")
        return 2
    signal.signal(signal.SIGTERM, _stop)
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    from coprod_tui.core.errors import CoprodError
    from coprod_tui.core.search.index import SearchIndex

    index = SearchIndex(Path(args[0]), file_mode=int(args[1], 8), dir_mode=int(args[2], 8))
    try:
        index.open()
    except CoprodError:
        return 1
    finally:
        index.close()
    return 0 if not index.in_memory else 1


if __name__ == "__main__":
    raise SystemExit(main())
