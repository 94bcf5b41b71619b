"""Run ``coprod`` in-process for the store-folder, link and team-template tests."""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path

import pytest

from coprod_tui.cli import main


def isolate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Point config, data and templates at ``tmp_path``: never the real home folder."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for name in ("COPROD_TEMPLATES", "COPROD_STORE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def coprod(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    stdin: bytes = b"",
) -> tuple[int, str, str]:
    """Exit code, standard output and standard error of one ``coprod`` run."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    try:
        code = main(list(args))
    except SystemExit as exit_info:  # argparse usage errors
        code = int(exit_info.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    """The single line a failure prints (no traceback, nothing else)."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def tree(root: Path) -> dict[str, tuple[int, bytes | str | None]]:
    """Every entry under ``root`` (and ``root`` itself): mode and content, links unfollowed."""
    found: dict[str, tuple[int, bytes | str | None]] = {}
    for path in [root, *sorted(root.rglob("*"))]:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            content: bytes | str | None = os.readlink(path)
        elif stat.S_ISREG(info.st_mode):
            content = path.read_bytes()
        else:
            content = None
        found[str(path.relative_to(root))] = (info.st_mode, content)
    return found
