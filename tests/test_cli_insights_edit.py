"""`coprod insight edit`, `coprod insight purge`, and `coprod search` finding insights.

Cases, people and places are invented. Failures are one line, exit 2 for bad input.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from coprod_tui.cli import main
from tests.cli_helpers import isolate
from tests.test_cli_insights import TEXT, Run, new_insight


@pytest.fixture
def run(tmp_path: Path, capsys, monkeypatch) -> Run:
    isolate(monkeypatch, tmp_path)
    return Run(tmp_path / "store", capsys, monkeypatch)


@pytest.fixture
def case_id(run: Run) -> str:
    code, out, err = run("new", "Akutbesök, Tallbacka (fiktivt)")
    assert code == 0, err
    made = out.split()[-1]
    code, _out, err = run("write", made, "5", stdin=TEXT.encode())
    assert code == 0, err
    return made


@pytest.fixture
def insight_id(run: Run, case_id: str) -> str:
    return new_insight(run, case_id, "--tag", "familj")


def shown(run: Run, insight_id: str) -> dict:
    code, out, err = run("insight", "show", insight_id[:8], "--json")
    assert code == 0, err
    return json.loads(out)


def test_edit_changes_title_text_and_tags_and_keeps_the_links(run, insight_id) -> None:
    code, out, err = run(
        "insight", "edit", insight_id[:8], "--title", "Familjen avgör",
        "--text", "-", "--tag", "+väntan", "-FAMILJ", stdin="Dottern måste veta.\n".encode(),
    )  # fmt: skip
    assert code == 0, err
    assert out.strip() == f"saved insight {insight_id[:8]} (revision 2)"
    data = shown(run, insight_id)
    assert (data["title"], data["text"], data["tags"]) == (
        "Familjen avgör",
        "Dottern måste veta.\n",
        ["väntan"],
    )
    assert len(data["links"]) == 1 and data["links"][0]["status"] == "found"


def test_an_edit_that_changes_nothing_writes_nothing(run, insight_id) -> None:
    code, out, _ = run("insight", "edit", insight_id[:8], "--title", "Patienter väntar på familjen")
    assert code == 0
    assert "nothing changed" in out
    assert shown(run, insight_id)["revision"] == 1


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ((), "give --title, --text or --tag"),
        (("--title", "  "), "needs a title"),
        (("--title", "två\nrader"), "one line"),
        (("--tag",), "give at least one change"),
        (("--tag", "+"), "names no tag"),
    ],
)
def test_bad_edits_are_one_line_and_change_nothing(run, insight_id, args, says) -> None:
    code, out, err = run("insight", "edit", insight_id[:8], *args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and says in err, err
    assert shown(run, insight_id)["revision"] == 1


def test_edit_of_an_unknown_insight_says_so(run, insight_id) -> None:
    code, _out, err = run("insight", "edit", "ffffffff", "--title", "x")
    assert code != 0 and "no insight" in err and len(err.strip().splitlines()) == 1


def test_purge_without_a_terminal_needs_yes(run, insight_id) -> None:
    code, _out, err = run("insight", "purge", insight_id[:8])
    assert code == 2 and "--yes" in err
    assert shown(run, insight_id)["id"] == insight_id


class _Terminal(io.TextIOWrapper):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "kept"), [(b"n\n", True), (b"y\n", False)])
def test_purge_asks_on_a_terminal(run, insight_id, capsys, monkeypatch, answer, kept) -> None:
    monkeypatch.setattr(sys, "stdin", _Terminal(io.BytesIO(answer), encoding="utf-8"))
    code = main(["--store", str(run.store), "insight", "purge", insight_id[:8]])
    out, err = capsys.readouterr()
    assert code == 0
    assert "will be deleted for good" in err and "Patienter väntar på familjen" in err
    assert ("nothing was deleted" in out) is kept
    code, _out, _err = run("insight", "show", insight_id[:8])
    assert (code == 0) is kept


def test_purge_yes_erases_the_insight_and_its_words(run, insight_id, case_id) -> None:
    code, out, err = run("search", "familjen", "--kind", "insight", "--json")
    assert code == 0, err
    assert [row["insight_id"] for row in json.loads(out)] == [insight_id]
    code, out, err = run("insight", "purge", insight_id[:8], "--yes")
    assert code == 0, err
    assert out.startswith(f"purged insight {insight_id[:8]}")
    code, _out, err = run("insight", "show", insight_id[:8])
    assert code != 0
    code, out, _ = run("search", "familjen", "--kind", "insight")
    assert out.strip() == "no insight matches that search"
    index = run.store / "index" / "search.sqlite3"
    assert "Patienter väntar".encode() not in index.read_bytes()


def test_search_finds_cases_and_insights_marked_apart(run, insight_id, case_id) -> None:
    code, out, err = run("search", "inlagd")
    assert code == 0, err
    lines = out.splitlines()
    assert any(line.startswith(case_id[:8]) for line in lines)
    assert not any("◆ insight" in line for line in lines)  # the insight has no 'inlagd'
    code, out, _ = run("search", "familjen")
    marks = [line for line in out.splitlines() if "◆ insight" in line]
    assert len(marks) == 1 and marks[0].startswith(insight_id[:8])
    assert "Patienter väntar på «familjen»" in marks[0]
    code, out, _ = run("search", "familjen", "--json")
    rows = json.loads(out)
    kinds = {row["kind"] for row in rows}
    assert "insight" in kinds
    for row in rows:
        if row["kind"] == "insight":
            assert set(row) == {"kind", "insight_id", "title", "snippet", "score"}
            assert row["title"] == "Patienter väntar på familjen"
    code, out, _ = run("search", "familjen", "--kind", "case", "--json")
    assert all(row["kind"] == "case" for row in json.loads(out))
    code, out, _ = run("search", "tag:familj", "--kind", "insight", "--json")
    assert [row["insight_id"] for row in json.loads(out)] == [insight_id]
