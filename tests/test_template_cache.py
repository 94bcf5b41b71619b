"""The template package's shape and its parsed-template cache.

Importing the model must not cost YAML; a template whose file has not changed
comes from the cache (so a CLI command needs no YAML at all); and a cache that
is damaged, foreign, stale or unwritable never changes what a user sees.
"""

from __future__ import annotations

import ast
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coprod_tui import __version__
from coprod_tui.core.locations import CACHE_ENV, xdg_user_dir
from coprod_tui.core.template import Template, checker, reader
from coprod_tui.core.template.cache import (
    CACHE_FILE,
    TemplateCache,
    template_cache_path,
)
from coprod_tui.core.template.model import template_from_data, template_to_data
from coprod_tui.core.template.registry import (
    discover_templates,
    shipped_templates_dir,
    user_templates_dir,
)

TEAM = """\
id: team-notes
version: 1
title: A fictional team's notes
language: en
source: Written for these tests
sections:
  - id: situation
    title: Situation
    questions: [Where are you?]
"""


def loaded_after(code: str, names: tuple[str, ...], env: dict[str, str] | None = None) -> list[str]:
    """Which of ``names`` are imported once ``code`` has run in a fresh interpreter."""
    probe = f"{code}\nimport sys\nprint(sorted(n for n in {names!r} if n in sys.modules))\n"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout.strip().splitlines()[-1])


def aged(path: Path, seconds: float = 3600) -> Path:
    """Give a file an old stamp, as any file not edited this very moment has."""
    past = time.time() - seconds
    os.utime(path, (past, past))
    return path


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own (not the session's shared one)."""
    folder = tmp_path / "cache" / "coprod"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def discover(tmp_path: Path, **kwargs):
    return discover_templates(user_dir=tmp_path / "user", env={}, **kwargs)


# --------------------------------------------------------------------------- the package


def test_importing_the_model_or_a_case_loads_no_yaml():
    heavy = ("yaml", "coprod_tui.core.template.reader", "coprod_tui.core.template.checker")
    code = "from coprod_tui.core.template import Template, Section, Perspective, FieldSpec, Problem"
    assert loaded_after(code, heavy) == []
    assert loaded_after("from coprod_tui.core.case import Case", heavy) == []


def test_the_package_still_offers_every_public_name():
    import coprod_tui.core.template as package

    assert package.load_template is checker.load_template
    assert package.parse_template is checker.parse_template
    assert package.validate_template_file is checker.validate_template_file
    assert package.MAX_TEMPLATE_BYTES == reader.MAX_TEMPLATE_BYTES == 1_000_000
    assert "load_template" in dir(package)
    with pytest.raises(AttributeError):
        _ = package.no_such_name


def test_the_model_module_imports_no_yaml_at_all():
    source = (Path(checker.__file__).parent / "model.py").read_text(encoding="utf-8")
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "yaml" not in imported


def test_every_shipped_template_survives_the_cache_round_trip():
    for path in sorted(shipped_templates_dir().glob("*.yaml")):
        template = checker.load_template(path)
        data = json.loads(json.dumps(template_to_data(template)))
        again = template_from_data(data, path=path)
        assert again == template
        assert again.path == path


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.update(version="1"),
        lambda d: d.update(version=True),
        lambda d: d.update(sections=[]),
        lambda d: d["sections"][0].update(questions="not a list"),
        lambda d: d["sections"][0].pop("title"),
        lambda d: d["fields"].append({"id": "x", "label": 3}),
        lambda d: d.update(perspectives={"id": "a"}),
    ],
)
def test_a_damaged_cache_entry_is_refused(damage):
    template = checker.load_template(shipped_templates_dir() / "batalden-primary-care.yaml")
    data = template_to_data(template)
    damage(data)
    with pytest.raises(ValueError):
        template_from_data(data)


# --------------------------------------------------------------------------- the cache


def test_the_cache_is_a_private_file_in_a_private_folder(tmp_path, cache_dir):
    discover(tmp_path)
    path = template_cache_path()
    assert path == cache_dir / CACHE_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    data = json.loads(path.read_text(encoding="utf-8"))  # JSON, never pickle
    assert data["coprod"] == __version__
    assert str(shipped_templates_dir() / "batalden-primary-care.yaml") in data["entries"]


def test_a_second_discovery_needs_no_yaml_and_gives_the_same_templates(tmp_path, cache_dir):
    first = discover(tmp_path)
    code = (
        "from pathlib import Path\n"
        "from coprod_tui.core.template.registry import discover_templates\n"
        f"r = discover_templates(user_dir=Path({str(tmp_path / 'user')!r}), env={{}})\n"
        "print(sorted(r.entries))\n"
    )
    assert loaded_after(code, ("yaml",)) == []
    second = discover(tmp_path)
    assert second.all() == first.all()
    assert [t.path for t in second.all()] == [t.path for t in first.all()]


