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
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.widgets import Footer

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

    async def recompose(self) -> None:
        """Rebuild only if the keys on offer differ from what is on screen."""
        if not self.is_attached:
            return
        offer = self._offer()
        if offer == self._shown:
            return
        self._shown = offer
        await super().recompose()
