"""The answer to a yes/no question the CLI asks on a terminal (purge, lint --redact)."""

from __future__ import annotations

__all__ = ["said_yes"]

#: Yes in English, and in Swedish (the Swedish prompt reads [j/N]).
YES = ("y", "yes", "j", "ja")


def said_yes(answer: str) -> bool:
    """Whether a typed line is yes; anything else, an empty line included, is no."""
    return answer.strip().lower() in YES
