"""Text analysis shared by the index and the query: folding, diacritics, words.

SQLite's ``unicode61`` tokenizer (with ``remove_diacritics 0``) does the word
splitting and case folding inside the index; this module does the same in
Python for the query and for the lexicon (the list of distinct words the
index holds), so both sides agree on what a word is:

* :func:`fold` is Unicode case folding that keeps the text's length (one
  character in, one out), so an offset found in the folded text is the same
  offset in the text as written (``ÅTERBESÖK`` folds to ``återbesök``; ``ß``
  stays ``ß``, as the tokenizer keeps it);
* :func:`base` takes the diacritics off (``återbesök`` -> ``aterbesok``,
  ``ø`` -> ``o``): a query word that *is* its own base form was perhaps typed
  without them and also finds the forms with them, ranked after exact hits.
  å, ä, ö stay letters of their own everywhere else: ``år`` never finds ``är``;
* :func:`words` splits like the tokenizer: runs of letters and digits.

Text is put in NFC first (:func:`normal`), so a decomposed ``å`` (``a`` plus a
combining ring) is the same letter as a composed one.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["WORD", "base", "fold", "is_base_form", "normal", "words"]

#: A word, as ``unicode61`` cuts them: letters and digits (no underscore).
WORD = re.compile(r"[^\W_]+")

#: Letters NFD does not take apart but a reader without the key types plainly.
_PLAIN = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l", "þ": "th", "ð": "d", "ı": "i"}
)


class _Fold(dict[int, str]):
    """``str.translate`` table folding one character to one character, filled as needed."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = char.casefold()
        if len(folded) != 1:
            folded = char.lower()
            if len(folded) != 1:
                folded = char
        self[code] = folded
        return folded


_FOLD = _Fold()


def normal(text: str) -> str:
    """``text`` in NFC (a composed å, whatever the keyboard sent)."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Case-folded ``text`` of the same length (offsets stay valid)."""
    folded = text.casefold()
    if len(folded) == len(text):
        return folded
    return text.translate(_FOLD)


def base(word: str) -> str:
    """A folded word without its diacritics (``återbesök`` -> ``aterbesok``)."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word.translate(_PLAIN))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def is_base_form(word: str) -> bool:
    """Whether a folded word has no diacritics (so it may stand for forms that have)."""
    return base(word) == word


def words(text: str) -> list[str]:
    """The folded words of ``text`` (NFC first), in order."""
    return WORD.findall(fold(normal(text)))
