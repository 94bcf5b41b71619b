"""A screen is styled once when first shown; coming back to it restyles it (a new theme shows)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Label

from coprod_tui.ui.styled_once import StyledOnce


class Plain(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Label("plain")


class Once(StyledOnce, Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def compose(self) -> ComposeResult:
        self.set_breakpoints()
        yield Label("once")


def counting(screen: Screen[None]) -> list[int]:
    """Each restyle of the whole screen, counted."""
    calls: list[int] = []
    restyle = screen.update_node_styles

    def counted(animate: bool = True) -> None:
        calls.append(1)
        restyle(animate=animate)

    screen.update_node_styles = counted  # type: ignore[method-assign]
    return calls


async def test_a_screen_shown_first_is_not_restyled_by_its_resume() -> None:
    app: App[None] = App()
    async with app.run_test(size=(80, 10)) as pilot:
        plain, once = Plain(), Once()
        plain_restyles, once_restyles = counting(plain), counting(once)
        await app.push_screen(plain)
        await pilot.pause()
        await app.push_screen(once)
        await pilot.pause()
        assert plain_restyles == [1]  # Textual's: styled on mount, and again on resume
        assert once_restyles == []
        assert once.has_class("-narrow") and not once.has_class("-wide")


async def test_breakpoints_follow_the_width_as_before() -> None:
    app: App[None] = App()
    async with app.run_test(size=(120, 10)) as pilot:
        once = Once()
        await app.push_screen(once)
        await pilot.pause()
        assert once.has_class("-wide") and not once.has_class("-narrow")
        await pilot.resize_terminal(80, 10)
        await pilot.pause()
        assert once.has_class("-narrow") and not once.has_class("-wide")


async def test_coming_back_to_a_screen_after_a_theme_change_shows_the_new_theme() -> None:
    app: App[None] = App()
    async with app.run_test(size=(80, 10)) as pilot:
        first = Once()
        await app.push_screen(first)
        await pilot.pause()
        dark = first.query_one(Label).rich_style
        await app.push_screen(Once())
        await pilot.pause()
        app.theme = "textual-light"
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        assert app.screen is first
        assert first.query_one(Label).rich_style != dark
        fresh = Once()
        await app.push_screen(fresh)
        await pilot.pause()
        assert fresh.query_one(Label).rich_style == first.query_one(Label).rich_style
