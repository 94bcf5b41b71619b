"""Finding templates: shipped, then the user's, then a team's shared folders.

Discovery order is the precedence order, lowest first:

1. the templates shipped with coprod (``schema/`` in a checkout, installed
   as ``coprod_tui/_schema`` in a wheel);
2. the user's config folder (``platformdirs``, e.g. ``~/.config/coprod/templates``);
3. the store's own ``templates/`` folder, so everyone working in one shared
   store sees the same sections whatever their own settings (read only when
   the folder is a store: finding templates never creates a store, and links
   inside the store are never followed);
4. each folder in ``$COPROD_TEMPLATES`` (separated like ``PATH``: ``:`` on
   POSIX), so a team on a shared server can point everyone at one folder.

A later file with the same template id wins, and the registry remembers which
file is in force and which it overrides, so ``coprod templates`` can say so. A
broken template in any folder is recorded as a problem and skipped: one team
member's typo must never stop everyone else's workbench from starting.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from coprod_tui.core.errors import UserInputError
from coprod_tui.core.i18n import _
from coprod_tui.core.template.cache import TemplateCache, load_cached
from coprod_tui.core.template.ids import DEFAULT_TEMPLATE_ID
from coprod_tui.core.template.ids import SWEDISH_TEMPLATE_ID as SWEDISH_TEMPLATE_ID
from coprod_tui.core.template.model import Problem, Template, TemplateError

if TYPE_CHECKING:
    from coprod_tui.core.config import Config

#: Environment variable naming extra template folders (``os.pathsep``-separated).
TEMPLATES_ENV = "COPROD_TEMPLATES"
TEMPLATE_SUFFIXES = (".yaml", ".yml")


def shipped_templates_dir() -> Path:
    """The folder holding the shipped templates.

    A wheel carries them inside the package (``coprod_tui/_schema``, see the
    force-include in ``pyproject.toml``); a source or editable checkout has
    them in the top-level ``schema/`` folder.
    """
    from coprod_tui.core import locations

    return locations.shipped_templates_dir()


def user_templates_dir() -> Path:
    """The user's own template folder (may not exist; see ``core/locations``)."""
    from coprod_tui.core import locations

    return locations.user_templates_dir()


#: The folder inside a store that holds the store's own templates.
STORE_TEMPLATES = "templates"


def store_templates_dir(store: Path) -> Path:
    """The folder of a store's own templates (may not exist)."""
    return Path(store) / STORE_TEMPLATES


def env_template_dirs(env: Mapping[str, str] | None = None) -> list[Path]:
    """The folders named in ``$COPROD_TEMPLATES``, in order (empty entries ignored)."""
    value = (os.environ if env is None else env).get(TEMPLATES_ENV, "")
    return [Path(part).expanduser() for part in value.split(os.pathsep) if part.strip()]


class TemplateEntry(NamedTuple):
    """One template id: the file in force and the files it overrides (lowest first)."""

    template: Template
    path: Path
    overrides: tuple[Path, ...] = ()
    #: The templates of the files it overrides (lowest first), for titles of old sections.
    replaced: tuple[Template, ...] = ()


class TemplateRegistry:
    """Every template found, by id, plus the problems of the files that were skipped."""

    def __init__(
        self, *, folders: list[Path] | None = None, store_folder: Path | None = None
    ) -> None:
        self.entries: dict[str, TemplateEntry] = {}
        self.problems: list[Problem] = []
        self.folders: list[Path] = list(folders or [])
        #: The store's own templates folder, when a store's templates were read.
        self.store_folder = store_folder

    def from_store(self, template_id: str) -> bool:
        """Whether the template in force for this id comes from the store's folder."""
        entry = self.entries.get(template_id)
        return (
            entry is not None
            and self.store_folder is not None
            and entry.path.parent == self.store_folder
        )

    def section_title(self, section_id: str, template_id: str | None = None) -> str | None:
        """The title a section id has in the installed templates, or ``None``.

        For orphaned text (a section its template no longer has): the case's
        own template is asked first (``template_id``: the file in force, then
        the files it overrides, newest first), then every other template, by
        id; a section with that id wins over one that lists it in
        ``renamed_from`` (its title is then the new name of that text).
        """
        order = [self.entries[key].template for key in sorted(self.entries) if key != template_id]
        own = self.entries.get(template_id) if template_id is not None else None
        if own is not None:
            order[:0] = [own.template, *reversed(own.replaced)]
        for template in order:
            for section in template.sections:
                if section.id == section_id:
                    return section.title
        for template in order:
            for section in template.sections:
                if section_id in section.renamed_from:
                    return section.title
        return None

    def get(self, template_id: str) -> Template:
        """The template in force for ``template_id``; ``UserInputError`` if unknown."""
        entry = self.entries.get(template_id)
        if entry is None:
            raise UserInputError(
                _("no template '{template_id}' (see 'coprod templates')").format(
                    template_id=template_id
                )
            )
        return entry.template

    def all(self) -> list[Template]:
        """The templates in force, sorted by id."""
        return [self.entries[key].template for key in sorted(self.entries)]

    def default(self) -> Template:
        """The template new cases use unless told otherwise."""
        return self.get(DEFAULT_TEMPLATE_ID)

    def add(self, template: Template, path: Path) -> None:
        """Put ``template`` in force, remembering the file it overrides, if any."""
        previous = self.entries.get(template.id)
        overrides: tuple[Path, ...] = ()
        replaced: tuple[Template, ...] = ()
        if previous is not None:
            overrides = (*previous.overrides, previous.path)
            replaced = (*previous.replaced, previous.template)
        self.entries[template.id] = TemplateEntry(template, path, overrides, replaced)


