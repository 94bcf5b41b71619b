"""``--encrypt-to KEYFILE...`` for the commands that write an export (export, matrix).

A command adds the option with :func:`add_encrypt_option` and, in its handler,
asks :func:`encryption_of` before any work: the key files are read and checked
then (a bad one is one line, exit 2, before the store is opened), and an
encrypted export headed for a terminal is refused (ciphertext is binary; a
terminal would garble it and may act on the bytes). The handler then passes
each output through :meth:`Encryption.seal` and writes it to
:meth:`Encryption.target` (``FILE`` becomes ``FILE.age``), so the plain
export is never written anywhere, not even as a temporary file.

The cryptography is age's, through pyrage (``core/encryption.py``); this
module only wires it to argparse. It imports nothing heavy at the top, so
building the parser costs nothing.
"""

from __future__ import annotations

import argparse
import sys

from coprod_tui.core.i18n import N_, _

#: ``typing`` itself is not imported: building the parser (``--help``) must not pay for it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import TextIO

    from coprod_tui.core.encryption import Recipient


def add_encrypt_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--encrypt-to KEYFILE...`` (repeatable) to a command that writes an export."""
    parser.add_argument(
        "--encrypt-to",
        dest="encrypt_to",
        metavar="KEYFILE",
        nargs="+",
        action="extend",
        default=[],
        help=N_(
            "encrypt the output with age to the SSH public keys in KEYFILE "
            "(id_ed25519.pub, authorized_keys; ssh-ed25519 and ssh-rsa); FILE becomes "
            "FILE.age; readers decrypt with 'age -d -i ~/.ssh/id_ed25519 FILE.age'. "
            "Needs pip install 'coprod[crypt]'"
        ),
    )


class Encryption:
    """The readers an export is encrypted to, and the two things a handler does with them."""

    def __init__(self, recipients: Sequence[Recipient]) -> None:
        self.recipients = list(recipients)

    def target(self, path: str) -> str:
        """Where the encrypted output goes: ``FILE`` → ``FILE.age`` (``-`` stays stdout)."""
        from coprod_tui.core.encryption import encrypted_name

        return path if path == "-" else encrypted_name(path)

    def seal(self, data: bytes) -> bytes:
        """``data`` encrypted to every reader (age, binary)."""
        from coprod_tui.core.encryption import encrypt

        return encrypt(data, self.recipients)

    def readers(self) -> str:
        """Who can decrypt it, for the closing line (terminal-safe)."""
        from coprod_tui.core.encryption import readers

        return readers(self.recipients)


def encryption_of(
    args: argparse.Namespace, *, output: str = "-", stdout: TextIO | None = None
) -> Encryption | None:
    """The encryption ``--encrypt-to`` asks for (``None`` without it), checked before any work.

    ``output`` is where the command writes (``-``: standard output). Raises
    :class:`~coprod_tui.core.errors.UserInputError` when the ciphertext would go
    to a terminal or a key file is bad, and
    :class:`~coprod_tui.core.encryption.EncryptionUnavailable` without pyrage.
    """
    from coprod_tui.core.errors import UserInputError

    keyfiles = list(getattr(args, "encrypt_to", None) or [])
    if not keyfiles:
        return None
    stream = stdout if stdout is not None else sys.stdout
    if output == "-" and stream.isatty():
        raise UserInputError(
            _(
                "an encrypted export is binary and stdout is a terminal: "
                "use -o FILE, or redirect it into a file"
            )
        )
    from coprod_tui.core.encryption import KeyFileError, read_recipients

    try:
        return Encryption(read_recipients(keyfiles))
    except KeyFileError as error:
        if str(error).startswith("no such key file"):
            raise KeyFileError(
                _(
                    "{problem} (--encrypt-to takes every name after it: "
                    "put it last, after the cases)"
                ).format(problem=error)
            ) from None
        raise
