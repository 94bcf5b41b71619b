"""Coverage of sections: a cases × sections matrix of what is written.

One row per untrashed case, one column per section (numbered; the legend
under the table names them), each cell a marker and a word count: ``·``
empty, ``○`` short (fewer than ``core.coverage.SHORT_WORDS`` words), ``●``
written. The last two rows are the totals per section: how many cases have it
written (of all shown), and its words. The matrix is
:func:`coprod_tui.core.coverage.build_coverage`, built in a worker with a
"Reading N cases…" line while it runs.

Sorting: ``s`` moves the sort to the next column (title, last edited, then
each section: fewest words first, so the thin cases come up), ``r`` reverses
it, and Enter (or a click) on a column's header sorts by that column. ``t``
keeps only the cases with a tag. Enter on a cell opens that case in the
editor at that section, over this screen; coming back reads the matrix again.
"""

from __future__ import annotations

import contextlib
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.widgets.data_table import RowDoesNotExist

from coprod_tui.core.i18n import _, ngettext
from coprod_tui.core.text_safety import printable
from coprod_tui.core.timefmt import relative_time
from coprod_tui.ui.commands import CoverageCommands
from coprod_tui.ui.dialogs.prompt import TextPromptDialog
from coprod_tui.ui.open_at import open_case_at
from coprod_tui.ui.styled_once import StyledOnce
from coprod_tui.ui.widgets.key_footer import KeyFooter
from coprod_tui.ui.widgets.safe_text import plain
from coprod_tui.ui.workers import StoreReply, deliver_reply, off_the_loop

if TYPE_CHECKING:
    from coprod_tui.core.coverage import Cell, Coverage
    from coprod_tui.ui.app import CoprodApp

#: The marker of each cell status (no colour needed to read them).
MARKERS = {"empty": "·", "short": "○", "written": "●"}
#: Keys of the two total rows (never a case id: those are UUIDs).
TOTAL_ROWS = ("totals-written", "totals-words")
#: The widest a title column gets (the sections need the room).
TITLE_WIDTH = 28
#: Characters of each section title in the legend (below and from 120 columns).
LEGEND_TITLE_NARROW = 16
LEGEND_TITLE_WIDE = 28
#: The "Edited" column ("yesterday", "12 Mar 2023"), shown from this window width.
EDITED_WIDTH = 11
EDITED_FROM = 100
#: Rows put into the table per turn of the loop (see ``CoverageScreen._fill``).
FILL_CHUNK = 100
#: Report progress every this many cases (and at the end).
PROGRESS_EVERY = 250


def _one_line(text: str) -> str:
    return printable(text, keep_newlines=False)


def _short(title: str, room: int) -> str:
    """A section title cut to ``room`` characters for the legend (the editor has it whole)."""
    title = _one_line(title)
    return title if len(title) <= room else title[: room - 1].rstrip() + "…"


def section_width(coverage: Coverage) -> int:
    """Cells wide enough for the largest count, the totals and the header (fixed widths)."""
    cases = len(coverage.rows)
    widest = max((cell.words for row in coverage.rows for cell in row.cells), default=0)
    words = max((totals.words for totals in coverage.totals), default=0)
    return max(4, len(f"● {widest}"), len(f"{cases}/{cases}"), len(str(words)))


def cell_text(cell: Cell) -> Text:
    """A cell as shown: the marker, then the word count (none for an empty section)."""
    marker = MARKERS.get(cell.status, "?")
    if cell.status == "empty":
        return Text(marker, style="dim", justify="right")
    style = "bold" if cell.status == "written" else ""
    return Text(f"{marker} {cell.words}", style=style, justify="right")


class CoverageTable(DataTable[Any]):
    """The matrix; Enter on a cell opens that case at that section."""

    BINDING_GROUP_TITLE = "Coverage table"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            "Open",
            tooltip="Open this case in the editor at this section",
            id="coverage.open",
        ),
        # DataTable's own Home/End scroll sideways; here they go to the first and last case.
        Binding("home", "first_row", "First case", show=False, id="coverage.first"),
        Binding("end", "last_row", "Last case", show=False, id="coverage.last"),
    ]

    def action_first_row(self) -> None:
        self.move_cursor(row=0, animate=False)

    def action_last_row(self) -> None:
        self.move_cursor(row=max(0, self.row_count - 1), animate=False)


