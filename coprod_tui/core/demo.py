"""The demo: one fully worked case, three shorter ones, and what was learned from them.

``coprod --demo`` opens a throwaway store holding the worked case (all nine
sections written out, so a newcomer sees a good case before facing a blank
page) and three shorter cases that share its theme (the first week after a
heart failure discharge), two insights linked to quoted passages in them and
one open plan: the whole cycle, write → compare → distil → act → revisit, in
a minute (:func:`seed_story`). The store is made
and removed here (:func:`demo_store`), not by the UI, so every front end gets
the same demo and the same clean-up. Everyone in it is
invented: Margit, her daughter Annika, Yusuf, Ingrid and Bertil, Leila,
Björkdalen vårdcentral and its staff do not exist. The clinical detail is
kept plausible so the example teaches.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from coprod_tui.core.case import Case, normalise_tags
from coprod_tui.core.errors import CoprodError, OperationalError
from coprod_tui.core.template import Template

if TYPE_CHECKING:
    from coprod_tui.core.insights.model import Insight
    from coprod_tui.core.store import CaseStore
    from coprod_tui.core.template.registry import TemplateRegistry

#: Fixed so screenshots and tests of the demo are reproducible.
DEMO_CASE_ID = "7d3f2c1e-5b8a-4e6f-9c0d-1a2b3c4d5e6f"

DEMO_TITLE = "Margit, 78: breathless at home, and a daughter who keeps the list"

DEMO_TAGS = ["heart failure", "family carer", "medication"]

DEMO_FIELDS = {
    "setting": "Björkdalen vårdcentral (fictional), a primary care centre in a small Swedish town",
    "role": "District nurse, nurse-led heart failure clinic",
    "date": "2024-03-12",
}

#: Section texts keyed by the default template's section ids, in its order.
DEMO_SECTIONS: dict[str, str] = {
    "situation": """\
Björkdalen vårdcentral serves about 9,000 people in a small town and the \
farms around it. I am the district nurse who runs our heart failure clinic two \
days a week, together with one of the GPs.

Margit Holm (fictional), 78, has heart failure with reduced ejection fraction \
(EF about 35 % on her last echo). She was discharged from the county hospital \
eleven days ago after four nights on the medical ward with fluid overload. Her \
daughter Annika, 52, phoned our nurse line on a Monday morning: her mother had \
gained 3 kg since Friday, her ankles were swollen again and she had slept \
sitting up in her armchair.

What prompted my involvement: the triage nurse booked Margit into my clinic \
the same afternoon. Annika drove from work to bring her. I had met Margit once \
before, a year ago, when she still "only had a bit of a heart murmur".""",
    "lived-reality": """\
Margit lives alone in a second-floor flat without a lift since her husband \
Sven died two years ago. When she is well she walks to the shop and the \
library, bakes for the church café on Thursdays and phones her sister in \
Umeå every evening. When she is "sick" her world shrinks to the flat: the \
stairs become impossible, she stops going out, eats less because cooking tires \
her, and skips her evening water tablet because she is afraid of having to get \
up in the night.

Assets: a sharp mind and a lifetime habit of keeping lists; a neighbour, \
Birgitta, who collects her post and would carry shopping if asked; Annika, \
who visits twice a week and manages the medicine boxes; the church community; \
a bathroom scale that Annika bought after the discharge.

Access to these assets depends on Margit asking, and she does not like to \
ask. Annika works full time as a teacher 40 km away and has two teenagers at \
home; the Sunday evening phone call is when most problems surface.

Supports when needs emerge: the municipal home care service (hemtjänst) \
offered help with showering after the discharge, which Margit declined. She \
has a safety alarm she has never used. Our nurse line is open on weekdays; at \
weekends the family has to phone 1177 or go to the emergency department.""",
    "emotions": """\
Margit said she felt "ashamed to be such a bother" and frightened that she \
would "end up back in that corridor". She cried when she spoke about Sven, who \
also had a weak heart. Behind the fear there was anger about having to leave \
the choir.

Annika was tired and worried, and a little angry: "Nobody told us what to do \
if the weight went up. They gave us a folder with twelve papers." She feels \
guilty that she cannot be there every day.

As her condition changed, Margit's feelings moved from denial ("it's just my \
age") to fear after the admission. Annika's moved from relief at the \
discharge to feeling alone with the responsibility.

