"""Encrypt an export to the SSH public keys of the people who may read it (age, through pyrage).

Cases are about real people, and an export leaves the store's 0600 files: in
a mail, a shared folder, a USB stick. Encrypted to a supervisor's SSH key,
only the holder of the matching private key can read it. Every clinician on a
shared server already has such a key, so nobody has to make, send or keep a
new one: ``coprod export CASE --encrypt-to ~anna/.ssh/id_ed25519.pub`` and
Anna reads it with ``age -d -i ~/.ssh/id_ed25519 FILE.age``.

The cryptography is age's (https://age-encryption.org/v1), done by pyrage,
the Python binding of rage (a well-kept Rust implementation of age); nothing
here encrypts anything itself. pyrage is an optional extra
(``pip install 'coprod[crypt]'``): it is imported only when something is
encrypted, and its absence is one line saying how to install it.

Output is binary age (``age-encryption.org/v1`` then the payload), the
format ``age``, ``rage`` and pyrage write and read by default and name
``.age``. ASCII armour would only help pasting into a mail body; the
export is sent as a file, and a binary file that a terminal would garble is
never printed on one (``commands/sharing.py``).

Key files are what people have: an OpenSSH public key file (``id_ed25519.pub``,
one line) or an ``authorized_keys``-style file (one key a line, ``#`` comments,
blank lines, options such as ``from="10.0.0.1",no-pty`` before the key type).
age encrypts to ``ssh-ed25519`` and ``ssh-rsa`` keys; its own ``age1…``
recipients (from ``age-keygen``) are taken too, as ``age -R`` takes them. Any
other key type (ECDSA, DSA, security keys, certificates) is one error naming
the file and the line, never skipped: a reader left out silently could not
open what was sent to them.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from coprod_tui.core.errors import OperationalError, UserInputError
from coprod_tui.core.text_safety import printable

#: Key types age encrypts to (OpenSSH names).
SSH_TYPES = ("ssh-ed25519", "ssh-rsa")
#: Key types OpenSSH knows that age does not take (named in the error).
OTHER_SSH_TYPES = (
    "ssh-dss",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "sk-ssh-ed25519@openssh.com",
)
#: A key file is a few lines; anything far bigger is not one (and is not read whole).
MAX_KEYFILE_BYTES = 1024 * 1024
#: How the suffix of an encrypted file reads.
AGE_SUFFIX = ".age"
#: What to do when pyrage is missing.
INSTALL_HINT = "install coprod[crypt] (pip install 'coprod[crypt]')"


class EncryptionUnavailable(OperationalError):
    """pyrage (the age implementation) is not installed: say how to install it."""


class KeyFileError(UserInputError):
    """A key file that cannot be read or holds something age cannot encrypt to."""


class Recipient(NamedTuple):
    """One reader: the key as age takes it, where it came from, and its comment."""

    #: ``ssh-ed25519``, ``ssh-rsa`` or ``age``.
    kind: str
    #: ``TYPE BASE64`` (SSH) or the ``age1…`` string: what pyrage parses.
    key: str
    #: ``FILE line N``: named in every message about this key.
    source: str
    #: The key's comment (``anna@tallbacka``), shown to say who can read the file.
    comment: str = ""

    def label(self) -> str:
        """Who this is, for a message: the comment, else the source (terminal-safe)."""
        return printable(self.comment or self.source, keep_newlines=False)


def _pyrage() -> Any:
    """The pyrage module, or one line saying how to install it."""
    try:
        import pyrage  # its ssh and x25519 parts come with it (one extension module)
    except ImportError:
        raise EncryptionUnavailable(
            f"encrypting needs the pyrage package: {INSTALL_HINT}"
        ) from None
    return pyrage


def available() -> bool:
    """Whether encryption works here (pyrage is installed)."""
    try:
        _pyrage()
    except EncryptionUnavailable:
        return False
    return True


def _fields(line: str) -> list[str]:
    """Split an authorized_keys line on blanks, keeping ``"quoted strings"`` whole.

    Options (``command="echo a b",no-pty``) may hold blanks inside quotes, so
    a plain ``split`` would cut them apart.
    """
    fields: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in line:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char in " \t" and not quoted:
            if current:
                fields.append("".join(current))
                current = []
            continue
        current.append(char)
    if current:
        fields.append("".join(current))
    return fields


def _blob_type(blob: str) -> str | None:
    """The key type written inside an SSH key's base64 (``None``: not such a blob)."""
    try:
        raw = base64.b64decode(blob, validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) < 4:
        return None
    length = int.from_bytes(raw[:4], "big")
    if not 0 < length <= 64 or len(raw) < 4 + length:
        return None
    try:
        return raw[4 : 4 + length].decode("ascii")
    except UnicodeDecodeError:
        return None


def _is_key_type(word: str) -> bool:
    return word in SSH_TYPES or word in OTHER_SSH_TYPES or word.endswith("-cert-v01@openssh.com")


