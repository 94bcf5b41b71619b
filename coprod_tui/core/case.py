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
import math
import re
from dataclasses import dataclass, field
from typing import Any

from coprod_tui.core.template import Template
from coprod_tui.core.timefmt import parse as parse_stamp
from coprod_tui.core.timefmt import utc_now_stamp

#: Bumped when the on-disk shape of a case changes incompatibly. A case file
#: carrying a higher ``format`` was written by a newer coprod: it is listed,
#: shown and exported whole, but never written (see :attr:`Case.newer_format`).
CASE_FORMAT = 1

#: Bounds of the values a case file or an import may hold. Generous for any
#: real case, small enough that a hostile file cannot make listing or the
#: terminal choke. The file as a whole is capped by ``storage.MAX_JSON_BYTES``.
MAX_TITLE = 10_000
MAX_NAME = 1_000  # template id, author, tag, field name, section id
MAX_FIELD_VALUE = 100_000
MAX_ITEMS = 10_000  # tags, fields, sections, orphans (each)
MAX_REVISION = 2**53  # exclusive: every revision is exact in any JSON reader
MAX_TEMPLATE_VERSION = 2**31  # exclusive
MAX_STAMP = 64
#: Unknown values (kept for a newer coprod) may nest at most this deep.
MAX_EXTRA_DEPTH = 32

#: The top-level keys this version knows, in the order a case file lists them;
#: every other key is kept in ``extra``.
KEY_ORDER = (
    "id",
    "title",
    "template_id",
    "template_version",
    "created",
    "updated",
    "tags",
    "fields",
    "sections",
    "orphans",
    "revision",
    "saved_by",
    "conflict_of",
    "format",
)
KNOWN_KEYS = frozenset(KEY_ORDER)

_CASE_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def utc_now() -> str:
    """Now as an ISO 8601 UTC timestamp with seconds precision (``...Z``)."""
    return utc_now_stamp()


