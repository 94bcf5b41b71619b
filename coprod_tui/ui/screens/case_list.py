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
import os
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on, work
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

from coprod_tui.core.case import Case, new_case, new_case_id
from coprod_tui.core.errors import CoprodError
from coprod_tui.core.i18n import N_, _, current_language, ngettext
from coprod_tui.core.store import CaseSummary
from coprod_tui.core.store.layout import folders_to_scan
from coprod_tui.core.text_safety import printable
from coprod_tui.core.timefmt import parse as parse_timestamp
from coprod_tui.core.timefmt import relative_time as relative_time  # trash.py imports it here
from coprod_tui.core.timefmt import to_stamp as _stamp
from coprod_tui.ui import heap
from coprod_tui.ui.commands import CaseListCommands
from coprod_tui.ui.selection import highlighted_key
from coprod_tui.ui.selection import neighbour as neighbour  # moved; the trash uses it too
from coprod_tui.ui.styled_once import StyledOnce
from coprod_tui.ui.typeahead import HoldsTypeAhead, hand_on
from coprod_tui.ui.widgets.key_footer import KeyFooter
from coprod_tui.ui.workers import (
    StoreReply,
    answer_of,
    deliver_reply,
    keys_wait,
    off_the_loop,
)

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from coprod_tui.core.template import Template
    from coprod_tui.ui.app import CoprodApp
    from coprod_tui.ui.dialogs.new_case import NewCaseRequest
    from coprod_tui.ui.dialogs.tags import TagEdit

FILLED = "█"
EMPTY = "░"


# -- formatting (pure, so tests can pin them down) ------------------------------------


def progress_cell(filled: int, total: int, width: int | None = None) -> Text:
    """A compact bar (see :func:`_progress_bar`), a fresh copy for each row."""
    return _progress_bar(filled, total, width).copy()


@functools.lru_cache(maxsize=256)
def _progress_bar(filled: int, total: int, width: int | None = None) -> Text:
    """A compact bar, one cell per section: ``█████░░░░ 5/9``.

    Block elements render in every common terminal font, and the two glyphs
    differ in shape as well as colour, so the bar still reads in NO_COLOR.
    Given a ``width`` (a narrow screen), the bar gets fewer cells so that the
    count, the part that matters, always fits: ``███░░ 5/9``.
    """
    total = max(total, 0)
    filled = max(0, min(filled, total))
    cells = total if total <= 12 else 10
    if width is not None:
        cells = max(1, min(cells, width - len(f" {filled}/{total}")))
    done = round(cells * filled / total) if total else 0
    return Text.assemble(
        (FILLED * done, "green"),
        (EMPTY * (cells - done), "dim"),
        f" {filled}/{total}",
        no_wrap=True,
    )


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


#: The markers at the start of a title cell: first, and short, so that no
#: column width can cut them (a long title is cut at its end instead).
DAMAGED_MARKER = N_(" damaged ")
CONFLICT_MARKER = N_(" ⚠ copy ")


def title_cell(summary: CaseSummary) -> Text:
    """The title, marked when the case is damaged or a conflict copy.

    The markers are words on a contrasting background, so they read in NO_COLOR.
    """
    title = plain(summary.title) or _("(case {id})").format(id=summary.id[:8])
    if summary.damaged:
        marker = (_(DAMAGED_MARKER), "bold white on red")
    elif summary.conflict_of:
        marker = (_(CONFLICT_MARKER), "bold black on yellow")
    else:
        return Text(title, no_wrap=True, overflow="ellipsis")
    return Text.assemble(marker, " ", title, no_wrap=True, overflow="ellipsis")


#: Language codes shown by name in the template column (others as the code).
LANGUAGE_NAMES = {"en": "English", "sv": "svenska", "da": "dansk", "nb": "norsk", "fi": "suomi"}


def template_labels(templates: list[tuple[str, str]]) -> dict[str, str]:
    """A short name for each installed template, from ``(id, language)`` pairs.

    The part of the id that every installed template shares says nothing
    (``batalden-primary-care`` and ``batalden-primary-care-sv``), and neither
    does a language suffix: what is left, with the language, tells them
    apart. With only the shipped templates that is the language alone
    ("English", "svenska"); a team's own ``discharge-planning`` shows as
    ``discharge-planning`` (with its language when another template has the same name).
    A template on its own is shown by its language.
    """
    parts = {tid: _without_language(tid, language).split("-") for tid, language in templates}
    common = 0
    for words in zip(*parts.values(), strict=False):
        if len(set(words)) != 1:
            break
        common += 1
    bases = {tid: "-".join(words[common:]) for tid, words in parts.items()}
    labels = {}
    for tid, language in templates:
        base = bases[tid]
        if not base:
            labels[tid] = LANGUAGE_NAMES.get(language, language) or tid
        elif sum(1 for other in bases.values() if other == base) > 1:
            labels[tid] = f"{base}-{language}"  # short_id keeps the language tail
        else:
            labels[tid] = base
    return labels


def _without_language(template_id: str, language: str) -> str:
    suffix = f"-{language}"
    return template_id[: -len(suffix)] if language and template_id.endswith(suffix) else template_id


def matches(summary: CaseSummary, query: str) -> bool:
    """Every word of ``query`` appears in the title or a tag (case-insensitive).

    A ``tag:T`` word (``tag:"home care"`` for a tag with spaces) asks for a
    case carrying exactly that tag, compared case-insensitively.
    """
    words, tags = parse_filter(query)
    if tags:
        have = {tag.casefold() for tag in summary.tags}
        if not all(tag.casefold() in have for tag in tags):
            return False
    haystack = " ".join([summary.title, *summary.tags]).casefold()
    return all(word in haystack for word in words)


#: ``tag:T`` or ``tag:"T with spaces"`` in the filter.
_TAG_WORD = re.compile(r'(?<!\S)tag:(?:"([^"]*)"?|(\S*))', re.IGNORECASE)


