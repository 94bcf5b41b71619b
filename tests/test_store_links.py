"""Nothing inside a store is followed through a symbolic link (issue 7, point 6).

The attack: a case file (or the catalog, a lock, a folder) is replaced by a
link to a file outside the store. coprod must never show, export, copy in,
write through, chmod or chown what the link points to; it says so in one line
and ``doctor`` lists the link.
"""

from __future__ import annotations

import grp
import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from cli_helpers import coprod, isolate, one_line

from coprod_tui.core.store import storage
from coprod_tui.core.store.storage import LinkedFileError, chmod_nofollow, read_bytes, read_json

SECRET = "Outside text of a fictional neighbour, Bertil Påhittad"


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)


@pytest.fixture
def cli(capsys, monkeypatch, tmp_path):
    store = tmp_path / "store"

    def run(*args: str, stdin: bytes = b"") -> tuple[int, str, str]:
        return coprod(capsys, monkeypatch, "--store", str(store), *args, stdin=stdin)

    run.store = store  # type: ignore[attr-defined]
    return run


def linked_case(cli, tmp_path: Path) -> tuple[str, Path, Path]:
    """A case whose file was swapped for a link to a valid case file outside the store."""
    code, out, err = cli("new", "Fictional visit")
    assert code == 0, err
    case_id = out.strip()
    cli("write", case_id, "1", stdin=b"Kept inside the store.")
    cli("write", case_id, "1", "--append", stdin=b"A second line.")  # revision 2 is kept
    case_path = cli.store / "cases" / f"{case_id}.json"
    data = json.loads(case_path.read_text())
    data["case"]["1"]["title"] = "Planted title"
    data["case"]["1"]["sections"]["situation"] = SECRET
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps(data))
    os.chmod(outside, 0o600)
    case_path.unlink()
    case_path.symlink_to(outside)
    return case_id, case_path, outside


def test_a_linked_case_file_is_never_shown_exported_or_copied_in(cli, tmp_path):
    case_id, case_path, outside = linked_case(cli, tmp_path)
    before = outside.read_bytes()
    for args in (
        ("show", case_id),
        ("show", case_id[:8], "--json"),
        ("export", case_id),
        ("write", case_id, "1", "--append"),
        ("write", case_id, "1"),
    ):
        code, out, err = cli(*args, stdin=b"more")
        assert code == 1, (args, out, err)
        line = one_line(err)
        assert "symbolic link" in line and "coprod doctor" in line, (args, line)
        assert SECRET not in out + err and "Planted" not in out + err, args
    assert outside.read_bytes() == before  # never written through
    assert stat.S_IMODE(outside.stat().st_mode) == 0o600
    assert case_path.is_symlink()  # and the link left as it is for doctor

    code, out, err = cli("list")
    assert code == 0 and f"{case_id[:8]}" in out and "DAMAGED" in out
    assert "Planted" not in out
    code, out, err = cli("export", "--all", "-o", str(tmp_path / "all.json"))
    assert code == 1 and "skipped damaged" in one_line(err)
    assert SECRET not in (tmp_path / "all.json").read_text()
    code, out, err = cli("history", case_id)
    assert code == 0 and "DAMAGED" in out and SECRET not in out

    # restore is the manual repair: the link itself is kept aside, never followed.
    code, out, err = cli("restore", case_id, "1")
    assert code == 0, err
    assert not case_path.is_symlink() and outside.read_bytes() == before
    assert [p for p in (cli.store / "damaged").iterdir() if p.is_symlink()]


def test_doctor_lists_every_link_and_repair_sets_them_aside(cli, tmp_path):
    case_id, case_path, outside = linked_case(cli, tmp_path)
    before = outside.read_bytes()
    victim = tmp_path / "victim.txt"
    victim.write_text("not coprod's")
    (cli.store / "catalog.json").unlink(missing_ok=True)
    (cli.store / "catalog.json").symlink_to(victim)
    (cli.store / "locks" / "stray.lock").symlink_to(victim)

    code, out, err = cli("doctor")
    assert code == 1
    problems = [line for line in out.splitlines() if line.startswith("problem:")]
    assert any(str(case_path) in line and "symbolic link" in line for line in problems)
    assert any("catalog.json" in line and "symbolic link" in line for line in problems)
    assert any("stray.lock" in line and "symbolic link" in line for line in problems)
    assert victim.read_text() == "not coprod's" and outside.read_bytes() == before

    code, out, err = cli("doctor", "--repair")
    assert "fixed:" in out
    assert not case_path.is_symlink()  # the newest good version is back
    code, out, _ = cli("show", case_id)
    assert code == 0 and "Kept inside the store." in out and SECRET not in out
    links = sorted(p.name for p in (cli.store / "damaged").iterdir() if p.is_symlink())
    assert len(links) == 2 and links[1].startswith("locks_stray.lock")  # kept as links
    # The catalog is a cache: the first doctor replaced its link by a fresh file.
    assert not (cli.store / "catalog.json").is_symlink()
    assert victim.read_text() == "not coprod's" and outside.read_bytes() == before
    code, out, err = cli("doctor")
    assert code == 0, out + err


