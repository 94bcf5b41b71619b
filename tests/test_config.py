"""User settings: never fatal, written atomically, Swedish when asked."""

from __future__ import annotations

import os
import stat

import pytest

from coprod_tui.core.config import (
    Config,
    ConfigWriteError,
    load_config,
    locale_is_swedish,
    preferred_template_id,
    save_config,
)

EN = "batalden-primary-care"
SV = "batalden-primary-care-sv"


def test_missing_file_gives_defaults_without_problem(tmp_path):
    config = load_config(tmp_path / "config.yaml")
    assert config == Config(path=tmp_path / "config.yaml")
    assert config.problem is None


def test_round_trip(tmp_path):
    path = tmp_path / "nested" / "config.yaml"
    save_config(Config(theme="nord", default_template=SV, path=path))
    loaded = load_config(path)
    assert (loaded.theme, loaded.default_template, loaded.problem) == ("nord", SV, None)
    assert path.read_text(encoding="utf-8").startswith("# coprod settings")


def test_save_is_atomic_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "config.yaml"
    for theme in ("nord", "dracula", "gruvbox"):
        save_config(Config(theme=theme, path=path))
    assert [p.name for p in tmp_path.iterdir()] == ["config.yaml"]
    assert load_config(path).theme == "gruvbox"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("theme: [unclosed", "not valid YAML"),
        ("- a list\n- not a mapping\n", "key: value"),
        ("theme: 42\n", "'theme' must be a theme name"),
        ("colour: blue\n", "unknown setting 'colour'"),
    ],
)
def test_broken_file_is_one_line_and_defaults(tmp_path, text, fragment):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    assert config.problem is not None
    assert fragment in config.problem
    assert "\n" not in config.problem
    assert config.theme is None


def test_broken_yaml_names_line_and_column(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("theme: nord\ndefault_template: [x\n", encoding="utf-8")
    assert f"{path}:3:1" in (load_config(path).problem or "")


def test_good_settings_survive_a_bad_neighbour(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("theme: nord\nfont: big\n", encoding="utf-8")
    config = load_config(path)
    assert config.theme == "nord"
    assert "unknown setting 'font'" in (config.problem or "")


def test_undecodable_file_is_reported(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_bytes(b"theme: \xff\xfe\n")
    assert "cannot read settings" in (load_config(path).problem or "")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder_raises_one_line_error(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(ConfigWriteError) as caught:
            save_config(Config(theme="nord", path=folder / "config.yaml"))
        assert "\n" not in str(caught.value)
    finally:
        folder.chmod(stat.S_IRWXU)


def test_save_error_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigWriteError, match="cannot save settings"):
        save_config(Config(theme="nord", path=blocker / "config.yaml"))


@pytest.mark.parametrize(
    ("env", "swedish"),
    [
        ({}, False),
        ({"LANG": "sv_SE.UTF-8"}, True),
        ({"LANG": "en_GB.UTF-8"}, False),
        ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "sv_SE.UTF-8"}, True),
        ({"LANG": "sv_SE.UTF-8", "LC_ALL": "C"}, False),
        ({"LC_ALL": "sv_FI.UTF-8"}, True),
        ({"LANG": "", "LC_MESSAGES": "sv"}, True),
    ],
)
def test_locale_is_swedish(env, swedish):
    assert locale_is_swedish(env) is swedish


def test_preferred_template_english_by_default():
    chosen = preferred_template_id(Config(), {EN, SV}, english_id=EN, swedish_id=SV, environ={})
    assert chosen == EN


def test_preferred_template_swedish_locale():
    env = {"LANG": "sv_SE.UTF-8"}
    chosen = preferred_template_id(Config(), {EN, SV}, english_id=EN, swedish_id=SV, environ=env)
    assert chosen == SV


@pytest.mark.parametrize(
    ("config", "env", "expected"),
    [
        (Config(), {"COPROD_LANG": "sv", "LANG": "en_GB.UTF-8"}, SV),  # coprod's own variable
        (Config(language="sv"), {"LANG": "C"}, SV),  # the settings beat the locale
        (Config(language="en"), {"LANG": "sv_SE.UTF-8"}, EN),
        (Config(language="en"), {"COPROD_LANG": "sv"}, SV),  # one run beats the file
        (Config(), {"LANGUAGE": "sv:en", "LANG": "en_US.UTF-8"}, SV),
    ],
)
def test_preferred_template_follows_the_language_the_workbench_speaks(config, env, expected):
    """A user whose screens are Swedish starts a new case on the Swedish template."""
    assert (
        preferred_template_id(config, {EN, SV}, english_id=EN, swedish_id=SV, environ=env)
        == expected
    )


def test_preferred_template_config_wins_over_locale():
    env = {"LANG": "sv_SE.UTF-8"}
    config = Config(default_template=EN)
    assert preferred_template_id(config, {EN, SV}, english_id=EN, swedish_id=SV, environ=env) == EN
    config = Config(default_template=SV)
    assert preferred_template_id(config, {EN, SV}, english_id=EN, swedish_id=SV, environ={}) == SV


def test_preferred_template_ignores_missing_choices():
    config = Config(default_template="gone")
    env = {"LANG": "sv_SE.UTF-8"}
    assert preferred_template_id(config, {EN}, english_id=EN, swedish_id=SV, environ=env) == EN


def test_keymap_is_read_kept_and_written_back(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("theme: nord\nkeymap:\n  editor.save: ctrl+w\n  no.such: x\n", encoding="utf-8")
    config = load_config(path)
    assert config.problem is None
    assert config.keymap == (("editor.save", "ctrl+w"), ("no.such", "x"))
    save_config(config.with_theme("dracula"))
    again = load_config(path)
    # The theme is saved without dropping a line the user wrote, even a bad one.
    assert again.theme == "dracula"
    assert again.keymap == config.keymap


def test_a_keymap_that_is_not_a_mapping_is_one_problem(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("keymap: ctrl+w\n", encoding="utf-8")
    config = load_config(path)
    assert config.keymap == ()
    assert config.problem is not None and "keymap" in config.problem
    assert "\n" not in config.problem
