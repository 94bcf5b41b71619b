"""Option lists whose options, once drawn, are drawn for every list of the process.

Textual's ``OptionList`` keeps each option's drawing in a cache of its own,
so every new list draws all its options again: the editor's section list and
its guiding questions took a fifth of the editor's first frame (5-15 ms),
for the same nine sections and the same questions each time a case opens.
:class:`SharedOptionRenders` keeps the drawings in one cache for the
process, keyed by everything a drawing depends on: the list's class and CSS
classes, the theme, the width, the padding and style it is drawn in, the
option's place and divider, and its prompt (a string, or a Rich ``Text`` by
its characters and styles). A prompt of any other kind is drawn as Textual
draws it, uncached.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from rich.text import Text
from textual.cache import LRUCache
from textual.content import Content
from textual.strip import Strip
from textual.style import Style
from textual.widgets import OptionList
from textual.widgets.option_list import Option

__all__ = ["SharedOptionRenders"]

_DRAWN: LRUCache[tuple[Any, ...], list[Strip]] = LRUCache(4096)


def _prompt_key(prompt: object) -> Hashable | None:
    """The prompt as a value that is equal exactly when it draws the same, else None."""
    if isinstance(prompt, str | Content):
        return (type(prompt), prompt)
    if isinstance(prompt, Text):
        return (
            Text,
            prompt.plain,
            tuple((span.start, span.end, str(span.style)) for span in prompt.spans),
            str(prompt.style),
            prompt.justify,
            prompt.overflow,
            prompt.no_wrap,
            prompt.end,
            prompt.tab_size,
        )
    return None


class SharedOptionRenders(OptionList):
    """An ``OptionList`` drawing each option once per process (see the module's docstring)."""

    def _drawing_key(self, option: Option) -> Hashable | None:
        """What the option draws, as a value (None: not kept). A list of rich prompts says it."""
        return _prompt_key(option.prompt)

    def _get_option_render(self, option: Option, style: Style) -> list[Strip]:
        prompt = self._drawing_key(option)
        if prompt is None:
            return super()._get_option_render(option, style)
        key = (
            type(self),
            self.classes,
            self.app.theme,
            self.scrollable_content_region.width,
            self._get_left_gutter_width(),
            self.get_component_styles("option-list--option").padding,
            style,
            self._option_to_index[option],
            option._divider,
            prompt,
        )
        strips = _DRAWN.get(key)
        if strips is None:
            strips = super()._get_option_render(option, style)
            _DRAWN[key] = strips
        return strips
