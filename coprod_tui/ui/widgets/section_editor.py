"""The text editor for one section, safe to show any stored text.

Textual's ``TextArea`` hands document characters to the terminal as they are:
a stored ESC sequence would recolour the screen, move the cursor or retitle
the window. This subclass shows every control character as a visible stand-in
(ESC as ␛) without changing the document, and strips escape sequences from
pasted text before it enters the document.

The document keeps the stored text exactly: TextArea normalises some line
breaks on load (``\\x85``, ``\\x0c`` ...), so the editor remembers what it
loaded and reports the original back until the user really changes something.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.content import Content
from textual.geometry import Offset
from textual.message import Message
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from coprod_tui.core.editing import visible_controls
from coprod_tui.core.i18n import N_, _
from coprod_tui.core.text_safety import printable

#: Shown in an empty section (English; translated when an editor is made).
PLACEHOLDER = N_("Write here. A guiding question (right, F2) can be taken in with Enter.")


class SectionEditor(TextArea):
    """A soft-wrapped editor for one section's text (undo/redo included)."""

    #: Where help lists this widget's keys.
    BINDING_GROUP_TITLE = N_("Text")

    DEFAULT_CSS = """
    SectionEditor {
        height: 1fr;
        border: round $foreground 30%;
        padding: 0 1;
    }
    /* Heavy when focused: visible without colour too (NO_COLOR, 16 colours). */
    SectionEditor:focus {
        border: heavy $accent;
    }
    """

    class Edited(Message):
        """The user changed the section's text (``text`` is what to store)."""

        def __init__(self, editor: SectionEditor, text: str) -> None:
            self.editor = editor
            self.section_id = editor.section_id
            self.text = text
            super().__init__()

        @property
        def control(self) -> SectionEditor:
            return self.editor

    def __init__(
        self, section_id: str, text: str, *, cursor_blink: bool = True, id: str | None = None
    ) -> None:
        super().__init__(
            text,
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            highlight_cursor_line=False,
            placeholder=Content(_(PLACEHOLDER)),
            id=id,
        )
        self.section_id = section_id
        self.cursor_blink = cursor_blink
        self._loaded_original = text
        self._loaded_display = self.text
        self._arrived = False
        #: A first visit shows the start of the text, though the cursor is after it.
        self._show_start = False

    def arrive(self) -> None:
        """The section is being shown; the first time, put the cursor after its text.

        A writer continues where they left off, so keys typed straight away
        add to the end of the text, not before it. Later visits keep the
        cursor where the user left it. Call it when the section is shown, before
        any key reaches it (not from a deferred event such as ``Show``).

        The view shows the section's start, though: a long section is read
        from its beginning, and the first key typed scrolls to the cursor.
        """
        if self._arrived:
            return
        self._arrived = True
        # Until the writer does something, nothing scrolls the view to the cursor
        # (moving it there, or a scrollbar appearing after layout, would); the
        # first key does.
        self._show_start = True
        self.move_cursor(self.document.end, record_width=True)
        self.call_after_refresh(self.scroll_home, animate=False, immediate=True)

    def scroll_cursor_visible(self, center: bool = False, animate: bool = False) -> Offset:
        """As TextArea's, except while a first visit shows the section's start."""
        if self._show_start:
            return Offset()
        return super().scroll_cursor_visible(center, animate)

    def on_key(self, event: events.Key) -> None:
        """A key ends the first visit's view of the start (typing then shows the cursor)."""
        self._show_start = False

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._show_start = False

    def arrive_at(self, location: tuple[int, int]) -> None:
        """Show the section with the cursor at ``location`` (where the writer left it).

        Counts as the first visit, so :meth:`arrive` leaves the cursor there.
        A location past the end of the text (it changed elsewhere) is clamped.
        """
        self._arrived = True
        self._show_start = False
        row = min(location[0], self.document.line_count - 1)
        column = min(location[1], len(self.document.get_line(row)))
        self.move_cursor((row, column), center=True)
        self.call_after_refresh(self.scroll_cursor_visible, center=True, animate=False)

    def arrive_at_span(self, span: tuple[int, int] | None) -> None:
        """Show the section with characters ``span`` of its text selected (a search hit).

        ``None`` puts the cursor at the start. Offsets past the end (the text
        changed since it was indexed) are clamped; counts as the first visit.
        """
        self._arrived = True
        self._show_start = False
        length = len(self.text)
        start, end = span if span is not None else (0, 0)
        start = max(0, min(start, length))
        end = max(start, min(end, length))
        self.selection = Selection(_location(self.text, start), _location(self.text, end))
        self.call_after_refresh(self.scroll_cursor_visible, center=True, animate=False)

    def load_section(self, text: str) -> None:
        """Show ``text`` (stored text), forget the undo history, cursor after the text.

        Used when a restore, "keep theirs" or an adopted orphan replaces the
        text: the writer carries on at the end, as on a first visit.
        """
        self._show_start = False
        self.load_text(text)
        self.move_cursor(self.document.end)
        self._loaded_original = text
        self._loaded_display = self.text

    @property
    def stored_text(self) -> str:
        """The text to store: the original while unchanged, else the document."""
        current = self.text
        return self._loaded_original if current == self._loaded_display else current

    def get_line(self, line_index: int) -> Text:
        """A document line with control characters shown as visible stand-ins."""
        # Built from the document line itself: rich's Text would silently drop
        # some controls (BEL, BS, CR) and shift every later column.
        return Text(visible_controls(self.document.get_line(line_index)), end="", no_wrap=True)

    def on_paste(self, event: events.Paste) -> None:
        """Paste without terminal escape sequences (and without the TextArea's raw paste)."""
        event.prevent_default()
        event.stop()
        self._show_start = False
        if self.read_only:
            return
        cleaned = printable(event.text.replace("\r\n", "\n").replace("\r", "\n"))
        if not cleaned:
            return
        result = self.replace(cleaned, *self.selection, maintain_selection_offset=False)
        self.move_cursor(result.end_location)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.post_message(self.Edited(self, self.stored_text))


def _location(text: str, index: int) -> tuple[int, int]:
    """The (row, column) of character ``index`` of ``text``."""
    row = text.count("\n", 0, index)
    return row, index - (text.rfind("\n", 0, index) + 1)
