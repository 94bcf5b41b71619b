"""The CLI's own words in Swedish: each command family's help, its errors, doctor and lint.

Run as a shell runs them (a fresh ``python -m coprod_tui`` under
``LANG=sv_SE.UTF-8``, no ``LC_*`` overrides), so the language is decided the
way a user's terminal decides it. The people, places and numbers are
fictional; the personnummer is one of Skatteverket's published test numbers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

#: Skatteverket's test personnummer (Tolvan Tolvansson): never a real person.
TEST_PERSONNUMMER = "19121212-1212"


def run(
    *args: str, store: Path | None = None, stdin: str = "", lang: str = "sv_SE.UTF-8"
) -> subprocess.CompletedProcess[str]:
    """``coprod [--store STORE] ARGS`` in a fresh interpreter under ``LANG=lang``."""
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "COPROD_LANG", "COPROD_STORE")
    }
    environ.update({"LANG": lang, "COLUMNS": "100"})
    if store is not None:
        environ["XDG_CONFIG_HOME"] = str(store.parent / "config")  # no settings file
        args = ("--store", str(store), *args)
    return subprocess.run(
        [sys.executable, "-m", "coprod_tui", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
    )


def flat(text: str) -> str:
    """Help text with its wrapping undone (argparse wraps to the terminal)."""
    return " ".join(text.split())


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store holding one case, "Hemgång efter höftfraktur"."""
    path = tmp_path / "store"
    made = run("new", "Hemgång efter höftfraktur", store=path)
    assert made.returncode == 0, made.stderr
    return path


def case_id(store: Path) -> str:
    rows = json.loads(run("list", "--json", store=store).stdout)
    return str(rows[0]["id"])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("new", "--help"), "mallens id (standard: standardmallen)"),
        (("--help",), "skapa ett fall; skriver ut dess id"),
        (("write", "--help"), "lägg till sist i stället för att ersätta"),
        (("export", "--help"), "Skriv fall till en fil"),
        (("export", "--help"), "kryptera utdata med age"),  # sharing's --encrypt-to
        (("doctor", "--help"), "laga det som kan lagas säkert"),
        (("search", "--help"), "Varje ord måste finnas med"),
        (("insight", "--help"), "Insikter: korta anteckningar"),
        (("insight", "new", "--help"), "en kort rubrik"),
        (("plans", "--help"), "bara planer med den här statusen"),
        (("lint", "--help"), "Lista varje identifierande uppgift i fallen"),
        (("guard", "--help"), "refuse: ett fall med en säker identifierande uppgift sparas inte"),
    ],
)
def test_each_command_familys_help_is_swedish(args, expected):
    result = run(*args)
    assert result.returncode == 0, result.stderr
    out = flat(result.stdout)
    assert out.startswith("användning: coprod ")
    assert expected in out
    assert "show this help message" not in out


def test_a_missing_store_is_one_swedish_line_exit_2(tmp_path):
    missing = tmp_path / "nowhere"
    result = run("list", store=missing)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"coprod: inget arkiv i {missing} (skapa ett med 'coprod new')"
    )
    assert not missing.exists()


def test_case_errors_in_swedish(store):
    unknown = run("show", "ffff", store=store)
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == "coprod: inget fall med id 'ffff' (se 'coprod list')"

    section = run("write", case_id(store)[:8], "12", store=store, stdin="Text")
    assert section.returncode == 2
    assert "inget avsnitt 12: mallen för det här fallet har 1 till 9" in section.stderr

    export = run("export", store=store)
    assert export.returncode == 2
    assert export.stderr.strip() == (
        "coprod: ange fallen som ska exporteras, eller använd --all, --tag T eller --search SÖKNING"
    )


def test_write_and_history_report_in_swedish(store):
    short = case_id(store)[:8]
    saved = run("write", short, "1", store=store, stdin="Fru Berg vill hem till Tranås.")
    assert saved.returncode == 0, saved.stderr
    assert saved.stdout.strip().startswith("sparade ")
    assert "(version 2)" in saved.stdout
    history = run("history", short, store=store)
    assert "(nuvarande)" in history.stdout
    assert " ord " in history.stdout


def test_search_errors_and_empty_result_in_swedish(store):
    bad = run("search", '"ont i bröstet', store=store)
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "coprod: kunde inte tolka sökningen: ett citattecken avslutas inte "
        '(exempel: remiss "ont i bröstet" tag:astma)'
    )
    nothing = run("search", "kardiologen", store=store)
    assert nothing.returncode == 0
    assert nothing.stdout.strip() == "inget fall och ingen insikt matchar sökningen"


