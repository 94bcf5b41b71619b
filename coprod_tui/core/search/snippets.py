"""Where the hits are in a text, and the one-line snippet around the first of them.

The index says *which* sections match; this module says *where*, in Python,
on the section's stored text folded to the same length (:func:`analysis.fold`),
so every offset it gives is an offset in the text as the user wrote it: the
workbench selects ``span`` in the editor, and draws ``highlights`` in the
snippet (as plain text with styles, never markup).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from coprod_tui.core.search.analysis import fold

__all__ = ["Matcher", "hits", "merge_matchers", "snippet"]

#: Characters of context before the first hit, and the snippet's length.
BEFORE = 50
WIDTH = 150
ELLIPSIS = "…"
_EDGE_W = r"(?<![^\W_])"
_EDGE_E = r"(?![^\W_])"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Matcher:
    """What counts as a hit: whole words, word prefixes and phrases (all folded)."""

    words: frozenset[str] = frozenset()
    prefixes: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()
    #: Phrases whose last word is a prefix.
    prefix_phrases: tuple[tuple[str, ...], ...] = ()

    def pattern(self) -> re.Pattern[str] | None:
        """One regex finding any hit in a folded text (longest alternatives first)."""
        parts: list[str] = []
        for phrase in sorted(self.phrases, key=len, reverse=True):
            parts.append(_EDGE_W + r"[\W_]+".join(map(re.escape, phrase)) + _EDGE_E)
        for phrase in self.prefix_phrases:
            parts.append(_EDGE_W + r"[\W_]+".join(map(re.escape, phrase)) + r"[^\W_]*")
        for prefix in sorted(self.prefixes, key=len, reverse=True):
            parts.append(_EDGE_W + re.escape(prefix) + r"[^\W_]*")
        if self.words:
            words = "|".join(map(re.escape, sorted(self.words, key=len, reverse=True)))
            parts.append(f"{_EDGE_W}(?:{words}){_EDGE_E}")
        return re.compile("|".join(parts)) if parts else None


def hits(text: str, pattern: re.Pattern[str] | None, *, limit: int = 1) -> list[tuple[int, int]]:
    """Up to ``limit`` (start, end) spans of hits in ``text``."""
    if pattern is None:
        return []
    found: list[tuple[int, int]] = []
    for match in pattern.finditer(fold(text)):
        if match.end() > match.start():
            found.append(match.span())
            if len(found) >= limit:
                break
    return found


def snippet(
    text: str, pattern: re.Pattern[str] | None
) -> tuple[str, tuple[tuple[int, int], ...], tuple[int, int] | None]:
    """(snippet, highlights in it, span of the first hit in ``text``).

    With no hit found (the text matched through a form the pattern does not
    know), the snippet is the start of the text and the span is ``None``.
    """
    folded = fold(text)
    first = None
    if pattern is not None:
        for match in pattern.finditer(folded):
            if match.end() > match.start():
                first = match.span()
                break
    if first is None:
        start, end = 0, min(len(text), WIDTH)
    else:
        start = max(0, first[0] - BEFORE)
        if start <= 15:
            start = 0  # a few more characters beat an ellipsis
        else:
            space = text.rfind(" ", start - 15, start + 1)
            if space >= 0:
                start = space + 1  # begin at a word
        end = max(min(len(text), start + WIDTH), first[1])
    lead = ELLIPSIS if start > 0 else ""
    tail = ELLIPSIS if end < len(text) else ""
    shown = lead + _one_line(text[start:end]) + tail
    marks: list[tuple[int, int]] = []
    if pattern is not None:
        for match in pattern.finditer(folded, start, end):
            if match.end() > match.start():
                marks.append((match.start() - start + len(lead), match.end() - start + len(lead)))
    return shown, tuple(marks), first


def _one_line(text: str) -> str:
    """Newlines, tabs and control characters as spaces (one character each: offsets hold)."""
    return _CONTROL.sub(" ", text)


def merge_matchers(matchers: Iterable[Matcher]) -> Matcher:
    """One matcher finding what any of ``matchers`` finds."""
    words: set[str] = set()
    prefixes: set[str] = set()
    phrases: list[tuple[str, ...]] = []
    prefix_phrases: list[tuple[str, ...]] = []
    for matcher in matchers:
        words |= matcher.words
        prefixes |= matcher.prefixes
        phrases.extend(matcher.phrases)
        prefix_phrases.extend(matcher.prefix_phrases)
    return Matcher(frozenset(words), frozenset(prefixes), tuple(phrases), tuple(prefix_phrases))
