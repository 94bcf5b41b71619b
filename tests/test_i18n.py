"""Messages in the user's language: which language, and the words it gives (core only)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coprod_tui.core import i18n, timefmt
from coprod_tui.core.config import Config, load_config, preferred_template_id, save_config
from coprod_tui.core.i18n import (
    N_,
    _,
    current_language,
    decide_language,
    language_setting,
    ngettext,
    set_language,
    start_language,
    translator,
)

EN_TEMPLATE = "batalden-primary-care"
SV_TEMPLATE = "batalden-primary-care-sv"


# -- which language --------------------------------------------------------------------


def test_the_settings_beat_the_locale():
    assert decide_language("sv", {"LANG": "en_GB.UTF-8"}) == "sv"
    assert decide_language("en", {"LANG": "sv_SE.UTF-8", "LC_ALL": "sv_SE.UTF-8"}) == "en"


def test_without_a_setting_the_locale_decides_lc_all_before_lang():
    assert decide_language(None, {"LANG": "en_US.UTF-8", "LC_ALL": "sv_SE.UTF-8"}) == "sv"
    assert decide_language(None, {"LANG": "sv_SE.UTF-8", "LC_MESSAGES": "en_US"}) == "en"
    assert decide_language(None, {"LANG": "sv_SE.UTF-8"}) == "sv"


@pytest.mark.parametrize("value", ["C", "POSIX", "C.UTF-8"])
def test_the_c_locale_means_english(value):
    assert decide_language(None, {"LANG": value}) == "en"
    assert decide_language(None, {"LC_ALL": value, "LANG": "sv_SE.UTF-8"}) == "en"


def test_coprod_lang_beats_the_settings_for_one_run():
    assert decide_language("sv", {"COPROD_LANG": "en"}) == "en"


def test_a_language_without_a_catalogue_is_english():
    assert set_language("fi_FI.UTF-8") == "en"
    assert set_language(None) == "en"
    assert set_language("sv_SE.UTF-8") == "sv"
    assert current_language() == "sv"


# -- the words ------------------------------------------------------------------------


def test_english_is_the_identity_and_opens_no_catalogue():
    set_language("en")
    assert _("Save now") == "Save now"
    assert ngettext("{n} word", "{n} words", 1) == "{n} word"
    assert ngettext("{n} word", "{n} words", 2) == "{n} words"
    assert i18n._catalogue is None


def test_swedish_words(swedish):
    assert swedish == "sv"
    assert _("Save now") == "Spara nu"
    assert _("Saved {time}").format(time="14:03:12") == "Sparat 14:03:12"
    assert _("Cancel") == "Avbryt"
    assert _("Guiding questions") == "Vägledande frågor"
    assert _("Case details") == "Uppgifter om fallet"
    assert ngettext("{n} open plan", "{n} open plans", 1).format(n=1) == "1 öppen plan"
    assert ngettext("{n} open plan", "{n} open plans", 3).format(n=3) == "3 öppna planer"
    assert _("no such message, never translated") == "no such message, never translated"


def test_a_marked_string_is_translated_when_shown(swedish):
    label = N_("Save now")  # made at import time, in English
    assert label == "Save now"
    assert _(label) == "Spara nu"


def test_a_translator_for_another_language_leaves_the_current_one_alone():
    set_language("en")
    assert translator("sv")("## Sections") == "## Avsnitt"
    assert translator("en")("## Sections") == "## Sections"
    assert translator("xx")("## Sections") == "## Sections"
    assert _("## Sections") == "## Sections"


def test_a_damaged_catalogue_means_english(monkeypatch, tmp_path):
    broken = tmp_path / "sv" / "LC_MESSAGES"
    broken.mkdir(parents=True)
    (broken / "coprod.mo").write_bytes(b"not a catalogue")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    assert set_language("sv") == "sv"
    assert _("Save now") == "Save now"


# -- the settings file ------------------------------------------------------------------


def test_the_settings_file_carries_the_language(tmp_path):
    path = tmp_path / "config.yaml"
    save_config(Config(language="sv", path=path))
    assert load_config(path).language == "sv"
    assert "language: sv" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ["42", "'!!'", "[sv]"])
def test_a_language_that_is_no_language_code_is_one_line_and_ignored(tmp_path, value):
    path = tmp_path / "config.yaml"
    path.write_text(f"language: {value}\n", encoding="utf-8")
    config = load_config(path)
    assert config.language is None
    assert config.problem is not None and "'language' must be a language code" in config.problem


def test_a_locale_name_in_the_settings_is_read_as_its_language(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("language: sv_SE.UTF-8\n", encoding="utf-8")
    assert load_config(path).language == "sv"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("theme: nord\nlanguage: sv\n", "sv"),
        ("language:   en  \n", "en"),
        ('language: "sv"  # svenska\n', "sv"),  # not the simple form: read as YAML
        ("theme: nord\n", None),
        ("keymap:\n  editor.save: ctrl+w\n", None),
    ],
)
def test_the_front_door_reads_the_setting(tmp_path, text, expected):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    assert language_setting(path) == expected


def test_start_language_follows_the_settings_file(monkeypatch, tmp_path):
    config = tmp_path / "coprod" / "config.yaml"
    config.parent.mkdir()
    config.write_text("language: sv\n", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert start_language() == "sv"
    config.write_text("theme: nord\n", encoding="utf-8")
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")
    assert start_language() == "sv"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert start_language() == "en"


def test_the_swedish_setting_also_picks_the_swedish_template():
    available = {EN_TEMPLATE, SV_TEMPLATE}
    english_locale = {"LANG": "en_GB.UTF-8"}
    ids = {"english_id": EN_TEMPLATE, "swedish_id": SV_TEMPLATE, "environ": english_locale}
    assert preferred_template_id(Config(language="sv"), available, **ids) == SV_TEMPLATE
    assert preferred_template_id(Config(), available, **ids) == EN_TEMPLATE
    swedish_locale = {**ids, "environ": {"LANG": "sv_SE.UTF-8"}}
    assert preferred_template_id(Config(language="en"), available, **swedish_locale) == EN_TEMPLATE


# -- dates and times ------------------------------------------------------------------

NOW = datetime(2026, 12, 3, 14, 5, 0, tzinfo=UTC)


def _stamp(delta: timedelta) -> str:
    return timefmt.to_stamp(NOW - delta)


@pytest.mark.parametrize(
    ("delta", "english", "swedish"),
    [
        (timedelta(seconds=20), "just now", "nyss"),
        (timedelta(minutes=2), "2 min ago", "2 min sedan"),
        (timedelta(hours=3), "3 h ago", "3 tim sedan"),
        (timedelta(days=1), "yesterday", "i går"),
        (timedelta(days=4), "4 days ago", "4 dagar sedan"),
        (timedelta(days=30), "3 Nov", "3 nov."),
        (timedelta(days=365), "3 Dec 2025", "3 dec. 2025"),
        (timedelta(days=275), "3 Mar", "3 mars"),
    ],
)
def test_relative_times_in_both_languages(delta, english, swedish):
    set_language("en")
    assert timefmt.relative_time(_stamp(delta), NOW) == english
    set_language("sv")
    assert timefmt.relative_time(_stamp(delta), NOW) == swedish


def test_clock_labels_the_swedish_way():
    yesterday = datetime(2026, 12, 2, 9, 12, 0, tzinfo=UTC)
    older = datetime(2026, 11, 28, 9, 12, 0, tzinfo=UTC)
    set_language("en")
    assert timefmt.clock_label(NOW - timedelta(minutes=2), NOW) == "14:03:00"
    assert timefmt.clock_label(yesterday, NOW) == "2026-12-02 09:12"
    set_language("sv")
    assert timefmt.clock_label(NOW - timedelta(minutes=2), NOW) == "14:03:00"
    assert timefmt.clock_label(yesterday, NOW) == "i går 09:12"
    assert timefmt.clock_label(older, NOW) == "2026-11-28 09:12"
    assert timefmt.short_date(NOW) == "3 dec. 2026"
