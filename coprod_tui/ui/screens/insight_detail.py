"""One insight: its title, tags and text, its evidence, and the cases that may hold more.

The evidence is the insight's links in the date order of their cases (the
case's ``date`` field, else when it was created: ``core/insights/suggest.py``
``evidence``). Each link shows the case's title and the section's title (as named now: a
renamed case or section reads under its new name), its anchor status ("found",
"moved", "quote changed", "case gone: purged", ...) and the quoted passage as
the case reads now. Enter on a link opens that case in the editor at that
section with the passage selected (``OpenAt(section_id, anchor.span)``), over
this screen, so Escape there comes back here; Escape here goes back.

Below the evidence, "Suggested cases": other cases whose sections share the
insight's significant words (``suggest_cases``, from the search index, the
linked cases left out), each with its title, section and a snippet. ``l``
links the highlighted one (case + section, no quote) and it moves up into
the evidence; Enter opens it. ``e`` edits the title, text and tags in the
insight form, saved with the merge a case save has (``save_draft``).

The insight and its links are read off the loop (``ui/workers.py``), the
suggestions in a second worker once the insight is shown, and both again
when the user comes back from a case (the text may have moved).
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

from coprod_tui.core.i18n import N_, _, ngettext
from coprod_tui.core.text_safety import printable
from coprod_tui.ui.commands import InsightDetailCommands
from coprod_tui.ui.styled_once import StyledOnce
from coprod_tui.ui.widgets.key_footer import KeyFooter
from coprod_tui.ui.workers import KEYS_WAIT, StoreReply, deliver_reply, off_the_loop

if TYPE_CHECKING:
    from coprod_tui.core.insights.model import Insight
    from coprod_tui.core.insights.store import LinkView
    from coprod_tui.ui.app import CoprodApp
    from coprod_tui.ui.case_opening import CaseOpening
    from coprod_tui.ui.dialogs.insight_form import InsightDraft
    from coprod_tui.ui.search_rows import SearchRow

#: Most suggested cases shown.
SUGGESTIONS = 10

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


#: Each status and each reason a case is gone, in the words of ``core/insights``, marked for
#: the catalogue here (the core's labels are English; the screen shows them translated).
STATUS_WORDS = {
    "found": N_("found"),
    "moved": N_("moved (text around it changed)"),
    "changed": N_("quote changed"),
    "case gone": N_("case gone"),
    "section gone": N_("section gone"),
}
DETAIL_WORDS = {
    "purged": N_("purged"),
    "not in the store": N_("not in the store"),
    "damaged (run 'coprod doctor --repair')": N_("damaged (run 'coprod doctor --repair')"),
}


def _plain(text: str) -> str:
    return printable(text, keep_newlines=False)


def status_label(view: LinkView) -> str:
    """The anchor's status as the user reads it: ``case gone: purged``, ``found``, ..."""
    anchor = view.anchor
    label = (
        _("quote changed") if anchor.status == "changed" else _words(anchor.status, anchor.label)
    )
    if anchor.status == "case gone" and anchor.detail:
        detail = DETAIL_WORDS.get(anchor.detail)
        label = _("{status}: {detail}").format(
            status=label, detail=_(detail) if detail else anchor.detail
        )
    if view.trashed:
        label = _("{status} (case in the trash)").format(status=label)
    return label


def _words(status: str, label: str) -> str:
    """The status in the user's language (a status this screen does not know: as the core says)."""
    known = STATUS_WORDS.get(status)
    return _(known) if known else label


def link_prompt(view: LinkView) -> Group:
    """Two or three lines: case · section, the status; then the quote as it reads now."""
    head = Text(no_wrap=True, overflow="ellipsis")
    head.append(_plain(view.case_title) or _("(a case no longer in the store)"), style="bold")
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
        lines.append(Text(_("“{quote}”").format(quote=shown), style="italic"))
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


class SuggestionList(OptionList):
    """Cases that may hold more evidence; Enter opens one (``l``, on the screen, links it)."""

    BINDING_GROUP_TITLE = "Suggested cases"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select",
            "Open",
            tooltip="Open the suggested case at this section",
            id="insight.open_suggestion",
        ),
    ]


