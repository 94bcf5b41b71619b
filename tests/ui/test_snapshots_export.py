"""Snapshots of the export dialog at 80×24 and 120×40.

Deterministic: a fixed clock, fixed texts, no cursor blink; the file name is the
default (``~/…``, not expanded). The case holds a fictional phone number, so the
warning about identifying details shows and redaction is on. All fictional.
"""

from __future__ import annotations

import pytest
from editor_helpers import wait_until
from textual.widgets import Input

from coprod_tui.ui.dialogs.export import ExportDialog
from coprod_tui.ui.screens.case_list import CaseListScreen

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES)
def test_export_dialog(snap_compare, app_factory, make_case, size):
    make_case(
        "Sven, 81: the pill box and the Sunday visits",
        sections={"situation": "His son calls from 070-123 45 67 on Monday morning."},
    )
    app = app_factory()

    async def dialog(pilot) -> None:
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CaseListScreen))
        await wait_until(pilot, lambda: pilot.app.screen.selected_summary() is not None)
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ExportDialog))
        screen = pilot.app.screen
        await wait_until(pilot, lambda: screen.identifiers is not None)
        for field in screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=dialog)
