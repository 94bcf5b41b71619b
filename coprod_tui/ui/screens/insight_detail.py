"""One insight: its title, tags and text, and each link with how its quote stands now.

Each link shows the case's title and the section's title (as named now: a
renamed case or section reads under its new name), its anchor status ("found",
"moved", "quote changed", "case gone: purged", ...) and the quoted passage as
the case reads now. Enter on a link opens that case in the editor at that
section with the passage selected (``OpenAt(section_id, anchor.span)``), over
this screen, so Escape there comes back here; Escape here goes back.

The insight and its links are read off the loop (``ui/workers.py``), and read
again when the user comes back from a case (the text may have moved).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from coprod_tui.core.text_safety import printable
from coprod_tui.ui.commands import InsightDetailCommands
from coprod_tui.ui.workers import StoreReply, deliver_reply, off_the_loop

if TYPE_CHECKING:
    from coprod_tui.core.insights.model import Insight
    from coprod_tui.core.insights.store import LinkView
    from coprod_tui.ui.app import CoprodApp

#: Characters of a quote shown under its link.
QUOTE_SHOWN = 300
#: Statuses whose link leads nowhere (the case or the section is gone).
GONE = frozenset({"case gone", "section gone"})
#: How each status looks (reverse, bold: readable without colour too).
STATUS_STYLE = {
    "found": "bold green",
    "moved": "bold yellow",
    "changed": "bold red",
    "case gone": "bold red reverse",
    "section gone": "bold red reverse",
}


def _plain(text: str) -> str:
    return printable(text, keep_newlines=False)


def status_label(view: LinkView) -> str:
    """The anchor's status as the user reads it: ``case gone: purged``, ``found``, ..."""
    anchor = view.anchor
    label = "quote changed" if anchor.status == "changed" else anchor.label
    if anchor.status == "case gone" and anchor.detail:
        label = f"{label}: {anchor.detail}"
    if view.trashed:
        label = f"{label} (case in the trash)"
    return label


def link_prompt(view: LinkView) -> Group:
    """Two or three lines: case · section, the status; then the quote as it reads now."""
    head = Text(no_wrap=True, overflow="ellipsis")
    head.append(_plain(view.case_title) or "(a case no longer in the store)", style="bold")
    head.append("  ·  ", style="dim")
    head.append(_plain(view.section_title) or _plain(view.link.section_id), style="italic")
    status = Text(no_wrap=True, overflow="ellipsis")
    status.append(f" {status_label(view)} ", style=STATUS_STYLE.get(view.anchor.status, "bold"))
    lines: list[Text] = [head, status]
    quote = view.anchor.text or view.link.quote
    if quote:
        shown = _plain(quote)
        if len(shown) > QUOTE_SHOWN:
            shown = shown[: QUOTE_SHOWN - 1] + "…"
        lines.append(Text(f"“{shown}”", style="italic"))
    return Group(*lines)


class LinkList(OptionList):
    """The insight's links; Enter follows one."""

    BINDING_GROUP_TITLE = "Links"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select",
            "Follow",
            tooltip="Open the case at this section, the quote selected",
            id="insight.follow",
        ),
    ]


class InsightDetailScreen(Screen[None]):
    """One insight and its links."""

    AUTO_FOCUS = "LinkList"

    COMMANDS: ClassVar[set[Any]] = {InsightDetailCommands}

    DEFAULT_CSS = """
    InsightDetailScreen #insight-head { height: auto; margin: 1 1 0 1; }
    InsightDetailScreen #insight-body-text {
        height: auto; max-height: 40%; margin: 0 1; border: round $primary 40%; padding: 0 1;
    }
    InsightDetailScreen #insight-status { height: 1; margin: 0 2; color: $text-muted; }
    InsightDetailScreen LinkList { height: 1fr; border: round $primary 40%; }
    InsightDetailScreen LinkList:focus { border: heavy $accent; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the insights", id="insight.back"),
    ]

    def __init__(self, insight_id: str) -> None:
        super().__init__()
        self.insight_id = insight_id
        self.insight: Insight | None = None
        #: The links as they resolve now (option i is view i).
        self.views: list[LinkView] = []
        self._away = False

    @property
    def coprod(self) -> CoprodApp:
        return cast("CoprodApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="insight-detail"):
            yield Static("", id="insight-head", markup=False)
            with VerticalScroll(id="insight-body-text"):
                yield Static("", id="insight-text", markup=False)
            yield Static("Reading the insight…", id="insight-status", markup=False)
            yield LinkList(id="links")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Insight"
        self.set_focus(self.query_one(LinkList))
        self.reread()

    def on_screen_resume(self) -> None:
        self.query_one(Footer).show_command_palette = self.app.size.width >= 100
        if self._away:
            self._away = False
            self.reread()

    @on(StoreReply)
    async def _store_reply(self, reply: StoreReply) -> None:
        await deliver_reply(reply)

    def reread(self) -> None:
        """Read the insight and resolve its links, off the loop."""
        from coprod_tui.core.insights.store import insights_of

        store, insight_id = self.coprod.store, self.insight_id

        def read() -> tuple[Insight, list[LinkView]]:
            insights = insights_of(store)
            insight = insights.load(insight_id)
            return insight, insights.resolve_links(insight, store)

        off_the_loop(
            self,
            read,
            done=self._read,
            failed=self._failed,
            group="insight-read",
            exclusive=True,
            description="read the insight",
        )

    def _failed(self, error: Exception) -> None:
        self.query_one("#insight-status", Static).update(
            Text(_plain(f"Could not read the insight: {error}"), style="bold")
        )

    def _read(self, answer: tuple[Insight, list[LinkView]]) -> None:
        insight, views = answer
        self.insight, self.views = insight, views
        head = Text()
        head.append(_plain(insight.title) or "(untitled)", style="bold")
        if insight.tags:
            head.append("\n")
            head.append("Tags: ", style="dim")
            head.append(", ".join(_plain(t) for t in insight.tags))
        self.query_one("#insight-head", Static).update(head)
        body = printable(insight.text) if insight.text else ""
        self.query_one("#insight-text", Static).update(
            Text(body) if body else Text("(no text)", style="dim italic")
        )
        links = self.query_one(LinkList)
        highlighted = links.highlighted
        links.clear_options()
        links.add_options([Option(link_prompt(view)) for view in views])
        if views:
            links.highlighted = min(highlighted or 0, len(views) - 1)
        count = len(views)
        self.query_one("#insight-status", Static).update(
            Text(
                f"{count} link{'s' if count != 1 else ''}"
                + (" · Enter opens the case at the quote" if count else "")
            )
        )

    def action_back(self) -> None:
        self.dismiss()

    @on(OptionList.OptionSelected, "#links")
    async def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.views):
            await self.follow(self.views[event.option_index])

    async def follow(self, view: LinkView) -> None:
        """Open the linked case at its section, the quote selected (Escape comes back)."""
        anchor = view.anchor
        if anchor.status in GONE or not anchor.section_id:
            self.notify(
                f"This link leads nowhere now: {status_label(view)}.",
                severity="warning",
                markup=False,
                timeout=5,
            )
            return
        self._away = True
        await self.coprod.open_case_at(view.link.case_id, anchor.section_id, span=anchor.span)
