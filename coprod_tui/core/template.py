"""Templates: the sections, guiding questions and perspectives a case follows.

INTERFACE SKETCH — the data classes below are the contract the store and the UI
code against. Loading/validation is implemented by the templates work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Perspective:
    """One of the coproduction model's points of view (e.g. the patient-person)."""

    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class FieldSpec:
    """A piece of case metadata (setting, role, date, ...)."""

    id: str
    label: str
    type: str = "text"  # "text" | "date" | "choice"
    choices: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class Section:
    """One section of a case: stable id, title, guiding questions."""

    id: str
    title: str
    description: str = ""
    perspective: str | None = None
    questions: tuple[str, ...] = ()
    renamed_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class Template:
    """A whole template. Content in cases is keyed by ``Section.id``."""

    id: str
    version: int
    title: str
    language: str
    source: str
    sections: tuple[Section, ...]
    description: str = ""
    perspectives: tuple[Perspective, ...] = ()
    fields: tuple[FieldSpec, ...] = ()
    path: Path | None = field(default=None, compare=False)

    def section(self, section_id: str) -> Section:
        """The section with this id; ``KeyError`` if there is none."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def section_ids(self) -> list[str]:
        """Section ids in template order."""
        return [section.id for section in self.sections]

    def perspective(self, perspective_id: str | None) -> Perspective | None:
        """The perspective with this id, or ``None``."""
        for perspective in self.perspectives:
            if perspective.id == perspective_id:
                return perspective
        return None