def parse_filter(query: str) -> tuple[list[str], list[str]]:
    """The filter's plain words (case-folded) and its ``tag:`` tags (as typed, trimmed)."""
    tags = [(quoted or bare).strip() for quoted, bare in _TAG_WORD.findall(query)]
    rest = _TAG_WORD.sub(" ", query)
    return rest.casefold().split(), [tag for tag in tags if tag]


def filter_label(query: str) -> str:
    """How the header names a tag filter: ``tag: demens · tag: akut`` (empty without one).

    Only the tags: the words are in the filter bar, and a tag filter stays in
    force when the bar is closed with Enter.
    """
    _words, tags = parse_filter(query)
    return " · ".join(f"tag: {plain(tag)}" for tag in tags)


# -- widgets ----------------------------------------------------------------------------


class QuickFilter(Input):
    """The ``/`` filter: narrows the table as you type; Escape clears and closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "close",
            "Clear filter",
            tooltip="Clear the filter and close it",
            id="filter.clear",
        ),
        Binding("down", "leave", "To the table", show=False, id="filter.to_table"),
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

    #: Where help lists this widget's keys.
    BINDING_GROUP_TITLE = "Case table"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "screen.typed('open_case')",
            "Open",
            tooltip="Open the selected case",
            id="case_table.open",
        ),
        # DataTable's own Home/End scroll sideways, which a row table never needs.
        Binding("home", "first_row", "First case", show=False, id="case_table.first"),
        Binding("end", "last_row", "Last case", show=False, id="case_table.last"),
    ]

    DEFAULT_CSS = """
    CaseTable { height: 1fr; scrollbar-size-vertical: 1; }
    """

    def action_first_row(self) -> None:
        self.action_scroll_top()

    def action_last_row(self) -> None:
        """The last case, even while later rows are still being added."""
        screen = self.screen
        if isinstance(screen, CaseListScreen):
            screen.finish_filling()
        self.action_scroll_bottom()

    def key_opens_something(self, key: str) -> bool:
        screen = self.screen
        return isinstance(screen, CaseListScreen) and screen.key_opens_something(key)


# -- the screen -------------------------------------------------------------------------


class CaseListScreen(StyledOnce, Screen[None]):
    """Home: every case in the store, newest first."""

    AUTO_FOCUS = "CaseTable"

    #: Its keys are its palette commands (``ui/commands.py``).
    COMMANDS: ClassVar[set[Any]] = {CaseListCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        # typed(...): keys typed right after these follow them (module docstring).
        Binding("n", "typed('new_case')", "New", tooltip="Start a new case", id="case_list.new"),
        Binding(
            "enter",
            "typed('open_case')",
            "Open",
            tooltip="Open the selected case in the editor",
            id="case_list.open",
        ),
        Binding(
            "slash",
            "typed('filter')",
            "Filter",
            key_display="/",
            tooltip="Filter by title or tag",
            id="case_list.filter",
        ),
        Binding(
            "ctrl+f",
            "typed('search')",
            "Search",
            show=False,
            tooltip="Search the text of every case",
            id="case_list.search",
        ),
        Binding(
            "r",
            "typed('rename')",
            "Rename",
            tooltip="Rename the selected case",
            id="case_list.rename",
        ),
        Binding(
            "t",
            "typed('tags')",
            "Tags",
            tooltip="Edit the tags of the selected case",
            id="case_list.tags",
        ),
        Binding(
            "e",
            "typed('export_case')",
            "Export",
            show=False,
            tooltip="Export the selected case to a file (Markdown, HTML, Word)",
            id="case_list.export",
        ),
        Binding(
            "c",
            "duplicate",
            "Duplicate",
            show=False,
            tooltip="Make a copy of the selected case",
            id="case_list.duplicate",
        ),
        Binding(
            "delete,x",
            "delete",
            "Delete",
            tooltip="Move the selected case to the trash",
            id="case_list.delete",
        ),
        Binding(
            "b",
            "trash",
            "Trash",
            show=False,
            tooltip="Deleted cases (the trash bin): restore one",
            id="case_list.trash",
        ),
        Binding(
            "number_sign",
            "typed('pick_tag')",
            "By tag",
            key_display="#",
            show=False,
            tooltip="Show only the cases with a tag (picked from a list with counts)",
            id="case_list.by_tag",
        ),
        Binding(
            "o",
            "sort",
            "Sort",
            show=False,
            tooltip="Sort by title (in your language's order) or newest first",
            id="case_list.sort",
        ),
        Binding(
            "y",
            "copy_id",
            "Copy id",
            show=False,
            tooltip="Copy the case id to the clipboard",
            id="case_list.copy_id",
        ),
        Binding(
            "s",
            "typed('section_review')",
            "Section",
            show=False,
            tooltip="Read one section across cases",
            id="case_list.section_review",
        ),
        Binding(
            "p",
            "typed('perspectives')",
            "Perspectives",
            show=False,
            tooltip="Patient-person beside professional-person sections",
            id="case_list.perspectives",
        ),
        Binding(
            "m",
            "typed('coverage')",
            "Coverage",
            show=False,
            tooltip="Coverage of sections: cases by sections",
            id="case_list.coverage",
        ),
        Binding(
            "w",
            "typed('now_what')",
            "Now what?",
            show=False,
            tooltip="Now what? The open plans, oldest first",
            id="case_list.now_what",
        ),
        Binding(
            "i",
            "typed('insights')",
            "Insights",
            show=False,
            tooltip="Insights: what was learned, linked to the case sections",
            id="case_list.insights",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            show=False,
            tooltip="Clear the filter",
            id="case_list.clear_filter",
        ),
    ]

    ROW_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {
            "open_case",
            "rename",
            "tags",
            "duplicate",
            "delete",
            "copy_id",
            "perspectives",
            "export_case",
        }
    )

    #: The quick-filter text; the table shows only matching cases.
    filter_text: reactive[str] = reactive("", init=False)
    #: Rows by title (the user's alphabet) instead of newest first.
    by_title: reactive[bool] = reactive(False, init=False)

    def __init__(self) -> None:
        super().__init__()
        #: The catalog as last read (``None`` before the first read or after a failure).
        self.summaries: list[CaseSummary] | None = None
        self._layout: list[tuple[str, str, int]] = []
        self._suspended = False
        self._fill_generation = 0
        self._fill: _Fill | None = None
        #: Case ids in table order, as last filled (to find a vanished row's neighbour).
        self._shown: list[str] = []
        #: The case to highlight at the next fill (a new case, the case just open).
        self._wanted: str | None = None
        #: Bumped by every read of the catalog; a poll that started earlier is stale.
        self._read_generation = 0
        #: What the case folders looked like at the last poll (see :func:`_folder_stamp`).
        self._folder_stamp: object = None
        self._polls_skipped = 0
        #: :attr:`summaries` by id, and the list it was built from.
        self._by_id: dict[str, CaseSummary] = {}
        self._by_id_of: list[CaseSummary] | None = None
        #: The screen the last action pushed, until it has mounted.
        self._pushed: AwaitMount | None = None
        #: :attr:`summaries` in title order, and the list it was sorted from.
        self._title_order: list[CaseSummary] = []
        self._title_order_of: list[CaseSummary] | None = None

    @property
    def coprod(self) -> CoprodApp:
        return cast("CoprodApp", self.app)

    # -- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="body"):
            with Horizontal(id="filter-bar"):
                yield Label(_("Filter"), id="filter-label")
                yield QuickFilter(
                    placeholder=_(
                        "title or tag, tag:T for one tag  (Enter: to the list, Esc: clear)"
                    ),
                    id="filter",
                    compact=True,
                )
            yield CaseTable(id="cases", cursor_type="row", zebra_stripes=False)
            yield Static(id="greeting")
            yield Static(id="no-match")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#filter-bar").display = False
        # The first read runs off the loop, in a worker the keys typed meanwhile
        # wait for (ui/typeahead.py), so Enter opens a real row.
        self._reread_for_keys()
        self.set_interval(POLL_SECONDS, self._poll, name="follow the store")
        self.set_interval(AGE_SECONDS, self.age_times, name="age the times")

    def on_screen_suspend(self) -> None:
        self._suspended = True

    def on_screen_resume(self) -> None:
        """Back from the editor or a dialog: the store may have changed.

        The first resume (right after mount) is skipped: the list was just read.
        The read runs off the loop; keys typed after the one that came back
        wait for it (so ``t`` right after Escape tags the case just written).
        """
        if self._suspended:
            self._suspended = False
            self._reread_for_keys()

    @keys_wait
    async def _reread_for_keys(self) -> None:
        await self.reread_cases()

    def on_resize(self, event: Resize) -> None:
        # Below 100 columns the palette hint makes room so Quit and Help still fit
        # (Ctrl+P is in the greeting and in help).
        self.query_one(Footer).show_command_palette = event.size.width >= 100
        if column_layout(event.size.width) != self._layout and self.summaries is not None:
            self._rebuild_table()

    # -- reading the store ------------------------------------------------------------

    def refresh_cases(self) -> None:
        """Re-read the catalog and redraw, keeping the highlight on the same case.

        Used right after this window changed the store (a new case, a
        delete), so the change shows at once. Changes made elsewhere are
        picked up by :meth:`_poll`, off the event loop.
        """
        self._read_generation += 1
        generation = self._read_generation
        store = self.coprod.store
        off_the_loop(
            self,
            lambda: sorted(store.list_cases(), key=_sort_key, reverse=True),
            done=functools.partial(self._cases_read, generation),
            failed=functools.partial(self._cases_unreadable, generation),
            group="refresh",
            exclusive=True,
            description="read the catalog",
        )

    async def reread_cases(self) -> None:
        """Like :meth:`refresh_cases`, but returns once the list is shown.

        Awaited by the actions that change the store, so the keys typed after
        them (which wait until the action has finished, see ``ui/typeahead.py``)
        act on the list as it now is. The loop runs on meanwhile.
        """
        self._read_generation += 1
        generation = self._read_generation
        store = self.coprod.store
        try:
            summaries = await answer_of(
                self,
                lambda: sorted(store.list_cases(), key=_sort_key, reverse=True),
                group="refresh",
                description="read the catalog",
            )
        except Exception as error:  # noqa: BLE001 - shown as one line, like every read
            self._cases_unreadable(generation, error)
        else:
            self._cases_read(generation, summaries)

    def _cases_read(self, generation: int, summaries: list[CaseSummary]) -> None:
        """The catalog read by :meth:`refresh_cases` (unless a newer read began since)."""
        if generation != self._read_generation:
            return
        self._show_reading(summaries)

    def _cases_unreadable(self, generation: int, error: Exception) -> None:
        if generation != self._read_generation:
            return
        self.summaries = None
        self._show_greeting(
            Content(_("Cannot read the store: {error}").format(error=plain(str(error))))
        )
        self.coprod.notify_error(error, title=_("Store"))

    @on(StoreReply)
    async def _store_reply(self, reply: StoreReply) -> None:
        """A store call made off the loop has answered (see ``ui/workers.py``)."""
        await deliver_reply(reply)

    # -- following other windows and the CLI -------------------------------------------

    class CatalogRead(Message):
        """A poll's reading of the catalog (posted from the worker thread)."""

        def __init__(self, generation: int, summaries: list[CaseSummary] | None) -> None:
            super().__init__()
            self.generation = generation
            #: ``None``: nothing changed since the list was last read.
            self.summaries = summaries

    def _poll(self) -> None:
        """Every :data:`POLL_SECONDS`: look for changes made by other windows and the CLI.

        Only while the list is on screen (coming back from anywhere re-reads
        it anyway), and only when a case folder changed since the last look,
        or every :data:`FULL_POLL_EVERY` polls in case a file was edited in place.
        """
        if self.app.screen is not self or self.summaries is None:
            return
        stamp = _folder_stamp(getattr(self.coprod.store, "path", None))
        self._polls_skipped += 1
        if (
            stamp is not None
            and stamp == self._folder_stamp
            and self._polls_skipped < FULL_POLL_EVERY
        ):
            return
        self._folder_stamp = stamp
        self._polls_skipped = 0
        self._read_catalog(self._read_generation, self.summaries)

    @work(thread=True, exclusive=True, group="catalog", exit_on_error=False)
    def _read_catalog(self, generation: int, known: list[CaseSummary]) -> None:
        """Read and sort the catalog in a thread; post it only if it changed."""
        try:
            summaries = sorted(self.coprod.store.list_cases(), key=_sort_key, reverse=True)
        except CoprodError:
            return  # the next poll tries again; an action's refresh reports it
        self.post_message(self.CatalogRead(generation, None if summaries == known else summaries))

    @on(CatalogRead)
    def _catalog_read(self, event: CatalogRead) -> None:
        event.stop()
        if event.generation != self._read_generation or event.summaries is None:
            return  # unchanged, or this window re-read it since the poll began
        self._show_reading(event.summaries)

    def _show_reading(self, summaries: list[CaseSummary]) -> None:
        """Show a new reading of the catalog, rebuilding the table only when its rows change.

        The same cases in the same order (coming back from the editor without a
        change, a poll that found a save elsewhere) only redraw the rows whose
        summary changed: at 10,000 cases a rebuild is 10,000 rows made again.
        """
        old = {summary.id: summary for summary in self.summaries or []}
        changed: list[CaseSummary] = []
        kept: list[CaseSummary] = []
        for summary in summaries:
            before = old.get(summary.id)
            if before == summary:
                kept.append(before)  # the one already held: the new copy dies young
            else:
                kept.append(summary)
                changed.append(summary)
        self.summaries = kept
        visible = self.visible_summaries()
        if [summary.id for summary in visible] != self._shown or not self._fill_complete():
            self._rebuild_table()
            return
        shown = {summary.id for summary in visible}
        self._update_rows([s for s in changed if s.id in shown])
        if self._fill is not None:
            self._fill.rows = visible  # what age_times reads the times from
        self.age_times()
        wanted, self._wanted = self._wanted, None
        if wanted is not None and wanted != self.selected_case_id():
            self._select(wanted)

    def _update_rows(self, changed: list[CaseSummary]) -> None:
        """Redraw the cells of rows whose summary changed (same rows, same order)."""
        fill = self._fill
        if fill is None:
            return
        table = self.query_one(CaseTable)
        for summary in changed:
            cells = self._cells(summary, fill, self.coprod.clock())
            for (_label, key, _width), cell in zip(fill.layout, cells, strict=True):
                with contextlib.suppress(Exception):  # the row went meanwhile
                    table.update_cell(summary.id, key, cell)

    def age_times(self) -> None:
        """Re-render the "Updated" cells whose text changed: "just now" becomes "3 min ago"."""
        fill = self._fill
        if fill is None or self.app.screen is not self:
            return
        now = self.coprod.clock()
        table = self.query_one(CaseTable)
        for summary in fill.rows[: fill.done]:
            before = fill.times.get(summary.id, "")
            if not before.endswith(aging_endings(current_language())):
                if self.by_title:
                    continue  # by title, a newer row may follow
                break  # a date: this row and every older one below it stay as they are
            text = relative_time(summary.updated, now)
            if before != text:
                fill.times[summary.id] = text
                with contextlib.suppress(Exception):
                    table.update_cell(summary.id, "updated", _time_cell(text))

    # -- filling the table ------------------------------------------------------------

    def visible_summaries(self) -> list[CaseSummary]:
        """The cases the filter lets through, in table order (newest first, or by title)."""
        summaries = self._in_title_order() if self.by_title else self.summaries or []
        if not self.filter_text.strip():
            return list(summaries)
        return [summary for summary in summaries if matches(summary, self.filter_text)]

    def _in_title_order(self) -> list[CaseSummary]:
        """:attr:`summaries` by title in the user's alphabet (Swedish: … x y z å ä ö).

        Sorted once per reading of the catalog, not on every key typed in the filter.
        """
        summaries = self.summaries or []
        if self._title_order_of is not summaries:
            from coprod_tui.core.collation import sort_key
            from coprod_tui.core.language import user_language

            language = user_language()
            self._title_order = sorted(
                summaries, key=lambda summary: (sort_key(summary.title, language), summary.id)
            )
            self._title_order_of = summaries
        return self._title_order

    def watch_filter_text(self) -> None:
        self._rebuild_table()

    def watch_by_title(self) -> None:
        self._rebuild_table()

    def action_sort(self) -> None:
        """Newest first, or by title in the user's alphabet (Swedish order for Swedish)."""
        self.by_title = not self.by_title

    def _target(self, visible: list[CaseSummary]) -> str | None:
        """The case to highlight after a rebuild.

        The one asked for (a new case), else the one highlighted now; if that
        one is gone (deleted here or elsewhere, or filtered out), its
        neighbour: the next row it had, else the previous one. Never simply row 1.
        """
        ids = {summary.id for summary in visible}
        wanted, self._wanted = self._wanted, None
        if wanted in ids:
            return wanted
        return neighbour(self.selected_case_id(), self._shown, ids)

    def _rebuild_table(self) -> None:
        """Redraw the table from :attr:`summaries` and the filter.

        The first screenful of rows (and every row down to the highlighted
        case) is added at once; the rest follow in batches after each paint,
        so a store with thousands of cases shows its newest cases immediately
        instead of after every row is built.
        """
        table = self.query_one(CaseTable)
        visible = self.visible_summaries()
        target = self._target(visible)
        self._layout = column_layout(self.app.size.width)
        table.clear(columns=True)
        for label, key, column_width in self._layout:
            table.add_column(label, width=column_width, key=key)
        self._fill_generation += 1
        fill = _Fill(self._fill_generation, visible, self.coprod.clock(), self._layout, target)
        self._fill = fill
        self._shown = [summary.id for summary in visible]
        first = FIRST_ROWS
        if target is not None:
            first = max(first, self._shown.index(target) + 1)
        self._add_rows(fill, first)
        self._update_placeholders(visible)
        count = len(self.summaries or [])
        if self.filter_text.strip():
            sub_title = ngettext(
                "{shown} of {count} case", "{shown} of {count} cases", count
            ).format(shown=len(visible), count=count)
        else:
            sub_title = ngettext("{count} case", "{count} cases", count).format(count=count)
        if label := filter_label(self.filter_text):
            sub_title += f" · {label}"
        if self.by_title:
            sub_title += " · " + _("by title")
        self.sub_title = sub_title
        self.refresh_bindings()

    def _fill_complete(self) -> bool:
        return self._fill is not None and self._fill.done >= len(self._fill.rows)

    def finish_filling(self) -> None:
        """Add every row still waiting for its batch (End goes to the real last case)."""
        fill = self._fill
        if fill is not None and fill.generation == self._fill_generation:
            self._add_rows(fill, len(fill.rows), more=False)

    def _add_rows(self, fill: _Fill, count: int, *, more: bool = True) -> None:
        """Add the next ``count`` rows of ``fill`` unless a newer rebuild replaced it.

        Stops while another screen (the editor) is on top: typing must not
        compete with filling a table nobody sees. Coming back rebuilds anyway.
        """
        if fill.generation != self._fill_generation:
            return
        if fill.done and self.app.screen is not self and more:
            return
        table = self.query_one(CaseTable)
        end = min(len(fill.rows), fill.done + count)
        for summary in fill.rows[fill.done : end]:
            table.add_row(*self._cells(summary, fill), key=summary.id)
            if summary.id == fill.selected:
                self._select(summary.id)
        fill.done = end
        if end < len(fill.rows) and more:
            self.call_after_refresh(self._add_rows, fill, MORE_ROWS)
        elif end >= len(fill.rows) and self.summaries is not None:
            heap.settle()  # the whole reading is on screen: see ui/heap.py

    def _template_labels(self) -> dict[str, str]:
        try:
            installed = [(t.id, t.language) for t in self.coprod.templates.all()]
        except Exception:  # noqa: BLE001 - no labels only costs the short names
            installed = []
        return template_labels(installed)

    def _cells(self, summary: CaseSummary, fill: _Fill, now: datetime | None = None) -> list[Text]:
        """One row; ``fill.columns`` caches per template id what every row of it shares."""
        widths = {key: width for _label, key, width in fill.layout}
        shared = fill.columns.get(summary.template_id)
        if shared is None:
            template = self.coprod.template_for(summary.template_id)
            width = widths.get("template", TEMPLATE_WIDTH)
            if template is not None:
                if fill.labels is None:
                    fill.labels = self._template_labels()
                name = fill.labels.get(template.id, template.id)
                label = Text(short_id(plain(name), width), no_wrap=True)
                shared = (template, len(template.sections), label)
            else:
                label = Text(short_id(plain(summary.template_id), width), style="italic")
                shared = (None, -1, label)
            fill.columns[summary.template_id] = shared
        known, total, template_text = shared
        compact = widths["progress"] if widths["progress"] < PROGRESS_FULL else None
        if known is not None:
            # Text under a renamed section's old id counts, as the editor maps it.
            progress = progress_cell(known.filled_count(summary.filled), total, compact)
        else:  # template not installed: count what is there
            progress = progress_cell(len(summary.filled), len(summary.filled), compact)
        tags = Text(
            ", ".join(plain(tag) for tag in summary.tags),
            no_wrap=True,
            overflow="ellipsis",
            style="italic",
        )
        time_text = relative_time(summary.updated, fill.now if now is None else now)
        fill.times[summary.id] = time_text
        cells = {
            "title": title_cell(summary),
            "template": template_text,
            "progress": progress,
            "tags": tags,
            "updated": _time_cell(time_text),
        }
        return [cells[key] for _label, key, _width in fill.layout]

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
            before, _sep, after = _(
                "No case matches “{filter}”. Press Escape to clear the filter."
            ).partition("{filter}")
            no_match.update(Content.assemble(before, (plain(self.filter_text), "bold"), after))

    def _greeting(self) -> Content:
        """What a newcomer sees in an empty store: what a case is and what to do next."""
        from coprod_tui.ui.keymap import bound_keys, key_label

        store_path = plain(str(getattr(self.coprod.store, "path", "")))

        def keys(binding_id: str, default: str) -> str:
            # The keys as bound now: a keymap that moved them is told the truth.
            return bound_keys(self, binding_id) or default

        demo_before, _sep, demo_after = _(
            "To see a finished example first, quit and run {command}."
        ).partition("{command}")
        kept = _("Cases are kept in {path}").format(path=store_path) if store_path else ""
        return Content.assemble(
            (_("Welcome to coprod") + "\n\n", "bold"),
            _(
                "A case is one real situation from your practice, written up section by "
                "section with Batalden's coproduction template, with the guiding "
                "questions beside the editor."
            )
            + "\n\n",
            (f"  {keys('case_list.new', 'n'):<8}", "bold"),
            _("write your first case") + "\n",
            (f"  {keys('app.help', 'F1'):<8}", "bold"),
            _("help: the keys, and what the template is about") + "\n",
            (f"  {key_label(self.app.COMMAND_PALETTE_BINDING):<8}", "bold"),
            _("every command") + "\n",
            (f"  {keys('app.quit', 'Ctrl+Q'):<8}", "bold"),
            _("quit (everything is saved as you type)") + "\n\n",
            demo_before,
            ("coprod --demo", "bold"),
            demo_after + "\n",
            (kept, "dim"),
        )

    def _show_greeting(self, content: Content) -> None:
        self.query_one(CaseTable).display = False
        greeting = self.query_one("#greeting", Static)
        greeting.display = True
        greeting.update(content)

    # -- selection --------------------------------------------------------------------

    def selected_case_id(self) -> str | None:
        """The id of the case under the cursor, if any."""
        return highlighted_key(self.query_one(CaseTable))

    def selected_summary(self) -> CaseSummary | None:
        """The highlighted case's summary (by id: asked for every binding on every move)."""
        case_id = self.selected_case_id()
        summaries = self.summaries or []
        if self._by_id_of is not summaries:
            self._by_id = {summary.id: summary for summary in summaries}
            self._by_id_of = summaries
        return self._by_id.get(case_id) if case_id is not None else None

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
        {
            "open_case",
            "new_case",
            "filter",
            "rename",
            "tags",
            "search",
            "pick_tag",
            "section_review",
            "perspectives",
            "coverage",
            "insights",
            "export_case",
        }
    )

    def key_opens_something(self, key: str) -> bool:
        """Will ``key``, pressed in the table now, open something (so hold what follows)?"""
        # The live bindings, so a key moved by the user's keymap is held too.
        active = self.active_bindings.get(key)
        if active is None:
            return False
        _namespace, name, parameters = parse_action(active.binding.action)
        action = str(parameters[0]) if name == "typed" and parameters else name
        return action in self.OPENING_ACTIONS and bool(self.check_action(action, ()))

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

    def action_pick_tag(self) -> None:
        """Pick a tag from the store's tags (with counts); the list then shows its cases."""
        from coprod_tui.ui.dialogs.tags import TagPickerDialog, tag_filter_word

        def picked(tag: str | None) -> None:
            if not tag:
                return
            word = tag_filter_word(tag)
            field = self.query_one(QuickFilter)
            field.value = word  # the filter bar shows it; Escape clears it
            self.query_one("#filter-bar").display = True
            self.filter_text = word
            self.query_one(CaseTable).focus()

        self._push(TagPickerDialog(), picked)

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
                _(
                    "This case file is damaged and cannot be opened. "
                    "'coprod doctor' can check and repair the store."
                ),
                title=_("Damaged case"),
                severity="warning",
                markup=False,
            )
            return
        await self._open(summary.id)

    async def _open(self, case_id: str) -> None:
        """Open a case in the editor and wait until keys typed now would land there."""
        from coprod_tui.ui.screens.case_editor import CaseEditorScreen

        self._wanted = case_id  # highlighted when the editor closes
        self.coprod.open_case(case_id)
        editor = self.app.screen
        if isinstance(editor, CaseEditorScreen):
            await editor.until_ready()

    def action_new_case(self) -> None:
        """Ask for a title and a template, then create the case and open it."""
        from coprod_tui.ui.dialogs.new_case import NewCaseDialog

        templates = self.coprod.templates.all()
        if not templates:
            self.notify(_("No templates are installed."), severity="error", markup=False)
            return
        self._push(NewCaseDialog(templates, self.default_template_id(), create=self._create_case))

    def default_template_id(self) -> str:
        """The user's default: the same rule as ``coprod new`` (see the registry)."""
        from coprod_tui.core.template.registry import default_template_id

        return default_template_id(self.coprod.templates, self.coprod.config)

    async def _create_case(self, request: NewCaseRequest) -> None:
        """Store a new case and open it (the editor replaces the new-case dialog).

        If the case cannot be created, say so; the dialog stays, with its title.
        Returns at once: the work runs in a worker the keys typed next wait for.
        """
        self._create_and_open(request)

    @keys_wait
    async def _create_and_open(self, request: NewCaseRequest) -> None:
        template = self.coprod.template_for(request.template_id)
        if template is None:
            self.notify(_("That template is not installed."), severity="error", markup=False)
            return
        case = new_case(request.title, template, now=_stamp(self.coprod.clock()))
        store = self.coprod.store
        try:
            stored = await answer_of(self, lambda: store.create(case), group="case")
        except CoprodError as error:
            self.coprod.notify_error(error, title=_("Case not created"))
            return
        self._wanted = stored.id
        self.refresh_cases()
        await self._open(stored.id)

    @keys_wait
    async def _change(self, case_id: str, change: Any, *, failed: str) -> None:
        """Change a case through ``store.update`` in a worker, then show the list.

        The store reads, changes and writes the case under its lock, so a
        rename never conflicts with (or undoes) a save made meanwhile in
        another window: only the title or the tags change. ``failed`` is the
        title of the notice if it fails, in the user's language.
        """
        store = self.coprod.store
        try:
            await answer_of(self, lambda: store.update(case_id, change), group="case")
        except Exception as error:  # noqa: BLE001 - one line, like every store failure
            self.coprod.notify_error(error, title=failed)
            return
        await self.reread_cases()

    def action_rename(self) -> None:
        from coprod_tui.ui.dialogs.prompt import TextPromptDialog

        summary = self.selected_summary()
        if summary is None:
            return
        old = summary.title

        def rename(title: str | None) -> None:
            if title is None or not title.strip() or title.strip() == old:
                return
            new = title.strip()
            self._change(
                summary.id, lambda case: case.replace(title=new), failed=_("Rename failed")
            )

        self._push(TextPromptDialog(N_("Rename case"), N_("Title"), old, required=True), rename)

    def action_tags(self) -> None:
        """Add and remove the selected case's tags (completion from the store's tags)."""
        from coprod_tui.ui.dialogs.tags import TagsDialog

        summary = self.selected_summary()
        if summary is None:
            return

        def retag(edit: TagEdit | None) -> None:
            if edit is not None and not edit.empty:
                self._retag(summary.id, edit)

        self._push(TagsDialog(summary.title, summary.tags), retag)

    @keys_wait
    async def _retag(self, case_id: str, edit: TagEdit) -> None:
        """Change the tags on the case as stored (``store.change_tags``), then show the list.

        Under the case's lock, so a tag or text another window saved meanwhile stays.
        """
        store = self.coprod.store
        try:
            await answer_of(
                self, lambda: store.change_tags(case_id, edit.add, edit.remove), group="case"
            )
        except Exception as error:  # noqa: BLE001 - one line, like every store failure
            self.coprod.notify_error(error, title=_("Tagging failed"))
            return
        await self.reread_cases()

    @keys_wait
    async def action_duplicate(self) -> None:
        summary = self.selected_summary()
        if summary is None:
            return
        store = self.coprod.store
        stamp = _stamp(self.coprod.clock())
        try:
            stored = await answer_of(
                self,
                lambda: store.create(duplicate_case(store.load(summary.id), stamp)),
                group="case",
            )
        except Exception as error:  # noqa: BLE001 - one line, like every store failure
            self.coprod.notify_error(error, title=_("Duplicate failed"))
            return
        self._wanted = stored.id
        await self.reread_cases()
        self.notify(
            _("Duplicated as “{title}”").format(title=plain(stored.title)), markup=False, timeout=4
        )

    def action_delete(self) -> None:
        from coprod_tui.ui.dialogs.confirm import ConfirmDialog

        summary = self.selected_summary()
        if summary is None:
            return

        def delete(confirmed: bool | None) -> None:
            if confirmed:
                self._trash(summary)

        before, _sep, after = _(
            "Move “{title}” to the trash?\nYou can restore it from the trash (b)."
        ).partition("{title}")
        self.app.push_screen(
            ConfirmDialog(
                N_("Delete case?"),
                Content.assemble(before, (plain(summary.title) or _("(untitled)"), "bold"), after),
                confirm_label=N_("Move to trash"),
            ),
            delete,
        )

    @keys_wait
    async def _trash(self, summary: CaseSummary) -> None:
        """Move a case to the trash off the loop, then show the list without it."""
        store = self.coprod.store
        try:
            await answer_of(self, lambda: store.trash(summary.id), group="case")
        except Exception as error:  # noqa: BLE001 - one line, like every store failure
            self.coprod.notify_error(error, title=_("Delete failed"))
            return
        await self.reread_cases()
        self.notify(_("Moved to the trash. Press b to restore it."), markup=False, timeout=5)

    def action_search(self) -> None:
        """Search the text of every case (a screen of its own)."""
        from coprod_tui.ui.screens.search import SearchScreen

        self._push(SearchScreen())

    def action_trash(self) -> None:
        from coprod_tui.ui.screens.trash import TrashScreen

        self.app.push_screen(TrashScreen())

    def action_empty_trash(self) -> None:
        """Open the trash and ask whether to delete everything in it for good."""
        from coprod_tui.ui.screens.trash import TrashScreen

        self.app.push_screen(TrashScreen(ask_to_empty=True))

    def action_copy_id(self) -> None:
        case_id = self.selected_case_id()
        if case_id is not None:
            self.coprod.copy_case_id(case_id)

    # -- reading across cases (ui/screens/section_review, perspectives, coverage) ----

    def action_section_review(self) -> None:
        """Pick a section, then read it across every case."""
        from coprod_tui.ui.screens.section_review import SectionReviewScreen

        self._push(SectionReviewScreen())

    def action_export_case(self) -> None:
        """Export the selected case to a file (ui/dialogs/export.py)."""
        from coprod_tui.ui.dialogs.export import ExportDialog

        summary = self.selected_summary()
        if summary is not None and not summary.damaged:
            self._push(ExportDialog(summary.id, summary.title))

    def action_perspectives(self) -> None:
        """The selected case's two perspectives side by side."""
        from coprod_tui.ui.screens.perspectives import PerspectivesScreen

        summary = self.selected_summary()
        if summary is not None and not summary.damaged:
            self._push(PerspectivesScreen(summary.id))

    def action_insights(self) -> None:
        """The Insights screen (ui/screens/insights.py)."""
        from coprod_tui.ui.screens.insights import InsightsScreen

        self._push(InsightsScreen())

    def action_coverage(self) -> None:
        """The cases-by-sections coverage matrix."""
        from coprod_tui.ui.screens.coverage import CoverageScreen

        self._push(CoverageScreen())

    def action_now_what(self) -> None:
        """The open plans ("Now what?"), oldest first."""
        from coprod_tui.ui.screens.now_what import NowWhatScreen

        self._push(NowWhatScreen())

    def _select(self, case_id: str) -> None:
        table = self.query_one(CaseTable)
        with contextlib.suppress(RowDoesNotExist):  # filtered out, or gone
            table.move_cursor(row=table.get_row_index(case_id), animate=False)


