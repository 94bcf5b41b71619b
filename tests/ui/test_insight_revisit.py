"""Revisit an insight: its evidence in date order, suggested cases from the search index
linked with one key, editing from the detail with e; the search screen finds insights.

The app is the real one (create_app) with its real search index. All people, places and
text are fictional.
"""

from __future__ import annotations

import time

import pytest
from editor_helpers import burst, until_stored, until_typed, wait_until
from notices import notices
from textual.widgets import Input

from coprod_tui.core.insights.anchoring import make_link
from coprod_tui.core.insights.model import new_insight
from coprod_tui.core.insights.store import insights_of
from coprod_tui.ui.dialogs.insight_form import InsightForm
from coprod_tui.ui.screens.case_editor import CaseEditorScreen
from coprod_tui.ui.screens.help import key_rows
from coprod_tui.ui.screens.insight_detail import InsightDetailScreen, SuggestionList
from coprod_tui.ui.screens.search import ResultList, SearchScreen

SIZE = (120, 40)


@pytest.fixture
def world(store, make_case):
    """Three cases about a steep staircase, one about something else, one insight."""
    ebba = make_case(
        "Ebba, 84: trappan hem",
        sections={"situation": "Ebba (fiktiv) kunde inte gå uppför trappan till lägenheten."},
    )
    olle = make_case(
        "Olle, 79: hissen är trasig",
        sections={"lived-reality": "Olle bor högst upp; trappan är för brant när hissen står."},
    )
    karin = make_case(
        "Karin, 90: en brant trappa",
        sections={"situation": "Karin (fiktiv) föll i trappan, brant och mörk, i Tallbacka."},
    )
    other = make_case("Tolk per telefon", sections={"situation": "Tolken kom aldrig fram."})
    for case, date in ((ebba, "2025-05-02"), (olle, "2024-11-20"), (karin, "2025-01-15")):
        stored = store.load(case.id)
        stored.fields["date"] = date
        store.save(stored, base_revision=stored.revision)
    insight = insights_of(store).create(
        new_insight(
            "Trappan avgör om man kan bo hemma",
            text="En brant trappa stänger in den som inte orkar gå.",
            tags=["boende"],
            links=[make_link(store.load(ebba.id), "situation", "trappan")],
        )
    )
    return {"ebba": ebba, "olle": olle, "karin": karin, "other": other, "insight": insight}


async def open_detail(app, pilot, insight_id: str) -> InsightDetailScreen:
    app.push_screen(InsightDetailScreen(insight_id))
    await wait_until(pilot, lambda: isinstance(app.screen, InsightDetailScreen))
    detail = app.screen
    await wait_until(pilot, lambda: detail.suggested, timeout=20)
    return detail


async def test_suggestions_are_the_unlinked_cases_sharing_its_words(app_factory, world) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_detail(app, pilot, world["insight"].id)
        suggested = {(row.case_id, row.section_id) for row in detail.suggestions}
        assert suggested == {
            (world["karin"].id, "situation"),
            (world["olle"].id, "lived-reality"),
        }
        assert all("trapp" in row.snippet.plain for row in detail.suggestions)
        status = str(detail.query_one("#suggest-status").render())
        assert status.startswith("2 cases share this insight's words")


async def test_l_links_a_suggestion_and_it_moves_to_the_evidence_in_date_order(
    app_factory, world, store
) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_detail(app, pilot, world["insight"].id)
        first = detail.suggestions[0]  # highlighted; l works from the evidence list too
        await pilot.press("l")
        await until_stored(pilot)
        await wait_until(pilot, lambda: len(detail.views) == 2 and detail.suggested)
        saved = insights_of(store).load(world["insight"].id)
        assert {(link.case_id, link.section_id, link.quote) for link in saved.links} >= {
            (first.case_id, first.section_id, "")
        }
        assert first.case_id not in {row.case_id for row in detail.suggestions}
        # evidence in the date order of the cases, not in link order
        dates = [view.case_date for view in detail.views]
        assert dates == sorted(dates)
        assert any("Linked" in n.message for n in notices(app))
        # both linked: one suggestion left, then none
        await pilot.press("l")
        await until_stored(pilot)
        await wait_until(pilot, lambda: len(detail.views) == 3 and detail.suggested)
        assert detail.suggestions == []
        assert [view.link.case_id for view in detail.views] == [
            world["olle"].id,
            world["karin"].id,
            world["ebba"].id,
        ]
        assert "No other case" in str(detail.query_one("#suggest-status").render())


async def test_enter_on_a_suggestion_opens_the_case_there(app_factory, world) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_detail(app, pilot, world["insight"].id)
        detail.set_focus(detail.query_one(SuggestionList))
        wanted = detail.suggestions[0]
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseEditorScreen))
        editor = app.screen
        await editor.until_ready()
        assert editor.editor.section_id == wanted.section_id
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is detail)


async def test_e_edits_the_insight_from_the_detail(app_factory, world, store) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_detail(app, pilot, world["insight"].id)
        # Meanwhile the CLI (another writer) adds a tag: the edit must not lose it.
        insights_of(store).change_tags(world["insight"].id, ["trygghet"])
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, InsightForm))
        form = app.screen
        form.query_one("#insight-title", Input).value = "Trappan bestämmer"
        await pilot.press("ctrl+s")
        await until_stored(pilot)
        await wait_until(pilot, lambda: detail.insight.title == "Trappan bestämmer")
        saved = insights_of(store).load(world["insight"].id)
        assert saved.title == "Trappan bestämmer"
        assert set(saved.tags) == {"boende", "trygghet"}  # merged, not overwritten
        assert len(saved.links) == 1
        assert "Trappan bestämmer" in str(detail.query_one("#insight-head").render())


