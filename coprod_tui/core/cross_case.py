"""One section across cases: the same template section of many cases, one under another.

Cases are written in one template so that they can be compared; reading
"the patient-person's situation" of every case in a row is the simplest
comparison there is. :func:`section_across_cases` gathers that section's text
from each case, headed by what the reader needs (title, date), with what an
editor needs to save a change safely (the case id, the revision it read, and
the id the text is stored under).

**How an edit made from this view is saved.** Exactly as in the editor: the
view loads the whole case (``store.load(entry.case_id)``), wraps it in a
:class:`coprod_tui.core.editing.EditSession` and calls
``session.set_text(entry.stored_section_id, new_text)`` then
``session.save()`` (from a worker). The session names the revision it
started from, so a case someone changed meanwhile is merged item by item
(``core/merge.py``): another writer's edits to *other* sections, the title or
the tags are kept silently, and only the same section changed differently on
both sides is a conflict, kept in a conflict copy for the user to decide —
the same guarantees, because it is the same code. If the case's revision is
newer than ``entry.revision`` when the view opens the session, the view
should show the newer text first (or let the session merge).

Sections are matched by id across templates: the wanted section's id first,
then the ids it lists in ``renamed_from``; then the id of a section in the
case's *own* template (from ``templates``, else as the store maps it) that
lists the wanted id in its ``renamed_from`` (the case follows a rename the
given template does not know). A case holding none of them gives an entry with empty text;
its ``stored_section_id`` is then where new text should go.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from coprod_tui.core.case import Case, has_tags, is_filled
from coprod_tui.core.collation import sort_key
from coprod_tui.core.errors import CoprodError
from coprod_tui.core.language import user_language
from coprod_tui.core.template import Template

__all__ = ["SectionEntry", "matching_ids", "section_across_cases"]

#: Cases read at once (reads wait on the disk, not the CPU).
READ_WORKERS = 8


@dataclass(frozen=True)
class SectionEntry:
    """One case's text of the section, with what a safe edit of it needs."""

    case_id: str
    title: str
    updated: str
    template_id: str
    #: The key of the text in the loaded (template-mapped) case: pass it to
    #: ``EditSession.set_text``. The wanted section id when the case has none.
    stored_section_id: str
    text: str
    #: The case's revision when it was read (an editor's merge base).
    revision: int


def matching_ids(template: Template, section_id: str) -> list[str]:
    """The ids a case may hold the section's text under: the id, then its ``renamed_from``."""
    try:
        section = template.section(section_id)
    except KeyError:
        return [section_id]
    return [section.id, *(old for old in section.renamed_from if old != section.id)]


def section_across_cases(
    store: Any,
    template: Template,
    section_id: str,
    *,
    case_ids: Sequence[str] | None = None,
    tag: str | None = None,
    templates: Any = None,
    language: str | None = None,
) -> list[SectionEntry]:
    """The section ``section_id`` of ``template`` for every untrashed case, or for ``case_ids``.

    Without ``case_ids``: every untrashed, undamaged case (with ``tag``, if
    given; case does not matter), sorted by title in ``language`` (default:
    the user's; see :mod:`coprod_tui.core.collation`). With ``case_ids``:
    those cases in that order (say, a search's hits), still filtered by
    ``tag``; an id that is gone, trashed or damaged meanwhile is left out.
    ``templates`` (the registry; default: the store's) gives each case's own
    template, so its renames count too. Cases
    are read on a few threads; call this from a worker, never the UI loop.
    """
    wanted_tags = [tag] if tag and tag.strip() else []
    if case_ids is None:
        summaries = [
            s for s in store.list_cases() if not s.damaged and has_tags(s.tags, wanted_tags)
        ]
        ids = [s.id for s in summaries]
    else:
        ids = list(dict.fromkeys(case_ids))
    wanted = matching_ids(template, section_id)

    def read(case_id: str) -> Case | None:
        try:
            if store.is_trashed(case_id):
                return None
            case: Case = store.load(case_id)
            return case
        except CoprodError:
            return None

    with ThreadPoolExecutor(max_workers=max(1, min(READ_WORKERS, len(ids) or 1))) as pool:
        cases = list(pool.map(read, ids))
    entries = []
    for case in cases:
        if case is None or not has_tags(case.tags, wanted_tags):
            continue
        key = _stored_key(case, wanted, section_id, templates if templates is not None else store)
        entries.append(
            SectionEntry(
                case_id=case.id,
                title=case.title,
                updated=case.updated,
                template_id=case.template_id,
                stored_section_id=key,
                text=case.sections.get(key, ""),
                revision=case.revision,
            )
        )
    if case_ids is None:
        lang = user_language() if language is None else language
        entries.sort(key=lambda entry: (sort_key(entry.title, lang), entry.case_id))
    return entries


def _stored_key(case: Case, wanted: list[str], section_id: str, templates: Any) -> str:
    """Which key of the case holds the section: the first with text, else the first present."""
    candidates = list(wanted)
    own = _own_template(templates, case.template_id)
    if own is not None:
        for section in own.sections:
            if section.id not in candidates and any(old in wanted for old in section.renamed_from):
                candidates.append(section.id)
    for key in candidates:
        if is_filled(case.sections.get(key, "")):
            return key
    for key in candidates:
        if key in case.sections:
            return key
    if own is not None:
        for key in candidates:
            if key in own.section_ids():
                return key
    return section_id


def _own_template(templates: Any, template_id: str) -> Template | None:
    """The case's own template from a registry (``get``) or a store (``template_of``)."""
    if templates is None:
        return None
    try:
        lookup = getattr(templates, "template_of", None) or templates.get
        found = lookup(template_id)
    except (CoprodError, KeyError, LookupError):
        return None
    return found if isinstance(found, Template) else None
