"""The identifier guard: find, name and redact identifying details in case text.

Case notes are about real people and are shared with supervisors, teams and students;
a leak starts with one personnummer left in a paragraph. This package finds Swedish
personnummer and samordningsnummer (a real date, a check digit), reservnummer, phone
numbers, e-mail addresses, postcodes with a place and street addresses, and keeps false
alarms rare (impossible dates, durations, counts, dosages and times are not reported).
It is plain Python (no Textual, no CLI): the store's write check, ``coprod lint``, the
exports and the editor all use the same finder.

Public surface: :class:`Identifier` (``kind``, ``start``, ``end``, ``text``,
``certainty``), :func:`find_identifiers`, :func:`redact`, :data:`LABELS`,
:func:`kind_label`, :func:`mask` and :func:`describe` (for messages that must name a hit
without revealing it), :data:`KINDS`, :func:`luhn_ok`. What each finder covers is in the
docstrings of :mod:`.numbers`, :mod:`.contact` and :mod:`.places`. The finder is imported
on first use (``coprod show`` opens a guarded store and never compiles its patterns).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coprod_tui.core.privacy.model import (
    CERTAINTIES,
    KINDS,
    LABELS,
    Identifier,
    describe,
    kind_label,
    mask,
)

if TYPE_CHECKING:
    from coprod_tui.core.privacy.finder import find_identifiers, redact
    from coprod_tui.core.privacy.numbers import luhn_ok

__all__ = [
    "CERTAINTIES",
    "KINDS",
    "LABELS",
    "Identifier",
    "describe",
    "find_identifiers",
    "kind_label",
    "luhn_ok",
    "mask",
    "redact",
]

#: Loaded on first use, so a store's write check costs nothing until something is written.
_LAZY = {
    "find_identifiers": "coprod_tui.core.privacy.finder",
    "redact": "coprod_tui.core.privacy.finder",
    "luhn_ok": "coprod_tui.core.privacy.numbers",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(module_name), name)
