"""Snapshot tests of the shell: case list (80×24, 120×40, empty), help, new case.

Deterministic by construction: a fixed clock, a catalog with fixed ids and
fixed "updated" times (a real store stamps the wall clock), a fixed store path,
and no cursor blink. All cases are fictional.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from editor_helpers import until_stored, until_typed
from textual.widgets import Input

from coprod_tui.core.config import Config
from coprod_tui.core.store import CaseSummary
from coprod_tui.ui.launch import create_app

NOW = datetime(2024, 3, 12, 14, 3, 12, tzinfo=UTC)
ALL = (
    "situation",
    "lived-reality",
    "emotions",
    "system-navigation",
    "condition",
    "illness-experience",
    "microsystem",
    "professional-reality",
    "reflections",
)


def summary(n: int, title: str, filled: int, tags: tuple[str, ...], updated: str, **extra):
    return CaseSummary(
        id=f"00000000-0000-4000-8000-{n:012d}",
        title=title,
        template_id=extra.pop("template_id", "batalden-primary-care"),
        tags=tags,
        updated=updated,
        filled=ALL[:filled],
        revision=3,
        **extra,
    )


CASES = [
    summary(
        1,
        "Margit, 78: breathless at home, and a daughter who keeps the list",
        9,
        ("heart failure", "family carer", "medication"),
        "2024-03-12T13:40:00Z",
    ),
    summary(
        2, "Sven, 81: the pill box and the Sunday visits", 4, ("dementia",), "2024-03-12T09:10:00Z"
    ),
    summary(
        3,
        "Sven, 81: the pill box and the Sunday visits (conflict copy, anna 2024-03-12 10:02)",
        4,
        ("dementia",),
        "2024-03-12T09:02:00Z",
        conflict_of="00000000-0000-4000-8000-000000000002",
    ),
    summary(
        4,
        "Leyla, 34: diabetes in pregnancy, interpreter by phone",
        6,
        ("diabetes", "interpreter"),
        "2024-03-11T16:00:00Z",
        template_id="batalden-primary-care-sv",
    ),
    summary(
        5,
        "[red]Markup[/red] stays [@click=app.quit]literal[/]",
        1,
        ("[b]tag[/b]",),
        "2024-03-06T08:00:00Z",
    ),
    summary(6, "Arne, 90: the last winter at home", 0, (), "2023-11-30T08:00:00Z"),
    summary(7, "", 0, (), "2024-02-01T08:00:00Z", damaged=True),
]


class CatalogOnlyStore:
    """Just enough of CaseStore for the list: a fixed catalog, fixed path."""

    path = Path("/home/anna/.local/share/coprod/store")

    def __init__(self, summaries: list[CaseSummary]) -> None:
        self.summaries = summaries

    def list_cases(self) -> list[CaseSummary]:
        return list(self.summaries)

    def list_trash(self) -> list[CaseSummary]:
        return []


def make_app(templates, summaries: list[CaseSummary]):
    return create_app(
        CatalogOnlyStore(summaries),  # type: ignore[arg-type]
        templates,
        Config(),
        clock=lambda: NOW,
        handle_signals=False,
    )


async def still(pilot) -> None:
    """No blinking cursors, and everything laid out, before the picture."""
    await until_stored(pilot)  # the list is read off the loop
    for screen in pilot.app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_case_list(snap_compare, templates, size):
    assert snap_compare(make_app(templates, CASES), terminal_size=size, run_before=still)


def test_case_list_empty_store_greeting(snap_compare, templates):
    assert snap_compare(make_app(templates, []), terminal_size=(80, 24), run_before=still)


def test_case_list_filtered(snap_compare, templates):
    assert snap_compare(
        make_app(templates, CASES),
        terminal_size=(80, 24),
        press=["slash", *"sven"],
        run_before=still,
    )


def test_help_keys(snap_compare, templates):
    assert snap_compare(
        make_app(templates, CASES), terminal_size=(80, 24), press=["f1"], run_before=still
    )


def test_help_about_the_template(snap_compare, templates):
    assert snap_compare(
        make_app(templates, CASES), terminal_size=(120, 40), press=["f1", "a"], run_before=still
    )


def test_new_case_dialog(snap_compare, templates, monkeypatch):
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)

    async def typed_then_still(pilot) -> None:
        # Typed here, not with press=: the dialog's field only exists after "n", and its
        # cursor must stop blinking too (a blinking cursor made this picture flaky).
        await until_stored(pilot)
        await pilot.press("n", *"Ingrid, 84")
        await until_typed(pilot)
        await still(pilot)

    assert snap_compare(
        make_app(templates, CASES), terminal_size=(80, 24), run_before=typed_then_still
    )
