"""CaseStore: one TinyDB document per case, a derivable catalog, locks, revisions, history.

Layout of a store folder (0700; files 0600)::

    coprod-store.json          marks the folder as a store
    cases/<id>.json            one case: a one-document TinyDB database (table "case")
    trash/<id>.json            trashed cases (ids are kept, never reused)
    history/<id>/<rev>-<t>.json  kept earlier versions (hard links; see core.history)
    locks/<id>.lock            per-case lock files, never deleted
    damaged/                   damaged files kept aside by ``coprod doctor --repair``
    catalog.json               cached summaries for listing (see core.catalog) ...
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
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from pathlib import Path
from typing import Any

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
from coprod_tui.core.export import ExportItem
from coprod_tui.core.merge import merge
from coprod_tui.core.store.catalog import CASE_DOC_ID, CASE_TABLE, Catalog, case_document
from coprod_tui.core.store.folder import FolderPolicy, prepare_store_folder, share_with_group
from coprod_tui.core.store.history import History
from coprod_tui.core.store.layout import (
    TRASH,
    case_file,
    folders_to_scan,
    ids_in,
    is_case_id,
    lock_file,
    trash_file,
)
from coprod_tui.core.store.locking import LockTimeout, file_lock
from coprod_tui.core.store.storage import (
    AtomicJSONStorage,
    DamagedFileError,
    LinkedFileError,
    atomic_write_bytes,
    describe_os_error,
    encode_json,
    fsync_dir,
    read_json,
)
from coprod_tui.core.store.types import (
    AmbiguousCaseId,
    CaseNotFound,
    CasePurgedError,
    CaseSummary,
    DamagedCaseError,
    NewerFormatError,
    RevisionInfo,
    SaveResult,
    StoreError,
    UnsafeStoreError,
)
from coprod_tui.core.template import Template

__all__ = [
    "AmbiguousCaseId",
    "CaseNotFound",
    "CaseStore",
    "CaseSummary",
    "DamagedCaseError",
    "DoctorReport",
    "ImportReport",
    "NewerFormatError",
    "RevisionInfo",
    "SaveResult",
    "StoreError",
    "UnsafeStoreError",
]

#: Keep an earlier version at least this often while a case is being edited.
SNAPSHOT_EVERY = 5 * 60.0
#: Fields that change on every save and do not count as "content".
_BOOKKEEPING = ("revision", "updated", "saved_by")


def whoami() -> str:
    """``user@host``: who saved a version (shown in history and conflict titles)."""
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid())
    return f"{user}@{socket.gethostname()}"


def _content(case: Case) -> dict[str, Any]:
    data = case.to_dict()
    for key in _BOOKKEEPING:
        data.pop(key, None)
    return data


def same_content(a: Case, b: Case) -> bool:
    """Whether two versions differ only in revision, time and author."""
    return _content(a) == _content(b)


@dataclass
class ImportReport:
    """What :meth:`CaseStore.import_cases` did."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: (id in the file, id of the conflict copy made for it)
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    #: Of ``added``: the ones put back in the trash.
    trashed: list[str] = field(default_factory=list)
    #: Kept earlier versions written into history.
    versions: int = 0
    #: (id, why) of cases left alone: they differ from a stored case that one
    #: of the two (written by a newer coprod) makes read-only here.
    skipped: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class DoctorReport:
    """What :meth:`CaseStore.doctor` found and fixed."""

    checked: int = 0
    problems: list[str] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        """No problem is left (all found ones were fixed)."""
        return not self.problems


