"""Kept versions: when they are taken, how they are thinned, viewing and restoring."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from store_helpers import ONE_SECTION, open_store

from coprod_tui.core.case import new_case, set_section_text
from coprod_tui.core.errors import UserInputError
from coprod_tui.core.store import CaseStore
from coprod_tui.core.store import documents as store_module
from coprod_tui.core.store import history as history_module
from coprod_tui.core.store.history import DAY, Snapshot, choose_prunable

TEMPLATE = ONE_SECTION


class Clock:
    """A controllable ``time.time`` for the store's five-minute rule."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(store_module.time, "time", fake)
    return fake


def save_text(store: CaseStore, case_id: str, text: str):
    case = store.load(case_id)
    return store.save(set_section_text(case, "situation", text), base_revision=case.revision).case


def test_one_version_per_session_and_per_five_minutes(tmp_path, clock):
    store = open_store(tmp_path)
    case = store.create(new_case("Fictional", TEMPLATE))
    for n in range(5):  # a burst of autosaves: only the first keeps a version
        save_text(store, case.id, f"draft {n}")
        clock.now += 10
    assert [info.revision for info in store.history(case.id)] == [1]
    clock.now += 300  # five minutes of editing later
    save_text(store, case.id, "draft 5")
    assert [info.revision for info in store.history(case.id)] == [6, 1]
    # A new session (another window, a later day) keeps a version at once.
    other = open_store(tmp_path)
    save_text(other, case.id, "next session")
    assert [info.revision for info in other.history(case.id)] == [7, 6, 1]


def test_history_lists_and_loads_old_versions(tmp_path):
    store = open_store(tmp_path)
    case = store.create(new_case("Fictional", TEMPLATE))
    save_text(store, case.id, "one two three")
    open_store(tmp_path).save(
        set_section_text(store.load(case.id), "situation", "four"), base_revision=2
    )
    infos = store.history(case.id)
    assert [info.revision for info in infos] == [2, 1]
    assert infos[0].words == 3 and "@" in infos[0].saved_by
    assert store.load_revision(case.id, 2).text("situation") == "one two three"
    assert store.load_revision(case.id, 3).text("situation") == "four"  # the current one
    with pytest.raises(UserInputError, match="no kept revision 9"):
        store.load_revision(case.id, 9)


def test_restore_keeps_the_current_version(tmp_path):
    store = open_store(tmp_path)
    case = store.create(new_case("Fictional", TEMPLATE))
    save_text(store, case.id, "good text")
    save_text(open_store(tmp_path), case.id, "oops, deleted it all")
    restored = store.restore(case.id, 2)
    assert restored.revision == 4
    assert store.load(case.id).text("situation") == "good text"
    assert 3 in [info.revision for info in store.history(case.id)]
    assert store.load_revision(case.id, 3).text("situation") == "oops, deleted it all"
    # Restoring the current revision changes nothing.
    assert store.restore(case.id, 4).revision == 4
    with pytest.raises(UserInputError):
        store.restore(case.id, 42)


def test_snapshots_are_links_not_copies(tmp_path):
    store = open_store(tmp_path)
    case = store.create(new_case("Fictional", TEMPLATE))
    inode = store._case_path(case.id).stat().st_ino
    save_text(store, case.id, "new")
    [snap] = store._history.snapshots(case.id)
    assert snap.path.stat().st_ino == inode


def test_one_windows_own_history_stays_bounded(tmp_path, monkeypatch, clock):
    monkeypatch.setattr(history_module, "MAX_SNAPSHOTS", 5)
    store = open_store(tmp_path)
    case_id = store.create(new_case("Fictional", TEMPLATE)).id
    for n in range(12):  # one window, a long day of editing
        save_text(store, case_id, f"draft {n}")
        clock.now += 301
    revisions = [info.revision for info in store.history(case_id)]
    assert len(revisions) == 5
    assert revisions[0] == 12  # the newest is never dropped


def test_versions_other_writers_replaced_are_pinned_and_never_thinned(tmp_path, monkeypatch):
    monkeypatch.setattr(history_module, "MAX_SNAPSHOTS", 5)
    case_id = open_store(tmp_path).create(new_case("Fictional", TEMPLATE)).id
    for n in range(12):  # twelve windows (or CLI commands), one save each
        save_text(open_store(tmp_path), case_id, f"session {n}")
    store = open_store(tmp_path)
    revisions = [info.revision for info in store.history(case_id)]
    assert revisions == list(range(12, 0, -1))
    assert all(snap.pinned for snap in store._history.snapshots(case_id))


