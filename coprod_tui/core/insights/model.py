"""The insight document: a short note of what was learned, its links, and an optional plan.

An insight's *links* point at a case and a section by id (never by title or
position), so renaming a case changes nothing and a section renamed in the
template (``renamed_from``) still resolves. A link may quote a passage; it
keeps the text just before and after the quote as it was when linked, so the
quote can be found again after the text around it was edited (see
:mod:`coprod_tui.core.insights.anchoring`).

A *plan* is a test of change in the Plan–Do–Study–Act form, with its dates and
status. Every value is checked on read, like :meth:`Case.from_dict`: a bad
value makes that one insight damaged (one clear ``ValueError`` naming the
field, never echoing the value) instead of breaking whatever lists it. Keys
this version does not know are kept in ``extra`` and written back.

Off the start-up path of ``coprod show``/``write``/``list``, so data classes
are used freely.
"""

from __future__ import annotations

import copy
import datetime as _dt
from dataclasses import dataclass, field, fields, replace
from typing import Any

from coprod_tui.core.case import (
    _TAG_FORBIDDEN,
    MAX_ITEMS,
    MAX_NAME,
    MAX_REVISION,
    MAX_TEMPLATE_VERSION,
    _check_extra,
    _int,
    _stamp,
    _tags,
    _text,
    is_case_id,
    new_case_id,
    normalise_tags,
    utc_now,
)
from coprod_tui.core.i18n import _

#: Bumped when the on-disk shape of an insight changes incompatibly (see ``CASE_FORMAT``).
INSIGHT_FORMAT = 1
#: An insight's title is short: a line in a list.
MAX_INSIGHT_TITLE = 500
#: Its text, a quote, a plan's texts: generous, bounded.
MAX_INSIGHT_TEXT = 200_000
MAX_QUOTE = 10_000
#: Characters of context kept on each side of a quote when it is linked.
CONTEXT = 40
MAX_CONTEXT = 1_000
#: Links per insight.
MAX_LINKS = MAX_ITEMS

PLAN_STATUSES = ("open", "running", "adopted", "adapted", "abandoned")
#: Statuses of a plan still being worked on (the "Now what?" list).
OPEN_STATUSES = ("open", "running")

KEY_ORDER = (
    "id",
    "title",
    "text",
    "tags",
    "links",
    "plan",
    "created",
    "updated",
    "revision",
    "saved_by",
    "conflict_of",
    "format",
)
KNOWN_KEYS = frozenset(KEY_ORDER)
_LINK_KEYS = frozenset(("case_id", "section_id", "quote", "before", "after", "linked"))
_PLAN_KEYS = frozenset(("plan", "do", "study", "act", "start", "due", "status"))


#: An insight's title is one line of plain text (the rule for tags: see ``core.case``).
_TITLE_FORBIDDEN = _TAG_FORBIDDEN


def _optional_text(data: dict[str, Any], key: str, limit: int) -> str:
    return _text(data, key, limit, default="")


def _date(data: dict[str, Any], key: str) -> str:
    """An ISO date (``YYYY-MM-DD``) or ``""``."""
    value = _optional_text(data, key, 32)
    if value == "":
        return ""
    problem = date_problem(value)
    if problem is not None:
        raise ValueError(_("plan {key!r} {problem}").format(key=key, problem=problem))
    return value


def date_problem(value: str) -> str | None:
    """Why ``value`` is not an ISO date such as 2026-12-01, or ``None``."""
    try:
        day = _dt.date.fromisoformat(value)
    except ValueError:
        return _("must be a date such as 2026-12-01")
    if len(value) != 10 or not 1900 <= day.year <= 9000:
        return _("must be a date such as 2026-12-01")
    return None


