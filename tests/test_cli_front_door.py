"""The CLI front door: one clear line and the right exit code, never a traceback."""

import subprocess
import sys

import pytest

from coprod_tui import __version__
from coprod_tui.cli import build_parser, main, store_path


def run_module(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coprod_tui", *args], capture_output=True, text=True, timeout=60
    )


def test_python_dash_m_prints_version():
    result = run_module("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"coprod {__version__}"


def test_unknown_command_is_one_line_and_exit_2():
    result = run_module("no-such-command")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "no-such-command" in lines[0]
    assert "Traceback" not in result.stderr


def test_bad_option_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--no-such-option"])
    assert exit_info.value.code == 2
    assert "--no-such-option" in capsys.readouterr().err


def test_store_path_prefers_flag_then_environment(monkeypatch, tmp_path):
    parser = build_parser()
    monkeypatch.setenv("COPROD_STORE", str(tmp_path / "from-env"))
    assert store_path(parser.parse_args([])) == tmp_path / "from-env"
    flagged = parser.parse_args(["--store", str(tmp_path / "flag")])
    assert store_path(flagged) == tmp_path / "flag"
    monkeypatch.delenv("COPROD_STORE")
    default = store_path(parser.parse_args([]))
    assert default.name == "store" and "coprod" in str(default)


def test_help_lists_every_command():
    result = run_module("--help")
    assert result.returncode == 0
    for command in (
        *("templates", "template", "new", "list", "show", "write", "export", "import"),
        *("history", "restore", "doctor"),
    ):
        assert f"    {command} " in result.stdout, command
    template_help = run_module("template", "--help").stdout
    assert all(action in template_help for action in ("show", "validate", "init"))


def _commands_of(parser):
    (action,) = [a for a in parser._actions if a.dest == "command"]
    return action.choices


def test_a_command_is_read_exactly_as_the_full_parser_reads_it(tmp_path):
    """Only the command being run is built (start-up speed); it reads its arguments the same."""
    full = build_parser()
    for name in _commands_of(full):
        one = build_parser(only=name)
        assert list(_commands_of(one)) == [name]
        assert _commands_of(one)[name].format_help() == _commands_of(full)[name].format_help()
    argv = ["--store", str(tmp_path), "write", "abc", "3", "--append"]
    assert vars(build_parser(only="write").parse_args(argv)) == vars(full.parse_args(argv))


def test_an_unknown_command_still_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--store", "/nowhere", "shwo", "x"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "'shwo'" in error and "show" in error and "templates" in error