# -- helpers ----------------------------------------------------------------------------

#: Rows added before the first paint (a tall terminal's first screen) ...
FIRST_ROWS = 100
#: ... and per paint afterwards.
MORE_ROWS = 500


#: Seconds between looks for changes made by other windows and the CLI ...
POLL_SECONDS = 1.5
#: ... and a full read of the catalog every this many looks, whatever the folders say.
FULL_POLL_EVERY = 20
#: Seconds between re-renderings of the relative times.
AGE_SECONDS = 15.0
#: Endings of the relative times that change as time passes; the list is
#: newest first, so aging stops at the first row showing a date. English;
#: :func:`aging_endings` gives them in the language in force.
AGING = ("now", "ago", "yesterday")


@functools.lru_cache(maxsize=4)
def aging_endings(language: str) -> tuple[str, ...]:
    """The last words of the relative times that still age, in ``language`` (the one in force).

    Read off :func:`relative_time` itself ("5 min sedan", "i går" in Swedish),
    so a new translation needs no list here; ``language`` keys the cache.
    """
    now = datetime(2024, 3, 12, 14, 0, tzinfo=UTC)
    ages = [timedelta(seconds=10), timedelta(minutes=5), timedelta(hours=2)]
    ages += [timedelta(days=days) for days in (1, 2, 3)]
    words = {relative_time(_stamp(now - age), now).split()[-1] for age in ages}
    return tuple(sorted(words))


