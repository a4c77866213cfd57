"""Every kind of PDF the service makes, read by two independent checkers and as a screen reader meets it.

page-validation checks PDF/UA-1's machine-checkable rules as veraPDF has them,
the structure tree included (lists, tables, headings, figures, annotations).
outloud checks the Matterhorn Protocol's checkpoints that veraPDF leaves to a
person but a program can judge: running headers and footers tagged as
content, empty tags, annotations missing on paper, content painted out of
reading order. Both run here, on the PDFs as patients and staff download them.
"""

from __future__ import annotations

import io
import re

import outloud
import page as page_validation  # the PyPI package page-validation
import pikepdf
import pytest

from app import pdf
from journey_helpers import (
    complete_all_sections,
    complete_at_their_limits,
    live,
    only_answer_set,
    send_and_download,
    start,
)

BREAST = "breast-interstitial-laser-therapy"
LIVER = "liver-laser-ablation"
# A patient's own question heads its block in the summary, and may run to 500
# characters: outloud warns of a heading that reads like a paragraph. Only
# where every answer is at its limit, and only that.
LONG_OWN_QUESTIONS = ("HDG-011",)


def failures(data: bytes, tmp_path, allowed: tuple[str, ...] = ()) -> list[str]:
    """What either checker finds wrong, each as rule, page and message; nothing when the PDF passes."""
    report = page_validation.validate_pdf_bytes(data, profile="ua1")
    found = [f"page-validation {f.rule_id}: {f.message}" for f in report.failures]
    path = tmp_path / "checked.pdf"
    path.write_bytes(data)
    result = outloud.check(str(path))
    assert result.error is None, result.error
    found += [f"outloud {f.rule} p.{f.page}: {f.message} ({f.evidence})" for f in result.findings
              if f.severity != "info" and f.rule not in allowed]
    return found


def test_summary_passes_both_checkers(app, client, tmp_path):
    start(client, BREAST)
    complete_all_sections(client, BREAST, app)
    assert failures(send_and_download(client), tmp_path) == []


def test_summary_and_large_print_with_every_answer_at_its_limit_pass_both_checkers(app, client, tmp_path):
    start(client, LIVER)
    complete_at_their_limits(client, LIVER, app)
    assert failures(send_and_download(client), tmp_path, LONG_OWN_QUESTIONS) == []
    assert failures(client.get("/summary-large-print.pdf").data, tmp_path, LONG_OWN_QUESTIONS) == []


def test_blank_questionnaire_passes_both_checkers(client, tmp_path):
    assert failures(client.get(f"/procedures/{BREAST}/questions.pdf").data, tmp_path) == []


def test_the_checkers_find_what_weasyprint_leaves_unfinished(app, client, tmp_path):
    """The same summary straight from WeasyPrint, before app/tagged_pdf.py: the checks can fail."""
    start(client, BREAST)
    complete_all_sections(client, BREAST, app)
    send_and_download(client)
    with app.test_request_context():
        answer_set = only_answer_set(app)
        html = pdf.render_summary_html(answer_set, live(app, BREAST), answer_set.submitted_at)
        printer = pdf.printer(app.static_folder)
        raw = pdf.HTML(string=html, base_url=printer.base_url, url_fetcher=printer.fetcher).write_pdf(
            stylesheets=[printer.stylesheet(pdf.STYLESHEET)], font_config=printer.fonts,
            pdf_variant="pdf/ua-1", pdf_tags=True)
    found = " ".join(failures(raw, tmp_path))
    assert "PAG-001" in found  # the running header and footer read as content
    assert "LNK-004" in found  # the link to the guidance missing on paper


def marked_content(page: pikepdf.Page) -> tuple[list[int], int]:
    """The ids of a page's tagged content, and how many pagination artifacts it has."""
    stream = page.obj.Contents.read_bytes()
    ids = [int(found) for found in re.findall(rb"<<\s*/MCID\s+(\d+)\s*>>\s*BDC", stream)]
    return ids, stream.count(b"/Artifact <</Type /Pagination>> BDC")


@pytest.mark.parametrize("download", ["/summary.pdf", "/summary-large-print.pdf"])
def test_running_header_footer_and_page_number_are_artifacts_and_links_print(app, client, download):
    start(client, BREAST)
    complete_all_sections(client, BREAST, app)
    send_and_download(client)
    with pikepdf.open(io.BytesIO(client.get(download).data)) as document:
        tree = document.Root.StructTreeRoot
        for number, page in enumerate(document.pages):
            ids, artifacts = marked_content(page)
            # The header, the footer and "Page x of y", one or two lines each.
            assert artifacts >= 3, f"page {number + 1} has {artifacts} pagination artifacts"
            # Every other piece of content belongs to an element of the tree, which belongs to the document.
            elements = tree.ParentTree.Nums[2 * number + 1]
            for mcid in ids:
                element = elements[mcid]
                while element.get("/S") != "/Document":
                    element = element.P
        annotations = [a for page in document.pages for a in page.get("/Annots", [])]
        assert annotations, "the link to the guidance"
        assert all(int(a.F) & 4 for a in annotations), "every annotation has the Print flag"
