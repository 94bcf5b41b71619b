"""What the identifier guard reports, and how a hit is named, labelled and masked.

One record for every finder (:class:`Identifier`), so the write check, ``coprod lint``,
the exports and the editor's underlines all speak of the same thing. The masked form
(:func:`mask`) exists because a warning that printed the whole number would itself be
the leak it warns about: terminal scrollback, CI logs and shared screens keep it.
"""

from __future__ import annotations

from typing import NamedTuple

from coprod_tui.core.i18n import N_, _

__all__ = [
    "CERTAINTIES",
    "KINDS",
    "LABELS",
    "Identifier",
    "describe",
    "kind_label",
    "mask",
]

#: Every kind a finder reports, in the order lists show them.
KINDS: tuple[str, ...] = (
    "personnummer",
    "samordningsnummer",
    "reservnummer",
    "phone",
    "email",
    "postcode",
    "address",
)

#: "sure": the shape and its own check (date, check digit, format) all hold.
#: "possible": the shape holds but a check failed (a mistyped personnummer still
#: identifies a person) or the shape is one that ordinary text can also take.
CERTAINTIES: tuple[str, ...] = ("sure", "possible")

#: The text :func:`~coprod_tui.core.privacy.redact` puts in place of a hit, per kind.
LABELS: dict[str, str] = {
    "personnummer": "[personnummer]",
    "samordningsnummer": "[samordningsnummer]",
    "reservnummer": "[reservnummer]",
    "phone": "[phone]",
    "email": "[e-mail]",
    "postcode": "[postcode]",
    "address": "[address]",
}

#: Readable names, in English and marked: :func:`kind_label` shows them in the user's language.
_READABLE: dict[str, str] = {
    "personnummer": N_("personnummer"),
    "samordningsnummer": N_("samordningsnummer"),
    "reservnummer": N_("reservnummer"),
    "phone": N_("phone number"),
    "email": N_("e-mail address"),
    "postcode": N_("postcode and place"),
    "address": N_("street address"),
}


class Identifier(NamedTuple):
    """One identifying detail found in a text.

    ``start``/``end`` are offsets into the text searched (``text[start:end] ==
    hit.text``), so callers can underline, jump to or replace exactly that span.
    """

    kind: str
    start: int
    end: int
    text: str
    certainty: str

    @property
    def sure(self) -> bool:
        """Whether every check held (``certainty == "sure"``)."""
        return self.certainty == "sure"

    @property
    def label(self) -> str:
        """The redaction label for this hit's kind (``[personnummer]``)."""
        return LABELS.get(self.kind, f"[{self.kind}]")


def kind_label(kind: str) -> str:
    """A readable name of ``kind`` for lists and messages ("phone number", "personnummer")."""
    return _(_READABLE[kind]) if kind in _READABLE else kind


def mask(text: str) -> str:
    """``text`` with all but its first few characters hidden: ``19121212-1212`` → ``1912…``.

    Enough for the writer to recognise which detail is meant (a year, an area
    code, a street's first letters), never enough to be the identifier.
    """
    if not text:
        return "…"
    shown = max(1, min(4, len(text) // 3))
    return text[:shown] + "…"


def describe(hit: Identifier) -> str:
    """One line naming a hit without revealing it: ``possible personnummer '1912…'``."""
    if hit.sure:
        return _("{kind} '{masked}'").format(kind=kind_label(hit.kind), masked=mask(hit.text))
    return _("possible {kind} '{masked}'").format(kind=kind_label(hit.kind), masked=mask(hit.text))
