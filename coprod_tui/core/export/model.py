"""What a readable export holds: the cases laid out, the options, the insights citing them.

The readable formats (Markdown, HTML, DOCX) render :class:`ExportEntry`
values and nothing else, so the choices are made once, here, for all of them:

- the layout is :func:`coprod_tui.core.render.build_document`'s (the one
  ``coprod show`` and the workbench use);
- every piece of user text (title, tags, field values, section and orphan
  texts, and the insights' titles, texts and quotes) is stripped of terminal
  controls (:func:`~coprod_tui.core.text_safety.printable`: a Markdown file is
  often ``cat``-ed, and DOCX cannot hold them at all) and then passed through
  ``ExportOptions.redact`` when one is given, so no format can forget to
  redact a field;
- the labels ("Guiding questions", "(empty)", ...) follow the template's
  language (:func:`labels`), because a Swedish case shared as a Word document
  should not carry English headings.

Template text (section titles, guiding questions, field labels) is not user
text of the case and is not redacted; it is cleaned of controls all the same.
What is left out on purpose: who saved the case (``saved_by`` is a login
name; a DOCX's author is the user's choice, ``ExportOptions.author``) and the
case's revision: neither helps a reader, and both say more than was asked.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from coprod_tui.core.render import CaseDocument, SectionBlock, build_document
from coprod_tui.core.text_safety import printable

if TYPE_CHECKING:
    from coprod_tui.core.case import Case
    from coprod_tui.core.insights.model import Insight
    from coprod_tui.core.template import Template


@dataclass(frozen=True)
class ExportOptions:
    """What a readable export holds, and how it is marked.

    ``redact`` is applied to every piece of user text (the identifier guard's
    ``coprod_tui.core.privacy.redact`` in the CLI and workbench). ``author``
    goes into a DOCX's core properties (author and last modified by); empty,
    the default, names nobody. ``exported`` is the export's time (now, UTC,
    when not given): the DOCX's created and modified dates.
    """

    questions: bool = False
    empty_sections: bool = True
    redact: Callable[[str], str] | None = None
    insights: bool = False
    author: str = ""
    exported: _dt.datetime | None = None

    def when(self) -> _dt.datetime:
        """The export's time, timezone-aware UTC, without microseconds."""
        stamp = self.exported or _dt.datetime.now(_dt.UTC)
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=_dt.UTC)
        return stamp.astimezone(_dt.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class CitedQuote:
    """A passage an insight quotes from the case, with the title of its section."""

    section: str
    quote: str


@dataclass(frozen=True)
class CitedInsight:
    """An insight that links to the case: its title, text, and what it quotes of this case."""

    title: str
    text: str
    quotes: tuple[CitedQuote, ...] = ()


@dataclass(frozen=True)
class ExportEntry:
    """One case of a readable export, ready to render."""

    document: CaseDocument
    #: The template's language (``"sv"``, ``"en"``, ...); ``""`` when it is not installed.
    language: str = ""
    #: Guiding questions by section id (only filled when the options ask for them).
    questions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    insights: tuple[CitedInsight, ...] = ()

    def sections(self, options: ExportOptions) -> list[SectionBlock]:
        """The sections to show: all of them, or only those with text (``empty_sections``)."""
        return [b for b in self.document.sections if options.empty_sections or not b.empty]

    @property
    def labels(self) -> Mapping[str, str]:
        """The headings and notes in the entry's language."""
        return labels(self.language)


#: Labels of the readable formats by language (the template's); English when unknown.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "field": "Field",
        "value": "Value",
        "template": "Template",
        "tags": "Tags",
        "updated": "Last changed",
        "questions": "Guiding questions",
        "empty": "(empty)",
        "orphan": "Text kept from a section no longer in the template",
        "insights": "Insights citing this case",
        "quoted_from": "from",
        "note": "Note",
        "cases": "cases",
    },
    "sv": {
        "field": "Uppgift",
        "value": "Värde",
        "template": "Mall",
        "tags": "Taggar",
        "updated": "Senast ändrad",
        "questions": "Vägledande frågor",
        "empty": "(tomt)",
        "orphan": "Text kvar från ett avsnitt som inte längre finns i mallen",
        "insights": "Insikter som hänvisar till fallet",
        "quoted_from": "ur",
        "note": "Obs",
        "cases": "fall",
    },
}


def labels(language: str) -> Mapping[str, str]:
    """The labels for ``language`` (``sv``, ``sv-SE``, ``sv_FI`` → Swedish), else English."""
    base = language.replace("_", "-").split("-")[0].lower()
    return LABELS.get(base, LABELS["en"])


def clean(text: str) -> str:
    """User or template text without terminal controls (newlines and tabs kept)."""
    return printable(text)


