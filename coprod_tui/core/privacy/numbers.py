"""Swedish identity numbers in free text: personnummer, samordningsnummer, reservnummer.

**Personnummer** (Skatteverket): birth date ``YYMMDD``, a three-digit birth number and a
check digit (the Luhn "modulus 10" rule with weights 2-1 over the ten digits). Written
with 10 digits (``YYMMDD-NNNC``, ``YYMMDDNNNC``; ``+`` instead of ``-`` from the year a
person turns 100) or 12 (``YYYYMMDD-NNNC``, ``YYYYMMDDNNNC``; century 18, 19 or 20).
**Samordningsnummer**: the same, with 60 added to the day (61-91); Skatteverket may write
day 60 and month 00 when the day or month of birth is unknown.

A space instead of the dash (``YYMMDD NNNC``, written by hand) counts only with a right
check digit: two numbers side by side are common in notes.

Certainty: a real calendar date (leap years included: ``1900-02-29`` does not exist,
``2000-02-29`` does), not after this year, and a right check digit → "sure"; a real date
with a wrong check digit (a mistyped number still identifies a person) → "possible".
Numbers with impossible dates, inside longer digit runs, or joined to more digits by a
dash are not reported.

**Reservnummer** (there is no single national form; these are the shapes covered):

- *Date + four characters with a letter* (Region Skåne and several other regions: the
  birth date followed by four characters of which at least one is a letter, e.g.
  ``19800101-TF01``, ``800101-K123``): a real date, capital letters → "sure".
- *Inera's national reserve identity (NRID)*, ``XXYYMMDD-NNGC``: ``XX`` is the birth
  century plus a multiple of 3 (``22``, ``23``, ... ``99``; ``18``-``21`` never occur) or
  ``00`` for an unknown date (then ``MM`` 20-99 and ``DD`` 40-59 are a serial), ``NN`` two
  capital letters other than I, O, Q, V and W, ``G`` the sex digit, ``C`` a check digit
  (its rule is not public; it is not checked) → "sure".
- *Region Stockholm*: 12 digits, ``99`` + the century and year it was issued + six
  digits, the last a check digit (assumed to follow the personnummer rule over the last
  ten digits): right check digit → "sure", otherwise "possible".
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from coprod_tui.core.privacy.model import Identifier

__all__ = ["find_numbers", "luhn_ok"]

_DASHES = "-\u2013\u2011"  # hyphen, en dash, non-breaking hyphen (word processors)
_SEP = f"[{_DASHES}+ ]"

# 10 or 12 digits; the separator sits before the last four. Not inside a longer run of
# digits or letters, not joined to more digits by a dash (a range, an ISBN, a long code).
_PNR = re.compile(
    rf"(?<![\w+{_DASHES}])(?<!\d[{_DASHES}.,])"
    rf"(?P<century>\d\d)?(?P<date>\d{{6}})(?P<sep>{_SEP}?)(?P<tail>\d{{4}})"
    rf"(?![\w]|[{_DASHES}+.,/]\d)"
)
# The date with four characters, at least one a letter (regional and NRID reservnummer).
_RESERV = re.compile(
    rf"(?<![\w+{_DASHES}])"
    rf"(?P<century>\d\d)?(?P<date>\d{{6}})(?P<sep>[{_DASHES}]?)(?P<tail>[A-Z0-9]{{4}})"
    rf"(?![\w]|[{_DASHES}]\w)"
)
# Region Stockholm: 99, century 19/20, the year issued, six digits (a dash may stand
# before the last four, as in a personnummer).
_STOCKHOLM = re.compile(
    rf"(?<![\w+{_DASHES}])99(?P<issued>(?:19|20)\d\d)(?P<a>\d\d)(?P<sep>[{_DASHES}]?)"
    rf"(?P<b>\d{{4}})(?![\w]|[{_DASHES}]\d)"
)
_NRID_LETTERS = re.compile(r"[A-HJ-NPR-UXYZ]{2}\d\d")


def luhn_ok(digits: str) -> bool:
    """Whether ``digits`` pass the Luhn check (weights 2, 1, 2, ... from the left).

    This is Skatteverket's "modulus 10" rule for the ten digits of a personnummer.
    """
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value // 10 + value % 10
    return total % 10 == 0


def _real_date(year: int, month: int, day: int) -> bool:
    """Whether ``year-month-day`` exists on the calendar and is not after this year."""
    if year > datetime.date.today().year:
        return False
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _years(century: str | None, yy: int, sep: str) -> list[int]:
    """The birth years a written number can mean (two for a 10-digit one)."""
    if century is not None:
        return [int(century) * 100 + yy] if century in ("18", "19", "20") else []
    if sep == "+":  # a hundred or more years old
        return [1800 + yy, 1900 + yy]
    return [1900 + yy, 2000 + yy]


def _birth_kind(century: str | None, date: str, sep: str) -> str | None:
    """``"personnummer"``/``"samordningsnummer"`` when ``date`` is a real birth date."""
    yy, month, day = int(date[:2]), int(date[2:4]), int(date[4:6])
    years = _years(century, yy, sep)
    if 61 <= day <= 91 or (day == 60 and month <= 12):
        # Samordningsnummer: day + 60; month 00 or day 60 stand for "not known".
        real_day = day - 60 or 1
        real_month = month or 1
        if any(_real_date(year, real_month, real_day) for year in years):
            return "samordningsnummer"
        return None
    if any(_real_date(year, month, day) for year in years):
        return "personnummer"
    return None


def _personnummer(text: str) -> Iterator[tuple[Identifier, int]]:
    """Personnummer and samordningsnummer, with their priority for overlaps."""
    for match in _PNR.finditer(text):
        century, date, sep, tail = match.group("century", "date", "sep", "tail")
        if century is not None and sep == "+":
            continue  # the plus only belongs to the 10-digit form
        kind = _birth_kind(century, date, sep)
        if kind is None:
            continue
        sure = luhn_ok(date + tail)
        if sep == " " and not sure:
            continue  # a space: only with a right check digit (two numbers side by side)
        certainty = "sure" if sure else "possible"
        yield (
            Identifier(kind, match.start(), match.end(), match.group(), certainty),
            60 if sure else 30,
        )


def _nrid_date_ok(xx: int, date: str) -> bool:
    """Whether an NRID's ``XX`` and ``YYMMDD`` fit: a known date or the unknown-date serial."""
    yy, month, day = int(date[:2]), int(date[2:4]), int(date[4:6])
    if xx == 0:
        return 20 <= month <= 99 and 40 <= day <= 59
    if xx < 22:
        return False
    century = {0: 18, 1: 19, 2: 20}[xx % 3]
    return _real_date(century * 100 + yy, month, day)


