"""Snapshot of the trash: last deleted first, when, and the keys to restore or erase.

Deterministic: a fixed clock and a fixed catalog (no real store). All cases are fictional.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from editor_helpers import until_stored

from coprod_tui.core.config import Config
from coprod_tui.core.store import CaseSummary
from coprod_tui.ui.launch import create_app

NOW = datetime(2024, 3, 12, 14, 3, 12, tzinfo=UTC)


def trashed(n: int, title: str, updated: str, deleted: str) -> tuple[CaseSummary, float]:
    summary = CaseSummary(
        id=f"00000000-0000-4000-8000-{n:012d}",
        title=title,
        template_id="batalden-primary-care",
        tags=(),
        updated=updated,
        filled=(),
        revision=2,
        trashed=True,
    )
    return summary, datetime.fromisoformat(deleted).timestamp()


TRASH = [
    trashed(
        1,
        "Rune, 88: the hearing aid and the phone",
        "2024-01-10T09:00:00Z",
        "2024-03-12T14:01:00+00:00",
    ),
    trashed(2, "Gunnel, 52: the night calls", "2024-03-12T10:00:00Z", "2024-03-12T11:30:00+00:00"),
    trashed(3, "[b]Markup[/b] stays literal", "2023-11-30T08:00:00Z", "2024-03-01T08:00:00+00:00"),
]


class TrashOnlyStore:
    """Just enough of CaseStore for the list and the trash."""

    path = Path("/home/anna/.local/share/coprod/store")

    def list_cases(self, *, include_trashed: bool = False) -> list[CaseSummary]:
        return [summary for summary, _ in TRASH] if include_trashed else []

    def list_trash_by_deletion(self) -> list[tuple[CaseSummary, float]]:
        return list(TRASH)


def test_trash_80x24(snap_compare, templates):
    app = create_app(
        store := TrashOnlyStore(),  # type: ignore[arg-type]
        templates,
        Config(),
        clock=lambda: NOW,
        handle_signals=False,
    )
    assert store is app.store

    async def open_trash(pilot) -> None:
        """b, then down, each once the store work it started (off the loop) is shown."""
        await until_stored(pilot)
        await pilot.press("b")
        await until_stored(pilot)
        await pilot.press("down")
        await until_stored(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_trash)
