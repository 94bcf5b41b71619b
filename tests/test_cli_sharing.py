"""``--encrypt-to``: exports encrypted with age to SSH keys, decrypted again by the reader.

Keys are throwaway ones made with ``ssh-keygen``; cases and people are invented
(Tallbacka health centre does not exist).
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from coprod_tui.cli import main
from coprod_tui.commands.sharing import add_encrypt_option, encryption_of

pyrage = pytest.importorskip("pyrage")


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


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture(scope="module")
def anna(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The supervisor's private key (``.pub`` beside it)."""
    if shutil.which("ssh-keygen") is None:
        pytest.skip("ssh-keygen is not installed")
    key = tmp_path_factory.mktemp("keys") / "id_ed25519"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "anna@tallbacka", "-f", str(key)],
        check=True,
        stdin=subprocess.DEVNULL,
    )
    return key


def pub(key: Path) -> str:
    return str(key) + ".pub"


def opened(data: bytes, key: Path) -> bytes:
    """What the reader gets back: decrypted with pyrage and, where it is installed, age."""
    plain = pyrage.decrypt(data, [pyrage.ssh.Identity.from_buffer(key.read_bytes())])
    if shutil.which("age"):
        done = subprocess.run(
            ["age", "-d", "-i", str(key)], input=data, capture_output=True, check=True, timeout=60
        )
        assert done.stdout == plain
    return plain


@pytest.fixture
def case(run: Run) -> str:
    code, out, err = run("new", "Sven, 81: the pill box and the Sunday visits")
    assert code == 0, err
    case_id = out.decode().strip()
    text = "Tallbacka vårdcentral: Sven glömmer dosetten på söndagar.".encode()
    assert run("write", case_id, "1", stdin=text)[0] == 0
    return case_id


def test_the_matrix_goes_to_file_age_and_the_reader_opens_it(run, case, anna, tmp_path):
    target = tmp_path / "matris.csv"
    code, out, err = run("matrix", "--format", "csv", "-o", str(target), "--encrypt-to", pub(anna))
    assert code == 0, err
    sealed = tmp_path / "matris.csv.age"
    assert not target.exists() and sealed.exists()
    assert stat.S_IMODE(sealed.stat().st_mode) == 0o600
    assert f"to {sealed}, encrypted to anna@tallbacka" in one_line(err)
    data = sealed.read_bytes()
    assert data.startswith(b"age-encryption.org/v1\n") and b"dosetten" not in data
    rows = list(csv.reader(io.StringIO(opened(data, anna).decode("utf-8"))))
    assert rows[1][1] == "Sven, 81: the pill box and the Sunday visits"
    assert any("dosetten" in cell for cell in rows[1])


def test_csv_with_insights_encrypts_both_files(run, case, anna, tmp_path):
    target = tmp_path / "matris.csv"
    code, _out, err = run(
        "matrix", "--format", "csv", "--insights", "-o", str(target), "--encrypt-to", pub(anna)
    )
    assert code == 0, err
    for name in ("matris.csv.age", "matris-insights.csv.age"):
        assert opened((tmp_path / name).read_bytes(), anna)
    assert sorted(p.name for p in tmp_path.glob("matris*")) == [
        "matris-insights.csv.age",
        "matris.csv.age",
    ]


def test_an_existing_age_file_is_not_replaced_without_force(run, case, anna, tmp_path):
    sealed = tmp_path / "matris.md.age"
    sealed.write_bytes(b"keep me")
    args = (
        "matrix",
        "--format",
        "md",
        "-o",
        str(tmp_path / "matris.md"),
        "--encrypt-to",
        pub(anna),
    )
    code, _out, err = run(*args)
    assert code == 2 and "exists" in one_line(err)
    assert sealed.read_bytes() == b"keep me"
    assert run(*args, "--force")[0] == 0
    assert opened(sealed.read_bytes(), anna).startswith(b"# Framework matrix")


def test_ciphertext_to_a_pipe_is_the_age_file(run, case, anna):
    code, out, err = run("matrix", "--format", "md", "--encrypt-to", pub(anna))
    assert code == 0, err
    assert "Sven" in opened(out, anna).decode("utf-8")


def test_ciphertext_is_never_written_to_a_terminal(run, case, anna, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = run("matrix", "--format", "md", "--encrypt-to", pub(anna))
    assert code == 2 and out == b""
    assert "binary and stdout is a terminal" in one_line(err)


def test_a_bad_key_file_stops_before_anything_is_written(run, case, tmp_path):
    ecdsa = tmp_path / "cecilia.pub"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", str(tmp_path / "cecilia")],
        check=True,
        stdin=subprocess.DEVNULL,
    )
    code, _out, err = run(
        "matrix", "--format", "md", "-o", str(tmp_path / "m.md"), "--encrypt-to", str(ecdsa)
    )
    assert code == 2
    assert one_line(err).startswith(f"coprod: {ecdsa} line 1: age cannot encrypt to ecdsa")
    code, _out, err = run(
        "matrix", "--format", "md", "-o", str(tmp_path / "m.md"), "--encrypt-to", "nobody.pub"
    )
    assert code == 2 and "no such key file: nobody.pub" in one_line(err)
    assert not list(tmp_path.glob("m.md*"))