async def test_the_keys_are_in_the_footer_and_help(app_factory, world) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_detail(app, pilot, world["insight"].id)
        detail.set_focus(detail.query_one(SuggestionList))
        await pilot.pause()
        rows = key_rows(app, detail.active_bindings)
        described = {row.description for row in rows}
        assert {"Link suggestion", "Edit", "Back", "Open"} <= described


async def test_the_search_screen_finds_insights_and_opens_their_detail(app_factory, world) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await burst(pilot, "ctrl+f", *"stänger")
        await until_typed(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await wait_until(pilot, lambda: screen.shown_query == "stänger", timeout=20)
        assert [(row.kind, row.case_id) for row in screen.rows] == [
            ("insight", world["insight"].id)
        ]
        prompt = screen.query_one(ResultList).get_option_at_index(0).prompt
        head = prompt.renderables[0].plain
        assert head.startswith("◆ Trappan avgör")
        await burst(pilot, "down", "enter")
        await until_typed(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, InsightDetailScreen))
        assert app.screen.insight_id == world["insight"].id
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)


async def test_damaged_insights_are_counted_not_hidden(app_factory, world, store) -> None:
    from coprod_tui.ui.screens.insights import InsightsScreen

    broken = insights_of(store).create(new_insight("Snart trasig"))
    (store.path / "insights" / f"{broken.id}.json").write_text("{ inte json", encoding="utf-8")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, InsightsScreen))
        screen = app.screen
        await wait_until(pilot, lambda: screen.insights is not None)
        assert [i.title for i in screen.shown] == ["Trappan avgör om man kan bo hemma"]
        status = str(screen.query_one("#insights-status").render())
        assert status == "1 insight · 1 insight could not be read: run coprod doctor"
        assert screen.query_one("#insights-status").has_class("-error")


async def test_the_list_fills_only_while_it_is_shown(
    app_factory, world, store, monkeypatch
) -> None:
    """A thousand rows filling behind an insight's detail would slow down following a link."""
    from coprod_tui.ui.screens import insights as insights_screen
    from coprod_tui.ui.screens.insights import InsightsScreen

    monkeypatch.setattr(insights_screen, "FIRST_ROWS", 2)
    monkeypatch.setattr(insights_screen, "CHUNK_ROWS", 1)
    for number in range(40):
        insights_of(store).create(new_insight(f"Fiktiv insikt {number}"))
    shown = InsightsScreen._show

    def show_then_open(screen: InsightsScreen) -> None:
        shown(screen)
        if screen.app.screen is screen and screen.shown:
            screen.action_open()  # the detail goes on top while the rest is still to fill

    monkeypatch.setattr(InsightsScreen, "_show", show_then_open)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, InsightDetailScreen))
        screen = app.screen_stack[-2]
        assert isinstance(screen, InsightsScreen)
        table = screen.query_one("#insights-table")
        behind = table.row_count
        for _ in range(10):
            await pilot.pause()
        assert table.row_count == behind < 41  # paused while the detail is on top
        monkeypatch.setattr(InsightsScreen, "_show", shown)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        await wait_until(pilot, lambda: screen.filled)
        assert table.row_count == 41


async def test_reopening_reads_no_file_until_an_insight_is_written(
    app_factory, world, store, monkeypatch
) -> None:
    from coprod_tui.core.insights.store import InsightStore
    from coprod_tui.core.store import scan
    from coprod_tui.ui.screens import insights as insights_screen
    from coprod_tui.ui.screens.insights import InsightsScreen

    monkeypatch.setattr(insights_screen, "REREAD_DELAY", 0.01)  # the reading behind: soon
    monkeypatch.setattr(scan, "RACY_NS", 0)
    monkeypatch.setattr(scan, "COARSE_RACY_NS", 0)
    listings: list[int] = []
    reads: list[int] = []
    listing, reader = InsightStore.listing, InsightsScreen._reader

    def counted_listing(self, **kwargs):
        listings.append(1)
        return listing(self, **kwargs)

    def counted_reader(self):
        read = reader(self)

        def counted():
            answer = read()
            reads.append(1)
            return answer

        return counted

    monkeypatch.setattr(InsightStore, "listing", counted_listing)
    monkeypatch.setattr(InsightsScreen, "_reader", counted_reader)

    async def open_and_close(pilot, want: int) -> None:
        before = len(reads)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, InsightsScreen))
        screen = app.screen
        await wait_until(pilot, lambda: len(reads) > before)  # the reading behind it ran
        await until_stored(pilot)
        await wait_until(pilot, lambda: len(screen.shown) == want)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, InsightsScreen))

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_and_close(pilot, 1)
        assert len(listings) == 1
        await open_and_close(pilot, 1)
        assert len(listings) == 1  # nothing written: the last reading stands, no file read
        time.sleep(0.01)  # a later folder timestamp than the reading's
        insights_of(store).create(new_insight("Ny insikt"))
        await open_and_close(pilot, 2)  # read again behind the last reading
        assert len(listings) == 2


async def test_an_edit_clashing_with_one_made_elsewhere_keeps_both(app_factory, world, store):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_detail(app, pilot, world["insight"].id)
        insights = insights_of(store)
        insights.update(world["insight"].id, lambda i: i.replace(title="Hissen avgör"))
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, InsightForm))
        app.screen.query_one("#insight-title", Input).value = "Trappan bestämmer"
        await pilot.press("ctrl+s")
        await until_stored(pilot)
        await wait_until(pilot, lambda: any("conflict copy" in n.message for n in notices(app)))
        titles = {i.title for i in insights.list_insights()}
        assert "Hissen avgör" in titles  # the other writer's title is kept ...
        assert any(t.startswith("Trappan bestämmer (conflict copy") for t in titles)  # ... and mine
        assert detail.insight is not None
