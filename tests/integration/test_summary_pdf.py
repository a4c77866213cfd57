"""The printable summary, read back as a clinician's PDF viewer would."""

from __future__ import annotations

import io
import re
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app import pdf
from app.extensions import db
from app.models import AuditEvent, SummaryPdf
from app.summary import summarise
from clinician_helpers import sign_in
from journey_helpers import (
    complete_all_sections,
    complete_at_their_limits,
    live,
    only_answer_set,
    send_and_download,
    start,
    submit,
)
from support import ROOT, check_page

BREAST = "breast-interstitial-laser-therapy"
LIVER = "liver-laser-ablation"
ARTIFACTS = ROOT / "test-artifacts" / "pdf"


def squash(text: str) -> str:
    """Text without whitespace, so line wrapping does not matter; without the
    bidi marks readers add around right-to-left runs; without NULs (pypdf 6
    reads some of WeasyPrint's font maps as UTF-16)."""
    return re.sub(r"[\s\x00\u200e\u200f\u202a-\u202e\u2066-\u2069]+", "", text)


def poppler_text(data: bytes, page: int | None = None) -> str:
    """Text as poppler reads it. pypdf 6 mis-decodes a few glyphs of subset
    fonts (’ and ŵ among them), which poppler, like PDF viewers, reads right."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_pdf_holds_every_question_note_and_figure(app, client, slug):
    procedure = live(app, slug).procedure
    start(client, slug)
    complete_all_sections(client, slug, app)
    data = send_and_download(client)
    reader = PdfReader(io.BytesIO(data))
    pages = [squash(page.extract_text()) for page in reader.pages]
    whole = "".join(pages)
    reference = only_answer_set(app).reference

    questions = procedure.all_questions
    for text in (questions[0].text, questions[-1].text, "Can my daughter come in with me?", "My note about this"):
        assert squash(text) in whole, text
    # The person coming with them: marked as theirs, apart from the patient's questions.
    theirs = whole.index(squash("From the person coming with them"))
    assert whole.index(squash("Can I stay with her afterwards?")) > theirs > whole.index(
        squash("Can my daughter come in with me?"))
    assert squash("How she will get home.") in whole[theirs:]
    for item in procedure.outcomes:
        assert squash(f"{item.numerator} of {item.denominator} people {item.label}") in whole
        assert squash(f"That is about {item.per_100} in 100 people.") in whole
    assert squash("This is not a consent form.") in whole

    # Page one is the clinician's glance; the full answers start on page two.
    glance = pages[0]
    for expected in ("At a glance", reference, "Ann Example", "3 out of 4",
                     "Do you feel SURE about the best choice for you?", "Not sure yet", "Together with my clinician",
                     "Spoken language: Welsh", "Large print", "A hearing loop, please", "I am worried about pain.",
                     procedure.category.capitalize(), procedure.version):
        assert squash(expected) in glance, expected
    assert squash("Questions to ask") not in glance

    for number, page in enumerate(pages, start=1):
        assert squash(f"Page {number} of {len(pages)}") in page
        assert reference in page


def test_pdf_is_tagged_a4_with_language_and_title(app, client):
    start(client, BREAST)
    complete_all_sections(client, BREAST, app)
    reader = PdfReader(io.BytesIO(send_and_download(client)))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert only_answer_set(app).reference in reader.metadata.title
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_pdf_needs_submitted_answers_of_ones_own(app, client):
    assert client.get("/summary.pdf").location.endswith("/resume")
    start(client, LIVER)
    assert client.get("/summary.pdf").location.endswith("/check-answers")
    assert only_answer_set(app).summary_pdf is None


def test_confirmation_leads_to_the_summary_page_and_its_pdf(app, client):
    start(client, BREAST)
    complete_all_sections(client, BREAST, app)
    data = send_and_download(client)
    confirmation = check_page(client.get("/confirmation"))
    summary = check_page(client.get(confirmation.find("a", string="Read or print your summary")["href"]))
    download = summary.find("a", href="/summary.pdf")
    assert download.has_attr("download")
    assert download.get_text() == f"Download your summary (PDF, {round(len(data) / 1000)} KB)"
    text = " ".join(summary.get_text().split())
    for heading in ("At a glance", "Questions to ask", "What matters to you", "Consent information",
                    "Benefits and risks", "Where this information comes from"):
        assert summary.find("h2", string=heading), heading
    assert "This is not a consent form." in text
    assert len(summary.select("svg.app-icon-array")) == len(live(app, BREAST).procedure.outcomes)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://127.0.0.1:9/x.css",
    "https://example.org/x.png",
    (ROOT / "static" / ".." / "app" / "config.py").as_uri(),
    "file://otherhost" + str(ROOT / "static" / "pdf.css"),
])
def test_fetcher_refuses_everything_outside_static(url):
    with pytest.raises(pdf.RefusedFetch):
        pdf.StaticFetcher(ROOT / "static").fetch(url)


def test_fetcher_serves_static_files_with_their_type():
    fetcher = pdf.StaticFetcher(ROOT / "static")
    css = fetcher.fetch((ROOT / "static" / "pdf.css").as_uri())
    assert css.content_type == "text/css" and b"@page" in css.read()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


def test_fonts_are_subset_by_harfbuzz_not_the_slow_fallback():
    """Without libharfbuzz-subset0, WeasyPrint quietly subsets fonts in Python: each summary takes ~3× as long."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    assert harfbuzz_subset is not None, "install the Debian package libharfbuzz-subset0 (make does)"
    assert harfbuzz.hb_version_atleast(4, 1, 0), "WeasyPrint uses HarfBuzz's subsetter from version 4.1"


