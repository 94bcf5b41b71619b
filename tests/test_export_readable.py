"""The readable exports (Markdown, HTML, DOCX): read back, options, escaping, no fingerprint."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from html.parser import HTMLParser

import docx
import pytest

from coprod_tui.core.case import new_case
from coprod_tui.core.export import FORMATS, READABLE_FORMATS, render_readable
from coprod_tui.core.export.model import ExportOptions, build_entries, labels
from coprod_tui.core.insights.model import Link, new_insight
from coprod_tui.core.template import Section, Template

TEMPLATE = Template(
    id="fiktiv-mall",
    version=2,
    title="Fiktiv mall",
    language="sv",
    source="invented for tests",
    sections=(
        Section(
            id="situation",
            title="Situationen",
            questions=("Vad hände?", "Vem *var* där – och varför?"),
        ),
        Section(id="lived", title="Levd verklighet", questions=("Hur var vardagen?",)),
        Section(id="now_what", title="Så vad, och nu då?"),
    ),
)
#: What a terminal would act on: colour, clear screen (C1 CSI), a title change (OSC), a bell.
ESCAPES = "\x1b[31mröd\x1b[0m \x9b2J \x1b]0;PWNED\x07 \x07"
WHEN = dt.datetime(2026, 11, 28, 14, 3, 12, tzinfo=dt.UTC)


class Registry:
    """The bits of the template registry an export uses."""

    def get(self, template_id: str) -> Template:
        if template_id != TEMPLATE.id:
            raise KeyError(template_id)
        return TEMPLATE

    def section_title(self, section_id: str, template_id: str | None = None) -> str | None:
        return {"old_reflection": "Gammal reflektion"}.get(section_id)


def make_case(title: str = "Fiktiv: Åsa Lind, 82, hemsjukvård"):
    case = new_case(title, TEMPLATE, tags=["hemsjukvård", "KOL"], fields={"setting": "Hemma"})
    case.sections["situation"] = (
        "Åsa ringde vårdcentralen i Fiktiby.\nHon var andfådd.\n\n"
        "Distriktssköterskan kom samma dag."
    )
    case.orphans["old_reflection"] = "Text från ett borttaget avsnitt."
    return case


def entries_of(*cases, **options):
    opts = ExportOptions(exported=WHEN, **options)
    return build_entries(cases, Registry(), opts), opts


def render(fmt: str, *cases, **options) -> bytes:
    entries, opts = entries_of(*cases, **options)
    return render_readable(fmt, entries, opts)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def text_of(fmt: str, data: bytes) -> str:
    return docx_text(data) if fmt == "docx" else data.decode("utf-8")


class Structure(HTMLParser):
    """Tags, attributes and text of an HTML page, as html.parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.texts: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in ("br", "meta"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        if self.stack:
            self.texts.setdefault(self.stack[-1], []).append(data)

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def parsed(data: bytes) -> Structure:
    page = Structure()
    page.feed(data.decode("utf-8"))
    page.close()
    assert page.stack == [], "every element is closed"
    return page


# --- Markdown --------------------------------------------------------------------------


def test_markdown_has_a_heading_per_section_and_the_fields_as_a_table():
    text = render("md", make_case()).decode()
    lines = text.splitlines()
    assert lines[0] == "# Fiktiv: Åsa Lind, 82, hemsjukvård"
    assert "| Uppgift | Värde |" in lines and "| --- | --- |" in lines
    assert "| Mall | Fiktiv mall |" in lines and "| Taggar | hemsjukvård, KOL |" in lines
    assert "| setting | Hemma |" in lines
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == [
        "## 1. Situationen",
        "## 2. Levd verklighet",
        "## 3. Så vad, och nu då?",
        "## Text kvar från ett avsnitt som inte längre finns i mallen: Gammal reflektion",
    ]
    # Single line breaks stay (two trailing spaces), paragraphs stay paragraphs.
    assert "Åsa ringde vårdcentralen i Fiktiby.  \nHon var andfådd.\n\nDistrikts" in text
    assert text.count("*(tomt)*") == 2
    assert "Vägledande frågor" not in text  # not asked for


def test_markdown_questions_and_no_empty_sections():
    text = render("md", make_case(), questions=True, empty_sections=False).decode()
    assert "*Vägledande frågor*\n\n- Vad hände?\n- Vem \\*var\\* där – och varför?" in text
    assert "Levd verklighet" not in text and "(tomt)" not in text
    assert "## 1. Situationen" in text  # numbers stay the template's


def test_markdown_user_text_cannot_change_the_structure_or_smuggle_html():
    case = make_case("[klicka](http://x.example) **viktigt** <b>|</b> #1")
    case.sections["situation"] = "# inte en rubrik\n---\n<script>alert(1)</script> &amp;"
    case.tags = ["a|b"]
    text = render("md", case).decode()
    assert text.splitlines()[0] == (
        "# \\[klicka\\](http://x.example) \\*\\*viktigt\\*\\* \\<b\\>\\|\\</b\\> \\#1"
    )
    assert "| Taggar | a\\|b |" in text
    assert "\\# inte en rubrik" in text and "\n\\---" in text
    assert "\\<script>alert(1)\\</script> \\&amp;" in text
    assert not re.search(r"^#{1,6} inte", text, re.M)


def test_several_cases_in_one_markdown_file_are_separated_by_a_rule():
    text = render("md", make_case("Första"), make_case("Andra")).decode()
    assert text.index("# Första") < text.index("\n---\n") < text.index("# Andra")


# --- HTML ------------------------------------------------------------------------------


def test_html_is_one_standalone_page_with_a_print_style_sheet():
    data = render("html", make_case(), make_case("Andra fallet"))
    page = parsed(data)
    text = data.decode()
    assert text.startswith("<!DOCTYPE html>")
    [html] = page.named("html")
    assert html["lang"] == "sv"
    assert [attrs.get("charset") for attrs in page.named("meta")][0] == "utf-8"
    assert not page.named("script") and not page.named("link") and not page.named("img")
    assert "src=" not in text and "href=" not in text and "url(" not in text
    assert "@import" not in text and "generator" not in text.lower()
    style = "".join(page.texts["style"])
    assert "@media print" in style and "page-break-before: always" in style
    assert "system-ui" in style and "max-width" in style
    assert len(page.named("article")) == 2
    assert page.texts["h1"] == ["Fiktiv: Åsa Lind, 82, hemsjukvård", "Andra fallet"]
    assert page.texts["title"] == ["2 fall"]
    assert " Situationen" in page.texts["h2"] and page.texts["span"][0] == "1."
    assert page.texts["th"][:2] == ["Mall", "Taggar"]


def test_html_escapes_every_piece_of_user_text():
    hostile = '<script>alert("x")</script> & "quoted" \'single\''
    case = make_case(hostile)
    case.sections["situation"] = hostile + "\nline two"
    case.tags = ['"><img src=x onerror=alert(1)>']
    case.fields["setting"] = "<iframe>"
    data = render("html", case, insights=True)
    page = parsed(data)
    assert not page.named("script") and not page.named("img") and not page.named("iframe")
    assert page.texts["h1"] == [hostile]
    assert hostile in page.texts["p"]
    assert '"><img src=x onerror=alert(1)>' in page.texts["td"]
    assert "<iframe>" in page.texts["td"]


def test_html_questions_and_a_case_in_another_language():
    english = TEMPLATE._replace(id="english", language="en")

    class Both(Registry):
        def get(self, template_id: str) -> Template:
            return english if template_id == "english" else TEMPLATE

    other = new_case("In English", english)
    opts = ExportOptions(questions=True, exported=WHEN)
    data = render_readable("html", build_entries([make_case(), other], Both(), opts), opts)
    page = parsed(data)
    assert [attrs.get("lang") for attrs in page.named("article")] == [None, "en"]
    assert "Vem *var* där – och varför?" in page.texts["li"]
    assert "Guiding questions" in page.texts["p"] and "Vägledande frågor" in page.texts["p"]


# --- DOCX ------------------------------------------------------------------------------


def test_docx_reads_back_with_title_fields_table_and_a_heading_per_section():
    data = render("docx", make_case(), questions=True)
    document = docx.Document(io.BytesIO(data))
    styled = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert styled[0] == ("Title", "Fiktiv: Åsa Lind, 82, hemsjukvård")
    headings = [text for style, text in styled if style == "Heading 1"]
    assert headings[:3] == ["1. Situationen", "2. Levd verklighet", "3. Så vad, och nu då?"]
    assert headings[3].endswith("Gammal reflektion")
    assert ("List Bullet", "Vad hände?") in styled
    assert ("Normal", "Åsa ringde vårdcentralen i Fiktiby.\nHon var andfådd.") in styled
    [table] = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[:4] == [
        ["Mall", "Fiktiv mall"],
        ["Taggar", "hemsjukvård, KOL"],
        ["setting", "Hemma"],
        ["Senast ändrad", rows[3][1]],
    ]


def test_docx_core_properties_name_nobody_and_carry_the_exports_time():
    data = render("docx", make_case())
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.author == "" and props.last_modified_by == "" and props.comments == ""
    assert props.keywords == "" and props.subject == "" and props.category == ""
    assert props.created == props.modified == WHEN
    assert props.revision == 1
    assert props.title == "Fiktiv: Åsa Lind, 82, hemsjukvård"
    assert props.language == "sv-SE"
    chosen = docx.Document(io.BytesIO(render("docx", make_case(), author="Fiktiv Handledare")))
    assert chosen.core_properties.author == "Fiktiv Handledare"
    assert chosen.core_properties.last_modified_by == "Fiktiv Handledare"


def test_docx_package_holds_no_tool_fingerprint():
    package = zipfile.ZipFile(io.BytesIO(render("docx", make_case(), make_case("Två"))))
    names = package.namelist()
    assert not any("thumbnail" in name or name.startswith("customXml") for name in names)
    assert "word/stylesWithEffects.xml" not in names
    for name in names:
        raw = package.read(name)
        assert b"python-docx" not in raw.lower(), name
        assert b"Macintosh" not in raw and b"<Application" not in raw, name
        assert not re.search(rb"w:rsid|w:nsid|w:tmpl |<w:tmpl|w14:docId|\{[0-9A-F-]{36}\}", raw), (
            name
        )
    app = package.read("docProps/app.xml")
    assert b"AppVersion" not in app and b"Template" not in app
    core = package.read("docProps/core.xml").decode()
    assert "2013" not in core and "2026-11-28T14:03:12Z" in core


# --- every format ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(READABLE_FORMATS))
def test_escape_sequences_in_case_text_never_reach_any_format(fmt):
    case = make_case(f"Titel {ESCAPES}")
    case.sections["situation"] = f"Text {ESCAPES}\nrad två"
    case.tags = [f"tag{ESCAPES}"]
    case.fields["setting"] = f"Hemma{ESCAPES}"
    case.orphans["old_reflection"] = f"Kvar {ESCAPES}"
    data = render(fmt, case)
    if fmt == "docx":
        package = zipfile.ZipFile(io.BytesIO(data))
        raw = package.read("word/document.xml").decode()
        assert "\x1b" not in raw and "\x07" not in raw and "\x9b" not in raw
    text = text_of(fmt, data)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)
    assert "PWNED" not in text
    assert "röd" in text and "Titel" in text and "rad två" in text


