"""Phone numbers and e-mail addresses in free text.

**Phone numbers** (Swedish first): a run of digit groups joined by single spaces, dashes
or a ``(0)``, starting with ``0``, ``+46``/``0046`` or another ``+`` country code, such as
``070-123 45 67``, ``08-123 456 78``, ``031-12 34 56``, ``0485-123 45``, ``+46 70 123 45
67``, ``+46 (0)8 123 456 78``. Rules: a national number starts with ``0`` and a non-zero
digit and has 8-10 digits; a mobile (``070``, ``072``, ``073``, ``076``, ``079``) has
exactly 10. A first group of two digits must be ``08`` (Stockholm is the only one-digit
area code), groups of one digit are counting rather than dialling, a Stockholm number
has 7 or 8 digits after ``08`` and never continues with ``0`` (so ``08 12 2023`` is a
date), and groups that are all clock times (``0800-1700``) are
opening hours: so ``05 10 15 20`` and ``0 1 2 3 ...`` are not numbers. Formatted numbers (a
separator after the area code) and mobiles are "sure"; 8-10 bare digits starting with
``0`` and foreign ``+`` numbers are "possible". Dosages (``2x10 mg``), times (``08:30``),
decimals (``0,5``) and years never start a run with ``0`` followed by enough digits.

**E-mail**: ``local@domain.tld`` with a top-level domain of two or more letters; always
"sure".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from coprod_tui.core.privacy.model import Identifier

__all__ = ["find_contacts"]

_MOBILE = re.compile(r"07[02369]\d{7}")
_TIME = re.compile(r"(?:[01]\d|2[0-3])[0-5]\d")
# A digit group, then more groups joined by one separator each.
_RUN = re.compile(
    r"(?<![\w+.,/\-\u2013])(?<!\d:)"
    r"(?P<plus>\+|00(?=[1-9]))?"
    r"\d+"
    r"(?:(?:[ \u00a0]?[\-\u2013][ \u00a0]?|[ \u00a0]|[ \u00a0]?\(0\)[ \u00a0]?)\d+)*"
    r"(?![\w]|[.,:/]\d)"
)
_GROUP = re.compile(r"\d+")
_EMAIL = re.compile(
    r"(?<![\w.+\-])[\w.+\-]*\w@(?:[^\W_](?:[\w\-]*[^\W_])?\.)+[^\W\d_]{2,}(?![\w\-@])"
)


def _national_ok(national: str) -> str | None:
    """The certainty of a number written after ``+46`` (no leading 0), or None."""
    if not national or national[0] == "0":
        return None
    if national[0] == "7":
        return "sure" if _MOBILE.fullmatch("0" + national) else None
    return "sure" if 7 <= len(national) <= 9 else None


def _phone_certainty(groups: list[str], plus: bool, raw: str) -> str | None:
    """Whether digit ``groups`` (as written) are a phone number: "sure", "possible" or None."""
    digits = "".join(groups)
    if plus or raw.startswith("00"):
        body = digits[2:] if raw.startswith("00") else digits
        if body.startswith("46"):
            national = body[2:]
            if national.startswith("0"):  # +46 (0)8 ...
                national = national[1:]
            return _national_ok(national)
        if 8 <= len(body) <= 15 and body[0] != "0":
            return "possible"  # another country's number
        return None
    if len(digits) < 8 or len(digits) > 10 or digits[0] != "0" or digits[1] == "0":
        return None
    if digits[1] == "7":
        return "sure" if _MOBILE.fullmatch(digits) else None
    if digits[1] == "8" and (digits[2] == "0" or len(digits) < 9):
        return None  # Stockholm: 7 or 8 digits after 08, never starting with 0
    if all(_TIME.fullmatch(group) for group in groups):
        return None  # opening hours: 0800-1700
    first = groups[0]
    if len(first) < 2 or any(len(group) < 2 for group in groups[1:]):
        return None  # one-digit groups: counting, not dialling
    if len(groups) == 1:
        return "possible"  # bare digits
    if len(first) == 2 and first != "08":
        return None
    if len(first) > 4:
        return "possible"
    return "sure"


#: The most digit groups a phone number is written in (``+46 (0)8 123 456 78`` has six).
_MAX_GROUPS = 7


def _phones(text: str) -> Iterator[tuple[Identifier, int]]:
    """Phone numbers in each run of digit groups.

    A run can hold other numbers before a phone number (``kl 14 070-123 45 67``), so
    each group that could start one (a ``0``, or the run's ``+``) is tried, with the
    longest of its next few groups that is a number; a run of thousands of groups
    costs a few tries per group, never one per pair.
    """
    for run in _RUN.finditer(text):
        groups = list(_GROUP.finditer(run.group()))
        plus_at_start = run.group("plus") == "+"
        base = run.start()
        index = 0
        while index < len(groups):
            first = groups[index]
            plus = plus_at_start and index == 0
            begin = base if index == 0 else base + first.start()
            if not plus and text[base + first.start()] != "0":
                index += 1
                continue
            found = None
            for count in range(min(_MAX_GROUPS, len(groups) - index), 0, -1):
                kept = groups[index : index + count]
                end = base + kept[-1].end()
                raw = text[begin:end]
                certainty = _phone_certainty([g.group() for g in kept], plus, raw)
                if certainty is not None:
                    found = (Identifier("phone", begin, end, raw, certainty), count)
                    break
            if found is None:
                index += 1
                continue
            hit, count = found
            yield hit, 40 if hit.certainty == "sure" else 20
            index += count


def _emails(text: str) -> Iterator[tuple[Identifier, int]]:
    """E-mail addresses."""
    for match in _EMAIL.finditer(text):
        yield Identifier("email", match.start(), match.end(), match.group(), "sure"), 70


def find_contacts(text: str) -> Iterator[tuple[Identifier, int]]:
    """Every phone and e-mail candidate in ``text`` with its priority (higher wins overlaps)."""
    yield from _emails(text)
    yield from _phones(text)
