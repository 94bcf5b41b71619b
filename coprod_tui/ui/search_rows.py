"""How a search hit looks: the rows of the search screen and of an insight's suggested cases.

One module for both (the search screen, ``ui/screens/search.py``, and the
insight detail, ``ui/screens/insight_detail.py``), so neither screen imports
the other. Everything from a case or an insight (titles, snippets, section
titles from a template) is plain ``Text``, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.text import Text

from coprod_tui.core.i18n import N_, _

if TYPE_CHECKING:
    from coprod_tui.core.template.registry import TemplateRegistry

__all__ = [
    "HIT_STYLE",
    "INSIGHT_LABEL",
    "TITLE_LABEL",
    "TITLE_SECTION_IDS",
    "SearchRow",
    "build_rows",
    "one_line",
    "section_label",
    "snippet_text",
    "with_insights",
]

#: Section ids a hit in the case's title (not in a section) may carry.
TITLE_SECTION_IDS = frozenset({"", "title"})
#: How a hit outside the sections (the title or the tags) is labelled (translate with ``_()``).
TITLE_LABEL = N_("Title or tags")
#: How hits are marked in a snippet (reverse reads without colour too).
HIT_STYLE = "bold reverse"
#: How an insight's hit is labelled (where a case's shows its section; translate with ``_()``).
INSIGHT_LABEL = N_("◆ Insight")


def one_line(text: str) -> str:
    """Text for one line of the screen, character for character (controls become spaces).

    Unlike ``printable``, never shortens the text, so the hits' offsets still fit.
    """
    return text if text.isprintable() else "".join(c if c.isprintable() else " " for c in text)


def snippet_text(snippet: str, highlights: tuple[tuple[int, int], ...]) -> Text:
    """The snippet as plain Text with every hit span styled (out-of-range spans skipped)."""
    text = Text(one_line(snippet), no_wrap=True, overflow="ellipsis")
    for start, end in highlights:
        start, end = max(0, start), min(len(snippet), end)
        if start < end:
            text.stylize(HIT_STYLE, start, end)
    return text


def section_label(templates: TemplateRegistry, template_id: str | None, section_id: str) -> str:
    """The section as the editor names it: ``3 · Emotions`` (renamed ids under their new name)."""
    if section_id in TITLE_SECTION_IDS:
        return _(TITLE_LABEL)
    template = None
    if template_id:
        try:
            template = templates.get(template_id)
        except Exception:  # noqa: BLE001 - not installed: the registry's other templates say
            template = None
    if template is not None:
        for number, section in enumerate(template.sections, start=1):
            if section.id == section_id or section_id in section.renamed_from:
                return f"{number} · {section.title}"
    title = templates.section_title(section_id, template_id)
    return title or section_id


@dataclass(frozen=True)
class SearchRow:
    """One result as shown: where it is and how it looks."""

    case_id: str
    section_id: str
    span: tuple[int, int] | None
    title: str
    section: str
    snippet: Text
    #: ``"case"``, or ``"insight"`` (then ``case_id`` is the insight's id).
    kind: str = "case"

    def prompt(self) -> Group:
        """Two lines, each cut to the width: the case title and section, then the snippet.

        An insight's head starts with ◆, so it reads apart from the cases without colour.
        """
        head = Text(no_wrap=True, overflow="ellipsis")
        if self.kind == "insight":
            head.append("◆ ", style="bold")
        head.append(one_line(self.title) or _("(untitled)"), style="bold")
        head.append("  ·  ", style="dim")
        head.append(one_line(self.section), style="italic")
        return Group(head, self.snippet)


def build_rows(
    hits: list[Any], templates: TemplateRegistry, template_of: dict[str, str]
) -> list[SearchRow]:
    """Rows for the index's hits (``template_of``: case id to template id, for section titles)."""
    return [
        SearchRow(
            case_id=hit.case_id,
            section_id=hit.section_id,
            span=hit.span,
            title=hit.title,
            section=(
                _(INSIGHT_LABEL)
                if getattr(hit, "kind", "case") == "insight"
                else section_label(templates, template_of.get(hit.case_id), hit.section_id)
            ),
            snippet=snippet_text(hit.snippet, tuple(hit.highlights)),
            kind=getattr(hit, "kind", "case"),
        )
        for hit in hits
    ]


def with_insights(source: Any, query: str, hits: list[Any], limit: int) -> list[Any]:
    """The cases' ``hits`` and the insights' hits for ``query``, best first (a stable sort).

    An index without insights (a test's stand-in) adds none; a query the
    insights cannot answer was already refused by the cases' search.
    """

    def insight_hits(index: Any) -> list[Any]:
        search = getattr(index, "search_insights", None)
        return [] if search is None else list(search(query, limit=limit))

    using = getattr(source, "using", None)
    found = [] if using is None else using(insight_hits)
    if not found:
        return hits
    return sorted([*hits, *found], key=lambda hit: -float(hit.score))[:limit]