def test_insight_errors_in_swedish(store):
    unknown = run("insight", "show", "abcd", store=store)
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == "coprod: ingen insikt med id 'abcd' (se 'coprod insights')"
    bad_link = run("insight", "new", "Anhöriga vill vara med", "--link", "nolink", store=store)
    assert bad_link.returncode == 2
    assert "'nolink' är inte FALL:AVSNITT; skriv t.ex. 1a2b:5" in bad_link.stderr
    empty = run("insights", store=store)
    assert empty.stdout.strip() == "inga insikter än (skriv en med 'coprod insight new')"


def test_a_bad_key_file_hint_in_swedish(store, tmp_path):
    result = run("export", "--all", "--encrypt-to", str(tmp_path / "saknas.pub"), store=store)
    assert result.returncode == 2
    assert "(--encrypt-to tar alla namn efter sig: sätt den sist, efter fallen)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_doctor_in_swedish(store):
    healthy = run("doctor", store=store)
    assert healthy.returncode == 0, healthy.stderr
    assert f"arkivet OK: 1 fall kontrollerade i {store}" in healthy.stdout

    damaged = next((store / "cases").glob("*.json"))
    damaged.write_text("{ inte json", encoding="utf-8")
    sick = run("doctor", store=store)
    assert sick.returncode == 1
    problem = [line for line in sick.stdout.splitlines() if line.startswith("problem: ")]
    assert len(problem) == 1, sick.stdout
    assert f"problem: fallet {damaged.stem[:8]} är skadat (felaktig JSON på rad 1)" in problem[0]
    assert "'coprod doctor --repair' återställer den senaste hela versionen" in problem[0]
    assert sick.stderr.strip() == f"coprod: 1 problem i arkivet {store}"
    assert "problem(s)" not in sick.stderr and "is damaged" not in sick.stdout


def test_lint_in_swedish(store):
    short = case_id(store)[:8]
    text = f"Patienten har personnummer {TEST_PERSONNUMMER} och ringer 070-123 45 67."
    saved = run("write", short, "1", store=store, stdin=text)
    assert saved.returncode == 0, saved.stderr
    assert "coprod: varning: fall " in saved.stderr  # write warns about what it saved

    found = run("lint", "--all", store=store)
    assert found.returncode == 1
    lines = found.stdout.strip().splitlines()
    assert any(
        line.startswith(f"fall {short}, avsnitt ") and ": personnummer '1912…'" in line
        for line in lines
    ), lines
    assert any("telefonnummer '" in line for line in lines), lines
    assert found.stderr.strip().startswith("coprod: 2 identifierande uppgift(er) i 1 fall")
    assert "(maskera dem med 'coprod lint --redact')" in found.stderr

    usage = run("lint", store=store)
    assert usage.returncode == 2
    assert usage.stderr.strip() == "coprod: ange fallen som ska kontrolleras, eller använd --all"


def test_template_problems_in_swedish(tmp_path):
    broken = tmp_path / "mall.yaml"
    broken.write_text("id: Min Mall\nversion: noll\n", encoding="utf-8")
    result = run("template", "validate", str(broken))
    assert result.returncode == 2
    out = result.stdout + result.stderr
    assert f"{broken}:1:5: mallens id 'Min Mall' är inget giltigt id" in out
    assert f"{broken}:2:10: 'version' måste vara ett heltal, t.ex. 1; fick text 'noll'" in out


def test_english_is_untouched_by_the_catalogue(tmp_path):
    missing = tmp_path / "nowhere"
    result = run("list", store=missing, lang="C.UTF-8")
    assert result.stderr.strip() == f"coprod: no store at {missing} (create one with 'coprod new')"


def test_the_settings_language_gives_swedish_errors_under_an_english_locale(tmp_path):
    """``language: sv`` in the settings file beats ``LANG=C`` for coprod's own messages too."""
    config = tmp_path / "config" / "coprod" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("language: sv\n", encoding="utf-8")
    missing = tmp_path / "nowhere"
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "COPROD_LANG", "COPROD_STORE")
    }
    environ.update({"LANG": "C.UTF-8", "XDG_CONFIG_HOME": str(tmp_path / "config")})
    result = subprocess.run(
        [sys.executable, "-m", "coprod_tui", "--store", str(missing), "doctor"],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"coprod: inget arkiv i {missing} (skapa ett med 'coprod new')"
