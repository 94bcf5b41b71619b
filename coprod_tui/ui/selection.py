"""Which row is highlighted, and which keeps the highlight when rows vanish.

Shared by the case list and the trash.

It lives below both screens so neither imports the other (the import-graph
test forbids cycles).
"""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable


def neighbour(selected: str | None, shown: list[str], remaining: set[str]) -> str | None:
    """The row to highlight once ``selected`` may be gone: itself, else the next, else the previous.

    ``shown`` is the order the rows had, ``remaining`` the ids still there. A
    deleted case's highlight thus moves to the case that took its row, never
    back to the first one, so pressing Delete again never hits a stranger.
    """
    if selected is None or selected in remaining:
        return selected
    if selected not in shown:
        return None
    at = shown.index(selected)
    for case_id in shown[at + 1 :]:
        if case_id in remaining:
            return case_id
    for case_id in reversed(shown[:at]):
        if case_id in remaining:
            return case_id
    return None


def highlighted_key(table: DataTable[Any]) -> str | None:
    """The row key (a case id) under the table's cursor, or ``None`` for an empty table."""
    if table.row_count == 0:
        return None
    try:
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
    except Exception:  # cursor outside the table
        return None
    return key.value
