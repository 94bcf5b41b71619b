"""``coprod export --format md|html|docx|json``: selection, options, files, refusals, warnings."""

from __future__ import annotations

import io
import json
import os
import stat
import sys
from pathlib import Path

import docx
import pytest

from coprod_tui.cli import main

#: Skatteverket's published test personnummer (passes the check digit): fictional.
TEST_PNR = "20170101-2393"
ESCAPES = "\x1b[31mröd\x1b[0m \x9b2J \x1b]0;PWNED\x07"


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    monkeypatch.delenv("COPROD_TEMPLATES", raising=False)
    monkeypatch.delenv("COPROD_STORE", raising=False)
    monkeypatch.chdir(tmp_path)


class Run:
    """Run ``coprod`` in-process; keeps stdout as bytes and stderr as text."""

    def __init__(self, store: Path, capfdbinary_or_sys, monkeypatch) -> None:
        self.store = store
        self.capsys = capfdbinary_or_sys
        self.monkeypatch = monkeypatch

    def __call__(self, *args: str, stdin: bytes = b"") -> tuple[int, bytes, str]:
        self.monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        try:
            code = main(["--store", str(self.store), *args])
        except SystemExit as exit_info:  # argparse usage errors
            code = int(exit_info.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err.decode("utf-8", "replace")


@pytest.fixture
def run(tmp_path, capsysbinary, monkeypatch) -> Run:
    return Run(tmp_path / "store", capsysbinary, monkeypatch)


def new(run: Run, title: str, *extra: str) -> str:
    code, out, err = run("new", title, *extra)
    assert code == 0, err
    return out.decode().strip()


def write(run: Run, case_id: str, section: str, text: str) -> None:
    code, _out, err = run("write", case_id, section, stdin=text.encode())
    assert code == 0, err


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def case_id(run) -> str:
    case_id = new(run, "Fiktiv: Åsa i Fiktiby", "--tag", "hemsjukvård")
    write(run, case_id, "1", "Åsa ringde vårdcentralen.\nHon var andfådd.")
    return case_id


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_each_readable_format_is_written_private_and_reads_back(run, case_id, tmp_path, fmt):
    target = tmp_path / f"fall.{fmt}"
    code, out, err = run("export", case_id[:8], "--format", fmt, "-o", str(target))
    assert code == 0, err
    assert one_line(err) == f"exported 1 case(s) to {target}"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    if fmt == "docx":
        document = docx.Document(str(target))
        text = "\n".join(p.text for p in document.paragraphs)
        assert document.paragraphs[0].text == "Fiktiv: Åsa i Fiktiby"
        assert document.core_properties.author == ""
    else:
        text = target.read_text("utf-8")
    assert "Fiktiv: Åsa i Fiktiby" in text and "Hon var andfådd." in text


def test_an_existing_file_is_never_overwritten_without_force_json_too(run, case_id, tmp_path):
    for fmt in ("md", "html", "docx", "json"):
        target = tmp_path / f"there.{fmt}"
        target.write_bytes(b"keep me")
        code, _out, err = run("export", case_id, "--format", fmt, "-o", str(target))
        assert code == 2, fmt
        assert one_line(err) == f"coprod: {target} exists; use --force to replace it"
        assert target.read_bytes() == b"keep me"
        code, _out, err = run("export", case_id, "--format", fmt, "-o", str(target), "--force")
        assert code == 0, err
        assert target.read_bytes() != b"keep me"
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_symbolic_link_is_never_written_through_even_with_force(run, case_id, tmp_path):
    real = tmp_path / "elsewhere.md"
    real.write_text("untouched")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    for fmt in ("md", "json"):
        code, _out, err = run("export", case_id, "--format", fmt, "-o", str(link), "--force")
        assert code == 2 and "symbolic link" in one_line(err)
        assert real.read_text() == "untouched" and link.is_symlink()
    folder = tmp_path / "a-folder"
    folder.mkdir()
    code, _out, err = run("export", case_id, "--format", "md", "-o", str(folder))
    assert code == 2 and "is a folder" in one_line(err)


def test_docx_goes_to_standard_output_only_when_it_is_not_a_terminal(run, case_id, monkeypatch):
    code, out, err = run("export", case_id, "--format", "docx")
    assert code == 0, err
    assert out.startswith(b"PK") and docx.Document(io.BytesIO(out)).paragraphs[0].text
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = run("export", case_id, "--format", "docx")
    assert code == 2 and out == b""
    assert "not for the terminal" in one_line(err)


def test_markdown_to_standard_output_with_questions_and_without_empty_sections(run, case_id):
    code, out, err = run("export", case_id, "--format", "md", "--questions", "--no-empty")
    assert code == 0 and err == ""
    text = out.decode()
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert len(headings) == 1 and headings[0].startswith("## 1. ")
    assert "- " in text.split(headings[0])[1]  # the section's guiding questions as a list


def test_selection_by_tag_search_and_all(run, case_id, tmp_path):
    other = new(run, "Fiktiv: Bertil på mottagningen", "--tag", "mottagning")
    write(run, other, "1", "Bertil kom med sin dotter till mottagningen.")
    code, out, _ = run("export", "--tag", "Hemsjukvård", "--format", "md")
    assert code == 0 and b"# Fiktiv: \xc3\x85sa" in out and b"Bertil" not in out
    code, out, _ = run("export", "--search", "dotter", "--format", "md")
    assert code == 0 and b"Bertil" in out and b"Fiktiby" not in out
    code, out, _ = run("export", "--all", "--format", "html")
    assert code == 0 and out.count(b'<article class="case"') == 2
    code, out, _ = run("export", "--all", "--format", "json")
    assert {case["id"] for case in json.loads(out)["cases"]} == {case_id, other}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "name the cases to export"),
        (("CASE", "--all"), "choose the cases one way"),
        (("--tag", "a", "--search", "b"), "choose the cases one way"),
        (("CASE", "--format", "json", "--redact"), "--redact is for --format md, html or docx"),
        (("CASE", "--format", "json", "--questions"), "the JSON export is lossless"),
        (("CASE", "--format", "md", "--author", "X"), "--author is for --format docx"),
        (("CASE", "--format", "md", "--with-history"), "--with-history is for --format json"),
        (("--tag", "ingen-sådan", "--format", "md"), "no case has the tag(s) ingen-sådan"),
        (("--search", "zzzyxq", "--format", "md"), "the search finds no case"),
        (("--search", '"unclosed', "--format", "md"), ""),
        (("--tag", " ", "--format", "md"), "--tag needs a tag"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(run, case_id, args, message):
    args = tuple(case_id if arg == "CASE" else arg for arg in args)
    code, out, err = run("export", *args)
    assert code == 2 and out == b""
    assert message in one_line(err)


def test_an_empty_store_has_nothing_to_share_but_an_empty_backup_is_fine(run, tmp_path):
    new(run, "Fiktiv")  # makes the store
    code, out, _ = run("list", "--json")
    [row] = json.loads(out)
    run("purge", row["id"], "--yes")
    code, out, err = run("export", "--all", "--format", "md")
    assert code == 2 and "no cases to export" in one_line(err)
    code, out, err = run("export", "--all", "--format", "json")
    assert code == 0 and json.loads(out)["cases"] == []


def test_identifying_details_are_counted_on_stderr_unless_redacted(run, case_id, tmp_path):
    write(run, case_id, "2", f"Personnummer {TEST_PNR}, telefon 070-123 45 67.")
    code, out, err = run("export", case_id, "--format", "md")
    assert code == 0 and TEST_PNR.encode() in out
    assert one_line(err).startswith("the export holds 2 identifying detail(s)")
    assert "use --redact" in err
    code, out, err = run("export", case_id, "--format", "md", "--redact")
    assert code == 0 and err == ""
    assert TEST_PNR.encode() not in out and b"[personnummer]" in out
    code, out, err = run("export", case_id, "--format", "json")
    assert code == 0 and "identifying detail" in one_line(err)
    assert TEST_PNR in json.dumps(json.loads(out))  # the backup stays lossless


def test_redacted_docx_file_holds_no_identifier(run, case_id, tmp_path):
    write(run, case_id, "1", f"Åsa, {TEST_PNR}, bor på Storgatan 12 i Fiktiby.")
    target = tmp_path / "delad.docx"
    code, _out, err = run(
        "export",
        case_id,
        "--format",
        "docx",
        "--redact",
        "--author",
        "Handledare",
        "-o",
        str(target),
    )
    assert code == 0 and one_line(err).endswith(f"redacted to {target}")
    document = docx.Document(str(target))
    text = "\n".join(p.text for p in document.paragraphs)
    assert TEST_PNR not in text and "[personnummer]" in text and "Storgatan 12" not in text
    assert document.core_properties.author == "Handledare"


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "json"])
def test_escape_sequences_in_a_case_never_reach_the_output(run, tmp_path, fmt):
    case_id = new(run, f"Titel {ESCAPES}")
    write(run, case_id, "1", f"Text {ESCAPES}")
    target = tmp_path / f"x.{fmt}"
    code, _out, err = run("export", case_id, "--format", fmt, "-o", str(target))
    assert code == 0, err
    raw = target.read_bytes()
    if fmt == "docx":
        text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    else:
        text = raw.decode()
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    if fmt != "json":  # the JSON keeps them, escaped as \\u, to give them back on import
        assert "PWNED" not in text


def test_the_insights_citing_a_case_come_along(run, case_id):
    code, _out, err = run(
        "insight",
        "new",
        "Tid hemma räcker inte",
        "--text",
        "Andfåddhet syns hemma.",
        "--link",
        f"{case_id[:8]}:1",
        "--quote",
        "Hon var andfådd.",
    )
    assert code == 0, err
    code, out, err = run("export", case_id, "--format", "md", "--insights")
    assert code == 0, err
    text = out.decode()
    assert "### Tid hemma räcker inte" in text and "Andfåddhet syns hemma." in text
    assert "> Hon var andfådd." in text
    code, out, _ = run("export", case_id, "--format", "md")
    assert "Tid hemma" not in out.decode()


def test_a_refused_export_leaves_no_temporary_file_behind(run, case_id, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "there.html").write_text("keep")
    code, _out, _err = run("export", case_id, "--format", "html", "-o", str(folder / "there.html"))
    assert code == 2
    assert os.listdir(folder) == ["there.html"]
