"""The Insights screen and an insight's detail: list, filter as you type, new, edit, trash
with undo, Enter opens the detail; each link with its anchor status; Enter on a link opens
the case at that section with the quote selected, Escape comes back.

All people, places and text are fictional.
"""

from __future__ import annotations

import pytest
from editor_helpers import burst, until_stored, until_typed, wait_until
from notices import notices
from textual.widgets import DataTable, Input

from coprod_tui.core.insights.anchoring import make_link
from coprod_tui.core.insights.model import new_insight
from coprod_tui.core.insights.store import insights_of
from coprod_tui.ui.commands import palette_commands
from coprod_tui.ui.dialogs.insight_form import InsightForm
from coprod_tui.ui.screens.case_editor import CaseEditorScreen
from coprod_tui.ui.screens.help import HelpScreen, key_rows
from coprod_tui.ui.screens.insight_detail import InsightDetailScreen, LinkList
from coprod_tui.ui.screens.insights import InsightFilter, InsightsScreen

SIZE = (120, 40)

MARGIT = {
    "situation": "Margit, 78 (fictional), calls the health centre in Ekbacka: andfådd sedan i går.",
    "lived-reality": "Her daughter keeps the list of medicines on the fridge door.",
}
SVEN = {
    "situation": "Sven, 81 (fictional), waits four hours at akuten with his son.",
    "lived-reality": "He lives alone on a farm outside Tallbacka.",
}


@pytest.fixture
def world(store, make_case):
    """Two cases and three insights (one linking both cases, with quotes)."""
    margit = make_case("Margit, 78: andfådd hemma", sections=MARGIT)
    sven = make_case("Sven, 81: the night at akuten", sections=SVEN)
    insights = insights_of(store)
    lists = insights.create(
        new_insight(
            "Relatives keep the medicine list",
            text="The daughter's list on the fridge is the one everybody trusts.",
            tags=["anhörig", "läkemedel"],
            links=[
                make_link(margit, "lived-reality", "the list of medicines"),
                make_link(sven, "situation", "with his son"),
            ],
            now="2024-03-10T10:00:00Z",
        )
    )
    waiting = insights.create(
        new_insight(
            "Waiting at akuten",
            tags=["akut"],
            links=[make_link(sven, "situation", "four hours")],
            now="2024-03-11T10:00:00Z",
        )
    )
    loose = insights.create(new_insight("A thought without links", now="2024-03-09T10:00:00Z"))
    return {"margit": margit, "sven": sven, "lists": lists, "waiting": waiting, "loose": loose}


def table_titles(screen: InsightsScreen) -> list[str]:
    return [insight.title for insight in screen.shown]


def select(screen: InsightsScreen, insight_id: str) -> None:
    """Put the table's cursor on that insight's row."""
    ids = [insight.id for insight in screen.shown]
    screen.query_one(DataTable).move_cursor(row=ids.index(insight_id))


async def open_insights(pilot) -> InsightsScreen:
    await pilot.press("i")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, InsightsScreen))
    screen = pilot.app.screen
    await wait_until(pilot, lambda: screen.insights is not None)
    return screen


def test_filter_words_and_tags() -> None:
    one = new_insight("Relatives keep the list", text="fridge", tags=["Anhörig"])
    assert InsightFilter.parse("#anhörig").keeps(one)
    assert InsightFilter.parse("tag:ANHÖRIG fridge").keeps(one)
    assert not InsightFilter.parse("#akut").keeps(one)
    assert not InsightFilter.parse("akuten").keeps(one)


async def test_i_on_the_case_list_lists_the_insights_newest_first(app_factory, world) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_insights(pilot)
        assert sorted(table_titles(screen)) == [
            "A thought without links",
            "Relatives keep the medicine list",
            "Waiting at akuten",
        ]
        stamps = [(i.updated, i.id) for i in screen.shown]
        assert stamps == sorted(stamps, reverse=True)  # newest first
        table = screen.query_one(DataTable)
        row = [str(cell) for cell in table.get_row(world["lists"].id)]
        assert row[0] == "Relatives keep the medicine list"
        assert row[1] == "anhörig, läkemedel"
        assert row[2] == "2"
        assert "3 insights" in str(screen.query_one("#insights-status").render())
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, InsightsScreen))


async def test_the_palette_offers_insights_everywhere(app_factory, world) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        names = [c.name for c in palette_commands(app.screen)]
        assert "Insights" in names
        command = next(c for c in palette_commands(app.screen) if c.name == "Insights")
        command.action()
        await wait_until(pilot, lambda: isinstance(app.screen, InsightsScreen))
        await wait_until(pilot, lambda: app.screen.insights is not None)
        await until_stored(pilot)


async def test_filter_as_you_type_by_words_and_tag(app_factory, world) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_insights(pilot)
        await burst(pilot, "slash", *"#akut")
        await until_typed(pilot)
        assert table_titles(screen) == ["Waiting at akuten"]
        assert "1 of 3 insights" in str(screen.query_one("#insights-status").render())
        screen.query_one(Input).value = ""
        await burst(pilot, *"fridge")
        await until_typed(pilot)
        assert table_titles(screen) == ["Relatives keep the medicine list"]
        # Down goes to the list; Enter opens the one shown.
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, InsightDetailScreen))
        assert app.screen.insight_id == world["lists"].id


