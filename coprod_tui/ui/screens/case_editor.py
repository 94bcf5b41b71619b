"""The case editor: write a case section by section, never losing a word.

Left, the section navigator; centre, one editor per section (so each keeps its
own undo history and cursor); right, the section's guiding questions. The whole
case is edited in memory through an :class:`~coprod_tui.core.editing.EditSession`
and saved from a background thread shortly after typing pauses, on leaving, and
whenever the app calls :meth:`CaseEditorScreen.flush` (quit, SIGHUP, SIGTERM).

This module wires widgets to the session; the save logic lives in
``core/editing.py`` and the timing in ``ui/autosave.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Static
from textual.worker import Worker, WorkerState

from coprod_tui.core.case import Case, apply_template, is_filled, word_count
from coprod_tui.core.editing import (
    EditSession,
    SaveOutcome,
    SaveState,
    prompt_text,
)
from coprod_tui.core.i18n import _, ngettext
from coprod_tui.core.store import RevisionInfo
from coprod_tui.core.template import Template
from coprod_tui.core.text_safety import printable
from coprod_tui.core.timefmt import clock_label
from coprod_tui.ui.autosave import AutosaveScheduler
from coprod_tui.ui.case_opening import CaseOpening, fingerprint_of, read_opening
from coprod_tui.ui.clipboard import CopyProbe, CopyRoute, copy_notice
from coprod_tui.ui.commands import EditorCommands
from coprod_tui.ui.dialogs.conflict import ConflictScreen
from coprod_tui.ui.dialogs.fields_form import FieldsFormScreen
from coprod_tui.ui.dialogs.history import HistoryScreen
from coprod_tui.ui.dialogs.identifiers import IdentifierChoice, IdentifierItem, IdentifiersDialog
from coprod_tui.ui.dialogs.orphans import OrphansScreen
from coprod_tui.ui.keymap import bound_keys
from coprod_tui.ui.positions import Position, positions_of
from coprod_tui.ui.save_notices import SaveNotices
from coprod_tui.ui.styled_once import StyledOnce
from coprod_tui.ui.widgets.identifier_count import IdentifierCount
from coprod_tui.ui.widgets.key_footer import KeyFooter
from coprod_tui.ui.widgets.loading_notice import LoadingNotice
from coprod_tui.ui.widgets.question_hints import QuestionHints, QuestionList
from coprod_tui.ui.widgets.safe_text import plain
from coprod_tui.ui.widgets.save_status import SaveStatus
from coprod_tui.ui.widgets.section_editor import SectionEditor, count_identifiers
from coprod_tui.ui.widgets.section_header import SectionHeader
from coprod_tui.ui.widgets.section_nav import SectionNav
from coprod_tui.ui.widgets.word_count import WordCount
from coprod_tui.ui.workers import (
    KEYS_WAIT,
    StoreReply,
    answer_of,
    deliver_reply,
    keys_wait,
    off_the_loop,
)

if TYPE_CHECKING:
    from textual.widget import Widget

    from coprod_tui.ui.dialogs.tags import TagEdit

#: Below this width the questions pane folds away (F2 brings it back).
QUESTIONS_FOLD_WIDTH = 100
#: Below this width the navigator shows numbers and markers only.
COMPACT_NAV_WIDTH = 70


def _editor_id(index: int) -> str:
    return f"editor-{index}"


@dataclass(frozen=True)
class OpenAt:
    """Open a case at this section, with these characters of its text selected.

    ``span`` is a (start, end) pair of character offsets into the section's
    stored text (a search hit); ``None`` puts the cursor at the section's start.
    """

    section_id: str
    span: tuple[int, int] | None = None


class CaseEditorScreen(StyledOnce, Screen[None]):
    """Edit one case. The app pushes it with the case id; Escape returns."""

    # Its layout is in ui/editor.tcss, which the app reads with its own sheets.

    #: Its keys are its palette commands, plus "Go to section N" (``ui/commands.py``).
    COMMANDS = {EditorCommands}

    HORIZONTAL_BREAKPOINTS = [
        (0, "-narrow"),
        (COMPACT_NAV_WIDTH, "-medium"),
        (QUESTIONS_FOLD_WIDTH, "-wide"),
    ]

    BINDINGS = [
        # The app's F1, repeated here so it is not the first key cut off at 80 columns.
        Binding(
            "f1",
            "app.help",
            "All keys",
            tooltip="Keys of this screen and the template",
            id="editor.help",
        ),
        Binding(
            "escape", "back", "Back", tooltip="Save and return to the case list", id="editor.back"
        ),
        Binding("ctrl+s", "save", "Save", tooltip="Save now", id="editor.save"),
        # Priority: scrolling widgets (the editor too) bind Ctrl+PgUp/PgDn to horizontal
        # paging. Alt+Up/Down and Ctrl+Up/Down do the same where a terminal or tmux keeps
        # Ctrl+PgUp/PgDn for its tabs; the editor binds none of them.
        Binding(
            "ctrl+pageup,alt+up,ctrl+up",
            "previous_section",
            "Prev",
            tooltip="Previous section",
            priority=True,
            id="editor.previous_section",
        ),
        Binding(
            "ctrl+pagedown,alt+down,ctrl+down",
            "next_section",
            "Next",
            tooltip="Next section",
            priority=True,
            id="editor.next_section",
        ),
        Binding(
            "f2",
            "toggle_questions",
            "Questions",
            tooltip="Show/hide guiding questions",
            id="editor.questions",
        ),
        Binding(
            "f3",
            "edit_fields",
            "Details",
            tooltip="Edit title and case fields",
            show=False,
            id="editor.details",
        ),
        Binding(
            "f4",
            "history",
            "History",
            tooltip="Browse and restore earlier versions",
            show=False,
            id="editor.history",
        ),
        Binding(
            "f5",
            "orphans",
            "Orphans",
            tooltip="Move orphaned text into a section",
            id="editor.orphans",
        ),
        Binding(
            "f8",
            "resolve_conflict",
            "Decide",
            tooltip="After a conflict: compare and choose; in the trash: restore the case",
            id="editor.decide",
        ),
        Binding(
            "ctrl+f",
            "app.search",
            "Search",
            tooltip="Search the text of every case",
            show=False,
            id="editor.search",
        ),
        Binding(
            "ctrl+t",
            "tags",
            "Tags",
            tooltip="Add or remove this case's tags",
            show=False,
            id="editor.tags",
        ),
        # Not F6/F7: the editor uses them to select a line / everything.
        Binding(
            "f9",
            "copy_section",
            "Copy",
            tooltip="Copy this section to the clipboard",
            show=False,
            id="editor.copy_section",
        ),
        # Where F9's copy cannot arrive (tmux without set-clipboard, GNU screen): a file.
        Binding(
            "ctrl+l",
            "export_section",
            "To file",
            tooltip="Export this section's text to a private text file",
            show=False,
            id="editor.export_section",
        ),
        Binding(
            "f10",
            "export_case",
            "Export",
            tooltip="Export this case to a file (Markdown, HTML, Word)",
            show=False,
            id="editor.export",
        ),
        Binding(
            "ctrl+o",
            "perspectives",
            "Perspectives",
            tooltip="This case's patient-person and professional-person sections side by side",
            show=False,
            id="editor.perspectives",
        ),
        Binding(
            "ctrl+r",
            "now_what",
            "Now what?",
            show=False,
            tooltip="The open plans (Now what?); on section 9, the plans from this case",
            id="editor.now_what",
        ),
        Binding(
            "ctrl+n",
            "new_insight",
            "New insight",
            tooltip="New insight from here: links this section, the selection as the quote",
            show=False,
            id="editor.new_insight",
        ),
        # Not F10 (export) nor F6/F7 (the editor's); Ctrl+G where the terminal keeps F11.
        Binding(
            "f11,ctrl+g",
            "identifiers",
            "Identifiers",
            tooltip="Check for identifying details: list them, go to one, redact",
            show=False,
            id="editor.identifiers",
        ),
        Binding(
            "f12",
            "citing",
            "Cited by",
            tooltip="The insights citing this section (Enter opens one)",
            show=False,
            id="editor.citing",
        ),
    ]

    #: Seconds of quiet after typing before the autosave (tests shorten it).
    AUTOSAVE_DEBOUNCE: ClassVar[float] = 1.0
    #: Longest wait for a save while someone types without pausing.
    AUTOSAVE_MAX_DELAY: ClassVar[float] = 2.0
    #: Seconds before a failed save is tried again.
    RETRY_DELAY: ClassVar[float] = 5.0
    #: Cursor blink (snapshot tests switch it off for stable pictures).
    CURSOR_BLINK: ClassVar[bool] = True
    #: Longest wait in :meth:`until_ready` (the app reads no key meanwhile).
    READY_TIMEOUT: ClassVar[float] = 5.0
    #: How often to look (one ``lstat``) whether another window saved this case.
    FOLLOW_EVERY: ClassVar[float] = 2.0
    #: Seconds after the case is shown before the insights citing it are counted.
    CITATIONS_DELAY: ClassVar[float] = 0.2
    #: What F9's copy passes through (tmux, screen); tests give it a fake environment.
    copy_probe: ClassVar[CopyProbe] = CopyProbe()

    #: Index (0-based) of the section being written.
    current: reactive[int] = reactive(0, init=False)

    def __init__(
        self, case_id: str, *, at: OpenAt | None = None, opening: CaseOpening | None = None
    ) -> None:
        super().__init__()
        self.case_id = case_id
        #: The case read ahead (by the screen that opens it), if it is this case's and fresh;
        #: else the editor reads the case itself.
        usable = opening is not None and opening.case_id == case_id and opening.fresh()
        self._opening = opening if usable else None
        #: Where to open (a search hit, a section review) instead of where it was left.
        self._open_at = at
        self.template: Template | None = None
        self.session: EditSession | None = None
        self._template_note = ""
        self._load_error = ""
        #: Each section's editor, made on first use (``_editor``): ``None`` until then.
        self._editors: list[SectionEditor | None] = []
        #: Identifying details of the sections with no editor yet: index -> (text, count).
        self._unmade_identifiers: dict[int, tuple[str, int]] = {}
        self._questions_wanted = {"wide": True, "folded": False}
        self._save_notices = SaveNotices(
            self,
            purged=_(
                "This case was deleted for good in another window (or by 'coprod purge'), "
                "so nothing more is saved. F9 copies a section's text; Escape twice "
                "leaves the case."
            ),
            retry_delay=self.RETRY_DELAY,
        )
        self._leave_anyway = False
        self._offered_keys: tuple[bool, bool] | None = None
        self._ready = asyncio.Event()
        self._loaded = False
        #: Text typed before the editor could take it (at the notice, or while it
        #: was being built), typed into section 1 once it is there.
        self._typed_early: list[events.Key | events.Paste] = []
        #: Text keys reaching the screen itself are typed in rather than dropped:
        #: true until the keys queued while the editor was built are handled.
        self._catching_early_keys = True
        #: Where this case was left last time (read with the case, off the loop).
        self._reopen_at: Position | None = None
        #: The editor is built (the case was read and its widgets mounted).
        self._built = False
        self._seen_on_disk: tuple[int, int, int] | None = None
        #: The plans this case gave rise to (section 9's line); ``None`` until read.
        self._case_plans: list[Any] | None = None
        #: Section id (as linked) -> how many insights cite it (read off the loop).
        self.citations: dict[str, int] = {}
        self._autosave = AutosaveScheduler(
            self,
            self._autosave_now,
            debounce=self.AUTOSAVE_DEBOUNCE,
            max_delay=self.AUTOSAVE_MAX_DELAY,
        )

    # --- opening ---------------------------------------------------------------------------

    def _open(self) -> None:
        """Load the case and its template (in a worker thread, see :meth:`on_mount`)."""
        self._adopt(read_opening(self.app, self.case_id))

    def _adopt(self, opening: CaseOpening) -> None:
        """Take the case read for this editor: its text mapped onto its template."""
        template = opening.template
        self.template = template
        self._template_note = opening.template_note
        fallback = bool(self._template_note)

        def prepare(case: Case) -> Case:
            mapped = apply_template(case, template)
            if fallback:
                # Never switch the case to another template behind the user's back.
                mapped.template_id = case.template_id
                mapped.template_version = case.template_version
            return mapped

        app: Any = self.app
        self.session = EditSession(
            prepare(opening.stored), app.store, clock=app.clock, prepare=prepare
        )
        self._seen_on_disk = opening.fingerprint
        self._reopen_at = opening.reopen_at

    def compose(self) -> ComposeResult:
        self.set_breakpoints()
        if not self._loaded and self._opening is not None:
            # Read ahead (an insight's link): built at once, no notice, no second build.
            self._adopt(self._opening)
            self._loaded = True
            self._show_questions_for(self.app.size.width)
        if not self._loaded:
            # The case is read off the loop (on_mount); keys typed meanwhile wait
            # for it (ui/typeahead.py) or are kept by the notice, then typed in.
            # No footer yet: built now, it would be built again with the editor's keys a
            # few milliseconds later (each build mounts every key: ~15 ms).
            yield LoadingNotice("Loading…", held=self._typed_early, id="loading")
            return
        if self.session is None or self.template is None:
            yield Static(
                plain(_("Could not open this case: {error}").format(error=self._load_error)),
                id="load-error",
            )
            yield KeyFooter()
            return
        case = self.session.case
        template = self.template
        with Horizontal(id="title-bar"):
            yield Static(id="case-title")
            yield IdentifierCount(id="identifier-count")
            yield WordCount(id="word-count")
            yield SaveStatus(id="save-status")
        with Horizontal(id="editor-body"):
            yield SectionNav(
                template,
                {s.id for s in template.sections if is_filled(case.text(s.id))},
                orphan_count=len(case.orphans),
                id="section-nav",
            )
            with Vertical(id="centre"):
                yield SectionHeader(id="section-header")
                yield Static("", id="case-plans")
                cited_by = Static("", id="cited-by", markup=False)
                cited_by.display = False  # until an insight cites the section
                cited_by.styles.padding = (0, 1)
                yield cited_by
                # Only the shown section's editor is made (and mounted) now; each
                # other one on its first use (_editor, _editor_at).
                start, _arrive = self._start()
                self._editors = [None] * len(template.sections)
                with ContentSwitcher(id="editors", initial=_editor_id(start)):
                    yield self._editor(start)
            yield QuestionHints(template.sections[0], id="questions")
        yield KeyFooter()

    async def on_mount(self) -> None:
        if self._opening is not None:
            # Built in compose (read ahead): shown before the first frame is painted.
            await self._after_build()
            return
        self.set_focus(self.query_one(LoadingNotice))
        off_the_loop(
            self,
            self._open,
            done=self._opened,
            failed=self._not_opened,
            group=KEYS_WAIT,
            description="load the case",
        )

    @on(StoreReply)
    async def _store_reply(self, reply: StoreReply) -> None:
        """A store call made off the loop has answered (see ``ui/workers.py``)."""
        await deliver_reply(reply)

    async def _not_opened(self, error: Exception) -> None:
        self._load_error = str(error)
        await self._opened(None)

    async def _opened(self, _result: None) -> None:
        """The case is read: build the editor, then type in what was typed meanwhile.

        The notice gives up the focus first, so a key let through while the
        editor is built (a slow disk past the landing timeout, ui/typeahead.py)
        comes to this screen, which keeps it (:meth:`on_key`), instead of to a
        notice on its way out, which would drop it.
        """
        self.set_focus(None)
        self._loaded = True
        if self.session is not None:
            # The layout class first, while the screen holds only the notice: set after
            # the editor is built, it would restyle every widget of it once more.
            self._show_questions_for(self.app.size.width)
        try:
            await self.recompose()  # does nothing once the screen has left (see below)
        except BaseException:
            self._ready.set()
            raise
        await self._after_build()

    async def _after_build(self) -> None:
        """The editor's widgets are there: show the case, then type in what was typed meanwhile."""
        try:
            if self.session is not None and not self._editors:
                # The screen left (Escape, another case opened, the app closing) before
                # the case was read: there is nothing to build or type into.
                return
            self._built = self.session is not None
            self._mount_case()
        finally:
            self._ready.set()
        if self.session is not None:
            self.set_interval(self.FOLLOW_EVERY, self._follow_other_windows, name="follow")
            self._read_plans()
            self._type_in_early()
            # A moment later: counting reads every insight, and the case comes first.
            self.set_timer(self.CITATIONS_DELAY, self.read_citations, name="citations")
        # Keys the screen received while it was building are queued behind this
        # handler: they are typed in too, then the screen stops catching.
        self.call_later(self._stop_catching_early_keys)

    def _stop_catching_early_keys(self) -> None:
        self._catching_early_keys = False
        self._typed_early.clear()

    def _type_in_early(self) -> None:
        held = list(self._typed_early)
        self._typed_early.clear()
        if held and not self.read_only:
            self._type_in(held)

    def _is_early_text(self, event: events.Key) -> bool:
        if not self._catching_early_keys or (self._built and self.read_only):
            return False  # a read-only case's keys go to its bindings
        return event.is_printable or event.key in ("enter", "backspace", "delete")

    def on_key(self, event: events.Key) -> None:
        """Keep a text key that reached the screen while the editor was being built."""
        if not self._is_early_text(event):
            return
        event.stop()
        event.prevent_default()
        self._typed_early.append(events.Key(event.key, event.character))
        if self._built:
            self._type_in_early()

    def on_paste(self, event: events.Paste) -> None:
        if not self._catching_early_keys:
            return
        event.stop()
        event.prevent_default()
        self._typed_early.append(events.Paste(event.text))
        if self._built:
            self._type_in_early()

    def _type_in(self, held: Sequence[events.Key | events.Paste]) -> None:
        """Type what was typed at the Loading… notice into section 1, before any later key.

        Done here, at once, rather than by posting the keys again: the keys
        typed after them are waiting (ui/typeahead.py) and must land after them.
        """
        editor = self.editor
        for event in held:
            if isinstance(event, events.Paste):
                editor.insert(printable(event.text))
            elif event.key == "backspace":
                editor.action_delete_left()
            elif event.key == "delete":
                editor.action_delete_right()
            elif event.key == "enter":
                editor.insert("\n")
            elif event.is_printable and event.character:
                editor.insert(event.character)

    def _follow_other_windows(self) -> None:
        """Take in what another window or the CLI saved, so this window shows it too."""
        if self.session is None or any(w.is_running for w in self.workers):
            return
        off_the_loop(
            self,
            self._catch_up,
            done=self._handle_outcome,
            failed=lambda error: self._handle_outcome(SaveOutcome(error=error)),
            group="autosave",
            description="catch up",
        )

    def _catch_up(self) -> SaveOutcome | None:
        """In a worker: take in another window's save if the file changed since the last look."""
        assert self.session is not None
        seen = fingerprint_of(self.app.store, self.case_id)  # type: ignore[attr-defined]
        if seen == self._seen_on_disk:
            return None
        self._seen_on_disk = seen
        return self.session.catch_up()

    async def until_ready(self) -> None:
        """Wait until the editor is mounted with the cursor in section 1 (or failed to open).

        Whoever opens a case from a key may await this in that key's action. Keys
        typed after that key wait anyway until the editor has focus (the app keeps
        keys in typing order, see ``ui/typeahead.py``). Gives up after
        :attr:`READY_TIMEOUT` seconds rather than hang.
        """
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), self.READY_TIMEOUT)

    def _mount_case(self) -> None:
        if self.session is None:
            self.notify(
                _("Could not open this case: {error}").format(error=self._load_error),
                severity="error",
                markup=False,
            )
            self.call_after_refresh(self._leave)
            return
        start = self._reopen_section()
        self._show_title()
        self._show_section(start)
        self._refresh_status()
        self._apply_layout(self.app.size.width)
        self.set_focus(self._editor(start))
        if self.read_only:
            self.notify(
                _(
                    "This case was written by a newer version of coprod, so it is read-only here "
                    "(nothing of it can be lost). Upgrade coprod to change it."
                ),
                title=_("Read-only"),
                severity="warning",
                timeout=12,
            )
        elif self._template_note:
            self.notify(self._template_note, severity="warning", timeout=12, markup=False)
        elif self.session.has_orphans:
            self.notify(
                _(
                    "This case holds text from sections the template no longer has. "
                    "F5 shows it and moves it into a section."
                ),
                severity="warning",
                timeout=8,
            )

    def _start(self) -> tuple[int, Callable[[SectionEditor], None] | None]:
        """The section to open at, and how to arrive in it.

        The one asked for (its quote selected), else where the case was left
        (its cursor), else section 1 as a first visit (``None``).
        """
        if self.template is None:
            return 0, None
        asked = self._open_at
        if asked is not None:
            index = self._index_of(asked.section_id)
            if index is not None:
                return index, lambda editor: editor.arrive_at_span(asked.span)
        where = self._reopen_at
        ids = self.template.section_ids()
        if where is None or where.section_id not in ids:
            return 0, None
        return ids.index(where.section_id), lambda editor: editor.arrive_at(
            (where.row, where.column)
        )

    def _reopen_section(self) -> int:
        """Show the start section (:meth:`_start`) with its quote or cursor in place."""
        index, arrive = self._start()
        if arrive is None:
            return 0
        arrive(self._editor(index))
        self.set_reactive(CaseEditorScreen.current, index)
        return index

    def _editor(self, index: int) -> SectionEditor:
        """Section ``index``'s editor, made on its first use (not mounted: see :meth:`_editor_at`).

        Making a ``TextArea`` wraps its text and places its cursor, twice (about
        1.4 ms each here): most visits read a few sections, so the others are
        never made. A section with no editor has the session's text, unchanged.
        """
        editor = self._editors[index]
        if editor is None:
            assert self.session is not None and self.template is not None
            section = self.template.sections[index]
            editor = SectionEditor(
                section.id,
                self.session.case.text(section.id),
                cursor_blink=self.CURSOR_BLINK,
                read_only=self.read_only,
                id=_editor_id(index),
            )
            self._editors[index] = editor
            self._unmade_identifiers.pop(index, None)
        return editor

    def _made_editors(self) -> list[SectionEditor]:
        """The editors made so far (each section's text is in its editor or in the session)."""
        return [editor for editor in self._editors if editor is not None]

    def _editor_at(self, index: int) -> SectionEditor:
        """Section ``index``'s editor, mounted (to show it, focus it or change its text).

        Only the section shown first is mounted with the screen: mounting an
        editor styles it and each of its parts, and most visits read a few
        sections, so each of the others is mounted on its first visit, in
        section order among its siblings (the focus order).
        """
        editor = self._editor(index)
        if editor.parent is None:
            switcher = self.query_one(ContentSwitcher)
            editor.display = False  # the switcher shows it when it becomes current
            later = next(
                (e for e in self._editors[index + 1 :] if e is not None and e.parent is switcher),
                None,
            )
            if later is None:
                switcher.mount(editor)
            else:
                switcher.mount(editor, before=later)
        return editor

    def _mounted_editors(self) -> list[SectionEditor]:
        """Every section's editor, mounted (to change their text or their marks)."""
        return [self._editor_at(index) for index in range(len(self._editors))]

    def _index_of(self, section_id: str) -> int | None:
        """The index of this template's section ``section_id`` (or the one it was renamed to)."""
        assert self.template is not None
        for index, section in enumerate(self.template.sections):
            if section.id == section_id or section_id in section.renamed_from:
                return index
        return None

    def _remember_position(self) -> None:
        """Keep the section and cursor for the next time this case opens (never case text)."""
        if not self._built or self.template is None:
            return
        editor = self.editor
        row, column = editor.cursor_location
        positions_of(self.app).remember(self.case_id, Position(editor.section_id, row, column))

    def _leave(self) -> None:
        """Back to the case list (not awaited: it may run from this screen's own handler)."""
        self.dismiss()

    def on_unmount(self) -> None:
        self._ready.set()  # never leave anyone waiting for a screen that is gone
        self._remember_position()
        # Last line of defence: whatever removed the screen, the text is saved.
        if self.session is not None:
            self._pull_editors()
            self.session.save()

    # --- layout ----------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self._apply_layout(event.size.width)

    def on_screen_resume(self) -> None:
        self._apply_layout(self.app.size.width)
        if self._built:
            self._read_plans()  # a plan may have been made or edited meanwhile

    def _layout(self, width: int) -> str:
        return "wide" if width >= QUESTIONS_FOLD_WIDTH else "folded"

    def _apply_layout(self, width: int) -> None:
        # Below 100 columns the palette hint makes room for the keys that matter
        # most; "F1 All keys" says where the rest are (help and Ctrl+P). The
        # footer is made anew when the loaded case is built, so this runs then too.
        for footer in self.query(Footer):
            footer.show_command_palette = width >= 100
        if self.session is None or not self._built:
            return
        self._show_questions_for(width)
        self.query_one(SectionNav).compact = width < COMPACT_NAV_WIDTH

    def _show_questions_for(self, width: int) -> None:
        """The questions beside the text, or folded, as the user last chose for this width."""
        self.set_class(self._questions_wanted[self._layout(width)], "-questions")

    @property
    def questions_visible(self) -> bool:
        return self.has_class("-questions")

    # --- sections --------------------------------------------------------------------------

    def _show_title(self) -> None:
        assert self.session is not None
        # A conflict copy's title already says so (the store writes it).
        title = plain(self.session.title or _("(untitled)"), "bold", one_line=True)
        if self.read_only:
            title.append(_("  (read-only: made by a newer coprod)"), style="italic")
        self.query_one("#case-title", Static).update(title)

    def _show_section(self, index: int) -> None:
        assert self.template is not None
        section = self.template.sections[index]
        editor = self._editor_at(index)
        self.query_one(ContentSwitcher).current = _editor_id(index)
        self.query_one(SectionHeader).show_section(self.template, index, section)
        self.query_one(QuestionHints).show_section(section)
        self.query_one(SectionNav).show_current(index)
        self.query_one(WordCount).words = word_count(editor.text)
        self._show_identifier_count()
        editor.arrive()
        self._show_plans_line()
        self._show_cited_by()

    # --- section 9: the plans this case gave rise to ---------------------------------------

    def _read_plans(self) -> None:
        """Read the plans citing this case off the loop; section 9 shows them."""
        from coprod_tui.ui.screens.now_what import case_plans

        store, case_id = self.app.store, self.case_id  # type: ignore[attr-defined]

        def got(plans: list[Any]) -> None:
            self._case_plans = plans
            self._show_plans_line()

        off_the_loop(
            self,
            lambda: case_plans(store, case_id),
            done=got,
            failed=lambda _error: None,  # the line is a convenience: no plans shown
            group="editor-plans",
            exclusive=True,
        )

    def _show_plans_line(self) -> None:
        """On section 9 ("So what? Now what?"): "Plans from this case: …"; elsewhere nothing."""
        from coprod_tui.ui.screens.now_what import now_what_section, plans_line

        found = self.query("#case-plans")
        if not found or self.template is None:
            return
        line = found.first(Static)
        shown = self.current == now_what_section(self.template.section_ids())
        line.display = shown and self._case_plans is not None
        if line.display:
            key = next(
                (
                    self.app.get_key_display(active.binding)
                    for active in self.active_bindings.values()
                    if active.binding.id == "editor.now_what"
                ),
                "^r",
            )
            line.update(plans_line(self._case_plans or [], key))

    def action_now_what(self) -> None:
        """The open plans ("Now what?"), over the editor (Escape comes back)."""
        from coprod_tui.ui.screens.now_what import NowWhatScreen

        self.flush()
        self.app.push_screen(NowWhatScreen())

    # Focus changes use Screen.set_focus (immediate), not Widget.focus (deferred):
    # the section shown and the focus change together. Keys typed right after
    # Ctrl+PgDn wait until both have (ui/typeahead.py).

    def watch_current(self, old: int, new: int) -> None:
        old_editor = self._editors[old]
        editor_had_focus = old_editor is not None and self.focused is old_editor
        self._show_section(new)
        if editor_had_focus or self.focused is None:
            self.set_focus(self._editor(new))

    @property
    def read_only(self) -> bool:
        """A case in a newer format than this coprod knows: shown, never changed."""
        return self.session is not None and self.session.newer_format

    @property
    def editor(self) -> SectionEditor:
        """The editor of the section being written."""
        return self._editor(self.current)

    def action_goto_section(self, n: int) -> None:
        """Go to section ``n`` (1-based), e.g. from the command palette."""
        if self.template is None:
            return
        if not 1 <= n <= len(self.template.sections):
            self.notify(_("There is no section {n}.").format(n=n), severity="warning")
            return
        self.current = n - 1
        self.set_focus(self.editor)

    def action_next_section(self) -> None:
        """Show the next section (wraps around)."""
        if self.template is not None:
            self.current = (self.current + 1) % len(self.template.sections)

    def action_previous_section(self) -> None:
        """Show the previous section (wraps around)."""
        if self.template is not None:
            self.current = (self.current - 1) % len(self.template.sections)

    @on(SectionNav.SectionChosen)
    def _section_chosen(self, event: SectionNav.SectionChosen) -> None:
        self.current = event.index
        self.set_focus(self.editor)

    # --- editing ---------------------------------------------------------------------------

    @on(SectionEditor.Edited)
    def _edited(self, event: SectionEditor.Edited) -> None:
        if self.session is None:
            return
        if self.session.set_text(event.section_id, event.text):
            self._after_edit(event.section_id, event.text)

    def _after_edit(self, section_id: str, text: str) -> None:
        self.query_one(SectionNav).set_filled(section_id, is_filled(text))
        if self.template is not None and self.template.sections[self.current].id == section_id:
            self.query_one(WordCount).words = word_count(text)
        self._leave_anyway = False
        self._refresh_status()
        self._autosave.edited()

    def _pull_editors(self) -> None:
        """Copy every editor's text into the session.

        Edits reach the session through messages; a flush (quit, signal) can
        come before the last message is handled, so it reads the editors too.
        """
        if self.session is None:
            return
        for editor in self._made_editors():
            self.session.set_text(editor.section_id, editor.stored_text)

    @on(QuestionHints.Taken)
    def _take_question(self, event: QuestionHints.Taken) -> None:
        editor = self.editor
        row, _column = editor.cursor_location
        line = editor.document.get_line(row)
        insertion = prompt_text(event.question, line)
        location = (row, len(line)) if line.strip() else (row, 0)
        result = editor.insert(insertion, location, maintain_selection_offset=False)
        editor.move_cursor(result.end_location)
        self.set_focus(editor)

    def action_toggle_questions(self) -> None:
        """Show or hide the guiding questions (remembered per layout)."""
        layout = self._layout(self.size.width or self.app.size.width)
        self._questions_wanted[layout] = not self.questions_visible
        self._apply_layout(self.size.width or self.app.size.width)
        if self.questions_visible and layout == "folded":
            self.set_focus(self.query_one(QuestionList))
        elif not self.questions_visible and self._focus_within("#questions"):
            self.set_focus(self.editor)

    def _focus_within(self, selector: str) -> bool:
        focused: Widget | None = self.focused
        container = self.query_one(selector)
        while focused is not None:
            if focused is container:
                return True
            focused = focused.parent  # type: ignore[assignment]
        return False

    def action_copy_section(self) -> None:
        """Copy the section's text to the clipboard (OSC 52: works over SSH).

        A tmux or GNU screen in between may swallow OSC 52, so the notice comes
        after asking the probe (off the loop: it may run ``tmux``) and says how
        to let it through, or to export the section to a file instead.
        """
        self.app.copy_to_clipboard(self.editor.text)
        number = self.current + 1
        off_the_loop(
            self,
            self.copy_probe.route,
            done=lambda route: self._copy_noticed(number, route),
            failed=lambda _error: self._copy_noticed(number, CopyRoute(None)),
            group="copy-probe",
            exclusive=True,
            description="ask tmux whether the copy gets through",
        )

    def _copy_noticed(self, number: int, route: CopyRoute) -> None:
        text, warning = copy_notice(number, route, bound_keys(self, "editor.export_section"))
        self.notify(
            text,
            severity="warning" if warning else "information",
            timeout=12 if warning else 5,
            markup=False,
        )

    def action_export_section(self) -> None:
        """Write this section's text to a private (0600) text file: F9's fallback."""
        from coprod_tui.ui.dialogs.export_section import ExportSectionDialog

        if self.session is None or self.template is None:
            return
        if not self.editor.text.strip():
            self.notify(
                _("Section {n} is empty: nothing to export.").format(n=self.current + 1),
                markup=False,
            )
            return
        section = self.template.sections[self.current]
        self.app.push_screen(
            ExportSectionDialog(
                self.editor.text,
                case_title=self.session.case.title,
                section_title=f"{self.current + 1}. {section.title}",
                section_id=section.id,
            )
        )

    def action_export_case(self) -> None:
        """Save, then export this case to a file (ui/dialogs/export.py)."""
        from coprod_tui.ui.dialogs.export import ExportDialog

        if self.session is None:
            return
        self.flush()  # the export reads the stored case
        self.app.push_screen(ExportDialog(self.case_id, self.session.title))

    def action_perspectives(self) -> None:
        """Show this case's two perspectives; Enter there comes back at that section."""
        from coprod_tui.ui.screens.perspectives import PerspectivesScreen

        self.flush()  # the perspectives read the stored case

        def arrive(section_id: str | None) -> None:
            index = self._index_of(section_id) if section_id and self.template else None
            if index is not None:
                self.current = index
                self.set_focus(self.editor)

        self.app.push_screen(PerspectivesScreen(self.case_id, back_to_editor=True), arrive)

    # --- insights (ui/screens/insights.py, ui/dialogs/insight_form.py) ---------------------

    def read_citations(self) -> None:
        """Read, off the loop, how many insights cite each section of this case."""
        from coprod_tui.core.insights.store import insights_of

        insights, case_id = insights_of(self.app.store), self.case_id  # type: ignore[attr-defined]

        def count() -> dict[str, int]:
            return {sid: len(found) for sid, found in insights.citations(case_id).items()}

        off_the_loop(
            self,
            count,
            done=self._citations_read,
            failed=lambda _error: None,  # the marker is a hint: no marker, nothing lost
            group="citations",
            exclusive=True,
            description="count the insights citing this case",
        )

    def _citations_read(self, counts: dict[str, int]) -> None:
        self.citations = counts
        if self._built:
            self._show_cited_by()

    def cited_count(self, index: int | None = None) -> int:
        """Insights citing section ``index`` (the current one), under its id or an old one."""
        if self.template is None:
            return 0
        section = self.template.sections[self.current if index is None else index]
        ids = {section.id, *section.renamed_from}
        return sum(n for sid, n in self.citations.items() if sid in ids)

    def _show_cited_by(self) -> None:
        marker = self.query_one("#cited-by", Static)
        count = self.cited_count()
        marker.display = count > 0
        if count:
            keys = [
                self.app.get_key_display(active.binding)
                for active in self.active_bindings.values()
                if active.binding.id == "editor.citing"
            ]
            key = keys[0] if keys else "F12"
            marker.update(
                Text(
                    f"◆{count} cited by {count} insight{'s' if count != 1 else ''}"
                    f" ({key} lists them)",
                    style="bold",
                )
            )

    def action_new_insight(self) -> None:
        """New insight from here: save, then link this section with the selection as quote."""
        from coprod_tui.ui.dialogs.insight_form import new_insight_from_here, selected_quote

        self.flush()  # the quote must be in the stored text
        editor = self.editor
        quote, start = selected_quote(editor)
        new_insight_from_here(
            self,
            self.case_id,
            editor.section_id,
            quote,
            start=start,
            made=lambda _insight: self.read_citations(),
        )

    def action_citing(self) -> None:
        """The insights citing this section, in the Insights screen (Enter opens one)."""
        from coprod_tui.ui.screens.insights import InsightsScreen

        if self.template is None:
            return
        self.flush()
        section = self.template.sections[self.current]
        label = _("section {number} · {title}").format(
            number=self.current + 1, title=printable(section.title, keep_newlines=False)
        )
        self.app.push_screen(
            InsightsScreen(citing=(self.case_id, section.id), citing_label=label),
            lambda _result: self.read_citations(),
        )

    # --- saving ----------------------------------------------------------------------------

    def _refresh_status(self, *, saving: bool = False) -> None:
        if self.session is None or not self._built:
            return
        state = self.session.state
        if saving and state is not SaveState.CONFLICT:
            state = SaveState.SAVING
        saved_at = self.session.saved_at
        # Until this session saves, "Saved" alone: the text is exactly what is stored.
        label = clock_label(saved_at, self.app.clock()) if saved_at is not None else ""  # type: ignore[attr-defined]
        self.query_one(SaveStatus).show(state, label)
        # The footer is rebuilt on refresh_bindings: only when a key appears or goes.
        offered = (
            self.session.has_orphans,
            self.session.conflict is not None or self.session.trashed,
        )
        if offered != self._offered_keys:
            self._offered_keys = offered
            self.refresh_bindings()

    def _autosave_now(self) -> None:
        """Start a background save of whatever is unsaved."""
        if self.session is None:
            return
        self._pull_editors()
        if not self.session.dirty:
            return
        self._refresh_status(saving=True)
        self._save_in_background()

    @work(thread=True, group="autosave", exit_on_error=False)
    def _save_in_background(self) -> SaveOutcome:
        assert self.session is not None
        return self.session.save()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "autosave" or not self.is_mounted:
            return
        if event.state is WorkerState.SUCCESS:
            self._handle_outcome(event.worker.result)
        elif event.state is WorkerState.ERROR:
            error = event.worker.error
            self._handle_outcome(SaveOutcome(error=error if isinstance(error, Exception) else None))

    def _handle_outcome(self, outcome: SaveOutcome | None) -> None:
        """Tell the user what a save did; show merged text; schedule a retry after a failure."""
        if outcome is None or self.session is None:
            return
        if self._save_notices.report(outcome):
            self._autosave.save_soon(self.RETRY_DELAY)
        self._show_merged_text()
        if outcome.merged_sections and self.template is not None:
            numbers = ", ".join(
                str(self.template.section_ids().index(sid) + 1)
                for sid in outcome.merged_sections
                if sid in self.template.section_ids()
            )
            self.notify(
                ngettext(
                    "Another window changed section {numbers}; its text is shown here now.",
                    "Another window changed sections {numbers}; their text is shown here now.",
                    len(outcome.merged_sections),
                ).format(numbers=numbers),
                title=_("Merged"),
                timeout=6,
            )
        if outcome.new_conflict is not None:
            self.notify(
                _(
                    "You and another window changed the same text. Nothing was overwritten: "
                    "everything else is merged, and your text is kept in a conflict copy. "
                    "Press F8 to compare and choose."
                ),
                title=_("Conflict"),
                severity="warning",
                timeout=15,
            )
        if outcome.newly_trashed:
            self.notify(
                _(
                    "This case was moved to the trash in another window. Your text is still "
                    "saved, with the case, in the trash. Press F8 to restore the case."
                ),
                title=_("In the trash"),
                severity="warning",
                timeout=15,
            )
        if outcome.saved:
            self._show_title()
        self._refresh_status()

    def _show_merged_text(self) -> None:
        """Show, in their editors, sections another writer changed (see EditSession)."""
        if self.session is None or not self.session.stale_sections():
            return
        self._pull_editors()  # keys typed over the old text make a clash, not a loss
        nav = self.query_one(SectionNav)
        for editor in self._mounted_editors():
            if editor.section_id in self.session.stale_sections():
                text = self.session.text(editor.section_id)
                editor.load_section(text)
                nav.set_filled(editor.section_id, is_filled(text))
                self.session.shown(editor.section_id)
        if self.template is not None:
            self.query_one(WordCount).words = word_count(self.editor.text)

    def flush(self) -> None:
        """Save any unsaved text now, synchronously (quit, SIGHUP, SIGTERM, exit).

        Safe at any time, also while a background save runs: saves are
        serialised by the session, and the newest text always goes last.
        """
        if self.session is None:
            return
        self._pull_editors()
        outcome = self.session.save()
        if self.is_mounted:
            # The app may be tearing down; the save itself is done.
            with contextlib.suppress(Exception):
                self._handle_outcome(outcome)

    @property
    def has_unsaved_text(self) -> bool:
        """True if some text has not reached the store (e.g. after a failed flush)."""
        if self.session is None:
            return False
        self._pull_editors()
        return self.session.dirty

    def action_save(self) -> None:
        """Save now (in the background; the status says when it is done)."""
        self._autosave.cancel()
        self._pull_editors()
        if self.session is not None and not self.session.dirty:
            self._refresh_status()
            self.notify(_("Everything is saved."), timeout=2)
            return
        self._autosave_now()

    def action_back(self) -> None:
        """Save, then return to the case list."""
        self.flush()
        if self.session is not None and self.session.dirty and not self._leave_anyway:
            self._leave_anyway = True
            self.notify(
                _(
                    "Your latest text could not be saved, so the case stays open. Ctrl+S tries "
                    "again; Escape once more leaves anyway (the unsaved text is then lost)."
                ),
                title=_("Not saved"),
                severity="error",
                timeout=15,
            )
            return
        self._autosave.cancel()
        self.dismiss()

    # --- dialogs ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer the orphans and conflict keys only when there is something to do."""
        if self.session is None or not self._built:
            return action == "back"
        if self.read_only and action in ("edit_fields", "orphans", "save", "tags"):
            return False
        if action == "orphans":
            return self.session.has_orphans
        if action == "resolve_conflict":
            return self.session.conflict is not None or self.session.trashed
        return True

    def action_edit_fields(self) -> None:
        """Edit the case's title and fields (setting, role, date, ...)."""
        assert self.session is not None and self.template is not None
        case = self.session.case

        def done(result: tuple[str, dict[str, str]] | None) -> None:
            if result is None or self.session is None:
                return
            title, fields = result
            # Apply only what was changed in the form, so a field another window
            # changed meanwhile (merged into the session) is not put back.
            changed = title != case.title and self.session.set_title(title)
            current = self.session.case.fields
            for key in set(fields) | set(case.fields):
                if fields.get(key, "") != case.fields.get(key, ""):
                    current[key] = fields.get(key, "")
            changed = self.session.set_fields(current) or changed
            if changed:
                self._show_title()
                self._refresh_status()
                self._autosave_now()

        self.app.push_screen(FieldsFormScreen(case.title, self.template.fields, case.fields), done)

    def action_tags(self) -> None:
        """Add or remove this case's tags (the same dialog as ``t`` on the case list)."""
        from coprod_tui.ui.dialogs.tags import TagsDialog

        assert self.session is not None
        case = self.session.case
        self.app.push_screen(TagsDialog(case.title, case.tags), self._start_retag)

    def _start_retag(self, edit: TagEdit | None) -> None:
        """The tags dialog's answer: save it in a worker (the keys wait for it)."""
        if edit is not None and not edit.empty:
            self._retag(edit)

    @keys_wait
    async def _retag(self, edit: TagEdit) -> None:
        """Save the text, change the tags on the stored case, then take the change in.

        The tags change through ``store.change_tags`` (under the case's lock, on the
        case as stored) and the session's catch-up merges it in like any other
        window's save, so neither the text nor a tag added elsewhere is lost.
        """
        if self.session is None:
            return
        self._pull_editors()
        session = self.session
        store = self.app.store  # type: ignore[attr-defined]

        def save_retag_catch_up() -> SaveOutcome:
            saved = session.save()
            if saved.error is not None:
                return saved
            store.change_tags(self.case_id, edit.add, edit.remove)
            return session.catch_up()

        try:
            outcome = await answer_of(self, save_retag_catch_up, group="autosave")
        except Exception as error:  # noqa: BLE001 - one line, like every store failure
            self.notify(
                _("Tags not changed: {error}").format(error=error), severity="error", markup=False
            )
            return
        self._handle_outcome(outcome)
        if outcome.error is None and self.session is not None:
            shown = ", ".join(self.session.case.tags) or _("none")
            self.notify(
                _("Tags: {tags}").format(tags=printable(shown, keep_newlines=False)),
                markup=False,
                timeout=4,
            )

    def action_orphans(self) -> None:
        """Show orphaned text and move it into a section."""
        assert self.session is not None and self.template is not None
        orphans = self.session.case.orphans
        if not orphans:
            self.notify(_("This case has no orphaned text."))
            return

        def done(result: tuple[str, str] | None) -> None:
            if result is None or self.session is None or self.template is None:
                return
            orphan_id, section_id = result
            text = self.session.adopt_orphan(orphan_id, section_id)
            index = self.template.section_ids().index(section_id)
            self._editor_at(index).load_section(text)
            self.query_one(SectionNav).set_orphan_count(len(self.session.case.orphans))
            self._after_edit(section_id, text)
            self.current = index
            self.notify(
                _("The orphaned text is now at the end of section {n}.").format(n=index + 1)
            )

        templates = self.app.templates  # type: ignore[attr-defined]
        own_template = self.session.case.template_id
        titles = {
            orphan_id: title
            for orphan_id in orphans
            if (title := templates.section_title(orphan_id, own_template))
        }
        self.app.push_screen(OrphansScreen(orphans, self.template, self.current, titles), done)

    @on(SectionNav.OrphansChosen)
    def _orphans_chosen(self) -> None:
        self.action_orphans()

    # --- identifying details (core/privacy, found and underlined by each SectionEditor) ----

    @on(SectionEditor.IdentifiersChanged)
    def _show_identifier_count(self) -> None:
        """The title bar's "2 identifying details (F11)": every section's, kept current."""
        found = self.query("#identifier-count")
        if not found:
            return
        counter = found.first(IdentifierCount)
        key = next(
            (
                self.app.get_key_display(active.binding)
                for active in self.active_bindings.values()
                if active.binding.id == "editor.identifiers"
            ),
            "F11",
        )
        counter.key = key.upper() if key[1:].isdigit() else key  # "F11", as the help says
        counter.count = sum(self._identifier_counts())
        counter.refresh()

    def _identifier_counts(self) -> list[int]:
        """How many identifying details each section holds: its editor's, else its text's."""
        counts = []
        for index, editor in enumerate(self._editors):
            if editor is not None:
                counts.append(len(editor.identifiers))
                continue
            assert self.session is not None and self.template is not None
            text = self.session.case.text(self.template.sections[index].id)
            kept = self._unmade_identifiers.get(index)
            if kept is None or kept[0] != text:
                kept = self._unmade_identifiers[index] = (text, count_identifiers(text))
            counts.append(kept[1])
        return counts

    def _identifier_items(self) -> list[IdentifierItem]:
        """Every section's identifying details, checked now, in section order."""
        assert self.template is not None
        items: list[IdentifierItem] = []
        for index, (editor, section) in enumerate(
            zip(self._mounted_editors(), self.template.sections, strict=False)
        ):
            editor.check_identifiers()
            items.extend(
                IdentifierItem(index, section.title, found) for found in editor.identifiers
            )
        return items

    def action_identifiers(self, highlight: int = 0) -> None:
        """List the case's identifying details: go to one, redact one or all."""
        if self.template is None:
            return
        items = self._identifier_items()
        self._show_identifier_count()

        def done(choice: IdentifierChoice | None) -> None:
            if choice is not None:
                self._identifier_chosen(items, choice)

        self.app.push_screen(
            IdentifiersDialog(items, editable=not self.read_only, highlight=highlight), done
        )

    def _identifier_chosen(self, items: list[IdentifierItem], choice: IdentifierChoice) -> None:
        """Carry out the list's answer: select the detail, or replace one or all with labels."""
        if choice.action == "redact_all":
            done = sum(
                self._editor_at(index).redact_identifiers(
                    [item.found for item in items if item.section_index == index]
                )
                for index in sorted({item.section_index for item in items})
            )
            self._show_identifier_count()
            self.notify(
                ngettext(
                    "Replaced {n} identifying detail with labels.",
                    "Replaced {n} identifying details with labels.",
                    done,
                ).format(n=done),
                timeout=4,
            )
            return
        if choice.row is None or not 0 <= choice.row < len(items):
            return
        item = items[choice.row]
        editor = self._editor_at(item.section_index)
        if choice.action == "jump":
            self.current = item.section_index
            self.set_focus(editor)
            editor.select_identifier(item.found)
        elif choice.action == "redact":
            editor.redact_identifiers([item.found])
            self.action_identifiers(highlight=choice.row)  # the list again, one shorter

    @keys_wait
    async def action_history(self) -> None:
        """Browse earlier versions of the case and restore one."""
        assert self.session is not None and self.template is not None
        # The text on screen becomes a version too, so restoring loses nothing.
        self._pull_editors()
        session = self.session
        store = self.app.store  # type: ignore[attr-defined]

        def save_then_list() -> tuple[SaveOutcome, list[RevisionInfo]]:
            return session.save(), store.history(self.case_id)

        # Awaited (off the loop): keys typed after F4 go to the history dialog.
        try:
            outcome, revisions = await answer_of(self, save_then_list, group="history")
        except Exception as error:  # noqa: BLE001 - one line, like every store failure
            self.notify(
                _("Could not read the history: {error}").format(error=error),
                severity="error",
                markup=False,
            )
            return
        self._handle_outcome(outcome)
        if self.session is None or self.template is None:
            return
        store = self.app.store  # type: ignore[attr-defined]
        self.app.push_screen(
            HistoryScreen(
                revisions,
                lambda revision: store.load_revision(self.case_id, revision),
                self.template,
                now=self.app.clock,  # type: ignore[attr-defined]
                current_revision=self.session.base_revision,
            ),
            self._start_restore,
        )

    def _start_restore(self, revision: int | None) -> None:
        """The history dialog's answer: restore in a worker (the keys wait for it)."""
        self._restore_revision(revision)

    @keys_wait
    async def _restore_revision(self, revision: int | None) -> None:
        if revision is None or self.session is None:
            return
        self._pull_editors()
        session = self.session
        store = self.app.store  # type: ignore[attr-defined]

        def save_then_restore() -> tuple[SaveOutcome, Case]:
            return session.save(), store.restore(self.case_id, revision)

        try:
            outcome, restored = await answer_of(self, save_then_restore, group="history")
        except Exception as error:  # noqa: BLE001 - one line, like every store failure
            self.notify(
                _("Could not restore: {error}").format(error=error), severity="error", markup=False
            )
            return
        if self.session is None:
            return
        self._handle_outcome(outcome)
        self.session.replace(restored)
        self._reload_from_session()
        restored_note = _(
            "Restored version {revision}. The text it replaced stays in the history (F4)."
        )
        self.notify(restored_note.format(revision=revision))

    def _reload_from_session(self) -> None:
        """Show the session's case in every pane (after restore or keep theirs)."""
        assert self.session is not None and self.template is not None
        case = self.session.case
        nav = self.query_one(SectionNav)
        for editor in self._mounted_editors():
            text = case.text(editor.section_id)
            if editor.stored_text != text:
                editor.load_section(text)
            nav.set_filled(editor.section_id, is_filled(text))
        nav.set_orphan_count(len(case.orphans))
        self._show_title()
        self._show_section(self.current)
        self._refresh_status()

    @keys_wait
    async def action_resolve_conflict(self) -> None:
        """Compare your text with the other window's and choose; or restore from the trash."""
        assert self.session is not None and self.template is not None
        if self.session.conflict is None and self.session.trashed:
            await self._restore_from_trash()
            return
        # Saved first, so the copy and the clashes hold what is on screen.
        self._pull_editors()
        try:
            outcome = await answer_of(self, self.session.save, group="autosave")
        except Exception as error:  # noqa: BLE001 - shown like a failed save
            outcome = SaveOutcome(error=error)
        self._handle_outcome(outcome)
        if self.session is None or self.template is None:
            return
        conflict = self.session.conflict
        if conflict is None:
            self.notify(_("There is no conflict to resolve."))
            return
        self.app.push_screen(ConflictScreen(conflict, self.template), self._start_resolve)

    def _start_resolve(self, choices: dict[str, str] | None) -> None:
        """The conflict dialog's answer: resolve in a worker (the keys wait for it)."""
        self._conflict_chosen(choices)

    @keys_wait
    async def _conflict_chosen(self, choices: dict[str, str] | None) -> None:
        if choices is None or self.session is None:
            return
        session = self.session
        try:
            outcome = await answer_of(self, lambda: session.resolve(choices), group="autosave")
        except Exception as error:  # noqa: BLE001 - shown like a failed save
            outcome = SaveOutcome(error=error)
        if outcome.error is None:
            if "mine" in choices.values():
                self.notify(
                    _("Your text is saved; the text it replaced stays in the history (F4).")
                )
            if "theirs" in choices.values() or "both" in choices.values():
                self.notify(_("Their text is in the case; yours stays in the conflict copy."))
        self._handle_outcome(outcome)

    async def _restore_from_trash(self) -> None:
        assert self.session is not None
        self._pull_editors()
        try:
            outcome = await answer_of(self, self.session.restore_from_trash, group="autosave")
        except Exception as error:  # noqa: BLE001 - shown like a failed save
            outcome = SaveOutcome(error=error)
        if outcome.error is None:
            self.notify(_("The case is back in the case list."), title=_("Restored"))
        self._handle_outcome(outcome)
