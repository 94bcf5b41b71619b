"""The ``coprod`` command: argparse front door.

Each command family lives in its own module under ``coprod_tui.commands`` and
registers its sub-commands here. Every failure reaches the user as one line on
standard error with exit code 2 (bad input) or 1 (operational failure); a
traceback is a bug. With no sub-command, ``coprod`` starts the workbench.
Textual is imported only when the workbench starts, so scripting commands stay
fast; the command modules load YAML, Rich and the store only in their handlers,
so building this parser (``coprod --help``, ``--version``) loads none of them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

from coprod_tui import __version__
from coprod_tui.commands import cases, insights, knowledge, matrix, privacy, search, templates
from coprod_tui.core.errors import CoprodError
from coprod_tui.core.i18n import N_, _, current_language, start_language
from coprod_tui.core.locations import store_path  # noqa: F401 - the CLI's name for it
from coprod_tui.core.text_safety import printable


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, sized without importing ``shutil``, in the user's language.

    argparse builds a formatter for every ``add_argument`` and, left to
    itself, imports ``shutil`` (and with it bz2, lzma, zlib) to learn the
    terminal width: a few milliseconds on every command, for help text that
    is rarely printed. The width is worked out here exactly as
    ``shutil.get_terminal_size`` would.

    Help texts are given in English, marked ``N_()``, and translated here, as
    the help page is written: building the parser of ``coprod show`` never
    opens a catalogue. argparse's own words ("usage: ", "options") pass
    through the same ``_()`` (``argparse_text.py`` lists them).
    """

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = _terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)

    def start_section(self, heading: str | None) -> None:
        super().start_section(_(heading) if heading else heading)

    def add_text(self, text: str | None) -> None:
        super().add_text(_(text) if text and text is not argparse.SUPPRESS else text)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        help_text = super()._get_help_string(action)
        return _(help_text) if help_text else help_text


def _terminal_columns(fallback: int = 80) -> int:
    """``shutil.get_terminal_size().columns``: ``$COLUMNS``, else the terminal, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = fallback
        columns = columns or fallback
    return columns


class _OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        if current_language() != "en":
            from coprod_tui.argparse_text import translate_error

            message = translate_error(message)
        # The message echoes the user's own arguments: never let them reach the terminal raw.
        shown = printable(_safe_text(message), keep_newlines=False)
        line = _("{prog}: error: {message} (see '{prog} --help')").format(
            prog=self.prog, message=shown
        )
        self.exit(2, line + "\n")


def _safe_text(text: str) -> str:
    """``text`` with anything that cannot be written as UTF-8 (lone surrogates) replaced."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _print_error(message: str) -> None:
    """One line on standard error (a list of problems: one per line), terminal-safe."""
    lines = [printable(_safe_text(line), keep_newlines=False) for line in message.splitlines()]
    # A list of FILE: problems reads best unprefixed, one per line.
    text = "\n".join(lines) if len(lines) > 1 else f"coprod: {''.join(lines)}"
    print(text, file=sys.stderr)


class _Unbuilt:
    """The parser of a sub-command not being run: takes every call, keeps nothing."""

    def __getattr__(self, name: str) -> Any:
        return self._ignore

    def _ignore(self, *args: Any, **kwargs: Any) -> _Unbuilt:
        return self


class _OnlyCommand:
    """The sub-parsers action, building the parser of one command and skipping the rest.

    argparse is slow to build a parser (a help formatter and gettext
    look-ups for every sub-command, every option): building the one command
    being run instead of all of them is a few milliseconds of every
    ``coprod show`` or ``write``. :attr:`found` says whether that command exists.
    """

    def __init__(self, commands: argparse._SubParsersAction[Any], wanted: str) -> None:
        self._commands = commands
        self._wanted = wanted
        self.found = False

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        if name != self._wanted and self._wanted not in kwargs.get("aliases", ()):
            return _Unbuilt()
        self.found = True
        return self._commands.add_parser(name, **kwargs)


def _command_named(argv: Sequence[str]) -> str | None:
    """The sub-command ``argv`` runs, when that is plain to see; ``None`` means build them all.

    Only the front door's own options may come first (``--store DIR``,
    ``--demo``); help, the version or anything unusual gets the full parser.
    """
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "--store":
            index += 2
        elif word.startswith("--store=") or word == "--demo":
            index += 1
        elif word.startswith("-"):
            return None
        else:
            return word
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser: every sub-command, or with ``only`` just that one (``None`` if it has none).

    Tests use the full parser to check help and usage.
    """
    parser = _OneLineParser(
        prog="coprod",
        description=N_(
            "Write and learn from coproduction case notes with Batalden's nine-section "
            "template. With no command, opens the workbench."
        ),
    )
    parser.add_argument("--version", action="version", version=f"coprod {__version__}")
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        help=N_("store folder (default: $COPROD_STORE, else your user data folder)"),
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help=N_("open a throwaway store holding one worked, fictional example case"),
    )
    # ``prog`` given: argparse would otherwise build a help formatter (and import shutil) to work
    # out the same "coprod" for every command's usage line.
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_OneLineParser, prog=parser.prog
    )
    families = (templates, cases, knowledge, search, insights, matrix, privacy)
    if only is not None:
        wanted = _OnlyCommand(commands, only)
        for family in families:
            family.register(wanted)
        return parser if wanted.found else build_parser()
    for family in families:
        family.register(commands)
    return parser


def _tolerant_stdout() -> None:
    """A character the terminal's encoding lacks prints as ``?``, never as a traceback."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError, TypeError):
            reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``coprod``; returns the process exit code."""
    _tolerant_stdout()
    start_language()  # once, before any word is shown: settings, then the locale
    arguments = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(only=_command_named(arguments))
    args = parser.parse_args(arguments)
    try:
        if args.command is None:
            from coprod_tui.ui.launch import run_workbench

            return run_workbench(args)
        return int(args.func(args) or 0)
    except CoprodError as error:
        _print_error(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        print(_("coprod: interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # e.g. `coprod list | head`: the reader left; nothing to report.
        # Point stdout at /dev/null so the interpreter's final flush stays quiet.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except RecursionError:
        _print_error(_("the data is nested too deeply to handle; nothing was changed"))
        return 1
    except MemoryError:
        _print_error(_("out of memory; nothing was changed"))
        return 1
    except Exception as error:
        # A bug: still one line, never a traceback on the user's terminal
        # (COPROD_DEBUG=1 shows it for a report).
        if os.environ.get("COPROD_DEBUG"):
            raise
        _print_error(
            _(
                "unexpected error ({name}); this is a bug, please report it "
                "(COPROD_DEBUG=1 shows the details)"
            ).format(name=type(error).__name__)
        )
        return 1
