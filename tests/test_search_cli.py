"""``coprod search`` and ``coprod doctor --reindex``: output, JSON shape, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coprod_tui.core.search import SearchIndex
from tests.cli_helpers import coprod, one_line
from tests.search_helpers import fill, open_store


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def ids(store_dir: Path) -> dict[str, str]:
    return fill(open_store(store_dir))


def run(capsys, monkeypatch, store_dir: Path, *args: str, stdin: bytes = b""):
    return coprod(capsys, monkeypatch, "--store", str(store_dir), *args, stdin=stdin)


def test_table_marks_the_hit(capsys, monkeypatch, store_dir, ids) -> None:
    code, out, err = run(capsys, monkeypatch, store_dir, "search", "bröstet")
    assert code == 0, err
    lines = {line[:8]: line for line in out.splitlines()}
    assert set(lines) == {ids["tove"][:8], ids["ebba"][:8]}
    tove = lines[ids["tove"][:8]]
    assert "Återbesök hos Tove" in tove and "situation" in tove
    assert "Hon hade ont i «bröstet» sedan" in tove


def test_words_given_as_several_arguments(capsys, monkeypatch, store_dir, ids) -> None:
    code, out, _ = run(capsys, monkeypatch, store_dir, "search", "bröstet", "magen")
    assert code == 0
    assert [line[:8] for line in out.splitlines()] == [ids["ebba"][:8]]


def test_json_rows(capsys, monkeypatch, store_dir, ids) -> None:
    code, out, _ = run(
        capsys, monkeypatch, store_dir, "search", "remiss", "--json", "--section", "team"
    )
    assert code == 0
    rows = json.loads(out)
    assert {(row["case_id"], row["section_id"]) for row in rows} == {
        (ids["tove"], "team"),
        (ids["maja"], "team"),
    }
    for row in rows:
        assert set(row) == {"kind", "case_id", "title", "section_id", "snippet", "score"}
        assert isinstance(row["score"], float)
        assert "\n" not in row["snippet"]


def test_tag_and_limit(capsys, monkeypatch, store_dir, ids) -> None:
    code, out, _ = run(capsys, monkeypatch, store_dir, "search", "remiss", "--tag", "copd")
    assert code == 0 and [line[:8] for line in out.splitlines()] == [ids["aron"][:8]]
    code, out, _ = run(capsys, monkeypatch, store_dir, "search", "remiss", "--limit", "1")
    assert code == 0 and len(out.splitlines()) == 1
    code, _, err = run(capsys, monkeypatch, store_dir, "search", "remiss", "--limit", "0")
    assert code == 2 and "limit" in one_line(err)


def test_no_hits_says_so(capsys, monkeypatch, store_dir, ids) -> None:
    code, out, err = run(capsys, monkeypatch, store_dir, "search", "krokodil")
    assert (code, out, err) == (0, "no case or insight matches that search\n", "")
    code, out, _ = run(capsys, monkeypatch, store_dir, "search", "krokodil", "--json")
    assert (code, json.loads(out)) == (0, [])


def test_a_query_it_cannot_read_is_one_line_exit_2(capsys, monkeypatch, store_dir, ids) -> None:
    for query in ['"ont i', "tag:", "ont OR bröstet", "(ont)"]:
        code, out, err = run(capsys, monkeypatch, store_dir, "search", query)
        assert code == 2, query
        assert out == ""
        line = one_line(err)
        assert line.startswith("coprod: could not read the search: ")
        assert "sqlite" not in line.lower() and "fts5" not in line.lower()


def test_no_store_is_exit_2(capsys, monkeypatch, tmp_path) -> None:
    code, _, err = run(capsys, monkeypatch, tmp_path / "nowhere", "search", "ont")
    assert code == 2
    assert "no store" in one_line(err)
    assert not (tmp_path / "nowhere").exists()


def test_hostile_text_is_shown_safely(capsys, monkeypatch, store_dir, ids) -> None:
    store = open_store(store_dir)
    from tests.search_helpers import add_case

    add_case(store, "Titel \x1b]0;pwned\x07 här", situation="Ordet \x1b[31mgurkmeja\x1b[0m.")
    code, out, _ = run(capsys, monkeypatch, store_dir, "search", "gurkmeja")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "gurkmeja»" in out


def test_cli_writes_behind_a_live_index_are_found_at_once(
    capsys, monkeypatch, store_dir, ids
) -> None:
    """A workbench keeps its index open; the CLI writes; the next search has the words."""
    store = open_store(store_dir)
    with SearchIndex.for_store(store) as live:
        live.observe(store)
        assert live.search("kanelbulle") == []
        code, _, err = run(
            capsys,
            monkeypatch,
            store_dir,
            "write",
            ids["aron"][:8],
            "situation",
            stdin="Han bjöd på kanelbulle.".encode(),
        )
        assert code == 0, err
        assert [hit.case_id for hit in live.search("kanelbulle")] == [ids["aron"]]
        code, _, _ = run(capsys, monkeypatch, store_dir, "new", "Kanelbullens dag")
        assert code == 0
        assert len(live.search("kanelbulle*")) == 2
        code, out, _ = run(capsys, monkeypatch, store_dir, "search", "kanelbulle*", "--json")
        assert len(json.loads(out)) == 2


def test_doctor_reindex(capsys, monkeypatch, store_dir, ids) -> None:
    index_file = store_dir / "index" / "search.sqlite3"
    run(capsys, monkeypatch, store_dir, "search", "ont")
    index_file.write_bytes(b"garbage" * 100)
    code, out, err = run(capsys, monkeypatch, store_dir, "doctor", "--reindex")
    assert code == 0, err
    assert "search index rebuilt: 5 case file(s) read" in out
    assert "store OK" in out
    assert err == ""  # not a terminal: no progress bar
    code, out, _ = run(capsys, monkeypatch, store_dir, "search", "zebrafinken")
    assert out.startswith(ids["gamla"][:8])


def test_doctor_reindex_progress_bar_on_a_terminal(store_dir, ids, tmp_path) -> None:
    """On a terminal the bar is drawn on standard error (a pseudo-terminal here)."""
    import pty

    env = {**os.environ, "COPROD_STORE": str(store_dir)}
    primary, secondary = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "coprod_tui", "doctor", "--reindex"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=secondary,
            env=env,
            timeout=60,
        )
        os.close(secondary)
        secondary = -1
        drawn = b""
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        if secondary != -1:
            os.close(secondary)
        os.close(primary)
    assert done.returncode == 0
    assert b"indexing [" in drawn and b"5/5" in drawn
    assert b"search index rebuilt" in done.stdout