async def test_new_insight_typed_in_a_burst(app_factory, world, store) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_insights(pilot)
        await burst(pilot, "n", *"Tolk per telefon", "tab", *"Leyla", "tab", *"tolk, språk")
        await until_typed(pilot)
        form = app.screen
        assert isinstance(form, InsightForm)
        assert form.draft().title == "Tolk per telefon"
        assert form.draft().text == "Leyla"
        assert form.draft().tags == ["tolk", "språk"]
        await pilot.press("ctrl+s")
        await until_stored(pilot)
        made = [i for i in insights_of(store).list_insights() if i.title == "Tolk per telefon"]
        assert len(made) == 1 and made[0].tags == ["tolk", "språk"] and made[0].text == "Leyla"
        assert app.screen is screen
        assert screen.selected() is not None and screen.selected().id == made[0].id


async def test_a_new_insight_needs_a_title(app_factory, world, store) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_insights(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, InsightForm))
        await pilot.press("enter")
        assert isinstance(app.screen, InsightForm)
        assert "needs a title" in str(app.screen.query_one("#error").render())
        await pilot.press("escape")
        assert len(insights_of(store).list_insights()) == 3


async def test_edit_changes_title_and_tags_and_keeps_links(app_factory, world, store) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_insights(pilot)
        select(screen, world["lists"].id)
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, InsightForm))
        form = app.screen
        assert form.draft().title == "Relatives keep the medicine list"
        form.query_one("#insight-title", Input).value = "Relatives hold the list"
        form.query_one("#insight-tags", Input).value = "anhörig"
        await pilot.press("ctrl+s")
        await until_stored(pilot)
        saved = insights_of(store).load(world["lists"].id)
        assert saved.title == "Relatives hold the list"
        assert saved.tags == ["anhörig"]
        assert len(saved.links) == 2
        assert "Relatives hold the list" in table_titles(screen)


async def test_trash_and_undo_in_a_burst(app_factory, world, store) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_insights(pilot)
        first, second, third = (i.id for i in screen.shown)
        await burst(pilot, "x", "x")
        await until_typed(pilot)
        await until_stored(pilot)
        insights = insights_of(store)
        # Two different insights went (the highlighted one, then the next), never one twice.
        assert insights.is_trashed(first)
        assert insights.is_trashed(second)
        assert [i.id for i in screen.shown] == [third]
        assert any("Press u to bring it back" in n.message for n in notices(app))
        await burst(pilot, "u", "u")
        await until_typed(pilot)
        await until_stored(pilot)
        assert not insights.is_trashed(first)
        assert not insights.is_trashed(second)
        assert len(table_titles(screen)) == 3


async def test_help_says_how_to_undo_a_trash(app_factory, world) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_insights(pilot)
        rows = key_rows(app, screen.active_bindings)
        trash = next(r for r in rows if r.description == "Trash")
        assert "u brings it back" in trash.tooltip
        assert trash.where == "Insights"
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))


async def test_detail_shows_each_link_with_its_status(app_factory, world, store) -> None:
    # Edit Sven's text around one quote, remove the other quote, purge nothing yet.
    sven = store.load(world["sven"].id)
    sven.sections["situation"] = "Sven, 81 (fictional), sat four hours at akuten, alone."
    store.save(sven, base_revision=sven.revision)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_insights(pilot)
        select(screen, world["lists"].id)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, InsightDetailScreen))
        detail = app.screen
        await wait_until(pilot, lambda: len(detail.views) == 2)
        head = str(detail.query_one("#insight-head").render())
        assert "Relatives keep the medicine list" in head and "anhörig" in head
        assert "everybody trusts" in str(detail.query_one("#insight-text").render())
        labels = [v.anchor.status for v in detail.views]
        assert labels == ["found", "changed"]
        assert detail.views[0].case_title == "Margit, 78: andfådd hemma"
        lines = [str(detail.query_one(LinkList).get_option_at_index(i).prompt) for i in (0, 1)]
        assert lines  # rendered without markup errors
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)


async def test_a_link_to_a_purged_case_says_so(app_factory, world, store) -> None:
    store.trash(world["margit"].id)
    store.purge(world["margit"].id)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(InsightDetailScreen(world["lists"].id))
        await wait_until(pilot, lambda: isinstance(app.screen, InsightDetailScreen))
        detail = app.screen
        await wait_until(pilot, lambda: len(detail.views) == 2)
        from coprod_tui.ui.screens.insight_detail import status_label

        # The evidence is in date order: a case that is gone has no date and comes last.
        assert status_label(detail.views[-1]) == "case gone: purged"
        await pilot.press("down", "enter")  # a gone case: a note, no editor
        await pilot.pause()
        assert app.screen is detail
        assert any("leads nowhere" in n.message for n in notices(app))


async def test_enter_on_a_link_opens_the_case_at_the_quote(app_factory, world) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(InsightDetailScreen(world["lists"].id))
        await wait_until(pilot, lambda: isinstance(app.screen, InsightDetailScreen))
        detail = app.screen
        await wait_until(pilot, lambda: len(detail.views) == 2)
        await burst(pilot, "down", "enter")
        await until_typed(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, CaseEditorScreen))
        editor = app.screen
        await editor.until_ready()
        assert editor.editor.section_id == "situation"
        assert editor.editor.selected_text == "with his son"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is detail)
