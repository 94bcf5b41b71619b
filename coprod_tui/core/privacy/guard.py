"""The identifier guard as a store write check, and the store setting that makes it refuse.

Registered on every store the CLI and the workbench open (:func:`guard_store`). By
default it refuses nothing: a clinician typing a phone number into a note must never
lose the note to a rule, so the check only looks, and the CLI warns about what it just
saved (:func:`case_identifiers`, one line per hit, masked).

**Refusing (opt-in, per store).** A store whose owner or team wants no identifier
saved at all holds the file ``refuse-identifiers`` in its folder (``coprod guard
refuse`` writes it, ``coprod guard warn`` removes it). Then every write of a case that
holds a *sure* hit (a personnummer with a right check digit, an e-mail address, a
formatted phone number, ...) is refused with one line naming the place and the kind,
masked; "possible" hits are still only reported. The setting lives in the store, not in
the user's config, because it protects what the store holds whoever writes to it (a
team store on a shared server), and like ``shared-with-group`` it is a plain marker file
whose presence is the whole setting (read with ``lstat``, never followed). A conflict
copy is never refused: it keeps another writer's words, and refusing it would lose them.

Finder modules are imported on the first write, so opening a store for ``coprod list``
or ``coprod show`` costs one ``lstat``.
"""

from __future__ import annotations

import contextlib
import os
import weakref
from pathlib import Path
from typing import Any

from coprod_tui.core.privacy.cases import case_identifiers, place_label
from coprod_tui.core.privacy.model import describe
from coprod_tui.core.store.types import WriteRefused

__all__ = [
    "REFUSE_MARKER",
    "IdentifierGuard",
    "IdentifiersRefused",
    "guard_of",
    "guard_store",
    "set_store_refuses",
    "store_refuses",
]

#: The file in a store's folder that makes its guard refuse sure hits.
REFUSE_MARKER = "refuse-identifiers"

_MARKER_TEXT = (
    b"This coprod store refuses to save a case that holds a personal identifier\n"
    b"(personnummer, phone number, e-mail, address, ...). Remove this file, or run\n"
    b"'coprod guard warn', to save them with a warning instead.\n"
)


class IdentifiersRefused(WriteRefused):
    """A write refused because the store refuses identifiers and the case holds one (exit 2)."""


class IdentifierGuard:
    """The write check: refuses a case with a sure hit when the store refuses, else nothing.

    ``refuse`` fixes the answer (tests, callers that know); left ``None``, the store's
    marker under ``root`` is looked at on every write (one ``lstat``), so ``coprod guard
    refuse`` takes effect at once in every window that has the store open.

    Orphaned text is never grounds to refuse: the editor cannot change it in place,
    so refusing would block every save of the case (``coprod lint`` lists it).
    """

    def __init__(self, refuse: bool | None = None, root: Path | None = None) -> None:
        self.refuse = refuse
        self.root = root

    @property
    def refusing(self) -> bool:
        """Whether a write with a sure hit is refused now."""
        if self.refuse is not None:
            return self.refuse
        return self.root is not None and store_refuses(self.root)

    def __call__(self, case: Any) -> None:
        if getattr(case, "conflict_of", None) or not self.refusing:
            return
        sure = [
            found
            for found in case_identifiers(case)
            if found.hit.sure and not found.place.startswith("orphan:")
        ]
        if not sure:
            return
        first = sure[0]
        more = f" (and {len(sure) - 1} more)" if len(sure) > 1 else ""
        raise IdentifiersRefused(
            f"{place_label(first.place)} holds an identifying detail, {describe(first.hit)}{more}, "
            f"and this store refuses identifying details; redact it to {first.hit.label} first "
            f"(F11 in the editor, or 'coprod lint --redact {case.id[:8]}')"
        )


#: The guard registered on each open store (so registering twice adds no second check).
_GUARDS: weakref.WeakKeyDictionary[Any, IdentifierGuard] = weakref.WeakKeyDictionary()


def store_refuses(root: Path) -> bool:
    """Whether the store at ``root`` opted in to refusing sure identifiers."""
    try:
        os.lstat(Path(root) / REFUSE_MARKER)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # cannot tell: stay strict, as the owner asked for
    return True


def set_store_refuses(store: Any, refuse: bool) -> None:
    """Write or remove the store's ``refuse-identifiers`` marker (every guard reads it)."""
    from coprod_tui.core.store.storage import atomic_write_bytes

    marker = Path(store.path) / REFUSE_MARKER
    if refuse:
        if not store_refuses(store.path):
            atomic_write_bytes(marker, _MARKER_TEXT, mode=store.policy.file_mode)
    else:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(marker)


def guard_of(store: Any) -> IdentifierGuard | None:
    """The guard :func:`guard_store` registered on ``store``, if any."""
    return _GUARDS.get(store)


def guard_store(store: Any) -> IdentifierGuard:
    """Register the identifier guard on ``store`` (a ``CaseStore``) and return it.

    Idempotent: a store already guarded keeps its one guard. An object without
    ``add_write_check`` (a stand-in store that cannot write) gets a guard that is
    registered nowhere.
    """
    add_write_check = getattr(store, "add_write_check", None)
    if add_write_check is None:
        return IdentifierGuard()
    try:
        guard = _GUARDS.get(store)
    except TypeError:  # not weakly referable: guard it, without remembering
        guard = None
    if guard is None:
        path = getattr(store, "path", None)
        guard = IdentifierGuard(root=None if path is None else Path(path))
        add_write_check(guard)
        with contextlib.suppress(TypeError):
            _GUARDS[store] = guard
    return guard
