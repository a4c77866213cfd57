"""The printable summary: our HTML rendered to a tagged A4 PDF by WeasyPrint.

WeasyPrint's own fetcher reads any local file and any URL, so markup that
slipped into the HTML could embed /etc/passwd or call out to a server. Ours
reads only files under static/ and data: URLs, and a refused fetch stops the
render instead of being logged and skipped.
"""

from __future__ import annotations

import mimetypes
import threading
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

from .content.versions import Version, versions
from .extensions import db
from .models import AnswerSet, SummaryPdf
from .summary import summarise
from .templating import uk_time

STYLESHEET = "pdf.css"  # in static/


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


def render_summary_html(answer_set: AnswerSet, version: Version, generated_at: datetime) -> str:
    return render_template(
        "summary/print.html", summary=summarise(answer_set, version), generated_at=uk_time(generated_at)
    )


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
        self.stylesheet = CSS(filename=static / STYLESHEET, font_config=self.fonts, url_fetcher=self.fetcher)
        self.lock = threading.Lock()

    def render(self, html: str) -> bytes:
        document = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher)
        with self.lock:
            # PDF/UA-1: tagged, with the document's language and title.
            return document.write_pdf(stylesheets=[self.stylesheet], font_config=self.fonts,
                                      pdf_variant="pdf/ua-1", pdf_tags=True)


@cache
def printer(static: str) -> Printer:
    return Printer(Path(static))


def render_pdf(html: str) -> bytes:
    try:
        return printer(current_app.static_folder).render(html)
    except FatalURLFetchingError as exc:  # a BaseException in WeasyPrint, so named here
        raise PdfError(str(exc.__cause__ or exc)) from exc


def snapshot(answer_set: AnswerSet, version: Version) -> SummaryPdf:
    """Render the summary once and attach it to the answer set; the caller commits."""
    generated_at = answer_set.submitted_at
    data = render_pdf(render_summary_html(answer_set, version, generated_at))
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
    return Response(stored.data, content_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="procedure-summary-{answer_set.reference}.pdf"',
        "Cache-Control": "no-store",
        "ETag": f'"{stored.sha256}"',
    })
