"""Where the writer was in each case, so a case reopens at that section and cursor.

A small JSON file in the user's cache folder (``positions.json``, private:
0600 in a 0700 folder), written through the one atomic writer. It holds case
ids, section ids and cursor positions: never a word of case text. Losing it
costs nothing but the position (a case then opens at section 1), so every
failure to read or write it is silent.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from coprod_tui.core.store.storage import atomic_write_bytes, make_private_folders

#: Cases remembered at most (the most recently left are kept).
MAX_CASES = 500
FILENAME = "positions.json"


@dataclass(frozen=True)
class Position:
    """A section (by id) and the cursor in it (row, column)."""

    section_id: str
    row: int
    column: int


def default_path() -> Path:
    """``positions.json`` in the user's cache folder (``XDG_CACHE_HOME`` on Linux)."""
    from coprod_tui.core.locations import cache_dir

    return cache_dir() / FILENAME


class Positions:
    """Read and remember positions; safe to call from worker threads."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = default_path()
        return self._path

    def _read(self) -> dict[str, dict[str, object]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        cases = data.get("cases") if isinstance(data, dict) else None
        return cases if isinstance(cases, dict) else {}

    def get(self, case_id: str) -> Position | None:
        """Where ``case_id`` was left, if known (reads the file: call it off the loop)."""
        with self._lock:
            entry = self._read().get(case_id)
        if not isinstance(entry, dict):
            return None
        section, row, column = entry.get("section"), entry.get("row"), entry.get("column")
        if not isinstance(section, str) or not isinstance(row, int) or not isinstance(column, int):
            return None
        return Position(section, max(row, 0), max(column, 0))

    def remember(self, case_id: str, position: Position) -> None:
        """Keep ``position`` for ``case_id`` (never raises: a position is a convenience)."""
        with self._lock:
            cases = self._read()
            cases.pop(case_id, None)
            cases[case_id] = {
                "section": position.section_id,
                "row": position.row,
                "column": position.column,
                "at": int(time.time()),
            }
            newest = sorted(cases.items(), key=lambda item: _at(item[1]))[-MAX_CASES:]
            text = json.dumps({"version": 1, "cases": dict(newest)}, indent=1, sort_keys=True)
            try:
                make_private_folders(self.path.parent)
                atomic_write_bytes(self.path, (text + "\n").encode("utf-8"), durable=False)
            except OSError:
                pass


def _at(entry: object) -> int:
    value = entry.get("at") if isinstance(entry, dict) else None
    return value if isinstance(value, int) else 0


def positions_of(app: object) -> Positions:
    """The app's store of positions (``app.positions``), or the user's cache file.

    The file is looked up each time a new one is made: the environment may say where.
    """
    positions = getattr(app, "positions", None)
    return positions if isinstance(positions, Positions) else Positions()
