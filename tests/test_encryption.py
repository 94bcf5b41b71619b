"""Encrypted sharing: age to SSH public keys, read from the files people have.

Keys are throwaway ones made here with ``ssh-keygen``; the case text is
fictional (Tallbacka health centre does not exist). What is encrypted is
decrypted again with pyrage's SSH identity API and, when the Debian ``age``
binary is on PATH, with age itself (the reference implementation).
"""

from __future__ import annotations

import builtins
import shutil
import subprocess
from pathlib import Path

import pytest

from coprod_tui.core import encryption
from coprod_tui.core.encryption import (
    EncryptionUnavailable,
    KeyFileError,
    encrypt,
    encrypted_name,
    parse_line,
    read_recipients,
    readers,
)
from coprod_tui.core.errors import OperationalError, UserInputError

pyrage = pytest.importorskip("pyrage")

TEXT = "Sven, 81, Tallbacka vårdcentral: dosett och söndagsbesök.\n".encode()


def keygen(folder: Path, kind: str, comment: str) -> Path:
    """A fresh key pair in ``folder``; the path of the private key (``.pub`` beside it)."""
    key = folder / f"id_{kind}_{comment.split('@')[0]}"
    extra = ["-b", "2048"] if kind == "rsa" else []
    subprocess.run(
        ["ssh-keygen", "-q", "-t", kind, *extra, "-N", "", "-C", comment, "-f", str(key)],
        check=True,
        stdin=subprocess.DEVNULL,
    )
    return key


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if shutil.which("ssh-keygen") is None:
        pytest.skip("ssh-keygen is not installed")
    folder = tmp_path_factory.mktemp("keys")
    return {
        "anna": keygen(folder, "ed25519", "anna@tallbacka"),
        "bo": keygen(folder, "rsa", "bo@tallbacka"),
        "ecdsa": keygen(folder, "ecdsa", "cecilia@tallbacka"),
    }


def pub(key: Path) -> Path:
    return key.with_name(key.name + ".pub")


def decrypt(data: bytes, key: Path) -> bytes:
    identity = pyrage.ssh.Identity.from_buffer(key.read_bytes())
    return pyrage.decrypt(data, [identity])


def test_an_ed25519_and_an_rsa_key_can_each_read_what_was_encrypted_to_both(keys):
    recipients = read_recipients([str(pub(keys["anna"])), str(pub(keys["bo"]))])
    assert [r.kind for r in recipients] == ["ssh-ed25519", "ssh-rsa"]
    assert [r.comment for r in recipients] == ["anna@tallbacka", "bo@tallbacka"]
    sealed = encrypt(TEXT, recipients)
    assert sealed.startswith(b"age-encryption.org/v1\n")  # binary age, not armoured
    assert b"Sven" not in sealed and "söndagsbesök".encode() not in sealed
    assert decrypt(sealed, keys["anna"]) == TEXT
    assert decrypt(sealed, keys["bo"]) == TEXT


def test_a_key_not_among_the_recipients_cannot_read_it(keys, tmp_path):
    sealed = encrypt(TEXT, read_recipients([str(pub(keys["anna"]))]))
    stranger = keygen(tmp_path, "ed25519", "okand@elsewhere")
    with pytest.raises(pyrage.DecryptError):
        decrypt(sealed, stranger)


