"""Search all cases: results as you type; Enter opens the case at the hit.

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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from coprod_tui.ui.commands import SearchCommands
from coprod_tui.ui.workers import StoreReply, deliver_reply, off_the_loop

if TYPE_CHECKING:
    from coprod_tui.core.template.registry import TemplateRegistry
    from coprod_tui.ui.app import CoprodApp

#: Most results asked for and shown.
RESULT_LIMIT = 50
#: Seconds between updates of the "Indexing…" line while the index opens.
INDEXING_TICK = 0.25
#: Section ids a hit in the case's title (not in a section) may carry.
TITLE_SECTION_IDS = frozenset({"", "title"})
#: How a hit outside the sections (the title or the tags) is labelled.
TITLE_LABEL = "Title or tags"
#: How hits are marked in a snippet (reverse reads without colour too).
HIT_STYLE = "bold reverse"
#: How an insight's hit is labelled (where a case's shows its section).
INSIGHT_LABEL = "◆ Insight"


def one_line(text: str) -> str:
    """Text for one line of the screen, character for character (controls become spaces).

    Unlike ``printable``, never shortens the text, so the hits' offsets still fit.
    """
    return text if text.isprintable() else "".join(c if c.isprintable() else " " for c in text)


def snippet_text(snippet: str, highlights: tuple[tuple[int, int], ...]) -> Text:
    """The snippet as plain Text with every hit span styled (out-of-range spans skipped)."""
    text = Text(one_line(snippet), no_wrap=True, overflow="ellipsis")
    for start, end in highlights:
        start, end = max(0, start), min(len(snippet), end)
        if start < end:
            text.stylize(HIT_STYLE, start, end)
    return text


def section_label(templates: TemplateRegistry, template_id: str | None, section_id: str) -> str:
    """The section as the editor names it: ``3 · Emotions`` (renamed ids under their new name)."""
    if section_id in TITLE_SECTION_IDS:
        return TITLE_LABEL
    template = None
    if template_id:
        try:
            template = templates.get(template_id)
        except Exception:  # noqa: BLE001 - not installed: the registry's other templates say
            template = None
    if template is not None:
        for number, section in enumerate(template.sections, start=1):
            if section.id == section_id or section_id in section.renamed_from:
                return f"{number} · {section.title}"
    title = templates.section_title(section_id, template_id)
    return title or section_id


@dataclass(frozen=True)
class SearchRow:
    """One result as shown: where it is and how it looks."""

    case_id: str
    section_id: str
    span: tuple[int, int] | None
    title: str
    section: str
    snippet: Text
    #: ``"case"``, or ``"insight"`` (then ``case_id`` is the insight's id).
    kind: str = "case"

    def prompt(self) -> Group:
        """Two lines, each cut to the width: the case title and section, then the snippet.

        An insight's head starts with ◆, so it reads apart from the cases without colour.
        """
        head = Text(no_wrap=True, overflow="ellipsis")
        if self.kind == "insight":
            head.append("◆ ", style="bold")
        head.append(one_line(self.title) or "(untitled)", style="bold")
        head.append("  ·  ", style="dim")
        head.append(one_line(self.section), style="italic")
        return Group(head, self.snippet)


def build_rows(
    hits: list[Any], templates: TemplateRegistry, template_of: dict[str, str]
) -> list[SearchRow]:
    """Rows for the index's hits (``template_of``: case id to template id, for section titles)."""
    return [
        SearchRow(
            case_id=hit.case_id,
            section_id=hit.section_id,
            span=hit.span,
            title=hit.title,
            section=(
                INSIGHT_LABEL
                if getattr(hit, "kind", "case") == "insight"
                else section_label(templates, template_of.get(hit.case_id), hit.section_id)
            ),
            snippet=snippet_text(hit.snippet, tuple(hit.highlights)),
            kind=getattr(hit, "kind", "case"),
        )
        for hit in hits
    ]


def with_insights(source: Any, query: str, hits: list[Any], limit: int) -> list[Any]:
    """The cases' ``hits`` and the insights' hits for ``query``, best first (a stable sort).

    An index without insights (a test's stand-in) adds none; a query the
    insights cannot answer was already refused by the cases' search.
    """

    def insight_hits(index: Any) -> list[Any]:
        search = getattr(index, "search_insights", None)
        return [] if search is None else list(search(query, limit=limit))

    using = getattr(source, "using", None)
    found = [] if using is None else using(insight_hits)
    if not found:
        return hits
    return sorted([*hits, *found], key=lambda hit: -float(hit.score))[:limit]


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


class SearchScreen(Screen[None]):
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
                yield Label("Search", id="query-label")
                yield SearchBox(
                    self.initial_query,
                    placeholder='words, "a phrase", prefix*, tag:T, section:ID',
                    id="query",
                    compact=True,
                    select_on_focus=False,
                )
            yield Static("", id="search-status", markup=False)
            yield ResultList(id="results")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Search all cases"
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
            self._show([], query, Text("Type to search every case and insight."))
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
            self._show_problem("Search is not available in this window.")
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
            self._show([], query, Text(f"No case or insight contains “{one_line(query.strip())}”."))
            return
        count = f"{len(rows)}{'+' if len(rows) >= RESULT_LIMIT else ''}"
        self._show(rows, query, Text(f"{count} hit{'s' if len(rows) != 1 else ''}"))

    def _show(self, rows: list[SearchRow], query: str, status: Text) -> None:
        results = self.query_one(ResultList)
        results.clear_options()
        results.add_options([Option(row.prompt()) for row in rows])
        if rows:
            results.highlighted = 0
        self.rows = rows
        self.shown_query = query
        self._status(status, error=False)

    def _show_problem(self, message: str) -> None:
        """A query the index cannot read, or no index: one line under the box."""
        self.query_one(ResultList).clear_options()
        self.rows = []
        self.shown_query = self.query_text
        self._status(Text(one_line(message)), error=True)

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
                Text(f"Indexing… {waited:.0f} s (the first time takes a while)"), error=False
            )
        elif waited > 0.3:
            self._status(Text("Searching…"), error=False)

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
            from coprod_tui.ui.screens.insight_detail import InsightDetailScreen

            self.app.push_screen(InsightDetailScreen(row.case_id))
            return

        at = None if row.section_id in TITLE_SECTION_IDS else OpenAt(row.section_id, row.span)
        self.coprod.open_case(row.case_id, at=at)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_results":
            return bool(self.rows) or None
        return True
