"""The app's style sheets are parsed once per process and stay right when the theme changes."""

from __future__ import annotations

import pytest
from editor_helpers import wait_until
from textual.css.stylesheet import StylesheetParseError

from coprod_tui.ui.screens.case_list import CaseListScreen
from coprod_tui.ui.stylesheet import SharedStylesheet


async def test_a_second_app_reuses_the_parsed_sheets(app_factory) -> None:
    first = app_factory()
    async with first.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(first.screen, CaseListScreen))
        kept = list(first.stylesheet.rules)  # alive, so no new rule can take an old id
        rules = {id(rule) for rule in kept}
    second = app_factory()
    async with second.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(second.screen, CaseListScreen))
        assert isinstance(second.stylesheet, SharedStylesheet)
        again = [id(rule) for rule in second.stylesheet.rules]
        assert again and all(rule in rules for rule in again)


async def test_a_theme_change_parses_with_the_new_themes_colours(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseListScreen))
        app.theme = "textual-dark"
        await pilot.pause()
        dark = app.screen.styles.background
        app.theme = "textual-light"
        await pilot.pause()
        light = app.screen.styles.background
        assert dark != light
        app.theme = "textual-dark"
        await pilot.pause()
        assert app.screen.styles.background == dark  # from the shared cache, still dark


def test_a_sheet_with_an_error_is_reported_every_time_and_never_kept() -> None:
    sheet = SharedStylesheet(variables={"accent": "red"})
    sheet.add_source("Static { color: $accent; }", read_from=("ok.tcss", ""))
    sheet.parse()
    good = list(sheet.rules)
    broken = "Static { colour-of-nothing: 3; }"
    for _attempt in range(2):
        other = SharedStylesheet(variables={"accent": "red"})
        other.add_source(broken, read_from=("broken.tcss", ""))
        with pytest.raises(StylesheetParseError):
            other.parse()
    sheet.add_source(broken, read_from=("broken.tcss", ""))
    with pytest.raises(StylesheetParseError):
        sheet.reparse()
    assert sheet.rules == good  # a failed re-parse leaves the sheet as it was
