"""The Insights screen: what was learned across cases, each linked to where it came from.

Opened with ``i`` on the case list or the palette's "Insights"; from the
editor, F12 opens it showing only the insights citing the section being
written. A table (title, tags, number of links, updated), newest first; the
box at the top filters as you type: words match the title, text and tags,
``#tag`` (or ``tag:T``) keeps the insights with that tag. ``n`` new, ``e``
edit, Delete or ``x`` moves to the trash (``u`` brings the last one back),
Enter opens the insight (:mod:`~coprod_tui.ui.screens.insight_detail`).

Every store call runs off the loop (``ui/workers.py``): the list is read once
when the screen opens (and again after a change), and filtering works on that
reading in memory, so typing never waits for the disk. Titles and tags are
user text: plain ``Text``, never markup.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from coprod_tui.core.i18n import _, ngettext
from coprod_tui.core.text_safety import printable
from coprod_tui.core.timefmt import relative_time
from coprod_tui.ui.commands import InsightsCommands
from coprod_tui.ui.selection import highlighted_key, neighbour
from coprod_tui.ui.styled_once import StyledOnce
from coprod_tui.ui.widgets.key_footer import KeyFooter
from coprod_tui.ui.workers import KEYS_WAIT, StoreReply, deliver_reply, off_the_loop

if TYPE_CHECKING:
    from collections.abc import Callable

    from coprod_tui.core.insights.model import Insight
    from coprod_tui.core.insights.store import InsightStore
    from coprod_tui.ui.app import CoprodApp
    from coprod_tui.ui.dialogs.insight_form import InsightDraft


#: Rows added at once when the list is shown (a screenful); the rest follow in chunks,
#: once the first screenful is painted, and only while this screen is the one shown: a
#: list filling behind an insight's detail would slow down following a link.
FIRST_ROWS = 45
CHUNK_ROWS = 100
#: Seconds after opening with the last reading before reading again (after the first paint).
REREAD_DELAY = 0.15

#: One reading of the store: the readable insights, and the ids of those that could not be read.
Reading = tuple["list[Insight]", "list[str]"]


def _reading(answer: Any) -> tuple[list[Insight], list[str]]:
    """A reader's answer as (insights, damaged ids); a bare list (a test's stand-in) has none."""
    if isinstance(answer, tuple):
        return list(answer[0]), list(answer[1])
    return list(answer), []


def damaged_line(count: int) -> str:
    """What the status line says of insights that could not be read ("" when none)."""
    if not count:
        return ""
    return ngettext(
        "{n} insight could not be read: run coprod doctor",
        "{n} insights could not be read: run coprod doctor",
        count,
    ).format(n=count)


#: The last full reading of each store's insights: the screen opens with it at once and
#: reads again behind it (a thousand insight files take longer than a screen change).
_LAST_READ: weakref.WeakKeyDictionary[Any, Reading] = weakref.WeakKeyDictionary()
#: The insight folders' marks at the last full reading, and when it was (monotonic): the
#: reading behind the screen is skipped while they hold (nothing was written since), for
#: at most :data:`FULL_READ_EVERY` seconds (a file edited in place by hand is seen then).
_READ_MARKS: weakref.WeakKeyDictionary[Any, tuple[Any, float]] = weakref.WeakKeyDictionary()
FULL_READ_EVERY = 10.0


def _plain(text: str) -> str:
    return printable(text, keep_newlines=False)


def _tag_key(tag: str) -> str:
    return tag.casefold().lstrip("#")


@dataclass(frozen=True)
class InsightFilter:
    """What the box says: tags every shown insight carries, words in its title, text or tags."""

    tags: tuple[str, ...] = ()
    words: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> InsightFilter:
        tags: list[str] = []
        words: list[str] = []
        for token in text.split():
            lowered = token.casefold()
            if lowered.startswith("#") and len(lowered) > 1:
                tags.append(lowered[1:])
            elif lowered.startswith("tag:") and len(lowered) > 4:
                tags.append(lowered[4:])
            else:
                words.append(lowered)
        return cls(tuple(tags), tuple(words))

    def keeps(self, insight: Insight) -> bool:
        have = {_tag_key(t) for t in insight.tags}
        if any(tag not in have for tag in self.tags):
            return False
        if not self.words:
            return True
        haystack = " ".join((insight.title, insight.text, *insight.tags)).casefold()
        return all(word in haystack for word in self.words)


def _same(old: list[Insight], new: list[Insight]) -> bool:
    """The same insights at the same revisions, in the same order."""
    return [(i.id, i.revision) for i in old] == [(i.id, i.revision) for i in new]


class InsightFilterBox(Input):
    """The filter; Down goes to the table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "screen.to_table", "To the list", show=False, id="insights.to_table"),
    ]


