"""A folder that is not a store is left exactly as it was; folders coprod makes are private.

Issue 7, points 7 and 9: ``--store`` at someone's folder is refused before
anything changes; read-only commands on a missing path create nothing; a
marker from a newer coprod, a damaged or linked marker is a clear line; every
folder coprod creates (config, data, store and their parents) is 0700 under
umask 000.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from cli_helpers import coprod, isolate, one_line, tree

from coprod_tui.core.config import Config, save_config
from coprod_tui.core.store import CaseStore, StoreError
from coprod_tui.core.store.folder import STORE_FORMAT, STORE_MARKER

FAKE_ID = "0f0f0f0f-0000-4000-8000-000000000000"


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)


@pytest.fixture
def run(capsys, monkeypatch):
    def run(store: Path, *args: str, stdin: bytes = b"") -> tuple[int, str, str]:
        return coprod(capsys, monkeypatch, "--store", str(store), *args, stdin=stdin)

    return run


READ_ONLY = [
    ("list",),
    ("list", "--json"),
    ("show", FAKE_ID),
    ("export", "--all"),
    ("export", FAKE_ID),
    ("history", FAKE_ID),
    ("restore", FAKE_ID, "1"),
    ("write", FAKE_ID, "1"),
    ("doctor",),
    ("doctor", "--repair"),
    ("template", "init", "--into-store"),
]


@pytest.mark.parametrize("args", READ_ONLY, ids=lambda args: " ".join(args))
def test_commands_that_add_no_case_never_create_a_store(run, tmp_path, args):
    missing = tmp_path / "typo" / "store"
    code, out, err = run(missing, *args)
    assert code == 2
    assert one_line(err) == f"coprod: no store at {missing} (create one with 'coprod new')"
    assert not (tmp_path / "typo").exists()


def test_new_and_import_create_the_store_where_none_is(run, tmp_path):
    first = tmp_path / "a" / "store"
    code, out, err = run(first, "new", "Fictional visit")
    assert code == 0, err
    assert (first / STORE_MARKER).is_file()
    code, export, _ = run(first, "export", "--all")
    second = tmp_path / "b" / "store"
    source = tmp_path / "cases.json"
    source.write_text(export)
    code, out, err = run(second, "import", str(source))
    assert code == 0, err
    code, out, _ = run(second, "list")
    assert code == 0 and "Fictional visit" in out


def someones_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "projects"
    folder.mkdir()
    (folder / "notes.txt").write_text("someone's notes")
    (folder / "cases").mkdir()  # even a name a store uses
    os.chmod(folder, 0o755)
    return folder


@pytest.mark.parametrize("args", [("new", "Fictional visit"), ("list",), ("doctor", "--repair")])
def test_a_folder_of_other_files_is_refused_unchanged(run, tmp_path, args):
    folder = someones_folder(tmp_path)
    before = tree(folder)
    code, out, err = run(folder, *args)
    assert code == 1
    assert "not a coprod store" in one_line(err) and "left unchanged" in err
    assert tree(folder) == before  # mode (0755) and contents exactly as they were


@pytest.mark.parametrize("hidden", [".git", ".DS_Store", ".coprod-store.json"])
def test_a_folder_holding_only_hidden_entries_is_not_taken_over(run, tmp_path, hidden):
    folder = tmp_path / "repo"
    folder.mkdir(mode=0o755)
    if hidden == ".git":
        (folder / ".git").mkdir()
        (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    else:
        (folder / hidden).write_text("x")
    before = tree(folder)
    code, out, err = run(folder, "new", "Fictional visit")
    assert code == 1 and "not a coprod store" in one_line(err)
    assert tree(folder) == before


def test_an_empty_folder_becomes_a_store(run, tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir(mode=0o755)
    code, out, err = run(folder, "new", "Fictional visit")
    assert code == 0, err
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def store_with_marker(tmp_path: Path, marker: bytes | None) -> Path:
    folder = tmp_path / "store"
    with CaseStore.open(folder):
        pass
    if marker is not None:
        (folder / STORE_MARKER).write_bytes(marker)
    return folder


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        (json.dumps({"format": STORE_FORMAT + 1}).encode(), "newer coprod"),
        (b"", "damaged"),
        (b"\xff\xfe not json", "damaged"),
        (b'{"format": "one"}', "damaged"),
        (b"[1, 2]", "damaged"),
        (b'{"format": true}', "damaged"),
    ],
)
def test_a_newer_or_damaged_marker_is_a_clear_line_and_nothing_changes(
    run, tmp_path, marker, expected
):
    folder = store_with_marker(tmp_path, marker)
    os.chmod(folder, 0o750)  # a mode we would otherwise tighten
    before = tree(folder)
    for args in (("list",), ("new", "Fictional visit"), ("doctor", "--repair")):
        code, out, err = run(folder, *args)
        line = one_line(err)
        assert code == 1 and expected in line and "nothing was changed" in line, (args, line)
    assert tree(folder) == before


@pytest.mark.parametrize("kind", ["link", "folder", "dangling link"])
def test_a_marker_that_is_not_a_file_is_refused(run, tmp_path, kind):
    folder = store_with_marker(tmp_path, None)
    marker = folder / STORE_MARKER
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({"format": 1}))
    marker.unlink()
    if kind == "link":
        marker.symlink_to(outside)
    elif kind == "dangling link":
        marker.symlink_to(tmp_path / "nowhere.json")
    else:
        marker.mkdir()
    before = tree(folder)
    code, out, err = run(folder, "new", "Fictional visit")
    line = one_line(err)
    assert code == 1 and "store marker" in line and "nothing was changed" in line
    assert tree(folder) == before
    assert outside.read_text() == json.dumps({"format": 1})


def test_open_without_create_refuses_an_empty_folder_and_leaves_it(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir(mode=0o755)
    with pytest.raises(StoreError, match="no store at"):
        CaseStore.open(folder, create=False)
    assert list(folder.iterdir()) == [] and stat.S_IMODE(folder.stat().st_mode) == 0o755


# --- private by default (point 9) -----------------------------------------------------


def modes(*paths: Path) -> dict[str, str]:
    return {str(path): oct(stat.S_IMODE(path.stat().st_mode)) for path in paths}


def test_every_folder_coprod_creates_is_private_under_umask_000(run, tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    home.mkdir()
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    old = os.umask(0)
    try:
        code, out, err = coprod(capsys, monkeypatch, "new", "Fictional visit")
        assert code == 0, err
        written = save_config(Config(theme="textual-dark"))
        code, out, err = coprod(capsys, monkeypatch, "template", "init", "--into-store")
        assert code == 0, err
    finally:
        os.umask(old)
    assert written == home / ".config" / "coprod" / "config.yaml"
    data = home / ".local" / "share" / "coprod"
    created = [
        home / ".config",
        home / ".config" / "coprod",
        home / ".local",
        home / ".local" / "share",
        data,
        data / "store",
        *[path for path in (data / "store").rglob("*") if path.is_dir()],
    ]
    assert modes(*created) == {str(path): "0o700" for path in created}
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    template_copy = data / "store" / "templates" / "batalden-primary-care.yaml"
    assert stat.S_IMODE(template_copy.stat().st_mode) == 0o600
