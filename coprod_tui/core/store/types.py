"""The store's errors and result types (re-exported by :mod:`coprod_tui.core.store`).

They live in their own module so the store's parts (catalog, history, folder,
documents, doctor) can use them without importing the store itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from coprod_tui.core.errors import OperationalError, UserInputError
from coprod_tui.core.merge import Clash


class StoreError(OperationalError):
    """The store could not do what was asked (disk full, permissions, ...)."""


class NoStoreError(StoreError):
    """There is no store at the path given and the command does not create one (exit 2)."""

    exit_code = 2


class UnsafeStoreError(OperationalError):
    """The store folder is writable by others, or a foreign symlink."""


class CaseNotFound(UserInputError):
    """No case matches the given id or prefix."""


class CasePurgedError(OperationalError):
    """The case was deleted for good (purged); nothing may bring it back by a save."""


class AmbiguousCaseId(UserInputError):
    """More than one case matches the given prefix."""


class WriteRefused(UserInputError):
    """A write check refused a document; nothing was written (exit 2).

    Raise it (or a subclass) from a write check with one line saying what is
    wrong and what to do; the store prefixes "could not <action>: ".
    """

    #: Set once the store has prefixed the message with what it was doing.
    explained: bool = False


class DamagedCaseError(OperationalError):
    """A case file fails to parse; it is left untouched for ``coprod doctor``."""


class NewerFormatError(OperationalError):
    """The case was written by a newer coprod (a higher ``format``): read-only here.

    Writing it would drop or misread what the newer version stores, so every
    write is refused; listing, showing and exporting it work.
    """


@dataclass(frozen=True)
class CaseSummary:
    """What the case list needs, read from the catalog (no case file opened)."""

    id: str
    title: str
    template_id: str
    tags: tuple[str, ...]
    updated: str
    filled: tuple[str, ...]  # ids of sections holding text
    revision: int
    damaged: bool = False
    conflict_of: str | None = None
    created: str = ""
    saved_by: str = ""
    trashed: bool = False
    #: Word count of each ``filled`` section, in the same order (see ``section_words``).
    words: tuple[int, ...] = ()

    def section_words(self) -> dict[str, int]:
        """Words per section id holding text, as stored (renamed ids not mapped)."""
        return dict(zip(self.filled, self.words, strict=False))


#: The document a save was about (a Case, or another kind's document).
DocT = TypeVar("DocT")


@dataclass(frozen=True)
class SaveResult(Generic[DocT]):
    """Outcome of a save.

    ``case`` is what is now stored under the caller's id, with its revision:
    the caller's version, or the merge of it with another writer's (see
    :mod:`coprod_tui.core.merge`). Nothing is ever overwritten: items both
    sides changed differently are listed in ``clashes``, keep the stored value
    in ``case``, and the caller's whole text is in ``conflict``, a conflict
    copy. ``from_theirs`` names the items the other writer changed that the
    caller has not seen yet. ``trashed``: the case was in the trash (moved
    there elsewhere) and was saved there.
    """

    case: DocT
    conflict: DocT | None = None
    clashes: tuple[Clash, ...] = ()
    from_theirs: tuple[str, ...] = ()
    trashed: bool = False

    @property
    def conflicted(self) -> bool:
        return self.conflict is not None


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


@dataclass(frozen=True)
class RevisionInfo:
    """One kept earlier version of a case."""

    revision: int
    saved_at: str
    saved_by: str
    words: int
    damaged: bool = False
