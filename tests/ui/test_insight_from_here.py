""" "New insight from here" in the editor and the section review, the editor's "cited by N
insights" marker and its list of them.

All people, places and text are fictional.
"""

from __future__ import annotations

from editor_helpers import burst, until_stored, until_typed, wait_until
from textual.widgets.text_area import Selection

from coprod_tui.core.insights.anchoring import make_link
from coprod_tui.core.insights.model import new_insight
from coprod_tui.core.insights.store import insights_of
from coprod_tui.ui.commands import palette_commands
from coprod_tui.ui.dialogs.insight_form import InsightForm
from coprod_tui.ui.screens.case_editor import CaseEditorScreen
from coprod_tui.ui.screens.insight_detail import InsightDetailScreen
from coprod_tui.ui.screens.insights import InsightsScreen
from coprod_tui.ui.screens.section_review import EntryList, SectionReviewScreen
from coprod_tui.ui.widgets.section_editor import SectionEditor

#: "the pill box" occurs twice: the link must quote the one selected.
TEXT = (
    "Sven's son fills the pill box on Sundays. On Wednesday the nurse finds "
    "the pill box empty and Sven confused."
)
SECOND = TEXT.rindex("the pill box")


def select_in(editor: SectionEditor, start: int, end: int) -> None:
    editor.selection = Selection((0, start), (0, end))


def marker(screen: CaseEditorScreen) -> str:
    widget = screen.query_one("#cited-by")
    return str(widget.render()) if widget.display else ""


async def test_the_selection_becomes_the_quote_and_the_marker_counts_it(editing, store) -> None:
    async with editing(sections={"situation": TEXT}) as (app, pilot, screen, case):
        assert marker(screen) == ""
        select_in(screen.editor, SECOND, SECOND + len("the pill box"))
        await burst(pilot, "ctrl+n", *"Pill boxes need a second look", "enter")
        await until_typed(pilot)
        await until_stored(pilot)
        assert app.screen is screen
        made = insights_of(store).list_insights()
        assert [i.title for i in made] == ["Pill boxes need a second look"]
        link = made[0].links[0]
        assert (link.case_id, link.section_id, link.quote) == (case.id, "situation", "the pill box")
        # The second occurrence, the one selected: its context is Wednesday's.
        assert link.before.endswith("the nurse finds ")
        await wait_until(pilot, lambda: marker(screen).startswith("◆1"))
        assert "cited by 1 insight" in marker(screen)


async def test_unsaved_text_is_saved_first_so_the_quote_is_found(editing, store) -> None:
    async with editing(sections={"situation": ""}) as (app, pilot, screen, case):
        await burst(pilot, *"Leyla (fictional) needed a tolk per telefon.")
        await until_typed(pilot)
        editor = screen.editor
        start = editor.text.index("tolk per telefon")
        select_in(editor, start, start + len("tolk per telefon"))
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, InsightForm))
        assert "tolk per telefon" in str(app.screen.query_one("#insight-links").render())
        await burst(pilot, *"Interpreters by phone", "ctrl+s")
        await until_typed(pilot)
        await until_stored(pilot)
        (made,) = insights_of(store).list_insights()
        assert made.links[0].quote == "tolk per telefon"
        assert store.load(case.id).text("situation").endswith("tolk per telefon.")


async def test_without_a_selection_the_section_is_linked_and_escape_makes_nothing(
    editing, store
) -> None:
    async with editing(sections={"situation": TEXT}) as (app, pilot, screen, case):
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, InsightForm))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        assert insights_of(store).list_insights() == []
        await pilot.press("ctrl+pagedown", "ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, InsightForm))
        await burst(pilot, *"Lived reality matters", "enter")
        await until_typed(pilot)
        await until_stored(pilot)
        (made,) = insights_of(store).list_insights()
        assert made.links[0].section_id == "lived-reality" and made.links[0].quote == ""


async def test_ctrl_b_lists_the_insights_citing_this_section(editing, store) -> None:
    async with editing(sections={"situation": TEXT}) as (app, pilot, screen, case):
        stored = store.load(case.id)
        insights = insights_of(store)
        cited = insights.create(
            new_insight("Sunday routines", links=[make_link(stored, "situation", "on Sundays")])
        )
        insights.create(new_insight("Elsewhere", links=[make_link(stored, "lived-reality")]))
        insights.create(new_insight("Unlinked"))
        screen.read_citations()
        await wait_until(pilot, lambda: marker(screen).startswith("◆1"))
        # The marker follows the section shown.
        await pilot.press("ctrl+pagedown")
        await wait_until(pilot, lambda: marker(screen).startswith("◆1"))
        await pilot.press("ctrl+pageup")
        names = [c.name for c in palette_commands(screen)]
        assert "Insights citing this section" in names
        assert any(n.startswith("New insight from here") for n in names)
        await burst(pilot, "f12", "enter")
        await until_typed(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, InsightDetailScreen))
        assert app.screen.insight_id == cited.id
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, InsightsScreen))
        assert [i.title for i in app.screen.shown] == ["Sunday routines"]
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)


async def test_the_section_review_makes_an_insight_from_an_entry(
    app_factory, make_case, store
) -> None:
    case = make_case("Åsa, 67: natten på akuten", sections={"lived-reality": TEXT})
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(SectionReviewScreen("lived-reality"))
        await wait_until(pilot, lambda: isinstance(app.screen, SectionReviewScreen))
        review = app.screen
        await wait_until(pilot, lambda: review.entries is not None)
        review.query_one(EntryList).highlighted = 0
        await burst(pilot, "ctrl+n", *"Åsa's evening", "enter")
        await until_typed(pilot)
        await until_stored(pilot)
        (made,) = insights_of(store).list_insights()
        assert made.title == "Åsa's evening"
        assert (made.links[0].case_id, made.links[0].section_id) == (case.id, "lived-reality")
        # Editing in place: the selection is the quote.
        await pilot.press("enter")
        await wait_until(pilot, lambda: review.inline is not None)
        editor = review.query_one("#inline-editor", SectionEditor)
        await wait_until(pilot, lambda: editor.has_focus)
        select_in(editor, SECOND, SECOND + len("the pill box"))
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, InsightForm))
        await burst(pilot, *"Second look", "enter")
        await until_typed(pilot)
        await until_stored(pilot)
        second = next(i for i in insights_of(store).list_insights() if i.title == "Second look")
        assert second.links[0].quote == "the pill box"
        assert second.links[0].before.endswith("the nurse finds ")