class InsightTable(DataTable[Text]):
    """The insights; Enter opens one (shown in the footer, unlike the table's own Enter)."""

    BINDING_GROUP_TITLE = "Insight list"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "screen.open",
            "Open",
            tooltip="Open the insight: text and links",
            id="insights.open",
        ),
    ]


class InsightsScreen(StyledOnce, Screen[None]):
    """Every insight (or those citing one case section): list, filter, new, edit, trash."""

    AUTO_FOCUS = "InsightTable"

    COMMANDS: ClassVar[set[Any]] = {InsightsCommands}

    DEFAULT_CSS = """
    InsightsScreen #insights-body { height: 1fr; }
    InsightsScreen #insights-filter-bar { height: 1; margin: 1 1 0 1; }
    InsightsScreen #insights-filter-label {
        width: auto; padding: 0 1; text-style: bold; background: $accent; color: $text;
    }
    InsightsScreen #insights-filter { width: 1fr; padding: 0 1; }
    InsightsScreen #insights-filter:focus { background: $boost; }
    InsightsScreen #insights-status { height: 1; margin: 0 2; color: $text-muted; }
    InsightsScreen #insights-status.-error { color: $error; }
    InsightsScreen InsightTable { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Close the insights", id="insights.back"),
        Binding("n", "new", "New", tooltip="Write a new insight", id="insights.new"),
        Binding("e", "edit", "Edit", tooltip="Edit the title, text and tags", id="insights.edit"),
        Binding(
            "delete,x",
            "trash",
            "Trash",
            tooltip="Move the insight to the trash (u brings it back)",
            id="insights.trash",
        ),
        Binding(
            "u",
            "untrash",
            "Undo trash",
            tooltip="Bring back the insight last moved to the trash",
            id="insights.untrash",
        ),
        Binding(
            "slash",
            "to_filter",
            "Filter",
            key_display="/",
            tooltip="Filter by words, #tag or tag:T as you type",
            id="insights.filter",
        ),
    ]

    def __init__(self, *, citing: tuple[str, str] | None = None, citing_label: str = "") -> None:
        super().__init__()
        #: (case id, section id): only the insights linking that section.
        self.citing = citing
        self.citing_label = citing_label
        #: Every insight read (``None`` until read).
        self.insights: list[Insight] | None = None
        #: How many insight files the last reading could not read (damaged).
        self.damaged = 0
        #: The rows shown (after the filter), in order.
        self.shown: list[Insight] = []
        #: Ids moved to the trash here, last one last (``u`` brings them back).
        self.trashed: list[str] = []
        self._highlight_after: str | None = None
        self._filling = 0
        self._cursor_row: int | None = None
        #: (filling, next row) of a fill that stopped while another screen was on top.
        self._fill_paused: tuple[int, int] | None = None
        #: What the footer offers depends on these (``check_action``); rebuilt when they change.
        self._offered: tuple[bool, bool] | None = None
        self._quiet_bindings = False

    @property
    def coprod(self) -> CoprodApp:
        return cast("CoprodApp", self.app)

    def _insights(self) -> InsightStore:
        from coprod_tui.core.insights.store import insights_of

        return insights_of(self.coprod.store)

    # -- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="insights-body"):
            with Horizontal(id="insights-filter-bar"):
                yield Label(_("Filter"), id="insights-filter-label")
                yield InsightFilterBox(
                    placeholder=_("words, #tag"),
                    id="insights-filter",
                    compact=True,
                    select_on_focus=False,
                )
            yield Static(_("Reading the insights…"), id="insights-status", markup=False)
            table = InsightTable(id="insights-table", cursor_type="row", zebra_stripes=False)
            yield table
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = (
            _("Insights: {section}").format(section=self.citing_label)
            if self.citing_label
            else _("Insights")
        )
        table = self.query_one(InsightTable)
        table.add_column(_("Title"), key="title")
        table.add_column(_("Tags"), key="tags")
        table.add_column(_("Links"), key="links")
        table.add_column(_("Updated"), key="updated")
        last = _LAST_READ.get(self.coprod.store) if self.citing is None else None
        if last is not None:
            # The last reading at once; the fresh one a moment after this is on screen.
            # The focus set below rebuilds the footer once, with the rows in.
            self._quiet_bindings = True
            try:
                self._read(last)
            finally:
                self._quiet_bindings = False
            self.set_timer(REREAD_DELAY, self.reread, name="read the insights again")
        else:
            self.reread()
        self.set_focus(table)

    def on_screen_resume(self) -> None:
        self.query_one(Footer).show_command_palette = self.app.size.width >= 100
        paused, self._fill_paused = self._fill_paused, None
        if paused is not None:
            self.call_after_refresh(self._add_rows, paused[0], paused[1], CHUNK_ROWS)

    @on(StoreReply)
    async def _store_reply(self, reply: StoreReply) -> None:
        await deliver_reply(reply)

    # -- reading ----------------------------------------------------------------------

    def _reader(self) -> Callable[[], Reading]:
        """The store call that reads what this screen lists (run it off the loop): the
        insights, and the ids of those that could not be read (one reading of the files)."""
        insights, citing, store = self._insights(), self.citing, self.coprod.store

        def read() -> Reading:
            import time

            marks = insights.folder_marks()
            last, kept = _LAST_READ.get(store), _READ_MARKS.get(store)
            if (
                citing is None
                and last is not None
                and marks is not None
                and kept is not None
                and kept[0] == marks
                and time.monotonic() - kept[1] < FULL_READ_EVERY
            ):
                return last  # nothing written since the last reading: no file is read
            found, damaged = insights.listing()
            if citing is None and marks is not None:
                _READ_MARKS[store] = (marks, time.monotonic())
            if citing is not None:
                found = [i for i in found if i.cites(citing[0], citing[1])]
            return found, damaged

        return read

    def reread(self, highlight: str | None = None) -> None:
        """Read the insights again off the loop; ``highlight`` that one when shown."""
        self._highlight_after = highlight
        off_the_loop(
            self,
            self._reader(),
            done=self._read,
            failed=self._read_failed,
            group="insights-read",
            exclusive=True,
            description="read the insights",
        )

    def change(
        self,
        call: Callable[[], Any],
        *,
        highlight: Callable[[Any], str | None] = lambda _result: None,
        done: Callable[[Any], Any] | None = None,
        title: str = "",
    ) -> None:
        """Make a change, then read the list again, in one worker the next keys wait for.

        So ``x`` pressed twice in a burst trashes two insights, never one twice.
        """
        read = self._reader()

        def run() -> tuple[Any, Reading]:
            result = call()
            return result, read()

        def changed(answer: tuple[Any, Reading]) -> None:
            result, reading = answer
            self._highlight_after = highlight(result)
            self._read(reading)
            if done is not None:
                done(result)
            self._offer_keys()

        off_the_loop(
            self,
            run,
            done=changed,
            failed=lambda error: self.coprod.notify_error(error, title=title or _("Not saved")),
            group=KEYS_WAIT,
            description="change an insight",
        )

    def _read(self, answer: Reading | list[Insight]) -> None:
        insights, damaged = _reading(answer)
        if self.citing is None:
            _LAST_READ[self.coprod.store] = (insights, damaged)
        if (
            self.insights is not None
            and _same(self.insights, insights)
            and self.damaged == len(damaged)
        ):
            return  # nothing changed: the table stays as it is
        self.insights = insights
        self.damaged = len(damaged)
        self._show()

    def _read_failed(self, error: Exception) -> None:
        self.insights = []
        self._show()
        self._status(_("Could not read the insights: {error}").format(error=error), error=True)

    @on(Input.Changed, "#insights-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._show()

    @on(Input.Submitted, "#insights-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_to_table()

    def _show(self) -> None:
        """Fill the table with the insights the filter keeps: a screenful now, the rest after.

        A thousand rows take a DataTable tens of milliseconds, so the first
        :data:`FIRST_ROWS` are added at once (the screen paints them) and the
        rest in chunks after each refresh, while keys keep working.
        """
        if self.insights is None:
            return
        table = self.query_one(InsightTable)
        was = self._highlight_after or highlighted_key(table)
        old_order = [i.id for i in self.shown]
        self._highlight_after = None
        keep = InsightFilter.parse(self.query_one(InsightFilterBox).value)
        empty = not keep.tags and not keep.words
        self.shown = list(self.insights) if empty else [i for i in self.insights if keep.keeps(i)]
        table.clear()
        self._filling += 1
        target = neighbour(was, old_order, {i.id for i in self.shown})
        ids = [i.id for i in self.shown]
        self._cursor_row = ids.index(target) if target in ids else None
        self._add_rows(self._filling, 0, FIRST_ROWS)
        total = len(self.insights)
        if not total:
            line = (
                _("No insight cites this section yet. n writes one.")
                if self.citing
                else _("No insights yet. n writes one.")
            )
        elif len(self.shown) == total:
            line = ngettext("{n} insight", "{n} insights", total).format(n=total)
        else:
            line = ngettext("{shown} of {n} insight", "{shown} of {n} insights", total).format(
                shown=len(self.shown), n=total
            )
        damaged = damaged_line(self.damaged)
        if damaged:
            # Never hidden silently: the user is told, and told what to do.
            line = damaged if not total else f"{line} · {damaged}"
        self._status(line, error=bool(damaged))
        self._offer_keys()

    def _offer_keys(self) -> None:
        """Rebuild the footer only when a key appears or goes (each rebuild remounts it)."""
        offered = (bool(self.shown), bool(self.trashed))
        if offered != self._offered:
            self._offered = offered
            if not self._quiet_bindings:
                self.refresh_bindings()

    def _add_rows(self, filling: int, start: int, count: int) -> None:
        """Add rows ``start`` to ``start + count`` of :attr:`shown`; schedule the next chunk."""
        if filling != self._filling:
            return  # a newer filling (a keystroke in the filter) replaced this one
        try:
            table = self.query_one(InsightTable)
        except NoMatches:
            return  # the screen closed meanwhile
        now = self.coprod.clock()
        end = min(len(self.shown), start + count)
        for insight in self.shown[start:end]:
            table.add_row(
                Text(_plain(insight.title) or _("(untitled)"), style="bold"),
                Text(", ".join(_plain(t) for t in insight.tags)),
                Text(str(len(insight.links)), justify="right"),
                Text(relative_time(insight.updated, now) if insight.updated else ""),
                key=insight.id,
            )
        if self._cursor_row is not None and self._cursor_row < end:
            table.move_cursor(row=self._cursor_row, animate=False)
            self._cursor_row = None
        if end >= len(self.shown):
            return
        if self.app.screen is not self:
            self._fill_paused = (filling, end)  # on_screen_resume goes on from here
        elif start == 0:
            # The rest only after the first screenful is painted (two refreshes on).
            self.call_after_refresh(
                self.call_after_refresh, self._add_rows, filling, end, CHUNK_ROWS
            )
        else:
            self.call_after_refresh(self._add_rows, filling, end, CHUNK_ROWS)

    @property
    def filled(self) -> bool:
        """Every row the filter keeps is in the table."""
        return self.query_one(InsightTable).row_count == len(self.shown)

    def _status(self, text: str, *, error: bool) -> None:
        status = self.query_one("#insights-status", Static)
        status.update(Text(_plain(text)))
        status.set_class(error, "-error")

    def selected(self) -> Insight | None:
        """The highlighted insight, if any."""
        key = highlighted_key(self.query_one(InsightTable))
        return next((i for i in self.shown if i.id == key), None)

    # -- keys -------------------------------------------------------------------------

    ROW_ACTIONS: ClassVar[frozenset[str]] = frozenset({"open", "edit", "trash"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        if action in self.ROW_ACTIONS:
            return self.selected() is not None or None
        if action == "untrash":
            return bool(self.trashed) or None
        if action == "to_table":
            return bool(self.shown) or None
        return True

    def action_back(self) -> None:
        box = self.query_one(InsightFilterBox)
        if box.value and self.focused is box:
            box.value = ""
            return
        self.dismiss()

    def action_to_filter(self) -> None:
        self.set_focus(self.query_one(InsightFilterBox))

    def action_to_table(self) -> None:
        self.set_focus(self.query_one(InsightTable))

    @on(DataTable.RowSelected, "#insights-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        from coprod_tui.ui.screens.insight_detail import InsightDetailScreen

        insight = self.selected()
        if insight is not None:
            self.app.push_screen(InsightDetailScreen(insight.id), lambda _r: self.reread())

    def action_new(self) -> None:
        from coprod_tui.core.insights.model import new_insight
        from coprod_tui.ui.dialogs.insight_form import InsightForm

        insights = self._insights()

        def answered(draft: InsightDraft | None) -> None:
            if draft is None:
                return
            off_the_loop(
                self,
                lambda: insights.create(new_insight(draft.title, text=draft.text, tags=draft.tags)),
                done=lambda made: self.reread(made.id),
                failed=lambda error: self.coprod.notify_error(error, title=_("Insight not saved")),
                group="insight",
                description="store the insight",
            )

        self.app.push_screen(InsightForm(_("New insight")), answered)

    def action_edit(self) -> None:
        from coprod_tui.ui.dialogs.insight_form import InsightForm

        chosen = self.selected()
        if chosen is None:
            return
        insights, insight_id = self._insights(), chosen.id

        def answered(draft: InsightDraft | None) -> None:
            if draft is None:
                return

            def change() -> Any:
                from coprod_tui.ui.dialogs.insight_form import save_draft

                # Merged with what was saved since the list was read (as the detail's e does).
                return save_draft(insights, chosen, draft)

            def told(result: Any) -> None:
                from coprod_tui.ui.dialogs.insight_form import saved_note

                if result.conflict is not None or result.from_theirs:
                    message, severity = saved_note(result)
                    self.notify(message, severity=cast("Any", severity), markup=False, timeout=5)

            self.change(
                change,
                highlight=lambda _result: insight_id,
                done=told,
                title=_("Insight not saved"),
            )

        self.app.push_screen(
            InsightForm(
                _("Edit insight"),
                title=chosen.title,
                text=chosen.text,
                tags=chosen.tags,
                links=chosen.links,
            ),
            answered,
        )

    def action_trash(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        insights, insight_id = self._insights(), chosen.id

        def trashed(_none: None) -> None:
            self.trashed.append(insight_id)
            self.notify(
                _("“{title}” moved to the trash. Press u to bring it back.").format(
                    title=_plain(chosen.title)
                ),
                markup=False,
                timeout=5,
            )

        self.change(lambda: insights.trash(insight_id), done=trashed, title=_("Not moved"))

    def action_untrash(self) -> None:
        if not self.trashed:
            return
        insights, insight_id = self._insights(), self.trashed.pop()

        self.change(
            lambda: insights.untrash(insight_id),
            highlight=lambda _none: insight_id,
            title=_("Not brought back"),
        )
