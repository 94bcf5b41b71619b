"""The insight form (new or edit): a title, the text, tags; and "New insight from here".

The form only collects; it answers an :class:`InsightDraft` (or ``None`` on
Escape) and whoever opened it stores the insight off the loop. Ctrl+S, or
Enter in the title or tags line, saves; the text is a multi-line editor, so
Enter there is a new line.

:func:`new_insight_from_here` is the one way the editor and the section
review start an insight from the section being read: it reads the stored
case off the loop, links that section (the selection, if any, as the quote,
at the selection's own offset), opens the form, and creates the insight when
the form is saved. A quote the stored text does not hold (a selection made
over text not yet saved) is dropped with a one-line note: the link to the
section is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static, TextArea

from coprod_tui.core.i18n import _
from coprod_tui.core.text_safety import printable
from coprod_tui.ui.dialogs.base import ModalDialog
from coprod_tui.ui.workers import KEYS_WAIT, off_the_loop

if TYPE_CHECKING:
    from coprod_tui.core.insights.model import Insight, Link

#: Characters of a quote shown in the form's "Links" line.
QUOTE_PREVIEW = 60


def _plain(text: str) -> str:
    return printable(text, keep_newlines=False)


def split_tags(value: str) -> list[str]:
    """Tags typed as ``a, b, c`` (commas separate; blanks dropped, order kept, no repeats)."""
    return list(dict.fromkeys(t.strip() for t in value.split(",") if t.strip()))


def selected_quote(editor: TextArea) -> tuple[str, int | None]:
    """(the selected text, its offset in the editor's text); ``("", None)`` without one."""
    quote = editor.selected_text
    if not quote:
        return "", None
    row, column = min(editor.selection.start, editor.selection.end)
    lines = editor.text.split("\n")
    start = sum(len(line) + 1 for line in lines[:row]) + column
    return quote, start


@dataclass(frozen=True)
class InsightDraft:
    """What the form answers: the insight's title, text and tags."""

    title: str
    text: str = ""
    tags: list[str] = field(default_factory=list)


class InsightForm(ModalDialog[InsightDraft | None]):
    """New or edit: title, text, tags. Ctrl+S (or Enter in a one-line field) saves."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "save",
            "Save",
            tooltip="Save the insight (Enter in the title or tags does too)",
            id="insight_form.save",
        ),
    ]

    DEFAULT_CSS = """
    InsightForm #insight-text { height: 8; }
    InsightForm #insight-links { color: $text-muted; height: auto; max-height: 4; }
    """

    def __init__(
        self,
        heading: str = "",
        *,
        title: str = "",
        text: str = "",
        tags: list[str] | None = None,
        links: list[Link] | None = None,
    ) -> None:
        super().__init__()
        self.heading = heading or _("New insight")
        self.initial = InsightDraft(_plain(title), text, list(tags or []))
        self.links = list(links or [])

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="insight-form") as box:
            box.border_title = self.heading
            yield Label(_("Title"), classes="field-label")
            yield Input(
                self.initial.title,
                placeholder=_("What was learned, in a line"),
                id="insight-title",
                select_on_focus=False,
            )
            yield Label(_("Text"), classes="field-label")
            yield TextArea(self.initial.text, id="insight-text", soft_wrap=True)
            yield Label(_("Tags (comma-separated)"), classes="field-label")
            yield Input(
                ", ".join(_plain(t) for t in self.initial.tags),
                placeholder=_("e.g. anhörig, läkemedel"),
                id="insight-tags",
                select_on_focus=False,
            )
            if self.links:
                yield Static(self._links_text(), id="insight-links")
            yield Static("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), variant="primary", id="ok")
                yield Button(_("Cancel"), id="cancel")

    def _links_text(self) -> Text:
        text = Text()
        label = _("Links")
        for link in self.links:
            # The label once, the other links under the first one.
            text.append(f"{label} " if not text else "\n" + " " * (len(label) + 1), style="bold")
            text.append(f"{link.case_id[:8]} · {_plain(self._section_name(link))}")
            if link.quote:
                quote = _plain(link.quote)
                if len(quote) > QUOTE_PREVIEW:
                    quote = quote[: QUOTE_PREVIEW - 1] + "…"
                text.append("  " + _("“{quote}”").format(quote=quote), style="italic")
        return text

    def _section_name(self, link: Link) -> str:
        """The linked section as the editor names it (``2 · Livsvärlden …``), so the form
        shows the user's words, not the template's id; the id when the case or its template
        is not known here."""
        app: Any = self.app
        try:
            summaries = app.cached_summaries() or []
            template_id = next((s.template_id for s in summaries if s.id == link.case_id), None)
            template = app.template_for(template_id) if template_id else None
        except Exception:  # noqa: BLE001 - a stand-in app (tests, tools): the id says it
            template = None
        if template is not None:
            for number, section in enumerate(template.sections, start=1):
                if section.id == link.section_id or link.section_id in section.renamed_from:
                    return f"{number} · {section.title}"
        return link.section_id

    def on_mount(self) -> None:
        # At once (Widget.focus would wait): a title typed straight after the key lands here.
        self.set_focus(self.query_one("#insight-title", Input))

    def draft(self) -> InsightDraft:
        """What the form holds now."""
        return InsightDraft(
            self.query_one("#insight-title", Input).value.strip(),
            self.query_one("#insight-text", TextArea).text,
            split_tags(self.query_one("#insight-tags", Input).value),
        )

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def action_save(self) -> None:
        """Answer the draft; an empty title is refused with one line."""
        draft = self.draft()
        if not draft.title:
            self.query_one("#error", Static).update(_("An insight needs a title."))
            self.set_focus(self.query_one("#insight-title", Input))
            return
        self.dismiss(draft)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


def save_draft(insights: Any, original: Insight, draft: InsightDraft) -> Any:
    """Store an edit of ``original`` (title, text, tags from the form) and answer the
    :class:`~coprod_tui.core.store.types.SaveResult` (call it off the loop).

    The case's guarantees: the edit is merged item by item with whatever was
    saved since ``original`` was read (another window, the CLI); only an item
    both changed differently is a clash, kept in a conflict copy, never lost.
    """
    edited = original.replace(title=draft.title, text=draft.text, tags=list(draft.tags))
    return insights.save(edited, base_revision=original.revision, base=original)


def saved_note(result: Any) -> tuple[str, str]:
    """(message, severity) telling the user how an edit of an insight was saved."""
    if result.conflict is not None:
        return (
            _(
                "Someone else changed this insight meanwhile; your version is kept as a "
                "conflict copy: “{title}”."
            ).format(title=_plain(result.conflict.title)),
            "warning",
        )
    if result.from_theirs:
        return (_("Saved, with the changes made elsewhere meanwhile."), "information")
    return (_("Insight saved."), "information")


def new_insight_from_here(
    screen: Screen[Any],
    case_id: str,
    section_id: str,
    quote: str = "",
    *,
    start: int | None = None,
    made: Callable[[Insight], Any] | None = None,
) -> None:
    """Link ``section_id`` of the stored case (``quote`` at ``start``), ask for the rest, store it.

    The caller saves its unsaved text first, so the quote is in the stored
    case. Every store call runs off the loop; ``made`` gets the new insight.
    """
    from coprod_tui.core.insights.anchoring import QuoteNotFound, make_link
    from coprod_tui.core.insights.model import new_insight
    from coprod_tui.core.insights.store import insights_of

    app: Any = screen.app
    store = app.store

    def link_it() -> tuple[Link, str]:
        case = store.load(case_id)
        try:
            return make_link(case, section_id, quote, start=start), case.title
        except QuoteNotFound:
            try:
                return make_link(case, section_id, quote), case.title
            except QuoteNotFound:
                app.call_from_thread(
                    app.notify,
                    _(
                        "The selection is not in the saved text, so the section is linked "
                        "without a quote."
                    ),
                    severity="warning",
                    markup=False,
                    timeout=6,
                )
                return make_link(case, section_id), case.title

    def linked(answer: tuple[Link, str]) -> None:
        link, _title = answer

        def answered(draft: InsightDraft | None) -> None:
            if draft is None:
                return

            def create() -> Insight:
                insight = new_insight(draft.title, text=draft.text, tags=draft.tags, links=[link])
                return insights_of(store).create(insight)

            def created(insight: Insight) -> None:
                app.notify(
                    _("Insight “{title}” made, linked to this section.").format(
                        title=_plain(insight.title)
                    ),
                    markup=False,
                    timeout=4,
                )
                if made is not None:
                    made(insight)

            off_the_loop(
                screen,
                create,
                done=created,
                failed=lambda error: app.notify_error(error, title=_("Insight not saved")),
                group=KEYS_WAIT,
                description="store the insight",
            )

        app.push_screen(InsightForm(_("New insight from here"), links=[link]), answered)

    off_the_loop(
        screen,
        link_it,
        done=linked,
        failed=lambda error: app.notify_error(error, title=_("Cannot link")),
        # The keys typed after the key wait for the form (they are its title).
        group=KEYS_WAIT,
        description="link the section",
    )
