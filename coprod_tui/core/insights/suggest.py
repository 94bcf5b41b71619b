"""Revisit: an insight's evidence in date order, and the cases that may hold more of it.

"Revisit" is the last step of write → compare → distil → act → revisit: an
insight's evidence grows as new cases are linked. :func:`evidence` orders the
links by the date of the case they point to (the case's ``date`` field when
it has one, else when it was created), so the story reads in time.
:func:`suggest_cases` finds other cases whose text shares the insight's
significant words (its title and text, less the common words of Swedish and
English), from the search index, leaving out the cases already linked: a
suggestion is a case, its best matching section and a snippet, ready to be
linked with one key.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from coprod_tui.core.search.analysis import WORD, fold

if TYPE_CHECKING:
    from coprod_tui.core.insights.model import Insight
    from coprod_tui.core.insights.store import LinkView
    from coprod_tui.core.search.hits import SearchHit
    from coprod_tui.core.search.index import SearchIndex

__all__ = ["STOPWORDS", "evidence", "significant_words", "suggest_cases"]

#: Words too common to say what an insight is about (Swedish and English, folded).
STOPWORDS = frozenset(
    """
    about after again also although always among another because been before being between
    both could does doing done down during each either even every from further have having
    here however into itself just last like made make many might more most much must never
    often only other ought over same shall should since some such than that their them then
    there these they this those though through under until upon very want were what when
    where whether which while whom whose will with within without would your yours
    alla allt alltid andra annan annat att blev bli blir eftersom efter eller emellertid
    enligt ett fast fick finns från genom hade han har hela helt henne hennes hon honom
    hans här icke ingen inget inte kan kanske kommer kunde man med mellan men mer mera
    mot mycket måste ned när också oss och sedan sig sin sina sitt själv skall ska skulle
    som till under upp vad var vara varför varit vars vem vi vid vilka vilken vilket vill
    ville väl åt än är även över dock bara både där dessa detta dess deras denna dig din
    dina ditt ens era ert hur jag kom man mig min mina mitt nog någon något några nu
    inom utan under samt även
    """.split()  # noqa: SIM905 - read as a list of words, not 200 string literals
)
#: Words shorter than this are left out (too many cases hold them).
MIN_LENGTH = 4
#: At most this many words make the query (the most frequent in the insight first).
MAX_WORDS = 16


def significant_words(text: str, *, limit: int = MAX_WORDS) -> list[str]:
    """The folded words of ``text`` that say what it is about: no common words, no short
    ones, no numbers; the most frequent first (first seen first among equals)."""
    counts: Counter[str] = Counter()
    order: dict[str, int] = {}
    for word in WORD.findall(fold(text)):
        if len(word) < MIN_LENGTH or word in STOPWORDS or word.isdigit():
            continue
        counts[word] += 1
        order.setdefault(word, len(order))
    ranked = sorted(counts, key=lambda word: (-counts[word], order[word]))
    return ranked[: max(0, limit)]


def suggest_cases(
    index: SearchIndex,
    insight: Insight,
    *,
    exclude: Iterable[str] = (),
    limit: int = 10,
) -> list[SearchHit]:
    """Other active cases whose sections share the insight's significant words, best first.

    One hit per case (its best matching section; never the title row, so
    every suggestion can be linked as case + section), with its snippet.
    Cases the insight already links and those in ``exclude`` are left out.
    An insight without significant words has no suggestions.
    """
    words = significant_words(f"{insight.title}\n{insight.text}")
    if not words:
        return []
    linked = {link.case_id for link in insight.links} | set(exclude)
    return index.match_any(words, exclude=linked, limit=limit)


def evidence(views: Sequence[LinkView], dates: dict[str, str] | None = None) -> list[LinkView]:
    """The links in date order: by the case's date (``LinkView.case_date``), then when linked.

    A link whose case has no date (gone, or never dated) comes last, in link
    order. ``dates`` overrides the date of a case id (tests, callers that
    know better).
    """
    chosen = dates or {}

    def key(item: tuple[int, LinkView]) -> tuple[int, str, str, int]:
        number, view = item
        date = chosen.get(view.link.case_id, view.case_date)
        return (0 if date else 1, date, view.link.linked, number)

    return [view for _number, view in sorted(enumerate(views), key=key)]
