"""InsightStore: insights kept beside the cases, with every guarantee a case has.

Insights live in the same store folder as the cases, in folders of their own
(named in :mod:`coprod_tui.core.store.layout`)::

    insights/<id>.json                 one insight (a one-document TinyDB file, table "insight")
    insights-trash/<id>.json           trashed insights
    insights-history/<id>/<rev>-...    kept earlier versions
    insights-locks/<id>.lock           per-insight locks, never deleted
    insights-purged/<id>               marks of insights deleted for good

All the work is done by a :class:`~coprod_tui.core.store.documents.DocumentFolder`
on :data:`INSIGHT_KIND`, exactly as for cases: atomic private writes, locks,
revisions, three-way merge (:mod:`coprod_tui.core.insights.merge`) with a
conflict copy for a clash, history, trash, purge, observers and write checks.
The folders are made on the first write, so a store without insights has none.

Open it from a case store with :func:`insights_of`: it shares the store's
file modes (private, or shared with a group) and its author (``who``).
Listing reads every insight file (a thousand small files take a few tens of
milliseconds; no catalog is needed yet).
"""

from __future__ import annotations

import copy
import os
import stat
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coprod_tui.core.case import Case, change_tags, is_case_id, new_case_id, tag_key, utc_now
from coprod_tui.core.errors import CoprodError, UserInputError
from coprod_tui.core.i18n import N_, _
from coprod_tui.core.insights.anchoring import Anchor, resolve
from coprod_tui.core.insights.merge import merge_insights
from coprod_tui.core.insights.model import (
    INSIGHT_FORMAT,
    KEY_ORDER,
    MAX_INSIGHT_TITLE,
    Insight,
    Link,
    Plan,
    dedupe_links,
)
from coprod_tui.core.store.case_file import DocumentFile
from coprod_tui.core.store.documents import (
    DocumentFolder,
    DocumentKind,
    StoreObserver,
    WriteCheck,
    same_content,
    store_guard,
)
from coprod_tui.core.store.layout import (
    INSIGHTS,
    INSIGHTS_HISTORY,
    INSIGHTS_LOCKS,
    INSIGHTS_PURGED,
    INSIGHTS_TRASH,
    ids_in,
    purged_mark,
)
from coprod_tui.core.store.storage import DamagedFileError
from coprod_tui.core.store.types import (
    AmbiguousCaseId,
    CaseNotFound,
    DamagedCaseError,
    ImportReport,
    SaveResult,
)

if TYPE_CHECKING:
    from coprod_tui.core.store.case_store import CaseStore
    from coprod_tui.core.store.folder import FolderPolicy

__all__ = [
    "INSIGHT_FILE",
    "INSIGHT_KIND",
    "InsightItem",
    "InsightStore",
    "LinkView",
    "insights_of",
]

#: The layout of an insight file.
INSIGHT_FILE = DocumentFile("insight", "1", KEY_ORDER)


def _titled_copy(insight: Insight, new_id: str, who: str, stamp: str) -> Insight:
    """An insight's conflict copy: a new insight linked to it, titled so the user sees why."""
    copy = insight.copy()
    copy.id = new_id
    copy.conflict_of = insight.id
    suffix = f" (conflict copy, {who} {stamp})"
    copy.title = insight.title[: max(0, MAX_INSIGHT_TITLE - len(suffix))] + suffix
    copy.created = utc_now()
    return copy


def _adopt_copy(mine: Insight, held: Insight) -> None:
    """An updated conflict copy keeps the title, link and creation time it was made with."""
    mine.title, mine.conflict_of, mine.created = held.title, held.conflict_of, held.created


#: Insights as a kind of document (see :mod:`coprod_tui.core.store.documents`).
INSIGHT_KIND: DocumentKind[Insight] = DocumentKind(
    name="insight",
    file=INSIGHT_FILE,
    from_dict=Insight.from_dict,
    is_id=is_case_id,
    new_id=new_case_id,
    merge=merge_insights,
    conflict_copy=_titled_copy,
    active=INSIGHTS,
    trash=INSIGHTS_TRASH,
    history=INSIGHTS_HISTORY,
    locks=INSIGHTS_LOCKS,
    purged=INSIGHTS_PURGED,
    current_format=INSIGHT_FORMAT,
    hint=N_(" (see 'coprod insights')"),
)


