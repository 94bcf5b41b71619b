"""Find every identifying detail in a text, and replace them with labels.

Each finder (:mod:`.numbers`, :mod:`.contact`, :mod:`.places`) proposes candidates with a
priority; where two overlap, the higher priority wins (then the longer), so a ten-digit
mobile number that is also a date-valid number with a wrong check digit is reported
once, as a phone number, and a personnummer that passes its check beats a phone reading
of the same digits. The result is in text order and never overlaps, so it can be
underlined, listed and replaced without offsets shifting under each other.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from coprod_tui.core.privacy.contact import find_contacts
from coprod_tui.core.privacy.model import Identifier
from coprod_tui.core.privacy.numbers import find_numbers
from coprod_tui.core.privacy.places import find_places

__all__ = ["find_identifiers", "redact"]

# Text with none of these characters cannot hold any identifier: skip the regexes.
_NEEDS = frozenset("0123456789@")


def find_identifiers(text: str) -> list[Identifier]:
    """Every identifying detail in ``text``, in text order, none overlapping another."""
    if not text or _NEEDS.isdisjoint(text):
        return []
    candidates = [*find_numbers(text), *find_contacts(text), *find_places(text)]
    candidates.sort(key=lambda pair: (-pair[1], -(pair[0].end - pair[0].start), pair[0].start))
    starts: list[int] = []
    chosen: list[Identifier] = []
    for hit, _priority in candidates:
        index = bisect_left(starts, hit.start)
        if index > 0 and chosen[index - 1].end > hit.start:
            continue
        if index < len(chosen) and chosen[index].start < hit.end:
            continue
        starts.insert(index, hit.start)
        chosen.insert(index, hit)
    return chosen


def redact(text: str, hits: Sequence[Identifier] | None = None) -> str:
    """``text`` with each hit replaced by its kind's label (``[personnummer]``).

    ``hits`` defaults to :func:`find_identifiers` of ``text``. A hit whose span no longer
    holds its text (found in an older version of the text) is left alone rather than
    allowed to overwrite other words; overlapping hits after the first are skipped.
    """
    if hits is None:
        hits = find_identifiers(text)
    pieces: list[str] = []
    position = 0
    for hit in sorted(hits, key=lambda item: item.start):
        if hit.start < position or text[hit.start : hit.end] != hit.text:
            continue
        pieces.append(text[position : hit.start])
        pieces.append(hit.label)
        position = hit.end
    pieces.append(text[position:])
    return "".join(pieces)
