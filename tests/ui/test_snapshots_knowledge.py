"""Snapshots of the screens that read across cases: section review, perspectives, coverage.

Each at 80×24 and 120×40. Deterministic: a fixed clock (so every case's last
edit, stamped by the real store, reads "just now"), fixed titles and texts,
titles sorted in English, no cursor blink. All cases are fictional.
"""

from __future__ import annotations

import pytest
from editor_helpers import wait_until

from coprod_tui.ui.screens.coverage import CoverageScreen
from coprod_tui.ui.screens.perspectives import PerspectivesScreen
from coprod_tui.ui.screens.section_review import SectionReviewScreen
from coprod_tui.ui.widgets.section_card import SectionCard

SIZES = [(80, 24), (120, 40)]

CASES = [
    (
        "Åsa, 67: the night at the emergency ward",
        {
            "situation": "Tallbacka health centre (fictional), a Saturday night at the "
            "emergency ward in Ekby.",
            "lived-reality": "Åsa waited six hours on a trolley; her daughter [b]Maja[/b] "
            "phoned twice and was told nothing.",
            "professional-reality": "Two nurses for the whole corridor and a doctor on call "
            "from home. We triaged her as stable and then forgot her.",
        },
    ),
    (
        "Bertil, 74: the missed referral",
        {
            "situation": "The referral to the memory clinic was never sent.",
            "lived-reality": "Bertil lives with his daughter in Ekby and has stopped driving.",
        },
    ),
    ("Zara, 30: the first visit", {"situation": "First visit."}),
]


@pytest.fixture(autouse=True)
def english_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPROD_LANG", "en")
    monkeypatch.setattr(SectionReviewScreen, "CURSOR_BLINK", False)


@pytest.fixture
def knowledge_app(app_factory, make_case):
    made = [make_case(title, sections=sections) for title, sections in CASES]
    return app_factory(), made


def test_section_review_picker_80x24(snap_compare, knowledge_app):
    app, _made = knowledge_app

    async def picker(pilot) -> None:
        await pilot.pause()
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SectionReviewScreen))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=picker)


@pytest.mark.parametrize("size", SIZES)
def test_section_review(snap_compare, knowledge_app, size):
    app, _made = knowledge_app

    async def review(pilot) -> None:
        await pilot.pause()
        screen = SectionReviewScreen("lived-reality")
        await pilot.app.push_screen(screen)
        await wait_until(pilot, lambda: screen.entries is not None)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=review)


def test_section_review_editing_120x40(snap_compare, knowledge_app):
    app, _made = knowledge_app

    async def editing(pilot) -> None:
        await pilot.pause()
        screen = SectionReviewScreen("lived-reality")
        await pilot.app.push_screen(screen)
        await wait_until(pilot, lambda: screen.entries is not None)
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.inline is not None)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=editing)


@pytest.mark.parametrize("size", SIZES)
def test_perspectives(snap_compare, knowledge_app, size):
    app, made = knowledge_app

    async def perspectives(pilot) -> None:
        await pilot.pause()
        screen = PerspectivesScreen(made[0].id)
        await pilot.app.push_screen(screen)
        await wait_until(pilot, lambda: bool(screen.query(SectionCard)))
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=perspectives)


@pytest.mark.parametrize("size", SIZES)
def test_coverage(snap_compare, knowledge_app, size):
    app, _made = knowledge_app

    async def coverage(pilot) -> None:
        await pilot.pause()
        screen = CoverageScreen()
        await pilot.app.push_screen(screen)
        await wait_until(pilot, lambda: screen.coverage is not None)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=coverage)