@dataclass(frozen=True)
class InsightItem:
    """One insight of an export, and whether it was in the trash."""

    insight: Insight
    trashed: bool = False


@dataclass(frozen=True)
class LinkView:
    """A link as it resolves now: where it points, and the case's and section's names."""

    link: Link
    anchor: Anchor
    case_title: str = ""
    section_title: str = ""
    trashed: bool = False
    #: The case's date (its ``date`` field, else the day it was created; ``""`` when gone):
    #: the evidence is shown in this order (``core/insights/suggest.evidence``).
    case_date: str = ""


class InsightStore:
    """The insights of one store folder. Safe across processes and threads, as the cases are."""

    def __init__(
        self,
        path: Path,
        *,
        file_mode: int,
        dir_mode: int,
        who: str | Callable[[], str],
        observers: Sequence[StoreObserver] = (),
        checks: Sequence[WriteCheck] = (),
    ) -> None:
        self.path = path
        self.docs: DocumentFolder[Insight] = DocumentFolder(
            path,
            INSIGHT_KIND,
            file_mode=file_mode,
            dir_mode=dir_mode,
            who=who,
            observers=observers,
            checks=checks,
        )
        self._folders_made = False
        #: Per folder (active, trash): insight id -> (file stamp, the insight read then).
        self._scanned: dict[bool, dict[str, tuple[tuple[int, int, int, int], Insight]]] = {}

    # --- seams -----------------------------------------------------------------------

    def add_observer(self, observer: StoreObserver) -> None:
        """Tell ``observer`` after every durable write, move and purge of an insight."""
        self.docs.add_observer(observer)

    def add_write_check(self, check: WriteCheck) -> None:
        """Run ``check(insight)`` before every write of an insight (after its own checks)."""
        self.docs.add_write_check(check)

    def set_modes(self, policy: FolderPolicy) -> None:
        """Follow the store's file modes (after it was shared with a group)."""
        if (policy.file_mode, policy.dir_mode) != (self.docs.file_mode, self.docs.dir_mode):
            self.docs.set_modes(file_mode=policy.file_mode, dir_mode=policy.dir_mode)

    @property
    def who(self) -> str:
        """``user@host``: the author recorded on what this object writes."""
        return self.docs.who

    def _guard(self, action: str) -> Any:
        return store_guard(action, self.path)

    def _ready(self) -> None:
        """Make the insight folders on the first write (a store without insights has none)."""
        if not self._folders_made:
            self.docs.make_folders()
            self._folders_made = True

    # --- ids, reading ----------------------------------------------------------------

    def ids(self, *, trashed: bool = False) -> list[str]:
        """Every active (or trashed) insight id, sorted (folder listings only)."""
        folder = self.path / (INSIGHTS_TRASH if trashed else INSIGHTS)
        return sorted(ids_in(folder))

    def resolve_id(self, id_or_prefix: str, *, include_trashed: bool = False) -> str:
        """The full id of the one insight whose id starts with ``id_or_prefix``."""
        prefix = id_or_prefix.strip().lower()
        if not prefix:
            raise CaseNotFound(_("no insight id given"))
        active = [i for i in self.ids() if i.startswith(prefix)]
        trashed = [i for i in self.ids(trashed=True) if i.startswith(prefix)]
        matches = sorted(set(active + (trashed if include_trashed else [])))
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            shown = ", ".join(m[:8] for m in matches[:5])
            raise AmbiguousCaseId(
                _("{n} insights start with {prefix!r} ({shown}); give more of the id").format(
                    n=len(matches), prefix=prefix, shown=shown
                )
            )
        if trashed:
            raise CaseNotFound(_("the insight {prefix!r} is in the trash").format(prefix=prefix))
        raise CaseNotFound(
            _("no insight with id {prefix!r} (see 'coprod insights')").format(prefix=prefix)
        )

    def load(self, insight_id: str) -> Insight:
        """The stored insight, active or trashed (``CaseNotFound``, ``DamagedCaseError``)."""
        with self._guard(_("open the insight")):
            return self.docs.load(insight_id)

    def is_trashed(self, insight_id: str) -> bool:
        """Whether the insight is in the trash."""
        self.docs.check_id(insight_id)
        return self.docs.trash_path(insight_id).exists() and not os.path.lexists(
            self.docs.path_of(insight_id)
        )

    def folder_marks(self) -> tuple[tuple[int, int] | None, ...] | None:
        """(inode, mtime_ns) of ``insights/`` and ``insights-trash/``; ``None`` if one changed
        too recently to be trusted.

        Every write of an insight renames a file into one of them, so marks
        equal to those taken at a reading mean nothing was written, moved or
        removed since (a file edited in place by hand excepted): a caller may
        keep its reading (the Insights screen does, for a few seconds).
        """
        import time

        from coprod_tui.core.store.scan import is_racy

        started = time.time_ns()
        marks: list[tuple[int, int] | None] = []
        for name in (INSIGHTS, INSIGHTS_TRASH):
            try:
                info = os.lstat(self.path / name)
            except FileNotFoundError:
                marks.append(None)
                continue
            if is_racy(info.st_mtime_ns, started):
                return None
            marks.append((info.st_ino, info.st_mtime_ns))
        return tuple(marks)

    def scan(
        self, *, include_trashed: bool = False
    ) -> tuple[list[tuple[Insight, bool]], list[str]]:
        """((insight, trashed) for every readable insight, ids of damaged ones)."""
        found: list[tuple[Insight, bool]] = []
        damaged: list[str] = []
        places = [False, True] if include_trashed else [False]
        with self._guard(_("list the insights")):
            for trashed in places:
                # What the last scan of this folder read, by the file's stamp: a file that
                # was not rewritten (the atomic writer always makes a new inode) is not
                # read again, so reopening the Insights screen stats 1,000 files instead
                # of parsing them.
                known = self._scanned.get(trashed, {})
                seen: dict[str, tuple[tuple[int, int, int, int], Insight]] = {}
                for insight_id in self.ids(trashed=trashed):
                    path = (self.docs.trash_path if trashed else self.docs.path_of)(insight_id)
                    try:
                        info = os.lstat(path)
                        stamp = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
                        kept = known.get(insight_id)
                        if kept is not None and kept[0] == stamp and stat.S_ISREG(info.st_mode):
                            insight = kept[1]
                        else:
                            insight = self.docs.read(path, insight_id)
                        seen[insight_id] = (stamp, insight)
                        # A copy: a caller may change its insight (title, links) before saving.
                        found.append((copy.copy(insight), trashed))
                    except FileNotFoundError:
                        continue  # moved or purged meanwhile
                    except DamagedFileError:
                        damaged.append(insight_id)
                self._scanned[trashed] = seen
        return found, damaged

    def list_insights(
        self, *, tag: str | None = None, include_trashed: bool = False
    ) -> list[Insight]:
        """Readable insights, newest first; with ``tag``, only those carrying it (any case)."""
        return self.listing(tag=tag, include_trashed=include_trashed)[0]

    def listing(
        self, *, tag: str | None = None, include_trashed: bool = False
    ) -> tuple[list[Insight], list[str]]:
        """:meth:`list_insights` and the ids of the damaged insights left out, in one reading."""
        found, damaged = self.scan(include_trashed=include_trashed)
        insights = [insight for insight, _trashed in found]
        if tag is not None:
            wanted = tag_key(tag)
            insights = [i for i in insights if wanted in {tag_key(t) for t in i.tags}]
        insights.sort(key=lambda insight: (insight.updated, insight.id), reverse=True)
        return insights, damaged

    def citing(self, case_id: str, section_id: str | None = None) -> list[Insight]:
        """Active insights with a link to that case (and section id, if given), newest first."""
        return [i for i in self.list_insights() if i.cites(case_id, section_id)]

    def citations(self, case_id: str) -> dict[str, list[Insight]]:
        """Section id (as linked) -> the active insights citing that section of the case."""
        found: dict[str, list[Insight]] = {}
        for insight in self.list_insights():
            for section_id in dict.fromkeys(
                link.section_id for link in insight.links if link.case_id == case_id
            ):
                found.setdefault(section_id, []).append(insight)
        return found

    def plans(self, status: str | None = None) -> list[Insight]:
        """Insights carrying a plan, oldest plan first (by start date, else creation).

        ``status`` ``None``: the open ones (open or running); else only that status.
        """
        chosen = []
        for insight in self.list_insights():
            plan = insight.plan
            if plan is None:
                continue
            if plan.is_open if status is None else plan.status == status:
                chosen.append(insight)
        chosen.sort(key=lambda i: ((i.plan.start if i.plan else "") or i.created[:10], i.created))
        return chosen

    # --- writing ---------------------------------------------------------------------

    def create(self, insight: Insight) -> Insight:
        """Store a new insight (from :func:`~coprod_tui.core.insights.model.new_insight`)."""
        self.docs.check_id(insight.id)
        with self._guard(_("create the insight {title!r}").format(title=insight.title[:60])):
            self._ready()
            with self.docs.locked(insight.id):
                if (
                    self.docs.path_of(insight.id).exists()
                    or self.docs.trash_path(insight.id).exists()
                ):
                    raise UserInputError(
                        _("an insight with id {id} already exists").format(id=insight.id)
                    )
                return self.docs.write_new(insight)

    def save(
        self,
        insight: Insight,
        *,
        base_revision: int,
        base: Insight | None = None,
        conflict_copy: str | None = None,
    ) -> SaveResult[Insight]:
        """Save an edit of ``insight`` made from ``base_revision`` (merged, as a case save)."""
        with self._guard(_("save the insight {title!r}").format(title=insight.title[:60])):
            self._ready()
            return self.docs.save(
                insight,
                base_revision=base_revision,
                base=base,
                conflict_copy=conflict_copy,
                adopt=_adopt_copy,
            )

    def update(self, insight_id: str, change: Callable[[Insight], Insight]) -> Insight:
        """Apply ``change`` to the current version under the insight's lock (never conflicts)."""
        with self._guard(_("update the insight")):
            self._ready()
            return self.docs.update(insight_id, change)

    def add_link(self, insight_id: str, link: Link) -> Insight:
        """Add a link (nothing written when the same case, section and quote is linked)."""

        def change(current: Insight) -> Insight:
            current.links = dedupe_links([*current.links, link])
            return current

        return self.update(insight_id, change)

    def remove_link(self, insight_id: str, key: tuple[str, str, str]) -> Insight:
        """Remove the link with that (case id, section id, quote)."""

        def change(current: Insight) -> Insight:
            current.links = [link for link in current.links if link.key != key]
            return current

        return self.update(insight_id, change)

    def change_tags(
        self, insight_id: str, add: Sequence[str], remove: Sequence[str] = ()
    ) -> Insight:
        """Add and remove tags under the lock (the case rules: case-blind, one line on error)."""

        def change(current: Insight) -> Insight:
            try:
                current.tags = change_tags(current.tags, list(add), list(remove))
            except ValueError as error:
                raise UserInputError(
                    _("{problem} (nothing was changed)").format(problem=error)
                ) from None
            return current

        return self.update(insight_id, change)

    def set_plan(self, insight_id: str, plan: Plan | None) -> Insight:
        """Give the insight a plan (or, ``None``, take it away)."""

        def change(current: Insight) -> Insight:
            current.plan = plan
            return current

        return self.update(insight_id, change)

    # --- trash, purge, history -------------------------------------------------------

    def trash(self, insight_id: str) -> None:
        """Move an insight to the trash (:meth:`untrash` brings it back)."""
        with self._guard(_("move the insight to the trash")):
            self._ready()
            self.docs.move(insight_id, to_trash=True)

    def untrash(self, insight_id: str) -> None:
        """Bring a trashed insight back."""
        with self._guard(_("take the insight out of the trash")):
            self._ready()
            self.docs.move(insight_id, to_trash=False)

    def purge(self, insight_id: str) -> list[str]:
        """Remove an insight for good, with its history and its conflict copies; the ids gone."""
        self.docs.check_id(insight_id)
        found, _damaged = self.scan(include_trashed=True)
        copies: dict[str, list[str]] = {}
        for insight, _trashed in found:
            if insight.conflict_of:
                copies.setdefault(insight.conflict_of, []).append(insight.id)
        with self._guard(_("delete the insight for good")):
            self._ready()
            return self.docs.purge(insight_id, copies)

    def kept_versions(self, insight_id: str) -> list[Insight]:
        """Every readable kept version, oldest first."""
        self.docs.check_id(insight_id)
        with self._guard(_("read the insight's history")):
            return self.docs.versions(insight_id)

    def restore(self, insight_id: str, revision: int) -> Insight:
        """Make a kept version current again (the current one is kept in history, pinned)."""
        old = next((v for v in self.kept_versions(insight_id) if v.revision == revision), None)
        if old is None:
            raise UserInputError(
                _("insight {insight_id} has no kept revision {revision}").format(
                    insight_id=insight_id[:8], revision=revision
                )
            )
        with (
            self._guard(_("restore revision {revision}").format(revision=revision)),
            self.docs.locked(insight_id),
        ):
            path = self.docs.path_of(insight_id)
            current = self.docs.read(path, insight_id)
            new = self.docs.next_version(old, current.revision)
            self.docs.keep_history(path, current, force=True)
            self.docs.write(path, new)
            return new

    # --- links -----------------------------------------------------------------------

    def resolve_links(self, insight: Insight, cases: CaseStore) -> list[LinkView]:
        """Every link of ``insight`` as it resolves now in ``cases`` (see ``anchoring.resolve``).

        A purged case says so (``detail`` "purged"); a trashed one still
        resolves (``trashed``); a damaged one is gone until repaired.
        """
        loaded: dict[str, tuple[Case | None, str, bool]] = {}
        views: list[LinkView] = []
        for link in insight.links:
            if link.case_id not in loaded:
                loaded[link.case_id] = _load_case(cases, link.case_id)
            case, detail, trashed = loaded[link.case_id]
            template = None if case is None else cases.template_of(case.template_id)
            anchor = resolve(link, case, template, detail=detail)
            section_title = ""
            if template is not None:
                try:
                    section_title = template.section(anchor.section_id).title
                except KeyError:
                    section_title = ""
            views.append(
                LinkView(
                    link,
                    anchor,
                    case_title="" if case is None else case.title,
                    section_title=section_title,
                    trashed=trashed,
                    case_date="" if case is None else _case_date(case),
                )
            )
        return views

    # --- export and import -----------------------------------------------------------

    def export_items(self) -> list[InsightItem]:
        """Every readable insight, trashed ones marked, oldest first (for ``coprod export``)."""
        found, _damaged = self.scan(include_trashed=True)
        items = [InsightItem(insight, trashed) for insight, trashed in found]
        items.sort(key=lambda item: (item.insight.created, item.insight.id))
        return items

    def import_insights(self, items: Iterable[InsightItem | Insight]) -> ImportReport:
        """Add insights exactly as given (ids, revisions, times kept); idempotent by id.

        The same content already stored: unchanged. Different content under
        the same id: a conflict copy, once (importing the file again finds it).
        Every write check runs on every insight before anything is written.
        """
        batch = [i if isinstance(i, InsightItem) else InsightItem(i) for i in items]
        report = ImportReport()
        with self._guard(_("import the insights")):
            for item in batch:
                self.docs.check_id(item.insight.id)
                self.docs.check(item.insight)
            if not batch:
                return report
            self._ready()
            copies: dict[str, list[Insight]] | None = None
            for item in batch:
                insight = item.insight
                outcome = self._import_one(item)
                if outcome == "added":
                    report.added.append(insight.id)
                    if item.trashed:
                        report.trashed.append(insight.id)
                    continue
                if outcome == "unchanged":
                    report.unchanged.append(insight.id)
                    continue
                if outcome == "newer":
                    report.skipped.append(
                        (
                            insight.id,
                            _("differs from the stored insight, written by a newer coprod"),
                        )
                    )
                    continue
                if copies is None:
                    copies = {}
                    for held, _trashed in self.scan(include_trashed=True)[0]:
                        if held.conflict_of:
                            copies.setdefault(held.conflict_of, []).append(held)
                if any(_same_as_copy(insight, held) for held in copies.get(insight.id, [])):
                    report.unchanged.append(insight.id)
                    continue
                copy = self.docs.conflict_copy(insight)
                if item.trashed:
                    self.docs.move(copy.id, to_trash=True)
                copies.setdefault(insight.id, []).append(copy)
                report.conflicts.append((insight.id, copy.id))
        return report

    def _import_one(self, item: InsightItem) -> str:
        insight = item.insight
        with self.docs.locked(insight.id):
            existing: Insight | None = None
            present = False
            for path in (self.docs.path_of(insight.id), self.docs.trash_path(insight.id)):
                if not os.path.lexists(path):
                    continue
                present = True
                try:
                    existing = self.docs.read(path, insight.id)
                except (DamagedFileError, FileNotFoundError):
                    existing = None
                break
            if not present:
                stored = insight.copy()
                stored.revision = max(stored.revision, 1)
                target = self.docs.trash_path if item.trashed else self.docs.path_of
                self.docs.write(target(insight.id), stored)
                return "added"
            if existing is not None and same_content(existing, insight):
                return "unchanged"
            if existing is not None and (existing.newer_format or insight.newer_format):
                return "newer"
            return "clash"


