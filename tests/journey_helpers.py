"""Drive the patient journey through the test client as a browser would: read the form, fill it, post it."""

from __future__ import annotations

import random

import sqlalchemy as sa
from bs4 import BeautifulSoup
from sqlalchemy.orm import selectinload

from app.content.versions import Version, versions
from app.extensions import db
from app.models import AnswerSet
from app.questionnaire.examples import example_answers, page_data
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


def live(app, slug: str) -> Version:
    """The version of a procedure that patients start on now."""
    with app.app_context():
        return versions().live_for(slug)


def patient_answers(version: Version) -> dict:
    """What Ann gives on every page, by item id; anything else the questionnaire asks is drawn for her."""
    procedure = version.procedure
    questions = procedure.all_questions
    given = {
        "name": "Ann Example", "nhs_number": "943 476 5919", "companion": "yes", "interpreter": "spoken",
        "language": "Welsh", "formats": ["large-print"], "support_needs": "A hearing loop, please",
        "companion_questions": [{"text": "Can I stay with her afterwards?"}],
        "companion_worries": "How she will get home.",
        **{f"ask_{q.id}": None for q in questions},
        f"ask_{questions[0].id}": "My note about this", f"ask_{questions[-1].id}": "",
        "own": [{"text": "Can my daughter come in with me?"}],  # new, so it has no id until saved
        "top": [f"ask_{questions[0].id}", f"ask_{questions[-1].id}"],
        **{f"rate_{s.id}": "very" for s in procedure.what_matters}, "views": "I am worried about pain.",
        **{f"point_{p.id}": "explain" if i == 0 else "understand" for i, p in enumerate(procedure.all_consent_points)},
        "leaning": "not-sure", "role": "together", "sure_sure": "no", "sure_understand": "yes",
        "sure_risk_benefit": "yes", "sure_encouragement": "yes",
    }
    return example_answers(version.questionnaire, random.Random(0), given)


def section_answers(version: Version) -> list[tuple[str, dict]]:
    """Each page, in journey order, with what Ann posts on it."""
    answers = patient_answers(version)
    return [(page.path, page_data(version.questionnaire, page.key, answers)) for page in version.questionnaire.pages]


def complete_all_sections(client, slug: str, app) -> None:
    for url, data in section_answers(live(app, slug)):
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
