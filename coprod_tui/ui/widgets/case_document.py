"""A case as literal, terminal-safe rich Text, rendered from ``core.render.CaseDocument``.

The CLI's ``show``, the history preview and every export read the same
document, so a case looks the same everywhere: sections in template order with
their numbers and titles, "(empty)" where nothing is written, orphaned text
under its old section title.
"""

from __future__ import annotations

from rich.text import Text

from coprod_tui.core.i18n import _
from coprod_tui.core.render import CaseDocument
from coprod_tui.ui.widgets.safe_text import plain


def document_text(document: CaseDocument) -> Text:
    """The whole case: its notes, then each section's title and text, then orphans."""
    result = Text()
    for note in document.notes:
        result.append_text(plain(note, "dim", one_line=True))
        result.append("\n\n")
    for block in document.sections:
        result.append_text(plain(f"{block.number}. {block.title}", "bold", one_line=True))
        result.append("\n")
        if block.empty:
            result.append_text(Text(_("(empty)"), style="dim italic"))
        else:
            result.append_text(plain(block.text.strip()))
        result.append("\n\n")
    for orphan in document.orphans:
        title = f"{orphan.title} [{orphan.id}]" if orphan.titled else orphan.id
        result.append_text(
            plain(_("Orphaned text: {title}").format(title=title), "bold", one_line=True)
        )
        result.append("\n")
        result.append_text(plain(orphan.text.strip()))
        result.append("\n\n")
    result.rstrip()
    return result
