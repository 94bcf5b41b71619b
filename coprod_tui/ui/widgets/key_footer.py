"""The footer of every screen: Textual's ``Footer``, rebuilt only when the keys it shows change.

Textual's footer recomposes itself -- every key a widget -- each time a screen
publishes ``refresh_bindings``: on every focus change, and wherever a screen
asks for it after a change of state (the case list on every highlighted row,
the section review on every typed key). Measured here, one rebuild costs
about 50 ms of CPU; four arrow keys on the case list rebuilt it five times,
while the keys on offer never changed. This footer remembers what it last
showed (each key's binding, label, description, enabled state and tooltip,
and the palette key) and skips a rebuild that would show the same thing, so
a screen may call ``refresh_bindings`` as often as it likes.

It also goes compact (one space less round each key) when its keys would not
fit otherwise: Swedish words are longer than English ones, and at 80 columns
the last key -- the one that says where the other keys are -- was cut off.
"""

from __future__ import annotations

from collections.abc import Hashable

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

__all__ = ["KeyFooter"]


class KeyFooter(Footer):
    """A ``Footer`` that skips rebuilds which would show the same keys."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._shown: Hashable | None = None

    def _offer(self) -> Hashable:
        """Everything the footer's ``compose`` reads, as one comparable value."""
        app = self.app
        keys = tuple(
            (
                key,
                binding.action,
                binding.description,
                app.get_key_display(binding),
                binding.group,
                enabled,
                tooltip,
            )
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show
        )
        return (
            self._bindings_ready,
            keys,
            self.show_command_palette,
            self.compact,
            app.ENABLE_COMMAND_PALETTE,
            app.COMMAND_PALETTE_BINDING in self.screen.active_bindings,
        )

    def compose(self) -> ComposeResult:
        """Textual's keys, each made in the footer's style before it is mounted.

        A ``FooterKey`` starts compact and takes the footer's style once mounted:
        two restyles of every key, in every footer built (a fifth of a screen's
        first paint, measured). Made in the right style, it needs none.
        """
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # The keys bound to the footer's style take it; the palette key (not
                # bound) keeps its own, compact.
                bound = "compact" in (getattr(widget, "_reactive_connect", None) or {})
                compact = self.compact if bound else widget.compact
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def on_mount(self) -> None:
        """Show the screen's keys from its first frame, without waiting for them to change."""
        super().on_mount()
        self._bindings_ready = True
        self.call_later(self.recompose)

    def bindings_changed(self, screen: Screen[object]) -> None:
        """As Textual's, but the keys are rebuilt at once rather than after the next refresh.

        Textual waits for a refresh first (and for the screen's bindings to change
        at all, see :meth:`on_mount`), so a screen's first frame showed no keys
        and a second frame, 10-20 ms later, rebuilt the footer and painted it
        again. Rebuilding now puts the keys in the first frame; a rebuild that
        would show the same keys is skipped (:meth:`recompose`), however often
        the bindings change.
        """
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_later(self.recompose)

    async def recompose(self) -> None:
        """Rebuild only if the keys on offer differ from what is on screen."""
        if not self.is_attached:
            return
        offer = self._offer()
        if offer == self._shown:
            return
        self._shown = offer
        self._fit()
        await super().recompose()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        """Compact exactly when the keys need more than the footer's width in full style."""
        if not self._bindings_ready or not self.size.width:
            return
        app = self.app
        shown: dict[str, tuple[str, str]] = {}  # one key an action, as the footer shows them
        for _node, binding, _enabled, _tip in self.screen.active_bindings.values():
            if binding.show and binding.action not in shown:
                shown[binding.action] = (app.get_key_display(binding), binding.description)
        # Full style: a space either side of the key and after the description.
        full = sum(cell_len(key) + cell_len(words) + 3 for key, words in shown.values())
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            palette = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
            if palette is not None:
                full += cell_len(app.get_key_display(palette.binding))
                full += cell_len(palette.binding.description) + 4
        self.compact = full > self.size.width