@pytest.mark.skipif(shutil.which("age") is None, reason="the age binary is not on PATH")
@pytest.mark.parametrize("who", ["anna", "bo"])
def test_the_reference_age_decrypts_it(keys, tmp_path, who):
    recipients = read_recipients([str(pub(keys["anna"])), str(pub(keys["bo"]))])
    sealed = tmp_path / "case.json.age"
    sealed.write_bytes(encrypt(TEXT, recipients))
    done = subprocess.run(
        ["age", "-d", "-i", str(keys[who]), str(sealed)],
        capture_output=True,
        check=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert done.stdout == TEXT


def test_authorized_keys_with_options_comments_and_repeats(keys, tmp_path):
    anna = pub(keys["anna"]).read_text().strip()
    bo = pub(keys["bo"]).read_text().strip()
    listing = tmp_path / "authorized_keys"
    listing.write_text(
        "# the supervisors of Tallbacka\n"
        "\n"
        f'from="10.0.0.1",command="echo hej då",no-pty {anna}\n'
        f"   {bo}   \n"
        f"{anna}\n",  # the same key again: encrypted to once
        encoding="utf-8",
    )
    recipients = read_recipients([str(listing), str(pub(keys["bo"]))])
    assert [r.comment for r in recipients] == ["anna@tallbacka", "bo@tallbacka"]
    assert recipients[0].source == f"{listing} line 3"
    sealed = encrypt(TEXT, recipients)
    assert decrypt(sealed, keys["anna"]) == TEXT
    assert decrypt(sealed, keys["bo"]) == TEXT


def test_an_ecdsa_key_is_one_error_naming_the_file_and_line(keys, tmp_path):
    listing = tmp_path / "team.keys"
    anna = pub(keys["anna"]).read_text().strip()
    listing.write_text(f"{anna}\n{pub(keys['ecdsa']).read_text()}", encoding="utf-8")
    with pytest.raises(KeyFileError) as caught:
        read_recipients([str(listing)])
    message = str(caught.value)
    assert message.startswith(f"{listing} line 2: ")
    assert "ecdsa-sha2-nistp256" in message and "ssh-ed25519" in message
    assert "\n" not in message and caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("not a key at all", "not an SSH public key"),
        ("ssh-ed25519 AAAA-broken anna@tallbacka", "damaged"),
        ("ssh-dss AAAAB3NzaC1kc3MAAACBAP anna@tallbacka", "age cannot encrypt to ssh-dss"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----", "private key"),
        (
            "ssh-ed25519-cert-v01@openssh.com AAAA anna@tallbacka",
            "cannot encrypt to ssh-ed25519-cert-v01",
        ),
    ],
)
def test_lines_that_are_not_a_usable_key_say_what_they_are(line, expected):
    with pytest.raises(KeyFileError, match=expected):
        parse_line(line, "keys.txt line 7")


def test_blank_and_comment_lines_are_skipped():
    assert parse_line("", "f line 1") is None
    assert parse_line("   # ssh-ed25519 AAAA old key", "f line 2") is None


def test_a_private_key_given_by_mistake_is_refused_without_reading_it_out(keys):
    with pytest.raises(KeyFileError) as caught:
        read_recipients([str(keys["anna"])])
    assert "private key" in str(caught.value) and ".pub" in str(caught.value)
    assert "BEGIN" not in str(caught.value)


def test_missing_empty_and_binary_key_files(tmp_path):
    with pytest.raises(KeyFileError, match="no such key file"):
        read_recipients([str(tmp_path / "nobody.pub")])
    empty = tmp_path / "empty.pub"
    empty.write_text("# nothing here yet\n", encoding="utf-8")
    with pytest.raises(KeyFileError, match="holds no public key"):
        read_recipients([str(empty)])
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    with pytest.raises(KeyFileError, match="not a text file"):
        read_recipients([str(binary)])
    with pytest.raises(KeyFileError, match="is a folder"):
        read_recipients([str(tmp_path)])


def test_an_age_recipient_line_is_taken_too(tmp_path):
    identity = pyrage.x25519.Identity.generate()
    listing = tmp_path / "recipients.txt"
    listing.write_text(f"# from age-keygen\n{identity.to_public()}\n", encoding="utf-8")
    [recipient] = read_recipients([str(listing)])
    assert recipient.kind == "age"
    assert pyrage.decrypt(encrypt(TEXT, [recipient]), [identity]) == TEXT


def test_no_recipients_is_bad_input():
    with pytest.raises(UserInputError, match="at least one"):
        encrypt(TEXT, [])


def test_without_pyrage_one_line_says_how_to_install_it(monkeypatch, keys):
    real_import = builtins.__import__

    def no_pyrage(name, *args, **kwargs):
        if name == "pyrage" or name.startswith("pyrage."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyrage)
    assert not encryption.available()
    with pytest.raises(EncryptionUnavailable) as caught:
        read_recipients([str(pub(keys["anna"]))])
    assert "coprod[crypt]" in str(caught.value)
    assert isinstance(caught.value, OperationalError)


def test_names_and_readers():
    assert encrypted_name("rapport.md") == "rapport.md.age"
    assert encrypted_name("rapport.md.age") == "rapport.md.age"
    anna = parse_line(
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILlmXatruV0CUgyF7IB2q+EMsypKohPDCYu8didol1Di "
        "anna@tallbacka\x1b[31m",
        "a.pub line 1",
    )
    assert anna is not None and anna.label() == "anna@tallbacka"
    assert readers([anna]) == "anna@tallbacka"
    assert readers([anna, anna._replace(comment="")]) == "anna@tallbacka and 1 more key(s)"
