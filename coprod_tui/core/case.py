"""The Case document and its pure operations.

A case is one written-up situation. Its text is keyed by section id, never by
title or position, so a team can reword titles and reorder sections without
touching stored cases. Text for a section the template no longer has is kept
as an *orphan*: shown to the user, never dropped.

Everything here is pure: functions take a case and return a new one. The store
persists cases; the UI edits them in memory.
"""

from __future__ import annotations

import copy
import re
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from coprod_tui.core.template import Template

#: Bumped when the on-disk shape of a case changes incompatibly.
CASE_FORMAT = 1


def utc_now() -> str:
    """Now as an ISO 8601 UTC timestamp with seconds precision (``...Z``)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class Case:
    """One case: metadata plus text per section id."""

    id: str
    title: str
    template_id: str
    template_version: int
    created: str
    updated: str
    tags: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    orphans: dict[str, str] = field(default_factory=dict)
    revision: int = 0
    saved_by: str = ""
    #: For a conflict copy: the id of the case it diverged from.
    conflict_of: str | None = None

    def text(self, section_id: str) -> str:
        """The text of a section ("" when nothing is written yet)."""
        return self.sections.get(section_id, "")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (a deep copy: mutating it never touches the case)."""
        data = asdict(self)
        data["format"] = CASE_FORMAT
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Case:
        """Build a case from :meth:`to_dict` output; ``ValueError`` on a bad shape."""
        if not isinstance(data, dict):
            raise ValueError("a case must be a JSON object")
        try:
            case = cls(
                id=_str(data, "id"),
                title=_str(data, "title"),
                template_id=_str(data, "template_id"),
                template_version=int(data.get("template_version", 0)),
                created=_str(data, "created"),
                updated=_str(data, "updated"),
                tags=[str(t) for t in _list(data, "tags")],
                fields={str(k): str(v) for k, v in _dict(data, "fields").items()},
                sections={str(k): str(v) for k, v in _dict(data, "sections").items()},
                orphans={str(k): str(v) for k, v in _dict(data, "orphans").items()},
                revision=int(data.get("revision", 0)),
                saved_by=str(data.get("saved_by", "")),
                conflict_of=data.get("conflict_of") or None,
            )
        except (TypeError, ValueError) as error:
            raise ValueError(f"malformed case: {error}") from None
        return case

    def copy(self) -> Case:
        """A deep copy, so callers can edit without aliasing."""
        return copy.deepcopy(self)


def _str(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be a string")
    return value


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f"{key!r} must be a list")
    return value


def _dict(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ValueError(f"{key!r} must be an object")
    return value


def new_case_id() -> str:
    """A fresh random id. uuid4 ids are never reused, even across stores."""
    return str(uuid.uuid4())


def new_case(
    title: str,
    template: Template,
    *,
    tags: list[str] | None = None,
    fields: dict[str, str] | None = None,
    now: str | None = None,
) -> Case:
    """A blank case following ``template`` (revision 0: not yet stored)."""
    stamp = now or utc_now()
    return Case(
        id=new_case_id(),
        title=title,
        template_id=template.id,
        template_version=template.version,
        created=stamp,
        updated=stamp,
        tags=normalise_tags(tags or []),
        fields=dict(fields or {}),
    )


def normalise_tags(tags: list[str]) -> list[str]:
    """Tags trimmed, empty ones dropped, duplicates removed, order kept."""
    seen: dict[str, None] = {}
    for tag in tags:
        cleaned = tag.strip()
        if cleaned and cleaned not in seen:
            seen[cleaned] = None
    return list(seen)


def set_section_text(case: Case, section_id: str, text: str) -> Case:
    """A copy of ``case`` with one section's text replaced."""
    updated = case.copy()
    updated.sections[section_id] = text
    return updated


def is_filled(text: str) -> bool:
    """A section counts as filled once it holds any non-blank text."""
    return bool(text.strip())


def filled_section_ids(case: Case, template: Template) -> list[str]:
    """Ids of the template's sections that hold text, in template order."""
    return [s.id for s in template.sections if is_filled(case.text(s.id))]


def progress(case: Case, template: Template) -> tuple[int, int]:
    """(filled sections, total sections) of ``case`` against ``template``."""
    return len(filled_section_ids(case, template)), len(template.sections)


_WORD = re.compile(r"\S+")


def word_count(text: str) -> int:
    """Words as a writer counts them: runs of non-space characters."""
    return len(_WORD.findall(text))


def apply_template(case: Case, template: Template) -> Case:
    """Map a case's text onto ``template``, never dropping a word.

    Text under an id listed in a section's ``renamed_from`` moves to that
    section (appended after any text already there). Text under an id the
    template does not know becomes an orphan. Orphans whose id the template
    knows again are brought back.
    """
    result = case.copy()
    known = {s.id for s in template.sections}
    renames = {old: s.id for s in template.sections for old in s.renamed_from}

    sections: dict[str, str] = {}
    orphans: dict[str, str] = dict(result.orphans)
    # Current ids first so renamed text is appended after existing text.
    for section_id, text in result.sections.items():
        if section_id in known:
            sections[section_id] = _join(sections.get(section_id, ""), text)
    for section_id, text in result.sections.items():
        if section_id in known:
            continue
        target = renames.get(section_id)
        if target is not None:
            sections[target] = _join(sections.get(target, ""), text)
        elif is_filled(text):
            orphans[section_id] = _join(orphans.get(section_id, ""), text)
    for orphan_id in list(orphans):
        target = orphan_id if orphan_id in known else renames.get(orphan_id)
        if target is not None:
            sections[target] = _join(sections.get(target, ""), orphans.pop(orphan_id))

    result.sections = sections
    result.orphans = orphans
    result.template_id = template.id
    result.template_version = template.version
    return result


def adopt_orphan(case: Case, orphan_id: str, section_id: str) -> Case:
    """Move an orphan's text to the end of a section; the orphan goes away."""
    if orphan_id not in case.orphans:
        raise KeyError(orphan_id)
    result = case.copy()
    text = result.orphans.pop(orphan_id)
    result.sections[section_id] = _join(result.sections.get(section_id, ""), text)
    return result


def _join(existing: str, addition: str) -> str:
    """Join two texts with a blank line, skipping empty parts."""
    if not is_filled(existing):
        return addition
    if not is_filled(addition):
        return existing
    return existing.rstrip("\n") + "\n\n" + addition
