"""Postcodes with a place and street addresses in free text (Swedish forms).

**Postcode with a place**: ``123 45 Ort`` (also ``12345 Ort``, ``SE-123 45 Ort``): a
first digit 1-9, then a capitalised place name of one or two words. A capitalised word
that begins sentences (``Patienten``, ``Hon``, ``Vi``, ...) is not taken for a place, so a
count followed by a new sentence is not a postcode. Always "sure".

**Street address**: a street name and a house number of 1-3 digits, optionally with an
entrance letter (``Storgatan 12``, ``Vasavägen 3 B``, ``Kungsgatan 12A``, ``Sankt
Eriksgatan 5``, ``Stora Nygatan 3``, ``Drottning Kristinas väg 12``, ``Sergels torg 1``).
The name is a capitalised compound ending in a street word (-gatan, -vägen, -gränd,
-stigen, -backen, -torget, -allén, -plan, -leden, -stråket, -kajen, -platsen, -slingan,
-promenaden, ...), or a name in the genitive followed by ``väg``, ``gata``, ``torg``,
``gränd``, ``plats``, ``allé`` or ``backe`` as a word of its own. A lower-case compound on
-gatan, -gränd or -torget (``storgatan 12``) is "possible"; the others are "sure".
Not an address: the bare word (``vägen 3``: the road, three ...), a number followed by a
unit (``Kungsvägen 3 km``, ``... 12 minuter``), four digits (a year: ``Vårdplanen 2023``),
and body parts on -leden (``Höftleden 2``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from coprod_tui.core.privacy.model import Identifier

__all__ = ["find_places"]

_UPPER = "A-ZÅÄÖÉÜ"
_LOWER = "a-zåäöéüè"
_WORD = f"[{_UPPER}][{_LOWER}]+"

#: Capitalised words that begin sentences or name people, never a place after a postcode.
_NOT_PLACES = frozenset(
    """
    Patienten Patient Hon Han Hen Vi Jag Du Ni De Det Den Dom Denna Detta Sedan Efter
    Innan Men Och Eller När Där Då Om Som Vid Under Över Med Utan Till Från Inte Nu Här
    Läkaren Sjuksköterskan Mamma Pappa Dottern Sonen Barnet Maken Makan Familjen Kl
    The She He We It They Then After Before But And Or When Where Now Here Mg Ml Kg
    Januari Februari Mars April Maj Juni Juli Augusti September Oktober November December
    Måndag Tisdag Onsdag Torsdag Fredag Lördag Söndag Minuter Timmar Dagar Veckor År
    """.split()  # noqa: SIM905 (a word list reads better as words)
)

_POSTCODE = re.compile(
    rf"(?<![\w\-+.,/])(?:SE[\- ]?)?[1-9]\d\d[ \u00a0]?\d\d(?![\w])"
    rf"(?P<gap>[ \u00a0]+)(?P<place>{_WORD}(?:[ \-]{_WORD})?)(?![\w])"
)

_COMPOUND_SUFFIXES = (
    "gatan|vägen|gränden|gränd|stigen|backen|torget|allén|alléen|plan|leden|stråket|"
    "kajen|platsen|slingan|promenaden|esplanaden|ringen|liden|hagen|gårdsvägen|"
    "parken|terrassen|udden|bryggan"
)
_LOWER_SUFFIXES = "gatan|gränd|gränden|torget"
_WORD_SUFFIXES = "väg|gata|torg|gränd|plats|allé|backe"
_PREFIX_WORDS = (
    "Stora|Lilla|Gamla|Nya|Norra|Södra|Östra|Västra|Övre|Nedre|Sankt|S:t|Sankta|Inre|Yttre"
)
_NUMBER = (
    r"[ \u00a0](?P<number>\d{1,3}(?:[\-\u2013]\d{1,3})?(?:[A-Za-z]|[ \u00a0][A-H])?)"
    r"(?![\w:,.]\d|[\w])"
)
_ADDRESS = re.compile(
    rf"(?<![\w\-])"
    rf"(?P<name>"
    rf"(?:(?:{_PREFIX_WORDS})[ \u00a0])?[{_UPPER}][{_LOWER}]+(?:{_COMPOUND_SUFFIXES})"
    rf"|(?:{_WORD}[ \u00a0])?{_WORD}s[ \u00a0](?:{_WORD_SUFFIXES})"
    rf"|(?P<lower>[{_LOWER}]{{3,}}(?:{_LOWER_SUFFIXES}))"
    rf")" + _NUMBER
)
_BODY_JOINTS = frozenset(
    "höftleden knäleden fotleden handleden axelleden käkleden armbågsleden tumleden".split()  # noqa: SIM905
)
_UNIT = re.compile(
    r"[ \u00a0]*(?:min|minuter|minut|tim|timmar|timme|h|mg|g|kg|ml|l|km|m|cm|mm|år|"
    r"dagar|dag|dygn|veckor|vecka|v|mån|månader|st|stycken|gånger|ggr|kr|kronor|%|"
    r"procent|mmol|grader|sek|sekunder|tabletter|tabl|doser|steg|meter)(?![\w])",
    re.IGNORECASE,
)


def _postcodes(text: str) -> Iterator[tuple[Identifier, int]]:
    """Postcodes followed by a place name."""
    for match in _POSTCODE.finditer(text):
        place = match.group("place")
        first = re.split(r"[ \-]", place)[0]
        if first in _NOT_PLACES:
            continue
        end = match.end()
        if " " in place or "-" in place:
            second = re.split(r"[ \-]", place)[1]
            if second in _NOT_PLACES or second[0].islower():
                end = match.start("place") + len(first)
        raw = text[match.start() : end]
        yield Identifier("postcode", match.start(), end, raw, "sure"), 15


def _addresses(text: str) -> Iterator[tuple[Identifier, int]]:
    """Street names with a house number."""
    for match in _ADDRESS.finditer(text):
        name = match.group("name")
        if name.lower() in _BODY_JOINTS:
            continue
        number = match.group("number")
        end = match.end()
        if number[-1].isalpha() and _UNIT.match(text, match.start("number") + len(number) - 1):
            # "12 h" read as a unit after all: drop the letter, then test the unit rule.
            number = number[:-1].rstrip()
            end = match.start("number") + len(number)
        if _UNIT.match(text, end):
            continue
        certainty = "possible" if match.group("lower") else "sure"
        raw = text[match.start() : end]
        yield Identifier("address", match.start(), end, raw, certainty), 10


def find_places(text: str) -> Iterator[tuple[Identifier, int]]:
    """Every postcode and address candidate in ``text`` with its priority."""
    yield from _postcodes(text)
    yield from _addresses(text)
