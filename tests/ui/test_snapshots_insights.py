"""Snapshots of the Insights screen and an insight's detail (evidence, suggested cases) at
80×24 and 120×40.

Deterministic: a fixed clock, the Insights list answered with fixed insights (fixed ids
and times), the detail read from a real store whose links are found, moved, changed and
gone (statuses, not times, are shown), no cursor blink. All cases, people and places
are fictional.
"""

from __future__ import annotations

import pytest
from editor_helpers import until_stored, wait_until
from textual.widgets import Input

from coprod_tui.core.insights.anchoring import make_link
from coprod_tui.core.insights.model import Insight, Link, new_insight
from coprod_tui.core.insights.store import insights_of
from coprod_tui.ui.screens.insight_detail import InsightDetailScreen
from coprod_tui.ui.screens.insights import InsightsScreen

SIZES = [(80, 24), (120, 40)]


def fixed(n: int, title: str, tags: list[str], links: int, updated: str) -> Insight:
    return Insight(
        id=f"00000000-0000-4000-9000-{n:012d}",
        title=title,
        tags=tags,
        links=[Link(f"00000000-0000-4000-8000-{k:012d}", "situation") for k in range(links)],
        created=updated,
        updated=updated,
        revision=1,
    )


INSIGHTS = [
    fixed(
        1, "Anhöriga håller läkemedelslistan", ["anhörig", "läkemedel"], 3, "2024-03-12T13:40:00Z"
    ),
    fixed(2, "Waiting at akuten makes people give up", ["akut"], 2, "2024-03-12T09:10:00Z"),
    fixed(3, "Tolk per telefon fails at night", ["tolk", "språk"], 1, "2024-03-08T16:00:00Z"),
    fixed(4, "[red]Markup[/red] stays literal", ["[b]tag[/b]"], 0, "2024-02-01T08:00:00Z"),
]


async def still(pilot) -> None:
    await until_stored(pilot)
    for screen in pilot.app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False
    await pilot.pause()


@pytest.fixture(autouse=True)
def fixed_insights(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(InsightsScreen, "_reader", lambda self: lambda: list(INSIGHTS))
    monkeypatch.setenv("COPROD_LANG", "en")


@pytest.mark.parametrize("size", SIZES)
def test_insights_screen(snap_compare, app_factory, size):
    async def insights(pilot) -> None:
        await until_stored(pilot)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, InsightsScreen))
        await wait_until(pilot, lambda: pilot.app.screen.insights is not None)
        await still(pilot)

    assert snap_compare(app_factory(), terminal_size=size, run_before=insights)


@pytest.mark.parametrize("size", SIZES)
def test_insights_filtered_by_tag(snap_compare, app_factory, size):
    async def filtered(pilot) -> None:
        await until_stored(pilot)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, InsightsScreen))
        await wait_until(pilot, lambda: pilot.app.screen.insights is not None)
        await pilot.press("slash", *"#tolk")
        await wait_until(pilot, lambda: len(pilot.app.screen.shown) == 1)
        await still(pilot)

    assert snap_compare(app_factory(), terminal_size=size, run_before=filtered)


@pytest.mark.parametrize("size", SIZES)
def test_insight_detail(snap_compare, app_factory, make_case, store, size):
    margit = make_case(
        "Margit, 78: andfådd hemma",
        sections={
            "situation": "Margit (fictional) calls Ekbacka health centre: andfådd sedan i går.",
            "lived-reality": "Her daughter keeps the list of medicines on the fridge door.",
        },
    )
    sven = make_case(
        "Sven, 81: the night at akuten",
        sections={"situation": "Sven (fictional) waits four hours at akuten with his son."},
    )
    gone = make_case("Leyla, 34: tolk per telefon", sections={"situation": "Tolken kom aldrig."})
    # Not linked, but sharing the insight's words: a suggested case.
    make_case(
        "Aina, 88: the fridge door",
        sections={"lived-reality": "Aina's daughter pins the medicine list to the fridge."},
    )
    links = [
        make_link(margit, "lived-reality", "the list of medicines"),
        make_link(sven, "situation", "with his son"),
        make_link(sven, "situation", "four hours"),
        make_link(gone, "situation", "Tolken kom aldrig"),
    ]
    insight = insights_of(store).create(
        new_insight(
            "Relatives keep the medicine list",
            text="The daughter's list on the fridge is the one everybody trusts;\n"
            "the son at akuten answers for his father.",
            tags=["anhörig", "läkemedel"],
            links=links,
        )
    )
    edited = store.load(sven.id)
    edited.sections["situation"] = "Sven (fictional) sat for hours at akuten, with his son."
    store.save(edited, base_revision=edited.revision)
    store.trash(gone.id)
    store.purge(gone.id)

    async def detail(pilot) -> None:
        await until_stored(pilot)
        screen = InsightDetailScreen(insight.id)
        await pilot.app.push_screen(screen)
        await wait_until(pilot, lambda: len(screen.views) == 4)
        await wait_until(pilot, lambda: screen.suggested, timeout=20)
        await still(pilot)

    assert snap_compare(app_factory(), terminal_size=size, run_before=detail)