@dataclass(frozen=True)
class Link:
    """A case section an insight came from; optionally a quoted passage of it.

    ``before`` and ``after`` are up to :data:`CONTEXT` characters of the
    section's text just before and after the quote when it was linked (shorter
    at the start or end of the text). ``linked`` is when.
    """

    case_id: str
    section_id: str
    quote: str = ""
    before: str = ""
    after: str = ""
    linked: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes two links the same link (links merge as a set of these)."""
        return (self.case_id, self.section_id, self.quote)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"case_id": self.case_id, "section_id": self.section_id}
        if self.quote:
            data.update(quote=self.quote, before=self.before, after=self.after)
        if self.linked:
            data["linked"] = self.linked
        return data

    @classmethod
    def from_dict(cls, data: Any, number: int = 1) -> Link:
        """One link; ``ValueError`` naming the link and the field."""
        where = _("link {number}").format(number=number)
        if not isinstance(data, dict):
            raise ValueError(_("{where} must be an object").format(where=where))
        unknown = set(data) - _LINK_KEYS
        if unknown:
            raise ValueError(_("{where} has an unknown key").format(where=where))
        if not is_case_id(data.get("case_id")):
            raise ValueError(_("{where}: 'case_id' is not a case id").format(where=where))
        try:
            section_id = _text(data, "section_id", MAX_NAME)
            if not section_id:
                raise ValueError(_("'section_id' is empty"))
            link = cls(
                case_id=data["case_id"],
                section_id=section_id,
                quote=_optional_text(data, "quote", MAX_QUOTE),
                before=_optional_text(data, "before", MAX_CONTEXT),
                after=_optional_text(data, "after", MAX_CONTEXT),
                linked=_stamp(data, "linked") if data.get("linked") else "",
            )
        except ValueError as error:
            raise ValueError(_("{where}: {error}").format(where=where, error=error)) from None
        return link


@dataclass(frozen=True)
class Plan:
    """A test of change in the Plan–Do–Study–Act form."""

    plan: str = ""
    do: str = ""
    study: str = ""
    act: str = ""
    #: ISO dates (``YYYY-MM-DD``) or ``""``.
    start: str = ""
    due: str = ""
    status: str = "open"

    @property
    def is_open(self) -> bool:
        """Still being worked on (open or running)."""
        return self.status in OPEN_STATUSES

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: Any) -> Plan:
        """A plan; ``ValueError`` naming the field."""
        if not isinstance(data, dict):
            raise ValueError(_("'plan' must be an object"))
        if set(data) - _PLAN_KEYS:
            raise ValueError(_("'plan' has an unknown key"))
        try:
            texts = {
                key: _optional_text(data, key, MAX_INSIGHT_TEXT)
                for key in ("plan", "do", "study", "act")
            }
        except ValueError as error:
            raise ValueError(_("plan: {error}").format(error=error)) from None
        status = data.get("status", "open")
        if status not in PLAN_STATUSES:
            raise ValueError(
                _("plan 'status' must be one of {join}").format(join=", ".join(PLAN_STATUSES))
            )
        start, due = _date(data, "start"), _date(data, "due")
        if start and due and due < start:
            raise ValueError(_("plan 'due' is before its 'start'"))
        return cls(**texts, start=start, due=due, status=status)

    def check(self) -> None:
        """``ValueError`` unless this plan reads back as itself."""
        Plan.from_dict(self.to_dict())


@dataclass
class Insight:
    """One insight: what was learned, the case sections it came from, and what to try."""

    id: str
    title: str
    text: str = ""
    tags: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    plan: Plan | None = None
    created: str = ""
    updated: str = ""
    revision: int = 0
    saved_by: str = ""
    #: For a conflict copy: the id of the insight it diverged from.
    conflict_of: str | None = None
    format: int = INSIGHT_FORMAT
    #: Top-level keys this version does not know: kept and written back.
    extra: dict[str, Any] = field(default_factory=dict)

    __hash__ = None  # type: ignore[assignment]  # mutable

    @property
    def newer_format(self) -> bool:
        """Written by a newer coprod: show and export it, never write it here."""
        return self.format > INSIGHT_FORMAT

    def case_ids(self) -> list[str]:
        """The cases this insight links to, each once, in link order."""
        return list(dict.fromkeys(link.case_id for link in self.links))

    def cites(self, case_id: str, section_id: str | None = None) -> bool:
        """Whether a link points at that case (and, if given, that section id)."""
        return any(
            link.case_id == case_id and (section_id is None or link.section_id == section_id)
            for link in self.links
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (a deep copy); unknown keys come back too (known keys win)."""
        data: dict[str, Any] = copy.deepcopy(self.extra)
        data.update(
            id=self.id,
            title=self.title,
            text=self.text,
            tags=list(self.tags),
            links=[link.to_dict() for link in self.links],
            plan=None if self.plan is None else self.plan.to_dict(),
            created=self.created,
            updated=self.updated,
            revision=self.revision,
            saved_by=self.saved_by,
            conflict_of=self.conflict_of,
            format=self.format,
        )
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Insight:
        """Build an insight from :meth:`to_dict` output; ``ValueError`` on a bad shape or value."""
        if not isinstance(data, dict):
            raise ValueError(_("an insight must be a JSON object"))
        if not is_case_id(data.get("id")):
            raise ValueError(_("'id' is not an insight id (a lower-case uuid)"))
        raw_links = data.get("links", [])
        if not isinstance(raw_links, list):
            raise ValueError(_("'links' must be a list"))
        if len(raw_links) > MAX_LINKS:
            raise ValueError(
                _("'links' has more than {MAX_LINKS} links").format(MAX_LINKS=MAX_LINKS)
            )
        links = [Link.from_dict(raw, number) for number, raw in enumerate(raw_links, start=1)]
        raw_plan = data.get("plan")
        conflict_of = data.get("conflict_of")
        if conflict_of in (None, ""):
            conflict_of = None
        elif not is_case_id(conflict_of):
            raise ValueError(_("'conflict_of' must be empty or an insight id"))
        title = _text(data, "title", MAX_INSIGHT_TITLE)
        if _TITLE_FORBIDDEN.search(title):
            raise ValueError(_("'title' holds a line break or another control character"))
        insight = cls(
            id=data["id"],
            title=title,
            text=_optional_text(data, "text", MAX_INSIGHT_TEXT),
            tags=_tags(data),
            links=links,
            plan=None if raw_plan is None else Plan.from_dict(raw_plan),
            created=_stamp(data, "created"),
            updated=_stamp(data, "updated"),
            revision=_int(data, "revision", 0, MAX_REVISION),
            saved_by=_text(data, "saved_by", MAX_NAME, default=""),
            conflict_of=conflict_of,
            format=_int(data, "format", 1, MAX_TEMPLATE_VERSION, default=1),
        )
        extra = {key: value for key, value in data.items() if key not in KNOWN_KEYS}
        for key, value in extra.items():
            _check_extra(key, value)
        insight.extra = copy.deepcopy(extra)
        return insight

    def check(self) -> None:
        """``ValueError`` unless this insight reads back as itself (call before writing it)."""
        if not self.title.strip():
            raise ValueError(_("an insight needs a title"))
        Insight.from_dict(self.to_dict())

    def copy(self) -> Insight:
        """A deep copy, so callers can edit without aliasing."""
        return copy.deepcopy(self)

    def replace(self, **changes: Any) -> Insight:
        """A new insight with ``changes`` applied (``dataclasses.replace``)."""
        return replace(self, **changes)