The professionals: the triage nurse felt stretched (forty calls before lunch). \
I felt frustration that the discharge letter had not reached us before the \
crisis, and some unease that we had not followed up sooner.

Effects on others: Margit's wish not to be a bother made her under-report \
symptoms; Annika's exhaustion made her short with her mother, which made \
Margit report even less.

What helped: sitting down with both of them without a screen between us, \
naming the fear out loud, and agreeing that phoning early is what we want, \
not a nuisance.""",
    "system-navigation": """\
Access: by phone to the vårdcentral's call-back queue (the earliest call-back \
that Monday was 14:20; Annika phoned at 08:05), through 1177, or through the \
emergency department. The digital route (the 1177 app) works for Annika but \
not for Margit, who has no smartphone.

Guides to the journey: the hospital's discharge folder was thorough but not \
usable, and it contradicted the medicine list in the pharmacy's dose \
dispensing system. Nobody had said which of the three lists was the true one. \
There was no single named contact; Margit has "met six doctors this year".

Reliable: the pharmacy's multi-dose packaging arrives on time every two weeks. \
Not reliable: information moving between the hospital (run by the region) and \
home care (run by the municipality). The planned follow-up call within seven \
days of discharge never happened.

Surprises: the diuretic dose had been doubled in hospital but the dose \
packaging still held the old dose; the kidney blood test ordered at \
discharge had never been booked.

The new "language": "EF", "NYHA class", "SIP meeting", "dose dispensing". \
What helped was writing down three words on one card: weight, breath, ankles.

Unknown: who owns the plan between the hospital, us and the municipality. A \
coordinated individual plan (SIP) is the formal answer, but none had been \
started. What helps: one named person and one phone number.

Expectations are formed by earlier contacts: Sven's long waits taught Margit \
that "you only phone when it is really bad", which is exactly the wrong rule \
for heart failure.""",
    "condition": """\
At 78 the heart muscle is stiffer, kidney function lower (Margit's eGFR is \
about 48) and the body's margin against fluid and salt shifts smaller. \
Several medicines together are the rule, and each one has to be weighed \
against falls, low blood pressure and kidney function.

Normal for someone like Margit: breathless on two flights of stairs but not \
at rest, stable weight, no swelling by evening. Abnormal: weight up 2 kg in \
three days, needing more pillows, new swelling, a racing pulse or dizziness \
on standing.

Natural history: heart failure with reduced ejection fraction runs a course \
of stable periods broken by decompensations. Each admission marks a step \
down. Treated with the four main groups of medicine (ACE inhibitor or ARNI, \
beta blocker, MRA and SGLT2 inhibitor), many people gain years of good life. \
Readmission within 30 days is common, and most of it is preventable with \
early action on weight gain.

Before this condition we expected Margit to age like her mother, who lived \
to 91 and was independent almost to the end.

The future: probably years of life with good days and bad days. Whether they \
are good depends a great deal on early warning and on adjusting the diuretic \
in time. Sooner or later there will be a conversation about what matters \
most to her if she gets much worse; she raised it herself, which is a \
strength.""",
    "illness-experience": """\
Studies of older people living with heart failure describe a life of \
"shrinking worlds": fatigue, uncertainty, loss of roles and a struggle to \
recognise early signs that are easy to mistake for ageing. Family carers \
describe being the unpaid coordinators of a fragmented system, and their own \
health often suffers. Recovery after an admission is slow and fragile; the \
weeks after discharge are the riskiest.

Adaptations that have helped others: daily weighing with a simple action \
rule; a flexible diuretic plan agreed in advance; nurse-led follow-up by \
telephone; pacing activity; a written plan in the person's own words; \
letting the carer be a named partner in the care rather than a visitor.

Resources that have helped: heart failure nurse clinics, the patient \
association's group meetings, cardiac rehabilitation adapted for older \
people, and carer support from the municipality. What helps people find them \
is a professional naming them concretely ("the group meets Tuesdays at the \
library, here is the number") rather than a leaflet.

In this situation: Margit responds to concrete rules and to being trusted \
with them. Annika needs to be allowed to step back from being the only \
safety net.""",
    "microsystem": """\
Good care for persons like Margit requires: a named nurse and doctor, a \
follow-up within a week of discharge, one reconciled medicine list, an \
agreed weight rule, a way to reach us without the phone queue, and \
coordination with home care.

Reliability: our follow-up after discharge depends on the discharge letter \
arriving, which it does about half the time within two days. The \
medicine-list reconciliation depends on which nurse sees the patient. Both \
are unreliable elements for exactly the people who need them most.

Measurements that help: days from discharge to first contact; readmissions \
within 30 days among our heart failure patients; the share with a \
reconciled medicine list within a week; and, for Margit herself, her weight \
diary.

Steps we took to lower the burden: a direct number to the heart failure \
nurse for three months; the diuretic adjusted by phone instead of a visit; \
blood tests at the same visit as the nurse appointment; the dose packaging \
changed the same day; a SIP meeting booked with home care, Annika and \
Margit, held in Margit's kitchen.

What families of former patients have contributed: our weight card, with \
its three words, was redesigned two years ago after a widower told us the \
old one "read like a tax form". Annika has offered to look at the discharge \
checklist with us.""",
    "professional-reality": """\
In my daily work I use the medical record, the pharmacy's dose dispensing \
system, the regional referral system, telephone and the national medicines \
list. Four logins, none of which talk to each other. The cardiologist at the \
county hospital answers e-consultations within two days.

Access is not readily available when it matters most: the discharge summary \
arrives late, and I cannot see the home care notes at all.

Sources of joy: the moment Margit laughed and said "so I'm the boss of my \
own scale"; following people over years; a colleague GP who always has five \
minutes for a quick question.

How professional-persons contribute to value-creation here: the triage nurse \
saw the pattern and booked me the same day instead of sending Margit to the \
emergency department; our secretary phones every patient the day after a \
discharge letter arrives (her own idea).

Support we need: protected time for the clinic days (they are the first \
thing cut when the unit is short of doctors), and a shared way to see what \
home care sees.

Tools we need: one medicine list that everyone trusts, and a way for \
patients to send a daily weight without a smartphone. We have neither yet.""",
    "reflections": """\
So what? Margit's readmission risk was not mainly about her heart; it was \
about the gap between three organisations and the unspoken rule that you \
only phone when it is really bad. Now what? Margit weighs herself every \
morning and phones me directly if she gains 2 kg in three days. Annika has \
stepped back to one planned visit a week. Home care visits once a day to \
help with the medicine, which Margit accepted once it was her choice.

What matters most: to Margit, being back in the choir by summer and not \
going back to "that corridor". To Annika, not being the only safety net. To \
us, closing the gap after discharge for everyone, not only for the patients \
whose daughters phone.

This case was helpful for me because it showed how my own system's \
unreliability was doing the work of the illness.

This case reminded me to ask "what does a bad day look like, and what will \
you do then?" at the first visit, not after the first crisis.

This practice: we will test, for one month, a phone call from our clinic \
within three working days of every heart failure discharge, and count what \
we find.""",
}


