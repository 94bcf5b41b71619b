"""Snapshots of the identifying-details list (F11) at 80×24 and 120×40, and the underlines.

Fictional case; the personnummer is Skatteverket's published test number 20170101-2393,
the mobile number is from PTS's range for fiction, the e-mail and street are invented.
Regenerate with ``--snapshot-update`` and look at the SVGs before committing them.
"""

from __future__ import annotations

from editor_helpers import open_editor, wait_until

from coprod_tui.ui.dialogs.identifiers import IdentifiersDialog

SECTIONS = {
    "situation": (
        "Ekudden health centre (fictional). Britt (pnr 20170101-2393) calls on a Tuesday; "
        "she waited 45 minutes in the phone queue."
    ),
    "lived-reality": "Her son can be reached on 070-174 06 05 or at son@example.se.",
    "emotions": "She lives alone at Lingonstigen 4, 123 45 Ort, since the spring.",
}


def identifiers_app(app_factory, make_case, *, dialog: bool = True):
    case = make_case(
        "Britt, 74: the phone queue",
        sections=SECTIONS,
        fields={"setting": "Ekudden health centre (fictional)", "role": "GP"},
    )

    async def open_list(pilot) -> None:
        await open_editor(pilot, case.id)
        await pilot.pause()
        if dialog:
            await pilot.press("f11")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, IdentifiersDialog))
            await pilot.pause()

    return app_factory(), open_list


def test_identifiers_dialog_80x24(snap_compare, app_factory, make_case):
    app, open_list = identifiers_app(app_factory, make_case)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_list)


def test_identifiers_dialog_120x40(snap_compare, app_factory, make_case):
    app, open_list = identifiers_app(app_factory, make_case)
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_list)


def test_editor_underlines_and_count_120x40(snap_compare, app_factory, make_case):
    app, open_case = identifiers_app(app_factory, make_case, dialog=False)
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_case)
