"""The case list: home screen of the workbench.

A table of cases (title, template, progress, tags, last updated) with a quick
filter, plus the things one does to a case as a whole: create, open, rename,
tag, duplicate, delete (to the trash) and restore. Section text is the
editor's business; this screen only reads the store's catalog, so it stays
fast with thousands of cases.

Every string from a case is shown through :func:`printable` and as a plain
``Text``/``Content`` object, never as markup: a title ``[@click=app.quit]x``
is just a title.

Keys typed right after one that opens something (Enter, ``n``, ``/``, ``r``,
``t``) belong to what it opens, never to this screen: the table holds them and
the key's action hands them on (see ``ui/typeahead.py``). Without that, a quick
"Enter, then type" could reach this screen first, where ``c`` duplicates a
case and ``x`` deletes one.
"""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on
from textual.actions import parse as parse_action
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Static
from textual.widgets.data_table import RowDoesNotExist

from coprod_tui.core.case import Case, new_case, new_case_id, normalise_tags
from coprod_tui.core.errors import CoprodError
from coprod_tui.core.store import CaseSummary
from coprod_tui.core.text_safety import printable
from coprod_tui.ui.typeahead import HoldsTypeAhead, hand_on

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from coprod_tui.ui.app import CoprodApp
    from coprod_tui.ui.screens.dialogs import NewCaseRequest

FILLED = "█"
EMPTY = "░"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# -- formatting (pure, so tests can pin them down) ------------------------------------


def progress_cell(filled: int, total: int) -> Text:
    """A compact bar (see :func:`_progress_bar`), a fresh copy for each row."""
    return _progress_bar(filled, total).copy()


@functools.lru_cache(maxsize=256)
def _progress_bar(filled: int, total: int) -> Text:
    """A compact bar, one cell per section: ``█████░░░░ 5/9``.

    Block elements render in every common terminal font, and the two glyphs
    differ in shape as well as colour, so the bar still reads in NO_COLOR.
    """
    total = max(total, 0)
    filled = max(0, min(filled, total))
    cells = total if total <= 12 else 10
    done = round(cells * filled / total) if total else 0
    return Text.assemble(
        (FILLED * done, "green"),
        (EMPTY * (cells - done), "dim"),
        f" {filled}/{total}",
        no_wrap=True,
    )


def parse_timestamp(stamp: str) -> datetime | None:
    """A stored ISO 8601 time as an aware datetime; ``None`` if unreadable."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def relative_time(stamp: str, now: datetime) -> str:
    """'just now', '5 min ago', '3 h ago', 'yesterday', '4 days ago', '12 Mar', '12 Mar 2023'.

    Month names are fixed English abbreviations, not the C locale's, so the
    column is the same on every machine (and in snapshot tests).
    """
    moment = parse_timestamp(stamp)
    if moment is None:
        return "?"
    if now.tzinfo is None:
        now = now.astimezone()
    local = moment.astimezone(now.tzinfo)
    seconds = (now - local).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    days = (now.date() - local.date()).days
    if days == 0:
        return f"{int(seconds // 3600)} h ago"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    month = MONTHS[local.month - 1]
    if local.year == now.year:
        return f"{local.day} {month}"
    return f"{local.day} {month} {local.year}"


def short_id(text: str, width: int) -> str:
    """Fit an id into ``width`` cells, keeping a short tail such as ``-sv``."""
    if len(text) <= width:
        return text
    head, _, tail = text.rpartition("-")
    if head and len(tail) <= 3 and width > len(tail) + 3:
        return text[: width - len(tail) - 2] + "…-" + tail
    return text[: width - 1] + "…"


def plain(text: str) -> str:
    """User text made safe for a one-line cell.

    ``str.isprintable`` (fast, in C) is false for every control character, so
    text that passes it has nothing for :func:`printable` to strip; only the
    rest pays for the regular expressions. This keeps a 10,000-case list quick.
    """
    return text if text.isprintable() else printable(text, keep_newlines=False)


def title_cell(summary: CaseSummary) -> Text:
    """The title, marked when the case is damaged or a conflict copy.

    The markers are words on a contrasting background, so they read in NO_COLOR.
    """
    title = plain(summary.title) or f"(case {summary.id[:8]})"
    if summary.damaged:
        marker = (" damaged ", "bold white on red")
    elif summary.conflict_of:
        marker = (" conflict copy ", "bold black on yellow")
    else:
        return Text(title, no_wrap=True, overflow="ellipsis")
    return Text.assemble(marker, " ", title, no_wrap=True, overflow="ellipsis")


def matches(summary: CaseSummary, query: str) -> bool:
    """Every word of ``query`` appears in the title or a tag (case-insensitive)."""
    haystack = " ".join([summary.title, *summary.tags]).casefold()
    return all(word in haystack for word in query.casefold().split())


# -- widgets ----------------------------------------------------------------------------


class QuickFilter(Input):
    """The ``/`` filter: narrows the table as you type; Escape clears and closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Clear filter", tooltip="Clear the filter and close it"),
        Binding("down", "leave", "To the table", show=False),
    ]

    class Closed(Message):
        """The user is done filtering (``cleared``: the text was thrown away)."""

        def __init__(self, cleared: bool) -> None:
            super().__init__()
            self.cleared = cleared

    def action_close(self) -> None:
        self.value = ""
        self.post_message(self.Closed(cleared=True))

    def action_leave(self) -> None:
        self.post_message(self.Closed(cleared=False))


