"""The summary PDF's render time: our whole path, WeasyPrint alone, and Chromium, given the same HTML.

Ours is what sending answers costs but for the database write: the summary
worked out, the template rendered, WeasyPrint with our fetcher, fonts and
parsed stylesheets, and the finishing of its tags (app/tagged_pdf.py); the
large-print summary the same way. WeasyPrint alone gets the same HTML and
stylesheet, with its default settings, as its documentation shows. Chromium
(Debian's, through Playwright) prints the same HTML with the same stylesheets
inlined, A4 and tagged, in one warm page.

All three take turns in this process with no server running. Ours and
WeasyPrint alone are timed as CPU time, as on a shared virtual machine the
wall clock also counts time the machine gave to others; but Chromium works in
processes of its own, so it and ours are also timed by the clock, and the
target (ours at most twice Chromium's) compares those, like with like.
"""

from __future__ import annotations

import time
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import sync_playwright
from weasyprint import CSS, HTML

from app import pdf
from app.content.versions import versions
from app.extensions import db
from app.models import SUBMITTED, AnswerSet

RUNS = 7
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def render_times(app: Flask) -> dict[str, dict[str, float]]:
    """For one sent answer set per procedure, each document's least ms of each renderer, and its PDF's size."""
    static = Path(app.static_folder)
    results = {}
    with app.test_request_context(), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        for version in versions().live():
            answer_set = db.session.scalars(sa.select(AnswerSet).where(
                AnswerSet.status == SUBMITTED, AnswerSet.procedure_slug == version.slug).limit(1)).one()
            for document in (pdf.STANDARD, pdf.LARGE_PRINT):
                renders = _renders(answer_set, version, document, static, page)
                name = version.slug if document is pdf.STANDARD else f"{version.slug} (large print)"
                results[name] = {"document": document.name, **_fastest(renders)}
        browser.close()
    return results


def _renders(answer_set, version, document, static: Path, page) -> dict:
    """The three ways of making this document, each returning the PDF's bytes."""
    html = pdf.render_summary_html(answer_set, version, answer_set.submitted_at, document)
    sheets = [static / name for name in document.stylesheets]

    # The loop's values bound now (ruff B023), though each is called while they hold anyway.
    def ours(answer_set=answer_set, version=version, document=document):
        return pdf.render_pdf(pdf.render_summary_html(answer_set, version, answer_set.submitted_at, document),
                              document)

    def alone(html=html, sheets=sheets):
        return HTML(string=html, base_url=static.as_uri() + "/").write_pdf(
            stylesheets=[CSS(filename=sheet) for sheet in sheets], pdf_variant="pdf/ua-1", pdf_tags=True)

    inlined = "".join(f"<style>{sheet.read_text()}</style>" for sheet in sheets)
    chromium_html = html.replace("</head>", f'<base href="{static.as_uri()}/">{inlined}</head>', 1)

    def chromium(chromium_html=chromium_html):
        page.set_content(chromium_html)
        return page.pdf(format="A4", tagged=True, print_background=True, prefer_css_page_size=True)

    return {"ours": ours, "weasyprint_alone": alone, "chromium": chromium}


def _fastest(renders: dict) -> dict[str, float]:
    """The least CPU and clock time of each, in ms: taken in turns, so a slower spell falls on all alike.

    The least, because other work on a shared machine only ever slows a render down.
    """
    for render in renders.values():
        render()  # the first render of each loads fonts and warms caches: not counted
    cpu: dict[str, list[float]] = {name: [] for name in renders}
    clock: dict[str, list[float]] = {name: [] for name in renders}
    sizes = {}
    for _ in range(RUNS):
        for name, render in renders.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            sizes[name] = len(render())
            clock[name].append((time.perf_counter() - started) * 1000)
            cpu[name].append((time.process_time() - started_cpu) * 1000)
    return {
        "ours_ms": min(cpu["ours"]), "weasyprint_alone_ms": min(cpu["weasyprint_alone"]),
        "ours_clock_ms": min(clock["ours"]), "chromium_clock_ms": min(clock["chromium"]),
        "pdf_kb": sizes["ours"] / 1000, "chromium_pdf_kb": sizes["chromium"] / 1000,
    }