@functools.lru_cache(maxsize=4)
def updated_width(language: str) -> int:
    """Cells the "Updated" column needs in ``language``: its longest relative time.

    Swedish says more ("6 dagar sedan", 13 cells, against "6 days ago"); never
    less than :data:`UPDATED_WIDTH`, the English width the layout was made for.
    """
    now = datetime(2024, 12, 31, 23, 59, tzinfo=UTC)
    ages = [timedelta(minutes=59), timedelta(hours=23), timedelta(days=1), timedelta(days=6)]
    texts = [relative_time(_stamp(now - age), now) for age in ages]
    texts += [
        relative_time(_stamp(datetime(2023, month, 30 if month != 2 else 28, tzinfo=UTC)), now)
        for month in range(1, 13)
    ]
    return max(UPDATED_WIDTH, *(len(text) for text in texts))


@dataclass
class _Fill:
    """One pass of filling the table: which rows, how far, and what to reselect."""

    generation: int
    rows: list[CaseSummary]
    now: datetime
    layout: list[tuple[str, str, int]]
    selected: str | None
    done: int = 0
    columns: dict[str, tuple[Template | None, int, Text]] = field(default_factory=dict)
    #: Template id -> short name (read once per fill, when first needed).
    labels: dict[str, str] | None = None
    #: Case id -> the relative time its row shows (to re-render only what aged).
    times: dict[str, str] = field(default_factory=dict)


