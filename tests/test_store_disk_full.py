"""A really full disk (and a file-size limit): one clear error, nothing lost, retry works."""

from __future__ import annotations

import errno
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from store_helpers import open_store

from coprod_tui.core.case import new_case
from coprod_tui.core.store import StoreError
from coprod_tui.core.template.registry import discover_templates

ROOT = Path(__file__).resolve().parents[1]
# The CLI part needs a template it can find: the shipped default one.
TEMPLATE = discover_templates().default()


def coprod(store: Path, *args: str, stdin: bytes = b"", **kwargs):
    env = {**os.environ, "COPROD_STORE": str(store), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "coprod_tui", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=60,
        **kwargs,
    )


@pytest.fixture
def tiny_disk(tmp_path):
    """A 256 KB tmpfs (needs root; skipped otherwise)."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if result.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 1024)
    except OSError as error:
        assert error.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


def test_a_full_disk_keeps_the_case_and_the_text(tiny_disk):
    store_dir = tiny_disk / "store"
    store = open_store(store_dir, TEMPLATE)
    case = new_case("Fictional", TEMPLATE)
    case.sections["situation"] = "Saved before the disk filled."
    case = store.create(case)
    store.list_cases()
    filler = fill(tiny_disk)

    edited = case.copy()
    edited.sections["situation"] = "Long unsaved text. " * 2000
    with pytest.raises(StoreError, match="disk is full"):
        store.save(edited, base_revision=case.revision)
    assert store.load(case.id).text("situation") == "Saved before the disk filled."
    assert [s.id for s in store.list_cases()] == [case.id]
    leftovers = [n for _f, _d, names in os.walk(store_dir) for n in names if n.endswith(".tmp")]
    assert leftovers == []

    result = coprod(store_dir, "write", case.id[:8], "1", stdin=b"More words. " * 3000)
    assert result.returncode == 1
    assert b"disk is full" in result.stderr and len(result.stderr.splitlines()) == 1
    assert b"Traceback" not in result.stderr
    shown = coprod(store_dir, "show", case.id, "--json")
    assert json.loads(shown.stdout)["sections"]["situation"] == "Saved before the disk filled."

    filler.unlink()
    retry = store.save(edited, base_revision=case.revision)  # the caller simply retries
    assert not retry.conflicted
    assert store.load(case.id).text("situation") == edited.text("situation")


def test_a_file_size_limit_is_one_clear_error(tmp_path):
    store_dir = tmp_path / "store"
    store = open_store(store_dir, TEMPLATE)
    case = store.create(new_case("Fictional", TEMPLATE))

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    result = coprod(store_dir, "write", case.id, "1", stdin=b"x" * 50_000, preexec_fn=limit)
    assert result.returncode == 1
    assert b"file-size limit" in result.stderr and b"Traceback" not in result.stderr
    assert store.load(case.id).revision == 1
