"""Several processes on one store: nothing lost, nothing overwritten silently."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from store_helpers import TWO_SECTIONS, Registry

from coprod_tui.core.case import Case, new_case
from coprod_tui.core.store import CaseStore

TEMPLATE = TWO_SECTIONS


def open_store(path: str) -> CaseStore:
    return CaseStore.open(Path(path), templates=Registry(TEMPLATE))


def _append_with_update(path: str, case_id: str, worker: int, count: int) -> None:
    store = open_store(path)
    for n in range(count):

        def change(case: Case, n: int = n) -> Case:
            case.sections["situation"] = case.text("situation") + f"w{worker}-{n}\n"
            return case

        store.update(case_id, change)


def _append_with_save_and_retry(path: str, case_id: str, worker: int, count: int, queue) -> None:
    """The editor's way: load, edit, save(base_revision); on conflict reload and retry."""
    store = open_store(path)
    conflicts = []
    for n in range(count):
        while True:
            case = store.load(case_id)
            case.sections["situation"] = case.text("situation") + f"w{worker}-{n}\n"
            result = store.save(case, base_revision=case.revision)
            if not result.conflicted:
                break
            conflicts.append((result.conflict.id, f"w{worker}-{n}"))
    queue.put(conflicts)


def _write_own_case(path: str, case_id: str, worker: int, count: int) -> None:
    store = open_store(path)
    for n in range(count):
        case = store.load(case_id)
        case.sections["notes"] = f"worker {worker} version {n}"
        result = store.save(case, base_revision=case.revision)
        assert not result.conflicted


def _create_many(path: str, count: int, queue) -> None:
    store = open_store(path)
    queue.put([store.create(new_case(f"Fictional {n}", TEMPLATE)).id for n in range(count)])


def run_all(target, arg_lists) -> None:
    # Spawned, not forked: the test runner's process holds threads (Textual's, xdist's),
    # and a child forked from a threaded process can hang on a lock one of them held.
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=target, args=args) for args in arg_lists]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
        assert process.exitcode == 0, f"worker {process.name} ended with {process.exitcode}"


def test_appenders_under_the_lock_lose_nothing(tmp_path):
    store = open_store(str(tmp_path))
    case = store.create(new_case("Shared", TEMPLATE))
    workers, count = 4, 25
    run_all(_append_with_update, [(str(tmp_path), case.id, w, count) for w in range(workers)])
    final = store.load(case.id)
    lines = final.text("situation").splitlines()
    assert sorted(lines) == sorted(f"w{w}-{n}" for w in range(workers) for n in range(count))
    for w in range(workers):  # each worker's lines in its own order
        own = [line for line in lines if line.startswith(f"w{w}-")]
        assert own == [f"w{w}-{n}" for n in range(count)]
    assert final.revision == 1 + workers * count
    assert [s.id for s in store.list_cases()] == [case.id]  # no conflict copies


def test_racing_editors_get_conflict_copies_and_lose_nothing(tmp_path):
    store = open_store(str(tmp_path))
    case = store.create(new_case("Shared", TEMPLATE))
    workers, count = 4, 12
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    run_all(
        _append_with_save_and_retry,
        [(str(tmp_path), case.id, w, count, queue) for w in range(workers)],
    )
    conflicts = [item for _ in range(workers) for item in queue.get(timeout=60)]
    final = store.load(case.id)
    lines = final.text("situation").splitlines()
    assert sorted(lines) == sorted(f"w{w}-{n}" for w in range(workers) for n in range(count))
    summaries = {s.id: s for s in store.list_cases()}
    copies = {sid for sid, s in summaries.items() if s.conflict_of == case.id}
    assert copies == {copy_id for copy_id, _line in conflicts}
    for copy_id, line in conflicts:
        copy = store.load(copy_id)
        assert line in copy.text("situation").splitlines()  # the racing text was kept
        assert "conflict copy" in copy.title


def test_writers_on_different_cases_never_interfere(tmp_path):
    store = open_store(str(tmp_path))
    ids = [store.create(new_case(f"Case {w}", TEMPLATE)).id for w in range(4)]
    count = 15
    run_all(_write_own_case, [(str(tmp_path), ids[w], w, count) for w in range(4)])
    for w, case_id in enumerate(ids):
        case = store.load(case_id)
        assert case.text("notes") == f"worker {w} version {count - 1}"
        assert case.revision == 1 + count
    assert len(store.list_cases()) == 4


def test_ids_are_never_reused_across_processes(tmp_path):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    run_all(_create_many, [(str(tmp_path), 20, queue) for _ in range(3)])
    ids = [case_id for _ in range(3) for case_id in queue.get(timeout=60)]
    assert len(set(ids)) == 60
    assert len(open_store(str(tmp_path)).list_cases()) == 60


def test_threads_share_one_store_safely(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    store = open_store(str(tmp_path))
    case = store.create(new_case("Threads", TEMPLATE))

    def append(n: int) -> None:
        def change(current: Case) -> Case:
            current.sections["situation"] = current.text("situation") + f"t{n}\n"
            return current

        store.update(case.id, change)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(append, range(40)))
    assert sorted(store.load(case.id).text("situation").splitlines()) == sorted(
        f"t{n}" for n in range(40)
    )
