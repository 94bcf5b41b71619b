"""The command palette's own commands (Ctrl+P).

The palette is where keyboard users go when they forget a key, so it offers
what the app can do *here*: new case, open any case by title, and — when the
editor is showing — go to a section or toggle the guiding questions. Theme,
Keys and Quit come from Textual's system provider (Quit routes through
``CoprodApp.action_quit``, which saves first).

Case titles are user text: they are shown as ``Content`` built from the plain
string (never markup), and help lines escape anything that looks like markup,
because the palette renders ``help`` as markup.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from coprod_tui.core.text_safety import printable

if TYPE_CHECKING:
    from coprod_tui.core.store import CaseSummary
    from coprod_tui.core.template import Template
    from coprod_tui.ui.app import CoprodApp


@dataclass(frozen=True)
class PaletteCommand:
    """One command: what the user reads, what it does, and a line of help."""

    name: str
    action: Callable[[], Any]
    help: str
    discoverable: bool = True


class CoprodCommands(Provider):
    """Commands for coprod, depending on the screen the palette was opened over."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cases: list[CaseSummary] = []

    @property
    def coprod(self) -> CoprodApp:
        return cast("CoprodApp", self.app)

    async def startup(self) -> None:
        """Read the case titles once per palette opening (off the UI thread)."""
        from coprod_tui.ui.screens.case_list import CaseListScreen

        home = self.app.screen_stack[0] if self.app.screen_stack else None
        if isinstance(home, CaseListScreen) and home.summaries is not None:
            self._cases = list(home.summaries)
            return
        try:
            self._cases = list(await asyncio.to_thread(self.coprod.store.list_cases))
        except Exception:  # the palette still offers the other commands
            self._cases = []

    def commands(self) -> Iterator[PaletteCommand]:
        """The fixed commands that make sense on the current screen."""
        app = self.coprod
        screen = self.screen
        yield PaletteCommand("New case", app.action_new_case, "Start a case (n on the case list)")
        if hasattr(screen, "action_toggle_questions"):
            yield PaletteCommand(
                "Toggle questions",
                screen.action_toggle_questions,
                "Show or hide the guiding questions (F2)",
            )
        if hasattr(screen, "action_goto_section"):
            template = self._editor_template()
            titles = [s.title for s in template.sections] if template else []
            for number, title in enumerate(titles or [""] * 9, start=1):
                label = f"Go to section {number}"
                if title:
                    label += f": {printable(title, keep_newlines=False)}"
                yield PaletteCommand(
                    label, partial(screen.action_goto_section, number), "Jump in the editor"
                )
        yield from self._case_list_commands()
        yield PaletteCommand("Help", app.action_help, "Keys of this screen and the template (F1)")
        yield PaletteCommand("Trash", app.action_trash, "Deleted cases; restore one")
        if hasattr(screen, "action_empty_trash"):
            yield PaletteCommand(
                "Empty trash",
                screen.action_empty_trash,
                "Delete every case in the trash for good (asks first)",
            )
        if hasattr(screen, "action_purge"):
            yield PaletteCommand(
                "Delete for good",
                screen.action_purge,
                "Delete the selected trashed case for good (d, asks first)",
            )

    def _case_list_commands(self) -> Iterator[PaletteCommand]:
        """On the case list: what can be done to the selected case."""
        from coprod_tui.ui.screens.case_list import CaseListScreen

        screen = self.screen
        if not isinstance(screen, CaseListScreen) or screen.selected_summary() is None:
            return
        for name, action, help_text in (
            ("Rename case", screen.action_rename, "Rename the selected case (r)"),
            ("Edit tags", screen.action_tags, "Tags of the selected case (t)"),
            ("Duplicate case", screen.action_duplicate, "Copy the selected case (c)"),
            ("Delete case", screen.action_delete, "Move the selected case to the trash (Del)"),
            ("Copy case id", screen.action_copy_id, "Put the case id on the clipboard (y)"),
        ):
            yield PaletteCommand(name, action, help_text)

    def _editor_template(self) -> Template | None:
        """The template of the case in the editor, else the default one."""
        template = getattr(self.screen, "template", None)
        if template is not None and hasattr(template, "sections"):
            return cast("Template", template)
        try:
            return self.coprod.templates.default()
        except Exception:  # no templates: plain numbers still work
            return None

    def case_commands(self) -> Iterator[tuple[Content, str, Callable[[], Any], str]]:
        """(display, plain text, action, help) for every openable case."""
        for summary in self._cases:
            if summary.damaged:
                continue
            title = printable(summary.title, keep_newlines=False) or "(untitled)"
            plain = f"Open case: {title}"
            tags = ", ".join(printable(tag, keep_newlines=False) for tag in summary.tags)
            yield (
                Content(plain),
                plain,
                partial(self.coprod.open_case, summary.id),
                escape(tags) if tags else "Open in the editor",
            )

    async def discover(self) -> Hits:
        """What the palette lists before the user types anything."""
        for command in self.commands():
            if command.discoverable:
                yield DiscoveryHit(
                    Content(command.name), command.action, command.name, command.help
                )

    async def search(self, query: str) -> Hits:
        """Fuzzy-match the commands and the case titles against ``query``."""
        matcher = self.matcher(query)
        for command in self.commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(
                    score,
                    _highlight(matcher, command.name),
                    command.action,
                    command.name,
                    command.help,
                )
        for _display, plain, action, help_text in self.case_commands():
            score = matcher.match(plain)
            if score > 0:
                yield Hit(score, _highlight(matcher, plain), action, plain, help_text)


def _highlight(matcher: Any, plain: str) -> Content:
    """Like ``Matcher.highlight`` but from plain text, so ``[red]`` stays literal."""
    content = Content(plain)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, plain)
    for offset in offsets:
        if not plain[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