def parse_line(line: str, source: str) -> Recipient | None:
    """The recipient on one line of a key file (``None``: blank or a comment).

    ``source`` (``FILE line N``) starts every error. Raises
    :class:`KeyFileError` for a key age cannot take or a line that is no key.
    """
    text = line.strip().lstrip("\ufeff")
    if not text or text.startswith("#"):
        return None
    shown = printable(source, keep_newlines=False)
    if text.startswith("-----BEGIN"):
        raise KeyFileError(
            f"{shown}: this is a private key (or a certificate), not a public key; "
            "give the public key file, such as ~/.ssh/id_ed25519.pub"
        )
    fields = _fields(text)
    if fields[0].startswith("age1") and len(fields) == 1:
        return Recipient("age", fields[0], source)
    if _is_key_type(fields[0]):
        kind, rest = fields[0], fields[1:]
    elif len(fields) > 1 and _is_key_type(fields[1]):
        kind, rest = fields[1], fields[2:]  # fields[0] holds the authorized_keys options
    else:
        raise KeyFileError(
            f"{shown}: not an SSH public key (expected a line such as "
            "'ssh-ed25519 AAAA… name@host' or 'ssh-rsa AAAA… name@host')"
        )
    if kind not in SSH_TYPES:
        raise KeyFileError(
            f"{shown}: age cannot encrypt to {printable(kind, keep_newlines=False)} keys; "
            "ask for an ssh-ed25519 key (ssh-keygen -t ed25519) or an ssh-rsa key"
        )
    if not rest or _blob_type(rest[0]) != kind:
        raise KeyFileError(f"{shown}: the {kind} key is damaged (its base64 part does not decode)")
    return Recipient(kind, f"{kind} {rest[0]}", source, " ".join(rest[1:]))


def _read_keyfile(path: str) -> str:
    shown = printable(path, keep_newlines=False)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_KEYFILE_BYTES + 1)
    except FileNotFoundError:
        raise KeyFileError(f"no such key file: {shown}") from None
    except IsADirectoryError:
        raise KeyFileError(f"{shown} is a folder: give a public key file") from None
    except OSError as error:
        raise KeyFileError(f"cannot read the key file {shown}: {error.strerror}") from None
    if len(raw) > MAX_KEYFILE_BYTES:
        raise KeyFileError(f"{shown} is too big to be a public key file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise KeyFileError(f"{shown} is not a text file: give a public key file") from None


def read_recipients(paths: Iterable[str]) -> list[Recipient]:
    """Every recipient in the key files, in order, each key once.

    Raises :class:`EncryptionUnavailable` first when pyrage is missing (so the
    user fixes that before anything else), then :class:`KeyFileError` for the
    first file or line that is not a key age can take, naming it. Each key is
    also parsed by pyrage here, so a key it refuses stops the command before
    any work is done.
    """
    pyrage = _pyrage()
    found: dict[str, Recipient] = {}
    for path in paths:
        in_file = 0
        for number, line in enumerate(_read_keyfile(path).splitlines(), start=1):
            recipient = parse_line(line, f"{path} line {number}")
            if recipient is None:
                continue
            _to_pyrage(pyrage, recipient)
            found.setdefault(recipient.key, recipient)
            in_file += 1
        if not in_file:
            raise KeyFileError(
                f"{printable(path, keep_newlines=False)} holds no public key "
                "(expected lines such as 'ssh-ed25519 AAAA… name@host')"
            )
    return list(found.values())


def _to_pyrage(pyrage: Any, recipient: Recipient) -> Any:
    """The pyrage recipient object (its parse error becomes one line naming the source)."""
    maker = pyrage.x25519.Recipient if recipient.kind == "age" else pyrage.ssh.Recipient
    try:
        return maker.from_str(recipient.key)
    except Exception as error:  # noqa: BLE001 - pyrage raises its own RecipientError/ValueError
        shown = printable(recipient.source, keep_newlines=False)
        reason = printable(str(error), keep_newlines=False) or type(error).__name__
        raise KeyFileError(f"{shown}: age cannot encrypt to this key ({reason})") from None


def encrypt(data: bytes, recipients: Sequence[Recipient]) -> bytes:
    """``data`` encrypted with age to every recipient (binary age format).

    Any one of the recipients' private keys decrypts it. Raises
    :class:`UserInputError` for no recipients and :class:`OperationalError` if
    pyrage fails (never returns unencrypted bytes).
    """
    if not recipients:
        raise UserInputError("no recipients: give at least one public key file to encrypt to")
    pyrage = _pyrage()
    keys = [_to_pyrage(pyrage, recipient) for recipient in recipients]
    try:
        sealed = pyrage.encrypt(data, keys)
    except Exception as error:  # noqa: BLE001 - one line, never a traceback
        raise OperationalError(f"encryption failed: {printable(str(error))}") from None
    if not isinstance(sealed, bytes) or not sealed.startswith(b"age-encryption.org/v1\n"):
        raise OperationalError("encryption failed: pyrage did not return an age file")
    return sealed


def encrypted_name(path: str) -> str:
    """The file an encrypted export goes to: ``report.md`` → ``report.md.age``."""
    return path if path.endswith(AGE_SUFFIX) else path + AGE_SUFFIX


def readers(recipients: Sequence[Recipient]) -> str:
    """Who can read it, for the closing line: ``anna@tallbacka and 1 more key``."""
    if not recipients:
        return "nobody"
    first = recipients[0].label()
    more = len(recipients) - 1
    return first if not more else f"{first} and {more} more key(s)"
