"""Asking before something cannot be undone: the yes/no answer, and purging what was agreed.

Used by ``purge``, ``insight purge`` and ``lint --redact``: a question on a
terminal (standard error, so the output stays clean), never a guess without one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence

from coprod_tui.core.errors import UserInputError
from coprod_tui.core.i18n import _

__all__ = ["confirmed_for_good", "purge_each", "said_yes"]

#: Yes in English, and in Swedish (the Swedish prompt reads [j/N]).
YES = ("y", "yes", "j", "ja")


def said_yes(answer: str) -> bool:
    """Whether a typed line is yes; anything else, an empty line included, is no."""
    return answer.strip().lower() in YES


def confirmed_for_good(heading: str, lines: Sequence[str]) -> bool:
    """List what a purge deletes and ask; refuse (exit 2) when there is no terminal to ask on."""
    if not sys.stdin.isatty():
        raise UserInputError(
            _(
                "purge deletes for good and standard input is not a terminal to ask on; "
                "add --yes to confirm"
            )
        )
    print(heading, file=sys.stderr)
    for line in lines:
        print(line, file=sys.stderr)
    print(_("Delete them for good? This cannot be undone. [y/N] "), end="", file=sys.stderr)
    sys.stderr.flush()
    return said_yes(sys.stdin.readline())


def purge_each(
    ids: Iterable[str], purge: Callable[[str], Iterable[str]]
) -> Iterator[tuple[str, bool]]:
    """Purge each id once: (what went, whether it was a conflict copy of the one named).

    A conflict copy goes with the document it copies, so an id already gone as
    one is not purged again.
    """
    done: set[str] = set()
    for given in ids:
        if given in done:
            continue
        for removed in purge(given):
            done.add(removed)
            yield removed, removed != given
