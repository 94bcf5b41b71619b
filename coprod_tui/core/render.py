"""One reading of a case, for everything that shows or exports one.

A case on its own is a bag of texts keyed by section id; what a reader sees
depends on the template (titles, order, numbers, perspectives, field labels)
and, for text its template no longer has, on the other installed templates
(the old title of an orphan). :func:`build_document` does that lay-out once and
returns a :class:`CaseDocument`; ``coprod show``, the history preview, the
conflict screen and every export (Markdown, HTML, docx, ...) render *that*, so
they can never disagree about which section is number 4 or what an orphan was
called.

The document holds the raw user text: escaping is the renderer's job, because
a terminal, a Textual widget and an HTML file each need a different one.
:func:`render_plain` is the terminal renderer ``coprod show`` prints (every
string through :func:`~coprod_tui.core.text_safety.printable`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple, Protocol

from coprod_tui.core.text_safety import printable
from coprod_tui.core.timefmt import local_minutes

if TYPE_CHECKING:
    from coprod_tui.core.case import Case
    from coprod_tui.core.template import Template

#: At most this many unknown top-level keys are named in the "also holds" note.
EXTRA_KEYS_SHOWN = 20


class SectionTitles(Protocol):
    """What the document needs from the template registry: a section's title by id."""

    def section_title(self, section_id: str, template_id: str | None = None) -> str | None:
        """The title ``section_id`` has in the installed templates, or ``None``."""
        ...


class FieldLine(NamedTuple):
    """One metadata field: its id, the template's label for it (else the id), its value."""

    id: str
    label: str
    value: str


class SectionBlock(NamedTuple):
    """One numbered section, in template order.

    ``in_template`` is false for text the case holds under an id its template
    does not list (shown after the template's sections, titled from the
    registry). ``perspective`` is the perspective's title, else its id, else
    ``None``.
    """

    number: int
    id: str
    title: str
    text: str
    perspective: str | None = None
    perspective_id: str | None = None
    in_template: bool = True

    @property
    def empty(self) -> bool:
        """Nothing but whitespace is written here (shown as "(empty)")."""
        return not self.text.strip()


class OrphanBlock(NamedTuple):
    """Text kept from a section the template no longer has.

    ``title`` is the section's old title from the installed templates, or its
    id when no template knows it (then ``titled`` is false).
    """

    id: str
    title: str
    text: str

    @property
    def titled(self) -> bool:
        """Whether a template still knows a title for this id."""
        return self.title != self.id


class CaseDocument(NamedTuple):
    """A case laid out on its template: what every renderer and export shows."""

    id: str
    title: str
    template_id: str
    template_version: int
    #: The template's own title, or ``None`` when the template is not installed.
    template_title: str | None
    created: str
    updated: str
    saved_by: str
    revision: int
    tags: tuple[str, ...]
    fields: tuple[FieldLine, ...]
    sections: tuple[SectionBlock, ...]
    orphans: tuple[OrphanBlock, ...]
    #: For a conflict copy: the id of the case it diverged from.
    conflict_of: str | None = None
    #: The file's case format, and whether it is newer than this coprod writes.
    format: int = 1
    newer_format: bool = False
    #: Top-level keys a newer coprod wrote that this one keeps as they are.
    extra_keys: tuple[str, ...] = ()

    @property
    def notes(self) -> tuple[str, ...]:
        """Plain-language notes a reader should see before the text (may be empty)."""
        notes: list[str] = []
        if self.conflict_of:
            notes.append(f"conflict copy of {self.conflict_of}")
        if self.newer_format:
            notes.append(
                f"read-only: written by a newer coprod (case format {self.format}); "
                "upgrade coprod to change it"
            )
        if self.extra_keys:
            notes.append(f"also holds {', '.join(self.extra_keys)} (kept for a newer coprod)")
        return tuple(notes)

    def section(self, section_id: str) -> SectionBlock | None:
        """The block for ``section_id``, or ``None``."""
        for block in self.sections:
            if block.id == section_id:
                return block
        return None