def _same_as_copy(insight: Insight, held: Insight) -> bool:
    """Whether ``held``, a conflict copy, holds ``insight``'s text (an import made it)."""
    a, b = insight.to_dict(), held.to_dict()
    for key in ("id", "title", "conflict_of", "created", "revision", "updated", "saved_by"):
        a.pop(key, None)
        b.pop(key, None)
    return a == b and held.title.startswith(insight.title)


def _case_date(case: Case) -> str:
    """When the case happened, as far as the store knows: its ``date`` field, else created."""
    given = str(case.fields.get("date", "") or "").strip()
    return given or case.created[:10]


def _load_case(cases: CaseStore, case_id: str) -> tuple[Case | None, str, bool]:
    """(the case as the store maps it, or None; why it is gone; whether it is in the trash)."""
    try:
        case = cases.load(case_id)
    except CaseNotFound:
        if os.path.lexists(purged_mark(cases.path, case_id)):
            return None, N_("purged"), False
        return None, N_("not in the store"), False
    except DamagedCaseError:
        return None, N_("damaged (run 'coprod doctor --repair')"), False
    except CoprodError:
        return None, N_("cannot be read"), False
    try:
        trashed = cases.is_trashed(case_id)
    except CoprodError:
        trashed = False
    return case, "", trashed


_OPEN: weakref.WeakKeyDictionary[Any, InsightStore] = weakref.WeakKeyDictionary()


def insights_of(store: CaseStore) -> InsightStore:
    """The insights of ``store``'s folder, sharing its file modes and author (one per store)."""
    found = _OPEN.get(store)
    if found is None:
        owner = weakref.ref(store)  # a strong reference here would keep the store alive

        def who() -> str:
            held = owner()
            return "unknown" if held is None else held.who

        found = InsightStore(
            store.path,
            file_mode=store.policy.file_mode,
            dir_mode=store.policy.dir_mode,
            who=who,
        )
        _OPEN[store] = found
    else:
        found.set_modes(store.policy)
    return found
