"""Where each file of a store lives.

Active cases are spread over 256 shard folders by the first two hex digits of
their id (``cases/3f/3f2a…json``). Resolving the usual 8-character id prefix
then lists one folder of a few dozen names rather than all 10,000, so a whole
``coprod write 3f2a9c1e …`` process costs the same in a large store as in a
small one. Trashed cases (few) live flat in ``trash/``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

ACTIVE = "cases"
TRASH = "trash"
HEX = "0123456789abcdef"

_CASE_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def is_case_id(text: str) -> bool:
    """Whether ``text`` is a full, canonical (lower-case) case id."""
    return bool(_CASE_ID.match(text))


def case_file(root: Path, case_id: str) -> Path:
    """The file of an active case."""
    return root / ACTIVE / case_id[:2] / f"{case_id}.json"


def trash_file(root: Path, case_id: str) -> Path:
    """The file of a trashed case."""
    return root / TRASH / f"{case_id}.json"


def lock_file(root: Path, case_id: str) -> Path:
    """The per-case lock file (never deleted)."""
    return root / "locks" / f"{case_id}.lock"


def _is_shard(name: str) -> bool:
    return len(name) == 2 and all(char in HEX for char in name)


def folders_to_scan(root: Path, prefix: str = "") -> Iterator[tuple[Path, bool]]:
    """(folder, trashed) for every folder that may hold a case whose id starts with ``prefix``."""
    active = root / ACTIVE
    if len(prefix) >= 2:
        yield active / prefix[:2], False
    else:
        try:
            shards = sorted(os.listdir(active))
        except FileNotFoundError:
            shards = []
        for name in shards:
            if _is_shard(name) and name.startswith(prefix):
                yield active / name, False
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
