"""A folder of documents of one kind: atomic writes, locks, revisions, merge, conflicts, history.

Everything the store does to keep a document's text safe, written once and
parameterised by the kind of document (:class:`DocumentKind`: its folder
names, its file layout, its document class, its merge function), so a second
kind of document is a few lines, not a copy of the case store:

* every write goes through :func:`storage.atomic_write_bytes` in the layout
  of :class:`case_file.DocumentFile`, after passing the registered *write
  checks* (the document's own value checks first); a check refuses with a
  :class:`WriteRefused`, and nothing is written;
* every read-modify-write holds the document's lock (``flock`` on a lock
  file that is never deleted) and re-reads the file by path;
* a save names the revision it was based on; if the file moved on, the two
  edits are merged item by item against that base, and what both sides
  changed differently keeps the stored value while the caller's whole text
  becomes a *conflict copy* (a new document);
* the version a save replaces is kept in the history (hard links; see
  :mod:`coprod_tui.core.store.history`); trash and untrash move the file;
  a purge removes every trace but the lock file;
* after every durable write, move and purge the *observers* are told (the
  catalog is the first); an observer that fails never fails or undoes the
  write: the error is logged and ignored.

:class:`coprod_tui.core.store.CaseStore` is the facade over one of these for
cases; it adds what only cases have (templates, import, restore, the doctor).
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, Protocol, TypeVar

import coprod_tui.core.store.storage as storage
from coprod_tui.core.case import utc_now
from coprod_tui.core.errors import CoprodError, UserInputError
from coprod_tui.core.i18n import _
from coprod_tui.core.store.case_file import DocumentFile
from coprod_tui.core.store.locking import LockTimeout, file_lock
from coprod_tui.core.store.storage import (
    DamagedFileError,
    LinkedFileError,
    atomic_write_bytes,
    describe_os_error,
    fsync_dir,
    make_private_folders,
)
from coprod_tui.core.store.types import (
    CaseNotFound,
    CasePurgedError,
    DamagedCaseError,
    NewerFormatError,
    SaveResult,
    StoreError,
    WriteRefused,
)

if TYPE_CHECKING:
    from coprod_tui.core.store.history import History

__all__ = [
    "DocumentFolder",
    "DocumentKind",
    "StoreObserver",
    "WriteCheck",
    "check_values",
    "store_guard",
]


#: Keep an earlier version at least this often while a document is being edited.
SNAPSHOT_EVERY = 5 * 60.0
#: Fields that change on every save and do not count as "content".
BOOKKEEPING = ("revision", "updated", "saved_by")


_Self = TypeVar("_Self")


class Document(Protocol):
    """What the folder needs of a document (``Case`` is one)."""

    id: str
    revision: int
    updated: str
    saved_by: str

    def to_dict(self) -> dict[str, Any]: ...

    def copy(self: _Self) -> _Self: ...

    def check(self) -> None: ...


D = TypeVar("D", bound=Document)


class StoreObserver(Protocol):
    """Told after every durable change to a store's documents (the catalog, the search index).

    Called with the document's lock held, right after the change is durable:
    be quick, and never raise (an exception is logged and ignored; the
    write stands).
    """

    def written(self, doc: Any, path: Path, trashed: bool) -> None:
        """``doc`` was just written to ``path`` (in the trash if ``trashed``)."""

    def moved(self, doc_id: str, trashed: bool) -> None:
        """The document was moved into (``trashed``) or out of the trash."""

    def purged(self, doc_id: str) -> None:
        """The document and all its versions were deleted for good."""


#: A write check: raises a :class:`WriteRefused` (one line) to refuse a document.
WriteCheck = Callable[[Any], None]


def check_values(doc: Document) -> None:
    """The first write check: the document's own value checks (it must read back as itself)."""
    try:
        doc.check()
    except ValueError as error:
        raise WriteRefused(str(error)) from None


