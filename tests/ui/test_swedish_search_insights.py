"""Search, the insights, an insight's detail and the insight form say it in Swedish.

With ``language: sv``: the counts ("2 träffar", "1 insikt", "2 länkar"), the
labels, the statuses of a link ("fallet saknas: raderat för gott") and the
notices. The store is the walk's (tests/ui/test_no_english.py): fictional
Swedish cases and one insight.
"""

from __future__ import annotations

from typing import Any

from editor_helpers import wait_until
from notices import notices
from test_no_english import SIZE, SWEDISH, swedish_store
from textual.widgets import DataTable, Label, Static

from coprod_tui.ui.screens.case_list import CaseListScreen


def shown(widget: Any) -> str:
    return str(widget.render())


async def _start(pilot: Any, app: Any) -> None:
    await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
    await wait_until(pilot, lambda: bool(app.screen.query("CaseTable")))
    await pilot.pause()


async def _search(pilot: Any, app: Any, query: str) -> Any:
    screen = app.screen
    box = screen.query_one("#query")
    box.value = query
    await wait_until(pilot, lambda: screen.shown_query == query, timeout=30)
    return screen


async def test_search_counts_labels_and_says_nothing_found_in_swedish(
    app_factory, store, templates
) -> None:
    from coprod_tui.ui.screens.search import SearchScreen

    swedish_store(store, templates)
    app = app_factory(config=SWEDISH)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot, app)
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen))
        screen = app.screen
        status = screen.query_one("#search-status", Static)
        assert shown(screen.query_one("#query-label", Label)) == "Sök"
        assert shown(status) == "Skriv för att söka i alla fall och insikter."
        assert screen.sub_title == "Sök i alla fall"

        await _search(pilot, app, "hustrun")
        await wait_until(pilot, lambda: bool(screen.rows))
        assert shown(status) == "1 träff"
        assert screen.rows[0].section.startswith("2 · Livsvärlden")

        await _search(pilot, app, "Britt")
        await wait_until(pilot, lambda: bool(screen.rows))
        assert "Titel eller taggar" in {row.section for row in screen.rows}
        assert shown(status).endswith("träffar") or shown(status) == "1 träff"

        await _search(pilot, app, "vardagarna")
        await wait_until(pilot, lambda: bool(screen.rows))
        assert [row.section for row in screen.rows] == ["◆ Insikt"]

        await _search(pilot, app, "snöskoter")
        assert shown(status) == "Inget fall och ingen insikt innehåller ”snöskoter”."


async def test_the_insights_list_and_its_trash_notice_are_swedish(
    app_factory, store, templates
) -> None:
    from coprod_tui.ui.screens.insights import InsightsScreen

    swedish_store(store, templates)
    app = app_factory(config=SWEDISH)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot, app)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, InsightsScreen))
        screen = app.screen
        await wait_until(pilot, lambda: bool(screen.shown) and screen.filled)
        table = screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()] == [
            "Titel",
            "Taggar",
            "Länkar",
            "Senast ändrat",
        ]
        status = screen.query_one("#insights-status", Static)
        assert shown(status) == "1 insikt"
        assert screen.sub_title == "Insikter"
        screen.query_one("#insights-filter").value = "snöskoter"
        await wait_until(pilot, lambda: not screen.shown)
        assert shown(status) == "0 av 1 insikt"
        screen.query_one("#insights-filter").value = ""
        await wait_until(pilot, lambda: bool(screen.shown))
        screen.action_to_table()
        await pilot.press("x")
        await wait_until(pilot, lambda: bool(screen.trashed))
        await wait_until(
            pilot, lambda: shown(status) == "Inga insikter än. Tryck n för att skriva en."
        )
        assert any(
            n.message == "”Söndagsbesöken döljer luckorna i veckan” ligger nu i papperskorgen. "
            "Tryck u för att ta tillbaka den."
            for n in notices(app)
        ), notices(app)


async def test_an_insights_detail_and_form_are_swedish(app_factory, store, templates) -> None:
    from coprod_tui.ui.dialogs.insight_form import InsightForm
    from coprod_tui.ui.screens.insight_detail import InsightDetailScreen, status_label

    world = swedish_store(store, templates)
    store.trash(world.britt)
    store.purge(world.britt)
    app = app_factory(config=SWEDISH)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot, app)
        app.push_screen(InsightDetailScreen(world.insight))
        await wait_until(pilot, lambda: isinstance(app.screen, InsightDetailScreen))
        detail = app.screen
        await wait_until(pilot, lambda: len(detail.views) == 2 and detail.suggested)
        assert shown(detail.query_one("#insight-status", Static)) == (
            "2 länkar · Enter öppnar fallet vid citatet"
        )
        assert detail.query_one("#links").border_title == "Underlag · i datumordning"
        assert detail.query_one("#suggestions").border_title == "Föreslagna fall"
        assert "Taggar: anhörig" in shown(detail.query_one("#insight-head", Static))
        assert [status_label(view) for view in detail.views] == [
            "hittat",
            "fallet saknas: raderat för gott",
        ]
        await pilot.press("down", "enter")  # the purged case: a note, no editor
        await wait_until(pilot, lambda: any("ingenstans" in n.message for n in notices(app)))
        assert any(
            n.message == "Länken leder ingenstans nu: fallet saknas: raderat för gott."
            for n in notices(app)
        )

        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, InsightForm))
        form = app.screen
        assert form.query_one("#insight-form").border_title == "Redigera insikten"
        labels = [shown(label) for label in form.query(".field-label")]
        assert labels == ["Titel", "Text", "Taggar (skilj dem åt med komma)"]
        form.query_one("#insight-title").value = ""
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: shown(form.query_one("#error", Static)) == "En insikt behöver en titel."
        )


async def test_a_slow_first_index_says_indexerar_in_swedish(app_factory, store, templates) -> None:
    import threading

    from coprod_tui.ui.search_source import SearchSource, open_store_index

    swedish_store(store, templates)
    built = threading.Event()

    def slow_open(opened_store: Any) -> Any:
        assert built.wait(20)
        return open_store_index(opened_store)

    app = app_factory(config=SWEDISH)
    app.search_source = SearchSource(store, open_index=slow_open)
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot, app)
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "SearchScreen")
        screen = app.screen
        screen.query_one("#query").value = "dosetten"
        status = screen.query_one("#search-status", Static)
        await wait_until(pilot, lambda: shown(status).startswith("Indexerar … "))
        assert shown(status).endswith(" s (första gången tar en stund)")
        built.set()
        await wait_until(pilot, lambda: screen.shown_query == "dosetten", timeout=30)
        assert shown(status).endswith("träffar")
