"""Does F9's copy reach the clipboard? What stands in between, and what to tell the user.

F9 copies a section with OSC 52 (``App.copy_to_clipboard``): an escape
sequence that asks the *terminal* to set its clipboard, so it works over SSH.
A terminal multiplexer in between reads that sequence itself:

- **tmux** passes it on to the terminal only with ``set-clipboard on``. Its
  default, ``external``, lets tmux set the clipboard from its own copy mode
  but ignores programs that ask (tmux(1); checked with tmux 3.3: under
  ``external`` and ``off`` nothing reaches the outer terminal), which is why
  a default tmux swallows F9. We ask tmux (``tmux show-options -gv
  set-clipboard``) and, unless it says ``on``, say how to switch it on.
- **GNU screen** does not pass OSC 52 on at all.
- Over SSH from inside a local tmux or screen (``TERM`` says so, but neither
  ``$TMUX`` nor ``$STY`` is set here) we cannot ask; the notice says what to
  check if nothing arrived.

Running tmux is a subprocess, so :class:`CopyProbe` is called from a worker,
with a short timeout; tests hand the editor a probe with a fake environment
and a fake runner (``CaseEditorScreen.copy_probe``).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from coprod_tui.core.i18n import _

#: Seconds to wait for ``tmux show-options`` (a stuck server must not hold the notice).
TMUX_TIMEOUT = 1.0
#: What to put in ~/.tmux.conf.
TMUX_FIX = "set -g set-clipboard on"

#: Runs a command, returns its standard output; raises ``OSError`` or ``subprocess`` errors.
Runner = Callable[[Sequence[str], float], str]


def run_command(argv: Sequence[str], timeout: float) -> str:
    """Run ``argv`` without a shell or standard input and return what it printed."""
    done = subprocess.run(
        list(argv),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
        stdin=subprocess.DEVNULL,
    )
    return done.stdout


@dataclass(frozen=True)
class CopyRoute:
    """Whether OSC 52 gets through, and what to tell the user (``advice``: ``""``, nothing)."""

    #: ``True``: it gets through; ``False``: it does not; ``None``: we cannot tell.
    passes: bool | None
    #: The multiplexer in between ("tmux", "GNU screen"), or ``""``.
    via: str = ""
    #: What to do, with ``{export}`` where the "Export section to file" key goes.
    advice: str = ""


class CopyProbe:
    """Find what the copy has to pass through (``environ`` and ``run`` default to the real ones)."""

    def __init__(
        self,
        environ: Mapping[str, str] | None = None,
        run: Runner | None = None,
        timeout: float = TMUX_TIMEOUT,
    ) -> None:
        self._environ = environ
        self._run = run if run is not None else run_command
        self._timeout = timeout

    def route(self) -> CopyRoute:
        """Ask the environment (and tmux, when inside it). Call it off the loop."""
        environ = self._environ if self._environ is not None else os.environ
        if environ.get("TMUX"):
            return self._tmux()
        if environ.get("STY"):
            return CopyRoute(
                False,
                "GNU screen",
                _(
                    "GNU screen does not pass the copy on to your terminal: "
                    "use Export section to file{export}, or run coprod outside screen."
                ),
            )
        term = environ.get("TERM", "")
        if term.startswith(("tmux", "screen")):
            return CopyRoute(
                None,
                "",
                _(
                    "If nothing was copied: a tmux around this session needs "
                    "'{fix}' in its ~/.tmux.conf (GNU screen cannot pass it on); "
                    "or use Export section to file{export}."
                ).format(fix=TMUX_FIX, export="{export}"),
            )
        return CopyRoute(None)

    def _tmux(self) -> CopyRoute:
        try:
            setting = self._run(["tmux", "show-options", "-gv", "set-clipboard"], self._timeout)
        except (OSError, subprocess.SubprocessError, ValueError):
            return CopyRoute(
                None,
                "tmux",
                _(
                    "tmux passes the copy on only with set-clipboard on (coprod could not ask "
                    "it): if nothing was copied, add '{fix}' to ~/.tmux.conf, "
                    "or use Export section to file{export}."
                ).format(fix=TMUX_FIX, export="{export}"),
            )
        value = setting.strip()
        if value == "on":
            return CopyRoute(True, "tmux")
        shown = "".join(ch for ch in value if ch.isalnum())[:20] or "unset"
        return CopyRoute(
            False,
            "tmux",
            _(
                "tmux is not passing the copy on (set-clipboard is {setting}): "
                "add '{fix}' to ~/.tmux.conf and run 'tmux source-file ~/.tmux.conf', "
                "or use Export section to file{export}."
            ).format(setting=shown, fix=TMUX_FIX, export="{export}"),
        )


def copy_notice(number: int, route: CopyRoute, export_key: str) -> tuple[str, bool]:
    """(the notice after F9, whether it is a warning) for section ``number`` (1-based)."""
    export = f" ({export_key})" if export_key else " " + _("(in the palette)")
    if route.passes is True:
        return (
            _(
                "Section {n} copied to the clipboard through {via} "
                "(if your terminal allows programs to set it)."
            ).format(n=number, via=route.via),
            False,
        )
    if route.passes is False:
        advice = route.advice.format(export=export)
        return _("Section {n} was not copied: {advice}").format(n=number, advice=advice), True
    note = _(
        "Section {n} copied to the clipboard (if your terminal allows programs to set it)."
    ).format(n=number)
    if route.advice:
        note += " " + route.advice.format(export=export)
    return note, False
