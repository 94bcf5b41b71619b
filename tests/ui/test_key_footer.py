"""The footer: drawn as Textual's, one widget for its keys, redrawn only when they change."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Label

from coprod_tui.ui.widgets.key_footer import KeyFooter, KeyStrip, ShownKey


class OneScreenApp(App[None]):
    BINDINGS = [
        Binding("s", "save", "Save", tooltip="Save the case now"),
        Binding("d", "delete", "Delete"),
    ]
    FOOTER: type[Footer] = KeyFooter

    def __init__(self) -> None:
        super().__init__()
        self.can_delete = True
        self.done: list[str] = []

    def compose(self) -> ComposeResult:
        yield Label("body")
        yield self.FOOTER()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete":
            return True if self.can_delete else None  # None: shown, but dimmed
        return True

    def action_save(self) -> None:
        self.done.append("save")

    def action_delete(self) -> None:
        self.done.append("delete")


class StockFooterApp(OneScreenApp):
    FOOTER = Footer


class WordyApp(OneScreenApp):
    BINDINGS = [
        Binding("s", "save", "Spara ändringarna i fallet"),
        Binding("d", "delete", "Lägg fallet i papperskorgen"),
    ]


class StockWordyApp(WordyApp):
    FOOTER = Footer


def footer_keys(app: App[None]) -> tuple[ShownKey, ...]:
    """The footer's keys, the palette key on the right left out."""
    return app.screen.query_one(KeyFooter).keys


async def settled(pilot: object, app: App[None]) -> tuple[ShownKey, ...]:
    """The keys once the footer has drawn them."""
    for _ in range(100):
        await pilot.pause(0.01)  # type: ignore[attr-defined]
        if footer_keys(app):
            await pilot.pause(0.05)  # type: ignore[attr-defined]
            return footer_keys(app)
    raise AssertionError("the footer never showed its keys")


def bottom_line(app: App[object]) -> list[tuple[str, object]]:
    """The footer row as painted, cell by cell: each character and its style."""
    strip = app.screen._compositor.render_strips()[-1]
    return [
        (char, segment.style.clear_meta_and_links() if segment.style else None)
        for segment in strip
        for char in segment.text
    ]


async def until_painted(pilot: object, app: App[object], words: str) -> None:
    """Until the footer row shows ``words``."""
    for _ in range(100):
        await pilot.pause(0.02)  # type: ignore[attr-defined]
        if words in "".join(char for char, _style in bottom_line(app)):
            return
    raise AssertionError(f"the footer never showed {words!r}")


async def test_the_same_keys_are_not_redrawn_however_often_a_screen_asks() -> None:
    app = OneScreenApp()
    async with app.run_test(size=(60, 5)) as pilot:
        before = await settled(pilot, app)
        assert [key.description for key in before] == ["Save", "Delete"]
        strip = app.screen.query_one(KeyStrip)
        drawn = strip._draw
        draws = []

        def counted():
            draws.append(1)
            return drawn()

        strip._draw = counted  # type: ignore[method-assign]
        for _ in range(5):
            app.screen.refresh_bindings()
        await pilot.pause(0.1)
        assert footer_keys(app) is before
        assert draws == []  # nothing drawn again, nothing mounted
        assert app.screen.query_one(KeyStrip) is strip


async def test_a_key_that_changes_state_is_shown_changed() -> None:
    app = OneScreenApp()
    async with app.run_test(size=(60, 5)) as pilot:
        assert (await settled(pilot, app))[1].enabled
        app.can_delete = False
        app.screen.refresh_bindings()
        await pilot.pause(0.1)
        keys = footer_keys(app)
        assert [key.description for key in keys] == ["Save", "Delete"]
        assert not keys[1].enabled
        painted = bottom_line(app)
        text = "".join(char for char, _style in painted)
        delete = text.index("Delete")
        save = text.index("Save")
        # Dimmed (Textual paints dim as a fainter colour): shown, not offered.
        assert painted[delete][1].color != painted[save][1].color


