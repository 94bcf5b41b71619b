"""Shared setup of the store tests: a small invented template and the registry the store asks."""

from __future__ import annotations

from pathlib import Path

from coprod_tui.core.store import CaseStore
from coprod_tui.core.template import Section, Template


def make_template(*section_ids: str, version: int = 1, language: str = "en") -> Template:
    """An invented template with these sections (by default only "situation")."""
    return Template(
        id="test-template",
        version=version,
        title="Test",
        language=language,
        source="invented",
        sections=tuple(Section(id=sid, title=sid.title()) for sid in section_ids or ("situation",)),
    )


#: One section: situation.
ONE_SECTION = make_template()
#: Two sections: situation and notes.
TWO_SECTIONS = make_template("situation", "notes")


class Registry:
    """The bit of the template registry the store uses (an unknown id is a ``KeyError``)."""

    def __init__(self, *templates: Template) -> None:
        self.templates = {template.id: template for template in templates}

    def get(self, template_id: str) -> Template:
        return self.templates[template_id]


def open_store(path: Path, template: Template = ONE_SECTION) -> CaseStore:
    """The store in ``path`` (created if need be), knowing only ``template``."""
    return CaseStore.open(path, templates=Registry(template))
