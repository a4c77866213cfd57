"""The printable summary: our HTML rendered to a tagged A4 PDF by WeasyPrint.

WeasyPrint's own fetcher reads any local file and any URL, so markup that
slipped into the HTML could embed /etc/passwd or call out to a server. Ours
reads only files under static/ and data: URLs, and a refused fetch stops the
render instead of being logged and skipped.
"""

from __future__ import annotations

import mimetypes
import re
import threading
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import sqlalchemy as sa
from flask import Response, current_app, render_template
from sqlalchemy.orm import undefer
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from . import tagged_pdf
from .content.versions import Version, versions
from .extensions import db
from .i18n import LANGUAGES, current_language, gettext, in_language
from .models import AnswerSet, SummaryPdf
from .summary import summarise
from .templating import uk_time

STYLESHEET = "pdf.css"  # in static/


@dataclass(frozen=True)
class Document:
    """One way of printing a summary: its stylesheets (in static/) and how page one is made."""

    name: str
    stylesheets: tuple[str, ...]
    # Page one holds the whole at-a-glance view for the clinician, long answers cut with the page they go on.
    cuts_glance: bool
    filename: str = "procedure-summary-{reference}.pdf"


STANDARD = Document("standard", (STYLESHEET,), cuts_glance=True)
# NHS large-print guidance: at least 16 pt, one column, the same content. Page one need not hold
# the glance: large print is for the patient, and every answer is printed whole where it first appears.
LARGE_PRINT = Document("large print", (STYLESHEET, "pdf-large.css"), cuts_glance=False,
                       filename="procedure-summary-{reference}-large-print.pdf")
BLANK = Document("blank questionnaire", (STYLESHEET,), cuts_glance=False, filename="questions-{slug}.pdf")


class PdfError(Exception):
    """The summary could not be rendered; the message says why."""


class RefusedFetch(ValueError):
    pass


class StaticFetcher(URLFetcher):
    """Serves files inside one folder and data: URLs; refuses everything else."""

    def __init__(self, root: Path):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=True)
        self.root = root.resolve()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise RefusedFetch(f"refused {url!r}: only files in static/ and data: URLs")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise RefusedFetch(f"refused {url!r}: not a file in static/")
        # WeasyPrint drops a stylesheet that arrives without its content type.
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})


def render_summary_html(answer_set: AnswerSet, version: Version, generated_at: datetime,
                        document: Document = STANDARD) -> str:
    """The summary in the language the patient answered in, whoever asks for it: a Welsh patient's
    large print, printed by a clinic on an English staff page, is Welsh too."""
    with in_language(answer_set.language):
        return render_template("summary/print.html", summary=summarise(answer_set, version.in_language(
            answer_set.language)), generated_at=uk_time(generated_at), document=document)


class Printer:
    """What every render shares, made once per process: the fetcher, the fonts and the parsed stylesheet.

    A font configuration made for each render is never wholly freed: a worker
    grew by about 0.2 MB a summary until it was shared. Renders take turns,
    because WeasyPrint's font objects are not made for two threads at once.
    """

    def __init__(self, static: Path):
        self.base_url = static.as_uri() + "/"
        self.fetcher = StaticFetcher(static)
        self.fonts = FontConfiguration()
        self.static = static
        self.stylesheets: dict[str, CSS] = {}
        self.numbering: dict[str, CSS] = {}  # by language
        self.lock = threading.Lock()

    def stylesheet(self, name: str) -> CSS:
        if name not in self.stylesheets:
            self.stylesheets[name] = CSS(filename=self.static / name, font_config=self.fonts, url_fetcher=self.fetcher)
        return self.stylesheets[name]

    def page_numbers(self, language: str) -> CSS:
        """ "Page x of y" in this language: the words are the catalogue's, so they are a stylesheet of their own.

        A page named for a language (`page: cy` in CSS) is numbered in that one
        instead: a bilingual letter's Welsh page says "Tudalen 1 o 2".
        """
        if language not in self.numbering:
            named = " ".join(f"@page {code} {{ {_numbered(code)} }}" for code in LANGUAGES)
            self.numbering[language] = CSS(string=f"@page {{ {_numbered(language)} }} {named}",
                                           font_config=self.fonts, url_fetcher=self.fetcher)
        return self.numbering[language]

    def render(self, html: str, document: Document, language: str) -> bytes:
        page = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher)
        with self.lock:
            stylesheets = [self.stylesheet(name) for name in document.stylesheets] + [self.page_numbers(language)]
            # PDF/UA-1: tagged, with the document's language and title.
            data = page.write_pdf(stylesheets=stylesheets, font_config=self.fonts, pdf_variant="pdf/ua-1",
                                  pdf_tags=True)
        return tagged_pdf.finish(data)