def demo_case(template: Template, *, now: str = "2024-03-12T15:40:00Z") -> Case:
    """The demo case laid out on ``template``.

    Texts go to the template's sections by id; a template that uses other ids
    (a translation, a local adaptation) gets them by position instead, so the
    demo never loses a section. Fields are filled where the template has them.
    """
    texts = list(DEMO_SECTIONS.values())
    ids = [section.id for section in template.sections]
    if all(section_id in DEMO_SECTIONS for section_id in ids):
        sections = {section_id: DEMO_SECTIONS[section_id] for section_id in ids}
    else:
        sections = dict(zip(ids, texts, strict=False))
    field_ids = {spec.id for spec in template.fields}
    fields = {key: value for key, value in DEMO_FIELDS.items() if key in field_ids}
    return Case(
        id=DEMO_CASE_ID,
        title=DEMO_TITLE,
        template_id=template.id,
        template_version=template.version,
        created=now,
        updated=now,
        tags=normalise_tags(DEMO_TAGS),
        fields=fields,
        sections=sections,
    )


#: The three shorter cases of the story: (id, title, tags, date, {section id: text}).
#: They fill the first section, system navigation and the last one ("So what?
#: Now what?"): enough to compare, and visibly cases still being written.
STORY_CASES: list[tuple[str, str, list[str], str, dict[str, str]]] = [
    (
        "2b9e4f1a-6c3d-4a7e-8f2b-3c4d5e6f7a8b",
        "Yusuf, 84: the weight rule nobody wrote down",
        ["heart failure", "discharge"],
        "2024-03-19",
        {
            "situation": """\
Yusuf Demir (fictional), 84, lives with his wife Ayla in a terraced house on \
the edge of Björkdalen. He came home from the county hospital on a Thursday \
after his second admission for heart failure this winter. On the ward he was \
told to "keep an eye on his weight"; nobody said how much was too much.""",
            "system-navigation": """\
Ayla phoned our nurse line on day nine, when his legs were so swollen that \
his shoes no longer fitted. She said they had waited because "you do not \
phone the health centre over a kilo or two". The discharge letter reached \
us on day six; nobody here had read it yet.""",
            "reflections": """\
So what? The advice was given, but not as a rule anyone could act on. Now \
what? A written weight rule with a number and a phone number, given at the \
first contact after discharge, not left for the ward to explain.""",
        },
    ),
    (
        "3c0f5a2b-7d4e-4b8f-9a3c-4d5e6f7a8b9c",
        "Ingrid and Bertil: two medicine lists after the ward",
        ["heart failure", "medication", "family carer"],
        "2024-03-26",
        {
            "situation": """\
Bertil Lund (fictional), 81, cares for his wife Ingrid, 79, who has heart \
failure and mild dementia. After a week on the medical ward Ingrid came home \
with a new medicine list; the pharmacy's dose packages still followed the \
old one.""",
            "system-navigation": """\
For five days Bertil gave both the new tablets and the old packages, because \
"the hospital said to start these, and nobody said to stop those". Nobody \
owned the week after the discharge: the ward had handed over, and we had \
not yet picked up.""",
            "reflections": """\
So what? The gap between the ward's list and the dose packages is ours to \
close, not Bertil's. Now what? Reconcile the medicine list on the phone in \
the first week, with the carer, before the next dose packages are made.""",
        },
    ),
    (
        "4d1a6b3c-8e5f-4c9a-8b4d-5e6f7a8b9c0d",
        "Leila, 69: a Friday discharge and a weekend at 1177",
        ["heart failure", "discharge"],
        "2024-04-02",
        {
            "situation": """\
Leila Haddad (fictional), 69, was discharged on a Friday afternoon after \
three nights with fluid overload. By Sunday she was breathless again and \
phoned 1177, which sent her to the emergency department for the night.""",
            "system-navigation": """\
She told me on the Monday that she had not wanted to phone earlier because \
"you only phone when it is really bad". The follow-up call the ward had \
promised was planned for the next week; nobody owned the weekend in between.""",
            "reflections": """\
So what? A Friday discharge leaves the first three days to chance. Now \
what? Try a call on the first working day after every heart failure \
discharge, and tell people at the ward that phoning early is what we want.""",
        },
    ),
]