class CoverageScreen(StyledOnce, Screen[None]):
    """The coverage matrix: cases × sections, sortable, filtered by tag."""

    COMMANDS: ClassVar[set[Any]] = {CoverageCommands}

    DEFAULT_CSS = """
    CoverageScreen #coverage-title {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    CoverageScreen #coverage-note, CoverageScreen #coverage-legend {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    CoverageScreen CoverageTable {
        height: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Close the coverage matrix", id="coverage.back"),
        Binding(
            "s",
            "sort",
            "Sort",
            tooltip="Sort by the next column (title, edited, each section)",
            id="coverage.sort",
        ),
        Binding("r", "reverse", "Reverse", tooltip="Reverse the order", id="coverage.reverse"),
        Binding("t", "tag", "Tag", tooltip="Only the cases with a tag", id="coverage.tag"),
    ]

    def __init__(self, *, tag: str | None = None) -> None:
        super().__init__()
        self.tag = tag
        #: The matrix as built (rows in title order); ``None`` until it is.
        self.coverage: Coverage | None = None
        #: What the rows are sorted by: "title", "updated" or a section id.
        self.sort_by = "title"
        self.reverse = False
        #: Every row of the current order is in the table (rows go in by chunks).
        self.filled = False
        self._fill_generation = 0
        #: The "Edited" column is shown (from :data:`EDITED_FROM` columns).
        self._with_edited = True
        self._away = False

    @property
    def coprod(self) -> CoprodApp:
        return cast("CoprodApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(_("Coverage of sections"), id="coverage-title")
        yield Static("", id="coverage-note")
        yield CoverageTable(id="coverage", cursor_type="cell", zebra_stripes=True)
        yield Static("", id="coverage-legend")
        yield KeyFooter()

    def on_mount(self) -> None:
        for footer in self.query(Footer):
            footer.show_command_palette = self.app.size.width >= 100
        self.set_focus(self.query_one(CoverageTable))
        self._build()

    @on(StoreReply)
    async def _store_reply(self, reply: StoreReply) -> None:
        await deliver_reply(reply)

    # -- building ---------------------------------------------------------------------

    def _build(self) -> None:
        """Build the matrix off the loop, saying how many cases are being read."""
        cached = self.coprod.cached_summaries()
        count = len(cached) if cached is not None else None
        self._note(
            _("Reading {n} cases…").format(n=count)
            if count is not None
            else _("Reading the cases…")
        )
        store, templates, tag = self.coprod.store, self._column_templates(), self.tag
        app = self.app

        def progress(done: int, total: int) -> None:
            if done == total or done % PROGRESS_EVERY == 0:
                with contextlib.suppress(Exception):  # the app may be closing
                    app.call_from_thread(
                        self._note, _("Reading {n} cases… {done}").format(n=total, done=done)
                    )

        def build() -> Coverage:
            from coprod_tui.core.coverage import build_coverage

            return build_coverage(store, templates, tag=tag, progress=progress)

        off_the_loop(
            self,
            build,
            done=self._built,
            failed=lambda error: self._note(
                _("Could not read the cases: {error}").format(error=error)
            ),
            group="coverage",
            exclusive=True,
            description="build the coverage matrix",
        )

    def _note(self, text: str) -> None:
        with contextlib.suppress(NoMatches):  # a progress line after the screen closed
            self.query_one("#coverage-note", Static).update(plain(text))

    def _built(self, coverage: Coverage) -> None:
        self.coverage = coverage
        self.refresh_bindings()  # sorting is offered once there is something to sort
        table = self.query_one(CoverageTable)
        table.clear(columns=True)
        # Every column has a fixed width: DataTable would otherwise measure every
        # cell of 10,000 rows on the loop (seconds) to size its auto-width columns.
        width = section_width(coverage)
        self._with_edited = self.app.size.width >= EDITED_FROM
        table.add_column(
            _("Case"), key="title", width=self._title_width(width, len(coverage.columns))
        )
        if self._with_edited:
            table.add_column(_("Edited"), key="updated", width=EDITED_WIDTH)
        for column in coverage.columns:
            table.add_column(Text(str(column.number), justify="right"), key=column.id, width=width)
        room = LEGEND_TITLE_WIDE if self.app.size.width >= 120 else LEGEND_TITLE_NARROW
        legend = "  ".join(f"{c.number} {_short(c.title, room)}" for c in coverage.columns)
        self.query_one("#coverage-legend", Static).update(
            plain(_("· empty  ○ short  ● written (words)") + f"   {legend}")
        )
        self._fill()

    def _title_width(self, section_width: int, sections: int) -> int:
        """What the window leaves for titles once the sections (and "Edited") have room."""
        rest = sections * (section_width + 2) + 2
        if self._with_edited:
            rest += EDITED_WIDTH + 2
        return max(12, min(TITLE_WIDTH, self.app.size.width - rest - 2))

    def _fill(self, keep: str | None = None) -> None:
        """(Re)fill the rows in the current order, keeping the cursor on ``keep``'s row.

        The rows go in :data:`FILL_CHUNK` at a time, each chunk in its own turn
        of the loop: DataTable measures every new cell, which for 10,000 cases
        takes seconds, and keys (moving, sorting again, Escape) must not wait
        for it. A newer fill (another sort) supersedes one still going.
        """
        assert self.coverage is not None
        coverage = self.coverage.sorted(self.sort_by, self.reverse)
        table = self.query_one(CoverageTable)
        column = table.cursor_column
        table.clear()
        self._fill_generation += 1
        self.filled = False
        self._add_rows(self._fill_generation, coverage, 0, keep, column)

    def _add_rows(
        self, generation: int, coverage: Coverage, start: int, keep: str | None, column: int
    ) -> None:
        if generation != self._fill_generation or not self.is_attached:
            return
        table = self.query_one(CoverageTable)
        now = self.coprod.clock()
        title_width = table.ordered_columns[0].width if table.ordered_columns else TITLE_WIDTH
        chunk = coverage.rows[start : start + FILL_CHUNK]
        for row in chunk:
            title = Text(_one_line(row.title) or _("(untitled)"), overflow="ellipsis", no_wrap=True)
            title.truncate(title_width, overflow="ellipsis")
            cells = [cell_text(cell) for cell in row.cells]
            edited = [relative_time(row.updated, now)] if self._with_edited else []
            table.add_row(title, *edited, *cells, key=row.case_id)
        if start == 0:
            table.move_cursor(row=0, column=column, animate=False)
        if keep is not None and any(row.case_id == keep for row in chunk):
            with contextlib.suppress(RowDoesNotExist):
                table.move_cursor(row=table.get_row_index(keep), column=column, animate=False)
        done = start + len(chunk)
        if done < len(coverage.rows):
            self._note(_("Showing {done} of {n} cases…").format(done=done, n=len(coverage.rows)))
            self.set_timer(0.01, partial(self._add_rows, generation, coverage, done, keep, column))
            return
        total = len(coverage.rows)
        table.add_row(
            Text(_("Written"), style="bold"),
            *([""] if self._with_edited else []),
            *(Text(f"{t.written}/{total}", style="bold", justify="right") for t in coverage.totals),
            key=TOTAL_ROWS[0],
        )
        table.add_row(
            Text(_("Words"), style="bold"),
            *([""] if self._with_edited else []),
            *(Text(str(t.words), style="bold", justify="right") for t in coverage.totals),
            key=TOTAL_ROWS[1],
        )
        self.filled = True
        self._note(self._summary(coverage))

    def _summary(self, coverage: Coverage) -> str:
        count = len(coverage.rows)
        parts = [ngettext("{n} case", "{n} cases", count).format(n=count)]
        if self.tag:
            parts.append(_("tag {tag}").format(tag=self.tag))
        order = _("title") if self.sort_by == "title" else self.sort_by
        if self.sort_by == "updated":
            order = _("last edited")
        elif self.sort_by != "title":
            with contextlib.suppress(KeyError):
                index = coverage.column_index(self.sort_by)
                order = _("section {number}").format(number=coverage.columns[index].number)
        sorted_by = _("sorted by {order}").format(order=order)
        parts.append(sorted_by + (_(" (reversed)") if self.reverse else ""))
        if coverage.damaged:
            parts.append(_("{n} damaged left out ('coprod doctor')").format(n=coverage.damaged))
        return " · ".join(parts)

    # -- sorting and filtering --------------------------------------------------------

    def _sort_keys(self) -> list[str]:
        columns = self.coverage.columns if self.coverage is not None else ()
        return ["title", "updated", *(column.id for column in columns)]

    def _current_case(self) -> str | None:
        table = self.query_one(CoverageTable)
        if table.row_count == 0:
            return None
        with contextlib.suppress(Exception):
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            return key if key not in TOTAL_ROWS else None
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("sort", "reverse"):
            return self.coverage is not None or None
        return True

    def action_sort(self) -> None:
        """Sort by the next column: title, last edited, then each section in turn."""
        if self.coverage is None:
            return
        keys = self._sort_keys()
        position = keys.index(self.sort_by) if self.sort_by in keys else 0
        self.sort_by = keys[(position + 1) % len(keys)]
        self.reverse = False
        self._fill(self._current_case())

    def action_reverse(self) -> None:
        if self.coverage is None:
            return
        self.reverse = not self.reverse
        self._fill(self._current_case())

    @on(DataTable.HeaderSelected)
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        """Sort by the chosen column; choosing it again reverses the order."""
        event.stop()
        key = event.column_key.value
        if self.coverage is None or key is None:
            return
        if key == self.sort_by:
            self.reverse = not self.reverse
        else:
            self.sort_by, self.reverse = key, False
        self._fill(self._current_case())

    def action_tag(self) -> None:
        """Ask for a tag; only cases with it are shown (empty: every case)."""

        def chosen(value: str | None) -> None:
            if value is None:
                return
            self.tag = value.strip() or None
            self._build()

        self.app.push_screen(
            TextPromptDialog(
                _("Only cases with a tag"),
                _("Tag (empty: every case)"),
                self.tag or "",
                placeholder=_("e.g. akuten"),
            ),
            chosen,
        )

    # -- opening ----------------------------------------------------------------------

    @on(DataTable.CellSelected)
    async def _cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        case_id = event.cell_key.row_key.value
        column = event.cell_key.column_key.value
        if case_id is None or case_id in TOTAL_ROWS:
            return
        section_id = self._open_at(case_id, column)
        self._away = True
        await open_case_at(self, case_id, section_id)

    def _open_at(self, case_id: str, column_key: str | None) -> str | None:
        """Where in the case a column opens: its section's id in the case's own template.

        A case whose template still uses an old id (``renamed_from``) opens at
        that id; the title and "Edited" columns open where the case was left.
        """
        if self.coverage is None or column_key in (None, "title", "updated"):
            return None
        try:
            column = self.coverage.columns[self.coverage.column_index(column_key)]
            row = next(r for r in self.coverage.rows if r.case_id == case_id)
        except (KeyError, StopIteration):
            return column_key
        template = self.coprod.template_for(row.template_id) or self.coprod.templates.default()
        return column.section_id_in(template) or column.id

    def on_screen_resume(self) -> None:
        """Back from the editor: the case may have changed there, so read the matrix again."""
        if self._away:
            self._away = False
            keep = self._current_case()
            self._rebuild_keeping(keep)

    def _column_templates(self) -> list[Any]:
        """Every template, the one a new case starts with first: its sections' titles head
        the columns (the Swedish template's for a Swedish user, as ``coprod coverage`` does)."""
        from coprod_tui.core.template.registry import default_template_id

        registry = self.coprod.templates
        leading = []
        if registry.entries:
            try:
                leading = [registry.get(default_template_id(registry, self.coprod.config))]
            except Exception:  # noqa: BLE001 - no usable default: the registry's own leads
                leading = []
        return [*leading, *registry.all()]

    def _rebuild_keeping(self, keep: str | None) -> None:
        store, templates, tag = self.coprod.store, self._column_templates(), self.tag

        def build() -> Coverage:
            from coprod_tui.core.coverage import build_coverage

            return build_coverage(store, templates, tag=tag)

        def done(coverage: Coverage) -> None:
            self.coverage = coverage
            self._fill(keep)

        off_the_loop(self, build, done=done, group="coverage", exclusive=True)

    def action_back(self) -> None:
        self.dismiss()

    def cell_at(self, row: int, column: int) -> str:
        """The plain text shown at (row, column) (for tests and tools)."""
        value = self.query_one(CoverageTable).get_cell_at(Coordinate(row, column))
        return value.plain if isinstance(value, Text) else str(value)