def test_without_pyrage_the_command_says_how_to_install_it(run, case, anna, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyrage", None)  # import pyrage now raises ImportError
    code, _out, err = run(
        "matrix", "--format", "md", "-o", str(tmp_path / "m.md"), "--encrypt-to", pub(anna)
    )
    assert code == 1 and "install coprod[crypt]" in one_line(err)
    assert not list(tmp_path.glob("m.md*"))


def test_the_option_takes_several_files_and_repeats(anna, tmp_path):
    parser = argparse.ArgumentParser()
    parser.add_argument("cases", nargs="*")
    add_encrypt_option(parser)
    args = parser.parse_args(["abc", "--encrypt-to", pub(anna), pub(anna), "--encrypt-to", "x"])
    assert args.cases == ["abc"] and args.encrypt_to == [pub(anna), pub(anna), "x"]
    assert encryption_of(parser.parse_args(["abc"])) is None
    encryption = encryption_of(parser.parse_args(["--encrypt-to", pub(anna)]), output="out.json")
    assert encryption is not None and encryption.target("out.json") == "out.json.age"
    assert encryption.target("-") == "-" and encryption.readers() == "anna@tallbacka"


# -- coprod export --encrypt-to -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_an_encrypted_export_opens_as_the_plain_one(run, case, anna, tmp_path, fmt):
    plain = tmp_path / f"plain.{fmt}"
    assert run("export", case, "--format", fmt, "-o", str(plain))[0] == 0
    code, _out, err = run(
        "export",
        case,
        "--format",
        fmt,
        "-o",
        str(tmp_path / f"sven.{fmt}"),
        "--encrypt-to",
        pub(anna),
    )
    assert code == 0, err
    sealed = tmp_path / f"sven.{fmt}.age"
    assert not (tmp_path / f"sven.{fmt}").exists()
    assert stat.S_IMODE(sealed.stat().st_mode) == 0o600
    assert f"to {sealed}, encrypted to anna@tallbacka" in err
    data = sealed.read_bytes()
    assert b"Sven" not in data and b"dosetten" not in data
    assert opened(data, anna) == plain.read_bytes()


def test_an_encrypted_docx_is_the_word_file(run, case, anna, tmp_path):
    import zipfile

    code, _out, err = run(
        "export",
        case,
        "--format",
        "docx",
        "-o",
        str(tmp_path / "sven.docx"),
        "--encrypt-to",
        pub(anna),
    )
    assert code == 0, err
    document = opened((tmp_path / "sven.docx.age").read_bytes(), anna)
    with zipfile.ZipFile(io.BytesIO(document)) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "Sven, 81" in body and "dosetten" in body


def test_a_redacted_encrypted_export_holds_no_identifier(run, anna, tmp_path):
    code, out, _err = run("new", "Maja, 67: the missed call")
    maja = out.decode().strip()
    text = "Ring Maja på 070-123 45 67; personnummer 20170101-2393 (Skatteverkets testnummer)."
    assert run("write", maja, "1", stdin=text.encode())[0] == 0
    code, _out, err = run(
        "export",
        maja,
        "--format",
        "md",
        "--redact",
        "-o",
        str(tmp_path / "maja.md"),
        "--encrypt-to",
        pub(anna),
    )
    assert code == 0, err
    shared = opened((tmp_path / "maja.md.age").read_bytes(), anna).decode("utf-8")
    assert "Maja, 67" in shared
    assert "2393" not in shared and "45 67" not in shared


def test_export_keeps_its_rules_for_the_age_file(run, case, anna, tmp_path, monkeypatch):
    sealed = tmp_path / "sven.json.age"
    sealed.write_bytes(b"keep me")
    args = ("export", case, "-o", str(tmp_path / "sven.json"), "--encrypt-to", pub(anna))
    code, _out, err = run(*args)
    assert code == 2 and "exists" in one_line(err) and sealed.read_bytes() == b"keep me"
    link = tmp_path / "link.json.age"
    link.symlink_to(sealed)
    code, _out, err = run(
        "export", case, "-o", str(tmp_path / "link.json"), "--encrypt-to", pub(anna)
    )
    assert code == 2 and "symbolic link" in one_line(err) and sealed.read_bytes() == b"keep me"
    code, _out, err = run(
        "export", case, "-o", str(tmp_path / "x.json"), "--encrypt-to", "none.pub"
    )
    assert code == 2 and "no such key file: none.pub" in one_line(err)
    assert not (tmp_path / "x.json.age").exists() and not (tmp_path / "x.json").exists()
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = run("export", case, "--encrypt-to", pub(anna))
    assert code == 2 and out == b"" and "binary and stdout is a terminal" in one_line(err)


def test_an_encrypted_backup_to_a_pipe_imports_again_once_decrypted(run, case, anna, tmp_path):
    code, out, err = run("export", "--all", "--encrypt-to", pub(anna))
    assert code == 0, err
    backup = opened(out, anna)
    other = Run(tmp_path / "other-store", run.capsys, run.monkeypatch)
    code, out, err = other("import", "-", stdin=backup)
    assert code == 0, err
    assert b"imported 1 new case(s)" in out


def test_a_case_named_after_encrypt_to_is_a_missing_key_file_with_a_hint(run, case, anna, tmp_path):
    code, _out, err = run(
        "export", "--format", "md", "-o", str(tmp_path / "s.md"), "--encrypt-to", pub(anna), case
    )
    assert code == 2
    line = one_line(err)
    assert f"no such key file: {case}" in line and "put it last, after the cases" in line
    code, _out, err = run(
        "export", "--format", "md", "-o", str(tmp_path / "s.md"), case, "--encrypt-to", pub(anna)
    )
    assert code == 0, err
