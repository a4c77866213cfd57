"""The summary PDF's render time: our whole path against WeasyPrint given the same HTML.

Ours is what sending answers costs but for the database write: the summary
worked out, the template rendered, WeasyPrint with our fetcher, fonts and
parsed stylesheet. WeasyPrint alone gets the same HTML and the stylesheet as a
file, with its default settings, as its documentation shows. Timed in this
process with no server running, as CPU time: on a shared virtual machine the
wall clock also counts time the machine gave to others.
"""

from __future__ import annotations

import time
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from weasyprint import CSS, HTML

from app import pdf
from app.content.versions import versions
from app.extensions import db
from app.models import SUBMITTED, AnswerSet

RUNS = 7


def render_times(app: Flask) -> dict[str, dict[str, float]]:
    """For one sent answer set per procedure: the fastest ms of ours and of WeasyPrint alone, and the PDF's size."""
    static = Path(app.static_folder).as_uri() + "/"
    stylesheet = Path(app.static_folder) / pdf.STYLESHEET
    results = {}
    with app.test_request_context():
        for version in versions().live():
            answer_set = db.session.scalars(sa.select(AnswerSet).where(
                AnswerSet.status == SUBMITTED, AnswerSet.procedure_slug == version.slug).limit(1)).one()

            # The loop's values bound now (ruff B023), though both are called in this iteration anyway.
            def ours(answer_set=answer_set, version=version):
                return pdf.render_pdf(pdf.render_summary_html(answer_set, version, answer_set.submitted_at))

            html = pdf.render_summary_html(answer_set, version, answer_set.submitted_at)

            def alone(html=html):
                return HTML(string=html, base_url=static).write_pdf(
                    stylesheets=[CSS(filename=stylesheet)], pdf_variant="pdf/ua-1", pdf_tags=True)

            ours_ms, alone_ms, size = _fastest_ms(ours, alone)
            results[version.slug] = {"ours_ms": ours_ms, "weasyprint_alone_ms": alone_ms, "pdf_kb": size / 1000}
    return results


def _fastest_ms(ours, alone) -> tuple[float, float, int]:
    """The least CPU time of each, in ms: taken in turns, so a slower spell of the machine falls on both alike.

    The least, because other work on a shared machine only ever slows a render down.
    """
    ours(), alone()  # the first render in a process loads fonts: not counted
    times: dict = {ours: [], alone: []}
    for _ in range(RUNS):
        for render in times:
            started = time.process_time()
            data = render()
            times[render].append((time.process_time() - started) * 1000)
    return min(times[ours]), min(times[alone]), len(data)
