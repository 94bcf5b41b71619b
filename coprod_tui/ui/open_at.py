"""Open a case in the editor at one section, over the screen the user is reading.

The section review, the perspectives and the coverage matrix all jump to "the
whole case" the same way: the editor is pushed on top of them (so Escape comes
back to where the user was reading) and opened at the section
(:meth:`CoprodApp.open_case_at <coprod_tui.ui.app.CoprodApp.open_case_at>`).
Whatever the reading screen holds unsaved is saved first (``flush``), as the
app does before any editor opens. Through the app, so these screens never
import the editor (which opens the perspectives: no import cycle).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from coprod_tui.ui.app import CoprodApp


async def open_case_at(screen: Screen[Any], case_id: str, section_id: str | None) -> None:
    """Save what ``screen`` holds, then push the editor for ``case_id`` at ``section_id``."""
    flush = getattr(screen, "flush", None)
    if callable(flush):
        flush()
    await cast("CoprodApp", screen.app).open_case_at(case_id, section_id)
