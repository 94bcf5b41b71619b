"""Snapshots of the "Now what?" view and the PDSA plan form at 80×24 and 120×40.

Deterministic: the demo story (fixed ids, dates and texts: ``core/demo.py``),
a fixed clock, no cursor blink. All cases, people and places are fictional.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from editor_helpers import until_stored, wait_until
from textual.widgets import Input, TextArea

from coprod_tui.core.config import Config
from coprod_tui.core.demo import seed_story
from coprod_tui.core.store import CaseStore
from coprod_tui.ui.dialogs.plan_form import PlanForm
from coprod_tui.ui.launch import create_app
from coprod_tui.ui.screens.case_list import CaseListScreen
from coprod_tui.ui.screens.now_what import NowWhatScreen

NOW = datetime(2024, 4, 10, 9, 0, 0, tzinfo=UTC)
SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def story_app(tmp_path, templates):
    store = CaseStore.open(tmp_path / "story", templates=templates)
    seed_story(store, templates)
    app = create_app(store, templates, Config(), clock=lambda: NOW, handle_signals=False)
    yield app
    store.close()


async def still(pilot) -> None:
    for screen in pilot.app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False
        for area in screen.query(TextArea):
            area.cursor_blink = False
    await pilot.pause()


async def now_what(pilot) -> None:
    app = pilot.app
    await until_stored(pilot)
    await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
    await pilot.press("w")
    await wait_until(pilot, lambda: isinstance(app.screen, NowWhatScreen) and app.screen.loaded)
    await still(pilot)


async def plan_form(pilot) -> None:
    app = pilot.app
    await now_what(pilot)
    await pilot.press("enter")
    await wait_until(
        pilot,
        lambda: (
            isinstance(app.screen, PlanForm)
            and app.screen.focused is not None
            and app.screen.focused.id == "plan-plan"
        ),
    )
    await still(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_now_what_view(snap_compare, story_app, size):
    assert snap_compare(story_app, terminal_size=size, run_before=now_what)


@pytest.mark.parametrize("size", SIZES)
def test_plan_form(snap_compare, story_app, size):
    assert snap_compare(story_app, terminal_size=size, run_before=plan_form)
