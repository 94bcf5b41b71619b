"""`coprod tag`, `coprod tags`, `coprod list --tag/--sort`: output, order, one-line failures.

Cases and people are invented; tags are everyday Swedish and English words.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from coprod_tui.cli import main
from coprod_tui.core.store import CaseStore


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for name in ("COPROD_TEMPLATES", "COPROD_STORE", "COPROD_LANG", "LANGUAGE", "LC_ALL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LC_MESSAGES", "")
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")
    # Swedish order (the locale), English messages (the settings' language beats the locale).
    (tmp_path / "config" / "coprod").mkdir(parents=True)
    (tmp_path / "config" / "coprod" / "config.yaml").write_text("language: en\n", encoding="utf-8")


class Run:
    def __init__(self, store: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
        self.store, self.capsys, self.monkeypatch = store, capsys, monkeypatch

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8"))
        try:
            code = main(["--store", str(self.store), *args])
        except SystemExit as exit_info:
            code = int(exit_info.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> Run:
    return Run(tmp_path / "store", capsys, monkeypatch)


def new(run: Run, title: str, *tags: str) -> str:
    code, out, err = run("new", title, *[f"--tag={tag}" for tag in tags])
    assert code == 0, err
    return out.strip()


def test_tag_adds_and_removes_and_prints_the_tags(run: Run) -> None:
    case_id = new(run, "Astrid på akuten", "akut", "remiss")
    code, out, err = run("tag", case_id[:6], "+Återbesök", "-REMISS", "hemtjänst")
    assert code == 0, err
    assert out.splitlines() == ["akut", "Återbesök", "hemtjänst"]
    _code, shown, _err = run("show", case_id, "--json")
    assert json.loads(shown)["tags"] == ["akut", "Återbesök", "hemtjänst"]


def test_adding_a_tag_in_another_case_keeps_the_first_spelling(run: Run) -> None:
    case_id = new(run, "Bror i väntrummet", "Akut")
    code, out, _err = run("tag", case_id, "+AKUT", "+akut")
    assert code == 0 and out.splitlines() == ["Akut"]


def test_a_tag_change_is_a_revision_with_history(run: Run) -> None:
    case_id = new(run, "Cecilia hemma")
    assert run("tag", case_id, "+hem")[0] == 0
    _code, shown, _err = run("show", case_id, "--json")
    assert json.loads(shown)["revision"] == 2
    _code, history, _err = run("history", case_id)
    assert "rev    1" in history


def test_removing_the_last_tag_says_so(run: Run) -> None:
    case_id = new(run, "Dagny", "akut")
    code, out, err = run("tag", case_id, "-akut")
    assert code == 0 and out == ""
    assert "has no tags now" in err


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ((), "give at least one change"),
        (("+",), "names no tag"),
        (("-",), "names no tag"),
        (("--force",), "unknown option '--force'"),
        (("+rad\nbrytning",), "line breaks"),
        (("+" + "x" * 1001,), "at most 1000 characters"),
    ],
)
def test_bad_changes_are_one_line_exit_2_and_change_nothing(
    run: Run, changes: tuple[str, ...], message: str
) -> None:
    case_id = new(run, "Elsa", "akut")
    code, out, err = run("tag", case_id, *changes)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    _code, shown, _err = run("show", case_id, "--json")
    assert json.loads(shown)["tags"] == ["akut"] and json.loads(shown)["revision"] == 1


def test_tag_on_an_unknown_case_is_one_line(run: Run) -> None:
    new(run, "Folke")
    code, _out, err = run("tag", "ffffffff", "+akut")
    assert code == 2 and "no case" in err


def test_tags_counts_each_tag_once_per_case_in_swedish_order(run: Run) -> None:
    new(run, "Greta", "akut", "Öron")
    new(run, "Hugo", "Akut", "ärende")
    new(run, "Ines", "akut", "zon")
    gone = new(run, "Jarl", "akut", "borttagen")
    CaseStore.open(run.store, create=False).trash(gone)  # trashed cases are not counted
    code, out, err = run("tags")
    assert code == 0, err
    assert out.splitlines() == ["3  akut", "1  zon", "1  ärende", "1  Öron"]
    code, out, _err = run("tags", "--json")
    assert json.loads(out) == [
        {"tag": "akut", "count": 3},
        {"tag": "zon", "count": 1},
        {"tag": "ärende", "count": 1},
        {"tag": "Öron", "count": 1},
    ]


def test_tags_follow_english_order_under_an_english_locale(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    new(run, "Greta", "zon", "ärende")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert run("tags")[1].splitlines() == ["1  ärende", "1  zon"]


def test_tags_on_a_store_without_tags(run: Run) -> None:
    new(run, "Kerstin")
    code, out, _err = run("tags")
    assert code == 0 and "no tags" in out


def test_list_tag_is_case_insensitive_and_repeatable_means_all(run: Run) -> None:
    both = new(run, "Lars", "Akut", "remiss")
    only = new(run, "Maja", "akut")
    new(run, "Nora", "remiss")
    _code, out, _err = run("list", "--tag", "AKUT", "--json")
    assert {row["id"] for row in json.loads(out)} == {both, only}
    _code, out, _err = run("list", "--tag", "akut", "--tag", "REMISS", "--json")
    assert [row["id"] for row in json.loads(out)] == [both]


def test_list_sort_title_is_swedish(run: Run) -> None:
    for title in ("Östen", "Zorro", "Åke", "Anders", "Ärla"):
        new(run, title)
    code, out, _err = run("list", "--sort", "title", "--json")
    assert code == 0
    assert [row["title"] for row in json.loads(out)] == ["Anders", "Zorro", "Åke", "Ärla", "Östen"]
    _code, text, _err = run("list", "--sort", "title")
    assert [line.rsplit(" ", 1)[-1] for line in text.splitlines()[1:]] == [
        "Anders",
        "Zorro",
        "Åke",
        "Ärla",
        "Östen",
    ]


def test_new_refuses_a_tag_with_a_control_character(run: Run) -> None:
    code, out, err = run("new", "Olof", "--tag", "akut\tnu")
    assert code == 2 and out == "" and "control characters" in err
    assert not run.store.exists()  # nothing was created


# --- the store's tag methods --------------------------------------------------------------


def test_tag_counts_show_the_spelling_most_cases_use(run: Run) -> None:
    new(run, "Per", "Akut")
    new(run, "Quintus", "akut")
    new(run, "Rut", "akut")
    store = CaseStore.open(run.store, create=False)
    assert store.tag_counts("sv") == [("akut", 3)]


def test_a_tag_change_merges_with_an_editor_saving_from_an_older_version(run: Run) -> None:
    from coprod_tui.core.editing import EditSession

    case_id = new(run, "Signe", "akut")
    store = CaseStore.open(run.store, create=False)
    session = EditSession(store.load(case_id), store)
    store.change_tags(case_id, ["remiss"], ["akut"])
    session.set_text("situation", "Ringde i går.")
    session.save()
    saved = store.load(case_id)
    assert saved.tags == ["remiss"] and saved.text("situation") == "Ringde i går."
    assert session.conflict is None


def test_an_unchanged_tag_list_writes_nothing(run: Run) -> None:
    case_id = new(run, "Tekla", "akut")
    store = CaseStore.open(run.store, create=False)
    assert store.change_tags(case_id, ["AKUT"], []).revision == 1