def _time_cell(text: str) -> Text:
    return Text(text, no_wrap=True)


def _folder_stamp(root: object) -> tuple[tuple[int, int], ...] | None:
    """The case folders' inode and mtime: a save, create, trash or purge changes them.

    Every change to a case replaces or moves a file (see ``core.storage``), which
    touches its folder. ``None`` (look anyway) for a store without folders, or
    one whose folders changed so recently that a second change might share the
    timestamp.
    """
    if not isinstance(root, Path):
        return None
    stamps = []
    now = time.time_ns()
    for folder, _trashed in folders_to_scan(root):
        try:
            info = os.stat(folder)
        except OSError:
            stamps.append((0, 0))
            continue
        if now - info.st_mtime_ns < 2_500_000_000:
            return None
        stamps.append((info.st_ino, info.st_mtime_ns))
    return tuple(stamps)


COLUMNS: tuple[tuple[str, str], ...] = (
    (N_("Title"), "title"),
    (N_("Template"), "template"),
    (N_("Progress"), "progress"),
    (N_("Tags"), "tags"),
    (N_("Updated"), "updated"),
)

#: The title's share of a standard 80-column terminal: a 40-character title
#: shows whole there; the other columns keep what they need to be read.
TITLE_AT_80 = 40
#: Past this the tags may grow again before the title takes the rest.
TITLE_ROOMY = 56
#: What each other column needs at least, and the widths they grow to.
PROGRESS_COMPACT, PROGRESS_FULL = 9, 13
TAGS_MIN, TAGS_MID, TAGS_MAX = 9, 20, 24
TEMPLATE_WIDTH = 14
UPDATED_WIDTH = 11  # "30 Nov 2023"
#: Cells around the columns: the table's border, and its scrollbar (1 cell, see tcss).
FRAME = 3


