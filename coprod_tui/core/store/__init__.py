"""The case store: one TinyDB document per case, with locks, revisions, history and a catalog.

Callers use the :class:`CaseStore` facade and the errors and result types
re-exported here; the modules of this package are its parts (see each one's
docstring): ``case_file`` (the one place the case-file format lives),
``documents`` (the generic document folder: write, lock, merge, conflict,
history, trash, observers, write checks), ``storage`` (the one atomic
writer), ``folder`` and ``layout`` (where things live and who may use them),
``locking``, ``history``, ``scan`` (which files changed), ``catalog`` (the
derived listing cache) and ``doctor``.
"""

from coprod_tui.core.store.case_store import CaseStore
from coprod_tui.core.store.documents import StoreObserver, WriteCheck
from coprod_tui.core.store.types import (
    AmbiguousCaseId,
    CaseNotFound,
    CasePurgedError,
    CaseSummary,
    DamagedCaseError,
    DoctorReport,
    ImportReport,
    NewerFormatError,
    RevisionInfo,
    SaveResult,
    StoreError,
    UnsafeStoreError,
    WriteRefused,
)

__all__ = [
    "AmbiguousCaseId",
    "CaseNotFound",
    "CasePurgedError",
    "CaseStore",
    "CaseSummary",
    "DamagedCaseError",
    "DoctorReport",
    "ImportReport",
    "NewerFormatError",
    "RevisionInfo",
    "SaveResult",
    "StoreError",
    "StoreObserver",
    "UnsafeStoreError",
    "WriteCheck",
    "WriteRefused",
]
