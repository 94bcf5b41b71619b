"""Snapshots of "Export section to file" (Ctrl+L in the editor) at 80×24 and 120×40.

Fixed clock, no cursor blink, a fictional case; the default path starts with
``~``, so the picture does not depend on the home folder. Regenerate with
``pytest --snapshot-update`` and look at the SVGs before committing them.
"""

from __future__ import annotations

import pytest
from editor_helpers import open_editor, wait_until
from textual.widgets import Input

from coprod_tui.ui.dialogs.export_section import ExportSectionDialog


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_export_section_dialog(snap_compare, app_factory, make_case, size):
    case = make_case(
        "Britt, 74: tired, and a husband who worries",
        sections={"situation": "Ekudden health centre (fictional), a Tuesday afternoon."},
        fields={"setting": "Ekudden health centre (fictional)", "role": "GP"},
    )

    async def open_dialog(pilot) -> None:
        await open_editor(pilot, case.id)
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ExportSectionDialog))
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=size, run_before=open_dialog)