@pytest.mark.parametrize("fmt", sorted(READABLE_FORMATS))
def test_redact_is_applied_to_every_piece_of_user_text(fmt):
    secret = "SECRET"
    case = make_case(f"Fall {secret}")
    case.sections["situation"] = f"Hon heter {secret}."
    case.tags = [f"tag-{secret}"]
    case.fields["setting"] = f"hos {secret}"
    case.orphans["old_reflection"] = f"gammalt {secret}"
    insight = new_insight(
        f"Insikt {secret}",
        text=f"Lärdom om {secret}",
        links=[Link(case.id, "situation", quote=f"Hon heter {secret}.")],
    )
    entries, opts = entries_of(
        case, redact=lambda text: text.replace(secret, "[namn]"), insights=True
    )
    entries = build_entries([case], Registry(), opts, insights=[insight])
    text = text_of(fmt, render_readable(fmt, entries, opts))
    assert secret not in text
    assert text.count("namn") >= 8  # title, tag, field, section, orphan, insight x3


@pytest.mark.parametrize("fmt", sorted(READABLE_FORMATS))
def test_insights_citing_the_case_come_with_title_text_and_quotes(fmt):
    case = make_case()
    citing = new_insight(
        "Tid hos patienten räcker inte",
        text="Andfåddhet syns först hemma.",
        links=[Link(case.id, "situation", quote="Hon var andfådd.")],
    )
    elsewhere = new_insight("Om ett annat fall", links=[Link(make_case().id, "situation")])
    opts = ExportOptions(insights=True, exported=WHEN)
    entries = build_entries([case], Registry(), opts, insights=[citing, elsewhere])
    text = text_of(fmt, render_readable(fmt, entries, opts))
    assert "Insikter som hänvisar till fallet" in text
    assert "Tid hos patienten räcker inte" in text and "Andfåddhet syns först hemma." in text
    assert "Hon var andfådd." in text.split("Tid hos patienten")[1]
    assert "ur Situationen" in text
    assert "Om ett annat fall" not in text
    without = build_entries([case], Registry(), ExportOptions(), insights=[citing])
    assert "Tid hos patienten" not in text_of(fmt, render_readable(fmt, without, ExportOptions()))


def test_a_case_whose_template_is_not_installed_still_exports_with_english_labels():
    case = make_case()
    case.template_id = "gone"
    for fmt in READABLE_FORMATS:
        text = text_of(fmt, render(fmt, case))
        assert "situation" in text and "Fiktiby" in text and "Template" in text
    assert labels("sv_FI")["empty"] == "(tomt)" and labels("de")["empty"] == "(empty)"
    assert set(FORMATS) == {*READABLE_FORMATS, "json"}
