"""Where each file of a store lives: ``cases/<id>.json``, ``trash/<id>.json``, ``locks/<id>.lock``.

One flat folder per kind keeps the layout obvious to anyone inspecting or
backing up a store by hand. Resolving an id prefix lists the names of one
folder (no file is opened), which takes a few milliseconds even at 10,000
cases; a full id is a single ``stat``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

ACTIVE = "cases"
TRASH = "trash"

#: The folders of the second kind of document, insights (``core/insights/store.py``): named
#: here so the store folder check and the doctor know them. Made on the first insight write,
#: so a store without insights has none of them.
INSIGHTS = "insights"
INSIGHTS_TRASH = "insights-trash"
INSIGHTS_HISTORY = "insights-history"
INSIGHTS_LOCKS = "insights-locks"
INSIGHTS_PURGED = "insights-purged"
INSIGHT_FOLDERS = (INSIGHTS, INSIGHTS_TRASH, INSIGHTS_HISTORY, INSIGHTS_LOCKS, INSIGHTS_PURGED)

_CASE_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def is_case_id(text: str) -> bool:
    """Whether ``text`` is a full, canonical (lower-case) case id."""
    return bool(_CASE_ID.match(text))


def case_file(root: Path, case_id: str) -> Path:
    """The file of an active case."""
    return root / ACTIVE / f"{case_id}.json"


def trash_file(root: Path, case_id: str) -> Path:
    """The file of a trashed case."""
    return root / TRASH / f"{case_id}.json"


def lock_file(root: Path, case_id: str) -> Path:
    """The per-case lock file (never deleted)."""
    return root / "locks" / f"{case_id}.lock"


def purged_mark(root: Path, case_id: str) -> Path:
    """``purged/<id>``: says the case was deleted for good (an insight's link then says so)."""
    return root / "purged" / case_id


def folders_to_scan(root: Path) -> Iterator[tuple[Path, bool]]:
    """(folder, trashed) for every folder that holds case files."""
    yield root / ACTIVE, False
    yield root / TRASH, True


def ids_in(folder: Path, prefix: str = "") -> list[str]:
    """Case ids of the case files directly in ``folder`` that start with ``prefix``."""
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [
        name[:-5]
        for name in names
        if name.startswith(prefix) and name.endswith(".json") and is_case_id(name[:-5])
    ]


def case_ids(root: Path, *, trashed: bool) -> list[str]:
    """Every active (or trashed) case id, sorted."""
    found: list[str] = []
    for folder, in_trash in folders_to_scan(root):
        if in_trash == trashed:
            found.extend(ids_in(folder))
    return sorted(found)