def build_document(
    case: Case, template: Template | None, registry: SectionTitles | None = None
) -> CaseDocument:
    """Lay ``case`` out on ``template`` (``None``: not installed) for showing or exporting.

    Sections come in template order, numbered from 1; text under ids the
    template does not list follows them (titled from ``registry``, else by
    id). Orphans keep their old titles from ``registry``. Fields follow the
    case's own order, labelled from the template where it has them.
    """
    title_of = _title_finder(registry, case.template_id)
    blocks: list[SectionBlock] = []
    known: set[str] = set()
    if template is not None:
        for section in template.sections:
            known.add(section.id)
            perspective = template.perspective(section.perspective)
            blocks.append(
                SectionBlock(
                    number=len(blocks) + 1,
                    id=section.id,
                    title=section.title,
                    text=case.text(section.id),
                    perspective=perspective.title if perspective else section.perspective,
                    perspective_id=section.perspective,
                )
            )
    for section_id in case.sections:
        if section_id not in known:
            blocks.append(
                SectionBlock(
                    number=len(blocks) + 1,
                    id=section_id,
                    title=title_of(section_id),
                    text=case.text(section_id),
                    in_template=False,
                )
            )
    labels = {spec.id: spec.label for spec in template.fields} if template is not None else {}
    return CaseDocument(
        id=case.id,
        title=case.title,
        template_id=case.template_id,
        template_version=case.template_version,
        template_title=template.title if template is not None else None,
        created=case.created,
        updated=case.updated,
        saved_by=case.saved_by,
        revision=case.revision,
        tags=tuple(case.tags),
        fields=tuple(
            FieldLine(id=key, label=labels.get(key) or key, value=value)
            for key, value in case.fields.items()
        ),
        sections=tuple(blocks),
        orphans=tuple(
            OrphanBlock(id=orphan_id, title=title_of(orphan_id), text=text)
            for orphan_id, text in case.orphans.items()
        ),
        conflict_of=case.conflict_of,
        format=case.format,
        newer_format=case.newer_format,
        extra_keys=tuple(list(case.extra)[:EXTRA_KEYS_SHOWN]),
    )


def _title_finder(registry: SectionTitles | None, template_id: str) -> Callable[[str], str]:
    """A section id's title from the registry (the case's own template first), else the id."""

    def title_of(section_id: str) -> str:
        finder = getattr(registry, "section_title", None)
        title = finder(section_id, template_id) if finder is not None else None
        return title if isinstance(title, str) and title else section_id

    return title_of


# --- the terminal renderer (``coprod show``) -------------------------------------------


def _line(text: str) -> str:
    return printable(text, keep_newlines=False)


def _local(stamp: str) -> str:
    return local_minutes(stamp) or _line(stamp)


def render_plain(document: CaseDocument) -> list[str]:
    """The document as terminal-safe lines (what ``coprod show`` prints)."""
    out = [
        _line(document.title),
        f"id        {document.id}",
        f"template  {_line(document.template_id)} (version {document.template_version})",
        f"created   {_local(document.created)}",
        f"updated   {_local(document.updated)} by {_line(document.saved_by)} "
        f"(revision {document.revision})",
    ]
    if document.tags:
        out.append(f"tags      {_line(', '.join(document.tags))}")
    if document.conflict_of:
        out.append(f"conflict copy of {document.conflict_of}")
    if document.newer_format:
        out.append(
            f"read-only   written by a newer coprod (case format {document.format}); "
            "upgrade coprod to change it"
        )
    if document.extra_keys:
        kept = ", ".join(_line(key)[:40] for key in document.extra_keys)
        out.append(f"also holds  {kept} (kept as written, for a newer coprod)")
    out += [f"{_line(f.id)}: {_line(f.value)}" for f in document.fields]
    for block in document.sections:
        out += ["", f"{block.number}. {_line(block.title)} [{_line(block.id)}]"]
        out.append("(empty)" if block.empty else printable(block.text).rstrip("\n"))
    for orphan in document.orphans:
        named = (
            f"'{_line(orphan.title)}' [{_line(orphan.id)}]"
            if orphan.titled
            else f"'{_line(orphan.title)}'"
        )
        out += ["", f"Orphaned text from section {named} (no longer in the template):"]
        out.append(printable(orphan.text).rstrip("\n"))
    return out