class MergeOutcome(Protocol):
    """What a kind's merge function returns (:class:`coprod_tui.core.merge.Merge` is one)."""

    @property
    def case(self) -> Any:  # the merged document
        ...

    @property
    def clashes(self) -> tuple[Any, ...]: ...

    @property
    def from_theirs(self) -> tuple[str, ...]: ...


def _today_stamp() -> str:
    from datetime import datetime

    return datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")


class DocumentKind(NamedTuple, Generic[D]):
    """One kind of document: where its files live and how it is read, merged and copied."""

    #: The word for one document in messages ("case", "insight").
    name: str
    #: The file layout (TinyDB table name, key order).
    file: DocumentFile
    #: Builds a document from its dict, checking every value (``ValueError``).
    from_dict: Callable[[dict[str, Any]], D]
    #: Whether a text is a full, canonical document id.
    is_id: Callable[[str], bool]
    #: A fresh document id.
    new_id: Callable[[], str]
    #: ``merge(base, mine, theirs)``; ``None``: any change on both sides conflicts.
    merge: Callable[[D, D, D], MergeOutcome] | None = None
    #: Builds the conflict copy of a document: ``(doc, new_id, who, stamp) -> copy``.
    conflict_copy: Callable[[D, str, str, str], D] | None = None
    #: Folder names inside the store.
    active: str = "cases"
    trash: str = "trash"
    history: str = "history"
    locks: str = "locks"
    purged: str = "purged"
    #: The newest ``format`` this coprod writes (``None``: the kind has no format field).
    current_format: int | None = None
    #: How a "not found" message ends (a hint where to look).
    hint: str = ""


def content(doc: Document) -> dict[str, Any]:
    """A document's dict without its bookkeeping (revision, time, author)."""
    data = doc.to_dict()
    for key in BOOKKEEPING:
        data.pop(key, None)
    return data


def same_content(a: Document, b: Document) -> bool:
    """Whether two versions differ only in revision, time and author."""
    return content(a) == content(b)


def kind_word(name: str, form: str = "") -> str:
    """A document kind's name ("case", "insight") in the user's language, for messages.

    ``form`` "the" or "this" gives "the case", "this insight": languages put the
    article in different places (Swedish: "fallet", "den här insikten").
    """
    words = {
        "": {"case": _("case"), "insight": _("insight")},
        "the": {"case": _("the case"), "insight": _("the insight")},
        "this": {"case": _("this case"), "insight": _("this insight")},
    }[form]
    return words.get(name, f"{form} {name}".strip())


@contextmanager
def store_guard(action: str, root: Path) -> Iterator[None]:
    """Turn low-level failures into one-line store errors ("could not <action>: ...")."""
    try:
        yield
    except LinkedFileError as error:
        raise DamagedCaseError(
            _(
                "could not {action}: {file} is {reason}, which coprod never "
                "follows; it was left untouched — run 'coprod doctor'"
            ).format(action=action, file=error.path.name, reason=error.reason)
        ) from None
    except DamagedFileError as error:
        raise DamagedCaseError(
            _(
                "could not {action}: {file} is damaged ({reason}); "
                "it was left untouched — run 'coprod doctor --repair'"
            ).format(action=action, file=error.path.name, reason=error.reason)
        ) from None
    except WriteRefused as error:
        if not error.explained:
            error.explained = True
            error.args = (_("could not {action}: {error}").format(action=action, error=error),)
        raise
    except CoprodError:
        raise
    except LockTimeout:
        raise StoreError(
            _("could not {action}: another coprod process is holding the case; try again").format(
                action=action
            )
        ) from None
    except OSError as error:
        raise StoreError(
            _("could not {action}: {reason} ({root})").format(
                action=action, reason=describe_os_error(error), root=root
            )
        ) from None
    except ValueError as error:  # e.g. text that cannot be encoded
        raise UserInputError(
            _("could not {action}: {error}").format(action=action, error=error)
        ) from None


