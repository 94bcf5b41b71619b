"""The trash: deleted cases, last deleted first; restore one, or delete for good.

Deleting a case on the case list only moves it here. A person who asks for
their data to be erased needs more, so this is where a case goes for good:
"Delete for good" (``d``) for the highlighted case and "Empty trash" (``e``)
for all of them, each behind a confirmation that says what goes (how many
cases, with their history and conflict copies) and that it cannot be undone.
Both use :meth:`CaseStore.purge <coprod_tui.core.store.CaseStore.purge>`.

The highlight follows the same rule as on the case list: after a restore or
a purge it moves to the neighbour (the next row, else the previous), never
back to the first row.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static
from textual.widgets.data_table import RowDoesNotExist

from coprod_tui.core.errors import CoprodError
from coprod_tui.core.i18n import _, ngettext
from coprod_tui.core.text_safety import printable
from coprod_tui.core.timefmt import from_epoch, relative_time
from coprod_tui.ui.commands import TrashCommands
from coprod_tui.ui.dialogs.base import ModalDialog
from coprod_tui.ui.dialogs.confirm import ConfirmDialog
from coprod_tui.ui.selection import highlighted_key, neighbour
from coprod_tui.ui.workers import answer_of, keys_wait

if TYPE_CHECKING:
    from coprod_tui.core.store import CaseSummary
    from coprod_tui.ui.app import CoprodApp


def _plain(text: str) -> str:
    return printable(text, keep_newlines=False)


class TrashTable(DataTable[Any]):
    """The trashed cases; Home and End go to the first and last one."""

    BINDING_GROUP_TITLE = "Trash table"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", "First", show=False, id="trash.first"),
        Binding("end", "scroll_bottom", "Last", show=False, id="trash.last"),
    ]


class TrashScreen(ModalDialog[None]):
    """Deleted cases, last deleted first; Enter (or r) restores the selected one."""

    DEFAULT_CSS = """
    TrashScreen #trash {
        width: 90;
        height: 80%;
    }
    TrashScreen #trashed {
        height: 1fr;
    }
    TrashScreen #empty {
        height: 1fr;
        content-align: center middle;
        color: $text-muted;
    }
    TrashScreen .hint {
        color: $text-muted;
    }
    """

    BINDING_GROUP_TITLE = "Trash"

    COMMANDS: ClassVar[set[Any]] = {TrashCommands}
    SCROLLS = "#trashed"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", tooltip="Close the trash", id="trash.close"),
        Binding(
            "r",
            "restore",
            "Restore",
            tooltip="Put the selected case back in the list",
            id="trash.restore",
        ),
        Binding(
            "d,delete",
            "purge",
            "Delete for good",
            tooltip="Delete the selected case for good, with its history (asks first)",
            id="trash.purge",
        ),
        Binding(
            "e",
            "empty_trash",
            "Empty trash",
            tooltip="Delete every case in the trash for good (asks first)",
            id="trash.empty",
        ),
    ]

    def __init__(self, *, ask_to_empty: bool = False) -> None:
        super().__init__()
        self.trashed: list[CaseSummary] = []
        #: When each trashed case was deleted (epoch seconds), by id.
        self.deleted_at: dict[str, float] = {}
        self._ask_to_empty = ask_to_empty

    @property
    def coprod(self) -> CoprodApp:
        return cast("CoprodApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="trash") as box:
            box.border_title = _("Trash")
            yield TrashTable(id="trashed", cursor_type="row")
            yield Static(_("The trash is empty."), id="empty")
            yield Static(
                Content.from_markup(
                    _(
                        "[b]Enter[/b]/[b]r[/b] restores · [b]d[/b] deletes for good · "
                        "[b]e[/b] empties the trash · [b]Esc[/b] closes"
                    )
                ),
                classes="hint",
            )

    def on_mount(self) -> None:
        table = self.query_one(TrashTable)
        table.add_column(_("Title"), key="title")
        table.add_column(_("Deleted"), key="deleted")
        table.add_column(_("Last edited"), key="updated")
        table.focus()
        self._first_listing()

    @keys_wait
    async def _first_listing(self) -> None:
        """The first read of the trash: a worker, so mounting never waits for it."""
        await self.reload()
        if self._ask_to_empty:
            await self._empty_trash()

    async def reload(self) -> None:
        """Re-read the trash off the loop; the highlight stays on the same case or its neighbour.

        Awaited, so the keys typed after the key that changed the trash act on
        the listing as it now is (see ``ui/typeahead.py``).
        """
        store = self.coprod.store
        try:
            listing = await answer_of(self, store.list_trash_by_deletion, group="trash")
        except Exception as error:  # noqa: BLE001 - one line, like every store failure
            self.coprod.notify_error(error, title=_("Trash"))
            listing = []
        self._show_listing(listing)

    def _show_listing(self, listing: list[tuple[CaseSummary, float]]) -> None:
        table = self.query_one(TrashTable)
        selected = self.selected_case_id()
        shown = [summary.id for summary in self.trashed]
        self.trashed = [summary for summary, _when in listing]
        self.deleted_at = {summary.id: when for summary, when in listing}
        table.clear()
        now = self.coprod.clock()
        for summary, when in listing:
            deleted = from_epoch(when)
            table.add_row(
                Text(_plain(summary.title) or _("(untitled)"), no_wrap=True, overflow="ellipsis"),
                Text(relative_time(deleted, now), no_wrap=True),
                Text(relative_time(summary.updated, now), no_wrap=True, style="dim"),
                key=summary.id,
            )
        target = neighbour(selected, shown, set(self.deleted_at))
        if target is not None:
            with contextlib.suppress(RowDoesNotExist):
                table.move_cursor(row=table.get_row_index(target), animate=False)
        empty = not self.trashed
        table.display = not empty
        self.query_one("#empty", Static).display = empty
        self.refresh_bindings()

    def selected_case_id(self) -> str | None:
        """The id of the trashed case under the cursor, if any."""
        return highlighted_key(self.query_one(TrashTable))

    def selected_summary(self) -> CaseSummary | None:
        case_id = self.selected_case_id()
        return next((s for s in self.trashed if s.id == case_id), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Restore and purge are dimmed when the trash is empty."""
        if action in {"restore", "purge", "empty_trash"} and self.is_mounted and not self.trashed:
            return None
        return True

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_restore()

    @keys_wait
    async def action_restore(self) -> None:
        case_id = self.selected_case_id()
        if case_id is None:
            return
        store = self.coprod.store
        try:
            await answer_of(self, lambda: store.untrash(case_id), group="trash")
        except Exception as error:  # noqa: BLE001 - one line, like every store failure
            self.coprod.notify_error(error, title=_("Restore failed"))
            return
        self.notify(_("Restored."), markup=False, timeout=3)
        await self.reload()

    def _copies(self, case_ids: set[str]) -> int:
        """How many conflict copies go with these cases (from the catalog; in a worker thread)."""
        try:
            summaries = self.coprod.store.list_cases(include_trashed=True)
        except CoprodError:
            return 0
        return sum(1 for s in summaries if s.conflict_of in case_ids and s.id not in case_ids)

    async def _count_copies(self, case_ids: set[str]) -> int:
        """:meth:`_copies`, off the loop."""
        return await answer_of(self, lambda: self._copies(case_ids), group="trash")

    @keys_wait
    async def action_purge(self) -> None:
        """Delete the highlighted case for good, after saying so."""
        summary = self.selected_summary()
        if summary is None:
            return
        copies = await self._count_copies({summary.id})
        also = _copies_note(copies)

        def purge(confirmed: bool | None) -> None:
            if confirmed:
                self._purge([summary.id])

        self.app.push_screen(
            ConfirmDialog(
                _("Delete for good?"),
                Content.assemble(
                    *_around(
                        _("Delete “{title}” for good, with its history{also}?").format(
                            title="\0", also=also
                        ),
                        (_plain(summary.title) or _("(untitled)"), "bold"),
                    ),
                    "\n",
                    _("This cannot be undone."),
                ),
                confirm_label=_("Delete for good"),
            ),
            purge,
        )

    @keys_wait
    async def action_empty_trash(self) -> None:
        """Delete every trashed case for good, after saying how many."""
        await self._empty_trash()

    async def _empty_trash(self) -> None:
        if not self.trashed:
            self.notify(_("The trash is empty."), markup=False, timeout=3)
            return
        ids = [summary.id for summary in self.trashed]
        copies = await self._count_copies(set(ids))
        count = len(ids)
        also = _copies_note(copies)

        def empty(confirmed: bool | None) -> None:
            if confirmed:
                self._purge(ids)

        self.app.push_screen(
            ConfirmDialog(
                _("Empty the trash?"),
                Content.assemble(
                    ngettext(
                        "The {n} case in the trash, with its history{also}, will be deleted "
                        "for good.",
                        "All {n} cases in the trash, with their history{also}, will be deleted "
                        "for good.",
                        count,
                    ).format(n=count, also=also),
                    "\n",
                    _("This cannot be undone."),
                ),
                confirm_label=ngettext(
                    "Delete {n} case for good", "Delete {n} cases for good", count
                ).format(n=count),
            ),
            empty,
        )

    @keys_wait
    async def _purge(self, case_ids: list[str]) -> None:
        """Delete for good in a worker; a failure part-way still reports what went."""
        store = self.coprod.store

        def purge_all() -> tuple[set[str], CoprodError | None]:
            removed: set[str] = set()
            try:
                for case_id in case_ids:
                    if case_id not in removed:
                        removed.update(store.purge(case_id))
            except CoprodError as error:
                return removed, error
            return removed, None

        removed, error = await answer_of(self, purge_all, group="trash")
        if error is not None:
            self.coprod.notify_error(error, title=_("Delete for good failed"))
        if removed:
            gone = len(removed)
            self.notify(
                ngettext("Deleted {n} case for good.", "Deleted {n} cases for good.", gone).format(
                    n=gone
                ),
                markup=False,
                timeout=4,
            )
        await self.reload()


def _copies_note(copies: int) -> str:
    """`` and 2 conflict copies`` (or nothing), to follow "with its history"."""
    if not copies:
        return ""
    return ngettext(" and {n} conflict copy", " and {n} conflict copies", copies).format(n=copies)


def _around(sentence: str, middle: tuple[str, str]) -> tuple[str | tuple[str, str], ...]:
    """``sentence`` split at its ``\\0`` mark, with ``middle`` (styled user text) put there.

    The translated sentence decides where the case's title goes; the title
    itself never passes through a format string.
    """
    before, _mark, after = sentence.partition("\0")
    return (before, middle, after)
