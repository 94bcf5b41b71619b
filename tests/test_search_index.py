"""The search index: Swedish- and English-aware rules, always caught up, rebuilt when broken."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from coprod_tui.core.search import QueryError, SearchHit, SearchIndex
from coprod_tui.core.store import CaseStore
from tests.search_helpers import add_case, fill, open_store


@pytest.fixture
def store(tmp_path: Path) -> CaseStore:
    return open_store(tmp_path / "store")


@pytest.fixture
def ids(store: CaseStore) -> dict[str, str]:
    return fill(store)


@pytest.fixture
def index(store: CaseStore, ids: dict[str, str]) -> Iterator[SearchIndex]:
    opened = SearchIndex.for_store(store)
    yield opened
    opened.close()


def found(hits: list[SearchHit]) -> list[tuple[str, str]]:
    return [(hit.case_id, hit.section_id) for hit in hits]


def cases(hits: list[SearchHit]) -> set[str]:
    return {hit.case_id for hit in hits}


def marked(hit: SearchHit) -> list[str]:
    return [hit.snippet[start:end] for start, end in hit.highlights]


# --- text analysis --------------------------------------------------------------------------


def test_case_folding_across_unicode(index: SearchIndex, ids: dict[str, str]) -> None:
    hits = index.search("ÅTERBESÖK")
    assert found(hits)[0] == (ids["tove"], "")  # the title row
    assert marked(hits[0]) == ["Återbesök"]
    assert found(index.search("UMEÅ")) == [(ids["tove"], "situation")]


def test_diacritics_are_letters(index: SearchIndex, ids: dict[str, str]) -> None:
    # år never finds är, för never finds for.
    assert cases(index.search("år")) == {ids["maja"]}
    assert ids["tove"] not in cases(index.search("år"))
    assert cases(index.search("för")) == {ids["tove"]}
    assert ids["aron"] not in cases(index.search("för"))


def test_a_word_typed_without_diacritics_finds_them_after_exact_hits(
    index: SearchIndex, ids: dict[str, str]
) -> None:
    hits = index.search("aterbesok")
    # Maja's note has the word without dots (exact); Tove's title has it with them.
    assert found(hits)[0] == (ids["maja"], "situation")
    assert (ids["tove"], "") in found(hits)
    assert hits[0].score > hits[-1].score
    tove = next(hit for hit in hits if hit.case_id == ids["tove"])
    assert marked(tove) == ["Återbesök"]


def test_words_inside_compounds_rank_after_whole_words(
    index: SearchIndex, ids: dict[str, str]
) -> None:
    hits = index.search("remiss")
    # Whole words first: Aron's note, and Tove's tag "Gul remiss" (in the title row).
    assert set(found(hits)[:2]) == {(ids["aron"], "situation"), (ids["tove"], "")}
    rest = set(found(hits)[2:])
    assert (ids["tove"], "team") in rest  # läkarremissen
    assert (ids["maja"], "team") in rest  # remissvar
    assert min(h.score for h in hits[:2]) > max(h.score for h in hits[2:])
    team = next(h for h in hits if found([h]) == [(ids["tove"], "team")])
    assert marked(team) == ["Läkarremissen"]
    assert found(index.search("astma"))[:3] != []
    assert ids["ebba"] in cases(index.search("astma"))  # astmamedicin


def test_short_words_are_not_searched_inside_compounds(index: SearchIndex) -> None:
    assert all(marked(hit) == ["i"] * len(hit.highlights) for hit in index.search("i"))


def test_prefix(index: SearchIndex, ids: dict[str, str]) -> None:
    assert cases(index.search("zebra*")) == {ids["gamla"]}
    hits = index.search("remissv*")
    assert found(hits) == [(ids["maja"], "team")]
    assert marked(hits[0]) == ["Remissvar"]


def test_phrase(index: SearchIndex, ids: dict[str, str]) -> None:
    hits = index.search('"ont i bröstet"')
    assert found(hits) == [(ids["tove"], "situation")]  # Ebba has "ont i magen ... i bröstet"
    assert marked(hits[0]) == ["ont i bröstet"]


def test_a_phrase_typed_without_diacritics_finds_them_after_exact_hits(
    index: SearchIndex, ids: dict[str, str]
) -> None:
    hits = index.search('"ont i brostet"')
    assert found(hits) == [(ids["tove"], "situation")]
    assert marked(hits[0]) == ["ont i bröstet"]
    assert hits[0].score < 2  # after any exact hit
    assert index.search('"ont i bröstet"')[0].score > 2


def test_all_words_must_match(index: SearchIndex, ids: dict[str, str]) -> None:
    assert cases(index.search("bröstet magen")) == {ids["ebba"]}


def test_filters_in_the_query_and_as_arguments(index: SearchIndex, ids: dict[str, str]) -> None:
    assert set(found(index.search("remiss section:team"))) == {
        (ids["tove"], "team"),
        (ids["maja"], "team"),
    }
    assert set(found(index.search("remiss", section="team"))) == {
        (ids["tove"], "team"),
        (ids["maja"], "team"),
    }
    assert cases(index.search("remiss tag:ASTMA")) == {ids["tove"], ids["maja"]}
    assert cases(index.search("remiss", tag="copd")) == {ids["aron"]}
    assert cases(index.search('ont tag:"gul remiss"')) == {ids["tove"]}
    assert cases(index.search("remiss template:sok-mall")) == {
        ids["tove"],
        ids["aron"],
        ids["maja"],
    }
    assert index.search("remiss template:another") == []
    assert found(index.search("henne perspective:patient-person")) == [(ids["tove"], "patient")]
    assert found(index.search("henne", perspective="professional-person")) == [
        (ids["tove"], "team")
    ]


def test_filters_alone_list_the_cases(index: SearchIndex, ids: dict[str, str]) -> None:
    assert cases(index.search("tag:astma")) == {ids["tove"], ids["maja"]}
    assert {hit.section_id for hit in index.search("tag:astma")} == {""}


def test_unknown_perspective_is_a_query_error(index: SearchIndex) -> None:
    with pytest.raises(QueryError, match="perspective"):
        index.search("ont perspective:nobody")


def test_blank_query_finds_nothing(index: SearchIndex) -> None:
    assert index.search("") == []
    assert index.search("   ") == []


def test_snippet_is_one_plain_line_with_the_span_in_the_text(
    store: CaseStore, index: SearchIndex
) -> None:
    text = "Första raden.\n\tAndra raden om [red]inhalatorn[/red] och \x1b[31mmer.\n" + "fyll " * 80
    case = add_case(store, "Lång text", situation=text)
    (hit,) = index.search("inhalatorn")
    assert "\n" not in hit.snippet and "\t" not in hit.snippet and "\x1b" not in hit.snippet
    assert marked(hit) == ["inhalatorn"]
    assert hit.span is not None
    assert store.load(case.id).text("situation")[hit.span[0] : hit.span[1]] == "inhalatorn"
    assert hit.snippet.endswith("…")


def test_never_passes_user_text_to_fts_as_syntax(index: SearchIndex) -> None:
    for hostile in ['bröstet"', "NEAR(a b)", "a OR b", "col:x", "^ont", "x*y", "tag:"]:
        with pytest.raises(QueryError) as error:
            index.search(hostile)
        assert error.value.exit_code == 2
        assert "\n" not in str(error.value)
        assert "fts5" not in str(error.value).lower() and "sqlite" not in str(error.value).lower()
    # Punctuation FTS5 would choke on is just not a word.
    assert index.search("- . ;") == []
    assert index.search("ont-i-bröstet") != []  # words joined by dashes: a phrase


# --- always caught up -------------------------------------------------------------------


def test_another_writer_is_seen_at_once(
    tmp_path: Path, store: CaseStore, index: SearchIndex
) -> None:
    other = open_store(store.path)  # another window, or the CLI, with no observer
    case = add_case(other, "Ny patient", situation="Pelargonen på fönsterbänken.")
    assert cases(index.search("pelargonen")) == {case.id}
    loaded = other.load(case.id)
    loaded.sections["situation"] = "Nu står en kaktus där."
    other.save(loaded, base_revision=loaded.revision)
    assert index.search("pelargonen") == []
    assert cases(index.search("kaktus")) == {case.id}


def test_catch_up_reads_only_changed_files(
    store: CaseStore, index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    import coprod_tui.core.search.index as index_module

    monkeypatch.setattr(index_module, "FULL_SCAN_EVERY", 0.0)  # a hand edit is seen at once
    hour_ago = time.time() - 3600
    for path in (store.path / "cases").iterdir():
        os.utime(path, (hour_ago, hour_ago))  # no longer racy (and so changed once)
    assert index.catch_up() == 5
    assert index.catch_up() == 0
    other = open_store(store.path)
    add_case(other, "En till", situation="Blåbärssoppa.")
    assert index.catch_up() == 1
    assert index.search("blåbärssoppa")


def test_a_file_replaced_within_one_tick_is_read_again(
    store: CaseStore, index: SearchIndex, ids: dict[str, str]
) -> None:
    other = open_store(store.path)
    case = other.load(ids["ebba"])
    index.search("ebba")
    case.sections["situation"] = "Hallonbusken."
    other.save(case, base_revision=case.revision)
    path = store.path / "cases" / f"{ids['ebba']}.json"
    assert index.search("hallonbusken")
    info = os.stat(path)
    case = other.load(ids["ebba"])
    case.sections["situation"] = "Vinbärsbusken."  # same size as Hallonbusken.
    other.save(case, base_revision=case.revision)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # same time stamp, too
    assert index.search("vinbärsbusken")


def test_trashed_cases_are_not_found_and_purged_ones_vanish(
    store: CaseStore, index: SearchIndex, ids: dict[str, str]
) -> None:
    other = open_store(store.path)
    other.trash(ids["gamla"])
    assert index.search("zebrafinken") == []
    other.untrash(ids["gamla"])
    assert cases(index.search("zebrafinken")) == {ids["gamla"]}
    other.trash(ids["gamla"])
    other.purge(ids["gamla"])
    assert index.search("zebrafinken") == []
    count = (
        sqlite3.connect(index.path)
        .execute("SELECT count(*) FROM docs WHERE case_id = ?", (ids["gamla"],))
        .fetchone()[0]
    )
    assert count == 0


def test_the_observer_updates_without_waiting_in_the_save(
    store: CaseStore, index: SearchIndex, ids: dict[str, str]
) -> None:
    index.observe(store)
    case = store.load(ids["aron"])
    case.sections["team"] = "Sjuksköterskan bokade en hembesökstid."
    store.save(case, base_revision=case.revision)
    # A search right after the save sees it (the queue is drained first).
    assert found(index.search("hembesökstid")) == [(ids["aron"], "team")]
    store.trash(ids["aron"])
    assert index.search("hembesökstid") == []
    store.untrash(ids["aron"])
    assert cases(index.search("hembesökstid")) == {ids["aron"]}
    store.trash(ids["aron"])
    store.purge(ids["aron"])
    assert index.search("hembesökstid") == []


def test_the_background_thread_applies_saves(store: CaseStore, index: SearchIndex) -> None:
    index.observe(store)
    add_case(store, "Bakgrund", situation="Mandelblomman.")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with sqlite3.connect(index.path) as conn:
            rows = conn.execute("SELECT count(*) FROM sec WHERE sec MATCH 'mandelblomman'")
            if rows.fetchone()[0]:
                break
        time.sleep(0.02)
    else:
        pytest.fail("the background thread never wrote the save")


def test_a_save_is_not_slowed_by_a_busy_index(store: CaseStore, index: SearchIndex) -> None:
    index.observe(store)
    with index._lock:  # a long search holds the index
        started = time.monotonic()
        add_case(store, "Under en sökning", situation="Lingonris.")
        assert time.monotonic() - started < 2
    assert index.search("lingonris") != []


# --- derived, private, rebuilt ------------------------------------------------------------


def test_index_is_private(index: SearchIndex) -> None:
    assert stat.S_IMODE(os.stat(index.folder).st_mode) == 0o700
    for path in index.folder.iterdir():
        assert stat.S_IMODE(os.lstat(path).st_mode) == 0o600, path


def test_index_keeps_sqlite_temporary_files_in_memory(index: SearchIndex) -> None:
    """Sorts and merges never spill case text into the system temp folder."""
    index.search("ont")
    conn = index._conn
    assert conn is not None
    assert conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY


def test_index_private_whatever_the_umask(store: CaseStore, ids: dict[str, str]) -> None:
    old = os.umask(0)
    try:
        with SearchIndex.for_store(store) as index:
            index.search("ont")
            modes = {p.name: stat.S_IMODE(os.lstat(p).st_mode) for p in index.folder.iterdir()}
    finally:
        os.umask(old)
    assert modes and set(modes.values()) == {0o600}


@pytest.mark.parametrize(
    "damage",
    ["missing", "garbage", "empty", "truncated", "old-schema", "wrong-tables"],
)
def test_a_broken_index_is_rebuilt_silently(
    store: CaseStore, ids: dict[str, str], damage: str
) -> None:
    with SearchIndex.for_store(store) as first:
        path = first.path
        assert cases(first.search("zebrafinken")) == {ids["gamla"]}
    if damage == "missing":
        path.unlink()
    elif damage == "garbage":
        path.write_bytes(os.urandom(64 * 1024))
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3])
    elif damage == "old-schema":
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA user_version = 0")
    elif damage == "wrong-tables":
        with sqlite3.connect(path) as conn:
            conn.execute("DROP TABLE tags")
    with SearchIndex.for_store(store) as index:
        assert cases(index.search("zebrafinken")) == {ids["gamla"]}
        assert index.rebuilds == 1


def test_damage_under_a_live_index_is_repaired(
    store: CaseStore, index: SearchIndex, ids: dict[str, str]
) -> None:
    assert index.search("zebrafinken")
    index.path.write_bytes(b"not a database" * 1000)  # replaced: a new inode
    assert cases(index.search("zebrafinken")) == {ids["gamla"]}


def test_a_symlink_planted_at_the_index_is_replaced_not_followed(
    tmp_path: Path, store: CaseStore, ids: dict[str, str]
) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("do not touch")
    folder = store.path / "index"
    folder.mkdir(mode=0o700, exist_ok=True)
    (folder / "search.sqlite3").symlink_to(target)
    (folder / "search.sqlite3-wal").symlink_to(tmp_path / "elsewhere-wal")
    with SearchIndex.for_store(store) as index:
        assert cases(index.search("zebrafinken")) == {ids["gamla"]}
        assert not index.path.is_symlink()
    assert target.read_text() == "do not touch"
    assert not (tmp_path / "elsewhere-wal").exists()


def test_a_symlinked_index_folder_is_replaced_not_followed(
    tmp_path: Path, store: CaseStore, ids: dict[str, str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (store.path / "index").symlink_to(outside)
    with SearchIndex.for_store(store) as index:
        assert cases(index.search("zebrafinken")) == {ids["gamla"]}
    assert list(outside.iterdir()) == []
    assert not (store.path / "index").is_symlink()


def test_rebuild_reports_progress(store: CaseStore, index: SearchIndex) -> None:
    seen: list[tuple[int, int]] = []
    assert index.rebuild(lambda done, total: seen.append((done, total))) == 5
    assert seen[-1] == (5, 5)
    assert index.search("zebrafinken")


def test_a_damaged_case_file_is_skipped(
    store: CaseStore, ids: dict[str, str], index: SearchIndex
) -> None:
    path = store.path / "cases" / f"{ids['gamla']}.json"
    path.write_text("{ not json")
    assert index.search("zebrafinken") == []
    assert cases(index.search("remiss")) >= {ids["aron"]}


def test_a_file_edited_in_place_by_hand_is_found_by_the_next_full_scan(
    store: CaseStore, index: SearchIndex, ids: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import coprod_tui.core.search.index as index_module

    path = store.path / "cases" / f"{ids['gamla']}.json"
    index.search("zebrafinken")
    text = path.read_text().replace("Zebrafinken", "Kanariefågeln")
    with open(path, "w") as handle:  # in place: the folder does not change
        handle.write(text)
    monkeypatch.setattr(index_module, "FULL_SCAN_EVERY", 0.0)
    assert cases(index.search("kanariefågeln")) == {ids["gamla"]}
    assert index.search("zebrafinken") == []


def test_searches_from_many_threads_while_saving(store: CaseStore, index: SearchIndex) -> None:
    import threading

    index.observe(store)
    errors: list[BaseException] = []
    stop = threading.Event()

    def searcher() -> None:
        try:
            while not stop.is_set():
                index.search("remiss tag:astma")
                index.search("ont*")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=searcher) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        made = [
            add_case(store, f"Fall {n}", situation=f"Ordet fallnummer{n} här.") for n in range(8)
        ]
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert errors == []
    for number, case in enumerate(made):
        assert cases(index.search(f"fallnummer{number}")) == {case.id}


def test_another_process_rebuilding_does_not_confuse_a_live_index(
    store: CaseStore, index: SearchIndex, ids: dict[str, str]
) -> None:
    assert index.search("zebrafinken")
    with SearchIndex(store.path) as other:
        other.rebuild()  # a new file renamed over the one the live index has open
    other_store = open_store(store.path)
    case = add_case(other_store, "Efter ombyggnaden", situation="Rabarberpaj.")
    assert cases(index.search("rabarberpaj")) == {case.id}
    assert cases(index.search("zebrafinken")) == {ids["gamla"]}


def test_a_loose_index_folder_is_made_private(store: CaseStore, ids: dict[str, str]) -> None:
    folder = store.path / "index"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    with SearchIndex.for_store(store) as index:
        assert index.search("zebrafinken")
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700


def test_a_new_process_trusts_the_last_scan_until_a_folder_changes(
    store: CaseStore, index: SearchIndex, ids: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import coprod_tui.core.search.index as index_module

    hour_ago = time.time() - 3600
    for folder in (store.path / "cases", store.path / "trash"):
        for path in folder.iterdir():
            os.utime(path, (hour_ago, hour_ago))
        os.utime(folder, (hour_ago, hour_ago))
    index.search("ont")  # a full scan; its marks are stored in the file
    real_scan = index_module.scan_entries
    scans: list[int] = []

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        scans.append(1)
        return real_scan(*args, **kwargs)

    monkeypatch.setattr(index_module, "scan_entries", counted)
    with SearchIndex.for_store(store) as fresh:  # another process, later
        assert cases(fresh.search("zebrafinken")) == {ids["gamla"]}
        assert scans == []  # nothing changed: no folder scan
        case = add_case(open_store(store.path), "Ny", situation="Lakritsbåt.")
        assert cases(fresh.search("lakritsbåt")) == {case.id}
        assert scans == [1]


def test_damage_inside_a_live_index_found_while_catching_up_is_repaired(
    store: CaseStore, index: SearchIndex, ids: dict[str, str]
) -> None:
    assert index.search("zebrafinken")
    size = index.path.stat().st_size
    with open(index.path, "r+b") as handle:  # the same file, pages overwritten in place
        handle.seek(4096)
        handle.write(os.urandom(size - 4096))
    other = open_store(store.path)
    case = add_case(other, "Efter skadan", situation="Krusbärskräm.")  # the catch-up must write
    assert cases(index.search("krusbärskräm")) == {case.id}
    assert cases(index.search("zebrafinken")) == {ids["gamla"]}


def test_a_store_that_cannot_be_written_is_searched_from_memory(
    store: CaseStore, ids: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import coprod_tui.core.search.index as index_module

    def read_only(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(index_module, "make_private_folders", read_only)
    with SearchIndex.for_store(store) as index:
        assert cases(index.search("zebrafinken")) == {ids["gamla"]}
        case = add_case(open_store(store.path), "Läsbar", situation="Smultronställe.")
        assert cases(index.search("smultronställe")) == {case.id}
    assert not (store.path / "index").exists()


def test_an_index_file_that_cannot_be_written_is_replaced_by_memory(
    store: CaseStore, ids: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import coprod_tui.core.search.index as index_module

    with SearchIndex.for_store(store) as index:
        index.search("ont")

    def read_only(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(index_module, "chmod_nofollow", read_only)
    with SearchIndex.for_store(store) as index:
        assert cases(index.search("zebrafinken")) == {ids["gamla"]}
        assert index.rebuild() == 5
        assert cases(index.search("zebrafinken")) == {ids["gamla"]}