class CaseTable(HoldsTypeAhead, DataTable[Any]):
    """The table of cases; one row per case, keyed by case id.

    Enter opens the selected case (so the footer, which shows the focused
    widget's binding for a key, says "Open"). The table is where keys typed
    right after a key that opens something are held (:attr:`type_ahead`).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.typed('open_case')", "Open", tooltip="Open the selected case"),
    ]

    DEFAULT_CSS = """
    CaseTable { height: 1fr; }
    """

    def key_opens_something(self, key: str) -> bool:
        screen = self.screen
        return isinstance(screen, CaseListScreen) and screen.key_opens_something(key)


# -- the screen -------------------------------------------------------------------------


class CaseListScreen(Screen[None]):
    """Home: every case in the store, newest first."""

    AUTO_FOCUS = "CaseTable"

    BINDINGS: ClassVar[list[BindingType]] = [
        # typed(...): keys typed right after these follow them (module docstring).
        Binding("n", "typed('new_case')", "New", tooltip="Start a new case"),
        Binding(
            "enter", "typed('open_case')", "Open", tooltip="Open the selected case in the editor"
        ),
        Binding(
            "slash", "typed('filter')", "Filter", key_display="/", tooltip="Filter by title or tag"
        ),
        Binding("r", "typed('rename')", "Rename", tooltip="Rename the selected case"),
        Binding("t", "typed('tags')", "Tags", tooltip="Edit the tags of the selected case"),
        Binding(
            "c", "duplicate", "Duplicate", show=False, tooltip="Make a copy of the selected case"
        ),
        Binding("delete,x", "delete", "Delete", tooltip="Move the selected case to the trash"),
        Binding(
            "b", "trash", "Trash", show=False, tooltip="Deleted cases (the trash bin): restore one"
        ),
        Binding("y", "copy_id", "Copy id", show=False, tooltip="Copy the case id to the clipboard"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    ROW_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"open_case", "rename", "tags", "duplicate", "delete", "copy_id"}
    )

    #: The quick-filter text; the table shows only matching cases.
    filter_text: reactive[str] = reactive("", init=False)

    class CasesChanged(Message):
        """The list was re-read from the store (tests and the palette listen)."""

        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    def __init__(self) -> None:
        super().__init__()
        #: The catalog as last read (``None`` before the first read or after a failure).
        self.summaries: list[CaseSummary] | None = None
        self._width_class = ""
        self._suspended = False
        self._fill_generation = 0
        #: The screen the last action pushed, until it has mounted.
        self._pushed: AwaitMount | None = None

    @property
    def coprod(self) -> CoprodApp:
        return cast("CoprodApp", self.app)

    # -- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="body"):
            with Horizontal(id="filter-bar"):
                yield Label("Filter", id="filter-label")
                yield QuickFilter(
                    placeholder="title or tag…  (Enter: to the list, Esc: clear)",
                    id="filter",
                    compact=True,
                )
            yield CaseTable(id="cases", cursor_type="row", zebra_stripes=False)
            yield Static(id="greeting")
            yield Static(id="no-match")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter-bar").display = False
        self.refresh_cases()

    def on_screen_suspend(self) -> None:
        self._suspended = True

    def on_screen_resume(self) -> None:
        """Back from the editor or a dialog: the store may have changed.

        The first resume (right after mount) is skipped: the list was just read.
        """
        if self._suspended:
            self._suspended = False
            self.refresh_cases()

    def on_resize(self, event: Resize) -> None:
        # Below 100 columns the palette hint makes room so Quit and Help still fit
        # (Ctrl+P is in the greeting and in help).
        self.query_one(Footer).show_command_palette = event.size.width >= 100
        width_class = _width_class(event.size.width)
        if width_class != self._width_class and self.summaries is not None:
            self._rebuild_table()

    # -- reading the store ------------------------------------------------------------

    def refresh_cases(self) -> None:
        """Re-read the catalog and redraw, keeping the selection where it was."""
        try:
            summaries = self.coprod.store.list_cases()
        except CoprodError as error:
            self.summaries = None
            self._show_greeting(Content(f"Cannot read the store: {plain(str(error))}"))
            self.coprod.notify_error(error, title="Store")
            return
        self.summaries = sorted(summaries, key=_sort_key, reverse=True)
        self._rebuild_table()
        self.post_message(self.CasesChanged(len(self.summaries)))

    def visible_summaries(self) -> list[CaseSummary]:
        """The cases the filter lets through, in table order."""
        summaries = self.summaries or []
        if not self.filter_text.strip():
            return list(summaries)
        return [summary for summary in summaries if matches(summary, self.filter_text)]

    def watch_filter_text(self) -> None:
        self._rebuild_table()

    def _rebuild_table(self) -> None:
        """Redraw the table from :attr:`summaries` and the filter.

        The first screenful of rows is added at once; the rest follow in
        batches after each paint, so a store with thousands of cases shows
        its newest cases immediately instead of after every row is built.
        """
        table = self.query_one(CaseTable)
        selected = self.selected_case_id()
        width = self.app.size.width
        self._width_class = _width_class(width)
        widths = column_widths(width)
        table.clear(columns=True)
        for (label, key), column_width in zip(COLUMNS, widths, strict=True):
            table.add_column(label, width=column_width, key=key)
        visible = self.visible_summaries()
        self._fill_generation += 1
        fill = _Fill(self._fill_generation, visible, self.coprod.clock(), widths, selected)
        self._add_rows(fill, FIRST_ROWS)
        self._update_placeholders(visible)
        count = len(self.summaries or [])
        shown = f"{len(visible)} of {count}" if self.filter_text.strip() else f"{count}"
        self.sub_title = f"{shown} case{'s' if count != 1 else ''}"
        self.refresh_bindings()

    def _add_rows(self, fill: _Fill, count: int) -> None:
        """Add the next ``count`` rows of ``fill`` unless a newer rebuild replaced it.

        Stops while another screen (the editor) is on top: typing must not
        compete with filling a table nobody sees. Coming back rebuilds anyway.
        """
        if fill.generation != self._fill_generation:
            return
        if fill.done and self.app.screen is not self:
            return
        table = self.query_one(CaseTable)
        end = min(len(fill.rows), fill.done + count)
        for summary in fill.rows[fill.done : end]:
            table.add_row(
                *self._cells(summary, fill.now, fill.widths, fill.columns), key=summary.id
            )
            if summary.id == fill.selected:
                self._select(summary.id)
        fill.done = end
        if end < len(fill.rows):
            self.call_after_refresh(self._add_rows, fill, MORE_ROWS)

    def _cells(
        self,
        summary: CaseSummary,
        now: datetime,
        widths: list[int],
        columns: dict[str, tuple[frozenset[str], int, Text]],
    ) -> list[Text]:
        """One row; ``columns`` caches per template id what every row of it shares."""
        shared = columns.get(summary.template_id)
        if shared is None:
            template = self.coprod.template_for(summary.template_id)
            if template is not None:
                label = Text(short_id(plain(template.id), widths[1]), no_wrap=True)
                shared = (frozenset(template.section_ids()), len(template.sections), label)
            else:
                label = Text(short_id(plain(summary.template_id), widths[1]), style="italic")
                shared = (frozenset(), -1, label)
            columns[summary.template_id] = shared
        known, total, template_text = shared
        if total >= 0:
            progress = progress_cell(sum(1 for s in summary.filled if s in known), total)
        else:  # template not installed: count what is there
            progress = progress_cell(len(summary.filled), len(summary.filled))
        tags = Text(
            ", ".join(plain(tag) for tag in summary.tags),
            no_wrap=True,
            overflow="ellipsis",
            style="italic",
        )
        updated = Text(relative_time(summary.updated, now), no_wrap=True)
        return [title_cell(summary), template_text, progress, tags, updated]

    def _update_placeholders(self, visible: list[CaseSummary]) -> None:
        table = self.query_one(CaseTable)
        greeting = self.query_one("#greeting", Static)
        no_match = self.query_one("#no-match", Static)
        empty_store = not self.summaries
        table.display = not empty_store
        greeting.display = empty_store
        no_match.display = bool(self.summaries) and not visible
        if empty_store:
            greeting.update(self._greeting())
        if no_match.display:
            no_match.update(
                Content.assemble(
                    "No case matches “",
                    (plain(self.filter_text), "bold"),
                    "”. Press Escape to clear the filter.",
                )
            )

    def _greeting(self) -> Content:
        """What a newcomer sees in an empty store: what a case is and what to do next."""
        store_path = plain(str(getattr(self.coprod.store, "path", "")))
        return Content.assemble(
            ("Welcome to coprod\n\n", "bold"),
            "A case is one real situation from your practice, written up section by "
            "section with Batalden's coproduction template, with the guiding "
            "questions beside the editor.\n\n",
            ("  n       ", "bold"),
            "write your first case\n",
            ("  F1      ", "bold"),
            "help: the keys, and what the template is about\n",
            ("  Ctrl+P  ", "bold"),
            "every command\n",
            ("  Ctrl+Q  ", "bold"),
            "quit (everything is saved as you type)\n\n",
            "To see a finished example first, quit and run ",
            ("coprod --demo", "bold"),
            ".\n",
            (f"Cases are kept in {store_path}" if store_path else "", "dim"),
        )

    def _show_greeting(self, content: Content) -> None:
        self.query_one(CaseTable).display = False
        greeting = self.query_one("#greeting", Static)
        greeting.display = True
        greeting.update(content)

    # -- selection --------------------------------------------------------------------

    def selected_case_id(self) -> str | None:
        """The id of the case under the cursor, if any."""
        table = self.query_one(CaseTable)
        if table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except Exception:  # cursor outside the table
            return None
        return cast("str | None", key.value)

    def selected_summary(self) -> CaseSummary | None:
        case_id = self.selected_case_id()
        for summary in self.summaries or []:
            if summary.id == case_id:
                return summary
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Row actions are shown dimmed when there is no case to act on."""
        if action == "typed":
            return self.check_action(str(parameters[0]), ())
        if action in self.ROW_ACTIONS:
            summary = self.selected_summary() if self.is_mounted else None
            if summary is None:
                return None
            if summary.damaged and action != "copy_id" and action != "delete":
                return None
        if action == "clear_filter":
            return bool(self.filter_text)
        return True

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected)
    async def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        await self.action_open_case()

    # -- keys that open something -----------------------------------------------------

    #: The bound actions that move the focus elsewhere (a screen, the filter).
    OPENING_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"open_case", "new_case", "filter", "rename", "tags"}
    )

    def key_opens_something(self, key: str) -> bool:
        """Will ``key``, pressed in the table now, open something (so hold what follows)?"""
        for binding in (*CaseTable.BINDINGS, *self.BINDINGS):
            if isinstance(binding, Binding) and key in binding.key.split(","):
                _namespace, name, parameters = parse_action(binding.action)
                action = str(parameters[0]) if name == "typed" and parameters else name
                return action in self.OPENING_ACTIONS and bool(self.check_action(action, ()))
        return False

    async def action_typed(self, action: str) -> None:
        """A key that opens something; the keys typed right after it go there too.

        The app runs this to completion before it reads another key, so the
        held keys are handed on before any key typed later.
        """
        held = await self.query_one(CaseTable).type_ahead.take()
        self._pushed = None
        result = getattr(self, f"action_{action}")()
        if result is not None:
            await result
        if self._pushed is not None:
            await self._pushed  # dialogs focus their first field on mount
            self._pushed = None
        if self.app.screen is not self or self.focused is not self.query_one(CaseTable):
            await hand_on(self.app, held)

    def _push(self, screen: Screen[Any], callback: Any = None) -> None:
        """Push a dialog; :meth:`action_typed` waits until it has mounted."""
        self._pushed = self.app.push_screen(screen, callback)

    # -- filter -----------------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one("#filter-bar").display = True
        # At once (Widget.focus would wait): a query typed straight after / lands here.
        self.set_focus(self.query_one(QuickFilter))

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.query_one(CaseTable).focus()

    @on(QuickFilter.Closed)
    def _filter_closed(self, event: QuickFilter.Closed) -> None:
        if event.cleared:
            self.filter_text = ""
            self.query_one("#filter-bar").display = False
        self.query_one(CaseTable).focus()

    def action_clear_filter(self) -> None:
        self.query_one(QuickFilter).value = ""
        self.query_one("#filter-bar").display = False
        self.filter_text = ""
        self.query_one(CaseTable).focus()

    # -- case actions -----------------------------------------------------------------

    async def action_open_case(self) -> None:
        """Open the selected case; returns once the editor has focus."""
        summary = self.selected_summary()
        if summary is None:
            return
        if summary.damaged:
            self.notify(
                "This case file is damaged and cannot be opened. "
                "'coprod doctor' can check and repair the store.",
                title="Damaged case",
                severity="warning",
                markup=False,
            )
            return
        await self._open(summary.id)

    async def _open(self, case_id: str) -> None:
        """Open a case in the editor and wait until keys typed now would land there."""
        from coprod_tui.ui.screens.case_editor import CaseEditorScreen

        self.coprod.open_case(case_id)
        editor = self.app.screen
        if isinstance(editor, CaseEditorScreen):
            await editor.until_ready()

    def action_new_case(self) -> None:
        """Ask for a title and a template, then create the case and open it."""
        from coprod_tui.ui.screens.dialogs import NewCaseDialog

        templates = self.coprod.templates.all()
        if not templates:
            self.notify("No templates are installed.", severity="error", markup=False)
            return
        self._push(NewCaseDialog(templates, self.default_template_id(), create=self._create_case))

    def default_template_id(self) -> str:
        """The user's default: config, then a Swedish locale, then English."""
        from coprod_tui.core.config import preferred_template_id
        from coprod_tui.core.template_registry import DEFAULT_TEMPLATE_ID, SWEDISH_TEMPLATE_ID

        available = [template.id for template in self.coprod.templates.all()]
        chosen = preferred_template_id(
            self.coprod.config,
            available,
            english_id=DEFAULT_TEMPLATE_ID,
            swedish_id=SWEDISH_TEMPLATE_ID,
        )
        return chosen if chosen in available else available[0]

    async def _create_case(self, request: NewCaseRequest) -> None:
        """Store a new case and open it (the editor replaces the new-case dialog).

        If the case cannot be created, say so; the dialog stays, with its title.
        """
        template = self.coprod.template_for(request.template_id)
        if template is None:
            self.notify("That template is not installed.", severity="error", markup=False)
            return
        case = new_case(request.title, template, now=_stamp(self.coprod.clock()))
        try:
            stored = self.coprod.store.create(case)
        except CoprodError as error:
            self.coprod.notify_error(error, title="Case not created")
            return
        self.refresh_cases()
        await self._open(stored.id)

    def _load_selected(self) -> Case | None:
        summary = self.selected_summary()
        if summary is None:
            return None
        try:
            return self.coprod.store.load(summary.id)
        except CoprodError as error:
            self.coprod.notify_error(error, title="Cannot open case")
            return None

    def _save(self, case: Case, *, what: str) -> None:
        try:
            result = self.coprod.store.save(case, base_revision=case.revision)
        except CoprodError as error:
            self.coprod.notify_error(error, title=f"{what} failed")
            return
        if result.conflicted:
            self.notify(
                "Another window changed this case at the same moment; your change "
                "was kept as a conflict copy.",
                title="Conflict",
                severity="warning",
                markup=False,
            )
        self.refresh_cases()

    def action_rename(self) -> None:
        from coprod_tui.ui.screens.dialogs import TextPromptDialog

        case = self._load_selected()
        if case is None:
            return

        def rename(title: str | None) -> None:
            if title is None or not title.strip() or title.strip() == case.title:
                return
            self._save(replace(case, title=title.strip()), what="Rename")

        self._push(TextPromptDialog("Rename case", "Title", case.title, required=True), rename)

    def action_tags(self) -> None:
        from coprod_tui.ui.screens.dialogs import TextPromptDialog

        case = self._load_selected()
        if case is None:
            return

        def retag(text: str | None) -> None:
            if text is None:
                return
            tags = normalise_tags(text.split(","))
            if tags != case.tags:
                self._save(replace(case, tags=tags), what="Tagging")

        self._push(
            TextPromptDialog(
                "Tags",
                "Tags, separated by commas",
                ", ".join(case.tags),
                placeholder="e.g. heart failure, family carer",
            ),
            retag,
        )

    def action_duplicate(self) -> None:
        case = self._load_selected()
        if case is None:
            return
        copy = duplicate_case(case, _stamp(self.coprod.clock()))
        try:
            stored = self.coprod.store.create(copy)
        except CoprodError as error:
            self.coprod.notify_error(error, title="Duplicate failed")
            return
        self.refresh_cases()
        self._select(stored.id)
        self.notify(f"Duplicated as “{plain(stored.title)}”", markup=False, timeout=4)

    def action_delete(self) -> None:
        from coprod_tui.ui.screens.dialogs import ConfirmDialog

        summary = self.selected_summary()
        if summary is None:
            return

        def delete(confirmed: bool | None) -> None:
            if not confirmed:
                return
            try:
                self.coprod.store.trash(summary.id)
            except CoprodError as error:
                self.coprod.notify_error(error, title="Delete failed")
                return
            self.refresh_cases()
            self.notify("Moved to the trash. Press b to restore it.", markup=False, timeout=5)

        self.app.push_screen(
            ConfirmDialog(
                "Delete case?",
                Content.assemble(
                    "Move “",
                    (plain(summary.title) or "(untitled)", "bold"),
                    "” to the trash?\nYou can restore it from the trash (b).",
                ),
                confirm_label="Move to trash",
            ),
            delete,
        )

    def action_trash(self) -> None:
        from coprod_tui.ui.screens.dialogs import TrashScreen

        self.app.push_screen(TrashScreen())

    def action_copy_id(self) -> None:
        case_id = self.selected_case_id()
        if case_id is not None:
            self.coprod.copy_case_id(case_id)

    def _select(self, case_id: str) -> None:
        table = self.query_one(CaseTable)
        with contextlib.suppress(RowDoesNotExist):  # filtered out, or gone
            table.move_cursor(row=table.get_row_index(case_id), animate=False)