def test_coprod_show_and_write_load_no_yaml_rich_or_platformdirs(tmp_path):
    """A script's ``show`` and ``write`` import only what they need (the cache is warm)."""
    store = tmp_path / "store"
    env = dict(os.environ)
    create = subprocess.run(
        [sys.executable, "-m", "coprod_tui", "--store", str(store), "new", "Invented case"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert create.returncode == 0, create.stderr
    case_id = create.stdout.strip()
    heavy = ("yaml", "rich", "platformdirs", "textual", "coprod_tui.core.template.checker")
    for argv in (["show", case_id[:8]], ["write", case_id[:8], "1"]):
        code = (
            "import io, sys\n"
            "sys.stdin = io.TextIOWrapper(io.BytesIO(b'Invented text.'), encoding='utf-8')\n"
            "from coprod_tui.cli import main\n"
            f"assert main({['--store', str(store), *argv]!r}) == 0\n"
        )
        assert loaded_after(code, heavy, env) == [], argv


def test_an_edited_template_is_read_again(tmp_path, cache_dir):
    path = tmp_path / "user" / "team.yaml"
    path.parent.mkdir()
    path.write_text(TEAM, encoding="utf-8")
    aged(path)
    assert discover(tmp_path).get("team-notes").title == "A fictional team's notes"
    path.write_text(TEAM.replace("team's notes", "group's notes"), encoding="utf-8")
    aged(path, 3000)
    assert discover(tmp_path).get("team-notes").title == "A fictional group's notes"


def test_a_template_changed_this_moment_is_not_cached(tmp_path, cache_dir):
    """A coarse clock could give the next edit the same stamp: a fresh file is not trusted."""
    path = tmp_path / "user" / "team.yaml"
    path.parent.mkdir()
    path.write_text(TEAM, encoding="utf-8")
    discover(tmp_path)
    entries = json.loads((cache_dir / CACHE_FILE).read_text(encoding="utf-8"))["entries"]
    assert str(path) not in entries
    assert str(shipped_templates_dir() / "batalden-primary-care.yaml") in entries


def test_a_broken_template_is_never_cached_and_always_reported(tmp_path, cache_dir):
    path = tmp_path / "user" / "team.yaml"
    path.parent.mkdir()
    path.write_text(TEAM.replace("title: Situation", "titel: Situation"), encoding="utf-8")
    aged(path)
    for _ in range(2):
        registry = discover(tmp_path)
        assert "team-notes" not in registry.entries
        assert any("did you mean 'title'" in str(p) for p in registry.problems)


@pytest.mark.parametrize(
    "content",
    [
        b"\x80\x04not json at all",
        b"[1, 2, 3]",
        json.dumps({"format": 1, "coprod": "0.0.0-other", "entries": {}}).encode(),
        json.dumps({"format": 99, "coprod": __version__, "entries": {}}).encode(),
        json.dumps({"format": 1, "coprod": __version__, "code": [1, 2], "entries": {}}).encode(),
        b"{" * 100_000,
    ],
    ids=["garbage", "not-a-mapping", "other-version", "other-format", "other-checker", "deep"],
)
def test_a_damaged_or_foreign_cache_is_ignored_and_rewritten(tmp_path, cache_dir, content):
    expected = discover(tmp_path, use_cache=False).all()
    cache_dir.mkdir(parents=True, exist_ok=True)
    (cache_dir / CACHE_FILE).write_bytes(content)
    assert discover(tmp_path).all() == expected
    data = json.loads((cache_dir / CACHE_FILE).read_text(encoding="utf-8"))
    assert data["coprod"] == __version__ and data["entries"]


def test_a_tampered_entry_is_dropped_not_believed(tmp_path, cache_dir):
    expected = discover(tmp_path).all()
    path = cache_dir / CACHE_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data["entries"].values():
        entry["template"]["sections"] = "tampered"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert discover(tmp_path).all() == expected
    rewritten = json.loads(path.read_text(encoding="utf-8"))
    assert all(isinstance(e["template"]["sections"], list) for e in rewritten["entries"].values())


def test_a_cache_that_cannot_be_written_costs_nothing_but_time(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "coprod"))
    registry = discover(tmp_path)
    assert registry.problems == []
    assert isinstance(registry.default(), Template)
    assert blocker.read_text(encoding="utf-8").startswith("a file")


def test_a_cache_file_that_is_a_link_is_not_followed(tmp_path, cache_dir):
    cache_dir.mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("{}", encoding="utf-8")
    (cache_dir / CACHE_FILE).symlink_to(elsewhere)
    assert TemplateCache()._entries == {}
    discover(tmp_path)
    assert elsewhere.read_text(encoding="utf-8") == "{}"


# --------------------------------------------------------------------------- paths


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fast path is Linux-only")
@pytest.mark.parametrize(
    "variables",
    [
        {},
        {"XDG_CONFIG_HOME": "/srv/fictional/config", "XDG_CACHE_HOME": "/srv/fictional/cache"},
        {"XDG_CONFIG_HOME": "relative/config", "XDG_CACHE_HOME": ""},
        {"XDG_CONFIG_HOME": "/trailing/slash/", "XDG_CACHE_HOME": "/trailing/"},
        {"HOME": "/"},
        {"HOME": "/home/ingrid/"},
    ],
)
def test_the_fast_user_folders_are_what_platformdirs_says(monkeypatch, tmp_path, variables):
    from platformdirs import user_cache_path, user_config_path

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert xdg_user_dir("XDG_CONFIG_HOME", ".config") == user_config_path("coprod")
    assert xdg_user_dir("XDG_CACHE_HOME", ".cache") == user_cache_path("coprod")
    assert user_templates_dir() == user_config_path("coprod") / "templates"
    monkeypatch.delenv(CACHE_ENV)
    assert template_cache_path() == user_cache_path("coprod") / CACHE_FILE
