"""The template model: what a case follows, as plain immutable records.

These classes are the contract the store, the CLI and the UI code against;
content in cases is keyed by ``Section.id``. This module imports no YAML (nor
anything heavy): importing ``Case`` or ``Template`` costs a script nothing, and
a template read from the cache never touches the YAML reader at all. Reading
files lives in :mod:`.reader`, validation in :mod:`.checker`.

The small records are ``NamedTuple`` classes rather than data classes: every
CLI command builds them at start-up, and a data class costs about ten times
as much to define (its methods are generated and compiled at import).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from coprod_tui.core.errors import UserInputError

FIELD_TYPES = ("text", "date", "choice")


class Perspective(NamedTuple):
    """One of the coproduction model's points of view (e.g. the patient-person)."""

    id: str
    title: str
    description: str = ""


class FieldSpec(NamedTuple):
    """A piece of case metadata (setting, role, date, ...)."""

    id: str
    label: str
    type: str = "text"  # "text" | "date" | "choice"
    choices: tuple[str, ...] = ()
    required: bool = False


class Section(NamedTuple):
    """One section of a case: stable id, title, guiding questions."""

    id: str
    title: str
    description: str = ""
    perspective: str | None = None
    questions: tuple[str, ...] = ()
    renamed_from: tuple[str, ...] = ()


class Template(NamedTuple):
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
    #: The file it was read from (``None`` for one built in code). Not part of
    #: what the template *is*: a copy in another folder equals the original.
    path: Path | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Template):
            return NotImplemented
        return self[:-1] == other[:-1]  # every field but ``path`` (the last)

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(self[:-1])

    def section(self, section_id: str) -> Section:
        """The section with this id; ``KeyError`` if there is none."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def section_ids(self) -> list[str]:
        """Section ids in template order."""
        return [section.id for section in self.sections]

    def filled_count(self, section_ids: Iterable[str]) -> int:
        """How many of this template's sections the given filled section ids fill.

        ``section_ids`` are the ids a case holds text under, as stored (the
        catalog's ``filled``): text under an id a section lists in
        ``renamed_from`` counts for that section, exactly as the editor maps
        it, so the list's progress and the editor's always agree. Ids the
        template does not know (orphans) count for nothing.
        """
        given = set(section_ids)
        return sum(
            1
            for section in self.sections
            if section.id in given or any(old in given for old in section.renamed_from)
        )

    def perspective(self, perspective_id: str | None) -> Perspective | None:
        """The perspective with this id, or ``None``."""
        for perspective in self.perspectives:
            if perspective.id == perspective_id:
                return perspective
        return None


# --------------------------------------------------------------------------- problems


class Problem(NamedTuple):
    """One thing wrong with a template file, at a 1-based line and column."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class TemplateError(UserInputError):
    """A template file has problems; ``str()`` lists every one, a line each."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


# --------------------------------------------------------------------------- plain data (cache)


def template_to_data(template: Template) -> dict[str, Any]:
    """A template as JSON-ready data (for the parsed-template cache; ``path`` is left out)."""
    return {
        "id": template.id,
        "version": template.version,
        "title": template.title,
        "language": template.language,
        "source": template.source,
        "description": template.description,
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "description": s.description,
                "perspective": s.perspective,
                "questions": list(s.questions),
                "renamed_from": list(s.renamed_from),
            }
            for s in template.sections
        ],
        "perspectives": [
            {"id": p.id, "title": p.title, "description": p.description}
            for p in template.perspectives
        ],
        "fields": [
            {
                "id": f.id,
                "label": f.label,
                "type": f.type,
                "choices": list(f.choices),
                "required": f.required,
            }
            for f in template.fields
        ],
    }


def template_from_data(data: Any, path: Path | None = None) -> Template:
    """The template :func:`template_to_data` made; ``ValueError`` for anything else.

    The cache is a file on disk that anything could have changed, so every
    value's type is checked: a damaged entry is refused, never half-trusted.
    """

    def text(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError("expected text")
        return value

    def texts(value: Any) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise ValueError("expected a list")
        return tuple(text(item) for item in value)

    def items(value: Any) -> list[dict[str, Any]]:
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise ValueError("expected a list of mappings")
        return value

    try:
        version = data["version"]
        if not isinstance(version, int) or isinstance(version, bool):
            raise ValueError("expected a whole number")
        sections = tuple(
            Section(
                id=text(s["id"]),
                title=text(s["title"]),
                description=text(s["description"]),
                perspective=None if s["perspective"] is None else text(s["perspective"]),
                questions=texts(s["questions"]),
                renamed_from=texts(s["renamed_from"]),
            )
            for s in items(data["sections"])
        )
        perspectives = tuple(
            Perspective(
                id=text(p["id"]), title=text(p["title"]), description=text(p["description"])
            )
            for p in items(data["perspectives"])
        )
        fields = []
        for f in items(data["fields"]):
            if not isinstance(f["required"], bool):
                raise ValueError("expected true or false")
            fields.append(
                FieldSpec(
                    id=text(f["id"]),
                    label=text(f["label"]),
                    type=text(f["type"]),
                    choices=texts(f["choices"]),
                    required=f["required"],
                )
            )
        if not sections:
            raise ValueError("a template has sections")
        return Template(
            id=text(data["id"]),
            version=version,
            title=text(data["title"]),
            language=text(data["language"]),
            source=text(data["source"]),
            description=text(data["description"]),
            sections=sections,
            perspectives=perspectives,
            fields=tuple(fields),
            path=path,
        )
    except (KeyError, TypeError) as error:
        raise ValueError(f"not a cached template: {error!r}") from None
