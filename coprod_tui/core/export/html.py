"""Cases as one standalone HTML file: readable on screen, and a good PDF from a browser's Print.

One file with its style inside it: no scripts, no fonts, no images, nothing
fetched (a file opened from a shared folder or an e-mail must not call out,
and must look the same offline). The typography is a system font stack, a
measure of about 70 characters, generous line height; a print style sheet
drops the screen margins and colours, starts every case on a new page, keeps
headings with the text after them, and sets page margins.

Every piece of text (user and template) is HTML-escaped, attribute values
too: nothing a case holds can become markup. The ``lang`` attribute of the
page is the first case's template language; a case in another language gets
its own ``lang`` on its ``<article>``, so hyphenation and screen readers are
right. There is no ``generator`` meta tag: an export names no tool.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from coprod_tui.core.export.model import (
    ExportEntry,
    ExportOptions,
    document_title,
    field_rows,
    paragraphs,
)

STYLE = """
:root { color-scheme: light dark; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0 auto; padding: 2rem 1.25rem 4rem; max-width: 42rem;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans", "Liberation Sans", sans-serif;
  font-size: 1.0625rem; line-height: 1.6; color: #1f2328; background: #fff;
  hyphens: auto; overflow-wrap: break-word;
}
h1, h2, h3 { line-height: 1.25; font-weight: 650; }
h1 { font-size: 1.9rem; margin: 0 0 1rem; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 0.6rem; padding-bottom: 0.2rem;
  border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.08rem; margin: 1.6rem 0 0.4rem; }
p { margin: 0 0 0.9rem; }
.number { color: #59636e; font-variant-numeric: tabular-nums; }
table.fields { border-collapse: collapse; margin: 0 0 1.5rem; font-size: 0.95rem; }
table.fields th, table.fields td { text-align: left; vertical-align: top;
  padding: 0.25rem 1rem 0.25rem 0; border-bottom: 1px solid #e5e8eb; }
table.fields th { font-weight: 600; color: #59636e; white-space: nowrap; }
.questions { margin: 0 0 1rem; padding: 0.5rem 0.9rem; border-left: 3px solid #d0d7de;
  color: #424a53; font-size: 0.95rem; }
.questions p { margin: 0 0 0.3rem; font-weight: 600; }
.questions ul { margin: 0; padding-left: 1.2rem; }
.empty { color: #6e7781; font-style: italic; }
.note { padding: 0.5rem 0.9rem; background: #fff8c5; border-radius: 4px; }
blockquote { margin: 0.6rem 0 1rem; padding: 0.1rem 0 0.1rem 1rem;
  border-left: 3px solid #8c959f; color: #424a53; }
blockquote footer { font-size: 0.9rem; color: #59636e; }
article.case + article.case { margin-top: 4rem; padding-top: 2rem;
  border-top: 2px solid #d0d7de; }
@media (prefers-color-scheme: dark) {
  body { color: #e6edf3; background: #0d1117; }
  .number, table.fields th, blockquote footer { color: #9198a1; }
  .questions, blockquote { color: #c9d1d9; border-color: #3d444d; }
  h2, table.fields th, table.fields td { border-color: #3d444d; }
  .note { background: #3b2e00; }
}
@page { margin: 2cm 2.2cm; }
@media print {
  :root { color-scheme: light; }
  body { max-width: none; padding: 0; font-size: 11pt; line-height: 1.45;
    color: #000; background: #fff; }
  h1 { font-size: 20pt; }
  h2 { font-size: 14pt; border-color: #999; }
  h3 { font-size: 12pt; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  p, li, blockquote { orphans: 3; widows: 3; }
  table.fields, blockquote, .questions { break-inside: avoid; page-break-inside: avoid; }
  .number, table.fields th, .questions, blockquote, blockquote footer, .empty { color: #333; }
  .note { background: none; border: 1px solid #999; }
  article.case + article.case { break-before: page; page-break-before: always;
    margin-top: 0; padding-top: 0; border-top: none; }
}
""".strip()


def _text(value: str) -> str:
    return escape(value, quote=True)


def _paragraphs(text: str, css_class: str = "") -> str:
    """Paragraphs of ``text``, single line breaks kept as ``<br>``."""
    attr = f' class="{css_class}"' if css_class else ""
    return "\n".join(
        f"<p{attr}>" + "<br>\n".join(_text(line) for line in lines) + "</p>"
        for lines in paragraphs(text)
    )


def _language_tag(language: str) -> str:
    """A BCP 47 tag from a template language (``sv_SE`` → ``sv-SE``), ``""`` if unusable."""
    tag = language.replace("_", "-").strip()
    if not tag or not all(part.isalnum() and len(part) <= 8 for part in tag.split("-")):
        return ""
    return tag


def render_entry(entry: ExportEntry, options: ExportOptions, *, page_language: str) -> str:
    """One case as an ``<article>``."""
    doc, names = entry.document, entry.labels
    language = _language_tag(entry.language)
    lang = f' lang="{_text(language)}"' if language and language != page_language else ""
    out = [f'<article class="case"{lang}>', f"<h1>{_text(doc.title) or '(untitled)'}</h1>"]
    out.append('<table class="fields"><tbody>')
    out += [
        f'<tr><th scope="row">{_text(label)}</th><td>{_text(value)}</td></tr>'
        for label, value in field_rows(entry)
    ]
    out.append("</tbody></table>")
    out += [f'<p class="note">{_text(note)}</p>' for note in doc.notes]
    for section in entry.sections(options):
        out.append('<section class="section">')
        out.append(f'<h2><span class="number">{section.number}.</span> {_text(section.title)}</h2>')
        questions = entry.questions.get(section.id, ()) if options.questions else ()
        if questions:
            out.append(f'<div class="questions"><p>{_text(names["questions"])}</p><ul>')
            out += [f"<li>{_text(question)}</li>" for question in questions]
            out.append("</ul></div>")
        if section.empty:
            out.append(f'<p class="empty">{_text(names["empty"])}</p>')
        else:
            out.append(_paragraphs(section.text))
        out.append("</section>")
    for orphan in doc.orphans:
        out.append('<section class="section orphan">')
        out.append(f"<h2>{_text(names['orphan'])}: {_text(orphan.title)}</h2>")
        out.append(_paragraphs(orphan.text))
        out.append("</section>")
    if entry.insights:
        out.append(f'<section class="insights"><h2>{_text(names["insights"])}</h2>')
        for insight in entry.insights:
            out.append(f"<h3>{_text(insight.title) or '(untitled)'}</h3>")
            if insight.text.strip():
                out.append(_paragraphs(insight.text))
            for quote in insight.quotes:
                out.append("<blockquote>")
                out.append(_paragraphs(quote.quote))
                out.append(
                    f"<footer>— {_text(names['quoted_from'])} {_text(quote.section)}</footer>"
                )
                out.append("</blockquote>")
        out.append("</section>")
    out.append("</article>")
    return "\n".join(out)


def render(entries: Sequence[ExportEntry], options: ExportOptions) -> bytes:
    """The whole HTML file (UTF-8)."""
    page_language = _language_tag(entries[0].language) if entries else ""
    lang = f' lang="{_text(page_language)}"' if page_language else ""
    head = [
        "<!DOCTYPE html>",
        f"<html{lang}>",
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(document_title(entries))}</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    body = [render_entry(entry, options, page_language=page_language) for entry in entries]
    text = "\n".join([*head, *body, "</main>", "</body>", "</html>"]) + "\n"
    return text.encode("utf-8", "replace")
