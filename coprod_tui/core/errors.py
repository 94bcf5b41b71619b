"""Errors a user can see, each carrying the exit code the CLI should use.

Every user-facing failure is one clear line that says what happened and what
to do. Bad input exits 2; an operational failure (disk, permissions, a damaged
file) exits 1. The CLI catches :class:`CoprodError` and prints ``str(error)``.
"""

from __future__ import annotations


class CoprodError(Exception):
    """Base class: a failure with a one-line message meant for the user."""

    exit_code: int = 1


class UserInputError(CoprodError):
    """The user asked for something malformed or impossible (exit 2)."""

    exit_code = 2


class OperationalError(CoprodError):
    """The request was fine but the system could not carry it out (exit 1)."""

    exit_code = 1