def discover_templates(
    *,
    user_dir: Path | None = None,
    env: Mapping[str, str] | None = None,
    store_dir: Path | None = None,
    use_cache: bool = True,
) -> TemplateRegistry:
    """Load the shipped, user, store and ``$COPROD_TEMPLATES`` templates (later ids win).

    ``store_dir`` is the store folder whose ``templates/`` to read; it is read
    only if that folder already is a store (nothing is created). ``user_dir``
    and ``env`` exist so tests (and callers with their own configuration) need
    not touch the real home folder or environment. Files whose stamp is
    unchanged come from the parsed-template cache (see :mod:`.cache`) unless
    ``use_cache`` is false; a cache that cannot be read or written costs only time.
    """
    folders = [shipped_templates_dir(), user_dir or user_templates_dir()]
    extra = env_template_dirs(env)
    store_folder = None
    if store_dir is not None and _is_store(Path(store_dir)):
        store_folder = Path(os.path.abspath(store_templates_dir(Path(store_dir))))
    shown = [*folders, *([store_folder] if store_folder else []), *extra]
    registry = TemplateRegistry(folders=shown, store_folder=store_folder)
    cache = TemplateCache() if use_cache else None
    for folder in folders:
        _load_folder(registry, folder, must_exist=False, cache=cache)
    if store_folder is not None:
        _load_store_folder(registry, store_folder, cache)
    for folder in extra:
        _load_folder(registry, folder, must_exist=True, cache=cache)
    if cache is not None:
        cache.save()
    return registry


def _is_store(folder: Path) -> bool:
    """Whether ``folder`` is a store (imported here: discovery alone never loads the store)."""
    from coprod_tui.core.store.folder import store_marker_present

    return store_marker_present(folder)


def default_template_id(
    registry: TemplateRegistry,
    config: Config | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The template a new case starts with, the same for ``coprod new`` and the workbench.

    The settings' ``default_template`` when it is installed; else the Swedish
    template under a Swedish locale; else the English one; else the first
    installed template. ``UserInputError`` when no template is installed.
    """
    from coprod_tui.core.config import load_config, preferred_template_id

    available = sorted(registry.entries)
    if not available:
        raise UserInputError(_("no templates are installed (see 'coprod templates')"))
    chosen = preferred_template_id(
        load_config() if config is None else config,
        available,
        english_id=DEFAULT_TEMPLATE_ID,
        swedish_id=SWEDISH_TEMPLATE_ID,
        environ=environ,
    )
    return chosen if chosen in registry.entries else available[0]


def template_files(folder: Path) -> list[Path]:
    """The template files directly in ``folder``, sorted by name (hidden files skipped)."""
    try:
        children = list(folder.iterdir())
    except OSError:
        return []
    return sorted(
        child
        for child in children
        if child.suffix.lower() in TEMPLATE_SUFFIXES and not child.name.startswith(".")
    )


def _load_folder(
    registry: TemplateRegistry, folder: Path, *, must_exist: bool, cache: TemplateCache | None
) -> None:
    if not folder.is_dir():
        if must_exist:
            message = _(
                "{TEMPLATES_ENV} names a folder that does not exist or is not a folder"
            ).format(TEMPLATES_ENV=TEMPLATES_ENV)
            registry.problems.append(Problem(str(folder), 1, 1, message))
        return
    for path in template_files(folder):
        _load_file(registry, path, cache)


def _load_store_folder(
    registry: TemplateRegistry, folder: Path, cache: TemplateCache | None
) -> None:
    """The store's templates: like any folder, but no link inside the store is followed."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return
    except OSError as error:
        registry.problems.append(
            Problem(str(folder), 1, 1, _("cannot read: {reason}").format(reason=error.strerror))
        )
        return
    if not stat.S_ISDIR(info.st_mode):
        message = _("is not a plain folder (a symbolic link?); not read — run 'coprod doctor'")
        registry.problems.append(Problem(str(folder), 1, 1, message))
        return
    for path in template_files(folder):
        try:
            plain = stat.S_ISREG(os.lstat(path).st_mode)
        except FileNotFoundError:
            continue  # removed meanwhile
        if not plain:
            message = _("is not a plain file (a symbolic link?); not read — run 'coprod doctor'")
            registry.problems.append(Problem(str(path), 1, 1, message))
            continue
        _load_file(registry, path, cache)


def _load_file(registry: TemplateRegistry, path: Path, cache: TemplateCache | None) -> None:
    try:
        template = load_cached(path, cache)
    except TemplateError as error:
        registry.problems.extend(error.problems)
        return
    registry.add(template, path)


def problems_text(problems: Iterable[Problem]) -> str:
    """Problems one per line, for printing."""
    return "\n".join(str(problem) for problem in problems)