class DocumentFolder(Generic[D]):
    """The documents of one kind in one store folder. Safe across processes and threads."""

    def __init__(
        self,
        root: Path,
        kind: DocumentKind[D],
        *,
        file_mode: int,
        dir_mode: int,
        who: str | Callable[[], str],
        observers: Sequence[StoreObserver] = (),
        checks: Sequence[WriteCheck] = (),
    ) -> None:
        self.root = root
        self.kind = kind
        self.file_mode = file_mode
        self.dir_mode = dir_mode
        #: Who saves (``user@host``), or how to find out: asked on the first write,
        #: so a read-only command never pays for the lookup.
        self._who = who
        self.observers: list[StoreObserver] = list(observers)
        self.checks: list[WriteCheck] = [check_values, *checks]
        #: id -> time.time() of this session's last snapshot of it
        self.snapshotted: dict[str, float] = {}
        #: id -> the revision this object (one window, one command) last wrote:
        #: only a version in here may be thinned from history when replaced.
        self.wrote: dict[str, int] = {}

    @functools.cached_property
    def history(self) -> History:
        """The kept versions: made on first use, so a plain read never imports the history."""
        from coprod_tui.core.store.history import History

        return History(
            self.root / self.kind.history, file_mode=self.file_mode, dir_mode=self.dir_mode
        )

    # --- seams -----------------------------------------------------------------------

    def add_observer(self, observer: StoreObserver) -> None:
        """Tell ``observer`` about every later write, move and purge."""
        self.observers.append(observer)

    def add_write_check(self, check: WriteCheck) -> None:
        """Run ``check`` on every document before it is written (after the earlier checks)."""
        self.checks.append(check)

    def check(self, doc: D) -> None:
        """Run every write check on ``doc`` (:class:`WriteRefused` to refuse)."""
        for check in self.checks:
            check(doc)

    def _tell(self, event: str, *args: Any) -> None:
        for observer in self.observers:
            try:
                getattr(observer, event)(*args)
            except Exception:  # noqa: BLE001 - an observer never fails a durable write
                import logging  # only when an observer fails: logging is slow to import

                logging.getLogger(__name__).exception(
                    "store observer %r failed on %s", observer, event
                )

    def set_modes(self, *, file_mode: int, dir_mode: int) -> None:
        """New file and folder modes (after the store was shared with a group)."""
        self.file_mode = file_mode
        self.dir_mode = dir_mode
        self.history.file_mode = file_mode
        self.history.dir_mode = dir_mode

    def make_folders(self) -> None:
        """Create this kind's folders that are missing (a store made before the kind was)."""
        kind = self.kind
        for name in (kind.active, kind.trash, kind.history, kind.locks, kind.purged):
            self.make_folder(self.root / name)

    # --- paths, ids, locks -----------------------------------------------------------

    def path_of(self, doc_id: str) -> Path:
        """The file of an active document."""
        return self.root / self.kind.active / f"{doc_id}.json"

    def trash_path(self, doc_id: str) -> Path:
        """The file of a trashed document."""
        return self.root / self.kind.trash / f"{doc_id}.json"

    def lock_path(self, doc_id: str) -> Path:
        """The document's lock file (never deleted)."""
        return self.root / self.kind.locks / f"{doc_id}.lock"

    def purged_mark(self, doc_id: str) -> Path:
        """``purged/<id>``: holds nothing but says this id was deleted for good."""
        return self.root / self.kind.purged / doc_id

    def is_trash(self, path: Path) -> bool:
        """Whether ``path`` is in this kind's trash folder."""
        return path.parent.name == self.kind.trash

    def check_id(self, doc_id: str) -> str:
        """``doc_id`` if it is a full id, else :class:`CaseNotFound`."""
        if not isinstance(doc_id, str) or not self.kind.is_id(doc_id):
            raise CaseNotFound(
                _("no {kind} with id {doc_id!r}").format(
                    kind=kind_word(self.kind.name), doc_id=doc_id
                )
            )
        return doc_id

    def not_found(self, doc_id: str) -> CaseNotFound:
        hint = _(self.kind.hint) if self.kind.hint else ""
        return CaseNotFound(
            _("no {kind} with id {doc_id!r}{hint}").format(
                kind=kind_word(self.kind.name), doc_id=doc_id, hint=hint
            )
        )

    @contextmanager
    def locked(self, doc_id: str) -> Iterator[None]:
        """Hold the document's cross-process lock."""
        with file_lock(self.lock_path(doc_id), mode=self.file_mode):
            yield

    def locate(self, doc_id: str) -> Path:
        """The document's file, active or trashed (:class:`CaseNotFound` if neither)."""
        for path in (self.path_of(doc_id), self.trash_path(doc_id)):
            if os.path.lexists(path):
                return path
        raise self.not_found(doc_id)

    def make_folder(self, folder: Path) -> None:
        """Create a missing store folder (private, durable)."""
        make_private_folders(folder, self.dir_mode)

    # --- reading and writing files ---------------------------------------------------

    def read(self, path: Path, doc_id: str) -> D:
        """Parse one file; ``FileNotFoundError`` / :class:`DamagedFileError`."""
        data = self.kind.file.read(path)
        try:
            doc = self.kind.from_dict(data)
        except ValueError as error:
            raise DamagedFileError(path, str(error)) from None
        doc.id = doc_id  # the file name is the truth (a hand-copied file keeps working)
        return doc

    def load(self, doc_id: str) -> D:
        """The stored document, active or trashed, exactly as stored."""
        self.check_id(doc_id)
        for _attempt in range(3):
            path = self.locate(doc_id)
            try:
                return self.read(path, doc_id)
            except FileNotFoundError:
                continue  # trashed or restored between locate and read
        raise self.not_found(doc_id)

    def encode(self, doc: D) -> bytes:
        """The file bytes of ``doc``."""
        return self.kind.file.encode(doc.to_dict())

    def write(self, path: Path, doc: D, *, checked: bool = True) -> None:
        """Write ``doc`` to ``path`` atomically, then tell the observers.

        Every write check runs first (``checked=False`` only for putting back
        a version that was stored before, as a repair does): a refused
        document is never written.
        """
        if checked:
            self.check(doc)
        data = self.encode(doc)
        try:
            storage.atomic_write_bytes(path, data, mode=self.file_mode)
        except FileNotFoundError:
            self.make_folder(path.parent)  # removed by hand since the store was opened
            storage.atomic_write_bytes(path, data, mode=self.file_mode)
        self.wrote[doc.id] = doc.revision
        self._tell("written", doc, path, self.is_trash(path))

    def refuse_newer_format(self, doc_id: str, *docs: D) -> None:
        """:class:`NewerFormatError` if the stored document (or one given) is from a newer coprod.

        Called first thing under the lock by every write, so a document in a
        newer format is never replaced, merged or restored over here.
        """
        current = self.kind.current_format
        if current is None:
            return
        newer = [fmt for doc in docs if (fmt := getattr(doc, "format", current)) > current]
        for path in (self.path_of(doc_id), self.trash_path(doc_id)):
            fmt = self.kind.file.stored_format(path)
            if fmt is not None and fmt > current:
                newer.append(fmt)
        if newer:
            name = self.kind.name
            raise NewerFormatError(
                _(
                    "{name} {doc_id} was written by a newer coprod ({name} format {max}; this one"
                    " knows {current}) and is read-only here; upgrade coprod to change it"
                ).format(name=kind_word(name), doc_id=doc_id[:8], max=max(newer), current=current)
            )

    # --- versions --------------------------------------------------------------------

    @property
    def who(self) -> str:
        """``user@host``: who saves here (shown in history and conflict titles)."""
        if callable(self._who):
            self._who = self._who()
        return self._who

    def next_version(self, doc: D, stored_revision: int | None = None) -> D:
        """``doc`` as the version after ``stored_revision`` (default: after its own)."""
        new = doc.copy()
        new.revision = (doc.revision if stored_revision is None else stored_revision) + 1
        new.updated = utc_now()
        new.saved_by = self.who
        return new

    def write_new(self, doc: D) -> D:
        """Write a brand-new document at revision 1 (caller holds its lock)."""
        stored = self.next_version(doc, 0)
        self.write(self.path_of(stored.id), stored)
        return stored

    def keep_history(self, path: Path, stored: D, *, force: bool = False) -> None:
        """Keep the version about to be replaced in the history when the policy says so.

        A version this object wrote itself is kept at least every
        :data:`SNAPSHOT_EVERY` seconds (and may be thinned later). A version
        anyone else wrote (another window or process) is always kept, pinned:
        its writer may not know it is being replaced. ``force`` keeps it
        pinned whoever wrote it (restore).
        """
        now = time.time()
        own = self.wrote.get(stored.id) == stored.revision
        if own and not force:
            last = self.snapshotted.get(stored.id)
            if last is not None and now - last < SNAPSHOT_EVERY:
                return
        pinned = force or not own
        self.history.keep(stored.id, path, stored.revision, stored.updated, pinned=pinned)
        self.history.prune(stored.id, now=now)
        self.snapshotted[stored.id] = now

    def kept_version(self, doc_id: str, revision: int) -> D | None:
        """Revision ``revision`` from the history; ``None`` if not kept or unreadable."""
        snap = self.history.find(doc_id, revision)
        if snap is None:
            return None
        try:
            return self.read(snap.path, doc_id)
        except (DamagedFileError, OSError):
            return None

    def versions(self, doc_id: str) -> list[D]:
        """Every readable kept version, oldest first (a damaged one is left out)."""
        found = []
        for snap in self.history.snapshots(doc_id):
            try:
                found.append(self.read(snap.path, doc_id))
            except (DamagedFileError, FileNotFoundError):
                continue
        return found

    # --- conflict copies -------------------------------------------------------------

    def conflict_copy(self, doc: D) -> D:
        """Keep the caller's text as a new document linked to the original."""
        new_id = self.kind.new_id()
        if self.kind.conflict_copy is None:
            copy = doc.copy()
            copy.id = new_id
        else:
            copy = self.kind.conflict_copy(doc, new_id, self.who, _today_stamp())
        with self.locked(copy.id):
            return self.write_new(copy)

    def keep_conflict_copy(
        self, doc: D, copy_id: str | None, *, adopt: Callable[[D, D], None] | None = None
    ) -> D:
        """The caller's whole text in a conflict copy: ``copy_id``'s if it still exists.

        ``adopt(mine, held)`` gives ``mine`` what it keeps of the held copy
        (its title and link); by default only its id.
        """
        if copy_id is not None:
            with self.locked(copy_id):
                try:
                    held = self.read(self.path_of(copy_id), copy_id)
                except (FileNotFoundError, DamagedFileError):
                    held = None
                if held is not None:
                    mine = doc.copy()
                    mine.id = copy_id
                    if adopt is not None:
                        adopt(mine, held)
                    if same_content(held, mine):
                        return held
                    new = self.next_version(mine, held.revision)
                    self.keep_history(self.path_of(copy_id), held)
                    self.write(self.path_of(copy_id), new)
                    return new
        return self.conflict_copy(doc)

    # --- save, update ----------------------------------------------------------------

    def save(
        self,
        doc: D,
        *,
        base_revision: int,
        base: D | None = None,
        conflict_copy: str | None = None,
        view: Callable[[D], D] = lambda doc: doc,
        adopt: Callable[[D, D], None] | None = None,
    ) -> SaveResult[D]:
        """Save ``doc``, edited from revision ``base_revision`` (see ``CaseStore.save``).

        ``view`` turns a stored document into what the caller edits (cases
        are mapped onto their template); the caller holds no lock.
        """
        self.check_id(doc.id)
        with self.locked(doc.id):
            self.refuse_newer_format(doc.id, doc)
            path = self.path_of(doc.id)
            try:
                stored = self.read(path, doc.id)
            except FileNotFoundError:
                path = self.trash_path(doc.id)
                try:
                    stored = self.read(path, doc.id)
                except FileNotFoundError:
                    if os.path.lexists(self.purged_mark(doc.id)):
                        raise CasePurgedError(
                            _(
                                "{kind} was deleted for good (purged) in another "
                                "window or by 'coprod purge'; nothing was saved"
                            ).format(kind=kind_word(self.kind.name, "this"))
                        ) from None
                    # Nothing there to overwrite (removed by hand): (re)create it.
                    recreated = doc.copy()
                    recreated.revision = max(base_revision, 0)
                    new = self.next_version(recreated)
                    self.write(self.path_of(doc.id), new)
                    return SaveResult(case=new)
            trashed = self.is_trash(path)
            theirs = view(stored)
            if stored.revision == base_revision and base is None:
                base = theirs
            elif base is None:
                kept = self.kept_version(doc.id, base_revision)
                base = None if kept is None else view(kept)
            if base is None or self.kind.merge is None:
                # The base is not kept (or the kind cannot merge): compare whole documents.
                if same_content(theirs, doc):
                    return SaveResult(case=theirs, trashed=trashed)
                if base is not None and same_content(base, theirs):
                    merged: D = doc
                    clashes: tuple[Any, ...] = ()
                    from_theirs: tuple[str, ...] = ()
                else:
                    copy = self.keep_conflict_copy(doc, conflict_copy, adopt=adopt)
                    return SaveResult(case=theirs, conflict=copy, trashed=trashed)
            else:
                outcome = self.kind.merge(base, doc, theirs)
                merged, clashes, from_theirs = outcome.case, outcome.clashes, outcome.from_theirs
            kept = self.keep_conflict_copy(doc, conflict_copy, adopt=adopt) if clashes else None
            current = theirs
            if not same_content(merged, theirs):
                current = self.next_version(merged, stored.revision)
                self.keep_history(path, stored)
                self.write(path, current)
            return SaveResult(
                case=current,
                conflict=kept,
                clashes=tuple(clashes),
                from_theirs=tuple(from_theirs) if stored.revision != base_revision else (),
                trashed=trashed,
            )

    def update(
        self, doc_id: str, change: Callable[[D], D], *, view: Callable[[D], D] = lambda doc: doc
    ) -> D:
        """Apply ``change`` to the current version under the lock and save it (never conflicts)."""
        self.check_id(doc_id)
        with self.locked(doc_id):
            self.refuse_newer_format(doc_id)
            path = self.path_of(doc_id)
            try:
                stored = self.read(path, doc_id)
            except FileNotFoundError:
                self.locate(doc_id)  # CaseNotFound, or:
                raise UserInputError(
                    _("{kind} is in the trash; restore it first").format(
                        kind=kind_word(self.kind.name, "the")
                    )
                ) from None
            # A copy: ``change`` may edit in place, and ``view`` may hand back ``stored``
            # itself (a case whose template is unknown), which would hide the change.
            changed = change(view(stored.copy()))
            changed.id = doc_id
            if same_content(stored, changed):
                return view(stored)
            new = self.next_version(changed, stored.revision)
            self.keep_history(path, stored)
            self.write(path, new)
            return new

    # --- trash and purge -------------------------------------------------------------

    def move(self, doc_id: str, *, to_trash: bool) -> None:
        """Move a document into (or out of) the trash; a move into it stamps the deletion time."""
        self.check_id(doc_id)
        active, trashed = self.path_of(doc_id), self.trash_path(doc_id)
        src, dst = (active, trashed) if to_trash else (trashed, active)
        with self.locked(doc_id):
            if not src.exists():
                if dst.exists():
                    return  # already there
                kind = kind_word(self.kind.name)
                if to_trash:
                    message = _("no {kind} with id {doc_id!r} among the active ones")
                else:
                    message = _("no {kind} with id {doc_id!r} in the trash")
                raise CaseNotFound(message.format(kind=kind, doc_id=doc_id))
            if dst.exists():
                raise StoreError(
                    _("both {src} and {dst} exist; run 'coprod doctor'").format(src=src, dst=dst)
                )
            if not dst.parent.exists():
                self.make_folder(dst.parent)
            os.replace(src, dst)
            if to_trash:
                _stamp_deletion(dst)
            fsync_dir(dst.parent)
            fsync_dir(src.parent)
            self._tell("moved", doc_id, to_trash)

    def purge(
        self,
        doc_id: str,
        copies: dict[str, list[str]] | None = None,
        *,
        extra: Callable[[str], list[Path]] = lambda doc_id: [],
    ) -> list[str]:
        """Remove a document for good, with its history and (first) its conflict copies.

        ``copies`` maps an id to the ids of its conflict copies; ``extra(id)``
        lists further files of it to remove (kept-aside copies). Each
        document's files go under its lock, its file last, so a purge cut
        short leaves it listed and can simply be run again. Only the lock
        file stays: it holds nothing, and removing it could let two writers
        in. The observers are told once everything is gone.
        """
        removed: list[str] = []
        self._purge_one(self.check_id(doc_id), copies or {}, removed, extra)
        for gone in removed:
            self._tell("purged", gone)
        return removed

    def _purge_one(
        self,
        doc_id: str,
        copies: dict[str, list[str]],
        removed: list[str],
        extra: Callable[[str], list[Path]],
    ) -> None:
        removed.append(doc_id)
        with self.locked(doc_id):
            # A mark, first: an editor still open on this document must not bring it back.
            mark = self.purged_mark(doc_id)
            if not os.path.lexists(mark):
                if not mark.parent.is_dir():
                    self.make_folder(mark.parent)
                atomic_write_bytes(mark, b"", mode=self.file_mode)
            files = [
                path
                for path in (self.path_of(doc_id), self.trash_path(doc_id))
                if os.path.lexists(path)
            ]
            history = self.history.folder(doc_id)
            aside = extra(doc_id)
            if len(removed) == 1 and not files and not os.path.lexists(history) and not aside:
                raise self.not_found(doc_id)
            for copy_id in copies.get(doc_id, []):
                if copy_id not in removed:
                    self._purge_one(copy_id, copies, removed, extra)
            if os.path.islink(history) or os.path.isfile(history):
                os.unlink(history)  # never follow a link out of the store
            elif os.path.isdir(history):
                import shutil

                shutil.rmtree(history)  # does not follow links inside either
            temp_prefix = f".{doc_id}.json."
            for folder in (self.path_of(doc_id).parent, self.trash_path(doc_id).parent):
                for temp in entries(folder, lambda name: name.startswith(temp_prefix)):
                    os.unlink(temp)
            for path in aside:
                os.unlink(path)
            for path in files:
                os.unlink(path)
            touched = {self.history.root, *(p.parent for p in aside), *(p.parent for p in files)}
            for folder in touched:
                if os.path.isdir(folder):
                    fsync_dir(folder)
        self.snapshotted.pop(doc_id, None)


def _stamp_deletion(path: Path) -> None:
    """Set a just-trashed file's modification time to now, durably (the deletion time)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        os.utime(fd)
        os.fsync(fd)
    finally:
        os.close(fd)


def entries(folder: Path, wanted: Callable[[str], bool]) -> list[Path]:
    """The entries of ``folder`` whose names pass ``wanted`` (none if there is no folder)."""
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [folder / name for name in names if wanted(name)]
