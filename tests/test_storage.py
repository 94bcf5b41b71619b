"""The atomic, private file layer under the store (and its TinyDB storage)."""

from __future__ import annotations

import errno
import json
import os
import stat

import pytest
from tinydb import TinyDB

from coprod_tui.core.store import storage
from coprod_tui.core.store.storage import (
    DamagedFileError,
    atomic_write_bytes,
    encode_json,
    read_json,
)
from coprod_tui.core.store.tinydb_storage import AtomicJSONStorage


def mode_of(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_atomic_write_creates_private_file_even_under_umask_000(tmp_path):
    old = os.umask(0)
    try:
        atomic_write_bytes(tmp_path / "a.json", b"{}")
    finally:
        os.umask(old)
    assert (tmp_path / "a.json").read_bytes() == b"{}"
    assert mode_of(tmp_path / "a.json") == 0o600


def test_atomic_write_replaces_and_leaves_no_temp_files(tmp_path):
    target = tmp_path / "a.json"
    atomic_write_bytes(target, b"old")
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_a_crash_before_the_rename_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "a.json"
    atomic_write_bytes(target, b"old")

    def crash(*_args, **_kwargs):
        raise OSError(errno.EIO, "simulated crash")

    monkeypatch.setattr(storage.os, "replace", crash)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


@pytest.mark.parametrize("failing", ["write", "fsync"])
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EIO])
def test_disk_full_keeps_the_old_file(tmp_path, monkeypatch, failing, code):
    target = tmp_path / "a.json"
    atomic_write_bytes(target, b"old")

    def fail(*_args, **_kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(storage.os, failing, fail)
    with pytest.raises(OSError) as error:
        atomic_write_bytes(target, b"new" * 1000)
    assert error.value.errno == code
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_short_writes_are_completed(tmp_path, monkeypatch):
    real_write = os.write

    def dribble(fd, data):
        return real_write(fd, bytes(data[:7]))

    monkeypatch.setattr(storage.os, "write", dribble)
    atomic_write_bytes(tmp_path / "a", b"x" * 100)
    monkeypatch.undo()
    assert (tmp_path / "a").read_bytes() == b"x" * 100


def test_temp_files_never_follow_a_planted_symlink(tmp_path, monkeypatch):
    victim = tmp_path / "victim"
    victim.write_text("precious")
    monkeypatch.setattr(storage.os, "urandom", lambda n: b"fixed!"[:n])
    os.symlink(victim, tmp_path / f".a.json.{b'fixed!'.hex()}.tmp")
    with pytest.raises(FileExistsError):
        atomic_write_bytes(tmp_path / "a.json", b"{}")
    assert victim.read_text() == "precious"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'{"case": {', "bad JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 100_000, "nested"),
    ],
)
def test_unparseable_files_raise_damaged(tmp_path, raw, reason):
    target = tmp_path / "a.json"
    target.write_bytes(raw)
    with pytest.raises(DamagedFileError) as error:
        read_json(target)
    assert reason in str(error.value)
    assert target.read_bytes() == raw  # untouched


def test_encode_json_refuses_lone_surrogates():
    with pytest.raises(ValueError, match="cannot be saved"):
        encode_json({"text": "half \ud800 a pair"})


def test_encode_json_round_trips_unicode():
    data = {"t": "Åsa’s “notes” ✓ \x1b[31m"}
    assert json.loads(encode_json(data)) == data


def test_tinydb_storage_never_creates_on_read(tmp_path):
    db_storage = AtomicJSONStorage(tmp_path / "db.json")
    assert db_storage.read() is None
    assert not (tmp_path / "db.json").exists()


def test_tinydb_storage_refuses_a_damaged_database(tmp_path):
    (tmp_path / "db.json").write_text('{"_default": [1, 2]}')
    with pytest.raises(DamagedFileError):
        AtomicJSONStorage(tmp_path / "db.json").read()


def test_tinydb_works_through_the_storage(tmp_path):
    old = os.umask(0)
    try:
        db = TinyDB(tmp_path / "db.json", storage=AtomicJSONStorage)
        db.insert({"name": "Fictional Person"})
        db.insert({"name": "Another One"})
    finally:
        os.umask(old)
    assert mode_of(tmp_path / "db.json") == 0o600
    again = TinyDB(tmp_path / "db.json", storage=AtomicJSONStorage)
    assert sorted(doc["name"] for doc in again.all()) == ["Another One", "Fictional Person"]
    assert [p.name for p in tmp_path.iterdir()] == ["db.json"]


def test_create_only_write_never_replaces_an_existing_file(tmp_path):
    target = tmp_path / "team-template.yaml"
    atomic_write_bytes(target, b"first", overwrite=False)
    assert target.read_bytes() == b"first"
    with pytest.raises(FileExistsError):
        atomic_write_bytes(target, b"second", overwrite=False)
    assert target.read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["team-template.yaml"]
