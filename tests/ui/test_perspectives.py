"""Perspectives: a case's patient-person sections beside its professional-person's.

All people and places are fictional.
"""

from __future__ import annotations

from editor_helpers import open_editor, wait_until
from textual.command import CommandPalette

from coprod_tui.core.template.registry import TemplateRegistry
from coprod_tui.ui.screens.case_editor import CaseEditorScreen
from coprod_tui.ui.screens.case_list import CaseListScreen
from coprod_tui.ui.screens.perspectives import PerspectivesScreen, read_perspectives
from coprod_tui.ui.widgets.section_card import SectionCard

SECTIONS = {
    "situation": "Tallbacka health centre (fictional), a Monday morning.",
    "lived-reality": "Sven, 81, lives alone on a farm; his son fills the pill box on Sundays.",
    "professional-reality": "I had twelve calls waiting and no doctor free before noon.",
}


def _card_text(card: SectionCard) -> str:
    return card.shown_text


async def _open_perspectives(pilot) -> PerspectivesScreen:
    await pilot.pause()
    assert isinstance(pilot.app.screen, CaseListScreen)
    await pilot.press("p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, PerspectivesScreen))
    screen = pilot.app.screen
    await wait_until(pilot, lambda: screen.view is not None and bool(screen.query(SectionCard)))
    return screen


async def test_the_two_perspectives_stand_side_by_side_from_120_columns(app_factory, make_case):
    make_case(sections=SECTIONS)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_perspectives(pilot)
        patient = screen.query_one("#perspective-patient-person")
        professional = screen.query_one("#perspective-professional-person")
        assert patient.region.y == professional.region.y
        assert patient.region.x < professional.region.x
        patient_cards = list(patient.query(SectionCard))
        professional_cards = list(professional.query(SectionCard))
        assert [c.section_id for c in patient_cards] == ["lived-reality"]
        assert [c.section_id for c in professional_cards] == ["professional-reality"]
        assert "pill box" in _card_text(patient_cards[0])
        assert "twelve calls" in _card_text(professional_cards[0])


async def test_below_120_columns_one_perspective_is_above_the_other(app_factory, make_case):
    make_case(sections=SECTIONS)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_perspectives(pilot)
        patient = screen.query_one("#perspective-patient-person")
        professional = screen.query_one("#perspective-professional-person")
        assert patient.region.x == professional.region.x
        assert professional.virtual_region.y > patient.virtual_region.y


async def test_enter_on_a_section_opens_the_case_there_and_escape_comes_back(
    app_factory, make_case
):
    case = make_case(sections=SECTIONS)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_perspectives(pilot)
        await pilot.press("down")
        assert isinstance(screen.focused, SectionCard)
        assert screen.focused.section_id == "professional-reality"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseEditorScreen))
        editor = app.screen
        await editor.until_ready()
        assert editor.case_id == case.id
        assert editor.editor.section_id == "professional-reality"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)


async def test_from_the_editor_enter_goes_to_that_section_in_the_same_editor(
    app_factory, make_case
):
    case = make_case(sections=SECTIONS)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot, case.id)
        await pilot.press(*"Ny rad. ")
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, PerspectivesScreen))
        screen = app.screen
        await wait_until(pilot, lambda: bool(screen.query(SectionCard)))
        # What was typed in the editor was saved before the perspectives read the case.
        assert "Ny rad." in case_text(app, case.id, "situation")
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: app.screen is editor)
        assert editor.editor.section_id == "professional-reality"
        assert sum(isinstance(s, CaseEditorScreen) for s in app.screen_stack) == 1


def case_text(app, case_id: str, section_id: str) -> str:
    return app.store.load(case_id).text(section_id)


async def test_the_palette_offers_the_perspectives_of_the_selected_case(app_factory, make_case):
    make_case(sections=SECTIONS)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Perspectives of")
        palette = app.screen
        await wait_until(pilot, lambda: palette.query_one("CommandList").option_count > 0)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PerspectivesScreen))


def test_a_template_without_those_perspectives_is_one_clear_line(templates: TemplateRegistry):
    template = templates.default()._replace(perspectives=())
    view = read_perspectives("Gunnel, 52", template, {"situation": "Natten."})
    assert view.columns == ()
    assert "no patient-person or professional-person perspective" in view.problem
    assert "\n" not in view.problem


async def test_a_case_whose_template_lacks_them_shows_the_line_not_columns(
    app_factory, make_case, monkeypatch
):
    make_case(sections=SECTIONS)
    app = app_factory()
    original = app.template_for

    def no_perspectives(template_id: str):
        found = original(template_id)
        return found._replace(perspectives=()) if found is not None else None

    monkeypatch.setattr(app, "template_for", no_perspectives)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, PerspectivesScreen))
        screen = app.screen
        await wait_until(pilot, lambda: screen.view is not None)
        assert not screen.query(SectionCard)
        note = screen.query_one("#perspectives-note")
        assert "no patient-person" in str(note.render())


async def test_every_key_is_in_the_palette_and_in_help(app_factory, make_case):
    from test_help import expected_rows, help_rows, shown_pairs
    from test_keys import _assert_every_binding_is_a_command

    from coprod_tui.ui.screens.help import HelpScreen

    make_case(sections=SECTIONS)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_perspectives(pilot)
        titles = _assert_every_binding_is_a_command(screen)
        assert "Open this section in the editor" in titles
        expected = expected_rows(app, screen)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert shown_pairs(help_rows(app.screen)) == expected
