"""Discovery: shipped, then the user's folder, then $COPROD_TEMPLATES; later ids win."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from coprod_tui.core.errors import UserInputError
from coprod_tui.core.template.registry import (
    DEFAULT_TEMPLATE_ID,
    SWEDISH_TEMPLATE_ID,
    TEMPLATES_ENV,
    discover_templates,
    env_template_dirs,
    shipped_templates_dir,
    template_files,
)

SHIPPED = shipped_templates_dir()


def team_template(template_id: str, title: str = "A fictional team template") -> str:
    return (
        f"id: {template_id}\nversion: 1\ntitle: {title}\nlanguage: en\nsource: tests\n"
        "sections:\n  - id: situation\n    title: Situation\n    questions: [Where are you?]\n"
    )


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    return tmp_path / "config" / "templates"


def test_shipped_folder_holds_both_templates_and_the_schema():
    names = {path.name for path in SHIPPED.iterdir()}
    assert {
        "batalden-primary-care.yaml",
        "batalden-primary-care-sv.yaml",
        "template.schema.json",
    } <= names


def test_shipped_only(user_dir):
    registry = discover_templates(user_dir=user_dir, env={})
    assert [t.id for t in registry.all()] == [DEFAULT_TEMPLATE_ID, SWEDISH_TEMPLATE_ID]
    assert registry.problems == []
    assert registry.default().id == DEFAULT_TEMPLATE_ID
    assert registry.get(SWEDISH_TEMPLATE_ID).language == "sv"
    entry = registry.entries[DEFAULT_TEMPLATE_ID]
    assert entry.path == SHIPPED / "batalden-primary-care.yaml"
    assert entry.overrides == ()
    assert registry.get(DEFAULT_TEMPLATE_ID).path == entry.path


def test_unknown_id(user_dir):
    registry = discover_templates(user_dir=user_dir, env={})
    with pytest.raises(UserInputError) as caught:
        registry.get("nope")
    assert str(caught.value) == "no template 'nope' (see 'coprod templates')"
    assert caught.value.exit_code == 2


def test_user_template_is_added_and_can_override_a_shipped_one(user_dir):
    write(user_dir, "team.yaml", team_template("home-visits"))
    override = write(user_dir, "mine.yml", team_template(DEFAULT_TEMPLATE_ID, "Our version"))
    registry = discover_templates(user_dir=user_dir, env={})
    assert [t.id for t in registry.all()] == [
        DEFAULT_TEMPLATE_ID,
        SWEDISH_TEMPLATE_ID,
        "home-visits",
    ]
    assert registry.default().title == "Our version"
    entry = registry.entries[DEFAULT_TEMPLATE_ID]
    assert entry.path == override
    assert entry.overrides == (SHIPPED / "batalden-primary-care.yaml",)


def test_env_folders_come_last_and_in_order(tmp_path, user_dir):
    first, second = tmp_path / "team-a", tmp_path / "team-b"
    user_file = write(user_dir, "x.yaml", team_template("shared", "From the user"))
    a_file = write(first, "x.yaml", team_template("shared", "From team A"))
    b_file = write(second, "x.yaml", team_template("shared", "From team B"))
    env = {TEMPLATES_ENV: os.pathsep.join([str(first), "", str(second)])}
    registry = discover_templates(user_dir=user_dir, env=env)
    assert registry.get("shared").title == "From team B"
    assert registry.entries["shared"].path == b_file
    assert registry.entries["shared"].overrides == (user_file, a_file)
    assert registry.problems == []


def test_broken_user_template_is_recorded_and_skipped(tmp_path, user_dir):
    broken = write(
        user_dir, "broken.yaml", team_template("broken").replace("version: 1", "version: x")
    )
    write(user_dir, "fine.yaml", team_template("fine"))
    bad_override = write(
        tmp_path / "team", "default.yaml", team_template(DEFAULT_TEMPLATE_ID) + "  - oops\n"
    )
    registry = discover_templates(user_dir=user_dir, env={TEMPLATES_ENV: str(tmp_path / "team")})
    assert [t.id for t in registry.all()] == [DEFAULT_TEMPLATE_ID, SWEDISH_TEMPLATE_ID, "fine"]
    # The broken override does not replace the working shipped template.
    assert registry.entries[DEFAULT_TEMPLATE_ID].path == SHIPPED / "batalden-primary-care.yaml"
    paths = {problem.path for problem in registry.problems}
    assert paths == {str(broken), str(bad_override)}
    assert any(str(p).startswith(f"{broken}:2:10: 'version'") for p in registry.problems)


def test_binary_and_hostile_files_in_a_team_folder_are_skipped(tmp_path, user_dir):
    team = tmp_path / "team"
    sentinel = tmp_path / "pwned"
    write(team, "evil.yaml", f"id: !!python/object/apply:os.system ['touch {sentinel}']\n")
    (team / "blob.yaml").write_bytes(b"\x00\x01\x02")
    write(team, "ok.yaml", team_template("ok"))
    registry = discover_templates(user_dir=user_dir, env={TEMPLATES_ENV: str(team)})
    assert "ok" in registry.entries
    assert not sentinel.exists()
    assert {Path(p.path).name for p in registry.problems} == {"evil.yaml", "blob.yaml"}


def test_missing_env_folder_is_a_problem_not_an_error(tmp_path, user_dir):
    registry = discover_templates(user_dir=user_dir, env={TEMPLATES_ENV: str(tmp_path / "gone")})
    assert len(registry.all()) == 2
    (problem,) = registry.problems
    assert problem.path == str(tmp_path / "gone")
    assert TEMPLATES_ENV in problem.message


def test_only_yaml_files_directly_inside_are_read(user_dir):
    write(user_dir, "notes.txt", "not a template")
    write(user_dir, ".hidden.yaml", "broken: [")
    write(user_dir / "sub", "deeper.yaml", team_template("deeper"))
    write(user_dir, "b.YAML", team_template("upper"))
    write(user_dir, "a.yaml", team_template("plain"))
    assert [p.name for p in template_files(user_dir)] == ["a.yaml", "b.YAML"]
    registry = discover_templates(user_dir=user_dir, env={})
    assert set(registry.entries) == {DEFAULT_TEMPLATE_ID, SWEDISH_TEMPLATE_ID, "plain", "upper"}
    assert registry.problems == []


def test_same_id_twice_in_one_folder_later_name_wins(user_dir):
    write(user_dir, "a.yaml", team_template("twin", "First"))
    write(user_dir, "b.yaml", team_template("twin", "Second"))
    registry = discover_templates(user_dir=user_dir, env={})
    assert registry.get("twin").title == "Second"
    assert registry.entries["twin"].overrides == (user_dir / "a.yaml",)


def test_env_template_dirs_parsing(tmp_path):
    value = os.pathsep.join(["~/shared", "", "  ", str(tmp_path)])
    assert env_template_dirs({TEMPLATES_ENV: value}) == [
        Path("~/shared").expanduser(),
        tmp_path,
    ]
    assert env_template_dirs({}) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG is the Linux convention")
def test_default_user_folder_follows_xdg_config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    write(tmp_path / "coprod" / "templates", "x.yaml", team_template("from-xdg"))
    registry = discover_templates(env={})
    assert registry.entries["from-xdg"].path == tmp_path / "coprod" / "templates" / "x.yaml"


def test_env_defaults_to_the_process_environment(tmp_path, user_dir, monkeypatch):
    write(tmp_path / "team", "x.yaml", team_template("from-env"))
    monkeypatch.setenv(TEMPLATES_ENV, str(tmp_path / "team"))
    assert "from-env" in discover_templates(user_dir=user_dir).entries
