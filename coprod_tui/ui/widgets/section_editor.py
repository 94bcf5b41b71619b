"""The text editor for one section, safe to show any stored text.

Textual's ``TextArea`` hands document characters to the terminal as they are:
a stored ESC sequence would recolour the screen, move the cursor or retitle
the window. This subclass shows every control character as a visible stand-in
(ESC as ␛) without changing the document, and strips escape sequences from
pasted text before it enters the document.

The document keeps the stored text exactly: TextArea normalises some line
breaks on load (``\\x85``, ``\\x0c`` ...), so the editor remembers what it
loaded and reports the original back until the user really changes something.

Identifying details (``core/privacy``: personnummer, phone numbers, e-mail, addresses)
are underlined where they stand. They are found line by line (no identifier spans a
line break), on load and again a moment after typing pauses, and drawn through
:meth:`SectionEditor.get_line`, TextArea's public hook for a line's text: no private
highlight map is touched. A span is underlined only while the line still holds the
text found there, so an edit never leaves an underline on the wrong words.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.content import Content
from textual.geometry import Offset, Size
from textual.message import Message
from textual.timer import Timer
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from coprod_tui.core.editing import visible_controls
from coprod_tui.core.i18n import N_, _
from coprod_tui.core.privacy import Identifier, find_identifiers
from coprod_tui.core.text_safety import printable
from coprod_tui.ui import heap
from coprod_tui.ui.widgets.paragraphs import ParagraphRows

#: Shown in an empty section (English; translated when an editor is made).
PLACEHOLDER = N_("Write here. A guiding question (right, F2) can be taken in with Enter.")

#: How an identifying detail is marked: an underline shows in 16 colours and NO_COLOR too.
IDENTIFIER_STYLE = Style(underline=True)


def count_identifiers(text: str) -> int:
    """How many identifying details an editor of ``text`` would underline (line by line)."""
    return sum(len(find_identifiers(line)) for line in text.splitlines())


class LineHit(NamedTuple):
    """An identifier on one line of the document: ``hit`` offsets are columns of ``row``."""

    row: int
    hit: Identifier


class SectionEditor(ParagraphRows):
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

    class IdentifiersChanged(Message):
        """The identifying details found in this section changed (``editor.identifiers``)."""

        def __init__(self, editor: SectionEditor) -> None:
            self.editor = editor
            super().__init__()

        @property
        def control(self) -> SectionEditor:
            return self.editor

    #: Seconds of quiet after typing before the section is checked again.
    IDENTIFIER_DEBOUNCE: ClassVar[float] = 0.3

    def on_unmount(self) -> None:
        # TextArea watches the app's theme and never stops: the watcher would keep
        # this editor, and its text, alive as long as the app (see ui/heap.py).
        heap.unwatch(self, self.app)

    def __init__(
        self,
        section_id: str,
        text: str,
        *,
        cursor_blink: bool = True,
        read_only: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(
            text,
            soft_wrap=True,
            tab_behavior="focus",
            read_only=read_only,
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
        #: Scroll to the cursor on the first layout, before the first paint (see _size_updated).
        self._center_when_sized = False
        #: The identifying details in the document, in text order.
        self.identifiers: list[LineHit] = []
        self._identifier_rows: dict[int, list[Identifier]] = {}
        self._identifier_timer: Timer | None = None
        #: Line text -> its identifiers, for the lines of the last check.
        self._identifier_lines: dict[str, list[Identifier]] = {}
        self._find_identifiers()

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
        self._center_when_sized = True
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
        self._center_when_sized = True
        self.call_after_refresh(self.scroll_cursor_visible, center=True, animate=False)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """On the first layout after an arrival at a place, scroll there before the first paint.

        Textual lays a screen out and paints it in one go, and tells the editor
        its size (by a Resize event) only after that: scrolled to the cursor then,
        a quote or cursor below the first screenful was shown a frame late, the
        first frame painted for nothing. Here the text is wrapped to the new size
        and scrolled at once (the Resize event wraps it again, to the same).
        """
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        if self._center_when_sized and size.width and size.height:
            self._center_when_sized = False
            for _ in range(2):  # a second time if the scrollbar came or went
                width = self.wrap_width
                self._rewrap_and_refresh_virtual_size()
                super()._size_updated(size, self.virtual_size, container_size, layout)
                if self.wrap_width == width:
                    break
            self.scroll_cursor_visible(center=True, animate=False)
        return changed

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
        self.check_identifiers()

    @property
    def stored_text(self) -> str:
        """The text to store: the original while unchanged, else the document."""
        current = self.text
        return self._loaded_original if current == self._loaded_display else current

    def get_line(self, line_index: int) -> Text:
        """A document line with control characters shown as visible stand-ins."""
        # Built from the document line itself: rich's Text would silently drop
        # some controls (BEL, BS, CR) and shift every later column.
        raw = self.document.get_line(line_index)
        line = Text(visible_controls(raw), end="", no_wrap=True)
        for hit in self._identifier_rows.get(line_index, ()):
            if raw[hit.start : hit.end] == hit.text:  # still there (not yet re-checked)
                line.stylize(IDENTIFIER_STYLE, hit.start, hit.end)
        return line

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
        if self._identifier_timer is not None:
            self._identifier_timer.stop()
        self._identifier_timer = self.set_timer(
            self.IDENTIFIER_DEBOUNCE, self.check_identifiers, name="identifiers"
        )

    # --- identifying details ---------------------------------------------------------------

    def _find_identifiers(self) -> bool:
        """Find the document's identifiers again; whether anything changed."""
        # Lines that did not change since the last check are not searched again.
        known = self._identifier_lines
        current: dict[str, list[Identifier]] = {}
        found: list[LineHit] = []
        for row, line in enumerate(self.document.lines):
            hits = current.get(line)
            if hits is None:
                hits = known.get(line)
                if hits is None:
                    hits = find_identifiers(line)
                current[line] = hits
            found.extend(LineHit(row, hit) for hit in hits)
        self._identifier_lines = current
        if found == self.identifiers:
            return False
        self.identifiers = found
        rows: dict[int, list[Identifier]] = {}
        for item in found:
            rows.setdefault(item.row, []).append(item.hit)
        self._identifier_rows = rows
        return True

    def check_identifiers(self) -> None:
        """Check the section now (after a pause in typing, or before listing the hits).

        Redraws the underlines and posts :class:`IdentifiersChanged` when they changed.
        """
        if self._identifier_timer is not None:
            self._identifier_timer.stop()
            self._identifier_timer = None
        if self._find_identifiers():
            self.notify_style_update()  # TextArea's way to drop its cached lines
            self.refresh()
            self.post_message(self.IdentifiersChanged(self))

    def select_identifier(self, item: LineHit) -> None:
        """Select an identifier's text (the writer jumped to it from the list)."""
        self._arrived = True
        self._show_start = False
        self.selection = Selection((item.row, item.hit.start), (item.row, item.hit.end))
        self.call_after_refresh(self.scroll_cursor_visible, center=True, animate=False)

    def redact_identifiers(self, items: list[LineHit]) -> int:
        """Replace each of ``items`` still in the document with its label (one undo step each).

        A normal edit: it is saved like typing and Ctrl+Z brings the text back.
        Returns how many were replaced.
        """
        if self.read_only:
            return 0
        done = 0
        for item in sorted(items, key=lambda it: (it.row, it.hit.start), reverse=True):
            hit = item.hit
            if item.row >= self.document.line_count:
                continue
            if self.document.get_line(item.row)[hit.start : hit.end] != hit.text:
                continue
            self.replace(hit.label, (item.row, hit.start), (item.row, hit.end))
            done += 1
        if done:
            self.check_identifiers()
        return done


def _location(text: str, index: int) -> tuple[int, int]:
    """The (row, column) of character ``index`` of ``text``."""
    row = text.count("\n", 0, index)
    return row, index - (text.rfind("\n", 0, index) + 1)
