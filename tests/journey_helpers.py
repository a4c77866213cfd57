"""Drive the patient journey through the test client as a browser would: read the form, fill it, post it."""

from __future__ import annotations

import sqlalchemy as sa
from bs4 import BeautifulSoup
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import AnswerSet
from support import check_page


def hidden_fields(page: BeautifulSoup) -> dict:
    form = page.select_one("main form[method=post]")
    return {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}


def submit(client, url: str, data: dict | None = None, status: int | None = None, follow: bool = False):
    """GET the page, post its hidden fields (CSRF token, version) plus data."""
    page = check_page(client.get(url))
    response = client.post(url, data={**hidden_fields(page), **(data or {})}, follow_redirects=follow)
    if status is not None:
        assert response.status_code == status, response.status_code
    return response


def start(client, slug: str) -> str:
    """Start a journey; return the resume code shown to the patient."""
    page = check_page(client.get(f"/procedures/{slug}"))
    token = page.select_one(f"form[action='/procedures/{slug}/start'] input[name=csrf_token]")["value"]
    response = client.post(f"/procedures/{slug}/start", data={"csrf_token": token})
    assert response.status_code == 302 and response.location.endswith("/your-code")
    return check_page(client.get("/your-code")).select_one(".app-resume-code").get_text(strip=True)


def section_answers(slug: str, catalogue) -> list[tuple[str, dict]]:
    """Each section page, in journey order, with what a patient fills in on it."""
    procedure = catalogue.get(slug)
    questions = catalogue.questions_for(procedure)
    return [
        ("/about-you", {
            "name": "Ann Example", "nhs_number": "943 476 5919", "companion": "yes",
            "interpreter": "yes", "language": "Welsh", "support_needs": "Large print, please",
        }),
        ("/about-the-procedure", {}),
        ("/benefits-and-risks", {}),
        ("/questions", {
            f"ask_{questions[0].id}": "y", f"note_{questions[0].id}": "My note about this",
            f"ask_{questions[-1].id}": "y", "own-0-text": "Can my daughter come in with me?",
        }),
        ("/questions/most-important", {"top": [f"q:{questions[0].id}", "own:0"]}),
        ("/what-matters", {
            **{f"rate_{s.id}": "very" for s in procedure.what_matters}, "views": "I am worried about pain.",
        }),
        ("/consent", {
            f"point_{p.id}": "explain" if i == 0 else "understand" for i, p in enumerate(procedure.consent_points)
        }),
        ("/where-you-are", {
            "leaning": "not-sure", "role": "together", "sure_sure": "no", "sure_understand": "yes",
            "sure_risk_benefit": "yes", "sure_encouragement": "yes",
        }),
    ]


def complete_all_sections(client, slug: str, catalogue) -> None:
    for url, data in section_answers(slug, catalogue):
        submit(client, url, data, status=302)


def send_and_download(client) -> bytes:
    """Send the answer set from check answers and download its PDF."""
    response = submit(client, "/check-answers", status=302)
    assert response.location.endswith("/confirmation")
    download = client.get("/summary.pdf")
    assert download.status_code == 200
    return download.data


def only_answer_set(app) -> AnswerSet:
    """The one answer set in the database, with its stored PDF (if any) loaded."""
    with app.app_context():
        return db.session.scalars(sa.select(AnswerSet).options(selectinload(AnswerSet.summary_pdf))).one()
