"""A real coprod process in a real pseudo-terminal loses nothing when the line drops.

These drive the installed entry point the way a user's terminal does: keys go
in through a pty, and then the terminal disappears (its master side closes and
the process gets SIGHUP) or the process is asked to stop (SIGTERM). Whatever
was on screen before the signal must be in the store afterwards, and the
process must end promptly even though nobody reads its output any more.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from coprod_tui.core.text_safety import printable

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


def coprod(store: Path, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "coprod_tui", "--store", str(store), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


class Terminal:
    """A pty running coprod, with its output collected in the background."""

    def __init__(self, store: Path, tmp_path: Path) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", HOME=str(tmp_path))
        env.pop("NO_COLOR", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coprod_tui", "--store", str(store)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.output = bytearray()
        self.reading = True
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while self.reading:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def screen_text(self) -> str:
        return printable(self.output.decode("utf-8", "replace"))

    def wait_for(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.screen_text():
                return
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared on screen")

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def hang_up(self) -> None:
        """The terminal goes away: nobody reads any more, then SIGHUP."""
        self.reading = False
        os.close(self.master)
        self.process.send_signal(signal.SIGHUP)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.reading = False
        with contextlib.suppress(OSError):
            os.close(self.master)


@pytest.fixture
def store_with_case(tmp_path: Path) -> tuple[Path, str]:
    store = tmp_path / "store"
    case_id = coprod(store, "new", "Pty case").strip()
    return store, case_id


def situation_text(store: Path, case_id: str) -> str:
    return json.loads(coprod(store, "show", case_id, "--json"))["sections"].get("situation", "")


@pytest.mark.parametrize("how", ["hang-up", "terminate"])
def test_text_on_screen_survives_the_terminal_going_away(store_with_case, tmp_path, how):
    store, case_id = store_with_case
    terminal = Terminal(store, tmp_path)
    try:
        terminal.wait_for("Pty case")
        terminal.type("\r")
        terminal.wait_for("1. Situation")
        terminal.type("Written just before the line dropped")
        terminal.wait_for("line dropped")
        if how == "hang-up":
            terminal.hang_up()
            expected_code = 128 + signal.SIGHUP
        else:
            terminal.process.send_signal(signal.SIGTERM)
            expected_code = 128 + signal.SIGTERM
        code = terminal.process.wait(timeout=20)
    finally:
        terminal.close()
    assert code == expected_code
    assert "Written just before the line dropped" in situation_text(store, case_id)