def build_entries(
    cases: Iterable[Case],
    templates: Any,
    options: ExportOptions,
    *,
    insights: Sequence[Insight] = (),
) -> list[ExportEntry]:
    """The entries of a readable export of ``cases`` (pass the store's mapped cases).

    ``templates`` is the registry (``get(id)``, ``section_title``); a case
    whose template is not installed is still exported, its sections titled by
    id. ``insights`` are the active insights to look through when
    ``options.insights`` (each case gets those that link to it, in the order
    given).
    """
    entries = []
    for case in cases:
        template = _template_or_none(templates, case.template_id)
        document = build_document(case, template, templates)
        questions: dict[str, tuple[str, ...]] = {}
        if options.questions and template is not None:
            questions = {
                s.id: tuple(clean(q) for q in s.questions) for s in template.sections if s.questions
            }
        cited = _cited(case.id, document, insights) if options.insights else ()
        entry = ExportEntry(
            document=document,
            language=template.language if template is not None else "",
            questions=questions,
            insights=cited,
        )
        entries.append(_prepared(entry, options.redact))
    return entries


def _template_or_none(templates: Any, template_id: str) -> Template | None:
    try:
        template: Template = templates.get(template_id)
    except Exception:  # noqa: BLE001 - an uninstalled template only costs the titles
        return None
    return template


def _cited(
    case_id: str, document: CaseDocument, insights: Sequence[Insight]
) -> tuple[CitedInsight, ...]:
    """The insights linking to ``case_id``, with the passages they quote from it."""
    found = []
    for insight in insights:
        if not insight.cites(case_id):
            continue
        quotes = []
        for link in insight.links:
            if link.case_id != case_id or not link.quote.strip():
                continue
            block = document.section(link.section_id)
            quotes.append(CitedQuote(block.title if block else link.section_id, link.quote))
        found.append(CitedInsight(insight.title, insight.text, tuple(quotes)))
    return tuple(found)


def _prepared(entry: ExportEntry, redact: Callable[[str], str] | None) -> ExportEntry:
    """``entry`` with every piece of user text cleaned, then redacted (see the module)."""

    def user(text: str) -> str:
        cleaned = clean(text)
        return clean(redact(cleaned)) if redact is not None else cleaned

    doc = entry.document
    document = doc._replace(
        title=user(doc.title),
        template_title=clean(doc.template_title) if doc.template_title is not None else None,
        template_id=clean(doc.template_id),
        tags=tuple(user(tag) for tag in doc.tags),
        fields=tuple(f._replace(label=clean(f.label), value=user(f.value)) for f in doc.fields),
        sections=tuple(
            b._replace(
                title=clean(b.title),
                text=user(b.text),
                perspective=clean(b.perspective) if b.perspective else b.perspective,
            )
            for b in doc.sections
        ),
        orphans=tuple(o._replace(title=clean(o.title), text=user(o.text)) for o in doc.orphans),
        extra_keys=tuple(clean(key) for key in doc.extra_keys),
    )
    insights = tuple(
        CitedInsight(
            title=user(insight.title),
            text=user(insight.text),
            quotes=tuple(CitedQuote(clean(q.section), user(q.quote)) for q in insight.quotes),
        )
        for insight in entry.insights
    )
    return replace(entry, document=document, insights=insights)


def document_title(entries: Sequence[ExportEntry]) -> str:
    """The title of the whole file: the case's title, or "N cases" for several."""
    if len(entries) == 1:
        return one_line(entries[0].document.title)
    language = entries[0].language if entries else ""
    return f"{len(entries)} {labels(language)['cases']}"


def one_line(text: str) -> str:
    """Text for a one-line place (a heading, a table cell): newlines and runs of space folded."""
    return " ".join(text.split())


def paragraphs(text: str) -> list[list[str]]:
    """``text`` as paragraphs (split on blank lines), each a list of its lines, trimmed at the end.

    Single line breaks are kept inside a paragraph: people write lists and
    short lines in a case and expect to see them as written.
    """
    found: list[list[str]] = []
    current: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found


def updated_label(document: CaseDocument) -> str:
    """When the case was last changed, as a local date and time (as stored if unreadable)."""
    from coprod_tui.core.timefmt import local_minutes

    return local_minutes(document.updated) or clean(document.updated)


def field_rows(entry: ExportEntry) -> list[tuple[str, str]]:
    """(label, value) rows of the fields table: template, tags, the case's fields, last change."""
    doc, names = entry.document, entry.labels
    rows = [(names["template"], one_line(doc.template_title or doc.template_id))]
    if doc.tags:
        rows.append((names["tags"], one_line(", ".join(doc.tags))))
    rows += [(one_line(f.label), one_line(f.value)) for f in doc.fields]
    rows.append((names["updated"], updated_label(doc)))
    return rows


def user_texts(entry: ExportEntry) -> list[str]:
    """Every piece of user text an entry shows (for the identifier count before a share)."""
    doc = entry.document
    texts = [doc.title, *doc.tags, *(f.value for f in doc.fields)]
    texts += [block.text for block in doc.sections] + [orphan.text for orphan in doc.orphans]
    for insight in entry.insights:
        texts += [insight.title, insight.text, *(quote.quote for quote in insight.quotes)]
    return texts


def count_identifiers(entries: Sequence[ExportEntry]) -> int:
    """How many identifying details (``core.privacy.find_identifiers``) the entries hold."""
    from coprod_tui.core.privacy import find_identifiers

    return sum(len(find_identifiers(text)) for entry in entries for text in user_texts(entry))
