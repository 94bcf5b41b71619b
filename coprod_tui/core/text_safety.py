"""Make untrusted text safe to show in a terminal.

Case text comes from people and from imports. An escape sequence in a title
could retitle the terminal, move the cursor or worse, so every string shown on
screen passes through :func:`printable` first. Markup safety (``[red]``) is a
rendering concern handled by always building ``rich.text.Text`` / Textual
``Content`` objects from user text rather than markup strings.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL/ST),
# DCS/SOS/PM/APC (ESC P/X/^/_ ... ST) and two-character escapes.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]            # CSI
  | \x1b[\]PX^_].*?(?:\x07|\x1b\\|$)    # OSC, DCS, SOS, PM, APC up to BEL or ST
  | \x1b[@-Z\\-_]                       # other two-character escapes
  | \x9b[0-?]*[ -/]*[@-~]              # 8-bit CSI
    """,
    re.VERBOSE | re.DOTALL,
)
# Remaining C0 controls except tab and newline, DEL, and the C1 range.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` without escape sequences or control characters.

    Tabs survive; newlines survive unless ``keep_newlines`` is false, in which
    case they become spaces (for one-line places such as titles in a table).
    """
    cleaned = _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))
    if not keep_newlines:
        cleaned = cleaned.replace("\n", " ")
    return cleaned
