"""Sorting titles and tags the way the user's language does, without a system locale.

``sorted(items, key=lambda s: sort_key(s, language))``. Swedish
(``sv``, ``sv_SE``, ``sv-FI``, ...) puts its three extra letters after z —
``... x y z å ä ö`` — and sorts æ as ä, ø as ö, ü as y; é, è and other accents
sort as their base letter, after it on a tie (v and w are different letters, as in Swedish
dictionaries since 2006). Any other language uses plain case-folded order
with an accented letter right after its base letter (``e < é < f``; an
accent only breaks ties between words: ``resume < résumé < resumes``).

Everywhere: case does not matter, numbers come before letters (and sort by
value: ``2 < 10``), spaces and punctuation before numbers, and a tie is
broken by the raw text so the order is total and stable. ``locale.setlocale``
is never used: the locale may not be installed, and setting it changes the
whole process.

How a key is built (a small version of the Unicode Collation Algorithm's
first two levels): the text is case-folded and decomposed (NFD); each base
character gets a *primary* weight (its class — other, digit, letter — then
its letter), each accent is a *secondary* weight of the base before it. Keys
compare primaries first, then accents, then the raw text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from coprod_tui.core.language import language_code

__all__ = ["is_swedish", "sort_key", "sorted_texts"]

# Primary weight classes: anything else < digits < letters.
_OTHER = 0
_DIGIT = 1 << 21
_LETTER = 2 << 21
_Z = ord("z")

#: Swedish letters after z, in order, and the letters that sort as them.
_SWEDISH_AFTER_Z = {"å": 1, "ä": 2, "æ": 2, "ö": 3, "ø": 3, "œ": 3}
#: Letters that sort as another base letter in Swedish (an accent kept as a tie-break).
_SWEDISH_AS = {"ü": "y\u0308", "ű": "y\u030b"}
#: Letters without a decomposition that English sorts by a base letter.
_ENGLISH_AS = {"æ": "ae", "œ": "oe", "ø": "o\u0338", "đ": "d\u0335", "ł": "l\u0335"}

_RUNS = re.compile(r"\d+|\D+")

Key = tuple[tuple[int, ...], tuple[str, ...], str]


@lru_cache(maxsize=64)
def is_swedish(language: str) -> bool:
    """Whether ``language`` (``sv``, ``sv_SE``, ``sv-FI``, ``sv_SE.UTF-8``) is Swedish."""
    return language_code(language) == "sv"


def sort_key(text: str, language: str) -> Key:
    """A key that sorts ``text`` the way ``language`` does (see the module docstring)."""
    primary, secondary = _levels(text, is_swedish(language))
    return (primary, secondary, text)


def sorted_texts(texts: list[str], language: str) -> list[str]:
    """``texts`` sorted with :func:`sort_key` (a convenience for lists of plain strings)."""
    swedish = is_swedish(language)
    return sorted(texts, key=lambda text: (*_levels(text, swedish), text))


@lru_cache(maxsize=65536)
def _levels(text: str, swedish: bool) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Primary weights and per-base accents of ``text`` (cached: lists re-sort often).

    A run of digits is one number (``2 < 10``): its length (leading zeros
    aside) weighs first, then its digits.
    """
    folded = text.casefold()
    table = _SWEDISH_AS if swedish else _ENGLISH_AS
    primary: list[int] = []
    accents: list[str] = []
    for run in _RUNS.findall(folded):
        if run[0].isdecimal():
            digits = run.lstrip("0") or "0"
            primary.append(_DIGIT + 16 + len(digits))
            accents.append("")
            primary += [_DIGIT + unicodedata.decimal(char, 0) for char in digits]
            accents += [""] * len(digits)
            continue
        for char in run:
            if swedish and char in _SWEDISH_AFTER_Z:
                primary.append(_LETTER + _Z + _SWEDISH_AFTER_Z[char])
                accents.append("")
                continue
            for part in unicodedata.normalize("NFD", table.get(char, char)):
                if unicodedata.combining(part) and primary:
                    accents[-1] += part
                    continue
                primary.append(_weight(part))
                accents.append("")
    return tuple(primary), tuple(accents)


def _weight(char: str) -> int:
    """The primary weight of one base character."""
    if char.isdecimal():
        return _DIGIT + unicodedata.decimal(char, 0)
    if char.isalpha():
        return _LETTER + ord(char)
    if char.isspace():
        return _OTHER  # every kind of space sorts alike
    return _OTHER + ord(char)