# -- helpers ----------------------------------------------------------------------------

#: Rows added before the first paint (a tall terminal's first screen) ...
FIRST_ROWS = 100
#: ... and per paint afterwards.
MORE_ROWS = 500


@dataclass
class _Fill:
    """One pass of filling the table: which rows, how far, and what to reselect."""

    generation: int
    rows: list[CaseSummary]
    now: datetime
    widths: list[int]
    selected: str | None
    done: int = 0
    columns: dict[str, tuple[frozenset[str], int, Text]] = field(default_factory=dict)


COLUMNS: tuple[tuple[str, str], ...] = (
    ("Title", "title"),
    ("Template", "template"),
    ("Progress", "progress"),
    ("Tags", "tags"),
    ("Updated", "updated"),
)


def _width_class(width: int) -> str:
    return "narrow" if width < 100 else "wide"


def column_widths(total: int) -> list[int]:
    """Column widths for a screen ``total`` cells wide (title takes the rest)."""
    fixed = [12, 13, 12, 11] if total < 100 else [24, 13, 22, 11]
    # Each column has one cell of padding each side; keep room for a scrollbar.
    rest = total - sum(fixed) - 2 * (len(fixed) + 1) - 2
    return [max(rest, 16), *fixed]


def duplicate_case(case: Case, stamp: str) -> Case:
    """A new case with the same content, a new id and a title that says it is a copy."""
    return replace(
        case.copy(),
        id=new_case_id(),
        title=f"{case.title} (copy)",
        created=stamp,
        updated=stamp,
        revision=0,
        saved_by="",
        conflict_of=None,
    )


def _stamp(moment: datetime) -> str:
    """An aware or naive datetime as the store's UTC ``...Z`` stamp."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _sort_key(summary: CaseSummary) -> tuple[datetime, str]:
    moment = parse_timestamp(summary.updated) or datetime.min.replace(tzinfo=UTC)
    return (moment, summary.id)