#: The story's insights and plan: fixed ids and dates, so screenshots are reproducible.
STORY_INSIGHT_IDS = (
    "5e2b7c4d-9f6a-4d0b-9c5e-6f7a8b9c0d1e",
    "6f3c8d5e-0a7b-4e1c-8d6f-7a8b9c0d1e2f",
)
_FIRST_WEEK = "After discharge, nobody owns the first week"
_PHONE_LATE = "People wait to phone until it is really bad"


def _story_insights() -> list[tuple[str, str, list[str], list[tuple[str, str, str]], Any]]:
    """(title, text, tags, [(case id, section id, quote)], plan) of the two insights

    (section ids of the default template; the model is imported lazily: this module is
    on the app's start-up path).
    """
    from coprod_tui.core.insights.model import Plan

    ingrid, leila = STORY_CASES[1][0], STORY_CASES[2][0]
    yusuf = STORY_CASES[0][0]
    return [
        (
            _FIRST_WEEK,
            "Across four cases the week after a heart failure discharge belongs to no one: "
            "the ward has handed over, the health centre has not yet picked up, and the "
            "family fills the gap.",
            ["discharge", "continuity"],
            [
                (
                    DEMO_CASE_ID,
                    "system-navigation",
                    "The planned follow-up call within seven days of discharge never happened.",
                ),
                (ingrid, "system-navigation", "Nobody owned the week after the discharge"),
                (leila, "system-navigation", "nobody owned the weekend in between"),
            ],
            Plan(
                plan="Phone every heart failure patient on the first working day after "
                "discharge, for one month; predict that half will have a problem we can fix "
                "by phone.",
                do="The heart failure nurse makes the calls from the discharge list; the "
                "secretary books them.",
                study="Count the calls made within three working days, the problems found, "
                "and readmissions within 30 days, against last spring.",
                act="",
                start="2024-04-08",
                due="2024-05-06",
                status="open",
            ),
        ),
        (
            _PHONE_LATE,
            "People who have waited long for care learn to phone only when it is really bad, "
            "which is the wrong rule for heart failure: give them a rule with a number.",
            ["help-seeking", "self-care"],
            [
                (DEMO_CASE_ID, "system-navigation", "you only phone when it is really bad"),
                (yusuf, "system-navigation", "you do not phone the health centre"),
                (leila, "system-navigation", "you only phone when it is really bad"),
            ],
            None,
        ),
    ]


