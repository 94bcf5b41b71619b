"""The footer rebuilds only when the keys it offers change (a rebuild costs ~50 ms of CPU)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Label
from textual.widgets._footer import FooterKey

from coprod_tui.ui.widgets.key_footer import KeyFooter


class OneScreenApp(App[None]):
    BINDINGS = [
        Binding("s", "save", "Save"),
        Binding("d", "delete", "Delete"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.can_delete = True

    def compose(self) -> ComposeResult:
        yield Label("body")
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete":
            return True if self.can_delete else None  # None: shown, but dimmed
        return True

    def action_save(self) -> None:
        pass

    def action_delete(self) -> None:
        pass


def footer_keys(app: App[None]) -> list[FooterKey]:
    """The footer's keys, the palette key on the right left out."""
    return [key for key in app.screen.query(FooterKey) if not key.has_class("-command-palette")]


async def settled(pilot: object, app: App[None]) -> list[FooterKey]:
    """The keys once the footer has drawn them (its first build waits for the bindings)."""
    for _ in range(100):
        await pilot.pause(0.01)  # type: ignore[attr-defined]
        if footer_keys(app):
            await pilot.pause(0.05)  # type: ignore[attr-defined]
            return footer_keys(app)
    raise AssertionError("the footer never showed its keys")


async def test_the_same_keys_are_not_rebuilt_however_often_a_screen_asks() -> None:
    app = OneScreenApp()
    async with app.run_test(size=(60, 5)) as pilot:
        before = await settled(pilot, app)
        assert [key.description for key in before] == ["Save", "Delete"]
        for _ in range(5):
            app.screen.refresh_bindings()
        await pilot.pause(0.1)
        assert footer_keys(app) == before  # the very same widgets: nothing was rebuilt


async def test_a_key_that_changes_state_is_shown_changed() -> None:
    app = OneScreenApp()
    async with app.run_test(size=(60, 5)) as pilot:
        assert not (await settled(pilot, app))[1].has_class("-disabled")
        app.can_delete = False
        app.screen.refresh_bindings()
        await pilot.pause(0.1)
        keys = footer_keys(app)
        assert [key.description for key in keys] == ["Save", "Delete"]
        assert keys[1].has_class("-disabled")  # dimmed: shown, not offered


class WordyApp(OneScreenApp):
    BINDINGS = [
        Binding("s", "save", "Spara ändringarna i fallet"),
        Binding("d", "delete", "Lägg fallet i papperskorgen"),
    ]


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
    from textual.screen import Screen

    class Second(Screen[None]):
        BINDINGS = [Binding("x", "app.bell", "Ring")]

        def compose(self) -> ComposeResult:
            yield Label("second")
            yield KeyFooter()

    app = OneScreenApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        frames: list[list[str]] = []  # the footer keys of each frame the new screen wrote
        write = app._display

        def counted(screen: Screen[object], renderable: object) -> None:
            write(screen, renderable)
            if renderable is not None and isinstance(screen, Second):
                frames.append([key.description for key in screen.query(FooterKey)])

        app._display = counted  # type: ignore[method-assign]
        await app.push_screen(Second())
        await pilot.pause()
        assert frames and "Ring" in frames[0]
