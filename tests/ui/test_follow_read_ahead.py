"""Following an insight's link: the case is read ahead, and its first frame shows the quote.

The detail screen reads the highlighted link's case off the loop, so Enter
builds the editor at once (no "Loading…" notice, no second build); the
editor scrolls to the quote before its first paint. A reading ahead is used
once, only while fresh, and never hides a save made after it.

All people, places and text are fictional.
"""

from __future__ import annotations

from editor_helpers import wait_until
from textual.screen import Screen

from coprod_tui.core.insights.anchoring import make_link
from coprod_tui.core.insights.model import new_insight
from coprod_tui.core.insights.store import insights_of
from coprod_tui.ui.case_opening import CaseOpening
from coprod_tui.ui.screens.case_editor import CaseEditorScreen
from coprod_tui.ui.screens.insight_detail import InsightDetailScreen
from coprod_tui.ui.widgets.loading_notice import LoadingNotice

SIZE = (100, 30)
FILLER = " ".join(
    f"Visit {n}: the district nurse in Tallbacka (fictional) writes what Margit said."
    for n in range(60)
)
QUOTE = "the kettle was still warm"


def quote_in_view(editor: CaseEditorScreen) -> bool:
    """The quote is selected and painted on the screen (what the user sees, not the model)."""
    if editor.editor.selected_text != QUOTE:
        return False
    region = editor.editor.content_region
    strips = editor._compositor.render_strips()
    rows = [
        "".join(segment.text for segment in strips[y].crop(region.x, region.right))
        for y in range(region.y, min(region.bottom, len(strips)))
    ]
    return QUOTE in " ".join(" ".join(rows).split())


def long_case(store, make_case):
    """A case whose quote is far below the first screenful, and an insight linking it."""
    case = make_case(
        "Margit, 78: the long visit", sections={"situation": f"{FILLER} Then {QUOTE}. {FILLER}"}
    )
    insight = insights_of(store).create(
        new_insight("Small signs at home", links=[make_link(case, "situation", QUOTE)])
    )
    return case, insight


async def detail_ready(pilot, insight_id: str) -> InsightDetailScreen:
    """The insight's detail shown, its one link's case read ahead."""
    app = pilot.app
    app.push_screen(InsightDetailScreen(insight_id))
    await wait_until(pilot, lambda: isinstance(app.screen, InsightDetailScreen))
    detail = app.screen
    await wait_until(pilot, lambda: len(detail.views) == 1)
    await wait_until(pilot, lambda: isinstance(detail._read_ahead, CaseOpening))
    return detail


def editor_frames(app, seen) -> list[object]:
    """``seen(editor)`` for each frame the editor screen writes, from now on."""
    frames: list[object] = []
    write = app._display

    def counted(screen: Screen[object], renderable: object) -> None:
        write(screen, renderable)
        if renderable is not None and isinstance(screen, CaseEditorScreen):
            frames.append(seen(screen))

    app._display = counted
    return frames


async def test_the_first_frame_of_the_followed_case_shows_the_quote(
    app_factory, store, make_case
) -> None:
    _case, insight = long_case(store, make_case)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        detail = await detail_ready(pilot, insight.id)
        # Per editor frame: the notice shown, the quote in view.
        frames = editor_frames(app, lambda e: (bool(e.query(LoadingNotice)), quote_in_view(e)))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseEditorScreen))
        editor = app.screen
        await editor.until_ready()
        await wait_until(pilot, lambda: quote_in_view(editor))
        await pilot.pause()
        assert frames[0] == (False, True), frames  # no notice, the quote from the first frame
        assert detail._read_ahead is None  # used once


async def test_a_save_after_the_reading_ahead_is_what_the_editor_shows(
    app_factory, store, make_case
) -> None:
    case, insight = long_case(store, make_case)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        detail = await detail_ready(pilot, insight.id)
        # Another window saves the case after it was read ahead.
        other = store.load(case.id)
        other.sections["lived-reality"] = "Added in another window (fictional)."
        store.save(other, base_revision=other.revision)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseEditorScreen))
        editor = app.screen
        await editor.until_ready()
        await wait_until(
            pilot,
            lambda: "Added in another window" in editor.session.case.text("lived-reality"),
            timeout=10,
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is detail)
    assert "Added in another window" in store.load(case.id).text("lived-reality")


async def test_a_stale_reading_ahead_is_not_used(app_factory, store, make_case) -> None:
    case, insight = long_case(store, make_case)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        detail = await detail_ready(pilot, insight.id)
        ahead = detail._read_ahead
        detail._read_ahead = CaseOpening(
            **{**ahead.__dict__, "read_at": ahead.read_at - CaseOpening.FRESH - 1}
        )
        notices_seen = editor_frames(app, lambda e: bool(e.query(LoadingNotice)))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseEditorScreen))
        editor = app.screen
        await editor.until_ready()
        assert editor.editor.selected_text == QUOTE
        assert notices_seen and notices_seen[0]  # read again by the editor itself