def _on_template(template: Template, sections: dict[str, str]) -> dict[str, str]:
    """Texts keyed by the default template's ids, moved to ``template``'s ids by position."""
    ids = [section.id for section in template.sections]
    if all(section_id in ids for section_id in sections):
        return dict(sections)
    positions = list(DEMO_SECTIONS)
    placed: dict[str, str] = {}
    for section_id, text in sections.items():
        index = positions.index(section_id)
        if section_id == positions[-1]:
            index = len(ids) - 1  # the last section ("So what? Now what?") stays last
        if 0 <= index < len(ids):
            placed[ids[index]] = text
    return placed


def story_cases(template: Template) -> list[Case]:
    """The three shorter cases of the story, laid out on ``template``."""
    cases = []
    for case_id, title, tags, day, sections in STORY_CASES:
        stamp = f"{day}T16:00:00Z"
        cases.append(
            Case(
                id=case_id,
                title=title,
                template_id=template.id,
                template_version=template.version,
                created=stamp,
                updated=stamp,
                tags=normalise_tags(tags),
                fields={"date": day} if "date" in {f.id for f in template.fields} else {},
                sections=_on_template(template, sections),
            )
        )
    return cases


def story_insights(template: Template, cases: list[Case]) -> list[Insight]:
    """The two insights, linked to quoted passages of ``cases`` (laid out on ``template``).

    A quote that a translated template moved elsewhere is linked without its
    quote (the section still), so the demo never fails to open.
    """
    from coprod_tui.core.insights.anchoring import QuoteNotFound, make_link
    from coprod_tui.core.insights.model import new_insight

    by_id = {case.id: case for case in cases}
    ids = [section.id for section in template.sections]
    positions = list(DEMO_SECTIONS)
    made = []
    for number, (title, text, tags, links, plan) in enumerate(_story_insights()):
        stamp = f"2024-04-0{3 + number}T09:00:00Z"
        built = []
        for case_id, section_id, quote in links:
            case = by_id[case_id]
            if section_id not in ids:
                section_id = ids[min(positions.index(section_id), len(ids) - 1)]
            try:
                built.append(make_link(case, section_id, quote, now=stamp))
            except QuoteNotFound:
                built.append(make_link(case, section_id, now=stamp))
        insight = new_insight(title, text=text, tags=tags, links=built, plan=plan, now=stamp)
        insight.id = STORY_INSIGHT_IDS[number]
        made.append(insight)
    return made


def seed_demo(store: CaseStore, templates: TemplateRegistry) -> str:
    """Put the worked demo case into ``store``; returns its id."""
    try:
        template = templates.default()
    except CoprodError:
        raise OperationalError("the demo needs the shipped template, which is missing") from None
    return store.create(demo_case(template)).id


def seed_story(store: CaseStore, templates: TemplateRegistry) -> str:
    """The whole demo: the worked case, three more, two insights and one open plan.

    Returns the worked case's id. What ``coprod --demo`` opens.
    """
    from coprod_tui.core.insights.store import insights_of

    case_id = seed_demo(store, templates)
    template = templates.default()
    cases = story_cases(template)
    for case in cases:
        store.create(case)
    insights = insights_of(store)
    for insight in story_insights(template, [store.load(case_id), *cases]):
        insights.create(insight)
    return case_id


@contextmanager
def demo_store(templates: TemplateRegistry) -> Iterator[CaseStore]:
    """A throwaway store holding the demo story (:func:`seed_story`), removed afterwards.

    It lives in a private (0700) temporary folder from
    :func:`~coprod_tui.core.locations.make_demo_folder`; removal happens on
    every exit, errors included, so a demo never leaves case files behind.
    """
    from coprod_tui.core.locations import make_demo_folder
    from coprod_tui.core.store import CaseStore

    folder = make_demo_folder()
    try:
        store = CaseStore.open(folder / "store", templates=templates)
        try:
            seed_story(store, templates)
            yield store
        finally:
            store.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
