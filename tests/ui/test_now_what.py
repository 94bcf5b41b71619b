"""The "Now what?" view: open plans oldest first, Enter edits, o opens the case behind it.

Everyone here is fictional (Tallbacka and Ekbacka health centres do not exist).
"""

from __future__ import annotations

from editor_helpers import wait_until
from notices import notices

from coprod_tui.core.insights.anchoring import make_link
from coprod_tui.core.insights.model import Plan, new_insight
from coprod_tui.core.insights.store import insights_of
from coprod_tui.ui.dialogs.plan_form import PlanForm
from coprod_tui.ui.screens.case_editor import CaseEditorScreen
from coprod_tui.ui.screens.case_list import CaseListScreen
from coprod_tui.ui.screens.now_what import NO_PLANS, NowWhatScreen


def _plans(store, make_case):
    """Two cases; three insights: an older open plan, a newer running one, an adopted one."""
    sven = make_case("Sven, 81: the pill box and the Sunday visits")
    britt = make_case("Britt, 74: the stairs and the bus")
    insights = insights_of(store)
    older = new_insight(
        "Sunday visits hide the weekday gaps",
        links=[make_link(sven, "lived-reality", "His son visits on Sundays")],
        plan=Plan(plan="Phone on Wednesdays for a month.", start="2024-02-01"),
    )
    newer = new_insight(
        "Pill boxes need a second pair of eyes",
        links=[make_link(britt, "situation"), make_link(sven, "situation")],
        plan=Plan(
            plan="Pharmacist checks the box.\nSecond line.", status="running", start="2024-03-01"
        ),
    )
    done = new_insight(
        "Adopted already",
        links=[make_link(sven, "situation")],
        plan=Plan(plan="Done.", status="adopted", start="2024-01-01"),
    )
    for insight in (newer, older, done):
        insights.create(insight)
    return sven, britt, older, newer


async def _open(pilot, app):
    await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
    await pilot.press("w")
    await wait_until(pilot, lambda: isinstance(app.screen, NowWhatScreen) and app.screen.loaded)
    return app.screen


async def test_w_lists_open_plans_oldest_first_with_their_cases(app_factory, store, make_case):
    sven, britt, older, newer = _plans(store, make_case)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        assert [row.insight.id for row in screen.rows] == [older.id, newer.id]
        assert screen.rows[0].cases == (sven.title,)
        assert screen.rows[1].cases == (britt.title, sven.title)
        text = screen.rows[1].prompt()
        rendered = "\n".join(str(part) for part in text.renderables)
        assert "[running]" in rendered and "Pharmacist checks the box." in rendered
        assert "Second line" not in rendered
        assert britt.title in rendered and sven.title in rendered
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))


async def test_no_plans_says_what_a_plan_is(app_factory, make_case):
    make_case()
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app)
        assert screen.rows == []
        assert NO_PLANS in str(screen.query_one("#now-what-status").render())
        assert screen.check_action("edit_plan", ()) is None


async def test_enter_edits_the_plan_and_an_adopted_plan_leaves_the_list(
    app_factory, store, make_case
):
    _sven, _britt, older, newer = _plans(store, make_case)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanForm))
        form = app.screen
        assert form.insight.id == older.id
        form.query_one("#plan-study").text = "Seven of ten calls found a gap."
        form.query_one("#plan-status").value = "adopted"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen)
        await wait_until(pilot, lambda: [r.insight.id for r in screen.rows] == [newer.id])
        saved = insights_of(store).load(older.id).plan
        assert saved.status == "adopted" and saved.study == "Seven of ten calls found a gap."
        assert any("adopted" in n.message for n in notices(app))


async def test_o_opens_the_first_case_at_its_section_and_escape_comes_back(
    app_factory, store, make_case
):
    sven, _britt, _older, _newer = _plans(store, make_case)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseEditorScreen))
        editor = app.screen
        await wait_until(pilot, lambda: editor._built)
        assert editor.case_id == sven.id
        assert editor.editor.section_id == "lived-reality"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)


async def test_the_palette_opens_now_what(app_factory, make_case):
    from coprod_tui.ui.commands import palette_commands

    make_case()
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        names = {c.name: c for c in palette_commands(app.screen)}
        assert "Now what? Open plans" in names
        assert "Export the framework matrix" in names
        app.call_later(names["Now what? Open plans"].action)
        await wait_until(pilot, lambda: isinstance(app.screen, NowWhatScreen))


async def test_section_9_lists_the_plans_from_this_case_and_ctrl_r_opens_now_what(
    app_factory, store, make_case
):
    from editor_helpers import open_editor

    sven, britt, older, newer = _plans(store, make_case)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        editor = await open_editor(pilot, sven.id)
        line = editor.query_one("#case-plans")
        await wait_until(pilot, lambda: editor._case_plans is not None)
        assert not line.display  # section 1: not the "So what? Now what?" section
        app.call_later(editor.run_action, "goto_section(9)")
        await wait_until(pilot, lambda: line.display)
        text = str(line.render())
        assert text.startswith("Plans from this case (^r Now what?): ")
        # Open ones first, oldest first; the adopted plan is listed too, marked.
        assert text.index(older.title) < text.index(newer.title) < text.index("Adopted already")
        assert "[adopted]" in text and "Now what?" in text
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, NowWhatScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is editor)


def test_the_now_what_section_rule():
    from coprod_tui.ui.screens.now_what import now_what_section

    assert now_what_section(["situation", "reflections", "extra"]) == 1
    assert now_what_section(["a", "b", "c"]) == 2


async def test_help_and_the_palette_over_now_what_list_its_keys(app_factory, store, make_case):
    from test_help import help_rows

    from coprod_tui.ui.commands import palette_commands
    from coprod_tui.ui.screens.help import HelpScreen

    _plans(store, make_case)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app)
        names = {c.name for c in palette_commands(screen)}
        assert {"Edit this plan", "Open the case behind this plan", "Close the open plans"} <= names
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        rows = help_rows(app.screen)
        does = {d for _k, d, _w in rows}
        assert {"Edit this plan", "Close the open plans"} <= does
        assert any("first case behind this plan" in d for d in does)
        assert {"Now what?", "Open plans"} <= {w for _k, _d, w in rows}
