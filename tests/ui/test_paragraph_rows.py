"""The section editor draws a paragraph once per paint, and draws it exactly as Textual does.

Textual's ``TextArea`` draws every screen row from its whole paragraph (20-40 ms
a paint for an editor full of prose). ``ParagraphRows`` draws each paragraph
once; these tests hold it to Textual's own drawing, cell by cell, over the
states an editor is in: cursor, selections (an empty line in one too),
brackets matched, tabs, wide characters, control characters, identifiers
underlined, scrolled, read-only, without the focus.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Button, TextArea
from textual.widgets.text_area import Selection

from coprod_tui.ui.widgets.section_editor import SectionEditor

PROSE = (
    "Margit (fictional) waited forty minutes for the district nurse, and said so: "
    '"you only see the clock, never me". The nurse (also fictional) listened, '
    "wrote it down word for word, and asked what a good visit would look like."
)
TEXT = "\n".join(
    [
        PROSE * 2,
        "",
        "Short line.",
        "Tabs\tbetween\twords, and wide ones: 漢字 väntrum 🙂 end.",
        "A control char \x1b[31m shown, not obeyed. Test number 19121212-1212 (fictional).",
        "",
        PROSE,
    ]
)


def cells(strip: object) -> list[tuple[str, object]]:
    """A drawn row cell by cell: each character with its style (meta left out)."""
    return [
        (char, segment.style.clear_meta_and_links() if segment.style else None)
        for segment in strip  # type: ignore[attr-defined]
        for char in segment.text
    ]


class EditorApp(App[None]):
    def __init__(self, read_only: bool = False) -> None:
        super().__init__()
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        yield SectionEditor("situation", TEXT, cursor_blink=False, read_only=self.read_only)
        yield Button("elsewhere")


def assert_drawn_as_textual_draws(editor: SectionEditor) -> None:
    editor._paragraphs = {}
    try:
        for y in range(editor.size.height):
            ours = cells(editor._render_line(y))
            textuals = cells(TextArea._render_line(editor, y))
            assert ours == textuals, f"row {y}"
    finally:
        editor._paragraphs = None


async def at_end(editor: SectionEditor) -> None:
    editor.move_cursor(editor.document.end)


async def across_paragraphs(editor: SectionEditor) -> None:
    editor.selection = Selection((0, 40), (4, 12))  # the empty line 1 inside it


async def within_a_row(editor: SectionEditor) -> None:
    editor.selection = Selection((0, 10), (0, 30))


async def backwards(editor: SectionEditor) -> None:
    editor.selection = Selection((6, 20), (2, 3))


async def by_a_bracket(editor: SectionEditor) -> None:
    editor.move_cursor((0, PROSE.index("(")))  # its partner further along the row


async def by_a_far_bracket(editor: SectionEditor) -> None:
    editor.move_cursor((0, len(PROSE) + PROSE.index(")")))


async def in_the_tabs(editor: SectionEditor) -> None:
    editor.move_cursor((3, 9))


async def scrolled(editor: SectionEditor) -> None:
    editor.move_cursor((6, 5))
    editor.scroll_to(y=4, animate=False, immediate=True)


async def unfocused(editor: SectionEditor) -> None:
    editor.move_cursor((2, 4))
    editor.app.query_one(Button).focus()


STATES: list[Callable[[SectionEditor], Awaitable[None]]] = [
    at_end,
    across_paragraphs,
    within_a_row,
    backwards,
    by_a_bracket,
    by_a_far_bracket,
    in_the_tabs,
    scrolled,
    unfocused,
]


@pytest.mark.parametrize("read_only", [False, True])
@pytest.mark.parametrize("width", [40, 83])
async def test_every_row_is_drawn_as_textual_draws_it(read_only: bool, width: int) -> None:
    app = EditorApp(read_only=read_only)
    async with app.run_test(size=(width, 30)) as pilot:
        editor = app.query_one(SectionEditor)
        editor.focus()
        await pilot.pause()
        assert editor.identifiers  # the test number is underlined: drawn through get_line
        for state in STATES:
            editor.focus()
            await state(editor)
            await pilot.pause()
            assert_drawn_as_textual_draws(editor)


async def test_a_paint_draws_each_paragraph_once() -> None:
    app = EditorApp()
    async with app.run_test(size=(50, 30)) as pilot:
        editor = app.query_one(SectionEditor)
        await pilot.pause()
        drawn: list[int] = []
        draw = editor._draw_paragraph

        def counted(line_index: int) -> object:
            drawn.append(line_index)
            return draw(line_index)

        editor._draw_paragraph = counted  # type: ignore[method-assign]
        editor.move_cursor((0, 3))  # every row drawn again: the cursor moved
        editor.refresh()
        await pilot.pause()
        shown_rows = editor.size.height
        first_paragraph_rows = len(editor.wrapped_document.get_offsets(0)) + 1
        assert first_paragraph_rows > 5 and shown_rows > first_paragraph_rows
        assert drawn and len(drawn) == len(set(drawn))  # no paragraph drawn twice in a paint
