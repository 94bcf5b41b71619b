"""The store's errors and result types (re-exported by :mod:`coprod_tui.core.store`).

They live in their own module so the store's helpers (catalog, history, folder
checks) can use them without importing the store itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from coprod_tui.core.case import Case
from coprod_tui.core.errors import OperationalError, UserInputError


class StoreError(OperationalError):
    """The store could not do what was asked (disk full, permissions, ...)."""


class UnsafeStoreError(OperationalError):
    """The store folder is writable by others, or a foreign symlink."""


class CaseNotFound(UserInputError):
    """No case matches the given id or prefix."""


class AmbiguousCaseId(UserInputError):
    """More than one case matches the given prefix."""


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


@dataclass(frozen=True)
class SaveResult:
    """Outcome of a save.

    ``case`` is what is now stored under the caller's id (with its new
    revision) when the save went through. When the stored case had moved on
    past ``base_revision``, nothing was overwritten: ``conflict`` is the new
    conflict-copy case holding the caller's text, and ``case`` is the current
    stored version (the other writer's).
    """

    case: Case
    conflict: Case | None = None

    @property
    def conflicted(self) -> bool:
        return self.conflict is not None


@dataclass(frozen=True)
class RevisionInfo:
    """One kept earlier version of a case."""

    revision: int
    saved_at: str
    saved_by: str
    words: int
    damaged: bool = False
