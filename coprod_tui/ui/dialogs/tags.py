"""The tags dialog: add tags with completion from the store's tags, remove a case's tags.

Opened by ``t`` on the case list and Ctrl+T in the editor. The field at the
top adds: it completes from every tag the store already uses (Right takes the
completion, so a team keeps one spelling), and Enter adds what was typed —
several at once separated by commas — and saves. The case's current tags are
listed below it: Down (or Tab) goes there, Delete removes the highlighted tag,
Enter saves. Escape closes without changing anything.

The dialog answers with a :class:`TagEdit` — what to add and what to remove —
never with a whole new list: the opener applies it to the case *as stored*
(``store.update``, under the case's lock), so a tag another window added
meanwhile is kept.

Tags compare case-insensitively (``Demens`` and ``demens`` are one tag; the
first spelling stays), and known tags are listed in the user's alphabet
(:func:`tag_sort_key`: Swedish order ends … x y z å ä ö).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList, SuggestionReady
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from coprod_tui.core.case import change_tags, normalise_tags, tag_key, tag_problem
from coprod_tui.core.collation import sort_key
from coprod_tui.core.i18n import _
from coprod_tui.core.language import user_language
from coprod_tui.core.text_safety import printable
from coprod_tui.ui.dialogs.base import ModalDialog
from coprod_tui.ui.workers import StoreReply, deliver_reply, off_the_loop

#: Known tags shown under the field (the rest are reached by completion).
KNOWN_SHOWN = 12
NBSP = "\u00a0"


def _plain(text: str) -> str:
    return printable(text, keep_newlines=False)


@dataclass(frozen=True)
class TagEdit:
    """What the user asked for: tags to add and tags to remove (each as typed/shown)."""

    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.add and not self.remove

    def apply(self, tags: Iterable[str]) -> list[str]:
        """``tags`` with this edit made (``core.case.change_tags``, the one rule).

        Removal ignores case; an added tag already there keeps its spelling.
        """
        return change_tags(list(tags), list(self.add), list(self.remove))


def split_tags(text: str) -> list[str]:
    """Tags typed into the field: comma-separated, trimmed, duplicates (any case) dropped."""
    return normalise_tags(text.split(","))


def tag_sort_key() -> Callable[[str], Any]:
    """The user's alphabetical order for tags (Swedish: … x y z å ä ö)."""
    language = user_language()
    return lambda text: sort_key(text, language)


def tag_counts_of(summaries: Iterable[Any]) -> list[tuple[str, int]]:
    """Each tag of these case summaries with how many cases carry it, in the user's order.

    For stores without ``tag_counts`` (stand-ins in tests); the store's own
    ``CaseStore.tag_counts`` is what the dialog asks. Tags that differ only in
    case are one tag, named by the first spelling met; trashed and damaged
    summaries do not count.
    """
    counts: dict[str, int] = {}
    spelling: dict[str, str] = {}
    for summary in summaries:
        if getattr(summary, "trashed", False) or getattr(summary, "damaged", False):
            continue
        for key, tag in {tag_key(tag): tag for tag in summary.tags if tag.strip()}.items():
            spelling.setdefault(key, tag)
            counts[key] = counts.get(key, 0) + 1
    key_of = tag_sort_key()
    return sorted(((spelling[k], n) for k, n in counts.items()), key=lambda kn: key_of(kn[0]))


def known_tags(store: Any) -> list[tuple[str, int]]:
    """The store's tags with their counts (in a worker: it reads the catalog)."""
    counts = getattr(store, "tag_counts", None)
    if counts is not None:
        return list(counts())
    return tag_counts_of(store.list_cases())


class CurrentTags(OptionList):
    """The case's tags as they will be saved; Delete removes the highlighted one."""

    BINDING_GROUP_TITLE = "This dialog"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "delete,backspace",
            "screen.remove_tag",
            "Remove tag",
            tooltip="Remove the highlighted tag from the case",
            id="tags.remove",
        ),
    ]


