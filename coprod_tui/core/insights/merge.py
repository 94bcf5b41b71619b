"""Three-way merge of two edits of one insight, against the version both started from.

The rules are the case merge's (:mod:`coprod_tui.core.merge`): an item only
one side changed is taken from that side; one both sides changed differently
is a :class:`~coprod_tui.core.merge.Clash` (the stored value stays, the
caller's whole text goes to a conflict copy). The items of an insight are its
title, its text, each field of its plan (``plan:do``, ...), and each unknown
top-level key. Tags and links merge as sets (a link is its case, section and
quote): what either side added is kept, what either side removed goes, so
they never clash. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from coprod_tui.core.case import normalise_tags, tag_key
from coprod_tui.core.insights.model import Insight, Link, Plan
from coprod_tui.core.merge import ABSENT, Clash

_PLAN_FIELDS = tuple(f.name for f in fields(Plan))


@dataclass(frozen=True)
class InsightMerge:
    """The merged insight, the items that clashed, and those taken from the stored side."""

    case: Insight  # named as the document folder expects of every kind's merge
    clashes: tuple[Clash, ...]
    from_theirs: tuple[str, ...]


def _items(insight: Insight) -> dict[str, Any]:
    items: dict[str, Any] = {"title": insight.title, "text": insight.text}
    if insight.plan is not None:
        for name in _PLAN_FIELDS:
            items[f"plan:{name}"] = getattr(insight.plan, name)
    for key, value in insight.extra.items():
        items[f"extra:{key}"] = value
    return items


def _merge_set(base: list[Any], mine: list[Any], theirs: list[Any], key: Any) -> list[Any]:
    """Theirs, plus what mine added, minus what mine removed (first spelling kept)."""
    base_keys = {key(item) for item in base}
    mine_keys = {key(item) for item in mine}
    removed = base_keys - mine_keys
    result = [item for item in theirs if key(item) not in removed]
    have = {key(item) for item in result}
    for item in mine:
        if key(item) not in base_keys and key(item) not in have:
            result.append(item)
            have.add(key(item))
    return result


def _merge_links(base: list[Link], mine: list[Link], theirs: list[Link]) -> list[Link]:
    merged = _merge_set(base, mine, theirs, lambda link: link.key)
    # The same link on both sides: mine's context wins only where theirs kept the base's.
    base_by = {link.key: link for link in base}
    mine_by = {link.key: link for link in mine}
    result = []
    for link in merged:
        old, new = base_by.get(link.key), mine_by.get(link.key)
        if new is not None and old is not None and link == old and new != old:
            link = new
        result.append(link)
    return result


def merge_insights(base: Insight, mine: Insight, theirs: Insight) -> InsightMerge:
    """Merge ``mine`` (the caller's edit) with ``theirs`` (stored), both from ``base``."""
    b, m, t = _items(base), _items(mine), _items(theirs)
    merged_items = dict(t)
    clashes: list[Clash] = []
    from_theirs: list[str] = []
    for key in dict.fromkeys([*b, *m, *t]):
        bv, mv, tv = b.get(key, ABSENT), m.get(key, ABSENT), t.get(key, ABSENT)
        if mv == tv:
            continue
        if mv == bv:
            from_theirs.append(key)
        elif tv == bv:
            merged_items[key] = mv
        else:
            clashes.append(Clash(key, bv, mv, tv))
    merged = theirs.copy()
    merged.title = merged_items.get("title", theirs.title)
    merged.text = merged_items.get("text", theirs.text)
    plan_values = {
        name: merged_items[f"plan:{name}"]
        for name in _PLAN_FIELDS
        if merged_items.get(f"plan:{name}", ABSENT) is not ABSENT
    }
    merged.plan = Plan(**plan_values) if plan_values else None
    merged.extra = {
        key[len("extra:") :]: value
        for key, value in merged_items.items()
        if key.startswith("extra:") and value is not ABSENT
    }
    tags = _merge_set(base.tags, mine.tags, theirs.tags, tag_key)
    merged.tags = normalise_tags(tags)
    merged.links = _merge_links(base.links, mine.links, theirs.links)
    return InsightMerge(merged, tuple(clashes), tuple(from_theirs))
