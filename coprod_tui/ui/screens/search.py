"""Search all cases and insights: results as you type; Enter opens the case at the hit.

Insights are searched too (``SearchIndex.search_insights`` through
``SearchSource.using``): their rows start with ◆ and Enter opens the
insight's detail (``CoprodApp.open_insight``, so this screen does not import it).

Opened with Ctrl+F from the case list and the editor, or the palette's
"Search all cases". The box at the top searches the whole store (the syntax
of ``coprod search``: words, ``"phrases"``, ``prefix*``, ``section:ID``,
``tag:T``); each result shows the case title, the section (by its title in
the case's template, so a renamed section shows its new name) and a snippet
with the hits highlighted. Down or Tab goes to the results, Enter opens the
case at that section with the hit selected, Escape goes back.

Searching never runs on the event loop. Each change of the box asks for the
newest text; one search runs at a time in a thread worker, and when it answers
the screen shows it only if the box still says what was searched — otherwise
it starts a search for what the box says now. So typing never waits for a
search, an answer to an older text never replaces a newer one, and a slow
index (the first build of a large store) shows "Indexing…" while the box
keeps taking keys.

Everything from a case (titles, snippets, section titles from a template) is
plain ``Text``, never markup.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from coprod_tui.core.i18n import _, ngettext
from coprod_tui.ui.commands import SearchCommands
from coprod_tui.ui.search_rows import (
    HIT_STYLE,
    INSIGHT_LABEL,
    TITLE_LABEL,
    TITLE_SECTION_IDS,
    SearchRow,
    build_rows,
    one_line,
    section_label,
    snippet_text,
    with_insights,
)
from coprod_tui.ui.styled_once import StyledOnce
from coprod_tui.ui.widgets.key_footer import KeyFooter
from coprod_tui.ui.workers import StoreReply, deliver_reply, off_the_loop

if TYPE_CHECKING:
    from coprod_tui.ui.app import CoprodApp

#: The rows' parts live in ``ui/search_rows.py`` (the insight detail shows rows too); they are
#: named here as well, where they lived first.
__all__ = [
    "HIT_STYLE",
    "INSIGHT_LABEL",
    "TITLE_LABEL",
    "TITLE_SECTION_IDS",
    "ResultList",
    "SearchBox",
    "SearchRow",
    "SearchScreen",
    "build_rows",
    "one_line",
    "section_label",
    "snippet_text",
]

#: Most results asked for and shown.
RESULT_LIMIT = 50
#: Seconds between updates of the "Indexing…" line while the index opens.
INDEXING_TICK = 0.25


class SearchBox(Input):
    """The query; Down goes to the results."""

    BINDING_GROUP_TITLE = "Search"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "screen.to_results", "To the results", show=False, id="search.to_results"),
    ]


class ResultList(OptionList):
    """The results; Enter opens one, Up from the first goes back to the box."""

    BINDING_GROUP_TITLE = "Search results"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select",
            "Open",
            tooltip="Open the case at this hit",
            id="search.open",
        ),
    ]

    def action_cursor_up(self) -> None:
        if self.highlighted in (None, 0):
            screen = self.screen
            if isinstance(screen, SearchScreen):
                screen.action_to_box()
                return
        super().action_cursor_up()


class SearchScreen(StyledOnce, Screen[None]):
    """Search every case in the store."""

    AUTO_FOCUS = "SearchBox"

    #: Its keys are its palette commands (``ui/commands.py``).
    COMMANDS: ClassVar[set[Any]] = {SearchCommands}

    DEFAULT_CSS = """
    SearchScreen #search-body { height: 1fr; }
    SearchScreen #query-bar { height: 1; margin: 1 1 0 1; }
    SearchScreen #query-label {
        width: auto; padding: 0 1; text-style: bold; background: $accent; color: $text;
    }
    SearchScreen #query { width: 1fr; padding: 0 1; }
    SearchScreen #query:focus { background: $boost; }
    SearchScreen #search-status { height: 1; margin: 0 2; color: $text-muted; }
    SearchScreen #search-status.-error { color: $error; }
    SearchScreen ResultList { height: 1fr; border: round $primary 40%; }
    SearchScreen ResultList:focus { border: heavy $accent; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Close the search", id="search.back"),
        Binding(
            "ctrl+f",
            "to_box",
            "Search box",
            tooltip="Back to the search box",
            show=False,
            id="search.box",
        ),
        Binding(
            "tab",
            "to_results",
            "Results",
            tooltip="Go to the results",
            show=False,
            id="search.results",
        ),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        #: Results as shown (row i is option i).
        self.rows: list[SearchRow] = []
        #: The text the rows are the answer to (``None``: nothing shown yet).
        self.shown_query: str | None = None
        #: The search running now (its text), if any.
        self._in_flight: str | None = None
        self._started_at = 0.0
        self._template_of: dict[str, str] | None = None

    @property
    def coprod(self) -> CoprodApp:
        return cast("CoprodApp", self.app)

    # -- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="search-body"):
            with Horizontal(id="query-bar"):
                yield Label(_("Search"), id="query-label")
                yield SearchBox(
                    self.initial_query,
                    placeholder=_('words, "a phrase", prefix*, tag:T, section:ID'),
                    id="query",
                    compact=True,
                    select_on_focus=False,
                )
            yield Static("", id="search-status", markup=False)
            yield ResultList(id="results")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Search all cases")
        # At once (Widget.focus would wait): text typed straight after Ctrl+F lands here.
        self.set_focus(self.query_one(SearchBox))
        self.set_interval(INDEXING_TICK, self._tick, name="indexing status")
        self._search_for(self.query_one(SearchBox).value)

    def on_screen_resume(self) -> None:
        self.query_one(Footer).show_command_palette = self.app.size.width >= 100

    # -- searching --------------------------------------------------------------------

    @property
    def query_text(self) -> str:
        return self.query_one(SearchBox).value

    @on(Input.Changed, "#query")
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._search_for(event.value)

    @on(Input.Submitted, "#query")
    def _query_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_to_results()

    def _search_for(self, query: str) -> None:
        """Show the answer for ``query``: at once when empty, else from a search."""
        if not query.strip():
            self._show([], query, Text(_("Type to search every case and insight.")))
            return
        if self._in_flight is None:
            self._start(query)
        # Otherwise the running search's answer starts the next one (see _answered).

    def _template_ids(self) -> dict[str, str]:
        """Case id → template id, from the case list's last reading (read once per screen)."""
        if self._template_of is None:
            summaries = self.coprod.cached_summaries() or []
            self._template_of = {s.id: s.template_id for s in summaries}
        return self._template_of

    def _start(self, query: str) -> None:
        source = getattr(self.coprod, "search_source", None)
        if source is None:
            self._show_problem(_("Search is not available in this window."))
            return
        self._in_flight = query
        self._started_at = time.monotonic()
        templates = self.coprod.templates
        template_of = self._template_ids()

        def run() -> list[SearchRow]:
            hits = source.search(query, limit=RESULT_LIMIT)
            hits = with_insights(source, query, hits, RESULT_LIMIT)
            return build_rows(hits, templates, template_of)

        off_the_loop(
            self,
            run,
            done=lambda rows: self._answered(query, rows, None),
            failed=lambda error: self._answered(query, None, error),
            group="search",
            description="search the cases",
        )
        self._tick()

    def _answered(self, query: str, rows: list[SearchRow] | None, error: Exception | None) -> None:
        """A search answered: show it if the box still says ``query``, else search anew."""
        self._in_flight = None
        now = self.query_text
        if now != query:
            self._search_for(now)
            return
        if error is not None:
            self._show_problem(str(error) or type(error).__name__)
            return
        rows = rows or []
        if not rows:
            missing = _("No case or insight contains “{query}”.").format(
                query=one_line(query.strip())
            )
            self._show([], query, Text(missing))
            return
        count = f"{len(rows)}{'+' if len(rows) >= RESULT_LIMIT else ''}"
        hits = ngettext("{count} hit", "{count} hits", len(rows)).format(count=count)
        self._show(rows, query, Text(hits))

    def _show(self, rows: list[SearchRow], query: str, status: Text) -> None:
        results = self.query_one(ResultList)
        results.clear_options()
        results.add_options([Option(row.prompt()) for row in rows])
        if rows:
            results.highlighted = 0
        self.rows = rows
        self.shown_query = query
        self._status(status, error=False)
        self.refresh_bindings()  # "to the results" is offered only with results

    def _show_problem(self, message: str) -> None:
        """A query the index cannot read, or no index: one line under the box."""
        self.query_one(ResultList).clear_options()
        self.rows = []
        self.shown_query = self.query_text
        self._status(Text(one_line(message)), error=True)
        self.refresh_bindings()

    def _status(self, text: Text, *, error: bool) -> None:
        status = self.query_one("#search-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    def _tick(self) -> None:
        """While a search waits for the index to open, say so (with the seconds)."""
        if self._in_flight is None:
            return
        source = getattr(self.coprod, "search_source", None)
        waited = time.monotonic() - self._started_at
        if source is not None and not source.ready:
            self._status(
                Text(
                    _("Indexing… {seconds} s (the first time takes a while)").format(
                        seconds=f"{waited:.0f}"
                    )
                ),
                error=False,
            )
        elif waited > 0.3:
            self._status(Text(_("Searching…")), error=False)

    @on(StoreReply)
    async def _store_reply(self, reply: StoreReply) -> None:
        """A search made off the loop has answered (see ``ui/workers.py``)."""
        await deliver_reply(reply)

    # -- moving and opening -----------------------------------------------------------

    def action_to_results(self) -> None:
        results = self.query_one(ResultList)
        if results.option_count:
            self.set_focus(results)
            if results.highlighted is None:
                results.highlighted = 0

    def action_to_box(self) -> None:
        self.set_focus(self.query_one(SearchBox))

    def action_back(self) -> None:
        self.dismiss()

    @on(OptionList.OptionSelected, "#results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.rows):
            self.open_row(self.rows[event.option_index])

    def open_row(self, row: SearchRow) -> None:
        """Open the case in the editor at the hit's section, the hit selected; an insight's
        hit opens the insight's detail view (Escape there comes back here)."""
        from coprod_tui.ui.screens.case_editor import OpenAt

        if row.kind == "insight":
            self.coprod.open_insight(row.case_id)
            return

        at = None if row.section_id in TITLE_SECTION_IDS else OpenAt(row.section_id, row.span)
        self.coprod.open_case(row.case_id, at=at)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_results":
            return bool(self.rows) or None
        return True
