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
- Each save names the revision it was based on. When another writer saved
  first, the store keeps our text as a *conflict copy* and nothing is
  overwritten. The session then moves its base to the other writer's revision
  and, until the user decides, keeps saving our further typing into that copy,
  so both texts stay whole. :meth:`take_mine` and :meth:`keep_theirs` end the
  conflict.
- A failed save (disk full, read-only store) leaves the text in memory and
  the session dirty; the next save retries.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from coprod_tui.core.case import Case, adopt_orphan, is_filled

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


def parse_stamp(stamp: str) -> datetime | None:
    """An ISO 8601 stamp from the store (``...Z``) as an aware datetime, or None."""
    try:
        parsed = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def clock_label(moment: datetime, now: datetime) -> str:
    """``14:03:12`` for a moment today, ``2024-03-01 14:03`` for an older one.

    Both are shown in the zone of ``now`` (the app clock), so a fixed test
    clock gives fixed labels.
    """
    if moment.tzinfo is not None and now.tzinfo is not None:
        moment = moment.astimezone(now.tzinfo)
    elif moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    if moment.date() == now.date():
        return moment.strftime("%H:%M:%S")
    return moment.strftime("%Y-%m-%d %H:%M")


# --- save state ----------------------------------------------------------------------------


class SaveState(enum.Enum):
    """What the save status shows; each one is true at the moment it is shown."""

    SAVED = "saved"
    SAVING = "saving"
    UNSAVED = "unsaved"
    CONFLICT = "conflict"


class CaseSaver(Protocol):
    """The part of :class:`~coprod_tui.core.store.CaseStore` a session uses."""

    def load(self, case_id: str): ...  # noqa: ANN201 - returns Case

    def save(self, case: Case, *, base_revision: int): ...  # noqa: ANN201 - returns SaveResult


@dataclass
class Conflict:
    """Another writer saved first; our text lives in ``copy`` until the user decides."""

    #: The other writer's version as the store held it when we found out.
    theirs: Case
    #: The conflict copy the store made with our text (updated as we keep saving into it).
    copy: Case


@dataclass
class SaveOutcome:
    """What one call to :meth:`EditSession.save` did (for notices in the UI)."""

    saved: bool = False
    #: Set when this save found a new conflict (the copy already holds our text).
    new_conflict: Conflict | None = None
    error: Exception | None = None


@dataclass
class _State:
    generation: int = 0
    saved_generation: int = 0
    saving: int = 0
    saved_at: datetime | None = None
    error: Exception | None = None
    conflict: Conflict | None = None


class EditSession:
    """One case being edited in memory, and its safe way to the store.

    ``prepare`` maps a case loaded from the store for editing (the editor
    passes ``apply_template`` with its template) and is used when the session
    takes in another version (keep theirs, restore).
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
        self._base_revision = case.revision
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
            return SaveState.SAVED

    # --- editing -----------------------------------------------------------------------

    def _edited(self) -> None:
        self._state.generation += 1

    def set_text(self, section_id: str, text: str) -> bool:
        """Replace a section's text; returns whether anything changed."""
        with self._lock:
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

    def _save_locked(self) -> SaveOutcome:
        with self._lock:
            if self._state.generation == self._state.saved_generation:
                return SaveOutcome()
            generation = self._state.generation
            snapshot = self._case.copy()
            conflict = self._state.conflict
            base = self._base_revision
            self._state.saving += 1
        try:
            if conflict is None:
                result = self._store.save(snapshot, base_revision=base)
            else:
                result = self._store.save(
                    _into_copy(snapshot, conflict.copy), base_revision=conflict.copy.revision
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
            self._state.saved_at = self._clock()
            outcome = SaveOutcome(saved=True)
            if conflict is not None:
                # Our text went into the conflict copy (or, if someone edited the
                # copy too, into a fresh copy the store made for it).
                conflict.copy = result.conflict if result.conflict is not None else result.case
            elif result.conflict is not None:
                self._state.conflict = Conflict(theirs=result.case, copy=result.conflict)
                self._base_revision = result.case.revision
                outcome.new_conflict = self._state.conflict
            else:
                self._base_revision = result.case.revision
                self._case.revision = result.case.revision
                self._case.updated = result.case.updated
            return outcome

    def take_mine(self) -> SaveOutcome:
        """End a conflict by saving our text on top of the newest stored version.

        The conflict copy stays in the store either way. If yet another writer
        saves in between, the store reports a fresh conflict and nothing is lost.
        """
        with self._save_lock:
            with self._lock:
                conflict = self._state.conflict
            if conflict is None:
                return self._save_locked()
            try:
                latest = self._store.load(self.case_id)
            except Exception as error:  # noqa: BLE001
                with self._lock:
                    self._state.error = error
                return SaveOutcome(error=error)
            with self._lock:
                self._state.conflict = None
                self._base_revision = latest.revision
                self._state.generation += 1  # our text must now go to the case itself
            outcome = self._save_locked()
            if outcome.error is not None:
                with self._lock:
                    if self._state.conflict is None:
                        self._state.conflict = conflict
            return outcome

    def keep_theirs(self) -> SaveOutcome:
        """End a conflict by editing the newest stored version from now on.

        Anything typed since the conflict is first saved into the conflict
        copy, so our text stays whole there.
        """
        with self._save_lock:
            outcome = self._save_locked()
            if outcome.error is not None:
                return outcome
            try:
                latest = self._store.load(self.case_id)
            except Exception as error:  # noqa: BLE001
                with self._lock:
                    self._state.error = error
                return SaveOutcome(error=error)
            self.replace(latest)
            return outcome

    def replace(self, stored: Case) -> None:
        """Edit ``stored`` (a version just read from the store) from now on.

        Used after keeping theirs and after restoring a revision. The caller
        saves first if the current text must be kept.
        """
        prepared = self._prepare(stored)
        with self._lock:
            self._case = prepared.copy()
            self._base_revision = stored.revision
            self._state.conflict = None
            self._state.error = None
            self._state.saved_generation = self._state.generation
            self._state.saved_at = self._clock()


def _into_copy(ours: Case, copy: Case) -> Case:
    """Our current text, addressed to the conflict copy (its id, title, revision)."""
    target = ours.copy()
    target.id = copy.id
    target.title = copy.title
    target.revision = copy.revision
    target.conflict_of = copy.conflict_of
    return target
