"""A small fictional store, in Swedish and English, for the search tests."""

from __future__ import annotations

from pathlib import Path

from coprod_tui.core.case import Case, new_case
from coprod_tui.core.store import CaseStore
from coprod_tui.core.template import Section, Template
from coprod_tui.core.template.model import Perspective

TEMPLATE = Template(
    id="sok-mall",
    version=1,
    title="Sökmall",
    language="sv",
    source="invented",
    perspectives=(
        Perspective(id="patient-person", title="Patienten"),
        Perspective(id="professional-person", title="Yrkesperson"),
    ),
    sections=(
        Section(id="situation", title="Situation"),
        Section(id="patient", title="Patienten", perspective="patient-person"),
        Section(id="team", title="Teamet", perspective="professional-person"),
    ),
)


class Registry:
    """The bit of the template registry the store and the index use."""

    def __init__(self, *templates: Template) -> None:
        self.templates = {template.id: template for template in templates}

    def get(self, template_id: str) -> Template:
        return self.templates[template_id]

    def all(self) -> list[Template]:
        return list(self.templates.values())


def open_store(path: Path) -> CaseStore:
    return CaseStore.open(path, templates=Registry(TEMPLATE))


def add_case(store: CaseStore, title: str, tags: list[str] | None = None, **sections: str) -> Case:
    case = new_case(title, TEMPLATE, tags=tags or [])
    case.sections.update(sections)
    return store.create(case)


def fill(store: CaseStore) -> dict[str, str]:
    """Five invented cases; returns their ids by a short name."""
    ids = {}
    ids["tove"] = add_case(
        store,
        "Återbesök hos Tove Lindqvist",
        ["astma", "Gul remiss"],
        situation="Tove kom till vårdcentralen i Umeå. Hon hade ont i bröstet sedan i fredags.",
        patient="Hon vill kunna gå i trapporna igen. Det är viktigt för henne.",
        team="Läkarremissen skickades för sent; vi ringer henne nästa vecka.",
    ).id
    ids["aron"] = add_case(
        store,
        "Home visit with Aron Berg",
        ["copd"],
        situation="Aron asked for a referral. The remiss was sent on Monday.",
        patient="He walks to the bus stop for an hour every morning.",
    ).id
    ids["maja"] = add_case(
        store,
        "Uppföljning Maja",
        ["astma"],
        situation="Maja har inga besvär i år. Vi tog upp aterbesok utan prickar i anteckningen.",
        team="Remissvar från lungkliniken kom i går.",
    ).id
    ids["ebba"] = add_case(
        store,
        "Telefonsamtal Ebba",
        [],
        situation="Ebba ringde om sin astmamedicin. Ont i magen, inte i bröstet.",
    ).id
    ids["gamla"] = add_case(
        store, "Gammalt ärende", [], situation="Zebrafinken i väntrummet sjöng hela dagen."
    ).id
    return ids
