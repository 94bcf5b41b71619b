"""``coprod matrix``: each format to a file and to stdout, read back; the file rules of exports.

Cases and people are invented.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import sys
from pathlib import Path

import openpyxl
import pytest

from coprod_tui.cli import main


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for name in ("COPROD_TEMPLATES", "COPROD_STORE", "COPROD_LANG", "LANGUAGE", "LC_ALL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LC_MESSAGES", "")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")


class Run:
    def __init__(self, store: Path, capsysbinary, monkeypatch) -> None:
        self.store, self.capsys, self.monkeypatch = store, capsysbinary, monkeypatch

    def __call__(self, *args: str, stdin: bytes = b"") -> tuple[int, bytes, str]:
        self.monkeypatch.setattr(
            sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        )
        try:
            code = main(["--store", str(self.store), *args])
        except SystemExit as exit_info:
            code = int(exit_info.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err.decode("utf-8")


@pytest.fixture
def run(tmp_path: Path, capsysbinary, monkeypatch) -> Run:
    return Run(tmp_path / "store", capsysbinary, monkeypatch)


def new(run: Run, title: str, *tags: str, sections: dict[str, str] | None = None) -> str:
    code, out, err = run("new", title, *[f"--tag={tag}" for tag in tags])
    assert code == 0, err
    case_id = out.decode().strip()
    for section, text in (sections or {}).items():
        assert run("write", case_id, section, stdin=text.encode())[0] == 0
    return case_id


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def cases(run: Run) -> dict[str, str]:
    return {
        "asa": new(
            run,
            "Åsa på vårdcentralen",
            "akut",
            sections={"1": "Åsa väntar på återbesök, länge.\nHon är orolig.", "3": "Rädd"},
        ),
        "bo": new(run, "Bo i väntrummet", sections={"1": "=1+1 står på lappen"}),
    }


def test_csv_to_stdout_reads_back(run: Run, cases: dict[str, str]) -> None:
    code, out, err = run("matrix", "--format", "csv")
    assert code == 0, err
    assert not out.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(out.decode("utf-8"), newline="")))
    assert rows[0][:3] == ["id", "title", "tags"]
    assert "1. Situation" in rows[0] and "9. So, reflections, plans, other" in rows[0]
    by_title = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_title["Åsa på vårdcentralen"]["1. Situation"] == (
        "Åsa väntar på återbesök, länge.\nHon är orolig."
    )
    assert by_title["Åsa på vårdcentralen"]["tags"] == "akut"
    assert by_title["Bo i väntrummet"]["1. Situation"] == "'=1+1 står på lappen"


def test_tag_sections_and_words(run: Run, cases: dict[str, str]) -> None:
    code, out, err = run(
        "matrix", "--format", "csv", "--tag", "AKUT", "--section", "3", "--section", "situation",
        "--words", "3",
    )  # fmt: skip
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out.decode("utf-8"), newline="")))
    assert rows[0][-2:] == ["3. Emotions expressed", "1. Situation"]
    assert len(rows) == 2 and rows[1][0] == cases["asa"]
    assert rows[1][-2:] == ["Rädd", "Åsa väntar på…"]


def test_excel_adds_the_bom(run: Run, cases: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "matris.csv"
    code, _out, err = run("matrix", "--format", "csv", "--excel", "-o", str(target))
    assert code == 0, err
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "wrote 2 case(s)" in err
    code, _out, err = run("matrix", "--format", "md", "--excel")
    assert code == 2 and "--excel is for --format csv" in one_line(err)


def test_markdown_file_is_a_table(run: Run, cases: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "matris.md"
    assert run("matrix", "--format", "md", "-o", str(target))[0] == 0
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# Framework matrix"
    table = [line for line in lines if line.startswith("|")]
    assert len(table) == 4  # header, delimiter, two cases
    asa = next(line for line in table if "Åsa" in line)
    assert "Åsa väntar på återbesök, länge.<br>Hon är orolig." in asa


def test_xlsx_file_reads_back_in_openpyxl(run: Run, cases: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "matris.xlsx"
    code, _out, err = run("matrix", "--format", "xlsx", "-o", str(target))
    assert code == 0, err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames == ["Cases"]
    sheet = workbook["Cases"]
    assert sheet.freeze_panes == "A2"
    values = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    header = [cell.value for cell in sheet[1]]
    situation = header.index("1. Situation")
    assert values["Åsa på vårdcentralen"][situation].value.startswith("Åsa väntar på återbesök")
    formula = values["Bo i väntrummet"][situation]
    assert formula.value == "=1+1 står på lappen" and formula.data_type == "s"


@pytest.mark.parametrize("fmt", ["csv", "md", "xlsx"])
def test_files_are_private_and_never_overwritten_without_force(
    run: Run, cases: dict[str, str], tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"out.{fmt}"
    before = os.umask(0o022)  # a common umask: files would be 0644 without care
    try:
        assert run("matrix", "--format", fmt, "-o", str(target))[0] == 0
    finally:
        os.umask(before)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.write_bytes(b"keep me")
    code, _out, err = run("matrix", "--format", fmt, "-o", str(target))
    assert code == 2
    assert one_line(err) == f"coprod: {target} exists; use --force to replace it"
    assert target.read_bytes() == b"keep me"
    assert run("matrix", "--format", fmt, "-o", str(target), "--force")[0] == 0
    assert target.read_bytes() != b"keep me"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_link_is_never_written_through(run: Run, cases: dict[str, str], tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_bytes(b"not yours")
    link = tmp_path / "link.csv"
    link.symlink_to(elsewhere)
    for extra in ([], ["--force"]):
        code, _out, err = run("matrix", "--format", "csv", "-o", str(link), *extra)
        assert code == 2
        assert "is a symbolic link" in one_line(err)
    assert elsewhere.read_bytes() == b"not yours" and link.is_symlink()
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "nowhere.csv")
    assert run("matrix", "--format", "csv", "-o", str(dangling))[0] == 2
    assert not (tmp_path / "nowhere.csv").exists()


def test_xlsx_to_a_terminal_is_refused(run: Run, cases, monkeypatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = run("matrix", "--format", "xlsx")
    assert code == 2 and out == b""
    assert one_line(err) == "coprod: XLSX is a binary file and stdout is a terminal: use -o FILE"


def test_xlsx_to_a_pipe_is_the_file(run: Run, cases: dict[str, str]) -> None:
    code, out, err = run("matrix", "--format", "xlsx")
    assert code == 0, err
    assert openpyxl.load_workbook(io.BytesIO(out)).sheetnames == ["Cases"]


def test_bad_input_is_one_line_exit_2(run: Run, cases: dict[str, str], tmp_path: Path) -> None:
    code, _out, err = run("matrix", "--format", "csv", "--section", "plans")
    assert code == 2 and "there is no section 'plans'" in one_line(err)
    code, _out, err = run("matrix", "--format", "csv", "--words", "0")
    assert code == 2 and "give 1 word or more" in err and "Traceback" not in err
    code, _out, err = run("matrix", "--format", "csv", "-o", str(tmp_path))
    assert code == 2 and "is a folder" in one_line(err)
    code, _out, err = main_without_store(tmp_path)
    assert code == 2 and "no store" in one_line(err)


def main_without_store(tmp_path: Path) -> tuple[int, str, str]:
    import contextlib

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["--store", str(tmp_path / "missing"), "matrix", "--format", "csv"])
    return code, "", err.getvalue()


def test_a_folder_it_cannot_write_is_one_line_exit_1(
    run: Run, cases: dict[str, str], tmp_path: Path
) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    code, _out, err = run("matrix", "--format", "csv", "-o", str(locked / "m.csv"))
    assert code == 1 and "could not write" in one_line(err)


# --- the insights table ----------------------------------------------------------------


def insight(run: Run, title: str, *args: str) -> str:
    code, out, err = run("insight", "new", title, *args)
    assert code == 0, err
    return out.decode().split()[2]


def test_insights_are_a_second_sheet_with_a_row_per_link(
    run: Run, cases: dict[str, str], tmp_path: Path
) -> None:
    asa, bo = cases["asa"], cases["bo"]
    waiting = insight(
        run, "Väntan föder oro", "--link", f"{asa}:situation", "--quote", "länge",
        "--link", f"{bo}:situation", "--tag", "väntan",
    )  # fmt: skip
    insight(run, "Ännu ingen länk", "--link", f"{bo}:1")
    target = tmp_path / "matris.xlsx"
    code, _out, err = run("matrix", "--format", "xlsx", "--insights", "-o", str(target))
    assert code == 0, err
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames == ["Cases", "Insights"]
    sheet = workbook["Insights"]
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["insight id", "insight"] and header[-4:] == [
        "case",
        "section",
        "quote",
        "link",
    ]
    rows = [
        dict(zip(header, (c.value or "" for c in row), strict=True))
        for row in sheet.iter_rows(min_row=2)
    ]
    mine = [row for row in rows if row["insight id"] == waiting]
    assert [(row["case"], row["section"], row["quote"], row["link"]) for row in mine] == [
        ("Åsa på vårdcentralen", "1. Situation", "länge", "found"),
        ("Bo i väntrummet", "1. Situation", "", "found"),
    ]
    assert mine[0]["insight tags"] == "väntan"


def test_insights_follow_the_text_and_say_when_a_quote_or_case_is_gone(
    run: Run, cases: dict[str, str]
) -> None:
    asa, bo = cases["asa"], cases["bo"]
    insight(run, "Oro", "--link", f"{asa}:situation", "--quote", "orolig")
    insight(run, "Lappen", "--link", f"{bo}:situation", "--quote", "lappen")
    assert run("write", asa, "1", stdin="Åsa väntar, nu lugn.".encode())[0] == 0
    assert run("purge", bo, "--yes")[0] == 0
    code, out, err = run("matrix", "--format", "md", "--insights")
    assert code == 0, err
    lines = out.decode().splitlines()
    assert "## Insights" in lines
    oro = next(line for line in lines if "| Oro |" in line)
    assert "| quote changed |" in oro
    lappen = next(line for line in lines if "| Lappen |" in line)
    assert "case gone: purged" in lappen


def test_insights_as_csv_are_a_second_file_under_the_same_rules(
    run: Run, cases: dict[str, str], tmp_path: Path
) -> None:
    insight(run, "Väntan", "--link", f"{cases['asa']}:situation")
    target = tmp_path / "matris.csv"
    second = tmp_path / "matris-insights.csv"
    code, _out, err = run("matrix", "--format", "csv", "--insights", "-o", str(target))
    assert code == 0, err
    assert stat.S_IMODE(second.stat().st_mode) == 0o600
    rows = list(csv.reader(io.StringIO(second.read_text(encoding="utf-8"), newline="")))
    assert rows[0][0] == "insight id" and rows[1][1] == "Väntan"
    target.unlink()
    code, _out, err = run("matrix", "--format", "csv", "--insights", "-o", str(target))
    assert code == 2 and "matris-insights.csv exists; use --force" in one_line(err)
    assert not target.exists()  # checked before anything is written
    code, _out, err = run("matrix", "--format", "csv", "--insights")
    assert code == 2 and "a CSV file holds one table: use -o FILE" in one_line(err)


def test_with_a_tag_insights_linking_its_cases_or_carrying_it(
    run: Run, cases: dict[str, str]
) -> None:
    insight(run, "Från Åsa", "--link", f"{cases['asa']}:situation")
    insight(run, "Från Bo", "--link", f"{cases['bo']}:situation")
    insight(run, "Taggad", "--link", f"{cases['bo']}:situation", "--tag", "Akut")
    code, out, _err = run("matrix", "--format", "md", "--insights", "--tag", "akut")
    assert code == 0
    text = out.decode()
    assert "| Från Åsa |" in text and "| Taggad |" in text and "| Från Bo |" not in text
