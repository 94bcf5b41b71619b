"""Identifiers in a whole case: where each one is, and the case with all of them redacted.

A case holds text in its sections, its title, its fields and its orphans (text of a
section its template no longer has); ``coprod lint``, the write check and the editor's
list all walk them the same way, in this order, and name each place the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from coprod_tui.core.i18n import _
from coprod_tui.core.privacy.model import Identifier

__all__ = ["CaseHit", "case_identifiers", "place_label", "redact_case"]


class CaseHit(NamedTuple):
    """An identifier found in one place of one case.

    ``place`` is a section id, ``"title"``, ``"field:<name>"`` or ``"orphan:<id>"``
    (text of a section the template no longer has); ``hit`` has offsets into that
    place's text.
    """

    case_id: str
    place: str
    hit: Identifier


def place_label(place: str) -> str:
    """How a place is named in a message: ``section situation``, ``the title``, ..."""
    if place == "title":
        return _("the title")
    if place.startswith("field:"):
        return _("field {name}").format(name=place[6:])
    if place.startswith("orphan:"):
        return _("orphaned section {section}").format(section=place[7:])
    return _("section {section}").format(section=place)


def _places(case: Any) -> Iterable[tuple[str, str]]:
    """(place, text) of every text a case holds, sections first in their stored order."""
    for section_id, text in case.sections.items():
        yield section_id, text
    yield "title", case.title
    for name, value in case.fields.items():
        yield f"field:{name}", value
    for section_id, text in case.orphans.items():
        yield f"orphan:{section_id}", text


def case_identifiers(case: Any, places: Iterable[str] | None = None) -> list[CaseHit]:
    """Every identifier in ``case`` (a :class:`~coprod_tui.core.case.Case`).

    ``places`` limits the search (e.g. the one section ``coprod write`` just saved).
    """
    from coprod_tui.core.privacy.finder import find_identifiers

    wanted = None if places is None else set(places)
    return [
        CaseHit(case.id, place, hit)
        for place, text in _places(case)
        if (wanted is None or place in wanted) and isinstance(text, str)
        for hit in find_identifiers(text)
    ]


def redact_case(case: Any, places: Iterable[str] | None = None) -> tuple[Any, int]:
    """``case`` with every identifier (in ``places``, default all) replaced by its label.

    Returns the new case and how many were replaced (the same case object when none).
    Hits are found afresh in the text given, so a caller running this inside
    ``store.update`` redacts the version under the lock, never stale offsets.
    """
    from coprod_tui.core.privacy.finder import find_identifiers, redact

    wanted = None if places is None else set(places)
    count = 0

    def cleaned(place: str, text: str) -> str:
        nonlocal count
        if (wanted is not None and place not in wanted) or not isinstance(text, str):
            return text
        hits = find_identifiers(text)
        count += len(hits)
        return redact(text, hits) if hits else text

    sections = {key: cleaned(key, text) for key, text in case.sections.items()}
    title = cleaned("title", case.title)
    fields = {name: cleaned(f"field:{name}", value) for name, value in case.fields.items()}
    orphans = {key: cleaned(f"orphan:{key}", text) for key, text in case.orphans.items()}
    if not count:
        return case, 0
    return case.replace(sections=sections, title=title, fields=fields, orphans=orphans), count
