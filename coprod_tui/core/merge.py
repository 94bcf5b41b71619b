"""Three-way merge of two versions of a case against the version both started from.

Two windows (or a window and the CLI) that edit *different* sections of one
case have not disagreed about anything, so neither should be told there is a
conflict. A save therefore names the version it started from (its *base*);
the store compares, item by item, what each side changed since that base:

* changed on one side only: that side's value is taken, silently;
* changed on both sides to the same value: nothing to decide;
* changed on both sides differently: a :class:`Clash`. The merged case keeps
  the stored (their) value for it, and the caller keeps its own.

An *item* is one section's text, one orphan, one case field, the title, the
template, or one unknown top-level key kept from a newer coprod. Tags merge as
a set: a tag added on either side is kept, a tag removed on either side goes,
so tags never clash. Bookkeeping (id, revision, times, who saved) is never
merged: the store sets it.

Everything here is pure, so the rules can be tested without a store.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from coprod_tui.core.case import Case

#: Item key prefixes; a key is ``"section:<id>"``, ``"field:<id>"``, ``"title"``, ...
SECTION = "section:"
ORPHAN = "orphan:"
FIELD = "field:"
EXTRA = "extra:"
TITLE = "title"
TEMPLATE = "template"


class _Absent:
    """The value of an item a version does not have (distinct from ``""``)."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


@dataclass(frozen=True)
class Clash:
    """One item both sides changed, differently."""

    key: str
    base: Any
    mine: Any
    theirs: Any

    @property
    def section_id(self) -> str | None:
        """The section id for a section's text, else ``None``."""
        return self.key[len(SECTION) :] if self.key.startswith(SECTION) else None


@dataclass(frozen=True)
class Merge:
    """The outcome of :func:`merge`."""

    #: Theirs plus every change made on our side only (clashed items hold theirs).
    case: Case
    clashes: tuple[Clash, ...]
    #: Items whose merged value came from their side and differs from ours
    #: (an editor showing our version must show these anew).
    from_theirs: tuple[str, ...]


def items(case: Case) -> dict[str, Any]:
    """Every mergeable item of ``case`` by key (empty texts count as absent)."""
    found: dict[str, Any] = {TITLE: case.title, TEMPLATE: (case.template_id, case.template_version)}
    found.update({SECTION + k: v for k, v in case.sections.items() if v})
    found.update({ORPHAN + k: v for k, v in case.orphans.items() if v})
    found.update({FIELD + k: v for k, v in case.fields.items() if v})
    found.update({EXTRA + k: v for k, v in _extra(case).items()})
    return found


def item(case: Case, key: str) -> Any:
    """One item's value in ``case`` (:data:`ABSENT` if it has none)."""
    return items(case).get(key, ABSENT)


def set_item(case: Case, key: str, value: Any) -> None:
    """Set one item of ``case`` in place (:data:`ABSENT` removes it)."""
    if key == TITLE:
        case.title = "" if value is ABSENT else value
        return
    if key == TEMPLATE:
        if value is not ABSENT:
            case.template_id, case.template_version = value
        return
    if key.startswith(EXTRA):
        table = _extra(case)
    else:
        found = next((t for prefix, t in _tables(case) if key.startswith(prefix)), None)
        if found is None:
            raise KeyError(key)
        table = found
    name = key.split(":", 1)[1]
    if value is ABSENT:
        table.pop(name, None)
    else:
        table[name] = value


def _tables(case: Case) -> Iterator[tuple[str, dict[str, str]]]:
    yield SECTION, case.sections
    yield ORPHAN, case.orphans
    yield FIELD, case.fields


def _extra(case: Case) -> dict[str, Any]:
    """Unknown top-level keys kept from a newer coprod."""
    return case.extra


def merge(base: Case, mine: Case, theirs: Case) -> Merge:
    """Merge ``mine`` and ``theirs``, two edits of ``base`` (see the module docstring).

    The result starts from ``theirs`` (its id, revision and bookkeeping), so
    the store can write it as the next version of what it holds.
    """
    merged = theirs.copy()
    base_items, my_items, their_items = items(base), items(mine), items(theirs)
    clashes: list[Clash] = []
    from_theirs: list[str] = []
    for key in _ordered_keys(base_items, my_items, their_items):
        b = base_items.get(key, ABSENT)
        m = my_items.get(key, ABSENT)
        t = their_items.get(key, ABSENT)
        if m == t:
            continue
        if m == b:
            from_theirs.append(key)  # only they changed it: theirs stays
        elif t == b:
            set_item(merged, key, m)  # only we changed it
        else:
            clashes.append(Clash(key, b, m, t))
    merged.tags = merge_tags(base.tags, mine.tags, theirs.tags)
    if merged.tags != list(mine.tags):
        from_theirs.append("tags")
    return Merge(case=merged, clashes=tuple(clashes), from_theirs=tuple(from_theirs))


def merge_tags(base: list[str], mine: list[str], theirs: list[str]) -> list[str]:
    """Tags as a set: additions on either side kept, removals on either side honoured."""
    removed_by_me = set(base) - set(mine)
    kept = [tag for tag in theirs if tag not in removed_by_me]
    added_by_me = [tag for tag in mine if tag not in base and tag not in kept]
    return kept + added_by_me


def _ordered_keys(*tables: dict[str, Any]) -> list[str]:
    """Every key of the tables, first-seen order (stable, so results are predictable)."""
    seen: dict[str, None] = {}
    for table in tables:
        for key in table:
            seen.setdefault(key, None)
    return list(seen)


def join_both(mine: str, theirs: str, *, label: str) -> str:
    """Both texts of a clashed section, ours first, theirs under a clear marker."""
    marker = f"──── {label} ────"
    parts = [mine.rstrip("\n"), marker, theirs.rstrip("\n")]
    return "\n\n".join(part for part in parts if part) + "\n"
