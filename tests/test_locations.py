"""Every platform path in one place: precedence, the platform folders, private creation."""

from __future__ import annotations

import argparse
import stat

from coprod_tui.core import locations


def test_store_path_prefers_flag_then_environment_then_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("COPROD_STORE", str(tmp_path / "env"))
    assert locations.store_path(argparse.Namespace(store=tmp_path / "flag")) == tmp_path / "flag"
    assert locations.store_path(argparse.Namespace(store=None)) == tmp_path / "env"
    monkeypatch.setenv("COPROD_STORE", "")
    assert locations.store_path(argparse.Namespace()) == tmp_path / "data" / "coprod" / "store"


def test_config_cache_and_template_folders_follow_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("COPROD_CACHE", raising=False)  # the suite points it at a shared cache
    assert locations.config_file() == tmp_path / "cfg" / "coprod" / "config.yaml"
    assert locations.user_templates_dir() == tmp_path / "cfg" / "coprod" / "templates"
    assert locations.cache_dir() == tmp_path / "cache" / "coprod"
    assert (locations.shipped_templates_dir() / "batalden-primary-care.yaml").is_file()
    assert not (tmp_path / "cfg").exists()  # asking never creates


def test_folders_it_creates_are_private(tmp_path):
    made = locations.ensure_private_folder(tmp_path / "a" / "b")
    demo = locations.make_demo_folder()
    try:
        for folder in (tmp_path / "a", made, demo):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert demo.name.startswith(locations.DEMO_PREFIX)
    finally:
        demo.rmdir()


def test_only_locations_asks_the_platform_for_folders():
    """Every platform path is decided in core/locations.py: nobody else imports platformdirs."""
    from test_imports import GRAPH

    askers = {name for name, targets in GRAPH.items() if "platformdirs" in targets}
    assert askers == {"coprod_tui.core.locations"}