class Spy(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):
        Spy.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def spy_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Spy)
    Spy.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_hostile_text_stays_text_in_page_and_pdf(app, client, spy_url, caplog):
    """Markup, local files, a spy server, other scripts and emoji in every free-text field."""
    hostile = [
        "<script>alert('x')</script>",
        '<img src="file:///etc/passwd">',
        '<link rel="attachment" href="file:///etc/passwd">',
        f'<img src="{spy_url}/img.png"> <link rel="stylesheet" href="{spy_url}/style.css"> {spy_url}/plain',
    ]
    welsh, hebrew = "Rydw i’n poeni am y driniaeth ŵ ŷ", "אני מודאג מהכאב"
    arabic, emoji = "أنا قلق", "Worried 😟 but ok 👍🏽"
    blob = " ".join([*hostile, welsh, hebrew, arabic, emoji])

    def padded(limit: int) -> str:
        """The hostile text filled out to exactly the field's limit."""
        return (blob + " and more to say" * 100)[:limit]

    short = {"name": f'<script>x</script> <img src="{spy_url}/name.png">',
             "language": f'<link rel="attachment" href="{spy_url}/a">'}
    procedure = live(app, LIVER).procedure
    questions = procedure.all_questions
    start(client, LIVER)
    complete_all_sections(client, LIVER, app)
    submit(client, "/about-you", {**short, "interpreter": "spoken", "support_needs": padded(1000)}, status=302)
    submit(client, "/questions", {
        **{f"ask_{q.id}": "y" for q in questions[:2]}, **{f"note_{q.id}": padded(1000) for q in questions[:2]},
        "own-0-text": padded(500), "own-1-text": hostile[3],
    }, status=302)
    submit(client, "/questions/most-important", {"top": [f"ask_{questions[0].id}"]}, status=302)
    submit(client, "/what-matters", {f"rate_{s.id}": "quite" for s in procedure.what_matters} | {"views": padded(1000)},
           status=302)
    typed = [*short.values(), padded(1000), padded(500), hostile[3]]

    check = check_page(client.get("/check-answers"))
    data = send_and_download(client)
    summary = check_page(client.get("/summary"))
    for page in (check, summary):
        main = page.select_one("main")
        assert not main.select("script, img, link"), "patient text became markup"
        for text in typed:
            assert squash(text) in squash(main.get_text())

    reader = PdfReader(io.BytesIO(data))
    whole = squash("".join(p.extract_text() for p in reader.pages))
    for text in [*short.values(), *hostile]:
        assert squash(text) in whole, text
    readable = squash(poppler_text(data))  # reads Welsh, Hebrew, Arabic and emoji as a viewer would
    for text in typed:
        assert squash(text) in readable, text
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    assert not reader.attachments
    for p in reader.pages:
        for annotation in p.get("/Annots") or []:
            assert annotation.get_object()["/Subtype"] != "/FileAttachment"
    assert b"root:x:0:0" not in data
    assert Spy.requests == []
    # Every character had a font: nothing printed as an empty box.
    assert not [r.getMessage() for r in caplog.records if "notdef" in r.getMessage()]


