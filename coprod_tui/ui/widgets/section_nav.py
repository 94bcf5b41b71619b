"""The section navigator: where am I in the case, and what is still empty?

One line per section (number, filled/empty marker, title), grouped under the
perspective it belongs to, so the coproduction model stays visible even without
colour. Narrow terminals get a compact form (numbers and markers only). Choosing
a line (Enter or a click) asks the editor to show that section; the navigator
never changes sections on its own.
"""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from coprod_tui.core.i18n import N_, _
from coprod_tui.core.template import Template
from coprod_tui.ui.widgets.perspectives import perspective_style, perspective_title
from coprod_tui.ui.widgets.safe_text import plain
from coprod_tui.ui.widgets.shared_renders import SharedOptionRenders

FILLED = "●"
EMPTY = "○"
ORPHANS_ID = "orphans"


def section_option_id(index: int) -> str:
    return f"section-{index}"


class SectionNav(SharedOptionRenders):
    """The case's sections as a list to choose from."""

    #: Where help lists this widget's keys.
    BINDING_GROUP_TITLE = N_("Sections")

    DEFAULT_CSS = """
    SectionNav {
        width: 32;
        height: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        border: round $foreground 30%;
        padding: 0;
    }
    SectionNav:focus {
        border: heavy $accent;
    }
    SectionNav.-compact {
        width: 8;
    }
    """

    BINDINGS = [
        Binding(
            "right",
            "open_highlighted",
            "Open section",
            show=False,
            tooltip="Open the highlighted section",
            id="sections.open",
        ),
    ]

    #: Numbers and markers only, for narrow terminals.
    compact: reactive[bool] = reactive(False, init=False)

    class SectionChosen(Message):
        """The user chose a section (0-based ``index`` in template order)."""

        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    class OrphansChosen(Message):
        """The user chose the orphaned-text entry."""

    def __init__(
        self,
        template: Template,
        filled: set[str],
        *,
        current: int = 0,
        orphan_count: int = 0,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.template = template
        self._filled = set(filled)
        self._current = current
        self._orphan_count = orphan_count
        self.border_title = _("Sections")

    def on_mount(self) -> None:
        self._rebuild()

    def watch_compact(self) -> None:
        self.set_class(self.compact, "-compact")
        self.border_title = "" if self.compact else _("Sections")
        self._rebuild()

    # --- building ------------------------------------------------------------------------

    def _section_prompt(self, index: int) -> Text:
        section = self.template.sections[index]
        filled = section.id in self._filled
        marker = Text(FILLED if filled else EMPTY, style="bold" if filled else "dim")
        number = Text(
            f"{index + 1:>2}",
            style=" ".join(
                filter(None, ["bold", perspective_style(self.template, section.perspective)])
            ),
        )
        # The pointer marks the section being edited without relying on colour.
        pointer = Text("▸" if index == self._current else " ", style="bold")
        if self.compact:
            return Text.assemble(pointer, number, " ", marker)
        return Text.assemble(pointer, marker, " ", number, " ", plain(section.title, one_line=True))

    def _orphans_prompt(self) -> Text:
        if self.compact:
            return Text(f"!{self._orphan_count}", style="bold")
        return Text(_("! Orphaned text ({count})").format(count=self._orphan_count), style="bold")

    def _rebuild(self) -> None:
        options: list[Option | None] = []
        group: str | None = None
        for index, section in enumerate(self.template.sections):
            if section.perspective != group and not self.compact:
                if section.perspective is not None:
                    heading = plain(
                        perspective_title(self.template, section.perspective) or "",
                        f"italic {perspective_style(self.template, section.perspective)}",
                        one_line=True,
                    )
                    options.append(Option(heading, id=f"group-{index}", disabled=True))
                elif index:
                    options.append(None)
            group = section.perspective
            options.append(Option(self._section_prompt(index), id=section_option_id(index)))
        if self._orphan_count:
            options.append(None)
            options.append(Option(self._orphans_prompt(), id=ORPHANS_ID))
        self.set_options(options)
        self.show_current(self._current)

    # --- updates from the editor -----------------------------------------------------

    def show_current(self, index: int) -> None:
        """Point at (and highlight) the section being edited."""
        previous, self._current = self._current, index
        with contextlib.suppress(LookupError):
            if previous != index:
                for changed in (previous, index):
                    self.replace_option_prompt(
                        section_option_id(changed), self._section_prompt(changed)
                    )
            self.highlighted = self.get_option_index(section_option_id(index))

    def set_filled(self, section_id: str, filled: bool) -> None:
        """Flip one section's marker (cheap: only that line is rebuilt)."""
        if (section_id in self._filled) == filled:
            return
        if filled:
            self._filled.add(section_id)
        else:
            self._filled.discard(section_id)
        index = self.template.section_ids().index(section_id)
        self.replace_option_prompt(section_option_id(index), self._section_prompt(index))

    def set_orphan_count(self, count: int) -> None:
        if count != self._orphan_count:
            self._orphan_count = count
            self._rebuild()

    def is_filled(self, section_id: str) -> bool:
        return section_id in self._filled

    # --- user actions --------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id == ORPHANS_ID:
            self.post_message(self.OrphansChosen())
        elif option_id.startswith("section-"):
            self.post_message(self.SectionChosen(int(option_id.removeprefix("section-"))))

    def action_open_highlighted(self) -> None:
        """Right arrow opens the highlighted section, like Enter."""
        self.action_select()

    def on_blur(self) -> None:
        # Browsing without choosing must not leave the highlight on another section.
        self.show_current(self._current)