def _reservnummer(text: str) -> Iterator[tuple[Identifier, int]]:
    """The reservnummer shapes the module docstring lists."""
    for match in _RESERV.finditer(text):
        century, date, sep, tail = match.group("century", "date", "sep", "tail")
        if not any(char.isalpha() for char in tail):
            continue  # all digits: a personnummer's shape, handled there
        if century is not None and century not in ("18", "19", "20"):
            if _NRID_LETTERS.fullmatch(tail) and _nrid_date_ok(int(century), date):
                yield _hit(match, "sure"), 50
            continue
        if century is None and not sep:
            continue  # ten characters run together: too like a code or a word
        if _birth_kind(century, date, sep or "-") is None:
            continue
        yield _hit(match, "sure"), 50
    this_year = datetime.date.today().year
    for match in _STOCKHOLM.finditer(text):
        if int(match.group("issued")) > this_year:
            continue
        digits = match.group("issued")[2:] + match.group("a") + match.group("b")
        certainty = "sure" if luhn_ok(digits) else "possible"
        yield _hit(match, certainty), 50 if certainty == "sure" else 30


def _hit(match: re.Match[str], certainty: str) -> Identifier:
    """A reservnummer hit for ``match``."""
    return Identifier("reservnummer", match.start(), match.end(), match.group(), certainty)


def find_numbers(text: str) -> Iterator[tuple[Identifier, int]]:
    """Every identity-number candidate in ``text`` with its priority (higher wins overlaps)."""
    yield from _personnummer(text)
    yield from _reservnummer(text)
