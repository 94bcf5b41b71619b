"""The footer of every screen: Textual's ``Footer`` to look at, one widget for all its keys.

Textual's footer makes every key a widget of its own and recomposes itself --
every key mounted, styled, laid out and painted anew -- each time a screen
publishes ``refresh_bindings``. Measured here that was a sixth of the CPU of
starting the workbench and about 10 ms of every screen change, and the case
list asked for it on every highlighted row. This footer draws its keys as
one line of one widget (:class:`KeyStrip`), restyled only when the keys on
offer change, and keeps Textual's single ``FooterKey`` for the palette key
on the right (rarely rebuilt). The keys look exactly as Textual draws them:
each is styled by a ``FooterKey`` that is never mounted (:meth:`KeyStrip._looks`),
so theme and user CSS for ``FooterKey`` still apply; the snapshot tests
compare every screen cell by cell. A key still answers the mouse (a click
presses it, a dimmed one rings) and shows its tooltip.

It also goes compact (one space less round each key) when its keys would not
fit otherwise: Swedish words are longer than English ones, and at 80 columns
the last key -- the one that says where the other keys are -- was cut off.

Binding groups (``Binding.Group``) are drawn as single keys; no screen uses them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

__all__ = ["KeyFooter", "KeyStrip", "ShownKey"]


@dataclass(frozen=True)
class ShownKey:
    """One key as the footer shows it."""

    key: str
    """The key that runs it (what a click presses)."""
    display: str
    """The key as shown (``^s``, or the keymap's)."""
    description: str
    action: str
    enabled: bool
    """False: shown dimmed, the action not on offer now."""
    tooltip: str


@dataclass(frozen=True)
class _Look:
    """How a key is drawn: its styles and its spacing, as a ``FooterKey`` would have them."""

    key: Style
    description: Style
    whole: Style
    key_padding: tuple[int, int]
    description_padding: tuple[int, int]
    padding: tuple[int, int]
    margin: tuple[int, int]


#: id(rules list) -> (the list, its rule sets' ids as one value): the same rule sets in every
#: app of the process (ui/stylesheet.py shares them), though each app's list is a new one.
_PRINTS: dict[int, tuple[list[Any], tuple[int, int]]] = {}


def _rules_print(rules: list[Any]) -> tuple[int, int]:
    """The rule sets of a style sheet as a value equal across apps that share them."""
    kept = _PRINTS.get(id(rules))
    if kept is None or kept[0] is not rules:
        if len(_PRINTS) >= _LOOKS_KEPT:
            _PRINTS.pop(next(iter(_PRINTS)))
        kept = _PRINTS[id(rules)] = (rules, (len(rules), hash(tuple(map(id, rules)))))
    return kept[1]


#: Looks of keys read off probes, for every footer of the process (see KeyStrip._looks).
_LOOKS: dict[tuple[object, ...], tuple[object, _Look]] = {}
_LOOKS_KEPT = 64


class KeyStrip(Widget):
    """Every key but the palette key, drawn as one line."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    KeyStrip {
        width: auto;
        height: 1;
        text-wrap: nowrap;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.keys: tuple[ShownKey, ...] = ()
        self._spans: list[tuple[int, int]] = []  # each key's columns, margins left out
        self._hover: int | None = None
        self._drawn: Strip | None = None  # the line as last drawn, until something changes

    def notify_style_update(self) -> None:
        """A new theme or sheet: the keys are drawn anew in its styles."""
        self._drawn = None
        super().notify_style_update()

    def refresh(self, *regions: Region, **kwargs: bool) -> Self:
        self._drawn = None
        return super().refresh(*regions, **kwargs)

    def show(self, keys: tuple[ShownKey, ...]) -> None:
        """Show these keys (a repaint; nothing is mounted)."""
        if keys != self.keys:
            self.keys = keys
            self._hover = None
            self.refresh(layout=True)

    def _look_context(self) -> tuple[object, ...]:
        """What the look of a key depends on besides its own state: kept looks are per this."""
        app = self.app
        footer = self.parent
        return (
            type(self.screen).__name__,
            footer.classes if footer is not None else frozenset(),
            bool(getattr(footer, "compact", False)),
            app.theme,
            _rules_print(app.stylesheet.rules),
            self.rich_style,
        )

    def _looks(self, context: tuple[object, ...], enabled: bool, hover: bool) -> _Look:
        """The styles a ``FooterKey`` in this footer would have, read off one never mounted.

        It hangs from the footer as Textual's keys do, so every rule that styles
        them -- Textual's, the theme's, a user's -- styles it the same. Kept for
        every footer of the process, per screen, theme, sheets and compactness:
        every screen's footer looks the same, and a probe is a full restyle.
        """
        key = (context, enabled, hover)
        kept = _LOOKS.get(key)
        if kept is not None:
            return kept[1]
        look = self._probe(enabled, hover, bool(context[2]))
        if len(_LOOKS) >= _LOOKS_KEPT:
            _LOOKS.pop(next(iter(_LOOKS)))
        # The sheet's rules are kept with the look, so their ids are not reused meanwhile.
        _LOOKS[key] = (self.app.stylesheet.rules, look)
        return look

    def _probe(self, enabled: bool, hover: bool, compact: bool) -> _Look:
        probe = FooterKey("", "", "", "", disabled=not enabled)
        probe.set_reactive(Widget.mouse_hover, hover)
        footer = self.parent
        probe._attach(footer if footer is not None else self)
        probe.set_class(compact, "-compact", update=False)
        self.app.stylesheet.apply(probe)
        key_styles = probe.get_component_styles("footer-key--key")
        description_styles = probe.get_component_styles("footer-key--description")
        return _Look(
            key=probe.get_component_rich_style("footer-key--key"),
            description=probe.get_component_rich_style("footer-key--description"),
            whole=probe.rich_style,
            key_padding=(key_styles.padding.left, key_styles.padding.right),
            description_padding=(description_styles.padding.left, description_styles.padding.right),
            padding=(probe.styles.padding.left, probe.styles.padding.right),
            margin=(probe.styles.margin.left, probe.styles.margin.right),
        )

    def render_line(self, y: int) -> Strip:
        """The keys as Textual's ``FooterKey`` paints them, each in its own styles.

        A line of segments, not a ``render()``: Textual would lay the strip's own
        colour under every cell, the margins between keys too, which it leaves
        showing only the footer's background.
        """
        return Strip.blank(self.size.width) if y else self._line()

    def _line(self) -> Strip:
        """The keys' line, drawn once until something changes (``refresh``, new styles)."""
        if self._drawn is None:
            self._drawn = self._draw()
        return self._drawn

    def _draw(self) -> Strip:
        gap = Style.from_color(bgcolor=self.rich_style.bgcolor)
        segments: list[Segment] = []
        self._spans = []
        at = 0
        context = self._look_context() if self.keys else ()
        for index, shown in enumerate(self.keys):
            look = self._looks(context, shown.enabled, index == self._hover)
            left_margin, right_margin = look.margin
            parts = [
                (" " * left_margin, gap),
                (" " * look.padding[0], look.whole),
                (
                    " " * look.key_padding[0] + shown.display + " " * look.key_padding[1],
                    look.whole + look.key,
                ),
            ]
            if shown.description:
                left, right = look.description_padding
                parts.append(
                    (" " * left + shown.description + " " * right, look.whole + look.description)
                )
            parts.append((" " * look.padding[1], look.whole))
            parts.append((" " * right_margin, gap))
            start = at + left_margin
            for text, style in parts:
                if text:
                    segments.append(Segment(text, style))
                    at += cell_len(text)
            self._spans.append((start, at - right_margin))
        return Strip(segments, at)

    def get_content_width(self, container: object, viewport: object) -> int:
        return self._line().cell_length

    def _key_at(self, x: int) -> int | None:
        for index, (start, end) in enumerate(self._spans):
            if start <= x < end:
                return index
        return None

    def key_regions(self) -> list[tuple[ShownKey, Region]]:
        """Each key shown and where it is on the screen (as drawn last)."""
        self._line()  # the spans are worked out as the line is drawn
        region = self.region
        return [
            (shown, Region(region.x + start, region.y, end - start, 1))
            for shown, (start, end) in zip(self.keys, self._spans, strict=False)
        ]

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._point_at(self._key_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._point_at(None)

    def _point_at(self, index: int | None) -> None:
        if index == self._hover:
            return
        self._hover = index
        shown = self.keys[index] if index is not None else None
        self.tooltip = (shown.tooltip or None) if shown is not None else None
        self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self._key_at(event.x)
        if index is None:
            return
        shown = self.keys[index]
        if shown.enabled:
            self.app.simulate_key(shown.key)
        else:
            self.app.bell()


class KeyFooter(Footer):
    """A ``Footer`` whose keys are one widget, redrawn only when the keys on offer change."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._palette_shown: ShownKey | None = None
        self._rebuild_pending = False
        self._strip = KeyStrip()  # made anew by each compose, with the keys it showed

    @property
    def keys(self) -> tuple[ShownKey, ...]:
        """The keys shown, left to right, the palette key on the right left out."""
        return self._strip.keys

    @property
    def palette_key(self) -> ShownKey | None:
        """The palette key on the right, if it is shown."""
        return self._palette_shown

    def key_regions(self) -> list[tuple[ShownKey, Region]]:
        """Each key shown (the palette key left out) and where it is on the screen."""
        return self._strip.key_regions()

    def _offers(self) -> tuple[tuple[ShownKey, ...], ShownKey | None]:
        """The keys the screen offers now (one an action, as Textual's footer picks them),
        and the palette key if it is to be shown; the screen's bindings read once."""
        app = self.app
        active = self.screen.active_bindings
        keys: dict[str, ShownKey] = {}

        def shown(binding: Binding, enabled: bool, tooltip: str) -> ShownKey:
            display = app.get_key_display(binding)
            return ShownKey(
                binding.key, display, binding.description, binding.action, enabled, tooltip
            )

        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in keys:
                keys[binding.action] = shown(binding, enabled, tooltip)
        palette = None
        offered = active.get(app.COMMAND_PALETTE_BINDING)
        if offered is not None and self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            _node, binding, enabled, _tooltip = offered
            palette = shown(binding, enabled, binding.tooltip)  # Textual shows the binding's own
        return tuple(keys.values()), palette

    def compose(self) -> ComposeResult:
        """The strip of keys, and Textual's palette key on the right."""
        keys = self._strip.keys
        self._strip = KeyStrip()
        self._strip.keys = keys
        yield self._strip
        shown = self._palette_shown = self._offers()[1]
        if shown is not None:
            palette = FooterKey(
                shown.key,
                shown.display,
                shown.description,
                shown.action,
                classes="-command-palette",
                disabled=not shown.enabled,
                tooltip=shown.tooltip or shown.description,
            )
            # Textual's palette key is compact; made so, it needs no restyle once mounted.
            palette.set_class(True, "-compact", update=False)
            yield palette

    def on_mount(self) -> None:
        """Show the screen's keys from its first frame, without waiting for them to change."""
        super().on_mount()
        self._bindings_ready = True
        self._rebuild_soon()

    def _rebuild_soon(self) -> None:
        """One rebuild for any number of changes before it runs."""
        if not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_later(self._rebuild)

    def bindings_changed(self, screen: Screen[object]) -> None:
        """As Textual's, but the keys are redrawn at once rather than after the next refresh.

        Textual waits for a refresh first (and for the screen's bindings to change
        at all, see :meth:`on_mount`), so a screen's first frame showed no keys
        and a second frame, 10-20 ms later, showed them. Redrawn now, the keys are
        in the first frame; keys that did not change are not redrawn at all.
        """
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self._rebuild_soon()

    def watch_compact(self) -> None:
        self._strip.refresh(layout=True)

    def watch_show_command_palette(self) -> None:
        self._rebuild_soon()

    async def _rebuild(self) -> None:
        """Redraw the keys if they changed; remake the palette key only if it changed."""
        self._rebuild_pending = False
        if not self.is_attached:
            return
        keys, palette = self._offers()
        self._strip.show(keys)
        self._fit(palette)
        if palette != self._palette_shown:
            await self.recompose()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(self._palette_shown)

    def _fit(self, palette: ShownKey | None) -> None:
        """Compact exactly when the keys need more than the footer's width in full style."""
        if not self._bindings_ready or not self.size.width:
            return
        # Full style: a space either side of the key and after the description.
        full = sum(
            cell_len(shown.display) + cell_len(shown.description) + 3 for shown in self._strip.keys
        )
        if palette is not None:  # its border, a space either side of the key, one after
            full += cell_len(palette.display) + cell_len(palette.description) + 4
        self.compact = full > self.size.width
