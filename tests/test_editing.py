"""The editing session: saves from any thread, never losing or overwriting text."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from coprod_tui.core.case import new_case
from coprod_tui.core.editing import (
    EditSession,
    SaveState,
    clock_label,
    differing_sections,
    parse_stamp,
    prompt_text,
    visible_controls,
)
from coprod_tui.core.store import CaseStore, StoreError
from coprod_tui.core.template.registry import discover_templates

NOW = datetime(2024, 3, 12, 14, 3, 12, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> CaseStore:
    templates = discover_templates(user_dir=tmp_path / "none", env={})
    return CaseStore.open(tmp_path / "store", templates=templates)


@pytest.fixture
def case(store: CaseStore):
    template = discover_templates(user_dir=Path("/nonexistent"), env={}).default()
    fresh = new_case("Aina, 90: the night visits (fictional)", template)
    fresh.sections["situation"] = "Start."
    return store.create(fresh)


def session_for(store, case) -> EditSession:
    return EditSession(store.load(case.id), store, clock=lambda: NOW)


def test_visible_controls_keeps_every_position():
    text = "a\x1b[31mb\x07c\x9bd\te"
    shown = visible_controls(text)
    assert len(shown) == len(text)
    assert shown == "a␛[31mb␇c\ufffdd\te"
    assert visible_controls("plain text") == "plain text"


def test_prompt_text_never_splits_a_line():
    assert prompt_text("What is the setting?", "") == "What is the setting?\n"
    assert prompt_text("What is\n the setting?", "We met.") == "\n\nWhat is the setting?\n"


def test_clock_label_today_and_older():
    assert clock_label(NOW - timedelta(hours=1), NOW) == "13:03:12"
    assert clock_label(NOW - timedelta(days=2), NOW) == "2024-03-10 14:03"
    cet = timezone(timedelta(hours=1))
    assert clock_label(NOW, NOW.astimezone(cet)) == "15:03:12"
    assert parse_stamp("2024-03-12T14:03:12Z") == NOW
    assert parse_stamp("not a date") is None


def test_save_only_marks_what_it_saved(store, case, monkeypatch):
    session = session_for(store, case)
    assert session.state is SaveState.SAVED
    session.set_text("situation", "one")
    assert session.state is SaveState.UNSAVED
    real_save = store.save

    def save_while_typing(saved, *, base_revision, **options):
        session.set_text("situation", "one two")  # typed during the store call
        return real_save(saved, base_revision=base_revision, **options)

    monkeypatch.setattr(store, "save", save_while_typing)
    outcome = session.save()
    assert outcome.saved
    assert store.load(case.id).text("situation") == "one"
    assert session.dirty  # "two" is not on disk yet
    monkeypatch.setattr(store, "save", real_save)
    session.save()
    assert not session.dirty
    assert store.load(case.id).text("situation") == "one two"
    assert session.saved_at == NOW


def test_saves_from_many_threads_never_race(store, case):
    session = session_for(store, case)
    stop = threading.Event()
    errors: list[BaseException] = []

    def saver() -> None:
        while not stop.is_set():
            outcome = session.save()
            if outcome.error is not None:
                errors.append(outcome.error)

    threads = [threading.Thread(target=saver) for _ in range(3)]
    for thread in threads:
        thread.start()
    text = ""
    for index in range(200):
        text += f"w{index} "
        session.set_text("situation", text)
    stop.set()
    for thread in threads:
        thread.join()
    session.save()
    assert not errors
    assert store.load(case.id).text("situation") == text
    assert not [s for s in store.list_cases() if s.conflict_of]


def test_a_failed_save_keeps_the_text_for_the_next_try(store, case, monkeypatch):
    session = session_for(store, case)
    session.set_text("situation", "kept")
    real_save = store.save

    def full_disk(saved, *, base_revision, **options):
        raise StoreError("No space left on device")

    monkeypatch.setattr(store, "save", full_disk)
    outcome = session.save()
    assert isinstance(outcome.error, StoreError)
    assert session.dirty and session.state is SaveState.UNSAVED
    assert session.last_error is outcome.error
    monkeypatch.setattr(store, "save", real_save)
    assert session.save().saved
    assert session.last_error is None
    assert store.load(case.id).text("situation") == "kept"


def other_writer(store, case_id, text):
    other = CaseStore.open(store.path)
    theirs = other.load(case_id)
    theirs.sections["situation"] = text
    other.save(theirs, base_revision=theirs.revision)


def test_conflict_keeps_both_and_take_mine(store, case):
    session = session_for(store, case)
    other_writer(store, case.id, "Theirs.")
    session.set_text("situation", "Mine.")
    outcome = session.save()
    assert outcome.new_conflict is not None
    assert session.state is SaveState.CONFLICT
    copy_id = outcome.new_conflict.copy.id
    assert store.load(copy_id).text("situation") == "Mine."
    assert store.load(case.id).text("situation") == "Theirs."
    # Later typing goes into the copy.
    session.set_text("situation", "Mine, more.")
    session.save()
    assert store.load(copy_id).text("situation") == "Mine, more."
    assert store.load(case.id).text("situation") == "Theirs."
    outcome = session.take_mine()
    assert outcome.saved and session.conflict is None
    assert store.load(case.id).text("situation") == "Mine, more."
    assert store.load(copy_id).text("situation") == "Mine, more."
    session.set_text("situation", "Mine, more, again.")
    assert session.save().new_conflict is None


def test_conflict_keep_theirs(store, case):
    session = session_for(store, case)
    other_writer(store, case.id, "Theirs.")
    session.set_text("situation", "Mine.")
    copy_id = session.save().new_conflict.copy.id
    session.set_text("situation", "Mine, typed after the conflict.")
    session.keep_theirs()
    assert session.text("situation") == "Theirs."
    assert session.state is SaveState.SAVED
    assert store.load(copy_id).text("situation") == "Mine, typed after the conflict."
    assert session.stale_sections() == ["situation"]  # the editor must show theirs now
    session.shown("situation")
    session.set_text("situation", "Theirs. Plus.")
    assert session.save().new_conflict is None
    assert store.load(case.id).text("situation") == "Theirs. Plus."


def test_differing_sections(case):
    ours = case.copy()
    theirs = case.copy()
    theirs.sections["emotions"] = "Worried."
    ours.sections["old"] = "Orphan-ish."
    assert differing_sections(ours, theirs, ["situation", "emotions"]) == ["emotions", "old"]
