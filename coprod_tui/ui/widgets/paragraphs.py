"""Draw a soft-wrapped ``TextArea`` a paragraph at a time, not a whole paragraph per screen row.

Textual's ``TextArea`` draws each screen row from its whole document line: it
builds the line's ``Text`` (every character passed through Rich's control-code
filter, twice), styles it, divides it at every wrap point, and keeps the one
piece it needs. A case note is prose, a paragraph is one document line, and a
1,600-character paragraph wraps to twenty rows: each row cost the whole
paragraph, so one paint of an editor full of text took 20-40 ms, on every
key typed (the cursor moved, so every row was drawn again) and on every
section opened.

:class:`ParagraphRows` draws each paragraph once per paint: styled, divided,
and each row made into a strip only when it is asked for. The result is the
same cell for cell (a test compares it with Textual's own on many states);
whatever it does not handle -- syntax highlighting, line numbers, a
suggestion, no soft wrap -- goes to Textual's own drawing.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.expand_tabs import expand_text_tabs_from_widths
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import TextArea

__all__ = ["ParagraphRows"]


class _Paragraph:
    """One document line drawn for one paint: its rows, each made into a strip when asked."""

    __slots__ = ("pieces", "strips", "line_style", "base_style", "width")

    def __init__(
        self, pieces: list[Text], line_style: Style | None, base_style: Style, width: int
    ) -> None:
        self.pieces = pieces
        self.strips: dict[int, Strip] = {}
        self.line_style = line_style  # the row beyond the text
        self.base_style = base_style  # under everything
        self.width = width  # of a row, in cells


class ParagraphRows(TextArea):
    """A ``TextArea`` that draws each paragraph once per paint (see the module's docstring)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # The paragraphs drawn in the paint under way (None between paints): a
        # paint is synchronous, so nothing they depend on changes during it.
        self._paragraphs: dict[int, _Paragraph] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._paragraphs = {}
        try:
            return super().render_lines(crop)
        finally:
            self._paragraphs = None

    def _by_paragraph(self) -> bool:
        """Whether this editor's look is one :meth:`_draw_paragraph` draws exactly."""
        return (
            self._paragraphs is not None
            and self.soft_wrap
            and not self.show_line_numbers
            and not self.suggestion
            and not self._highlights
        )

    def _render_line(self, y: int) -> Strip:
        if not self._by_paragraph():
            return super()._render_line(y)
        wrapped = self.wrapped_document
        row = y + self.scroll_offset.y
        try:
            place = wrapped._offset_to_line_info[row]
        except IndexError:
            place = None
        if place is None:  # below the text: Textual draws the blank row
            return super()._render_line(y)
        line_index, piece = place
        assert self._paragraphs is not None
        paragraph = self._paragraphs.get(line_index)
        if paragraph is None:
            paragraph = self._paragraphs[line_index] = self._draw_paragraph(line_index)
        if piece >= len(paragraph.pieces):
            return super()._render_line(y)
        strip = paragraph.strips.get(piece)
        if strip is None:
            strip = paragraph.strips[piece] = self._row_strip(paragraph, piece)
        return strip

    def _draw_paragraph(self, line_index: int) -> _Paragraph:
        """The styled line, divided where it wraps: each piece one row on screen."""
        theme = self._theme
        line = self.get_line(line_index)
        length = len(line)
        line.tab_size = self.indent_width
        line.set_length(length + 1)  # a cell after the text, for the cursor

        start, end = self.selection
        cursor_row, cursor_column = end
        top, bottom = sorted((start, end))
        has_cursor = self._has_cursor
        cursor_line_style = (
            theme.cursor_line_style if theme and self.highlight_cursor_line and has_cursor else None
        )
        if cursor_line_style and cursor_row == line_index:
            line.stylize(cursor_line_style)

        selection_style = theme.selection_style if theme else None
        if start != end and top[0] <= line_index <= bottom[0] and selection_style:
            if length == 0 and line_index != cursor_row:
                # An empty line inside the selection shows a bar, so it is seen to be in.
                line.plain = "▌"
                line.stylize(Style(color=selection_style.bgcolor))
            else:
                first = top[1] if line_index == top[0] else 0
                last = bottom[1] if line_index == bottom[0] else length
                line.stylize(selection_style, first, last)

        bracket = self._matching_bracket_location
        brackets = has_cursor and self.match_cursor_bracket and bracket is not None and start == end
        bracket_style = theme.bracket_matching_style if theme else None
        if cursor_row == line_index:
            if brackets and bracket_style:
                line.stylize(bracket_style, cursor_column, cursor_column + 1)
            cursor_style = theme.cursor_style if theme else None
            if self._draw_cursor and cursor_style:
                line.stylize(cursor_style, cursor_column, cursor_column + 1)
        if brackets and bracket is not None and bracket[0] == line_index and bracket_style:
            line.stylize(bracket_style, bracket[1], bracket[1] + 1)

        wrapped = self.wrapped_document
        offsets = wrapped.get_offsets(line_index)
        if offsets:
            tab_widths = wrapped.get_tab_widths(line_index)
            pieces = []
            tabs_before = 0
            for piece in line.divide(offsets):
                piece.end = ""
                tabs = piece.plain.count("\t")
                pieces.append(
                    expand_text_tabs_from_widths(
                        piece, tab_widths[tabs_before : tabs_before + tabs]
                    )
                )
                tabs_before += tabs
        else:
            line.expand_tabs(self.indent_width)
            pieces = [line]

        if cursor_row == line_index and self.highlight_cursor_line:
            line_style = cursor_line_style
        else:
            line_style = theme.base_style if theme else None
        base_style = theme.base_style if theme and theme.base_style is not None else self.rich_style
        width = self.scrollable_content_region.size.width - self.gutter_width
        return _Paragraph(pieces, line_style, base_style, width)

    def _row_strip(self, paragraph: _Paragraph, piece: int) -> Strip:
        """One row of a paragraph as a strip the width of the editor, in its base style."""
        text = paragraph.pieces[piece]
        strip = Strip(text.render(self.app.console), cell_length=text.cell_len)
        strip = strip.extend_cell_length(paragraph.width, paragraph.line_style)
        return strip.apply_style(paragraph.base_style)