def column_layout(total: int) -> list[tuple[str, str, int]]:
    """(label, key, width) of each column for a screen ``total`` cells wide.

    The title takes the free width. At 80 columns it gets 40 cells next to a
    compact progress bar, the tags and the time; below that it shrinks
    (never under 16); above it the tags grow first, then the template
    column appears (a short name, see :func:`template_labels`), then the full
    progress bar, then the title to :data:`TITLE_ROOMY`, then the tags again,
    and every cell left goes to the title.
    """
    free = total - FRAME  # each column costs its width plus one cell of padding each side
    updated = updated_width(current_language())
    title = TITLE_AT_80
    progress, tags, template = PROGRESS_COMPACT, TAGS_MIN, 0
    spare = free - (title + progress + tags + updated + 2 * 4)
    if spare < 0:
        title = max(16, title + spare)
        spare = 0
    grow = min(spare, TAGS_MID - tags)
    tags, spare = tags + grow, spare - grow
    if spare >= TEMPLATE_WIDTH + 2:
        template, spare = TEMPLATE_WIDTH, spare - TEMPLATE_WIDTH - 2
    if spare >= PROGRESS_FULL - progress:
        progress, spare = PROGRESS_FULL, spare - (PROGRESS_FULL - progress)
    grow = min(spare, TITLE_ROOMY - title)
    title, spare = title + grow, spare - grow
    grow = min(spare, TAGS_MAX - tags)
    tags, spare = tags + grow, spare - grow
    title += spare
    widths = {"title": title, "template": template, "progress": progress, "tags": tags}
    widths["updated"] = updated
    return [(_(label), key, widths[key]) for label, key in COLUMNS if widths[key]]


def column_widths(total: int) -> list[int]:
    """The widths of :func:`column_layout` (title first)."""
    return [width for _label, _key, width in column_layout(total)]


def duplicate_case(case: Case, stamp: str) -> Case:
    """A new case with the same content, a new id and a title that says it is a copy."""
    return case.copy().replace(
        id=new_case_id(),
        title=_("{title} (copy)").format(title=case.title),
        created=stamp,
        updated=stamp,
        revision=0,
        saved_by="",
        conflict_of=None,
    )


def _sort_key(summary: CaseSummary) -> tuple[datetime, str]:
    moment = parse_timestamp(summary.updated) or datetime.min.replace(tzinfo=UTC)
    return (moment, summary.id)