def test_take_mine_after_a_cli_write_keeps_the_cli_revision(tmp_path, clock):
    """The window saved seconds ago; a CLI write lands; the window saves over it."""
    window = open_store(tmp_path)
    case = window.create(new_case("Fictional", TEMPLATE))
    mine = save_text(window, case.id, "typed in the window")  # revision 2
    cli = open_store(tmp_path)
    cli.write_section(case.id, "situation", "1\n", expected="typed in the window")  # revision 3
    clock.now += 10  # well inside the five-minute rule of the window
    latest = window.load(case.id)
    window.save(set_section_text(latest, "situation", "mine wins"), base_revision=latest.revision)
    assert window.load(case.id).text("situation") == "mine wins"
    assert window.load_revision(case.id, 3).text("situation") == "1\n"
    assert mine.revision == 2


def snaps(*ages_in_days: float, now: float) -> list[Snapshot]:
    from datetime import UTC, datetime

    out = []
    for revision, age in enumerate(sorted(ages_in_days, reverse=True), start=1):
        moment = datetime.fromtimestamp(now - age * DAY, UTC)
        stamp = moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
        out.append(Snapshot(revision=revision, saved_at=stamp, path=Path(f"{revision}")))
    return out


def test_pruning_keeps_everything_recent_and_thins_the_past():
    now = 1_800_000_000.0
    recent = [0.01 * n for n in range(1, 30)]  # all within the last day
    older = [3.1, 3.2, 3.3, 10.5, 40.0, 41.0, 45.0, 400.0, 401.0]
    chosen = choose_prunable(snaps(*recent, *older, now=now), now=now)
    kept = {s.revision for s in snaps(*recent, *older, now=now)} - {s.revision for s in chosen}
    by_revision = {s.revision: s for s in snaps(*recent, *older, now=now)}
    kept_ages = sorted(round((now - by_revision[r].epoch) / DAY, 2) for r in kept)
    assert kept_ages[: len(recent)] == sorted(round(a, 2) for a in recent)
    assert 3.1 in kept_ages and 3.2 not in kept_ages and 3.3 not in kept_ages  # one per day
    assert 10.5 in kept_ages
    assert 400.0 in kept_ages and 401.0 not in kept_ages  # one per 30 days


def test_pruning_caps_count_and_bytes_without_dropping_the_newest():
    now = 1_800_000_000.0
    many = snaps(*[0.001 * n for n in range(1, 51)], now=now)
    dropped = choose_prunable(many, now=now, max_count=10)
    assert len(many) - len(dropped) == 10
    assert many[-1] not in dropped
    sizes = {s.revision: 1000 for s in many}
    dropped = choose_prunable(many, now=now, sizes=sizes, max_bytes=4500)
    assert len(many) - len(dropped) == 4
    assert many[-1] not in dropped
    assert choose_prunable([], now=now) == []


def test_a_linked_history_folder_is_never_written_through(tmp_path):
    from coprod_tui.core.store import StoreError

    store = open_store(tmp_path / "store")
    case = store.create(new_case("Fictional", TEMPLATE))
    outside = tmp_path / "outside"
    outside.mkdir()
    (store.path / "history" / case.id).symlink_to(outside)
    other = open_store(tmp_path / "store")  # another writer: the version must be kept
    latest = other.load(case.id)
    with pytest.raises(StoreError, match="symbolic link"):
        other.save(set_section_text(latest, "situation", "new"), base_revision=latest.revision)
    assert list(outside.iterdir()) == []
    assert store.load(case.id).text("situation") == ""  # nothing replaced without its history
    with pytest.raises(StoreError, match="symbolic link"):
        store.history(case.id)


def test_who_saved_is_the_login_name_at_the_host_name(monkeypatch):
    """whoami() gives what getpass and socket would, without importing them."""
    import getpass
    import socket

    from coprod_tui.core.store.case_store import whoami

    assert whoami() == f"{getpass.getuser()}@{socket.gethostname()}"
    monkeypatch.setenv("LOGNAME", "fiktiv.skoterska")
    assert whoami().startswith("fiktiv.skoterska@")
