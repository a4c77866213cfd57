"""Plain English as a tested property: the reading grade of every page a patient reads, errors included.

The bar is the README's ("Accessibility"), kept in app/content/readability.py;
the words written as data are scored on their own in tests/unit/test_plain_english.py.
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from bs4 import BeautifulSoup

from app import mail
from app.content.readability import problems
from app.extensions import db
from app.invitations import invite, link, uk_today
from app.models import Clinic
from journey_helpers import complete_all_sections, live, start, submit

SLUGS = ["breast-interstitial-laser-therapy", "liver-laser-ablation"]


def page_lines(response, citations: list[str]) -> list[str]:
    """The words of a page's main content, one line per block, less citations (the source's words, not ours).

    A resume code or link is random letters, not prose: scoring it made the grade vary from run to run.
    """
    main = BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one("main")
    not_prose = ".app-source, [aria-labelledby=sources], .app-resume-code, .app-resume-code-spoken, .app-resume-link"
    for block in main.select(not_prose):
        block.decompose()
    lines = main.get_text("\n").split("\n")
    return [line for line in lines if line.strip() and not any(c in line for c in citations)]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_patient_page_is_plain_english(app, client, slug):
    # "NICE HealthTech guidance HTG55, published ..." names a document; it is not our prose.
    citations = [f"{p.source.publisher} {p.source.kind}" for p in (live(app, s).procedure for s in SLUGS)]
    found = []

    def read(url: str, response=None) -> str:
        response = response or client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        lines = page_lines(response, citations)
        found.extend(problems(f"{url} ({slug})", lines))
        return " ".join(lines)

    assert "There is a problem" in read("/resume", submit(client, "/resume", {"code": "NOPE"}))
    start(client, slug)
    for url in ["/", f"/procedures/{slug}", f"/procedures/{slug}/benefits-and-risks", f"/procedures/{slug}/questions",
                "/your-code", "/tasks", "/about-you", "/about-the-procedure", "/benefits-and-risks", "/questions",
                "/what-matters", "/consent", "/where-you-are", "/what-changed"]:
        read(url)
    about_you_errors = submit(client, "/about-you", {"nhs_number": "123", "interpreter": "spoken"})
    assert "There is a problem" in read("/about-you", about_you_errors)
    complete_all_sections(client, slug, app)
    for url in ["/questions/most-important", "/the-person-coming-with-you", "/check-answers", "/delete-my-answers"]:
        read(url)
    submit(client, "/check-answers", status=302)
    for url in ["/confirmation", "/summary", "/no-such-page", "/privacy", "/accessibility", "/cookies"]:
        read(url)
    read("/signed-out", client.get(client.post("/sign-out").location))
    assert not found, "\n".join(found)


def test_what_an_invited_patient_reads_is_plain_english(app, client, clock):
    """The emails and the pages of an invitation link, scored as the journey's pages are."""
    with app.test_request_context():
        invitation, _ = invite(db.session.get(Clinic, 1), live(app, SLUGS[0]), day=uk_today() + timedelta(days=2),
                               at=time(10))
        path, reference = link(invitation).removeprefix("http://localhost"), invitation.answer_set.reference
        emails = [mail.invitation("https://example.org/x", reference),
                  mail.reminder("https://example.org/x", reference), mail.resume_link("https://example.org/x")]
    found = []
    for email in emails:
        lines = [line for line in email.body.splitlines() if line and not line.startswith("https://")]
        found += problems(f"{email.kind} email", lines)
    assert client.get(path).status_code == 302
    found += problems("your code, email errors", page_lines(client.post("/your-code/email", data={"email": "x"}), []))
    clock.forward(days=3)  # the appointment has passed
    expired = client.get(path)
    assert expired.status_code == 410
    found += problems("expired invitation", page_lines(expired, []))
    assert not found, "\n".join(found)