def _numbered(language: str) -> str:
    """The bottom-right corner's rule: "Page x of y" in this language, counters where the numbers go."""
    with in_language(language):
        words = gettext("Page %(page)s of %(pages)s", page="\0", pages="\1")
    counters = {"\0": "counter(page)", "\1": "counter(pages)"}
    content = " ".join(counters.get(part) or _css_string(part) for part in re.split("([\0\1])", words) if part)
    return f"@bottom-right {{ content: {content}; }}"


def _css_string(text: str) -> str:
    """Text as a CSS string: all but letters, digits and spaces escaped, so no translation can end it."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"'


@cache
def printer(static: str) -> Printer:
    return Printer(Path(static))


def render_pdf(html: str, document: Document = STANDARD, language: str | None = None) -> bytes:
    """The PDF of this HTML; its page numbers in `language` (the request's unless told)."""
    try:
        return printer(current_app.static_folder).render(html, document, language or current_language())
    except FatalURLFetchingError as exc:  # a BaseException in WeasyPrint, so named here
        raise PdfError(str(exc.__cause__ or exc)) from exc


def snapshot(answer_set: AnswerSet, version: Version) -> SummaryPdf:
    """Render the summary once and attach it to the answer set; the caller commits."""
    generated_at = answer_set.submitted_at
    data = render_pdf(render_summary_html(answer_set, version, generated_at), language=answer_set.language)
    answer_set.summary_pdf = SummaryPdf.of(data, content_version=version.version, created_at=generated_at)
    return answer_set.summary_pdf


def download(answer_set: AnswerSet) -> Response:
    """The stored PDF, the same bytes on every download, for the patient or a clinician."""
    # One query for the row and its bytes, which are otherwise deferred.
    stored = db.session.scalar(
        sa.select(SummaryPdf).where(SummaryPdf.answer_set_id == answer_set.id).options(undefer(SummaryPdf.data))
    )
    if stored is None:
        stored = snapshot(answer_set, versions().of(answer_set))  # sent before summaries were kept: made once, now
        db.session.commit()
    return _attachment(stored.data, STANDARD.filename.format(reference=answer_set.reference),
                       ETag=f'"{stored.sha256}"')


def large_print(answer_set: AnswerSet) -> Response:
    """The same summary in large print, made now from what the stored one was made from.

    The answer set and the version it is pinned to never change once sent, and
    its time is the send's, so it says what the stored PDF says; that stays the record.
    """
    version = versions().of(answer_set)
    html = render_summary_html(answer_set, version, answer_set.submitted_at, LARGE_PRINT)
    return _attachment(render_pdf(html, LARGE_PRINT, answer_set.language),
                       LARGE_PRINT.filename.format(reference=answer_set.reference))


# The blank questionnaire of each version in each language, by (slug, version, language): it holds
# nothing of anyone's, and a version never changes, so each process makes each one once.
_blanks: dict[tuple[str, str, str], bytes] = {}


def blank_questionnaire(version: Version) -> Response:
    """Every question of this version, with boxes to tick and lines to write on, for a patient answering on paper."""
    key = (version.slug, version.version, current_language())
    if key not in _blanks:
        html = render_template("summary/questionnaire_print.html", questionnaire=version.questionnaire,
                               procedure=version.procedure, document=BLANK)
        _blanks[key] = render_pdf(html, BLANK)
    return _attachment(_blanks[key], BLANK.filename.format(slug=version.slug))


def _attachment(data: bytes, filename: str, **headers) -> Response:
    return Response(data, content_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store", **headers,
    })