def is_case_id(text: object) -> bool:
    """Whether ``text`` is a full, canonical (lower-case uuid) case id."""
    return isinstance(text, str) and bool(_CASE_ID.match(text))


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
    #: The case file's ``format`` (a missing one counts as 1).
    format: int = CASE_FORMAT
    #: Top-level keys this version does not know (written by a newer coprod):
    #: kept as they were and written back, so an older coprod never erases them.
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def newer_format(self) -> bool:
        """Written by a newer coprod: show and export it, but never write it here."""
        return self.format > CASE_FORMAT

    def text(self, section_id: str) -> str:
        """The text of a section ("" when nothing is written yet)."""
        return self.sections.get(section_id, "")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (a deep copy: mutating it never touches the case).

        Unknown keys read from the file come back too (known keys win), so
        load-then-save keeps what a newer coprod wrote.
        """
        data: dict[str, Any] = copy.deepcopy(self.extra)
        data.update(
            id=self.id,
            title=self.title,
            template_id=self.template_id,
            template_version=self.template_version,
            created=self.created,
            updated=self.updated,
            tags=list(self.tags),
            fields=dict(self.fields),
            sections=dict(self.sections),
            orphans=dict(self.orphans),
            revision=self.revision,
            saved_by=self.saved_by,
            conflict_of=self.conflict_of,
            format=self.format,
        )
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Case:
        """Build a case from :meth:`to_dict` output; ``ValueError`` on a bad shape or value.

        Every field is checked for type and range, so a bad value makes this
        one case *damaged* instead of breaking whatever lists or shows it.
        Messages name the field, never echo the value (it may be hostile).
        """
        if not isinstance(data, dict):
            raise ValueError("a case must be a JSON object")
        if not is_case_id(data.get("id")):
            raise ValueError("'id' is not a case id (a lower-case uuid)")
        case = cls(
            id=data["id"],
            title=_text(data, "title", MAX_TITLE),
            template_id=_text(data, "template_id", MAX_NAME),
            template_version=_int(data, "template_version", 0, MAX_TEMPLATE_VERSION),
            created=_stamp(data, "created"),
            updated=_stamp(data, "updated"),
            tags=_tags(data),
            fields=_mapping(data, "fields", MAX_FIELD_VALUE),
            sections=_mapping(data, "sections", None),
            orphans=_mapping(data, "orphans", None),
            revision=_int(data, "revision", 0, MAX_REVISION),
            saved_by=_text(data, "saved_by", MAX_NAME, default=""),
            conflict_of=_conflict_of(data),
            format=_int(data, "format", 1, MAX_TEMPLATE_VERSION, default=1),
        )
        extra = {key: value for key, value in data.items() if key not in KNOWN_KEYS}
        for key, value in extra.items():
            _check_extra(key, value)
        case.extra = copy.deepcopy(extra)
        return case

    def check(self) -> None:
        """``ValueError`` unless this case reads back as itself (call before writing it)."""
        Case.from_dict(self.to_dict())

    def copy(self) -> Case:
        """A deep copy, so callers can edit without aliasing."""
        return copy.deepcopy(self)


_MISSING = object()


def _clean(value: str, key: str) -> str:
    if _SURROGATE.search(value):
        raise ValueError(f"{key!r} holds characters that cannot be saved (a lone surrogate)")
    return value


def _text(data: dict[str, Any], key: str, limit: int, default: Any = _MISSING) -> str:
    value = data.get(key, default)
    if value is _MISSING:
        raise ValueError(f"{key!r} is missing")
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be a string")
    if len(value) > limit:
        raise ValueError(f"{key!r} is longer than {limit} characters")
    return _clean(value, key)


def _int(data: dict[str, Any], key: str, low: int, high: int, default: int = 0) -> int:
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{key!r} must be a whole number")
    if not low <= value < high:
        raise ValueError(f"{key!r} is out of range ({low} to {high - 1})")
    return value


def _stamp(data: dict[str, Any], key: str) -> str:
    value = _text(data, key, MAX_STAMP)
    moment = parse_stamp(value)
    if moment is None:
        raise ValueError(f"{key!r} must be an ISO 8601 time such as 2026-11-28T14:03:12Z")
    if not 1900 <= moment.year <= 9000:
        raise ValueError(f"{key!r} is not a plausible time (year {moment.year})")
    return value


def _tags(data: dict[str, Any]) -> list[str]:
    value = data.get("tags", [])
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise ValueError("'tags' must be a list of strings")
    if len(value) > MAX_ITEMS or any(len(tag) > MAX_NAME for tag in value):
        raise ValueError("'tags' has too many or too long tags")
    return [_clean(tag, "tags") for tag in value]


def _mapping(data: dict[str, Any], key: str, limit: int | None) -> dict[str, str]:
    value = data.get(key, {})
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError(f"{key!r} must be an object of strings")
    if len(value) > MAX_ITEMS:
        raise ValueError(f"{key!r} has more than {MAX_ITEMS} entries")
    for name, text in value.items():
        if len(name) > MAX_NAME or (limit is not None and len(text) > limit):
            raise ValueError(f"{key!r} has a name or value that is too long")
        _clean(name, key)
        _clean(text, key)
    return dict(value)


def _conflict_of(data: dict[str, Any]) -> str | None:
    value = data.get("conflict_of")
    if value is None or value == "":
        return None
    if not is_case_id(value):
        raise ValueError("'conflict_of' must be empty or a case id")
    return str(value)


def _check_extra(key: str, value: Any, depth: int = 0) -> None:
    """An unknown value must be plain JSON we can write back exactly."""
    if depth == 0:
        _clean(key, "an unknown key")
        key = repr(key[:40])  # named in messages: short, escapes shown as text
    if depth > MAX_EXTRA_DEPTH:
        raise ValueError(f"unknown key {key} nests deeper than {MAX_EXTRA_DEPTH} levels")
    if isinstance(value, str):
        _clean(value, key)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"unknown key {key} holds a number JSON cannot store")
    elif isinstance(value, list):
        for item in value:
            _check_extra(key, item, depth + 1)
    elif isinstance(value, dict):
        for name, item in value.items():
            _clean(name, key)
            _check_extra(key, item, depth + 1)
    elif value is not None and not isinstance(value, (bool, int)):
        raise ValueError(f"unknown key {key} holds a value JSON cannot store")


def new_case_id() -> str:
    """A fresh random id. uuid4 ids are never reused, even across stores."""
    import uuid  # only a new case needs it (it imports platform)

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
    """Tags trimmed, empty ones dropped, duplicates removed, order kept.

    The one rule for what a tag list holds. Duplicates are found without
    regard to case (``Akut`` and ``akut`` are one tag); the spelling that came
    first is kept. Whether a single tag may be stored at all is
    :func:`tag_problem`.
    """
    seen: dict[str, str] = {}
    for tag in tags:
        cleaned = tag.strip()
        if cleaned and tag_key(cleaned) not in seen:
            seen[tag_key(cleaned)] = cleaned
    return list(seen.values())


def tag_key(tag: str) -> str:
    """What two tags are compared by: trimmed and case-folded (``Akut`` == ``AKUT ``)."""
    return tag.strip().casefold()


#: Characters a tag may not hold: controls (newlines, tabs, escapes), line and
#: paragraph separators, and the bidirectional overrides that can make a tag
#: look like something else on screen.
_TAG_FORBIDDEN = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def tag_problem(tag: str) -> str | None:
    """Why ``tag`` (as the user typed it; it is trimmed) cannot be a tag, or ``None``."""
    cleaned = tag.strip()
    if not cleaned:
        return "a tag cannot be empty"
    if len(cleaned) > MAX_NAME:
        return f"a tag can be at most {MAX_NAME} characters long"
    if _TAG_FORBIDDEN.search(cleaned):
        return "a tag cannot hold line breaks, tabs or other control characters"
    return None


def has_tags(tags: tuple[str, ...] | list[str], wanted: list[str]) -> bool:
    """Whether ``tags`` hold every tag in ``wanted`` (compared without regard to case)."""
    have = {tag_key(tag) for tag in tags}
    return all(tag_key(tag) in have for tag in wanted if tag.strip())


def change_tags(tags: list[str], add: list[str], remove: list[str]) -> list[str]:
    """``tags`` with ``remove`` taken out and ``add`` put in at the end (pure).

    Removal matches without regard to case; an added tag already there (in
    any case) keeps its first spelling and place. ``ValueError`` (with the
    reason, from :func:`tag_problem`) for a tag that cannot be stored, and
    when the result would hold more than :data:`MAX_ITEMS` tags.
    """
    for tag in (*add, *remove):
        problem = tag_problem(tag)
        if problem is not None:
            raise ValueError(problem)
    gone = {tag_key(tag) for tag in remove}
    result = normalise_tags([tag for tag in tags if tag_key(tag) not in gone] + list(add))
    if len(result) > MAX_ITEMS:
        raise ValueError(f"a case can have at most {MAX_ITEMS} tags")
    return result


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