def new_insight(
    title: str,
    *,
    text: str = "",
    tags: list[str] | None = None,
    links: list[Link] | None = None,
    plan: Plan | None = None,
    now: str | None = None,
) -> Insight:
    """A fresh insight (revision 0: not yet stored); ``ValueError`` for an empty title."""
    cleaned = title.strip()
    if not cleaned:
        raise ValueError(_("an insight needs a title"))
    if _TITLE_FORBIDDEN.search(cleaned):
        raise ValueError(_("an insight's title is one line: no line breaks or control characters"))
    if len(cleaned) > MAX_INSIGHT_TITLE:
        raise ValueError(
            _("an insight's title can be at most {MAX_INSIGHT_TITLE} characters").format(
                MAX_INSIGHT_TITLE=MAX_INSIGHT_TITLE
            )
        )
    stamp = now or utc_now()
    return Insight(
        id=new_case_id(),
        title=cleaned,
        text=text,
        tags=normalise_tags(tags or []),
        links=dedupe_links(links or []),
        plan=plan,
        created=stamp,
        updated=stamp,
    )


def dedupe_links(links: list[Link]) -> list[Link]:
    """Links with duplicates (same case, section and quote) dropped, first kept, order kept."""
    seen: dict[tuple[str, str, str], Link] = {}
    for link in links:
        seen.setdefault(link.key, link)
    return list(seen.values())


def with_link(insight: Insight, link: Link) -> Insight:
    """A copy of ``insight`` with ``link`` added (unchanged if the same link is there)."""
    result = insight.copy()
    result.links = dedupe_links([*result.links, link])
    return result


__all__ = [
    "CONTEXT",
    "INSIGHT_FORMAT",
    "MAX_INSIGHT_TITLE",
    "OPEN_STATUSES",
    "PLAN_STATUSES",
    "Insight",
    "Link",
    "Plan",
    "date_problem",
    "dedupe_links",
    "new_insight",
    "with_link",
]