class CaseStore:
    """Open with :meth:`open`. Safe to use from several processes (and threads) at once."""

    path: Path

    def __init__(self, path: Path, policy: FolderPolicy, templates: Any = None) -> None:
        self.path = path
        self.policy = policy
        self._templates = templates
        self._templates_loaded = templates is not None
        self._catalog = Catalog(path, file_mode=policy.file_mode)
        self._history = History(
            path / "history", file_mode=policy.file_mode, dir_mode=policy.dir_mode
        )
        #: case id -> time.time() of this session's last snapshot of it
        self._snapshotted: dict[str, float] = {}
        #: case id -> the revision this store object (one window, one command) last
        #: wrote: only a version in here may be thinned from history when replaced.
        self._wrote: dict[str, int] = {}
        self._who = whoami()

    # --- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, create: bool = True, templates: Any = None) -> CaseStore:
        """Open (and with ``create``, make) the store at ``path``.

        ``templates`` is anything with ``get(template_id) -> Template`` (the
        template registry); loaded cases are mapped onto their template's
        current sections. Without it the shipped and user templates are
        discovered on first need. Raises :class:`UnsafeStoreError` for a
        folder others could tamper with.
        """
        root, policy = prepare_store_folder(Path(path), create=create)
        return cls(root, policy, templates)

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

    # --- paths and guards --------------------------------------------------------------

    def _case_path(self, case_id: str) -> Path:
        return case_file(self.path, case_id)

    def _trash_path(self, case_id: str) -> Path:
        return trash_file(self.path, case_id)

    def _lock_path(self, case_id: str) -> Path:
        return lock_file(self.path, case_id)

    @staticmethod
    def _check_id(case_id: str) -> str:
        if not isinstance(case_id, str) or not is_case_id(case_id):
            raise CaseNotFound(f"no case with id {case_id!r}")
        return case_id

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        """Turn low-level failures into one-line store errors."""
        try:
            yield
        except LinkedFileError as error:
            raise DamagedCaseError(
                f"could not {action}: {error.path.name} is {error.reason}, which coprod never "
                "follows; it was left untouched — run 'coprod doctor'"
            ) from None
        except DamagedFileError as error:
            raise DamagedCaseError(
                f"could not {action}: {error.path.name} is damaged ({error.reason}); "
                "it was left untouched — run 'coprod doctor --repair'"
            ) from None
        except CoprodError:
            raise
        except LockTimeout:
            raise StoreError(
                f"could not {action}: another coprod process is holding the case; try again"
            ) from None
        except OSError as error:
            raise StoreError(
                f"could not {action}: {describe_os_error(error)} ({self.path})"
            ) from None
        except ValueError as error:  # e.g. text that cannot be encoded
            raise UserInputError(f"could not {action}: {error}") from None

    @contextmanager
    def _locked(self, case_id: str) -> Iterator[None]:
        with file_lock(self._lock_path(case_id), mode=self.policy.file_mode):
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

    def _mapped(self, case: Case) -> Case:
        """``case`` mapped onto its template's current sections (orphans kept)."""
        template = self._template(case.template_id)
        if template is None:
            return case
        return apply_template(case, template)

    # --- reading files ---------------------------------------------------------------

    @staticmethod
    def _read_file(path: Path, case_id: str) -> Case:
        """Parse one case file; ``FileNotFoundError`` / :class:`DamagedFileError`."""
        data = read_json(path)
        try:
            case = Case.from_dict(case_document(data, path))
        except ValueError as error:
            raise DamagedFileError(path, str(error)) from None
        case.id = case_id  # the file name is the truth (a hand-copied file keeps working)
        return case

    def _refuse_newer_format(self, case_id: str, *cases: Case) -> None:
        """:class:`NewerFormatError` if the stored case (or one given) is from a newer coprod.

        Called first thing under the case's lock by every write, so a case in
        a newer format is never replaced, merged or restored over here.
        """
        newer = [case.format for case in cases if case.newer_format]
        for path in (self._case_path(case_id), self._trash_path(case_id)):
            try:
                fmt = case_document(read_json(path), path).get("format", CASE_FORMAT)
            except (OSError, DamagedFileError):
                continue
            if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt > CASE_FORMAT:
                newer.append(fmt)
        if newer:
            raise NewerFormatError(
                f"case {case_id[:8]} was written by a newer coprod (case format {max(newer)}; "
                f"this one knows {CASE_FORMAT}) and is read-only here; upgrade coprod to change it"
            )

    def _write_file(self, path: Path, case: Case) -> None:
        case.check()  # never write what would read back as damaged (ValueError)
        storage = AtomicJSONStorage(path, mode=self.policy.file_mode)
        document = {CASE_TABLE: {CASE_DOC_ID: case.to_dict()}}
        try:
            storage.write(document)
        except FileNotFoundError:
            self._make_folder(path.parent)  # removed by hand since the store was opened
            storage.write(document)
        self._wrote[case.id] = case.revision
        self._catalog.note(case, path, trashed=path.parent.name == TRASH)

    def _make_folder(self, folder: Path) -> None:
        """Create a missing store folder (private, durable)."""
        try:
            os.mkdir(folder, self.policy.dir_mode & 0o777)
        except FileExistsError:
            return
        os.chmod(folder, self.policy.dir_mode)
        fsync_dir(folder.parent)

    # --- listing and ids -------------------------------------------------------------

    def list_cases(self, *, include_trashed: bool = False) -> list[CaseSummary]:
        """Summaries, newest first, from the catalog (only changed files are read)."""
        with self._guard("list the cases"):
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
            raise CaseNotFound("no case id given")
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
            with self._guard("look up the case"):
                active, trashed = [], []
                for folder, in_trash in folders_to_scan(self.path):
                    (trashed if in_trash else active).extend(ids_in(folder, prefix))
        matches = sorted(set(active + (trashed if include_trashed else [])))
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            shown = ", ".join(m[:8] for m in matches[:5])
            more = "" if len(matches) <= 5 else f" and {len(matches) - 5} more"
            raise AmbiguousCaseId(
                f"{len(matches)} cases start with {prefix!r} ({shown}{more}); give more of the id"
            )
        if trashed:
            raise CaseNotFound(f"the case {prefix!r} is in the trash")
        raise CaseNotFound(f"no case with id {prefix!r} (see 'coprod list')")

    # --- loading ---------------------------------------------------------------------

    def _locate(self, case_id: str) -> Path:
        active = self._case_path(case_id)
        if os.path.lexists(active):
            return active
        trashed = self._trash_path(case_id)
        if os.path.lexists(trashed):
            return trashed
        raise CaseNotFound(f"no case with id {case_id!r} (see 'coprod list')")

    def load(self, case_id: str, *, mapped: bool = True) -> Case:
        """The stored case (active or trashed), mapped onto its current template.

        ``mapped=False`` returns the document exactly as stored (export uses it).
        """
        self._check_id(case_id)
        for _attempt in range(3):
            path = self._locate(case_id)
            with self._guard("open the case"):
                try:
                    case = self._read_file(path, case_id)
                except FileNotFoundError:
                    continue  # trashed or restored between locate and read
            return self._mapped(case) if mapped else case
        raise CaseNotFound(f"no case with id {case_id!r} (see 'coprod list')")

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
        with self._guard(f"create the case {case.title!r}"), self._locked(case.id):
            if self._case_path(case.id).exists() or self._trash_path(case.id).exists():
                raise UserInputError(f"a case with id {case.id} already exists")
            return self._write_new(case)

    def _write_new(self, case: Case) -> Case:
        """Write a brand-new case at revision 1 (caller holds its lock)."""
        stored = case.copy()
        stored.revision = 1
        stored.updated = utc_now()
        stored.saved_by = self._who
        self._write_file(self._case_path(stored.id), stored)
        return stored

    def save(
        self,
        case: Case,
        *,
        base_revision: int,
        base: Case | None = None,
        conflict_copy: str | None = None,
    ) -> SaveResult:
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
        self._check_id(case.id)
        with self._guard(f"save {case.title!r}"), self._locked(case.id):
            self._refuse_newer_format(case.id, case)
            path = self._case_path(case.id)
            try:
                stored = self._read_file(path, case.id)
            except FileNotFoundError:
                path = self._trash_path(case.id)
                try:
                    stored = self._read_file(path, case.id)
                except FileNotFoundError:
                    if os.path.lexists(self._purged_mark(case.id)):
                        raise CasePurgedError(
                            "this case was deleted for good (purged) in another window or "
                            "by 'coprod purge'; nothing was saved"
                        ) from None
                    # Nothing there to overwrite (removed by hand): (re)create it.
                    recreated = case.copy()
                    recreated.revision = max(base_revision, 0)
                    new = self._next_version(recreated)
                    self._write_file(self._case_path(case.id), new)
                    return SaveResult(case=new)
            trashed = path.parent.name == TRASH
            theirs = self._mapped(stored)
            if stored.revision == base_revision and base is None:
                base = theirs
            elif base is None:
                base = self._kept_version(case.id, base_revision)
            if base is None:
                # The base is not kept: only a whole-case comparison is possible.
                if same_content(theirs, case):
                    return SaveResult(case=theirs, trashed=trashed)
                copy = self._keep_conflict_copy(case, conflict_copy)
                return SaveResult(case=theirs, conflict=copy, trashed=trashed)
            outcome = merge(base, case, theirs)
            copy = self._keep_conflict_copy(case, conflict_copy) if outcome.clashes else None
            current = theirs
            if not same_content(outcome.case, theirs):
                current = self._next_version(outcome.case, stored.revision)
                self._keep_history(path, stored)
                self._write_file(path, current)
            return SaveResult(
                case=current,
                conflict=copy,
                clashes=outcome.clashes,
                from_theirs=outcome.from_theirs if stored.revision != base_revision else (),
                trashed=trashed,
            )

    def _kept_version(self, case_id: str, revision: int) -> Case | None:
        """Revision ``revision`` from the history, mapped; ``None`` if not kept or unreadable."""
        snap = self._history.find(case_id, revision)
        if snap is None:
            return None
        try:
            return self._mapped(self._read_file(snap.path, case_id))
        except (DamagedFileError, OSError):
            return None

    def _keep_conflict_copy(self, case: Case, copy_id: str | None) -> Case:
        """The caller's whole text in a conflict copy: ``copy_id``'s if it still exists."""
        if copy_id is not None:
            with self._locked(copy_id):
                try:
                    held = self._read_file(self._case_path(copy_id), copy_id)
                except (FileNotFoundError, DamagedFileError):
                    held = None
                if held is not None:
                    mine = case.copy()
                    mine.id, mine.title, mine.conflict_of = copy_id, held.title, held.conflict_of
                    mine.created = held.created
                    if same_content(held, mine):
                        return held
                    new = self._next_version(mine, held.revision)
                    self._keep_history(self._case_path(copy_id), held)
                    self._write_file(self._case_path(copy_id), new)
                    return new
        return self._conflict_copy(case)

    def update(self, case_id: str, change: Callable[[Case], Case]) -> Case:
        """Apply ``change`` to the current version under the case's lock and save it.

        For edits that must never conflict, such as ``coprod write --append``
        from many processes at once: the read, the change and the write happen
        while holding the lock, so no concurrent update is lost.
        """
        self._check_id(case_id)
        with self._guard("update the case"), self._locked(case_id):
            self._refuse_newer_format(case_id)
            path = self._case_path(case_id)
            try:
                stored = self._read_file(path, case_id)
            except FileNotFoundError:
                self._locate(case_id)  # CaseNotFound, or:
                raise UserInputError("the case is in the trash; restore it first") from None
            changed = change(self._mapped(stored))
            changed.id = case_id
            if same_content(stored, changed):
                return self._mapped(stored)
            new = self._next_version(changed, stored.revision)
            self._keep_history(path, stored)
            self._write_file(path, new)
            return new

    def write_section(
        self,
        case_id: str,
        section_id: str,
        text: str,
        *,
        append: bool = False,
        expected: str | None = None,
    ) -> SaveResult:
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
            with self._guard("keep your text as a conflict copy"):
                return SaveResult(case=saved, conflict=self._conflict_copy(mine[0]))
        return SaveResult(case=saved)

    def _next_version(self, case: Case, stored_revision: int | None = None) -> Case:
        new = case.copy()
        new.revision = (case.revision if stored_revision is None else stored_revision) + 1
        new.updated = utc_now()
        new.saved_by = self._who
        return new

    def _conflict_copy(self, case: Case) -> Case:
        """Keep the caller's text as a new, clearly titled case linked to the original."""
        copy = case.copy()
        copy.id = new_case_id()
        copy.conflict_of = case.id
        stamp = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
        suffix = f" (conflict copy, {self._who} {stamp})"
        copy.title = case.title[: max(0, MAX_TITLE - len(suffix))] + suffix
        copy.created = utc_now()
        with self._locked(copy.id):
            return self._write_new(copy)

    def _keep_history(self, path: Path, stored: Case, *, force: bool = False) -> None:
        """Keep the version about to be replaced in the history when the policy says so.

        A version this store object wrote itself is kept at least every
        :data:`SNAPSHOT_EVERY` seconds (and may be thinned later). A version
        anyone else wrote (another window or process) is always kept, pinned:
        its writer may not know it is being replaced. ``force`` keeps it
        pinned whoever wrote it (restore).
        """
        now = time.time()
        own = self._wrote.get(stored.id) == stored.revision
        if own and not force:
            last = self._snapshotted.get(stored.id)
            if last is not None and now - last < SNAPSHOT_EVERY:
                return
        pinned = force or not own
        self._history.keep(stored.id, path, stored.revision, stored.updated, pinned=pinned)
        self._history.prune(stored.id, now=now)
        self._snapshotted[stored.id] = now

    # --- trash -----------------------------------------------------------------------

    def trash(self, case_id: str) -> None:
        """Move a case to the trash (its id stays reserved; :meth:`untrash` brings it back)."""
        self._move(case_id, to_trash=True)

    def untrash(self, case_id: str) -> None:
        """Bring a trashed case back."""
        self._move(case_id, to_trash=False)

    def _move(self, case_id: str, *, to_trash: bool) -> None:
        self._check_id(case_id)
        active, trashed = self._case_path(case_id), self._trash_path(case_id)
        src, dst = (active, trashed) if to_trash else (trashed, active)
        action = "move the case to the trash" if to_trash else "take the case out of the trash"
        with self._guard(action), self._locked(case_id):
            if not src.exists():
                if dst.exists():
                    return  # already there
                where = "among the active cases" if to_trash else "in the trash"
                raise CaseNotFound(f"no case with id {case_id!r} {where}")
            if dst.exists():
                raise StoreError(f"both {src} and {dst} exist; run 'coprod doctor'")
            if not dst.parent.exists():
                self._make_folder(dst.parent)
            os.replace(src, dst)
            if to_trash:
                _stamp_deletion(dst)
            fsync_dir(dst.parent)
            fsync_dir(src.parent)

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
        removed: list[str] = []
        with self._guard("delete the case for good"):
            copies: dict[str, list[str]] = {}
            for summary in self._catalog.scan():
                if isinstance(summary.conflict_of, str):
                    copies.setdefault(summary.conflict_of, []).append(summary.id)
            self._purge_one(case_id, copies, removed)
            self._catalog.rewrite()
        return removed

    def _purged_mark(self, case_id: str) -> Path:
        """``purged/<id>``: holds nothing but says this id was deleted for good."""
        return self.path / "purged" / case_id

    def _purge_one(self, case_id: str, copies: dict[str, list[str]], removed: list[str]) -> None:
        """Purge one case and (first) its conflict copies; ``removed`` collects ids."""
        removed.append(case_id)
        with self._locked(case_id):
            # A mark, first: an editor still open on this case must not bring it back.
            mark = self._purged_mark(case_id)
            if not os.path.lexists(mark):
                atomic_write_bytes(mark, b"", mode=self.policy.file_mode)
            files = [
                path
                for path in (self._case_path(case_id), self._trash_path(case_id))
                if os.path.lexists(path)
            ]
            history = self.path / "history" / case_id
            aside = _entries(self.path / "damaged", lambda name: case_id in name)
            if len(removed) == 1 and not files and not os.path.lexists(history) and not aside:
                raise CaseNotFound(f"no case with id {case_id!r} (see 'coprod list')")
            for copy_id in copies.get(case_id, []):
                if copy_id not in removed:
                    self._purge_one(copy_id, copies, removed)
            if os.path.islink(history) or os.path.isfile(history):
                os.unlink(history)  # never follow a link out of the store
            elif os.path.isdir(history):
                import shutil

                shutil.rmtree(history)  # does not follow links inside either
            temp_prefix = f".{case_id}.json."
            for folder, _trashed in folders_to_scan(self.path):
                for temp in _entries(folder, lambda name: name.startswith(temp_prefix)):
                    os.unlink(temp)
            for path in aside:
                os.unlink(path)
            for path in files:
                os.unlink(path)
            touched = {self.path / "history", self.path / "damaged", *(p.parent for p in files)}
            for folder in touched:
                if os.path.isdir(folder):
                    fsync_dir(folder)
        self._snapshotted.pop(case_id, None)

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
        versions = []
        with self._guard("read the case history"):
            for snap in self._history.snapshots(case_id):
                try:
                    versions.append(self._read_file(snap.path, case_id))
                except (DamagedFileError, FileNotFoundError):
                    continue
        return versions

    def history(self, case_id: str) -> list[RevisionInfo]:
        """Kept earlier versions, newest first (the current version is not included)."""
        self._check_id(case_id)
        infos = []
        with self._guard("read the case history"):
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
                f"case {case_id[:8]} has no kept revision {revision} (see 'coprod history')"
            )
        with self._guard(f"read revision {revision}"):
            return self._mapped(self._read_file(snap.path, case_id))

    def restore(self, case_id: str, revision: int) -> Case:
        """Make an earlier version current again; the current version is kept in history.

        A damaged current file is first kept in ``damaged/`` (never written
        over without a copy), so restoring is also a manual repair.
        """
        from coprod_tui.core.store.doctor import damaged_revision, set_aside

        self._check_id(case_id)
        with self._guard(f"restore revision {revision}"), self._locked(case_id):
            self._refuse_newer_format(case_id)
            path = self._case_path(case_id)
            try:
                current: Case | None = self._read_file(path, case_id)
            except FileNotFoundError:
                self._locate(case_id)
                raise UserInputError("the case is in the trash; restore it first") from None
            except DamagedFileError:
                current = None
            if current is not None and current.revision == revision:
                return self._mapped(current)
            snap = self._history.find(case_id, revision)
            if snap is None:
                raise UserInputError(
                    f"case {case_id[:8]} has no kept revision {revision} (see 'coprod history')"
                )
            old = self._read_file(snap.path, case_id)
            if current is None:
                aside = set_aside(self, path, case_id)
                newest = max(s.revision for s in self._history.snapshots(case_id))
                # The damaged file replaced the newest kept version: it was past it.
                new = self._next_version(old, max(newest + 1, damaged_revision(aside)))
            else:
                new = self._next_version(old, current.revision)
                self._keep_history(path, current, force=True)
            self._write_file(path, new)
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

        batch = [item if isinstance(item, ExportItem) else ExportItem(item) for item in cases]
        with self._guard("import the cases"):
            for item in batch:
                self._check_id(item.case.id)
                item.case.check()  # a bad value: refuse before anything is written
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
                    self._write_file(target(case.id), stored)
                    return ("added", self._import_versions(item))
                if existing is not None and existing.to_dict() == _with_revision(case):
                    return ("unchanged", self._import_versions(item))
                if existing is not None and (existing.newer_format or case.newer_format):
                    return ("newer", 0)
            return ("clash", 0)

        clashes: list[ExportItem] = []
        with self._guard("import the cases"):
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
                                "differs from the stored case, one of them written by a "
                                "newer coprod (read-only here)",
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
                copy = self._conflict_copy(case)
                if item.trashed:
                    self.trash(copy.id)
                copies_index.setdefault(case.id, []).append(copy.id)
                report.conflicts.append((case.id, copy.id))
        return report

    def _import_versions(self, item: ExportItem) -> int:
        """Write an imported case's kept versions into its history (caller holds the lock)."""
        added = 0
        for version in item.history:
            data = encode_json({CASE_TABLE: {CASE_DOC_ID: version.to_dict()}})
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

        with self._guard("check the store"):
            return run_doctor(self, repair=repair)

    def share_with_group(self, group: str | None = None) -> list[str]:
        """Opt in to a team store shared by a Unix group (see core.store_folder)."""
        with self._guard("share the store"):
            messages = share_with_group(self.path, group)
        root, self.policy = prepare_store_folder(self.path, create=False)
        self._catalog.file_mode = self.policy.file_mode
        self._history.file_mode = self.policy.file_mode
        self._history.dir_mode = self.policy.dir_mode
        return messages


def _stamp_deletion(path: Path) -> None:
    """Set a just-trashed file's modification time to now, durably (the deletion time)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        os.utime(fd)
        os.fsync(fd)
    finally:
        os.close(fd)


def _entries(folder: Path, wanted: Callable[[str], bool]) -> list[Path]:
    """The entries of ``folder`` whose names pass ``wanted`` (none if there is no folder)."""
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [folder / name for name in names if wanted(name)]


def _with_revision(case: Case) -> dict[str, Any]:
    data = case.to_dict()
    data["revision"] = max(case.revision, 1)
    return data
