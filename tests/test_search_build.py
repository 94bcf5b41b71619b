"""Building the index in a low-priority child process (the workbench's first start)."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest

from coprod_tui.core.search import SearchIndex, build
from coprod_tui.core.search.build import build_apart, needs_build
from coprod_tui.core.store import CaseStore
from tests.search_helpers import add_case, fill, open_store


@pytest.fixture
def store(tmp_path: Path) -> CaseStore:
    opened = open_store(tmp_path / "store")
    fill(opened)
    return opened


def index_path(store: CaseStore) -> Path:
    return Path(store.path) / "index" / "search.sqlite3"


def apart(store: CaseStore, **options: object) -> bool:
    policy = store.policy
    return build_apart(
        store.path,
        index_path(store),
        file_mode=policy.file_mode,
        dir_mode=policy.dir_mode,
        **options,  # type: ignore[arg-type]
    )


def test_a_missing_index_is_built_by_the_child_and_then_only_opened(store: CaseStore) -> None:
    assert needs_build(index_path(store))
    assert apart(store, at_least=1)
    assert stat.S_IMODE(index_path(store).stat().st_mode) == 0o600
    assert not needs_build(index_path(store))
    with SearchIndex.for_store(store) as index:
        assert index.rebuilds == 0  # the child built it; this process only opened it
        assert {hit.title for hit in index.search("vårdcentralen")} == {
            "Återbesök hos Tove Lindqvist"
        }
    assert not apart(store, at_least=1)  # current: nothing to build


def test_a_damaged_index_is_rebuilt_by_the_child(store: CaseStore) -> None:
    path = index_path(store)
    path.parent.mkdir(mode=0o700)
    path.write_bytes(b"not a database" * 1000)
    assert needs_build(path)
    assert apart(store, at_least=1)
    assert not needs_build(path)


def test_a_small_store_is_left_to_the_caller(store: CaseStore) -> None:
    assert not apart(store, at_least=1000)
    assert not index_path(store).exists()


def test_a_closed_source_starts_no_child(store: CaseStore) -> None:
    cancel = threading.Event()
    cancel.set()
    assert not apart(store, at_least=1, cancel=cancel)
    assert not index_path(store).exists()


def test_closing_ends_a_running_child_and_leaves_no_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = open_store(tmp_path / "big")
    for number in range(300):
        add_case(big, f"Påhittat fall {number}", situation="Remissen kom i går. " * 80)
    cancel = threading.Event()
    real_popen = build.subprocess.Popen

    def started(*args: object, **kwargs: object) -> object:
        child = real_popen(*args, **kwargs)  # type: ignore[call-overload]
        cancel.set()  # the workbench closes while the child runs
        return child

    monkeypatch.setattr(build.subprocess, "Popen", started)
    assert not apart(big, at_least=1, cancel=cancel)
    folder = index_path(big).parent
    assert not index_path(big).exists()
    leftovers = list(folder.glob("*.tmp")) if folder.exists() else []
    assert leftovers == []  # a build cut off removes its temp file
