"""Quotes that stay anchored: re-finding a linked passage after the text around it changed.

A link stores the quote and up to :data:`~coprod_tui.core.insights.model.CONTEXT`
characters on each side of it, as the section read when it was linked
(:func:`make_link`). :func:`resolve` finds it again in the case as it is now:

1. by its exact text. Where it occurs more than once, the occurrence whose
   surroundings best match the stored context wins. Its surroundings
   unchanged: ``"found"``; changed (text written before or after it):
   ``"moved"``.
2. else by its context: the stored text before and after it, both still there
   in that order, bound the passage the quote became: ``"changed"`` with that
   span, so the user sees what it says now.
3. else ``"changed"`` with no span: the quote is gone ("quote changed").

A link holds ids, never titles: a case renamed changes nothing; a section
renamed in the template (listed in a section's ``renamed_from``) resolves to
that section. A case that is gone (purged, or not in the store) is
``"case gone"``; a section the template no longer has is ``"section gone"``.
Everything here is pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from coprod_tui.core.case import Case, utc_now
from coprod_tui.core.i18n import N_, _
from coprod_tui.core.insights.model import CONTEXT, Link
from coprod_tui.core.template import Template

Status = Literal["found", "moved", "changed", "case gone", "section gone"]
STATUSES: tuple[Status, ...] = ("found", "moved", "changed", "case gone", "section gone")
#: How the statuses read to a user.
LABELS: dict[str, str] = {
    "found": N_("found"),
    "moved": N_("moved (text around it changed)"),
    "changed": N_("quote changed"),
    "case gone": N_("case gone"),
    "section gone": N_("section gone"),
}
#: A passage re-found by its context is believed only up to this many times the quote's length
#: (plus a little): farther apart, the two contexts are not around one passage any more.
_SPAN_FACTOR = 4
_SPAN_SLACK = 200


@dataclass(frozen=True)
class Anchor:
    """Where a link points in a case as it is now.

    ``section_id`` is the section's current id (after renames); ``span`` the
    quote's (start, end) in that section's text, or ``None``; ``text`` the
    passage at that span now (``""`` without one); ``detail`` says more for a
    gone case ("purged", "in the trash" is not gone, ...).
    """

    status: Status
    span: tuple[int, int] | None = None
    section_id: str = ""
    text: str = ""
    detail: str = ""

    @property
    def label(self) -> str:
        """How the status reads to a user."""
        return _(LABELS[self.status])


class QuoteNotFound(ValueError):
    """The quote does not occur in the section's text."""


def context_of(text: str, start: int, end: int) -> tuple[str, str]:
    """The stored context of ``text[start:end]``: up to CONTEXT characters on each side."""
    return text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]


def make_link(
    case: Case,
    section_id: str,
    quote: str = "",
    *,
    start: int | None = None,
    now: str | None = None,
) -> Link:
    """A link to one section of ``case``, quoting ``quote`` (at ``start``, else its first place).

    :class:`QuoteNotFound` when the quote does not occur there (exactly).
    """
    linked = now or utc_now()
    if not quote:
        return Link(case.id, section_id, linked=linked)
    text = case.text(section_id)
    if start is None:
        start = text.find(quote)
    elif text[start : start + len(quote)] != quote:
        start = -1
    if start < 0:
        raise QuoteNotFound(_("the quote does not occur in that section's text"))
    before, after = context_of(text, start, start + len(quote))
    return Link(case.id, section_id, quote, before, after, linked)


def current_section(section_id: str, template: Template | None, case: Case) -> str | None:
    """The id the linked section has now, or ``None`` if the template has no such section.

    Without a template (not installed), the case's own sections decide.
    """
    if template is None:
        return section_id if section_id in case.sections else None
    ids = template.section_ids()
    if section_id in ids:
        return section_id
    for section in template.sections:
        if section_id in section.renamed_from:
            return section.id
    return None


def _context_score(text: str, start: int, end: int, link: Link) -> int:
    """How many characters of the stored context match around ``text[start:end]``."""
    score = 0
    before = text[:start]
    for a, b in zip(reversed(before), reversed(link.before), strict=False):
        if a != b:
            break
        score += 1
    for a, b in zip(text[end:], link.after, strict=False):
        if a != b:
            break
        score += 1
    return score


def _occurrences(text: str, quote: str) -> list[int]:
    found: list[int] = []
    index = text.find(quote)
    while index >= 0:
        found.append(index)
        index = text.find(quote, index + 1)
    return found


def _unchanged_around(text: str, start: int, end: int, link: Link) -> bool:
    return context_of(text, start, end) == (link.before, link.after)


def _by_context(text: str, link: Link) -> tuple[int, int] | None:
    """The passage between the stored contexts, if both are still there, in order, close."""
    if len(link.before) < CONTEXT:  # the quote began at (or near) the start of the text
        start = len(link.before) if text.startswith(link.before) else -1
    else:
        start = text.find(link.before)
        start = start + len(link.before) if start >= 0 else -1
    if start < 0:
        return None
    if len(link.after) < CONTEXT:  # the quote ended at (or near) the end of the text
        end = len(text) - len(link.after) if text.endswith(link.after) else -1
    else:
        end = text.find(link.after, start)
    if end < start:
        return None
    if end - start > _SPAN_FACTOR * len(link.quote) + _SPAN_SLACK:
        return None
    if not link.before and not link.after:
        return None  # no context: nothing to go by
    return start, end


def find_quote(text: str, link: Link) -> Anchor:
    """Re-find a link's quote in a section's current ``text`` (see the module docstring)."""
    if not link.quote:
        return Anchor("found", None, link.section_id)
    places = _occurrences(text, link.quote)
    if places:
        length = len(link.quote)
        best = max(
            places, key=lambda start: (_context_score(text, start, start + length, link), -start)
        )
        span = (best, best + length)
        status: Status = "found" if _unchanged_around(text, *span, link) else "moved"
        return Anchor(status, span, link.section_id, link.quote)
    span_by_context = _by_context(text, link)
    if span_by_context is not None:
        start, end = span_by_context
        return Anchor("changed", span_by_context, link.section_id, text[start:end])
    return Anchor("changed", None, link.section_id)


def resolve(
    link: Link, case: Case | None, template: Template | None, *, detail: str = ""
) -> Anchor:
    """Where ``link`` points in ``case`` (as the store loads it, mapped onto ``template``).

    ``case`` ``None``: the case is gone (``detail`` says why, e.g. "purged").
    """
    if case is None:
        return Anchor("case gone", None, link.section_id, detail=detail or N_("not in the store"))
    section_id = current_section(link.section_id, template, case)
    if section_id is None:
        return Anchor("section gone", None, link.section_id, detail=detail)
    anchor = find_quote(case.text(section_id), link)
    return Anchor(anchor.status, anchor.span, section_id, anchor.text, detail)