class InsightDetailScreen(StyledOnce, Screen[None]):
    """One insight, its evidence in date order, and suggested cases."""

    AUTO_FOCUS = "LinkList"

    COMMANDS: ClassVar[set[Any]] = {InsightDetailCommands}

    DEFAULT_CSS = """
    InsightDetailScreen #insight-head { height: auto; margin: 1 1 0 1; }
    InsightDetailScreen #insight-body-text {
        height: auto; max-height: 30%; margin: 0 1; border: round $primary 40%; padding: 0 1;
    }
    InsightDetailScreen #insight-status { height: 1; margin: 0 2; color: $text-muted; }
    InsightDetailScreen LinkList { height: 3fr; border: round $primary 40%; }
    InsightDetailScreen SuggestionList { height: 2fr; border: round $primary 40%; }
    InsightDetailScreen LinkList:focus, InsightDetailScreen SuggestionList:focus {
        border: heavy $accent;
    }
    InsightDetailScreen #suggest-status { height: 1; margin: 0 2; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the insights", id="insight.back"),
        Binding("e", "edit", "Edit", tooltip="Edit the title, text and tags", id="insight.edit"),
        Binding(
            "l",
            "link_suggestion",
            "Link suggestion",
            tooltip="Link the highlighted suggested case section (it moves to the evidence)",
            id="insight.link_suggestion",
        ),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "link_suggestion":
            return bool(self.suggestions) or None
        return True

    def __init__(self, insight_id: str) -> None:
        super().__init__()
        self.insight_id = insight_id
        self.insight: Insight | None = None
        #: The links as they resolve now (option i is view i).
        self.views: list[LinkView] = []
        #: The suggested cases as shown (option i is row i).
        self.suggestions: list[SearchRow] = []
        #: Whether the suggestions were looked for since the insight was last read.
        self.suggested = False
        self._away = False
        #: The highlighted link's case, read ahead so following the link builds the
        #: editor at once (``CaseOpening``); ``None`` until read.
        self._read_ahead: CaseOpening | None = None

    @property
    def coprod(self) -> CoprodApp:
        return cast("CoprodApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="insight-detail"):
            yield Static("", id="insight-head", markup=False)
            with VerticalScroll(id="insight-body-text"):
                yield Static("", id="insight-text", markup=False)
            yield Static(_("Reading the insight…"), id="insight-status", markup=False)
            links = LinkList(id="links")
            links.border_title = _("Evidence · in date order")
            yield links
            yield Static("", id="suggest-status", markup=False)
            suggestions = SuggestionList(id="suggestions")
            suggestions.border_title = _("Suggested cases")
            yield suggestions
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Insight")
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
            from coprod_tui.core.insights.suggest import evidence

            insights = insights_of(store)
            insight = insights.load(insight_id)
            return insight, evidence(insights.resolve_links(insight, store))

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
            Text(_plain(_("Could not read the insight: {error}").format(error=error)), style="bold")
        )

    def _read(self, answer: tuple[Insight, list[LinkView]]) -> None:
        insight, views = answer
        self.insight, self.views = insight, views
        head = Text()
        head.append(_plain(insight.title) or _("(untitled)"), style="bold")
        if insight.tags:
            head.append("\n")
            head.append(_("Tags: "), style="dim")
            head.append(", ".join(_plain(t) for t in insight.tags))
        self.query_one("#insight-head", Static).update(head)
        body = printable(insight.text) if insight.text else ""
        self.query_one("#insight-text", Static).update(
            Text(body) if body else Text(_("(no text)"), style="dim italic")
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
                ngettext(
                    "{n} link · Enter opens the case at the quote",
                    "{n} links · Enter opens the case at the quote",
                    count,
                ).format(n=count)
                if count
                else ngettext("{n} link", "{n} links", count).format(n=count)
            )
        )
        self.suggest()

    # -- suggested cases ----------------------------------------------------------------

    def suggest(self) -> None:
        """Look for other cases sharing the insight's words, off the loop (the search index)."""
        insight = self.insight
        if insight is None:
            return
        self.suggested = False
        source = getattr(self.coprod, "search_source", None)
        if source is None:
            self._suggestions_failed(None)
            return
        self._suggest_status(Text(_("Looking for cases that share this insight's words…")))
        templates = self.coprod.templates
        template_of = {s.id: s.template_id for s in (self.coprod.cached_summaries() or [])}

        def look() -> list[SearchRow]:
            from coprod_tui.core.insights.suggest import suggest_cases
            from coprod_tui.ui.search_rows import build_rows

            hits = source.using(lambda index: suggest_cases(index, insight, limit=SUGGESTIONS))
            return build_rows(hits, templates, template_of)

        off_the_loop(
            self,
            look,
            done=self._suggestions_found,
            failed=self._suggestions_failed,
            group="insight-suggest",
            exclusive=True,
            description="look for similar cases",
        )

    def _suggest_status(self, text: Text) -> None:
        self.query_one("#suggest-status", Static).update(text)

    def _suggestions_failed(self, error: Exception | None) -> None:
        if self.suggestions:
            self.suggestions = []
            self.refresh_bindings()
        self.query_one(SuggestionList).clear_options()
        message = (
            _("No suggestions: search is not available")
            if error is None
            else _("No suggestions: search is not available: {error}").format(error=error)
        )
        self._suggest_status(Text(_plain(message)))
        self.suggested = True

    def _suggestions_found(self, rows: list[SearchRow]) -> None:
        listing = self.query_one(SuggestionList)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options([Option(row.prompt()) for row in rows])
        if rows:
            listing.highlighted = min(highlighted or 0, len(rows) - 1)
        had, self.suggestions = bool(self.suggestions), rows
        if had != bool(rows):
            self.refresh_bindings()  # "l Link suggestion" comes or goes
        count = len(rows)
        self._suggest_status(
            Text(
                ngettext(
                    "{n} case shares this insight's words · l links the highlighted one",
                    "{n} cases share this insight's words · l links the highlighted one",
                    count,
                ).format(n=count)
                if rows
                else _("No other case shares this insight's words.")
            )
        )
        self.suggested = True

    def action_link_suggestion(self) -> None:
        """Link the highlighted suggestion (case + section, no quote); it joins the evidence."""
        listing = self.query_one(SuggestionList)
        index = listing.highlighted
        if index is None or not 0 <= index < len(self.suggestions):
            return
        row = self.suggestions[index]
        from coprod_tui.core.insights.store import insights_of

        store, insight_id = self.coprod.store, self.insight_id

        def link() -> str:
            from coprod_tui.core.insights.anchoring import make_link

            case = store.load(row.case_id)
            insights_of(store).add_link(insight_id, make_link(case, row.section_id))
            return row.title

        def linked(title: str) -> None:
            self.notify(
                _("Linked “{title}” · {section}.").format(
                    title=_plain(title), section=_plain(row.section)
                ),
                markup=False,
                timeout=4,
            )
            self.reread()

        off_the_loop(
            self,
            link,
            done=linked,
            failed=lambda error: self.coprod.notify_error(error, title=_("Not linked")),
            group=KEYS_WAIT,
            description="link the case to the insight",
        )

    @on(OptionList.OptionSelected, "#suggestions")
    async def _suggestion_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.suggestions):
            row = self.suggestions[event.option_index]
            self._away = True
            await self.coprod.open_case_at(row.case_id, row.section_id, span=row.span)

    # -- editing ------------------------------------------------------------------------

    def action_edit(self) -> None:
        """Edit the title, text and tags (the insight form), merged with edits made elsewhere."""
        from coprod_tui.core.insights.store import insights_of
        from coprod_tui.ui.dialogs.insight_form import InsightForm, save_draft, saved_note

        original = self.insight
        if original is None:
            return
        insights = insights_of(self.coprod.store)

        def answered(draft: InsightDraft | None) -> None:
            if draft is None:
                return

            def saved(result: Any) -> None:
                message, severity = saved_note(result)
                self.notify(message, severity=cast("Any", severity), markup=False, timeout=5)
                self.reread()

            off_the_loop(
                self,
                lambda: save_draft(insights, original, draft),
                done=saved,
                failed=lambda error: self.coprod.notify_error(error, title=_("Insight not saved")),
                group=KEYS_WAIT,
                description="save the insight",
            )

        self.app.push_screen(
            InsightForm(
                _("Edit insight"),
                title=original.title,
                text=original.text,
                tags=original.tags,
                links=original.links,
            ),
            answered,
        )

    def action_back(self) -> None:
        self.dismiss()

    @on(OptionList.OptionHighlighted, "#links")
    def _link_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Read the highlighted link's case ahead, off the loop: Enter then opens it at once."""
        event.stop()
        if not 0 <= event.option_index < len(self.views):
            return
        view = self.views[event.option_index]
        if view.anchor.status in GONE or not view.anchor.section_id:
            return
        from coprod_tui.ui.case_opening import read_opening

        app, case_id = self.app, view.link.case_id
        ahead = self._read_ahead
        if ahead is not None and ahead.case_id == case_id and ahead.fresh():
            return

        def keep(opening: CaseOpening) -> None:
            self._read_ahead = opening

        off_the_loop(
            self,
            lambda: read_opening(app, case_id),
            done=keep,
            failed=lambda _error: None,  # the editor reads it again, and says what is wrong
            group="read-ahead",
            exclusive=True,
            description="read the linked case ahead",
        )

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
                _("This link leads nowhere now: {status}.").format(status=status_label(view)),
                severity="warning",
                markup=False,
                timeout=5,
            )
            return
        self._away = True
        ahead, self._read_ahead = self._read_ahead, None  # used once: the editor saves it on
        await self.coprod.open_case_at(
            view.link.case_id, anchor.section_id, span=anchor.span, opening=ahead
        )
