"""Snapshots of the search screen and the tags dialog at 80×24 and 120×40.

Deterministic: a fixed clock, a fixed catalog (no real store, so no wall-clock
times), a fixed index answering fixed hits, no cursor blink. All cases,
people and places are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from editor_helpers import until_stored, wait_until
from textual.widgets import Input

from coprod_tui.core.config import Config
from coprod_tui.core.store import CaseSummary
from coprod_tui.ui.launch import create_app
from coprod_tui.ui.screens.search import SearchScreen
from coprod_tui.ui.search_source import SearchSource

NOW = datetime(2024, 3, 12, 14, 3, 12, tzinfo=UTC)
SIZES = [(80, 24), (120, 40)]


def summary(n: int, title: str, tags: tuple[str, ...], updated: str, template: str = ""):
    return CaseSummary(
        id=f"00000000-0000-4000-8000-{n:012d}",
        title=title,
        template_id=template or "batalden-primary-care",
        tags=tags,
        updated=updated,
        filled=("situation", "lived-reality", "emotions"),
        revision=3,
    )


CASES = [
    summary(
        1,
        "Margit, 78: andfådd hemma, dottern håller listan",
        ("hjärtsvikt", "anhörig", "läkemedel"),
        "2024-03-12T13:40:00Z",
        "batalden-primary-care-sv",
    ),
    summary(2, "Sven, 81: the night at akuten", ("dementia", "akut"), "2024-03-12T09:10:00Z"),
    summary(3, "Leyla, 34: tolk per telefon", ("diabetes", "tolk"), "2024-03-11T16:00:00Z"),
    summary(4, "[red]Markup[/red] stays literal", ("[b]tag[/b]",), "2024-03-06T08:00:00Z"),
]


@dataclass(frozen=True)
class Hit:
    case_id: str
    title: str
    section_id: str
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    span: tuple[int, int] | None
    score: float


def hit(n: int, section: str, snippet: str, word: str) -> Hit:
    at = snippet.casefold().index(word)
    title = CASES[n - 1].title
    return Hit(
        CASES[n - 1].id, title, section, snippet, ((at, at + len(word)),), (at, at + len(word)), 1.0
    )


HITS = [
    hit(
        2,
        "situation",
        "…Sven waited four hours at akuten for the doctor, his son beside him…",
        "akuten",
    ),
    hit(
        1, "emotions", "…rädd för att åka in till akuten igen, säger Margit, och dottern…", "akuten"
    ),
    hit(
        3, "system-navigation", "…tolken kom aldrig; på akuten fick sonen översätta allt…", "akuten"
    ),
    hit(4, "title", "[red]Markup[/red] stays literal: akuten [b]", "akuten"),
]


class FixedIndex:
    def search(self, query, *, section=None, tag=None, template=None, limit=50):
        return HITS if query.strip() else []

    def observe(self, store) -> None:
        pass

    def close(self) -> None:
        pass


class CatalogOnlyStore:
    path = Path("/home/anna/.local/share/coprod/store")

    def list_cases(self) -> list[CaseSummary]:
        return list(CASES)

    def list_trash(self) -> list[CaseSummary]:
        return []

    def tag_counts(self) -> list[tuple[str, int]]:
        from coprod_tui.ui.dialogs.tags import tag_counts_of

        return tag_counts_of(CASES)


def make_app(templates):
    store = CatalogOnlyStore()
    app = create_app(store, templates, Config(), clock=lambda: NOW, handle_signals=False)  # type: ignore[arg-type]
    app.search_source = SearchSource(store, open_index=lambda _store: FixedIndex())  # type: ignore[arg-type]
    return app


async def still(pilot) -> None:
    await until_stored(pilot)
    for screen in pilot.app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False
    await pilot.pause()


async def searched(pilot) -> None:
    await until_stored(pilot)
    await pilot.press("ctrl+f", *"akuten")
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    await wait_until(pilot, lambda: screen.shown_query == "akuten")
    await still(pilot)


async def tagging(pilot) -> None:
    await until_stored(pilot)
    await pilot.press("down", "t", *"hjä")  # Sven, 81
    await still(pilot)
    await pilot.pause(0.1)  # the completion is worked out off the field's own task


@pytest.fixture(autouse=True)
def swedish(monkeypatch):
    """Known tags in Swedish order, whatever the machine's locale says."""
    monkeypatch.setenv("COPROD_LANG", "sv")


@pytest.mark.parametrize("size", SIZES)
def test_search_screen(snap_compare, templates, size):
    assert snap_compare(make_app(templates), terminal_size=size, run_before=searched)


@pytest.mark.parametrize("size", SIZES)
def test_tags_dialog(snap_compare, templates, size):
    assert snap_compare(make_app(templates), terminal_size=size, run_before=tagging)
