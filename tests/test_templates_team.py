"""One template for the whole team (issue 7, point 11).

A store's own ``templates/`` folder is found after the user's folder and
before ``COPROD_TEMPLATES``; ``template init --into-store`` writes there; list
progress counts ``renamed_from``; orphans are shown with their old title;
``coprod new`` picks the workbench's default template.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from cli_helpers import coprod, isolate, one_line

from coprod_tui.core.case import apply_template, filled_section_ids, new_case
from coprod_tui.core.config import Config
from coprod_tui.core.store import CaseStore
from coprod_tui.core.template import Section, Template, parse_template
from coprod_tui.core.template.ids import DEFAULT_TEMPLATE_ID, SWEDISH_TEMPLATE_ID
from coprod_tui.core.template.registry import (
    TemplateRegistry,
    default_template_id,
    discover_templates,
    shipped_templates_dir,
    store_templates_dir,
)

ENGLISH = shipped_templates_dir() / "batalden-primary-care.yaml"


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)


@pytest.fixture
def store(tmp_path) -> Path:
    folder = tmp_path / "store"
    CaseStore.open(folder)
    return folder


@pytest.fixture
def cli(capsys, monkeypatch, store):
    def run(*args: str, stdin: bytes = b"") -> tuple[int, str, str]:
        return coprod(capsys, monkeypatch, "--store", str(store), *args, stdin=stdin)

    return run


def team_yaml(template_id: str, title: str, section: str = "situation") -> str:
    return (
        f"id: {template_id}\nversion: 3\ntitle: '{title}'\nlanguage: en\nsource: tests\n"
        f"sections:\n  - id: {section}\n    title: {section.title()}\n"
        "    questions: [Where are you?]\n"
    )


def english_without_situation() -> str:
    """The shipped English template as a team changed it: the 'situation' section dropped."""
    text = ENGLISH.read_text(encoding="utf-8")
    return re.sub(r"\n  - id: situation\n(    .*\n|      .*\n)+", "\n", text, count=1)


def english_with_situation_renamed() -> str:
    """The shipped English template with 'situation' renamed to 'the-situation'."""
    text = ENGLISH.read_text(encoding="utf-8")
    return text.replace(
        "  - id: situation\n", "  - id: the-situation\n    renamed_from: [situation]\n", 1
    )


# --- discovery ------------------------------------------------------------------------


def test_store_templates_come_after_the_users_and_before_the_environments(tmp_path, store):
    user, team, store_folder = tmp_path / "user", tmp_path / "team", store_templates_dir(store)
    for folder in (user, team, store_folder):
        folder.mkdir()
    (user / "a.yaml").write_text(team_yaml("shared-id", "From the user"))
    (store_folder / "a.yaml").write_text(team_yaml("shared-id", "From the store"))
    (store_folder / "only.yaml").write_text(team_yaml("store-only", "Only in the store"))
    registry = discover_templates(user_dir=user, env={}, store_dir=store)
    assert registry.get("shared-id").title == "From the store"
    assert registry.entries["shared-id"].overrides == (user / "a.yaml",)
    assert registry.from_store("store-only") and store_folder in registry.folders

    (team / "a.yaml").write_text(team_yaml("shared-id", "From COPROD_TEMPLATES"))
    registry = discover_templates(
        user_dir=user, env={"COPROD_TEMPLATES": str(team)}, store_dir=store
    )
    assert registry.get("shared-id").title == "From COPROD_TEMPLATES"
    assert registry.entries["shared-id"].overrides == (user / "a.yaml", store_folder / "a.yaml")
    assert not registry.from_store("shared-id")


def test_a_folder_that_is_not_a_store_is_not_read_and_nothing_is_created(tmp_path):
    folder = tmp_path / "not-a-store"
    (folder / "templates").mkdir(parents=True)
    (folder / "templates" / "a.yaml").write_text(team_yaml("stray", "Stray"))
    registry = discover_templates(user_dir=tmp_path / "none", env={}, store_dir=folder)
    assert "stray" not in registry.entries and registry.store_folder is None
    missing = tmp_path / "missing"
    discover_templates(user_dir=tmp_path / "none", env={}, store_dir=missing)
    assert not missing.exists() and sorted(os.listdir(folder)) == ["templates"]


def test_links_in_the_store_templates_folder_are_never_followed(tmp_path, store):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "planted.yaml").write_text(team_yaml("planted", "Planted"))
    folder = store_templates_dir(store)
    folder.symlink_to(outside, target_is_directory=True)
    registry = discover_templates(user_dir=tmp_path / "none", env={}, store_dir=store)
    assert "planted" not in registry.entries
    assert any("symbolic link" in problem.message for problem in registry.problems)

    folder.unlink()
    folder.mkdir()
    (folder / "planted.yaml").symlink_to(outside / "planted.yaml")
    registry = discover_templates(user_dir=tmp_path / "none", env={}, store_dir=store)
    assert "planted" not in registry.entries
    assert [p.path for p in registry.problems] == [str(folder / "planted.yaml")]


def test_coprod_templates_shows_the_store_as_the_source(cli, store, tmp_path):
    folder = store_templates_dir(store)
    folder.mkdir()
    (folder / "ours.yaml").write_text(team_yaml("our-practice", "Our practice"))
    code, out, err = cli("templates")
    assert code == 0, err
    row = next(line for line in out.splitlines() if line.startswith("our-practice"))
    assert str(folder / "ours.yaml") in row
    assert "from the store" in out


def test_templates_on_a_missing_store_create_nothing(capsys, monkeypatch, tmp_path):
    missing = tmp_path / "typo"
    code, out, err = coprod(capsys, monkeypatch, "--store", str(missing), "templates")
    assert code == 0 and DEFAULT_TEMPLATE_ID in out
    assert not missing.exists()


# --- template init --into-store -------------------------------------------------------


def test_init_into_store_gives_everyone_the_copy(cli, store):
    code, out, err = cli("template", "init", "--into-store")
    assert code == 0, err
    copy = store_templates_dir(store) / "batalden-primary-care.yaml"
    assert f"wrote {copy}" in out
    text = copy.read_text(encoding="utf-8")
    assert "do not edit" not in text.lower()
    copy.write_text(text.replace("title: Situation\n", "title: Where we met\n", 1))
    code, out, _ = cli("new", "Fictional visit")
    case_id = out.strip()
    code, out, _ = cli("show", case_id)
    assert "1. Where we met [situation]" in out
    code, out, _ = cli("templates")
    assert str(copy) in out and "from the store" in out

    code, out, err = cli("template", "init", "--into-store")
    assert code == 2 and "already exists" in one_line(err)
    code, out, err = cli(
        "template", "init", "sv.yaml", "--into-store", "--from", SWEDISH_TEMPLATE_ID
    )
    assert code == 0 and (store_templates_dir(store) / "sv.yaml").is_file()


@pytest.mark.parametrize("name", ["sub/x.yaml", "../x.yaml", "x.txt"])
def test_init_into_store_takes_a_plain_yaml_file_name(cli, store, name):
    code, out, err = cli("template", "init", name, "--into-store")
    assert code == 2 and "Traceback" not in err
    one_line(err)
    assert not store_templates_dir(store).exists() or not os.listdir(store_templates_dir(store))


def test_init_without_file_or_store_is_a_usage_error(cli):
    code, out, err = cli("template", "init")
    assert code == 2 and "--into-store" in one_line(err)


# --- progress counts renamed_from -----------------------------------------------------


def test_filled_count_counts_text_under_a_renamed_id():
    template = Template(
        id="t",
        version=2,
        title="T",
        language="en",
        source="invented",
        sections=(
            Section(id="where", title="Where", renamed_from=("situation", "place")),
            Section(id="feelings", title="Feelings"),
            Section(id="plans", title="Plans"),
        ),
    )
    assert template.filled_count(["situation", "feelings", "dropped"]) == 2
    assert template.filled_count(["situation", "place"]) == 1  # one section, counted once
    assert template.filled_count([]) == 0
    case = new_case("Fictional", template)
    case.sections = {"situation": "Old text.", "feelings": "Calm.", "dropped": "Orphan."}
    editor = len(filled_section_ids(apply_template(case, template), template))
    assert template.filled_count(case.sections) == editor == 2


def test_list_progress_agrees_with_the_editor_after_a_rename(cli, store):
    code, out, _ = cli("new", "Fictional visit")
    case_id = out.strip()
    for number in ("1", "2", "3"):
        cli("write", case_id, number, stdin=b"Some invented text.")
    code, out, _ = cli("list")
    assert "3/9" in out
    folder = store_templates_dir(store)
    folder.mkdir()
    (folder / "renamed.yaml").write_text(english_with_situation_renamed())
    code, out, err = cli("list")
    assert code == 0 and "3/9" in out, out + err
    code, out, _ = cli("show", case_id)
    assert "1. Situation [the-situation]\nSome invented text." in out


# --- orphans by their old title -------------------------------------------------------


def test_show_names_orphaned_text_by_its_old_section_title(cli, store):
    code, out, _ = cli("new", "Fictional visit")
    case_id = out.strip()
    cli("write", case_id, "situation", stdin=b"Seen at home, invented.")
    folder = store_templates_dir(store)
    folder.mkdir()
    (folder / "changed.yaml").write_text(english_without_situation())
    code, out, err = cli("show", case_id)
    assert code == 0, err
    assert "Orphaned text from section 'Situation' [situation]" in out
    assert "Seen at home, invented." in out


def test_section_title_prefers_the_cases_own_template():
    def template(template_id: str, title: str, renamed: tuple[str, ...] = ()) -> Template:
        sections = (Section(id="situation", title=title),) if not renamed else ()
        sections += tuple(Section(id="new", title=title, renamed_from=renamed) for _ in renamed[:1])
        return Template(template_id, 1, template_id, "en", "invented", sections)

    registry = TemplateRegistry()
    registry.add(template("a-first", "A's title"), Path("a.yaml"))
    registry.add(template("mine", "My old title"), Path("old.yaml"))
    registry.add(template("mine", "unused", renamed=("other",)), Path("new.yaml"))
    assert registry.section_title("situation", "mine") == "My old title"  # overridden file
    assert registry.section_title("situation", "unknown") == "A's title"
    assert registry.section_title("situation") == "A's title"
    assert registry.section_title("other", "a-first") == "unused"  # via renamed_from
    assert registry.section_title("nowhere", "mine") is None


# --- coprod new picks the workbench's default -----------------------------------------


def registry_with_both() -> TemplateRegistry:
    return discover_templates(user_dir=Path("/nonexistent"), env={})


@pytest.mark.parametrize(
    ("config", "environ", "expected"),
    [
        (Config(), {"LANG": "en_GB.UTF-8"}, DEFAULT_TEMPLATE_ID),
        (Config(), {"LANG": "sv_SE.UTF-8"}, SWEDISH_TEMPLATE_ID),
        (Config(), {"LANG": "sv_SE.UTF-8", "LC_ALL": "C"}, DEFAULT_TEMPLATE_ID),
        (Config(default_template=SWEDISH_TEMPLATE_ID), {}, SWEDISH_TEMPLATE_ID),
        (Config(default_template=DEFAULT_TEMPLATE_ID), {"LANG": "sv_SE"}, DEFAULT_TEMPLATE_ID),
        (Config(default_template="not-installed"), {}, DEFAULT_TEMPLATE_ID),
    ],
)
def test_default_template_id(config, environ, expected):
    assert default_template_id(registry_with_both(), config, environ=environ) == expected


def test_default_template_id_falls_back_to_an_installed_one():
    registry = TemplateRegistry()
    registry.add(parse_template(team_yaml("only-one", "Only")), Path("only.yaml"))
    assert default_template_id(registry, Config(), environ={}) == "only-one"


def test_new_uses_the_same_default_as_the_workbench(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")
    code, out, err = cli("new", "Fiktivt besök")
    code, shown, _ = cli("show", out.strip(), "--json")
    assert json.loads(shown)["template_id"] == SWEDISH_TEMPLATE_ID

    config = tmp_path / "config" / "coprod"
    config.mkdir(parents=True)
    (config / "config.yaml").write_text(f"default_template: {DEFAULT_TEMPLATE_ID}\n")
    code, out, err = cli("new", "Fictional visit")
    code, shown, _ = cli("show", out.strip(), "--json")
    assert json.loads(shown)["template_id"] == DEFAULT_TEMPLATE_ID  # the setting wins
