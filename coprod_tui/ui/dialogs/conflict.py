"""Decide, item by item, what another window's save and yours disagree on.

A conflict means another window (or person, or a CLI command) changed the
same section — or the title, or a field — that you changed, to something
else. Everything else was merged already. Nothing was overwritten: the stored
case keeps their text for those items and your whole text is in a conflict
copy in the case list.

For each clashing item the screen shows theirs beside yours and three
choices: *Keep mine* (theirs stays in the history), *Take theirs* (yours stays
in the conflict copy) and, for text, *Keep both* (yours, then theirs under a
marker). Once every item is decided the screen returns the choices as
``{item key: "mine" | "theirs" | "both"}``; ``m`` and ``t`` decide every item
at once; Escape decides later (the status stays Conflict).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from coprod_tui.core.editing import Conflict
from coprod_tui.core.i18n import N_, _
from coprod_tui.core.merge import FIELD, ORPHAN, SECTION, TITLE, Clash
from coprod_tui.core.render import build_document
from coprod_tui.core.template import Template
from coprod_tui.ui.dialogs.base import ButtonRow, ModalDialog
from coprod_tui.ui.widgets.key_footer import KeyFooter
from coprod_tui.ui.widgets.safe_text import plain

_CHOICE_LABELS = {"mine": N_("Keep mine"), "theirs": N_("Take theirs"), "both": N_("Keep both")}


def _body(value: Any) -> Text:
    text = value if isinstance(value, str) else ""
    return plain(text.strip()) if text.strip() else Text(_("(empty)"), style="dim italic")


class ConflictScreen(ModalDialog[dict[str, str] | None]):
    """Theirs vs mine for each clashing item; a choice per item."""

    DEFAULT_CSS = """
    ConflictScreen #conflict-explain {
        height: auto;
        margin-bottom: 1;
    }
    ConflictScreen #conflict-diff {
        height: 1fr;
    }
    ConflictScreen .diff-title {
        text-style: bold;
        margin-top: 1;
    }
    ConflictScreen .diff-row {
        height: auto;
    }
    ConflictScreen .diff-side {
        width: 1fr;
        height: auto;
        border: round $foreground 30%;
        padding: 0 1;
    }
    ConflictScreen .diff-side.-theirs {
        border-title-color: $warning;
    }
    ConflictScreen .diff-side.-mine {
        border-title-color: $success;
    }
    ConflictScreen .choice-row {
        height: auto;
    }
    ConflictScreen .decided {
        width: 1fr;
        height: 3;
        content-align: left middle;
        color: $success;
    }
    """

    BINDINGS = [
        Binding(
            "m",
            "take_mine",
            "All mine",
            tooltip="Keep your text for every item",
            id="conflict.mine",
        ),
        Binding(
            "t",
            "keep_theirs",
            "All theirs",
            tooltip="Take their text for every item",
            id="conflict.theirs",
        ),
        Binding(
            "escape",
            "later",
            "Decide later",
            tooltip="Close; the status stays Conflict",
            id="conflict.later",
        ),
    ]

    SCROLLS = "#conflict-diff"

    def __init__(self, conflict: Conflict, template: Template) -> None:
        super().__init__()
        self._clashes: list[Clash] = list(conflict.clashes.values())
        self._copy_title = conflict.copy.title
        self._copy = conflict.copy
        self._template = template
        self._choices: dict[str, str] = {}

    def _item_title(self, clash: Clash) -> str:
        key = clash.key
        if key == TITLE:
            return _("Title")
        if key.startswith(FIELD):
            field_id = key[len(FIELD) :]
            names = {f.id: f.label for f in self._template.fields}
            return _("Case detail: {name}").format(name=names.get(field_id, field_id))
        # Numbers and titles as every other view shows them (core/render.py).
        document = build_document(self._copy, self._template, getattr(self.app, "templates", None))
        if key.startswith(SECTION):
            block = document.section(key[len(SECTION) :])
            if block is None:
                return _("Section {id}").format(id=key[len(SECTION) :])
            return f"{block.number}. {block.title}"
        if key.startswith(ORPHAN):
            orphan_id = key[len(ORPHAN) :]
            titles = {o.id: o.title for o in document.orphans}
            return _("Orphaned text: {title}").format(title=titles.get(orphan_id, orphan_id))
        return key

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel -large -error") as frame:
            frame.border_title = _("Conflict: you and another window changed the same text")
            explain = Text(
                _(
                    "Everything else was merged. For the items below, the other window's text "
                    "is saved in the case and yours is kept whole in the conflict copy "
                )
            )
            explain.append_text(plain(f"“{self._copy_title}”", "bold", one_line=True))
            explain.append(
                _(
                    ". Choose for each item; the copy stays either way.\n"
                    "m: keep mine for all (theirs stays in the history).  "
                    "t: take theirs for all.  Esc: decide later."
                )
            )
            yield Static(explain, id="conflict-explain")
            with VerticalScroll(id="conflict-diff"):
                for number, clash in enumerate(self._clashes):
                    yield from self._clash_row(number, clash)
        yield KeyFooter()

    def _clash_row(self, number: int, clash: Clash) -> ComposeResult:
        yield Static(plain(self._item_title(clash), one_line=True), classes="diff-title")
        with Horizontal(classes="diff-row"):
            left = Static(_body(clash.theirs), classes="diff-side -theirs")
            left.border_title = _("Theirs (saved)")
            right = Static(_body(clash.mine), classes="diff-side -mine")
            right.border_title = _("Mine")
            yield left
            yield right
        is_text = clash.key.startswith((SECTION, ORPHAN))
        with Horizontal(classes="choice-row"):
            yield Static("", id=f"decided-{number}", classes="decided")
            with ButtonRow():
                yield Button(_("Keep mine"), id=f"mine-{number}", variant="success")
                yield Button(_("Take theirs"), id=f"theirs-{number}", variant="warning")
                if is_text:
                    yield Button(_("Keep both"), id=f"both-{number}", variant="primary")

    def on_mount(self) -> None:
        if self._clashes:
            self.query_one("#mine-0", Button).focus()

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        choice, _dash, number = (event.button.id or "").partition("-")
        if choice not in _CHOICE_LABELS or not number.isdigit():
            return
        clash = self._clashes[int(number)]
        self._choices[clash.key] = choice
        self.query_one(f"#decided-{number}", Static).update(f"✓ {_(_CHOICE_LABELS[choice])}")
        if len(self._choices) == len(self._clashes):
            self.dismiss(dict(self._choices))
            return
        self._focus_next_undecided(int(number))

    def _focus_next_undecided(self, after: int) -> None:
        order = list(range(after + 1, len(self._clashes))) + list(range(after))
        for number in order:
            if self._clashes[number].key not in self._choices:
                button = self.query_one(f"#mine-{number}", Button)
                button.focus()
                button.scroll_visible()
                return

    def action_take_mine(self) -> None:
        """Keep your text for every clashing item (theirs stays in the history)."""
        self.dismiss({clash.key: "mine" for clash in self._clashes})

    def action_keep_theirs(self) -> None:
        """Take their text for every clashing item (yours stays in the conflict copy)."""
        self.dismiss({clash.key: "theirs" for clash in self._clashes})

    def action_later(self) -> None:
        """Close and keep editing; the status stays Conflict."""
        self.dismiss(None)
