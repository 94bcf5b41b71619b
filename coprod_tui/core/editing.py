"""The editing session behind the case editor: one case in memory, saved safely.

The workbench edits a whole case in memory and hands snapshots of it to the
store from a background thread, while the user keeps typing. Getting that right
(never lose the newest word, never save twice at once, never overwrite another
window's text) is the hard part of the editor, so it lives here, free of
Textual, where it can be tested directly and used from any thread.

How it works:

- Every edit bumps a *generation* counter. A save snapshots the case and the
  generation under a short lock; when the store call returns, that generation
  counts as saved. Edits made during the store call keep the session dirty, so
  the next save picks them up. Nothing typed is ever marked saved by mistake.
- Saves are serialised by a second (re-entrant) lock. :meth:`EditSession.save`
  may be called from a worker thread and from the UI thread (flush on quit) at
  the same time; the second caller waits, then saves whatever is still newer.
- Each save names the version it was based on (the session keeps that
  *base* in memory). When another writer saved first, the store merges the
  two edits item by item (``core/merge.py``): a section only they changed
  comes into this session (the editor shows it anew, see :meth:`stale_sections`),
  a section only we changed goes to the store. Only an item both changed
  differently is a conflict: the store keeps theirs in the case and our whole
  text in one conflict copy, which later saves keep up to date. The user then
  chooses per item: mine, theirs or both (:meth:`resolve`).
- A case trashed elsewhere is saved where it is, in the trash, and the
  session says so (:attr:`trashed`) so the editor can offer to restore it.
- A failed save (disk full, read-only store) leaves the text in memory and
  the session dirty; the next save retries.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from coprod_tui.core import timefmt as _timefmt
from coprod_tui.core.case import Case, adopt_orphan, is_filled
from coprod_tui.core.merge import ABSENT, SECTION, Clash, item, join_both, merge_tags, set_item

if TYPE_CHECKING:
    from coprod_tui.core.store.types import SaveResult


# --- display helpers -----------------------------------------------------------------------

# C0 controls except tab, DEL, and the C1 range; each becomes one visible picture.
_CONTROL_PICTURES = {code: chr(0x2400 + code) for code in range(0x20) if code != 0x09}
_CONTROL_PICTURES[0x7F] = "\u2421"  # ␡
_CONTROL_PICTURES.update({code: "\ufffd" for code in range(0x80, 0xA0)})
_CONTROL_TABLE = str.maketrans(_CONTROL_PICTURES)


def visible_controls(text: str) -> str:
    """``text`` with every control character replaced by a visible stand-in.

    Unlike :func:`coprod_tui.core.text_safety.printable`, this keeps the length
    (one character for one character), so an editor can show a line safely
    while its cursor positions still match the stored text: ESC shows as ␛.
    """
    return text.translate(_CONTROL_TABLE)


def prompt_text(question: str, current_line: str) -> str:
    """What to insert at the cursor to take ``question`` in as a prompt line.

    The question gets a line of its own followed by an empty line to answer on;
    when the cursor sits in a line that already holds text, the prompt starts
    on a fresh line after a blank one so it never splits a sentence.
    """
    question = " ".join(question.split())
    if current_line.strip():
        return f"\n\n{question}\n"
    return f"{question}\n"


def differing_sections(ours: Case, theirs: Case, section_ids: list[str]) -> list[str]:
    """Section ids (template order, then any others) whose text differs."""
    ordered = list(section_ids)
    extra = sorted((set(ours.sections) | set(theirs.sections)) - set(ordered))
    return [sid for sid in ordered + extra if ours.text(sid) != theirs.text(sid)]


def differing_fields(ours: Case, theirs: Case) -> list[str]:
    """Field ids (plus ``"title"``) whose values differ between two versions."""
    keys = sorted(set(ours.fields) | set(theirs.fields))
    changed = [key for key in keys if ours.fields.get(key, "") != theirs.fields.get(key, "")]
    if ours.title != theirs.title:
        changed.insert(0, "title")
    return changed


# ``parse_stamp`` and ``clock_label`` live in :mod:`coprod_tui.core.timefmt`; the
# names stay importable from here for older callers.
parse_stamp = _timefmt.parse
clock_label = _timefmt.clock_label


# --- save state ----------------------------------------------------------------------------


class SaveState(enum.Enum):
    """What the save status shows; each one is true at the moment it is shown."""

    SAVED = "saved"
    SAVING = "saving"
    UNSAVED = "unsaved"
    CONFLICT = "conflict"
    TRASHED = "trashed"


class CaseSaver(Protocol):
    """The part of :class:`~coprod_tui.core.store.CaseStore` a session uses."""

    def load(self, case_id: str) -> Case: ...

    def save(
        self,
        case: Case,
        *,
        base_revision: int,
        base: Case | None = None,
        conflict_copy: str | None = None,
    ) -> SaveResult[Case]: ...

    def untrash(self, case_id: str) -> None: ...


@dataclass
class Conflict:
    """Items both we and another writer changed; our whole text is safe in ``copy``."""

    #: The clashing items by key (``"section:<id>"``, ``"title"``, ...), theirs kept current.
    clashes: dict[str, Clash]
    #: The conflict copy the store keeps our text in (one per conflict).
    copy: Case

    @property
    def section_ids(self) -> list[str]:
        """The sections in conflict."""
        return [c.section_id for c in self.clashes.values() if c.section_id is not None]


#: What :meth:`EditSession.resolve` accepts for one item.
CHOICES = ("mine", "theirs", "both")


@dataclass
class SaveOutcome:
    """What one call to :meth:`EditSession.save` did (for notices in the UI)."""

    saved: bool = False
    #: Set when this save found a conflict the session did not know of yet.
    new_conflict: Conflict | None = None
    #: Sections another writer changed that came into this session.
    merged_sections: tuple[str, ...] = ()
    #: Set when this save found the case moved to the trash elsewhere.
    newly_trashed: bool = False
    error: Exception | None = None


@dataclass
class _State:
    generation: int = 0
    saved_generation: int = 0
    saving: int = 0
    saved_at: datetime | None = None
    error: Exception | None = None
    conflict: Conflict | None = None
    trashed: bool = False


class EditSession:
    """One case being edited in memory, and its safe way to the store.

    ``prepare`` maps a case loaded from the store for editing (the editor
    passes ``apply_template`` with its template) and is used when the session
    takes in another version (restore).
    """

    def __init__(
        self,
        case: Case,
        store: CaseSaver,
        *,
        clock: Callable[[], datetime] = datetime.now,
        prepare: Callable[[Case], Case] = lambda case: case,
    ) -> None:
        self._store = store
        self._clock = clock
        self._prepare = prepare
        self._case = case.copy()
        #: The stored version our text derives from, item by item (the merge base).
        self._base = case.copy()
        self._base_revision = case.revision
        #: Sections another writer changed that came into the session while the
        #: editor still shows the old text: section id -> that old text.
        self._stale: dict[str, str] = {}
        self._state = _State()
        # Guards the fields above; held only for quick in-memory work, never for I/O.
        self._lock = threading.RLock()
        # Serialises saves. Re-entrant so a flush from a signal handler that
        # interrupts the UI thread cannot deadlock against itself.
        self._save_lock = threading.RLock()

    # --- reading -----------------------------------------------------------------------

    @property
    def case_id(self) -> str:
        return self._case.id

    @property
    def case(self) -> Case:
        """A copy of the case as edited in memory (newest text)."""
        with self._lock:
            return self._case.copy()

    @property
    def title(self) -> str:
        with self._lock:
            return self._case.title

    @property
    def newer_format(self) -> bool:
        """Written by a newer coprod: shown, never changed (asked on every key, so no copy)."""
        with self._lock:
            return self._case.newer_format

    @property
    def has_orphans(self) -> bool:
        with self._lock:
            return bool(self._case.orphans)

    def text(self, section_id: str) -> str:
        with self._lock:
            return self._case.text(section_id)

    @property
    def base_revision(self) -> int:
        """The stored revision our next save builds on."""
        with self._lock:
            return self._base_revision

    @property
    def dirty(self) -> bool:
        """True while some edit has not reached the store."""
        with self._lock:
            return self._state.generation != self._state.saved_generation

    @property
    def conflict(self) -> Conflict | None:
        with self._lock:
            return self._state.conflict

    @property
    def trashed(self) -> bool:
        """The case is in the trash (moved there elsewhere); saves still reach it there."""
        with self._lock:
            return self._state.trashed

    @property
    def saved_at(self) -> datetime | None:
        with self._lock:
            return self._state.saved_at

    @property
    def last_error(self) -> Exception | None:
        """The error of the last failed save, cleared by the next good one."""
        with self._lock:
            return self._state.error

    @property
    def state(self) -> SaveState:
        """The truth for the status line, in order of importance."""
        with self._lock:
            if self._state.conflict is not None:
                return SaveState.CONFLICT
            if self._state.saving:
                return SaveState.SAVING
            if self._state.generation != self._state.saved_generation:
                return SaveState.UNSAVED
            if self._state.trashed:
                return SaveState.TRASHED
            return SaveState.SAVED

    def stale_sections(self) -> list[str]:
        """Sections whose text another writer changed and the editor must show anew.

        The editor reads each editor's text back first (:meth:`set_text`, which
        notices keys typed over the old text), then reloads the ones still
        listed here and calls :meth:`shown` for each.
        """
        with self._lock:
            return list(self._stale)

    def shown(self, section_id: str) -> None:
        """The editor now shows this section's current text."""
        with self._lock:
            self._stale.pop(section_id, None)

    # --- editing -----------------------------------------------------------------------

    def _edited(self) -> None:
        self._state.generation += 1

    def set_text(self, section_id: str, text: str) -> bool:
        """Replace a section's text; returns whether anything changed."""
        with self._lock:
            old = self._stale.get(section_id)
            if old is not None:
                if text == old:
                    return False  # the editor has not shown their text yet
                # Typed over the old text before their version was shown: their
                # change and ours both started from the old text, so they clash.
                del self._stale[section_id]
                set_item(self._base, SECTION + section_id, old or ABSENT)
            if self._case.sections.get(section_id) == text:
                return False
            if not text and section_id not in self._case.sections:
                return False
            self._case.sections[section_id] = text
            self._edited()
            return True

    def set_title(self, title: str) -> bool:
        with self._lock:
            if self._case.title == title:
                return False
            self._case.title = title
            self._edited()
            return True

    def set_fields(self, fields: dict[str, str]) -> bool:
        """Replace the case's fields (empty values are dropped)."""
        cleaned = {key: value for key, value in fields.items() if value.strip()}
        with self._lock:
            if self._case.fields == cleaned:
                return False
            self._case.fields = cleaned
            self._edited()
            return True

    def adopt_orphan(self, orphan_id: str, section_id: str) -> str:
        """Move an orphan's text into a section; returns the section's new text."""
        with self._lock:
            self._case = adopt_orphan(self._case, orphan_id, section_id)
            self._edited()
            return self._case.text(section_id)

    def is_filled(self, section_id: str) -> bool:
        with self._lock:
            return is_filled(self._case.text(section_id))

    # --- saving ------------------------------------------------------------------------

    def save(self) -> SaveOutcome:
        """Save whatever is newer than the last save; safe from any thread.

        Blocks while another save is in flight, then saves anything still
        unsaved. Never raises for a store failure: the error is kept in
        :attr:`last_error` and the text stays in memory for the next try.
        """
        with self._save_lock:
            return self._save_locked()

    def catch_up(self) -> SaveOutcome:
        """Take in what other writers saved since our last save (and save ours, if any).

        With nothing of ours unsaved this writes nothing: the merge of an
        unchanged text with theirs is theirs. The editor calls it when the
        case file changed on disk, so a second window shows the first one's
        text without waiting for its own next save.
        """
        with self._save_lock:
            return self._save_locked(force=True)

    def _save_locked(self, *, force: bool = False) -> SaveOutcome:
        with self._lock:
            if self._state.generation == self._state.saved_generation and not force:
                return SaveOutcome()
            generation = self._state.generation
            had_changes = generation != self._state.saved_generation
            snapshot = self._case.copy()
            base = self._base.copy()
            base_revision = self._base_revision
            conflict = self._state.conflict
            self._state.saving += 1
        try:
            result = self._store.save(
                snapshot,
                base_revision=base_revision,
                base=base,
                conflict_copy=conflict.copy.id if conflict is not None else None,
            )
        except Exception as error:  # noqa: BLE001 - any failure: keep the text, retry later
            with self._lock:
                self._state.saving -= 1
                self._state.error = error
            return SaveOutcome(error=error)
        with self._lock:
            self._state.saving -= 1
            self._state.error = None
            self._state.saved_generation = generation
            if had_changes or self._state.saved_at is None:
                self._state.saved_at = self._clock()
            return self._take_in(result, snapshot, base)

    def _take_in(self, result: Any, snapshot: Case, base: Case) -> SaveOutcome:
        """Bring the stored outcome of a save into the session (lock held).

        The new base is what the store now holds, except where our text and
        theirs still differ from a common start: there the base stays that
        start, so the next save sees the clash again instead of overwriting.
        """
        stored: Case = result.case
        outcome = SaveOutcome(saved=True)
        new_base = stored.copy()
        merged: list[str] = []
        for key in result.from_theirs:
            if key == "tags":
                self._case.tags = merge_tags(snapshot.tags, self._case.tags, stored.tags)
                continue
            if item(self._case, key) == item(snapshot, key):
                # Untouched since the save began: take their value.
                set_item(self._case, key, item(stored, key))
                if key.startswith(SECTION):
                    section_id = key[len(SECTION) :]
                    self._stale.setdefault(section_id, snapshot.text(section_id))
                    merged.append(section_id)
            else:
                set_item(new_base, key, item(base, key))  # typed meanwhile: a clash next time
        for clash in result.clashes:
            set_item(new_base, clash.key, clash.base)
        self._base = new_base
        self._base_revision = stored.revision
        self._case.revision = stored.revision
        self._case.updated = stored.updated
        outcome.merged_sections = tuple(merged)
        was_trashed, self._state.trashed = self._state.trashed, bool(result.trashed)
        outcome.newly_trashed = self._state.trashed and not was_trashed
        before = self._state.conflict
        if result.clashes and result.conflict is not None:
            conflict = Conflict(clashes={c.key: c for c in result.clashes}, copy=result.conflict)
            self._state.conflict = conflict
            if before is None or set(conflict.clashes) - set(before.clashes):
                outcome.new_conflict = conflict
        else:
            self._state.conflict = None
        return outcome

    # --- ending a conflict -------------------------------------------------------------

    def resolve(self, choices: dict[str, str]) -> SaveOutcome:
        """Decide clashing items (key -> ``"mine"``, ``"theirs"`` or ``"both"``) and save.

        *mine* keeps our text (theirs stays in the history), *theirs* takes
        theirs into the session (ours stays in the conflict copy), *both* keeps
        ours with theirs below a clear marker. Anything typed since the last
        save reaches the conflict copy first, so our text there is whole.
        """
        with self._save_lock:
            first = self._save_locked()
            if first.error is not None:
                return first
            with self._lock:
                conflict = self._state.conflict
                if conflict is None:
                    return first
                for key, choice in choices.items():
                    clash = conflict.clashes.pop(key, None)
                    if clash is None or choice not in CHOICES:
                        continue
                    set_item(self._base, key, clash.theirs)
                    if choice == "theirs":
                        set_item(self._case, key, clash.theirs)
                    elif choice == "both" and isinstance(clash.mine, str):
                        theirs = clash.theirs if isinstance(clash.theirs, str) else ""
                        set_item(self._case, key, join_both(clash.mine, theirs, label=_THEIRS))
                    if clash.section_id is not None and choice != "mine":
                        self._stale.setdefault(clash.section_id, _text(clash.mine))
                if not conflict.clashes:
                    self._state.conflict = None
                self._edited()
            outcome = self._save_locked()
            outcome.new_conflict = outcome.new_conflict or first.new_conflict
            return outcome

    def take_mine(self) -> SaveOutcome:
        """End a conflict keeping our text for every clashing item."""
        return self._resolve_all("mine")

    def keep_theirs(self) -> SaveOutcome:
        """End a conflict taking their text for every clashing item."""
        return self._resolve_all("theirs")

    def _resolve_all(self, choice: str) -> SaveOutcome:
        with self._lock:
            keys = list(self._state.conflict.clashes) if self._state.conflict else []
        return self.resolve(dict.fromkeys(keys, choice))

    def restore_from_trash(self) -> SaveOutcome:
        """Take the case out of the trash it was moved to elsewhere, then save."""
        try:
            self._store.untrash(self.case_id)
        except Exception as error:  # noqa: BLE001
            with self._lock:
                self._state.error = error
            return SaveOutcome(error=error)
        with self._lock:
            self._state.trashed = False
        return self.save()

    def replace(self, stored: Case) -> None:
        """Edit ``stored`` (a version just read from the store) from now on.

        Used after restoring a revision. The caller saves first if the
        current text must be kept.
        """
        prepared = self._prepare(stored)
        with self._lock:
            self._case = prepared.copy()
            self._base = prepared.copy()
            self._base_revision = stored.revision
            self._stale.clear()
            self._state.conflict = None
            self._state.error = None
            self._state.saved_generation = self._state.generation
            self._state.saved_at = self._clock()


#: The marker above their text when both versions of a section are kept.
_THEIRS = "Their version (from the other window), kept below yours"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
