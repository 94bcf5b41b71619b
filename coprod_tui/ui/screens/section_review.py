"""Read one section across cases, one under another, and edit it in place.

Pick a section of the default template (a numbered list), then read it for
every case, or for those with a tag (``t``): each entry headed by the case's
title and when it was last edited. The cases come from
:func:`coprod_tui.core.cross_case.section_across_cases`, which matches the
section by id and ``renamed_from`` (a case written under an old id is found),
read off the loop (``ui/workers.py``).

Scale: the entries are shown as read-only text, :data:`PAGE_SIZE` to a page
(``]`` and ``[`` turn pages), so 10,000 cases never mount 10,000 widgets and
moving through them never stalls.

Editing: Enter (or ``e``) on an entry opens one inline editor for that case's
section. It edits through an :class:`~coprod_tui.core.editing.EditSession`
on the whole case, exactly as the case editor does: autosave shortly after
typing pauses, a save on leaving the entry (Escape), on quit and on any
signal (:meth:`SectionReviewScreen.flush`, which the app calls), merge with
what another window saved, and a conflict kept in a conflict copy, decided
with F8 on the existing :class:`~coprod_tui.ui.dialogs.conflict.ConflictScreen`.
Nothing is ever lost: a failed save keeps the text here and retries.

``o`` opens the whole case in the editor at that section, over this screen
(Escape there comes back here, with that entry read again).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from coprod_tui.core.case import Case, apply_template
from coprod_tui.core.editing import EditSession, SaveOutcome, SaveState
from coprod_tui.core.errors import CoprodError
from coprod_tui.core.i18n import _, ngettext
from coprod_tui.core.text_safety import printable
from coprod_tui.core.timefmt import clock_label, relative_time
from coprod_tui.ui.autosave import AutosaveScheduler
from coprod_tui.ui.commands import SectionReviewCommands
from coprod_tui.ui.dialogs.conflict import ConflictScreen
from coprod_tui.ui.dialogs.prompt import TextPromptDialog
from coprod_tui.ui.open_at import open_case_at
from coprod_tui.ui.save_notices import SaveNotices
from coprod_tui.ui.styled_once import StyledOnce
from coprod_tui.ui.widgets.key_footer import KeyFooter
from coprod_tui.ui.widgets.safe_text import plain
from coprod_tui.ui.widgets.save_status import SaveStatus
from coprod_tui.ui.widgets.section_editor import SectionEditor
from coprod_tui.ui.workers import StoreReply, deliver_reply, off_the_loop

if TYPE_CHECKING:
    from coprod_tui.core.cross_case import SectionEntry
    from coprod_tui.core.template import Template
    from coprod_tui.ui.app import CoprodApp

#: Entries on one page of the review (the rest are a key away).
PAGE_SIZE = 50


def _one_line(text: str) -> str:
    return printable(text, keep_newlines=False)


@dataclass
class InlineEdit:
    """The one entry being edited: its place in the list and its editing session."""

    index: int
    entry: SectionEntry
    #: The section's id in the case's own template (where its text lives there).
    section_id: str
    template: Template
    session: EditSession
    #: The case file as last seen (another window's save changes it).
    seen: tuple[int, int, int] | None = None


def _open_session(app: CoprodApp, entry: SectionEntry, wanted: str) -> InlineEdit:
    """In a worker: read the case and make its editing session, as the editor does.

    The case is mapped onto its own template (``apply_template``); a case whose
    template is not installed is mapped onto the default one but keeps its own
    template id, exactly like the case editor (nothing is switched behind the
    user's back).
    """
    stored: Case = app.store.load(entry.case_id)
    template = app.template_for(stored.template_id)
    fallback = template is None
    if template is None:
        template = app.templates.default()
    used = template

    def prepare(case: Case) -> Case:
        mapped = apply_template(case, used)
        if fallback:
            mapped.template_id = case.template_id
            mapped.template_version = case.template_version
        return mapped

    section_id = _matching_section(template, wanted, entry.stored_section_id)
    if section_id is None:
        raise CoprodError(
            _("the template of '{title}' has no such section; o opens the whole case").format(
                title=_one_line(stored.title)
            )
        )
    seen = app.store.fingerprint(entry.case_id)
    session = EditSession(prepare(stored), app.store, clock=app.clock, prepare=prepare)
    return InlineEdit(-1, entry, section_id, template, session, seen)


def _matching_section(template: Template, *ids: str) -> str | None:
    """The id of ``template``'s section that is (or was renamed from) one of ``ids``."""
    for section in template.sections:
        for wanted in ids:
            if wanted and (section.id == wanted or wanted in section.renamed_from):
                return section.id
    return None


#: At most this many search hits are read for the cases a search selects.
SEARCH_HITS = 20_000


def searched_cases(store: Any, query: str) -> list[str]:
    """In a worker: the ids of the cases ``query`` finds, best first (``QueryError`` if unreadable).

    Uses the store's derived search index (``core/search``), which catches up
    with every saved word before it answers.
    """
    from coprod_tui.core.search import SearchIndex

    index = SearchIndex.for_store(store)
    try:
        hits = index.search(query, limit=SEARCH_HITS)
    finally:
        index.close()
    return list(dict.fromkeys(hit.case_id for hit in hits))


class SectionPicker(OptionList):
    """The template's sections, numbered; Enter picks one, and so does its number (1-9)."""

    BINDING_GROUP_TITLE = "Sections"

    def on_key(self, event: events.Key) -> None:
        """A digit picks the section with that number at once (``2``: section 2)."""
        if event.character and event.character.isdigit() and event.character != "0":
            index = int(event.character) - 1
            if index < self.option_count:
                event.stop()
                event.prevent_default()
                self.highlighted = index
                self.action_select()


class EntryList(OptionList):
    """The entries of one page: each case's heading and the section's text."""

    BINDING_GROUP_TITLE = "Entries"


class SectionReviewScreen(StyledOnce, Screen[None]):
    """One section across cases: read them one under another, edit one in place."""

    COMMANDS: ClassVar[set[Any]] = {SectionReviewCommands}

    DEFAULT_CSS = """
    SectionReviewScreen #review-title {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    SectionReviewScreen #review-note {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    SectionReviewScreen #pick, SectionReviewScreen #entries {
        height: 1fr;
        border: none;
    }
    SectionReviewScreen #inline {
        height: 2fr;
        display: none;
        border-top: heavy $accent;
    }
    SectionReviewScreen.-editing #inline {
        display: block;
    }
    SectionReviewScreen #inline-bar {
        height: 1;
    }
    SectionReviewScreen #inline-heading {
        width: 1fr;
        padding: 0 1;
    }
    SectionReviewScreen #inline-editor {
        height: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Save and go back", id="review.back"),
        Binding(
            "e",
            "edit",
            "Edit",
            tooltip="Edit this entry here (Enter too)",
            id="review.edit",
        ),
        Binding(
            "o",
            "open_case",
            "Whole case",
            tooltip="Open the whole case in the editor at this section",
            id="review.open_case",
        ),
        Binding(
            "s",
            "pick_section",
            "Section",
            tooltip="Read another section",
            id="review.pick_section",
        ),
        Binding("t", "tag", "Tag", tooltip="Only the cases with a tag", id="review.tag"),
        Binding(
            "slash",
            "search",
            "Search",
            key_display="/",
            tooltip="Only the cases a search finds (best match first)",
            id="review.search",
        ),
        Binding(
            "right_square_bracket",
            "page(1)",
            "Next page",
            key_display="]",
            tooltip=f"The next {PAGE_SIZE} cases",
            id="review.next_page",
        ),
        Binding(
            "left_square_bracket",
            "page(-1)",
            "Prev page",
            key_display="[",
            show=False,
            tooltip=f"The previous {PAGE_SIZE} cases",
            id="review.previous_page",
        ),
        Binding("ctrl+s", "save", "Save", tooltip="Save now", id="review.save"),
        Binding(
            "f8",
            "resolve_conflict",
            "Decide",
            tooltip="After a conflict: compare your text with the other window's and choose",
            id="review.decide",
        ),
        Binding(
            "ctrl+n",
            "new_insight",
            "New insight",
            tooltip="New insight from here: links this entry's section, the selection as quote",
            show=False,
            id="review.new_insight",
        ),
    ]

    #: Seconds of quiet after typing before the autosave (tests shorten it).
    AUTOSAVE_DEBOUNCE: ClassVar[float] = 1.0
    #: Longest wait for a save while someone types without pausing.
    AUTOSAVE_MAX_DELAY: ClassVar[float] = 2.0
    #: Seconds before a failed save is tried again.
    RETRY_DELAY: ClassVar[float] = 5.0
    #: How often to look (one ``lstat``) whether another window saved the entry's case.
    FOLLOW_EVERY: ClassVar[float] = 2.0
    #: Cursor blink (snapshot tests switch it off).
    CURSOR_BLINK: ClassVar[bool] = True

    def __init__(
        self, section_id: str | None = None, *, tag: str | None = None, search: str | None = None
    ) -> None:
        super().__init__()
        #: The section read across cases (``None`` while the user picks one).
        self.section_id = section_id
        self.tag = tag
        #: A search whose cases are shown (in its order), if any.
        self.search = search
        #: Every entry read (all pages); ``None`` until the cases are read.
        self.entries: list[SectionEntry] | None = None
        self.page = 0
        #: The entry being edited in place, if any.
        self.inline: InlineEdit | None = None
        self._template: Template | None = None
        self._save_notices = SaveNotices(
            self,
            purged=_(
                "This case was deleted for good in another window, so nothing more is "
                "saved. Copy the text you need; Escape twice closes the entry."
            ),
            retry_delay=self.RETRY_DELAY,
        )
        self._leave_anyway = False
        self._follow: Timer | None = None
        #: The case opened in the editor from here (read again on return).
        self._away_at: str | None = None
        #: The one inline editor (kept here: a flush may come after it is unmounted).
        self._editor = SectionEditor("", "", cursor_blink=self.CURSOR_BLINK, id="inline-editor")
        self._autosave = AutosaveScheduler(
            self,
            self._autosave_now,
            debounce=self.AUTOSAVE_DEBOUNCE,
            max_delay=self.AUTOSAVE_MAX_DELAY,
        )

    @property
    def coprod(self) -> CoprodApp:
        return cast("CoprodApp", self.app)

    @property
    def template(self) -> Template:
        """The template whose sections are offered (the default one)."""
        if self._template is None:
            self._template = self.coprod.templates.default()
        return self._template

    # -- building ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(_("Read one section across cases"), id="review-title")
        yield Static("", id="review-note")
        yield SectionPicker(id="pick")
        yield EntryList(id="entries")
        with Vertical(id="inline"):
            with Horizontal(id="inline-bar"):
                yield Static("", id="inline-heading")
                yield SaveStatus(id="inline-status")
            yield self._editor
        yield KeyFooter()

    def on_mount(self) -> None:
        for footer in self.query(Footer):
            footer.show_command_palette = self.app.size.width >= 100
        picker = self.query_one(SectionPicker)
        for number, section in enumerate(self.template.sections, start=1):
            picker.add_option(
                Option(plain(f"{number}. {section.title}", one_line=True), id=section.id)
            )
        if self.section_id is None:
            self._show_picker()
        else:
            self._read_entries()

    @on(StoreReply)
    async def _store_reply(self, reply: StoreReply) -> None:
        await deliver_reply(reply)

    def _show_picker(self) -> None:
        picker = self.query_one(SectionPicker)
        picker.display = True
        self.query_one(EntryList).display = False
        self._note(_("Pick a section (its number, or Enter) to read it across cases."))
        if self.section_id is not None:
            with contextlib.suppress(Exception):
                picker.highlighted = picker.get_option_index(self.section_id)
        elif picker.option_count:
            picker.highlighted = 0
        self.set_focus(picker)
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#pick")
    def _section_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.section_id = event.option.id
        self._read_entries()

    def _note(self, text: str) -> None:
        self.query_one("#review-note", Static).update(plain(text))

    def _section_number_title(self) -> tuple[int, str]:
        ids = self.template.section_ids()
        if self.section_id in ids:
            index = ids.index(self.section_id)
            return index + 1, self.template.sections[index].title
        return 0, self.section_id or ""

    def _read_entries(self) -> None:
        """Read the section for every case (or the tag's) off the loop."""
        if self.section_id is None:
            return
        self.query_one(SectionPicker).display = False
        entries = self.query_one(EntryList)
        entries.display = True
        number, title = self._section_number_title()
        if number:
            heading = _("Section {number}: {title}").format(number=number, title=title)
        else:
            heading = _("Section {title}").format(title=title)
        if self.tag:
            heading += _(" · tag {tag}").format(tag=self.tag)
        if self.search:
            heading += _(" · search {search}").format(search=self.search)
        self.query_one("#review-title", Static).update(plain(heading, "bold", one_line=True))
        cached = self.coprod.cached_summaries()
        if self.search:
            self._note(_("Searching and reading the cases…"))
        elif cached is not None:
            self._note(_("Reading {n} cases…").format(n=len(cached)))
        else:
            self._note(_("Reading the cases…"))
        template, section_id, tag = self.template, self.section_id, self.tag
        store, registry, query = self.coprod.store, self.coprod.templates, self.search

        def read() -> list[SectionEntry]:
            from coprod_tui.core.cross_case import section_across_cases

            case_ids = searched_cases(store, query) if query else None
            return section_across_cases(
                store, template, section_id, case_ids=case_ids, tag=tag, templates=registry
            )

        off_the_loop(
            self,
            read,
            done=self._entries_read,
            failed=self._entries_failed,
            group="review-read",
            exclusive=True,
            description="read the section across cases",
        )
        self.set_focus(entries)

    def _entries_failed(self, error: Exception) -> None:
        from coprod_tui.core.search import QueryError

        if isinstance(error, QueryError):
            self.entries = []
            self.query_one(EntryList).clear_options()
            self._note(_("{error} (/ to search again)").format(error=error))
            self.refresh_bindings()
            return
        self._note(_("Could not read the cases: {error}").format(error=error))

    def _entries_read(self, found: list[SectionEntry]) -> None:
        self.entries = list(found)
        self.page = 0
        self._show_page()

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.entries or []) // PAGE_SIZE))

    def _show_page(self, highlight: int = 0) -> None:
        entries = self.entries or []
        first = self.page * PAGE_SIZE
        shown = entries[first : first + PAGE_SIZE]
        listing = self.query_one(EntryList)
        listing.set_options(
            Option(self._prompt(entry), id=str(first + offset))
            for offset, entry in enumerate(shown)
        )
        if shown:
            listing.highlighted = max(0, min(highlight, len(shown) - 1))
        self._note(self._page_note(len(entries), first, len(shown)))
        self.refresh_bindings()

    def _page_note(self, total: int, first: int, shown: int) -> str:
        if total == 0:
            which = _(" with the tag {tag}").format(tag=self.tag) if self.tag else ""
            if self.search:
                which += _(" found by the search {search}").format(search=self.search)
            return _("No case to show{which}.").format(which=which)
        written = sum(1 for entry in self.entries or [] if entry.text.strip())
        parts = [
            ngettext(
                "{n} case, {written} with text", "{n} cases, {written} with text", total
            ).format(n=total, written=written)
        ]
        if self.pages > 1:
            parts.append(
                _("cases {first}–{last} of {total} (] and [ turn pages)").format(
                    first=first + 1, last=first + shown, total=total
                )
            )
        parts.append(_("Enter edits, o opens the whole case"))
        return " · ".join(parts)

    def _prompt(self, entry: SectionEntry) -> RenderableType:
        """An entry as read-only text: the case's title and date, then the section."""
        now = self.coprod.clock()
        heading = plain(entry.title or _("(untitled)"), "bold", one_line=True)
        heading.append(f"  · {relative_time(entry.updated, now)}", style="dim")
        text = entry.text.strip()
        body = plain(text) if text else Text(_("(empty)"), style="dim italic")
        return Group(heading, body, Text(""))

    # -- moving around ----------------------------------------------------------------

    def _highlighted(self) -> tuple[int, SectionEntry] | None:
        """(index into all entries, entry) of the highlighted entry."""
        listing = self.query_one(EntryList)
        if self.entries is None or not listing.display or listing.highlighted is None:
            return None
        option = listing.get_option_at_index(listing.highlighted)
        index = int(option.id or 0)
        return (index, self.entries[index]) if index < len(self.entries) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        editing = self.inline is not None
        picking = self.query_one(SectionPicker).display
        if picking and action in (
            "edit",
            "open_case",
            "page",
            "save",
            "resolve_conflict",
            "new_insight",
        ):
            return False  # not while a section is being picked
        if action in ("edit", "open_case", "new_insight"):
            return None if self._highlighted() is None and not editing else True
        if action == "page":
            if editing or self.entries is None:
                return None
            step = int(cast("int", parameters[0])) if parameters else 1
            return 0 <= self.page + step < self.pages or None
        if action == "save":
            return editing
        if action == "resolve_conflict":
            return editing and self.inline is not None and self.inline.session.conflict is not None
        if action in ("pick_section", "tag", "search"):
            return not editing or None
        return True

    def action_page(self, step: int) -> None:
        if self.entries is None or self.inline is not None:
            return
        page = self.page + step
        if 0 <= page < self.pages:
            self.page = page
            self._show_page()

    def action_pick_section(self) -> None:
        if self.inline is None:
            self._show_picker()

    def action_tag(self) -> None:
        """Ask for a tag; only cases with it are shown (empty: every case)."""
        if self.inline is not None:
            return

        def chosen(value: str | None) -> None:
            if value is None:
                return
            self.tag = value.strip() or None
            if self.section_id is not None:
                self._read_entries()

        self.app.push_screen(
            TextPromptDialog(
                _("Only cases with a tag"),
                _("Tag (empty: every case)"),
                self.tag or "",
                placeholder=_("e.g. akuten"),
            ),
            chosen,
        )

    def action_search(self) -> None:
        """Ask for a search; only the cases it finds are shown, best first (empty: all)."""
        if self.inline is not None:
            return

        def chosen(value: str | None) -> None:
            if value is None:
                return
            self.search = value.strip() or None
            if self.section_id is not None:
                self._read_entries()

        self.app.push_screen(
            TextPromptDialog(
                _("Only the cases a search finds"),
                _("Search (empty: every case)"),
                self.search or "",
                placeholder=_('e.g. remiss* or "ont i bröstet"'),
            ),
            chosen,
        )

    @on(OptionList.OptionSelected, "#entries")
    def _entry_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    # -- editing in place -------------------------------------------------------------

    def action_edit(self) -> None:
        """Open the inline editor on the highlighted entry (reading its case off the loop)."""
        if self.inline is not None:
            self.set_focus(self._editor)
            return
        found = self._highlighted()
        if found is None or self.section_id is None:
            return
        index, entry = found
        app, wanted = self.coprod, self.section_id

        def opened(inline: InlineEdit) -> None:
            inline.index = index
            self._show_inline(inline)

        off_the_loop(
            self,
            lambda: _open_session(app, entry, wanted),
            done=opened,
            failed=lambda error: self.notify(
                _("Could not edit this entry: {error}").format(error=error),
                severity="error",
                markup=False,
            ),
            group="review-open",
            exclusive=True,
            description="open the case for editing",
        )

    def _show_inline(self, inline: InlineEdit) -> None:
        if self.inline is not None:
            return  # one editor at a time
        self.inline = inline
        self._leave_anyway = False
        self._save_notices.reset()
        session = inline.session
        editor = self._editor
        editor.section_id = inline.section_id
        editor.read_only = session.newer_format
        editor.load_section(session.text(inline.section_id))
        shown = session.title or _("(untitled)")
        heading = plain(_("Editing: {title}").format(title=shown), "bold", one_line=True)
        if session.newer_format:
            heading.append(_("  (read-only: made by a newer coprod)"), style="italic")
        self.query_one("#inline-heading", Static).update(heading)
        self.add_class("-editing")
        self._follow = self.set_interval(
            self.FOLLOW_EVERY, self._follow_other_windows, name="follow"
        )
        self._refresh_status()
        self.set_focus(editor)
        listing = self.query_one(EntryList)
        listing.scroll_to_highlight(top=True)
        self.refresh_bindings()

    @on(SectionEditor.Edited, "#inline-editor")
    def _edited(self, event: SectionEditor.Edited) -> None:
        event.stop()
        inline = self.inline
        if inline is None or event.section_id != inline.section_id:
            return
        if inline.session.set_text(inline.section_id, event.text):
            self._leave_anyway = False
            self._refresh_status()
            self._autosave.edited()

    def _follow_other_windows(self) -> None:
        """Take in what another window or the CLI saved of this case, as the editor does."""
        inline = self.inline
        if inline is None or any(w.is_running for w in self.workers if w.group == "review-save"):
            return
        session, store = inline.session, self.coprod.store

        def catch_up() -> SaveOutcome | None:
            seen = store.fingerprint(session.case_id)
            if seen == inline.seen:
                return None
            inline.seen = seen
            return session.catch_up()

        def done(outcome: SaveOutcome | None) -> None:
            if outcome is not None:
                self._handle_outcome(session, outcome)

        off_the_loop(
            self,
            catch_up,
            done=done,
            failed=lambda error: self._handle_outcome(session, SaveOutcome(error=error)),
            group="review-save",
            description="catch up",
        )

    def _pull_editor(self) -> None:
        """Copy the inline editor's text into the session (a flush may beat the message)."""
        inline = self.inline
        if inline is None or inline.session.newer_format:
            return
        editor = self._editor
        inline.session.set_text(inline.section_id, editor.stored_text)

    def _refresh_status(self, *, saving: bool = False) -> None:
        inline = self.inline
        if inline is None:
            return
        state = inline.session.state
        if saving and state is not SaveState.CONFLICT:
            state = SaveState.SAVING
        saved_at = inline.session.saved_at
        label = clock_label(saved_at, self.coprod.clock()) if saved_at is not None else ""
        self.query_one(SaveStatus).show(state, label)
        self.refresh_bindings()

    def _autosave_now(self) -> None:
        inline = self.inline
        if inline is None:
            return
        self._pull_editor()
        if not inline.session.dirty:
            return
        self._refresh_status(saving=True)
        session = inline.session
        off_the_loop(
            self,
            session.save,
            done=lambda outcome: self._handle_outcome(session, outcome),
            failed=lambda error: self._handle_outcome(session, SaveOutcome(error=error)),
            group="review-save",
            description="save the entry",
        )

    def _handle_outcome(self, session: EditSession, outcome: SaveOutcome) -> None:
        """Say what a save did; show merged text; retry after a failure (as the editor does)."""
        inline = self.inline
        if inline is None or inline.session is not session:
            return  # the entry was closed meanwhile; its text was saved on closing
        if self._save_notices.report(outcome):
            self._autosave.save_soon(self.RETRY_DELAY)
        self._show_merged_text()
        if outcome.new_conflict is not None:
            self.notify(
                _(
                    "You and another window changed the same text. Nothing was overwritten: "
                    "your text is kept in a conflict copy. Press F8 to compare and choose."
                ),
                title=_("Conflict"),
                severity="warning",
                timeout=15,
            )
        if outcome.newly_trashed:
            self.notify(
                _(
                    "This case was moved to the trash in another window. Your text is still "
                    "saved, with the case, in the trash (o opens it to restore it)."
                ),
                title=_("In the trash"),
                severity="warning",
                timeout=15,
            )
        self._refresh_status()

    def _show_merged_text(self) -> None:
        """Show the text another window saved for this section (merged into the session)."""
        inline = self.inline
        if inline is None or inline.section_id not in inline.session.stale_sections():
            return
        self._pull_editor()
        text = inline.session.text(inline.section_id)
        self._editor.load_section(text)
        inline.session.shown(inline.section_id)
        self.notify(_("Another window changed this section; its text is shown here now."))

    def action_save(self) -> None:
        self._autosave.cancel()
        self._pull_editor()
        if self.inline is not None and not self.inline.session.dirty:
            self._refresh_status()
            self.notify(_("Everything is saved."), timeout=2)
            return
        self._autosave_now()

    def flush(self) -> None:
        """Save the entry being edited now, synchronously (leaving, quit, SIGHUP, SIGTERM)."""
        inline = self.inline
        if inline is None:
            return
        self._pull_editor()
        outcome = inline.session.save()
        if self.is_mounted:
            with contextlib.suppress(Exception):
                self._handle_outcome(inline.session, outcome)

    @property
    def has_unsaved_text(self) -> bool:
        """True if the entry being edited holds text the store does not have."""
        if self.inline is None:
            return False
        self._pull_editor()
        return self.inline.session.dirty

    def _close_inline(self) -> bool:
        """Save and close the inline editor; ``False`` (and it stays) if saving failed."""
        inline = self.inline
        if inline is None:
            return True
        self.flush()
        if inline.session.dirty and not self._leave_anyway:
            self._leave_anyway = True
            self.notify(
                _(
                    "Your latest text could not be saved, so the entry stays open. Ctrl+S "
                    "tries again; Escape once more closes it anyway (the unsaved text is then "
                    "lost)."
                ),
                title=_("Not saved"),
                severity="error",
                timeout=15,
            )
            return False
        self._autosave.cancel()
        if self._follow is not None:
            self._follow.stop()
            self._follow = None
        self.inline = None
        self.remove_class("-editing")
        if self.entries is not None and inline.index < len(self.entries):
            session = inline.session
            self.entries[inline.index] = replace(
                inline.entry,
                title=session.title,
                text=session.text(inline.section_id),
                revision=session.base_revision,
                updated=session.case.updated or inline.entry.updated,
            )
            self._replace_prompt(inline.index)
        self.set_focus(self.query_one(EntryList))
        self.refresh_bindings()
        return True

    def _replace_prompt(self, index: int) -> None:
        assert self.entries is not None
        first = self.page * PAGE_SIZE
        if first <= index < first + PAGE_SIZE:
            listing = self.query_one(EntryList)
            with contextlib.suppress(Exception):
                listing.replace_option_prompt_at_index(
                    index - first, self._prompt(self.entries[index])
                )

    def action_back(self) -> None:
        """Close the entry being edited (saving it), else leave the review."""
        if self.inline is not None:
            self._close_inline()
            return
        if self.section_id is not None and self.query_one(SectionPicker).display:
            self._read_entries() if self.entries is None else self._back_to_entries()
            return
        self.dismiss()

    def _back_to_entries(self) -> None:
        self.query_one(SectionPicker).display = False
        self.query_one(EntryList).display = True
        self._show_page(self.query_one(EntryList).highlighted or 0)
        self.set_focus(self.query_one(EntryList))

    def on_unmount(self) -> None:
        # Last line of defence: whatever removed the screen, the text is saved.
        if self.inline is not None:
            self._pull_editor()
            self.inline.session.save()

    async def action_resolve_conflict(self) -> None:
        """Compare your text with the other window's and choose, item by item."""
        inline = self.inline
        if inline is None:
            return
        session = inline.session
        conflict = session.conflict
        if conflict is None:
            self.notify(_("There is no conflict to resolve."))
            return

        def chosen(choices: dict[str, str] | None) -> None:
            if choices is None:
                return
            off_the_loop(
                self,
                lambda: session.resolve(choices),
                done=lambda outcome: self._resolved(session, outcome),
                failed=lambda error: self._handle_outcome(session, SaveOutcome(error=error)),
                group="review-save",
                description="resolve the conflict",
            )

        self.app.push_screen(ConflictScreen(conflict, inline.template), chosen)

    def _resolved(self, session: EditSession, outcome: SaveOutcome) -> None:
        inline = self.inline
        if inline is not None and inline.session is session and outcome.error is None:
            self._editor.load_section(session.text(inline.section_id))
            session.shown(inline.section_id)
        self._handle_outcome(session, outcome)

    # -- insights (ui/dialogs/insight_form.py) ------------------------------------------

    def action_new_insight(self) -> None:
        """New insight from here: the entry's section, the selection (when editing) as quote."""
        from coprod_tui.ui.dialogs.insight_form import new_insight_from_here, selected_quote

        quote, start = "", None
        if self.inline is not None:
            self.flush()  # the quote must be in the stored text
            case_id, section_id = self.inline.entry.case_id, self.inline.section_id
            quote, start = selected_quote(self.query_one("#inline-editor", SectionEditor))
        else:
            found = self._highlighted()
            if found is None:
                return
            case_id, section_id = found[1].case_id, found[1].stored_section_id
        new_insight_from_here(self, case_id, section_id, quote, start=start)

    # -- the whole case ---------------------------------------------------------------

    async def action_open_case(self) -> None:
        """Open the whole case in the editor at this section (saving the entry first)."""
        if self.inline is not None:
            case_id = self.inline.entry.case_id
            section_id = self.inline.section_id
            if not self._close_inline():
                return
        else:
            found = self._highlighted()
            if found is None:
                return
            case_id = found[1].case_id
            section_id = self.section_id or found[1].stored_section_id
        self._away_at = case_id
        await open_case_at(self, case_id, section_id)

    def on_screen_resume(self) -> None:
        """Back from the editor: read that case's entry again (it may have changed there)."""
        case_id, self._away_at = self._away_at, None
        if case_id is None or self.entries is None or self.section_id is None:
            return
        store, template, section_id = self.coprod.store, self.template, self.section_id
        registry = self.coprod.templates

        def read() -> list[SectionEntry]:
            from coprod_tui.core.cross_case import section_across_cases

            return section_across_cases(
                store, template, section_id, case_ids=[case_id], templates=registry
            )

        off_the_loop(
            self,
            read,
            done=self._entry_reread,
            failed=lambda _error: None,  # trashed or purged meanwhile: the old text stays shown
            group="review-reread",
            description="read the entry again",
        )

    def _entry_reread(self, found: list[SectionEntry]) -> None:
        if not found or self.entries is None:
            return
        fresh = found[0]
        for index, entry in enumerate(self.entries):
            if entry.case_id == fresh.case_id:
                self.entries[index] = fresh
                self._replace_prompt(index)