def test_long_summary_pages_split_cleanly(app, client, tmp_path):
    """Every question chosen with a 1,000-character note, ten long questions of
    their own: no question is split across pages and no text leaves the page."""
    questions = live(app, BREAST).procedure.all_questions
    start(client, BREAST)
    complete_all_sections(client, BREAST, app)
    notes = {q.id: (f"Note {i} for this question. " * 40)[:1000] for i, q in enumerate(questions)}
    own = [(f"Own question {i}: " + "what happens if the plan changes on the day? " * 11)[:500] for i in range(10)]
    own[1] = "Own question 1: " + "x" * 400  # one unbroken word wider than the page
    # One "add another" press per extra own question, as a patient without JavaScript would.
    for count in range(1, 10):
        submit(client, "/questions", {
            **{f"ask_{q.id}": "y" for q in questions}, **{f"note_{q.id}": n for q, n in zip(questions, notes.values())},
            **{f"own-{i}-text": own[i] for i in range(count)}, "add_another": "y",
        }, status=200)
    submit(client, "/questions", {
        **{f"ask_{q.id}": "y" for q in questions}, **{f"note_{q.id}": n for q, n in zip(questions, notes.values())},
        **{f"own-{i}-text": own[i] for i in range(10)},
    }, status=302)
    page = check_page(client.get("/questions/most-important"))
    own_ids = [box["value"] for box in page.select("input[name=top]") if box["value"].startswith("own-")]
    submit(client, "/questions/most-important", {"top": [f"ask_{questions[0].id}", own_ids[0], own_ids[9]]},
           status=302)
    data = send_and_download(client)
    pages = [squash(poppler_text(data, n)) for n in range(1, len(PdfReader(io.BytesIO(data)).pages) + 1)]
    assert len(pages) > 5

    every_question = [*((q.text, notes[q.id]) for q in questions), *((o, "") for o in own)]
    for number, (question, note) in enumerate(every_question, start=1):
        # Page one lists the top three with their own numbering; the full list starts on page two.
        holding = [i for i, page in enumerate(pages) if i > 0 and squash(f"{number}. {question}") in page]
        assert len(holding) == 1, f"question {number} is split across pages or missing"
        assert squash(note) in pages[holding[0]], f"the note of question {number} is not on the question's page"

    # No page ends on a section heading or its introduction, cut off from what follows.
    stranded = {"At a glance", "Questions to ask", "What matters", "How important each of these is.",
                "Consent information", "Benefits and risks", "Where this information comes from"}
    for number in range(1, len(pages)):
        lines = [line for line in poppler_text(data, number).splitlines()
                 if line.strip() and not line.startswith("Made ") and not line.startswith("Page ")]
        assert lines[-1].strip() not in stranded, f"page {number} ends with {lines[-1]!r}"

    # Nothing clipped: every word's box lies inside the page's margins.
    boxes = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True,
                           check=True).stdout.decode()
    for x_max, y_max in re.findall(r'xMax="([\d.]+)" yMax="([\d.]+)"', boxes):
        assert float(x_max) <= 595 - 16 * 72 / 25.4 + 1 and float(y_max) <= 842

    # PNGs of every page for a person to look at (test-artifacts/ is git-ignored).
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "long-summary.pdf").write_bytes(data)
    for old in ARTIFACTS.glob("long-summary-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "96", "-png", str(ARTIFACTS / "long-summary.pdf"),
                    str(ARTIFACTS / "long-summary")],
                   check=True)
    assert len(list(ARTIFACTS.glob("long-summary-*.png"))) == len(pages)


def pages_of(data: bytes) -> list[str]:
    return [poppler_text(data, n) for n in range(1, len(PdfReader(io.BytesIO(data)).pages) + 1)]


GLANCE_HEADINGS = ("At a glance", "The decision so far", "Most important questions", "Support needs",
                   "Views and concerns")


