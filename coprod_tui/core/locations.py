"""Every platform path coprod uses, in one module.

The config folder (settings and the user's own templates), the data folder
(the default store), the cache folder, the shipped templates and the demo
store's temporary folder are all decided here, so the CLI, the commands and the
workbench agree on them and nobody else imports ``platformdirs``. The answers
follow the platform (``~/.config/coprod``, ``~/.local/share/coprod``,
``~/.cache/coprod`` on Linux; ``XDG_*`` respected) and are computed on every
call, so a test that points ``XDG_CONFIG_HOME`` elsewhere is obeyed.

Asking for a path never creates it; :func:`ensure_private_folder` does, with
every new folder 0700 whatever the umask (case notes are health data). Nothing
heavy is imported at module level: the CLI's front door imports this module.
"""

from __future__ import annotations

import os
import posixpath
import sys
from collections.abc import Mapping
from pathlib import Path

#: The name platformdirs files coprod's folders under.
APP_NAME = "coprod"

#: The environment variable naming the store folder (below ``--store``, above the default).
STORE_ENV = "COPROD_STORE"

CONFIG_FILENAME = "config.yaml"
TEMPLATES_FOLDER = "templates"
STORE_FOLDER = "store"

#: The prefix of the demo store's throwaway folder in the system's temp folder.
DEMO_PREFIX = "coprod-demo-"


#: The environment variable naming the cache folder (tests point it at a temp folder).
CACHE_ENV = "COPROD_CACHE"


def xdg_user_dir(variable: str, home_folder: str, app: str = APP_NAME) -> Path | None:
    """What ``platformdirs`` answers on plain Linux, without importing it; else ``None``.

    Importing platformdirs costs a CLI command about as much as starting
    Python itself (it pulls in ``tempfile``, ``shutil``, ``random``), yet on
    Linux its answer for a user folder is simply ``$XDG_..._HOME/app`` when
    that is an absolute path, else ``$HOME/.config/app`` (or ``.cache``).
    Only that common case is answered here (a test holds it to platformdirs'
    own answer); Android, macOS, Windows, a relative ``HOME`` and anything
    unusual return ``None``, and the caller asks platformdirs.
    """
    if not sys.platform.startswith("linux") or hasattr(sys, "getandroidapilevel"):
        return None
    if os.environ.get("ANDROID_DATA") or os.environ.get("ANDROID_ROOT"):
        return None
    base = os.environ.get(variable, "")
    if posixpath.isabs(base):
        return Path(base, app)
    home = os.environ.get("HOME", "")
    if posixpath.isabs(home):
        return Path(home.rstrip("/") + "/" + home_folder, app)
    return None


def config_dir() -> Path:
    """The user's coprod config folder (settings, own templates); may not exist."""
    fast = xdg_user_dir("XDG_CONFIG_HOME", ".config")
    if fast is not None:
        return fast
    from platformdirs import user_config_path

    return user_config_path(APP_NAME)


def config_file() -> Path:
    """The settings file (``config.yaml`` in :func:`config_dir`)."""
    return config_dir() / CONFIG_FILENAME


def user_templates_dir() -> Path:
    """The user's own template folder (may not exist)."""
    return config_dir() / TEMPLATES_FOLDER


def data_dir() -> Path:
    """The user's coprod data folder (holds the default store); may not exist."""
    fast = xdg_user_dir("XDG_DATA_HOME", ".local/share")
    if fast is not None:
        return fast
    from platformdirs import user_data_path

    return user_data_path(APP_NAME)


def cache_dir() -> Path:
    """The user's coprod cache folder (derived data only: safe to delete); may not exist.

    ``$COPROD_CACHE`` first (tests use it), then the platform's user cache.
    """
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    fast = xdg_user_dir("XDG_CACHE_HOME", ".cache")
    if fast is not None:
        return fast
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME)


def default_store_path() -> Path:
    """Where the store lives when neither ``--store`` nor ``$COPROD_STORE`` says."""
    return data_dir() / STORE_FOLDER


def resolve_store_path(
    flag: Path | str | None = None, environ: Mapping[str, str] | None = None
) -> Path:
    """The store folder: ``flag`` (``--store``), then ``$COPROD_STORE``, then the default.

    An empty ``$COPROD_STORE`` counts as unset, so ``COPROD_STORE= coprod``
    never means "the current folder".
    """
    if flag is not None:
        return Path(flag)
    env = (os.environ if environ is None else environ).get(STORE_ENV)
    if env:
        return Path(env)
    return default_store_path()


def store_path(args: object) -> Path:
    """The store folder for parsed CLI arguments (their ``store`` attribute, if any)."""
    return resolve_store_path(getattr(args, "store", None))


def shipped_templates_dir() -> Path:
    """The folder holding the shipped templates.

    A wheel carries them inside the package (``coprod_tui/_schema``, see the
    force-include in ``pyproject.toml``); a source or editable checkout has
    them in the top-level ``schema/`` folder.
    """
    package = Path(__file__).resolve().parents[1]  # coprod_tui/
    installed = package / "_schema"
    if installed.is_dir():
        return installed
    return package.parent / "schema"


def make_demo_folder() -> Path:
    """A new, private (0700) temporary folder for one demo store; the caller removes it."""
    import tempfile  # only the demo needs it (it is slow to import)

    return Path(tempfile.mkdtemp(prefix=DEMO_PREFIX))


def ensure_private_folder(folder: Path) -> Path:
    """Create ``folder`` and any missing parents, each 0700; returns ``folder``.

    Folders that already exist are left as they are (a shared store's group
    modes are the user's choice).
    """
    from coprod_tui.core.store.storage import make_private_folders

    make_private_folders(folder)
    return folder
