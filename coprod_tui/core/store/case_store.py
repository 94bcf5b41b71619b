"""CaseStore: the facade over the store's parts, for cases.

The generic work (atomic write, lock, revision, merge, conflict copy,
history, trash, purge, observers, write checks) is done by a
:class:`~coprod_tui.core.store.documents.DocumentFolder` for the case kind
(:data:`CASE_KIND`); this module adds what only cases have: templates,
listing through the catalog, id prefixes, restore, import and the doctor.

Layout of a store folder (0700; files 0600)::

    coprod-store.json          marks the folder as a store
    cases/<id>.json            one case: a one-document TinyDB database (see case_file)
    trash/<id>.json            trashed cases (ids are kept, never reused)
    history/<id>/<rev>-<t>.json  kept earlier versions (hard links; see history)
    locks/<id>.lock            per-case lock files, never deleted
    damaged/                   damaged files kept aside by ``coprod doctor --repair``
    catalog.json               cached summaries for listing (see catalog) ...
    catalog.journal            ... plus one line appended per write since

Why this shape:

* **Size-independent saves.** A save rewrites one small file (atomically, via
  :mod:`coprod_tui.core.store.storage`) and appends one line to the catalog journal;
  no store-wide lock, nothing whose size grows with the store. Saves to
  different cases never interfere.
* **Concurrency.** Every read-modify-write of a case holds that case's lock
  (``flock`` on ``locks/<id>.lock``) and re-reads the file by path. A save
  names the revision it was based on; if the file moved on, nothing is
  overwritten: the caller's text becomes a conflict copy (a new case with
  ``conflict_of`` set and a title saying so) and the caller is told.
* **Damage.** A case file that fails to parse is never written over: it is
  listed as damaged, loading it raises :class:`DamagedCaseError`, and
  :meth:`CaseStore.doctor` with ``repair=True`` puts the newest good version
  back while keeping the damaged file in ``damaged/``.
* **Failures.** Any ``OSError`` (disk full, permission denied, read-only file
  system) becomes a one-line :class:`StoreError`; the previous file is intact
  and the caller still holds its text, so it can simply retry.
* **Seams.** Observers (:meth:`CaseStore.add_observer`; the catalog is the
  first) hear of every write, move and purge; write checks
  (:meth:`CaseStore.add_write_check`) see every case before it is written.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coprod_tui.core.case import (
    CASE_FORMAT,
    MAX_TITLE,
    Case,
    apply_template,
    new_case_id,
    utc_now,
    word_count,
)
from coprod_tui.core.errors import CoprodError, UserInputError
from coprod_tui.core.i18n import N_, _
from coprod_tui.core.store.case_file import CASE_FILE
from coprod_tui.core.store.catalog import Catalog
from coprod_tui.core.store.documents import (
    DocumentFolder,
    DocumentKind,
    StoreObserver,
    WriteCheck,
    entries,
    same_content,
    store_guard,
)
from coprod_tui.core.store.documents import content as _content
from coprod_tui.core.store.folder import FolderPolicy, prepare_store_folder, share_with_group
from coprod_tui.core.store.layout import (
    folders_to_scan,
    ids_in,
    is_case_id,
)
from coprod_tui.core.store.storage import DamagedFileError
from coprod_tui.core.store.types import (
    AmbiguousCaseId,
    CaseNotFound,
    CaseSummary,
    DoctorReport,
    ImportReport,
    RevisionInfo,
    SaveResult,
)
from coprod_tui.core.template import Template

if TYPE_CHECKING:
    from coprod_tui.core.export import ExportItem
    from coprod_tui.core.merge import Merge
    from coprod_tui.core.store.history import History, Snapshot

#: The facade; callers import it (and the store's errors and types) from ``coprod_tui.core.store``.
__all__ = ["CASE_KIND", "CaseStore", "same_content", "whoami"]


def whoami() -> str:
    """``user@host``: who saved a version (shown in history and conflict titles).

    The user as ``getpass.getuser`` finds it and the host as
    ``socket.gethostname`` would give it, without importing either (socket
    alone is several milliseconds of every ``coprod write``).
    """
    user = next(
        (
            os.environ[name]
            for name in ("LOGNAME", "USER", "LNAME", "USERNAME")
            if os.environ.get(name)
        ),
        "",
    )
    if not user:
        try:
            import pwd

            user = pwd.getpwuid(os.getuid()).pw_name
        except (ImportError, KeyError, OSError):
            user = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    host = os.uname().nodename if hasattr(os, "uname") else os.environ.get("COMPUTERNAME", "")
    return f"{user}@{host or 'unknown'}"


def _titled_copy(case: Case, new_id: str, who: str, stamp: str) -> Case:
    """A case's conflict copy: a new case linked to it, titled so the user sees why."""
    copy = case.copy()
    copy.id = new_id
    copy.conflict_of = case.id
    suffix = f" (conflict copy, {who} {stamp})"
    copy.title = case.title[: max(0, MAX_TITLE - len(suffix))] + suffix
    copy.created = utc_now()
    return copy