def test_share_with_group_never_changes_anything_through_a_link(cli, tmp_path):
    code, out, err = cli("new", "Fictional visit")
    case_id = out.strip()
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file")
    os.chmod(victim, 0o600)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (elsewhere / "inside.json").write_text("{}")
    os.chmod(elsewhere / "inside.json", 0o600)
    (cli.store / "cases" / "planted.json").symlink_to(victim)
    (cli.store / "history" / case_id).symlink_to(elsewhere, target_is_directory=True)
    others = [g for g in grp.getgrall() if g.gr_gid != os.stat(victim).st_gid]
    group = others[0].gr_name if others and os.geteuid() == 0 else ""
    before = {p: os.stat(p) for p in (victim, elsewhere, elsewhere / "inside.json")}

    code, out, err = cli("doctor", "--share-with-group", *([group] if group else []))
    assert "left alone" in out and "planted.json" in out
    for path, info in before.items():
        now = os.stat(path)
        assert (now.st_mode, now.st_gid) == (info.st_mode, info.st_gid), path
    assert stat.S_IMODE((cli.store / "cases").stat().st_mode) == 0o2770
    assert "planted.json" in out and "symbolic link" in out
    assert code == 1  # doctor then lists the links as problems


def test_export_output_never_goes_through_a_link(cli, tmp_path):
    code, out, _ = cli("new", "Fictional visit")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "out.json"
    link.symlink_to(victim)
    code, out, err = cli("export", "--all", "-o", str(link))
    assert code == 2
    assert "symbolic link" in one_line(err)
    assert link.is_symlink() and victim.read_text() == "keep me"


def test_a_linked_catalog_is_neither_read_nor_written_through(cli, tmp_path):
    code, out, _ = cli("new", "Fictional visit")
    case_id = out.strip()
    code, _, _ = cli("list")
    catalog = cli.store / "catalog.json"
    planted = json.loads(catalog.read_text())
    planted_text = json.dumps(planted).replace("Fictional visit", "Planted title")
    victim = tmp_path / "planted-catalog.json"
    victim.write_text(planted_text)
    catalog.unlink()
    catalog.symlink_to(victim)
    (cli.store / "catalog.journal").unlink(missing_ok=True)
    (cli.store / "catalog.journal").symlink_to(tmp_path / "planted-journal")
    code, out, err = cli("list")
    assert code == 0, err
    assert case_id[:8] in out and "Fictional visit" in out and "Planted" not in out
    assert victim.read_text() == planted_text  # replaced as a link, never written through
    assert not (tmp_path / "planted-journal").exists()


def test_reading_never_follows_a_link_nor_opens_a_fifo(tmp_path):
    real = tmp_path / "real.json"
    real.write_text('{"a": 1}')
    os.chmod(real, 0o600)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    with pytest.raises(LinkedFileError, match="symbolic link"):
        read_json(link)
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    with pytest.raises(LinkedFileError, match="not a regular file"):
        read_bytes(fifo)  # and does not hang waiting for a writer
    assert read_json(real) == {"a": 1}
    with pytest.raises(LinkedFileError):
        chmod_nofollow(link, 0o644)
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


def test_private_folders_are_made_whatever_the_umask(tmp_path):
    old = os.umask(0)
    try:
        storage.make_private_folders(tmp_path / "a" / "b" / "c")
    finally:
        os.umask(old)
    for path in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
    shutil.rmtree(tmp_path / "a")


def test_a_linked_share_marker_is_refused_and_nothing_changes(cli, tmp_path):
    code, out, _ = cli("new", "Fictional visit")
    victim = tmp_path / "victim.txt"
    victim.write_text("x")
    (cli.store / "shared-with-group").symlink_to(victim)
    mode = stat.S_IMODE(cli.store.stat().st_mode)
    code, out, err = cli("list")
    assert code == 1 and "shared-with-group" in one_line(err) and "nothing was changed" in err
    assert stat.S_IMODE(cli.store.stat().st_mode) == mode and victim.read_text() == "x"
