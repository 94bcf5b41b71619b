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
docstrings of :mod:`.numbers`, :mod:`.contact` and :mod:`.places`.
"""

from __future__ import annotations

from coprod_tui.core.privacy.finder import find_identifiers, redact
from coprod_tui.core.privacy.model import (
    CERTAINTIES,
    KINDS,
    LABELS,
    Identifier,
    describe,
    kind_label,
    mask,
)
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
