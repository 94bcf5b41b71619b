"""The search syntax, parsed into terms and filters (never handed to SQLite as typed).

    remiss "ont i bröstet" återbes* section:situation tag:astma

* a word is required in every hit (all words must match; there is no OR);
* ``word*`` matches words starting with ``word``;
* ``"several words"`` matches them next to each other, in order;
* ``section:ID``, ``tag:T``, ``template:ID``, ``perspective:ID`` narrow the
  hits (a value with spaces in quotes: ``tag:"gul remiss"``).

Anything else the full-text engine would read as its own syntax (``AND``,
``OR``, ``NOT``, ``NEAR``, parentheses, ``^``, a ``*`` inside a word, an
unknown ``name:``) is refused with a :class:`~coprod_tui.core.search.QueryError`
saying what to type instead, so a query never reaches SQLite as the user
typed it: the index builds its ``MATCH`` expression from these parsed terms,
every word quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coprod_tui.core.errors import UserInputError
from coprod_tui.core.i18n import N_, _
from coprod_tui.core.search.analysis import WORD, fold, normal

__all__ = ["FILTERS", "Query", "QueryError", "Term", "parse"]

#: The filter names a query may use.
FILTERS = ("section", "tag", "template", "perspective")
_EXAMPLE = N_('(example: remiss "ont i bröstet" tag:astma)')
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
_SYNTAX = set('()^{}+"')


class QueryError(UserInputError):
    """A search the parser cannot read: one line saying why, with an example (exit 2)."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            _("could not read the search: {reason} {example}").format(
                reason=reason, example=_(_EXAMPLE)
            )
        )
        self.reason = reason


@dataclass(frozen=True)
class Term:
    """One required part of a query: a word, a prefix (``word*``) or a phrase."""

    #: The folded words (one for a word or prefix, several for a phrase).
    words: tuple[str, ...]
    #: ``word*``: the last word is a prefix.
    prefix: bool = False

    @property
    def phrase(self) -> bool:
        """Several words that must stand together."""
        return len(self.words) > 1


@dataclass(frozen=True)
class Query:
    """A parsed query: the terms every hit must match, and the filters."""

    terms: tuple[Term, ...] = ()
    #: filter name -> the values given (each folded for tags; as typed for ids).
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def values(self, name: str) -> tuple[str, ...]:
        """The values of one filter (empty if not given)."""
        return self.filters.get(name, ())


# A quoted stretch, or a run of anything but spaces and quotes (which may end in a quoted value).
_PIECE = re.compile(r'"[^"]*"|[^\s"]+(?:"[^"]*")?|"')


#: Bounds of a query: longer ones are refused (each word costs lookups and a MATCH part).
MAX_QUERY = 1000
MAX_TERMS = 32


def parse(text: str) -> Query:
    """Parse a query; :class:`QueryError` for one it cannot read."""
    if len(text) > MAX_QUERY:
        raise QueryError(
            _("it is too long ({n} characters; at most {MAX_QUERY})").format(
                n=len(text), MAX_QUERY=MAX_QUERY
            )
        )
    text = normal(text)
    if text.count('"') % 2:
        raise QueryError(_("a quote is not closed"))
    terms: list[Term] = []
    filters: dict[str, list[str]] = {}
    for piece in _PIECE.findall(text):
        if piece.startswith('"'):
            phrase = _words(piece[1:-1])
            if phrase:
                terms.append(Term(tuple(phrase)))
            continue
        name, colon, value = piece.partition(":")
        if colon and name.isalpha():
            _add_filter(filters, name, value)
            continue
        if '"' in piece:
            raise QueryError(
                _("a quote inside {piece!r}: quote whole words").format(piece=piece[:40])
            )
        terms.extend(_bare(piece))
    if len(terms) > MAX_TERMS:
        raise QueryError(
            _("it has {n} words and phrases; at most {MAX_TERMS}").format(
                n=len(terms), MAX_TERMS=MAX_TERMS
            )
        )
    return Query(tuple(terms), {name: tuple(values) for name, values in filters.items()})


def _add_filter(filters: dict[str, list[str]], name: str, value: str) -> None:
    key = name.lower()
    if key not in FILTERS:
        raise QueryError(
            _(
                'unknown filter {name!r}: use {join} or put the words in quotes ("{name}:...")'
            ).format(name=name[:40], join=", ".join(f + ":" for f in FILTERS))
        )
    if value.startswith('"') and value.endswith('"') and len(value) >= 2:
        value = value[1:-1]
    value = value.strip()
    if not value:
        raise QueryError(
            _("{key}: needs a value, as in {key}:{FILTER_EXAMPLE}").format(
                key=key, FILTER_EXAMPLE=_FILTER_EXAMPLE[key]
            )
        )
    filters.setdefault(key, []).append(fold(value) if key == "tag" else value)


_FILTER_EXAMPLE = {
    "section": "situation",
    "tag": "astma",
    "template": "batalden-9",
    "perspective": "patient-person",
}


def _bare(piece: str) -> list[Term]:
    """The terms of an unquoted piece: a word, ``word*``, or words joined by punctuation."""
    if piece in _OPERATORS:
        raise QueryError(
            _(
                "{piece} is not supported: every word must match; leave it out or quote it "
                '("{lower}")'
            ).format(piece=piece, lower=piece.lower())
        )
    if _SYNTAX.intersection(piece):
        raise QueryError(
            _(
                "{piece!r} holds search syntax coprod does not use (parentheses, ^, +, {{}});"
                " type plain words"
            ).format(piece=piece[:40])
        )
    prefix = piece.endswith("*")
    core = piece.rstrip("*") if prefix else piece
    if "*" in core:
        raise QueryError(
            _("{piece!r}: a * may only end a word, as in remiss*").format(piece=piece[:40])
        )
    found = _words(core)
    if not found:
        if prefix:
            raise QueryError(_("a * needs letters before it, as in remiss*"))
        return []  # punctuation alone (a dash, a full stop): nothing to look for
    if len(found) == 1:
        return [Term((found[0],), prefix=prefix)]
    return [Term(tuple(found), prefix=prefix)]  # läkar-remiss: the words side by side


def _words(text: str) -> list[str]:
    return WORD.findall(fold(text))
