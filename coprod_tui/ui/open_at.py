"""Open a case in the editor at one section, over the screen the user is reading.

The section review, the perspectives and the coverage matrix all jump to "the
whole case" the same way: the editor is pushed on top of them (so Escape comes
back to where the user was reading) and opened at the section with
:class:`~coprod_tui.ui.screens.case_editor.OpenAt`. Whatever the reading
screen holds unsaved is saved first (``flush``), as the app does before any
editor opens.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


async def open_case_at(screen: Screen[Any], case_id: str, section_id: str | None) -> None:
    """Push the editor for ``case_id`` at ``section_id``; return once it can take keys."""
    from coprod_tui.ui.screens.case_editor import CaseEditorScreen, OpenAt

    flush = getattr(screen, "flush", None)
    if callable(flush):
        flush()
    at = OpenAt(section_id) if section_id else None
    editor = CaseEditorScreen(case_id, at=at)
    await screen.app.push_screen(editor)
    await editor.until_ready()