def _adopt_copy(mine: Case, held: Case) -> None:
    """An updated conflict copy keeps the title, link and creation time it was made with."""
    mine.title, mine.conflict_of, mine.created = held.title, held.conflict_of, held.created


def _merge_cases(base: Case, mine: Case, theirs: Case) -> Merge:
    """:func:`coprod_tui.core.merge.merge`, imported when two edits first meet (not by a read)."""
    from coprod_tui.core.merge import merge

    return merge(base, mine, theirs)


#: Cases as a kind of document (see :mod:`coprod_tui.core.store.documents`).
CASE_KIND: DocumentKind[Case] = DocumentKind(
    name="case",
    file=CASE_FILE,
    from_dict=Case.from_dict,
    is_id=is_case_id,
    new_id=new_case_id,
    merge=_merge_cases,
    conflict_copy=_titled_copy,
    current_format=CASE_FORMAT,
    hint=N_(" (see 'coprod list')"),
)


class CaseStore:
    """Open with :meth:`open`. Safe to use from several processes (and threads) at once."""

    path: Path

    def __init__(
        self,
        path: Path,
        policy: FolderPolicy,
        templates: Any = None,
        *,
        observers: Sequence[StoreObserver] = (),
        checks: Sequence[WriteCheck] = (),
    ) -> None:
        self.path = path
        self.policy = policy
        self._templates = templates
        self._templates_loaded = templates is not None
        self._catalog = Catalog(path, file_mode=policy.file_mode)
        self._docs: DocumentFolder[Case] = DocumentFolder(
            path,
            CASE_KIND,
            file_mode=policy.file_mode,
            dir_mode=policy.dir_mode,
            who=whoami,
            observers=[self._catalog, *observers],  # the catalog is the first observer
            checks=checks,
        )
        #: case id -> time.time() of this session's last snapshot of it
        self._snapshotted = self._docs.snapshotted

    # --- opening ---------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        create: bool = True,
        templates: Any = None,
        observers: Sequence[StoreObserver] = (),
        checks: Sequence[WriteCheck] = (),
    ) -> CaseStore:
        """Open (and with ``create``, make) the store at ``path``.

        ``templates`` is anything with ``get(template_id) -> Template`` (the
        template registry); loaded cases are mapped onto their template's
        current sections. Without it the shipped and user templates are
        discovered on first need. Raises :class:`UnsafeStoreError` for a
        folder others could tamper with. ``observers`` are told of every
        write, move and purge after the catalog; ``checks`` run on every case
        before it is written, after the case's own value checks (see
        :meth:`add_observer`, :meth:`add_write_check`).
        """
        root, policy = prepare_store_folder(Path(path), create=create)
        return cls(root, policy, templates, observers=observers, checks=checks)

    @property
    def _history(self) -> History:
        """The kept versions (made on first use: a plain read never needs them)."""
        return self._docs.history

    @property
    def shared(self) -> bool:
        """Whether this store is deliberately shared with a Unix group."""
        return self.policy.shared

    def close(self) -> None:
        """Nothing to release: no file handle or lock is held between calls."""

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- seams ----------------------------------------------------------------------

    def add_observer(self, observer: StoreObserver) -> None:
        """Tell ``observer`` after every durable write, move and purge (see ``StoreObserver``).

        An observer that raises never fails or undoes the write (it is logged).
        """
        self._docs.add_observer(observer)

    def add_write_check(self, check: WriteCheck) -> None:
        """Run ``check(case)`` before every write of a case, by every path text enters by.

        Create, save (the merged result too), update and ``write_section``,
        restore, import (cases and their kept versions) and conflict copies
        all pass the checks; the case's own value checks run first. A check
        refuses with a :class:`~coprod_tui.core.store.types.WriteRefused`
        (one line); nothing is written then.
        """
        self._docs.add_write_check(check)

    # --- the parts the doctor uses (public, so it needs no private name) ------------

    @property
    def who(self) -> str:
        """``user@host`` recorded as the author of what this store object writes."""
        return self._docs.who

    def read_file(self, path: Path, case_id: str) -> Case:
        """Parse one case file as stored; ``FileNotFoundError`` / ``DamagedFileError``."""
        return self._docs.read(path, case_id)

    def locked(self, case_id: str) -> Any:
        """A context manager holding the case's cross-process lock."""
        return self._docs.locked(case_id)

    def write_repaired(self, path: Path, case: Case) -> None:
        """Put back an earlier stored version (a repair: no write check, it was stored before)."""
        self._docs.write(path, case, checked=False)

    def snapshots(self, case_id: str) -> list[Snapshot]:
        """The kept versions of a case on disk, oldest first."""
        return self._history.snapshots(case_id)

    def make_folder(self, folder: Path) -> None:
        """Create a missing store folder with the store's mode."""
        self._docs.make_folder(folder)

    def rebuild_catalog(self) -> None:
        """Re-read every case file and write a fresh catalog."""
        self._catalog.scan(use_cache=False)

    # --- paths and guards --------------------------------------------------------------

    def _case_path(self, case_id: str) -> Path:
        return self._docs.path_of(case_id)

    def _trash_path(self, case_id: str) -> Path:
        return self._docs.trash_path(case_id)

    def _check_id(self, case_id: str) -> str:
        return self._docs.check_id(case_id)

    def _guard(self, action: str) -> Any:
        """Turn low-level failures into one-line store errors."""
        return store_guard(action, self.path)

    @contextmanager
    def _locked(self, case_id: str) -> Iterator[None]:
        with self._docs.locked(case_id):
            yield

    # --- templates -------------------------------------------------------------------

    def _template(self, template_id: str) -> Template | None:
        if not self._templates_loaded:
            self._templates_loaded = True
            try:
                from coprod_tui.core.template.registry import discover_templates

                self._templates = discover_templates(store_dir=self.path)
            except Exception:  # noqa: BLE001 - a broken template must not hide cases
                self._templates = None
        if self._templates is None:
            return None
        try:
            template = self._templates.get(template_id)
        except (CoprodError, KeyError, LookupError):
            return None
        return template if isinstance(template, Template) else None

    def template_of(self, template_id: str) -> Template | None:
        """The template in force for ``template_id`` as this store maps cases, or ``None``.

        For code that must match sections as the store does (one section
        across cases, coverage) without a registry of its own.
        """
        return self._template(template_id)

    def _mapped(self, case: Case) -> Case:
        """``case`` mapped onto its template's current sections (orphans kept)."""
        template = self._template(case.template_id)
        if template is None:
            return case
        return apply_template(case, template)

    # --- reading files ---------------------------------------------------------------

    def _read_file(self, path: Path, case_id: str) -> Case:
        """Parse one case file; ``FileNotFoundError`` / :class:`DamagedFileError`."""
        return self._docs.read(path, case_id)

    # --- listing and ids -------------------------------------------------------------

    def list_cases(self, *, include_trashed: bool = False) -> list[CaseSummary]:
        """Summaries, newest first, from the catalog (only changed files are read)."""
        with self._guard(_("list the cases")):
            summaries = self._catalog.scan()
        if not include_trashed:
            summaries = [s for s in summaries if not s.trashed]
        summaries.sort(key=attrgetter("updated", "id"), reverse=True)
        return summaries

    def list_trash(self) -> list[CaseSummary]:
        """Trashed cases, newest first."""
        return [s for s in self.list_cases(include_trashed=True) if s.trashed]

    def resolve_id(self, id_or_prefix: str, *, include_trashed: bool = False) -> str:
        """The full id of the one case whose id starts with ``id_or_prefix``.

        Reads only folder listings (no case file, no catalog); a full id costs
        one ``stat`` whatever the store holds.
        """
        prefix = id_or_prefix.strip().lower()
        if not prefix:
            raise CaseNotFound(_("no case id given"))
        if is_case_id(prefix):
            # lexists: a case file replaced by a link is found (and then refused
            # when read), never mistaken for a missing case or followed.
            if os.path.lexists(self._case_path(prefix)) or (
                include_trashed and os.path.lexists(self._trash_path(prefix))
            ):
                return prefix
            active: list[str] = []
            trashed = [prefix] if os.path.lexists(self._trash_path(prefix)) else []
        else:
            with self._guard(_("look up the case")):
                active, trashed = [], []
                for folder, in_trash in folders_to_scan(self.path):
                    (trashed if in_trash else active).extend(ids_in(folder, prefix))
        matches = sorted(set(active + (trashed if include_trashed else [])))
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            shown = ", ".join(m[:8] for m in matches[:5])
            more = "" if len(matches) <= 5 else _(" and {n} more").format(n=len(matches) - 5)
            raise AmbiguousCaseId(
                _("{n} cases start with {prefix!r} ({shown}{more}); give more of the id").format(
                    n=len(matches), prefix=prefix, shown=shown, more=more
                )
            )
        if trashed:
            raise CaseNotFound(_("the case {prefix!r} is in the trash").format(prefix=prefix))
        raise CaseNotFound(
            _("no case with id {prefix!r} (see 'coprod list')").format(prefix=prefix)
        )

    # --- loading ---------------------------------------------------------------------

    def _locate(self, case_id: str) -> Path:
        return self._docs.locate(case_id)

    def load(self, case_id: str, *, mapped: bool = True) -> Case:
        """The stored case (active or trashed), mapped onto its current template.

        ``mapped=False`` returns the document exactly as stored (export uses it).
        """
        self._check_id(case_id)
        for _attempt in range(3):
            path = self._locate(case_id)
            with self._guard(_("open the case")):
                try:
                    case = self._read_file(path, case_id)
                except FileNotFoundError:
                    continue  # trashed or restored between locate and read
            return self._mapped(case) if mapped else case
        raise CaseNotFound(
            _("no case with id {case_id!r} (see 'coprod list')").format(case_id=case_id)
        )

    def fingerprint(self, case_id: str) -> tuple[int, int, int] | None:
        """(inode, mtime_ns, size) of the case's file, active or trashed; ``None`` if absent.

        Files are only ever replaced, so a changed fingerprint means a new
        version: one ``lstat``, for an editor that follows other windows.
        """
        self._check_id(case_id)
        for path in (self._case_path(case_id), self._trash_path(case_id)):
            try:
                info = os.lstat(path)
            except OSError:
                continue
            return (info.st_ino, info.st_mtime_ns, info.st_size)
        return None

    # --- writing ---------------------------------------------------------------------

    def create(self, case: Case) -> Case:
        """Store a new case (from ``core.case.new_case``); returns it at revision 1."""
        self._check_id(case.id)
        with (
            self._guard(_("create the case {title!r}").format(title=case.title)),
            self._locked(case.id),
        ):
            if self._case_path(case.id).exists() or self._trash_path(case.id).exists():
                raise UserInputError(_("a case with id {id} already exists").format(id=case.id))
            return self._docs.write_new(case)

    def save(
        self,
        case: Case,
        *,
        base_revision: int,
        base: Case | None = None,
        conflict_copy: str | None = None,
    ) -> SaveResult[Case]:
        """Save ``case``, which was edited from revision ``base_revision``.

        If nobody else saved since, ``case`` becomes revision ``base_revision
        + 1``. If the stored case moved on, the two edits are merged against
        their base, item by item (see :mod:`coprod_tui.core.merge`): what only
        one side changed is taken from that side, silently. ``base`` is the
        version the caller started from (an editor passes what it loaded);
        without it the store looks for revision ``base_revision`` in the
        history, and compares whole cases if it is not kept.

        Items both sides changed differently are *clashes*: the stored value
        stays in the case and the caller's whole text is kept in a conflict
        copy (``conflict_copy``, the id of a copy made earlier for the same
        conflict, is updated instead of making another). A case trashed
        elsewhere is saved where it is, in the trash (``SaveResult.trashed``),
        never copied. Saving a case identical to the stored one writes nothing.
        """
        with self._guard(_("save {title!r}").format(title=case.title)):
            return self._docs.save(
                case,
                base_revision=base_revision,
                base=base,
                conflict_copy=conflict_copy,
                view=self._mapped,
                adopt=_adopt_copy,
            )

    def update(self, case_id: str, change: Callable[[Case], Case]) -> Case:
        """Apply ``change`` to the current version under the case's lock and save it.

        For edits that must never conflict, such as ``coprod write --append``
        from many processes at once: the read, the change and the write happen
        while holding the lock, so no concurrent update is lost.
        """
        with self._guard(_("update the case")):
            return self._docs.update(case_id, change, view=self._mapped)

    def write_section(
        self,
        case_id: str,
        section_id: str,
        text: str,
        *,
        append: bool = False,
        expected: str | None = None,
    ) -> SaveResult[Case]:
        """Set, or append to, one section's text (what ``coprod write`` does).

        Appending never conflicts: the text goes after whatever is there at
        that moment (on a new line), so any number of appenders lose nothing.
        Replacing checks ``expected``, the section's text when the caller read
        it: if someone changed that section since, nothing is overwritten and
        the caller's version becomes a conflict copy. Edits to other sections
        are kept either way.
        """
        mine: list[Case] = []

        def change(current: Case) -> Case:
            existing = current.text(section_id)
            if append:
                joiner = "" if not existing or existing.endswith("\n") else "\n"
                current.sections[section_id] = existing + joiner + text
            elif expected is None or existing in (expected, text):
                current.sections[section_id] = text
            else:
                theirs = current.copy()
                current.sections[section_id] = text
                mine.append(current)
                return theirs
            return current

        saved = self.update(case_id, change)
        if mine:
            with self._guard(_("keep your text as a conflict copy")):
                return SaveResult(case=saved, conflict=self._docs.conflict_copy(mine[0]))
        return SaveResult(case=saved)

    # --- tags ------------------------------------------------------------------------

    def tag_counts(self, language: str | None = None) -> list[tuple[str, int]]:
        """Every tag of the untrashed cases with how many cases carry it, in ``language``'s order.

        Read from the catalog (no case file opened). Tags that differ only in
        case are one tag (see ``core.case.tag_key``), shown in the spelling
        most cases use (ties: the first in sort order). ``language`` defaults
        to the user's (:func:`coprod_tui.core.language.user_language`).
        """
        from coprod_tui.core.case import tag_key
        from coprod_tui.core.collation import sort_key
        from coprod_tui.core.language import user_language

        lang = user_language() if language is None else language
        counts: dict[str, int] = {}
        spellings: dict[str, dict[str, int]] = {}
        for summary in self.list_cases():
            if summary.damaged:
                continue
            for key in {tag_key(tag) for tag in summary.tags if tag.strip()}:
                counts[key] = counts.get(key, 0) + 1
            for tag in summary.tags:
                if tag.strip():
                    forms = spellings.setdefault(tag_key(tag), {})
                    forms[tag.strip()] = forms.get(tag.strip(), 0) + 1
        shown = []
        for key, count in counts.items():
            forms = spellings[key]
            best = min(forms, key=lambda form: (-forms[form], sort_key(form, lang)))
            shown.append((best, count))
        shown.sort(key=lambda item: sort_key(item[0], lang))
        return shown

    def change_tags(self, case_id: str, add: Sequence[str], remove: Sequence[str] = ()) -> Case:
        """Add and remove tags of one case under its lock; returns the case as saved.

        Through :meth:`update`: merge-safe against any other writer, a new
        revision with the replaced version kept in history, as any save
        (nothing is written when the tags end up as they were). Removal
        ignores case; an added tag already there keeps its spelling. A tag
        that cannot be stored (empty, a control character, too long) is
        refused with one line (:class:`UserInputError`) and nothing is written.
        """
        from coprod_tui.core.case import change_tags, tag_problem

        for tag in (*add, *remove):
            problem = tag_problem(tag)
            if problem is not None:
                raise UserInputError(_("{problem} (nothing was changed)").format(problem=problem))
        self._check_id(case_id)

        def change(current: Case) -> Case:
            try:
                current.tags = change_tags(current.tags, list(add), list(remove))
            except ValueError as error:
                raise UserInputError(
                    _("{problem} (nothing was changed)").format(problem=error)
                ) from None
            return current

        return self.update(case_id, change)

    def _next_version(self, case: Case, stored_revision: int | None = None) -> Case:
        return self._docs.next_version(case, stored_revision)

    # --- trash -----------------------------------------------------------------------

    def trash(self, case_id: str) -> None:
        """Move a case to the trash (its id stays reserved; :meth:`untrash` brings it back)."""
        self._move(case_id, to_trash=True)

    def untrash(self, case_id: str) -> None:
        """Bring a trashed case back."""
        self._move(case_id, to_trash=False)

    def _move(self, case_id: str, *, to_trash: bool) -> None:
        action = (
            _("move the case to the trash") if to_trash else _("take the case out of the trash")
        )
        with self._guard(action):
            self._docs.move(case_id, to_trash=to_trash)

    def list_trash_by_deletion(self) -> list[tuple[CaseSummary, float]]:
        """Trashed cases with when they were deleted (epoch seconds), last deleted first.

        The deletion time is the trash file's modification time, which
        :meth:`trash` sets when it moves the file (a rename keeps the old
        one). It lives with the file, so it survives a rebuilt catalog, a copied
        store and a restart; for a file trashed before this was recorded it is
        the time of its last save, the best there is. One ``lstat`` per case.
        """
        found: list[tuple[CaseSummary, float]] = []
        for summary in self.list_trash():
            try:
                deleted = os.lstat(self._trash_path(summary.id)).st_mtime
            except OSError:
                continue  # restored or purged meanwhile
            found.append((summary, deleted))
        found.sort(key=lambda item: (item[1], item[0].id), reverse=True)
        return found

    def purge(self, case_id: str) -> list[str]:
        """Remove a case for good, active or trashed; returns the ids removed.

        Goes with it: its history folder, its copies in ``damaged/``, leftover
        temp files of its writers, and its conflict copies (cases whose
        ``conflict_of`` is this id, and theirs, with their histories). Each
        case's files are removed under its lock, its file last, so a purge
        cut short leaves the case listed and can simply be run again. The
        catalog is rewritten at the end, so no row of a removed case (its
        title) survives in ``catalog.json`` or the journal. Only the lock file
        stays: it holds nothing, and removing it could let two writers in.
        What purge cannot reach (backups, exports, snapshots) is in the README.
        """
        self._check_id(case_id)
        with self._guard(_("delete the case for good")):
            copies: dict[str, list[str]] = {}
            for summary in self._catalog.scan():
                if isinstance(summary.conflict_of, str):
                    copies.setdefault(summary.conflict_of, []).append(summary.id)
            damaged = self.path / "damaged"
            # The catalog, an observer, folds itself into a fresh snapshot afterwards.
            return self._docs.purge(
                case_id, copies, extra=lambda doc_id: entries(damaged, lambda name: doc_id in name)
            )

    def is_trashed(self, case_id: str) -> bool:
        """Whether the case is in the trash (reads one folder entry)."""
        self._check_id(case_id)
        return self._trash_path(case_id).exists() and not self._case_path(case_id).exists()

    # --- history ---------------------------------------------------------------------

    def kept_versions(self, case_id: str) -> list[Case]:
        """Every readable kept version of a case, oldest first, exactly as stored (for backups).

        A damaged kept version is left out (``coprod doctor`` reports it).
        """
        self._check_id(case_id)
        with self._guard(_("read the case history")):
            return self._docs.versions(case_id)

    def history(self, case_id: str) -> list[RevisionInfo]:
        """Kept earlier versions, newest first (the current version is not included)."""
        self._check_id(case_id)
        infos = []
        with self._guard(_("read the case history")):
            for snap in reversed(self._history.snapshots(case_id)):
                try:
                    case = self._read_file(snap.path, case_id)
                except (DamagedFileError, FileNotFoundError):
                    infos.append(RevisionInfo(snap.revision, snap.saved_at, "", 0, damaged=True))
                    continue
                texts = [*case.sections.values(), *case.orphans.values()]
                words = sum(word_count(text) for text in texts)
                infos.append(RevisionInfo(snap.revision, case.updated, case.saved_by, words))
        return infos

    def load_revision(self, case_id: str, revision: int) -> Case:
        """One version of a case: a kept earlier one, or the current one."""
        self._check_id(case_id)
        snap = self._history.find(case_id, revision)
        if snap is None:
            current = self.load(case_id)
            if current.revision == revision:
                return current
            raise UserInputError(
                _("case {case_id} has no kept revision {revision} (see 'coprod history')").format(
                    case_id=case_id[:8], revision=revision
                )
            )
        with self._guard(_("read revision {revision}").format(revision=revision)):
            return self._mapped(self._read_file(snap.path, case_id))

    def restore(self, case_id: str, revision: int) -> Case:
        """Make an earlier version current again; the current version is kept in history.

        A damaged current file is first kept in ``damaged/`` (never written
        over without a copy), so restoring is also a manual repair.
        """
        from coprod_tui.core.store.doctor import damaged_revision, set_aside

        self._check_id(case_id)
        with (
            self._guard(_("restore revision {revision}").format(revision=revision)),
            self._locked(case_id),
        ):
            self._docs.refuse_newer_format(case_id)
            path = self._case_path(case_id)
            try:
                current: Case | None = self._read_file(path, case_id)
            except FileNotFoundError:
                self._locate(case_id)
                raise UserInputError(_("the case is in the trash; restore it first")) from None
            except DamagedFileError:
                current = None
            if current is not None and current.revision == revision:
                return self._mapped(current)
            snap = self._history.find(case_id, revision)
            if snap is None:
                raise UserInputError(
                    _(
                        "case {case_id} has no kept revision {revision} (see 'coprod history')"
                    ).format(case_id=case_id[:8], revision=revision)
                )
            old = self._read_file(snap.path, case_id)
            if current is None:
                aside = set_aside(self, path, case_id)
                newest = max(s.revision for s in self._history.snapshots(case_id))
                # The damaged file replaced the newest kept version: it was past it.
                new = self._next_version(old, max(newest + 1, damaged_revision(aside)))
            else:
                new = self._next_version(old, current.revision)
                self._docs.keep_history(path, current, force=True)
            self._docs.write(path, new)
            return new

    # --- bulk import -----------------------------------------------------------------

    def import_cases(self, cases: Iterable[Case | ExportItem], *, workers: int = 8) -> ImportReport:
        """Add cases exactly as given (ids, revisions, times kept); idempotent by id.

        A case whose id is already stored with the same content is skipped; one
        whose id is stored with different content becomes a conflict copy
        (once: importing the same file again finds the copy and skips it).
        A trashed case (an :class:`ExportItem` marked so) goes back into the
        trash, and so does its conflict copy; kept versions go into its history
        when the case is added or already there unchanged. Writes run on a
        few threads so their fsyncs share disk flushes.
        """
        from concurrent.futures import ThreadPoolExecutor

        from coprod_tui.core.export import ExportItem

        batch = [item if isinstance(item, ExportItem) else ExportItem(item) for item in cases]
        with self._guard(_("import the cases")):
            for item in batch:
                self._check_id(item.case.id)
                # Every write check, before anything is written.
                for version in (item.case, *item.history):
                    self._docs.check(version)
        report = ImportReport()
        copies_index: dict[str, list[str]] | None = None

        def one(item: ExportItem) -> tuple[str, int]:
            case = item.case
            with self._locked(case.id):
                existing = None
                for path in (self._case_path(case.id), self._trash_path(case.id)):
                    try:
                        existing = self._read_file(path, case.id)
                        break
                    except FileNotFoundError:
                        continue
                    except DamagedFileError:
                        existing = None
                        break
                absent = not (
                    self._case_path(case.id).exists() or self._trash_path(case.id).exists()
                )
                if existing is None and absent:
                    stored = case.copy()
                    stored.revision = max(stored.revision, 1)
                    target = self._trash_path if item.trashed else self._case_path
                    self._docs.write(target(case.id), stored)
                    return ("added", self._import_versions(item))
                if existing is not None and existing.to_dict() == _with_revision(case):
                    return ("unchanged", self._import_versions(item))
                if existing is not None and (existing.newer_format or case.newer_format):
                    return ("newer", 0)
            return ("clash", 0)

        clashes: list[ExportItem] = []
        with self._guard(_("import the cases")):
            with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
                for (outcome, versions), item in zip(pool.map(one, batch), batch, strict=True):
                    case_id = item.case.id
                    report.versions += versions
                    if outcome == "added":
                        report.added.append(case_id)
                        if item.trashed:
                            report.trashed.append(case_id)
                    elif outcome == "unchanged":
                        report.unchanged.append(case_id)
                    elif outcome == "newer":
                        report.skipped.append(
                            (
                                case_id,
                                _(
                                    "differs from the stored case, one of them written by a "
                                    "newer coprod (read-only here)"
                                ),
                            )
                        )
                    else:
                        clashes.append(item)
            for item in clashes:
                case = item.case
                if copies_index is None:
                    copies_index = {}
                    for summary in self.list_cases(include_trashed=True):
                        if summary.conflict_of:
                            copies_index.setdefault(summary.conflict_of, []).append(summary.id)
                existing_copy = self._find_equal_copy(case, copies_index.get(case.id, []))
                if existing_copy is not None:
                    report.unchanged.append(case.id)
                    continue
                copy = self._docs.conflict_copy(case)
                if item.trashed:
                    self.trash(copy.id)
                copies_index.setdefault(case.id, []).append(copy.id)
                report.conflicts.append((case.id, copy.id))
        return report

    def _import_versions(self, item: ExportItem) -> int:
        """Write an imported case's kept versions into its history (caller holds the lock)."""
        added = 0
        for version in item.history:
            data = CASE_FILE.encode(version.to_dict())
            if self._history.add_version(item.case.id, data, version.revision, version.updated):
                added += 1
        return added

    def _find_equal_copy(self, case: Case, copy_ids: list[str]) -> str | None:
        wanted = _content(case)
        for key in ("id", "title", "conflict_of", "created"):
            wanted.pop(key, None)
        for copy_id in copy_ids:
            try:
                copy = self.load(copy_id, mapped=False)
            except CoprodError:
                continue
            have = _content(copy)
            for key in ("id", "title", "conflict_of", "created"):
                have.pop(key, None)
            if have == wanted and copy.title.startswith(case.title):
                return copy_id
        return None

    # --- health ----------------------------------------------------------------------

    def doctor(self, *, repair: bool = False) -> DoctorReport:
        """Check every file; with ``repair``, fix what can be fixed without losing anything.

        Damaged case files get the newest good version from history back, the
        damaged file kept in ``damaged/``; loose modes are tightened; temp
        files of long-dead writers are removed; the catalog is rebuilt.
        """
        from coprod_tui.core.store.doctor import run_doctor

        with self._guard(_("check the store")):
            return run_doctor(self, repair=repair)

    def share_with_group(self, group: str | None = None) -> list[str]:
        """Opt in to a team store shared by a Unix group (see :mod:`.folder`)."""
        with self._guard(_("share the store")):
            messages = share_with_group(self.path, group)
        root, self.policy = prepare_store_folder(self.path, create=False)
        self._catalog.file_mode = self.policy.file_mode
        self._docs.set_modes(file_mode=self.policy.file_mode, dir_mode=self.policy.dir_mode)
        return messages


def _with_revision(case: Case) -> dict[str, Any]:
    data = case.to_dict()
    data["revision"] = max(case.revision, 1)
    return data
