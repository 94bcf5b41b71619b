"""The CLI in Swedish: ``--help``, argparse's own errors and coprod's, as a shell runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("yaml", "rich", "textual", "dataclasses", "inspect")

PROBE = """
import contextlib, io, json, sys
from coprod_tui.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "loaded": sorted(sys.modules)}))
"""


def run(*args: str, lang: str = "sv_SE.UTF-8", **env: str) -> subprocess.CompletedProcess[str]:
    """``coprod ARGS`` in a fresh interpreter under ``LANG=lang`` (no LC_* overrides)."""
    environ = {
        k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE")
    }
    environ.update({"LANG": lang, "COLUMNS": "100", **env})
    return subprocess.run(
        [sys.executable, "-m", "coprod_tui", *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
    )


def test_help_in_swedish():
    result = run("--help")
    assert result.returncode == 0
    out = " ".join(result.stdout.split())  # help wraps to the terminal
    assert out.startswith("användning: coprod ")
    assert "positionsargument:" in out
    assert "flaggor:" in out
    assert "visa den här hjälpen och avsluta" in out
    assert "Utan kommando öppnas arbetsbänken." in out
    assert "usage:" not in out and "show this help message" not in out


def test_a_sub_commands_help_in_swedish():
    out = " ".join(run("template", "init", "--help").stdout.split())
    assert out.startswith("användning: coprod template init ")
    assert "mall att kopiera (standard: batalden-primary-care)" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("nosuch",), "coprod: fel: argument COMMAND: ogiltigt val: 'nosuch' (välj bland "),
        (("template", "show"), "coprod template show: fel: följande argument krävs: ID"),
        (("list", "--bogus"), "coprod: fel: okända argument: --bogus"),
        (("--store",), "coprod: fel: argument --store: ett argument förväntades"),
        (("matrix", "--format", "csv", "--words", "x"), "inte ett antal ord: 'x'"),
    ],
)
def test_usage_errors_in_swedish_are_one_line_exit_2(args, expected):
    result = run(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert lines[0].endswith("--help')")
    assert "(se 'coprod" in lines[0]


def test_coprods_own_errors_in_swedish(tmp_path):
    result = run("template", "init", HOME=str(tmp_path))  # no FILE: asks for one
    assert result.returncode == 2
    assert result.stderr.strip() == "coprod: ange FIL att skriva, eller --into-store"


def test_english_stays_the_default():
    result = run("nosuch", lang="C.UTF-8")
    assert "invalid choice: 'nosuch'" in result.stderr
    assert run("--help", lang="en_GB.UTF-8").stdout.startswith("usage: coprod ")


def test_the_settings_language_beats_an_english_locale(tmp_path):
    config = tmp_path / "config" / "coprod" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("language: sv\n", encoding="utf-8")
    result = run("--help", lang="en_GB.UTF-8", XDG_CONFIG_HOME=str(tmp_path / "config"))
    assert result.stdout.startswith("användning: coprod ")
    forced = run(
        "--help", lang="en_GB.UTF-8", XDG_CONFIG_HOME=str(tmp_path / "config"), COPROD_LANG="en"
    )
    assert forced.stdout.startswith("usage: coprod ")


def test_swedish_costs_a_scripting_command_no_heavy_module(tmp_path):
    """Reading ``language: sv`` and the catalogue loads no YAML (nor Rich, nor Textual)."""
    config = tmp_path / "config" / "coprod" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("language: sv\n", encoding="utf-8")
    environ = {
        k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE")
    }
    environ.update({"LANG": "sv_SE.UTF-8", "XDG_CONFIG_HOME": str(tmp_path / "config")})
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "--store", str(tmp_path / "store"), "list"],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    loaded = set(report["loaded"])
    assert [name for name in HEAVY if name in loaded] == [], result.stderr
