"""Snapshots of the case editor at 80×24 and 120×40 (fixed clock, fictional case).

Deterministic by construction: a fixed clock, no cursor blink, a fixed
terminal size, and the editor waits for its own mounting before the picture.
Regenerate with ``pytest --snapshot-update`` and look at the SVGs before
committing them.
"""

from __future__ import annotations

from editor_helpers import open_editor
from textual.widgets import Input

SNAPSHOT_SECTIONS = {
    "situation": (
        "Ekudden health centre (fictional), a Tuesday. I am the GP on the "
        "afternoon list when Britt, 74, comes in with her husband Olle.\n\n"
        "What prompted your involvement in the situation?\n"
        "Olle asked for the appointment; Britt says she is only tired."
    ),
    "lived-reality": "Britt and Olle live in a flat on the third floor; the lift is often broken.",
    "emotions": "Olle is worried and a little angry; Britt is embarrassed to be here.",
}


def editor_app(app_factory, make_case):
    case = make_case(
        "Britt, 74: tired, and a husband who worries",
        sections=SNAPSHOT_SECTIONS,
        fields={"setting": "Ekudden health centre (fictional)", "role": "GP"},
    )

    async def open_case(pilot) -> None:
        await open_editor(pilot, case.id)
        await pilot.pause()

    return app_factory(), open_case


def test_editor_120x40(snap_compare, app_factory, make_case):
    app, open_case = editor_app(app_factory, make_case)
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_case)


def test_editor_80x24(snap_compare, app_factory, make_case):
    app, open_case = editor_app(app_factory, make_case)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_case)


def test_editor_80x24_questions_shown(snap_compare, app_factory, make_case):
    app, open_case = editor_app(app_factory, make_case)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_case, press=["f2"])


def test_editor_60x20_compact(snap_compare, app_factory, make_case):
    app, open_case = editor_app(app_factory, make_case)
    assert snap_compare(app, terminal_size=(60, 20), run_before=open_case)


def test_fields_form_80x24(snap_compare, app_factory, make_case):
    app, open_case = editor_app(app_factory, make_case)

    async def open_form(pilot) -> None:
        await open_case(pilot)
        await pilot.press("f3")
        await pilot.pause()
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_form)


def test_orphans_dialog_80x24(snap_compare, app_factory, make_case):
    case = make_case(
        "Britt, 74: tired, and a husband who worries",
        sections=SNAPSHOT_SECTIONS,
        orphans={"first-impressions": "Notes from our old team template, kept as orphaned text."},
    )

    async def open_orphans(pilot) -> None:
        await open_editor(pilot, case.id)
        pilot.app.clear_notifications()  # the "orphaned text" notice would cover the dialog
        await pilot.press("f5")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=(80, 24), run_before=open_orphans)
