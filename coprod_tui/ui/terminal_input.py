"""Escape followed by keys in one read: Escape, then those keys.

A terminal sends Escape as the byte ESC, and it also starts every escape
sequence (arrows, F-keys, mouse reports) with ESC. Textual's input parser
therefore waits after an ESC to see whether a sequence follows. When a burst
of typing (a laggy SSH link, a paste of keys) delivers Escape and the next
keys in one read, the parser finds no known sequence in "ESC t f r a i l" and
gives the bytes back as typed text with the ESC turned into "^": Escape, meant
to leave the case, typed "^tfrail" into it instead.

:class:`EscapeThenKeysParser` rewrites, inside one read, an ESC followed by a
character that cannot start an escape sequence into the unambiguous form of
the Escape key (``CSI 27 u``, the kitty keyboard protocol's Escape, which
Textual reads), so the keys after it go where they would have gone typed
slowly. A read that is exactly ESC plus one character is left alone: that is
a single Alt+key press, as the terminal sends it; so is ESC followed by a
character Textual already reads as one key with it (ESC b, ESC f: a word left
and right from macOS Option+arrows). Text inside a bracketed paste is never
touched.

Textual offers no public hook into its input parser; :class:`CoprodLinuxDriver`
uses the Linux driver's parser class through its module (checked by
``tests/ui/test_terminal_input.py`` against the installed Textual).
"""

from __future__ import annotations

from textual import constants
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual._xterm_parser import XTermParser
from textual.drivers import linux_driver
from textual.drivers.linux_driver import LinuxDriver

ESC = "\x1b"
#: The Escape key as the kitty keyboard protocol writes it (Textual parses it).
ESCAPE_KEY = "\x1b[27u"
#: Characters that may follow ESC to start a sequence (CSI, SS3, OSC, DCS, APC, ...).
INTRODUCERS = frozenset("[O]P_\\^X" + ESC)
#: ESC + one character that Textual already reads as a key (macOS Option+arrow
#: sends ESC b / ESC f for a word left / right): those stay what Textual says.
KNOWN_PAIRS = frozenset(
    sequence[1] for sequence in ANSI_SEQUENCES_KEYS if len(sequence) == 2 and sequence[0] == ESC
)
PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"


def split_escapes(data: str, *, in_paste: bool = False) -> tuple[str, bool]:
    """``data`` with each ESC that is the Escape key made unambiguous.

    Returns the rewritten text and whether a bracketed paste is still open at
    its end (pass that back in with the next read).
    """
    if ESC not in data or constants.DISABLE_KITTY_KEY:
        return data, in_paste and PASTE_END not in data
    if len(data) == 2 and data[0] == ESC and data[1] not in INTRODUCERS:
        return data, in_paste  # one Alt+key press
    out: list[str] = []
    index = 0
    size = len(data)
    while index < size:
        if in_paste:
            end = data.find(PASTE_END, index)
            if end < 0:
                out.append(data[index:])
                return "".join(out), True
            out.append(data[index : end + len(PASTE_END)])
            index = end + len(PASTE_END)
            in_paste = False
            continue
        if data.startswith(PASTE_START, index):
            out.append(PASTE_START)
            index += len(PASTE_START)
            in_paste = True
            continue
        character = data[index]
        following = data[index + 1] if index + 1 < size else ""
        if (
            character == ESC
            and following
            and following not in INTRODUCERS
            and following not in KNOWN_PAIRS
        ):
            out.append(ESCAPE_KEY)
        else:
            out.append(character)
        index += 1
    return "".join(out), in_paste


class EscapeThenKeysParser(XTermParser):
    """Textual's parser, reading Escape followed by keys in one read as Escape and keys."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._in_paste = False

    def feed(self, data: str):  # type: ignore[no-untyped-def]
        """Parse one read from the terminal (see :func:`split_escapes`)."""
        if data:
            data, self._in_paste = split_escapes(data, in_paste=self._in_paste)
        return super().feed(data)


class CoprodLinuxDriver(LinuxDriver):
    """The Linux driver, parsing its input with :class:`EscapeThenKeysParser`."""

    def run_input_thread(self) -> None:
        # The driver builds its parser from this module-level name when the input
        # thread starts; only coprod's app runs in this process.
        linux_driver.XTermParser = EscapeThenKeysParser  # type: ignore[attr-defined]
        super().run_input_thread()