async def test_keys_are_painted_exactly_as_textuals_footer_paints_them() -> None:
    """Every cell of the footer row the same as Textual's own footer: full, compact, dimmed."""
    for width, ours, stock, last in (
        (60, OneScreenApp, StockFooterApp, "Delete"),
        (120, OneScreenApp, StockFooterApp, "Delete"),
        (58, WordyApp, StockWordyApp, "Lägg"),
    ):
        lines = []
        for kind in (stock, ours):
            app = kind()
            app.can_delete = False
            async with app.run_test(size=(width, 5)) as pilot:
                await until_painted(pilot, app, last)
                footer = app.screen.query_one(Footer)
                if not isinstance(footer, KeyFooter):
                    # Textual's footer goes compact only when told; ours decides by the width.
                    footer.compact = kind is StockWordyApp
                    await pilot.pause(0.1)
                lines.append(bottom_line(app))
        assert "".join(char for char, _ in lines[1]).count("^p") == 1
        assert lines[0] == lines[1], width


async def test_a_click_presses_the_key_and_a_dimmed_key_rings() -> None:
    app = OneScreenApp()
    rung: list[bool] = []
    app.bell = lambda: rung.append(True)  # type: ignore[method-assign]
    async with app.run_test(size=(60, 5)) as pilot:
        await settled(pilot, app)
        regions = dict(
            (key.description, region)
            for key, region in app.screen.query_one(KeyFooter).key_regions()
        )
        await pilot.click(offset=(regions["Save"].x + 1, regions["Save"].y))
        await pilot.pause(0.05)
        assert app.done == ["save"]
        app.can_delete = False
        app.screen.refresh_bindings()
        await pilot.pause(0.1)
        await pilot.click(offset=(regions["Delete"].x + 1, regions["Delete"].y))
        await pilot.pause(0.05)
        assert app.done == ["save"] and rung == [True]


async def test_pointing_at_a_key_lights_it_and_shows_its_tooltip() -> None:
    app = OneScreenApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await settled(pilot, app)
        strip = app.screen.query_one(KeyStrip)
        regions = dict((key.description, region) for key, region in strip.key_regions())
        before = bottom_line(app)
        await pilot.hover(offset=(regions["Save"].x + 1, regions["Save"].y))
        await pilot.pause(0.05)
        assert strip.tooltip == "Save the case now"
        lit = bottom_line(app)
        save = regions["Save"]
        assert lit[save.x][1] != before[save.x][1]  # the hover background
        assert lit[save.right :] == before[save.right :]  # only that key
        await pilot.hover(offset=(regions["Delete"].x + 1, regions["Delete"].y))
        await pilot.pause(0.05)
        assert strip.tooltip is None  # Delete has none


async def test_keys_that_would_not_fit_go_compact_and_wide_ones_stay_full() -> None:
    """The last key (where the other keys are) is not cut off at 80 columns in Swedish."""
    app = WordyApp()
    async with app.run_test(size=(58, 5)) as pilot:
        await settled(pilot, app)
        footer = app.screen.query_one(KeyFooter)
        assert footer.compact
        await pilot.resize_terminal(120, 5)
        await pilot.pause(0.1)
        assert not footer.compact


async def test_a_pushed_screen_shows_its_keys_in_its_first_frame() -> None:
    """Textual's footer rebuilt only after a refresh: the first frame had no keys."""

    class Second(Screen[None]):
        BINDINGS = [Binding("x", "app.bell", "Ring")]

        def compose(self) -> ComposeResult:
            yield Label("second")
            yield KeyFooter()

    app = OneScreenApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        frames: list[str] = []  # the footer row of each frame the new screen wrote
        write = app._display

        def counted(screen: Screen[object], renderable: object) -> None:
            write(screen, renderable)
            if renderable is not None and isinstance(screen, Second):
                frames.append("".join(char for char, _style in bottom_line(app)))

        app._display = counted  # type: ignore[method-assign]
        await app.push_screen(Second())
        await pilot.pause()
        assert frames and "Ring" in frames[0]


async def test_a_new_theme_repaints_the_keys_in_its_colours() -> None:
    """Switched after the first paint, the keys look as Textual's footer does in that theme."""
    lines = []
    for kind in (StockFooterApp, OneScreenApp):
        app = kind()
        async with app.run_test(size=(60, 5)) as pilot:
            await until_painted(pilot, app, "Delete")
            dark = bottom_line(app)
            app.theme = "textual-light"
            await pilot.pause(0.1)
            await until_painted(pilot, app, "Delete")
            assert bottom_line(app) != dark
            lines.append(bottom_line(app))
    assert lines[0] == lines[1]
