"""``coprod coverage``: a table that fits 80 columns, totals, JSON, tag filter, sorting, failures.

Cases and people are invented.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from coprod_tui.cli import main
from coprod_tui.commands.knowledge import ASCII_MARKS, coverage_table
from coprod_tui.core.coverage import build_coverage
from coprod_tui.core.store import CaseStore


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for name in ("COPROD_TEMPLATES", "COPROD_STORE", "COPROD_LANG", "LANGUAGE", "LC_ALL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LC_MESSAGES", "")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.setenv("COLUMNS", "80")


class Run:
    def __init__(self, store: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
        self.store, self.capsys, self.monkeypatch = store, capsys, monkeypatch

    def __call__(self, *args: str, stdin: bytes = b"") -> tuple[int, str, str]:
        self.monkeypatch.setattr(
            sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        )
        try:
            code = main(["--store", str(self.store), *args])
        except SystemExit as exit_info:
            code = int(exit_info.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> Run:
    return Run(tmp_path / "store", capsys, monkeypatch)


def new(run: Run, title: str, *tags: str, sections: dict[str, int] | None = None) -> str:
    code, out, err = run("new", title, *[f"--tag={tag}" for tag in tags])
    assert code == 0, err
    case_id = out.strip()
    for section, count in (sections or {}).items():
        text = " ".join(["word"] * count).encode()
        assert run("write", case_id, section, stdin=text)[0] == 0
    return case_id


def test_table_shows_markers_legend_and_totals_within_80_columns(run: Run) -> None:
    first = new(
        run,
        "Agnes at the health centre " + "with a very long title " * 4,
        sections={"1": 25, "2": 3},
    )
    second = new(run, "Bertil waits", sections={"1": 40})
    code, out, err = run("coverage")
    assert code == 0, err
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    assert lines[0].split()[:2] == ["ID", "TITLE"] and lines[0].endswith("1 2 3 4 5 6 7 8 9")
    rows = {line[:8]: line for line in lines[1:3]}
    assert rows[first[:8]].endswith("● ○ · · · · · · ·")
    assert "…" in rows[first[:8]]  # the long title is clipped, the cells stay
    assert rows[second[:8]].endswith("● · · · · · · · ·")
    assert any("● written (20+ words)" in line and "○ short" in line for line in lines)
    situation = next(line for line in lines if line.strip().startswith("1  Situation"))
    assert situation.split()[-4:] == ["2", "0", "0", "65"]
    assert "2 cases" in lines[-1]


def test_json_is_the_matrix(run: Run) -> None:
    case_id = new(run, "Cilla", "akut", sections={"situation": 19})
    code, out, _err = run("coverage", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["sections"][0]["id"] == "situation" and len(data["sections"]) == 9
    (case,) = data["cases"]
    assert case["id"] == case_id and case["tags"] == ["akut"]
    assert case["cells"]["situation"] == {"words": 19, "status": "short"}
    assert data["totals"]["situation"]["short"] == 1


def test_tag_filter_and_sorting(run: Run) -> None:
    new(run, "David", "Akut", sections={"1": 5})
    new(run, "Eva", "akut", sections={"1": 50})
    new(run, "Fredrik", "remiss", sections={"1": 30})
    code, out, _err = run("coverage", "--tag", "AKUT", "--json")
    assert code == 0 and [c["title"] for c in json.loads(out)["cases"]] == ["David", "Eva"]
    _code, out, _err = run("coverage", "--sort", "1", "--reverse", "--json")
    assert [c["title"] for c in json.loads(out)["cases"]] == ["Eva", "Fredrik", "David"]
    _code, out, _err = run("coverage", "--sort", "situation", "--json")
    assert [c["title"] for c in json.loads(out)["cases"]] == ["David", "Fredrik", "Eva"]
    _code, out, _err = run("coverage", "--tag", "akut")
    assert "2 cases with the tag 'akut'" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--sort", "nowhere"), "cannot sort by 'nowhere'"),
        (("--sort", "42"), "there is no section 42"),
    ],
)
def test_bad_sort_is_one_line_exit_2(run: Run, args: tuple[str, ...], message: str) -> None:
    new(run, "Gustav")
    code, out, err = run("coverage", *args)
    assert code == 2 and out == "" and message in err and len(err.splitlines()) == 1


def test_no_cases_and_no_store(run: Run, tmp_path: Path) -> None:
    new(run, "Hanna", "hem")
    code, out, _err = run("coverage", "--tag", "akut")
    assert code == 0 and "no cases with the tag 'akut'" in out
    code, _out, err = main_code(["--store", str(tmp_path / "nowhere"), "coverage"], run)
    assert code == 2 and "no store" in err
    assert not (tmp_path / "nowhere").exists()


def main_code(argv: list[str], run: Run) -> tuple[int, str, str]:
    code = main(argv)
    out, err = run.capsys.readouterr()
    return code, out, err


def test_titles_are_terminal_safe(run: Run) -> None:
    new(run, "Ivar \x1b[31mröd\x1b[0m")
    _code, out, _err = run("coverage")
    assert "\x1b" not in out


def test_ascii_markers_for_a_terminal_without_them(run: Run) -> None:
    new(run, "Jenny", sections={"1": 25, "2": 2})
    store = CaseStore.open(run.store, create=False)
    from coprod_tui.core.template.registry import discover_templates

    coverage = build_coverage(store, discover_templates(store_dir=run.store))
    lines = coverage_table(coverage, width=80, marks=ASCII_MARKS)
    assert lines[1].endswith("# o . . . . . . .")
    assert not any(mark in line for line in lines for mark in "●○·")