class TagsDialog(ModalDialog[TagEdit | None]):
    """Add tags (with completion) and remove them; answers with a :class:`TagEdit`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "save",
            "Save tags",
            tooltip="Save the tags and close",
            id="tags.save",
        ),
    ]

    DEFAULT_CSS = """
    TagsDialog .dialog { width: 64; }
    TagsDialog #add { margin-top: 1; background: $boost; }
    TagsDialog #known { color: $text-muted; height: auto; max-height: 3; margin-top: 1; }
    TagsDialog #current { height: auto; max-height: 8; min-height: 1; border: none; }
    TagsDialog #current:focus { background: $boost; }
    TagsDialog #no-tags { color: $text-muted; }
    """

    def __init__(
        self,
        title: str,
        tags: Iterable[str],
        known: Iterable[tuple[str, int]] | None = None,
    ) -> None:
        """``known``: the store's tags with counts; ``None`` reads them (off the loop)."""
        super().__init__()
        self.case_title = _plain(title) or "(untitled)"
        self.original = normalise_tags(list(tags))
        self.known: list[tuple[str, int]] = [(t, n) for t, n in known or () if t.strip()]
        self._read_known = known is None
        self._removed: list[str] = []

    # -- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        if self._read_known:
            # The case list's last reading, in memory: completion works from the first
            # key, even in a burst typed before the store's tags are read again below.
            cached = getattr(self.app, "cached_summaries", lambda: None)()
            if cached is not None:
                self.known = [(t, n) for t, n in tag_counts_of(cached) if t.strip()]
        with Vertical(classes="dialog") as box:
            box.border_title = _("Tags: {title}").format(title=self.case_title)
            yield Label(
                _("Add tags (commas between; → takes the suggestion)"), classes="field-label"
            )
            yield Input(
                placeholder=_("e.g. heart failure, family carer"),
                id="add",
                suggester=self._suggester(),
                select_on_focus=False,
                compact=True,
            )
            yield Static(self._known_text(), id="known", markup=False)
            yield Label(_("This case's tags (Delete removes one)"), classes="field-label")
            yield CurrentTags(id="current")
            yield Static(_("No tags yet."), id="no-tags", markup=False)
            yield Static("", id="error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), variant="primary", id="ok")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self._show_current()
        # At once (Widget.focus would wait): text typed straight after t lands here.
        self.set_focus(self.query_one("#add", Input))
        if self._read_known:
            # Typing goes on meanwhile; completion starts when the tags are in.
            store = self.coprod.store
            off_the_loop(
                self,
                lambda: known_tags(store),
                done=self._known_read,
                failed=lambda _error: None,  # no completion only; saving still works
                group="tags",
                description="read the store's tags",
            )

    def _suggester(self) -> SuggestFromList:
        """Completion from the store's tags the case does not have yet."""
        have = {tag_key(tag) for tag in self.original}
        names = [tag for tag, _n in self.known if tag_key(tag) not in have]
        return SuggestFromList(names, case_sensitive=False)

    def _known_read(self, known: list[tuple[str, int]]) -> None:
        self.known = [(tag, count) for tag, count in known if tag.strip()]
        box = self.query_one("#add", Input)
        box.suggester = self._suggester()
        self.query_one("#known", Static).update(self._known_text())
        if box.value:
            # What was typed before the tags came in gets its completion now, not
            # only after the next key.
            self.run_worker(self._suggest_again(box), group="suggest", exclusive=True)

    async def _suggest_again(self, box: Input) -> None:
        value, suggester = box.value, box.suggester
        if suggester is None:
            return
        suggestion = await suggester.get_suggestion(value)
        if suggestion is not None and box.value == value:
            box.post_message(SuggestionReady(value, suggestion))

    @on(StoreReply)
    async def _store_reply(self, reply: StoreReply) -> None:
        """The store's tags, read off the loop (see ``ui/workers.py``)."""
        await deliver_reply(reply)

    def _known_text(self) -> Text:
        if not self.known:
            return Text(_("No tags in the store yet."))
        # No-break spaces: a tag and its count never part at the end of a line.
        shown = [
            f"{_plain(tag).replace(' ', NBSP)}{NBSP}{count}"
            for tag, count in self.known[:KNOWN_SHOWN]
        ]
        more = len(self.known) - KNOWN_SHOWN
        extra = _(" · … {n} more").format(n=more) if more > 0 else ""
        return Text(_("In use: {tags}").format(tags=" · ".join(shown)) + extra)

    @property
    def current(self) -> list[str]:
        """The tags the case will have (before anything typed in the field)."""
        gone = {tag_key(tag) for tag in self._removed}
        return [tag for tag in self.original if tag_key(tag) not in gone]

    def _show_current(self) -> None:
        listing = self.query_one(CurrentTags)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options([Option(Text(_plain(tag))) for tag in self.current])
        count = listing.option_count
        listing.display = count > 0
        self.query_one("#no-tags").display = count == 0
        if count:
            listing.highlighted = min(highlighted or 0, count - 1)

    # -- answers ----------------------------------------------------------------------

    def edit(self) -> TagEdit:
        """The edit as it stands: the field's tags added, the removed ones removed."""
        typed = split_tags(self.query_one("#add", Input).value)
        typed_keys = {tag_key(tag) for tag in typed}
        have = {tag_key(tag) for tag in self.current}
        add = tuple(tag for tag in typed if tag_key(tag) not in have)
        remove = tuple(tag for tag in self._removed if tag_key(tag) not in typed_keys)
        return TagEdit(add=add, remove=remove)

    @on(Input.Submitted, "#add")
    @on(Button.Pressed, "#ok")
    @on(OptionList.OptionSelected, "#current")
    def action_save(self) -> None:
        """Save: dismiss with the edit (``None`` when nothing changes).

        A tag that cannot be stored (a control character, too long) is named
        under the field and the dialog stays, with what was typed.
        """
        edit = self.edit()
        for tag in edit.add:
            problem = tag_problem(tag)
            if problem is not None:
                self.query_one("#error", Static).update(f"“{_plain(tag)}”: {problem}.")
                return
        self.dismiss(None if edit.empty else edit)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    def action_remove_tag(self) -> None:
        """Remove the highlighted tag (it is removed from the case on save)."""
        listing = self.query_one(CurrentTags)
        index = listing.highlighted
        current = self.current
        if index is None or not 0 <= index < len(current):
            return
        self._removed.append(current[index])
        self._show_current()
        if not self.current:
            self.set_focus(self.query_one("#add", Input))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove_tag":
            return bool(self.current)
        return super().check_action(action, parameters)

    @on(Input.Changed, "#add")
    def _typed(self) -> None:
        self.query_one("#error", Static).update("")

    def on_key(self, event: Any) -> None:
        """Down from the field goes to the current tags (Tab does too)."""
        if event.key == "down" and self.focused is self.query_one("#add", Input):
            listing = self.query_one(CurrentTags)
            if listing.display:
                event.stop()
                self.set_focus(listing)


class TagPickerDialog(ModalDialog[str | None]):
    """Pick one of the store's tags (each with its count) to filter the case list by.

    The tags are read off the loop (``CaseStore.tag_counts``), in the user's
    order. Answers with the tag, or ``None``.
    """

    DEFAULT_CSS = """
    TagPickerDialog .dialog { width: 50; }
    TagPickerDialog #tag-choices { height: auto; max-height: 16; border: none; }
    TagPickerDialog #tag-choices:focus { background: $boost; }
    TagPickerDialog #picker-note { color: $text-muted; }
    """

    SCROLLS = "#tag-choices"

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = _("Show the cases with the tag")
            yield OptionList(id="tag-choices")
            yield Static(_("Reading the tags…"), id="picker-note", markup=False)

    def on_mount(self) -> None:
        listing = self.query_one("#tag-choices", OptionList)
        listing.display = False
        self.set_focus(listing)
        store = self.coprod.store
        off_the_loop(
            self,
            lambda: known_tags(store),
            done=self._tags_read,
            failed=self._unreadable,
            group="tags",
            description="read the store's tags",
        )

    def _tags_read(self, tags: list[tuple[str, int]]) -> None:
        self.tags = [(tag, count) for tag, count in tags if tag.strip()]
        listing = self.query_one("#tag-choices", OptionList)
        listing.add_options(
            [Option(Text.assemble(_plain(tag), (f"  {count}", "dim"))) for tag, count in self.tags]
        )
        listing.display = bool(self.tags)
        note = (
            _("Enter shows the cases with the tag.") if self.tags else _("No case has a tag yet.")
        )
        self.query_one("#picker-note", Static).update(note)
        if self.tags:
            listing.highlighted = 0
            self.set_focus(listing)

    def _unreadable(self, error: Exception) -> None:
        self.query_one("#picker-note", Static).update(
            _("Could not read the tags: {error}").format(error=error)
        )

    @on(StoreReply)
    async def _store_reply(self, reply: StoreReply) -> None:
        await deliver_reply(reply)

    @on(OptionList.OptionSelected, "#tag-choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.tags):
            self.dismiss(self.tags[event.option_index][0])


def tag_filter_word(tag: str) -> str:
    """The ``/`` filter's word for one tag: ``tag:akut``, ``tag:"home care"``."""
    return f'tag:"{tag}"' if any(c.isspace() or c == '"' for c in tag) else f"tag:{tag}"