@pytest.mark.parametrize("slug", [BREAST, LIVER])
def test_page_one_holds_the_whole_glance_with_every_answer_at_its_limit(app, client, slug):
    start(client, slug)
    complete_at_their_limits(client, slug, app)
    data = send_and_download(client)
    pages = pages_of(data)
    one = squash(pages[0])
    for heading in (*GLANCE_HEADINGS, "Consent points to explain"):
        assert squash(heading) in one, heading
    assert squash("Questions to ask") not in one

    # Each long answer is cut at a word and says where it is printed whole; that is the real page.
    with app.app_context():
        summary = summarise(only_answer_set(app), live(app, slug))
    continued = [int(n) for n in re.findall(r"continued on\s+page\s+(\d+)", pages[0])]
    long_support = [value for _, value, *_ in summary.support if value and len(value) > 100]
    assert len(continued) == len(summary.top_questions) + len(long_support) + 1  # and the concerns
    assert all(1 < number <= len(pages) for number in continued)
    # Support needs come first at a glance, then the most important questions.
    for question, number in zip(summary.top_questions, continued[len(long_support):]):
        assert number > 1 and squash(question.text[:150]) in squash(pages[number - 1]), number
    later = re.search(r"And (\d+) more: see page\s+(\d+)", pages[0])
    assert later and int(later[1]) == len(summary.flagged) - 3
    assert squash(summary.flagged[3].label) in squash(pages[int(later[2]) - 1])

    # No page is only a leftover: each has more than its header, footer and one box.
    for number, text in enumerate(pages[1:], start=2):
        assert len(squash(text)) > 600, f"page {number} holds almost nothing"
    _look_at(data, f"glance-at-limits-{slug.split('-')[0]}", first_page_only=True)


def test_an_ordinary_summary_leaves_no_page_with_only_the_not_a_consent_form_box(app, client):
    start(client, BREAST)
    complete_all_sections(client, BREAST, app)
    pages = pages_of(send_and_download(client))
    assert "continued on" not in pages[0]
    box = [n for n, text in enumerate(pages, start=1) if "This is not a consent form." in text.split("\n", 3)[-1]]
    assert box == [len(pages)] and "Where this information comes from" in pages[-1]


def _look_at(data: bytes, name: str, first_page_only: bool = False) -> None:
    """PNGs of the PDF's pages for a person to look at (test-artifacts/ is git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(data)
    pages = ["-f", "1", "-l", "1"] if first_page_only else []
    subprocess.run(["pdftoppm", "-r", "60", "-png", *pages, str(ARTIFACTS / f"{name}.pdf"), str(ARTIFACTS / name)],
                   check=True)


def font_sizes(data: bytes) -> set[float]:
    """The size, in points on paper, of every run of text in the PDF."""
    sizes = set()

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.add(round(size * (tm[3] ** 2 + tm[1] ** 2) ** 0.5 * (cm[3] ** 2 + cm[1] ** 2) ** 0.5, 1))

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_large_print_is_the_same_summary_at_16_point_or_more(app, client):
    start(client, LIVER)
    complete_all_sections(client, LIVER, app)
    standard = send_and_download(client)
    summary_page = check_page(client.get("/summary"))
    # Asked for in the example answers, so offered first, as the button.
    link = summary_page.find("a", string=lambda s: s and s.strip() == "Download your summary in large print (PDF)")
    assert link and link.has_attr("download")
    assert check_page(client.get("/confirmation")).find("a", href=link["href"])
    response = client.get(link["href"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "large-print" in response.headers["Content-Disposition"]
    large = response.data

    assert min(font_sizes(large)) >= 16 > min(font_sizes(standard))
    # The same words, page numbers and running headers aside; the stored summary is still the record.
    words = set(poppler_text(large).lower().split())
    missing = {w for w in poppler_text(standard).lower().split() if w not in words and not w.isdigit()}
    assert missing <= {"continued"}, missing
    with app.app_context():
        assert db.session.scalars(sa.select(SummaryPdf.data)).one() == standard
    _look_at(large, "large-print")


def test_staff_download_large_print_and_it_is_audited(app, client, make_clinician):
    start(client, BREAST)
    complete_all_sections(client, BREAST, app)
    send_and_download(client)
    reference = only_answer_set(app).reference
    staff = app.test_client()
    email, password = make_clinician()
    sign_in(staff, email, password)
    detail = check_page(staff.get(f"/clinician/submissions/{reference}"))
    link = detail.find("a", href=f"/clinician/submissions/{reference}/summary-large-print.pdf")
    assert link and "large print" in link.get_text()
    response = staff.get(link["href"])
    assert response.status_code == 200 and min(font_sizes(response.data)) >= 16
    with app.app_context():
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "downloaded")).one()
        assert (event.detail, event.actor) == ("large print", email)


def test_the_sure_test_is_credited_where_its_score_is_shown(app, client):
    start(client, BREAST)
    complete_all_sections(client, BREAST, app)
    data = send_and_download(client)
    credit = "Légaré F et al. Canadian Family Physician 2010"
    assert squash(credit) in squash(poppler_text(data, 1))
    assert credit in " ".join(check_page(client.get("/summary")).get_text().split())
