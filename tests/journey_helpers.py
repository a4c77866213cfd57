"""Drive the patient journey through the test client as a browser would: read the form, fill it, post it."""

from __future__ import annotations

import random

import sqlalchemy as sa
from bs4 import BeautifulSoup
from sqlalchemy.orm import selectinload

from app.content.versions import Version, versions
from app.extensions import db
from app.forms import NOTE_LIMIT
from app.models import AnswerSet
from app.questionnaire.examples import example_answers, page_data
from app.questionnaire.items import Ask, OwnQuestions
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


WORDS = ("appointment", "worried", "family", "driving", "work", "pain", "recovery", "results", "scan", "needle",
         "home", "sleep", "week", "nurse", "travel", "cost", "time", "help", "after", "before", "please", "about")


def words_of_length(limit: int, start: str = "") -> str:
    """Plain words run on to exactly `limit` characters, not ending in a space (saving strips it).

    The words are drawn at random (seeded by `start`), so no two lines repeat,
    as no real answer's lines would.
    """
    rng = random.Random(start)
    text = start
    while len(text) < limit:
        text += rng.choice(WORDS) + rng.choice((" ", " ", " ", ", ", ". "))
    text = text[:limit]
    return text[:-1] + "x" if text.endswith(" ") else text


OWN_QUESTION_LIMIT = 500  # app/questionnaire/items.py, _OwnQuestionForm


def answers_at_their_limits(version: Version) -> dict:
    """Ann's answers with every one as long as the questionnaire allows, and every at-a-glance list full:
    each text at its limit, every suggested question asked with a full note, all the patient's own
    questions, every SURE answer "no" and every consent point to be explained."""
    questionnaire = version.questionnaire
    glance = questionnaire.glance
    answers = patient_answers(version)
    for item in questionnaire.items:
        limit = getattr(item, "limit", None)
        if item.kind in ("text", "long_text"):
            answers[item.id] = words_of_length(limit, f"{item.heading}: ")
        elif isinstance(item, Ask):
            answers[item.id] = words_of_length(NOTE_LIMIT, f"Note on {item.id}: ")
        elif isinstance(item, OwnQuestions):
            answers[item.id] = [{"text": words_of_length(OWN_QUESTION_LIMIT, f"Own question {i + 1}: ")}
                                for i in range(limit)]
    answers.update({key: "no" for key in glance.sure})
    for group in questionnaire.groups():
        if group.heading == glance.to_explain:
            answers.update({i.id: glance.explain_value for i in group.items})
    answers[glance.appointment] = "2030-02-28"
    return answers


def complete_at_their_limits(client, slug: str, app) -> None:
    """Every page answered as answers_at_their_limits says; the most important are three of their own,
    chosen as the page offers them (their ids are given when they are saved)."""
    version = live(app, slug)
    answers = answers_at_their_limits(version)
    for page in version.questionnaire.pages:
        data = page_data(version.questionnaire, page.key, answers)
        if page.key == "top_questions":
            offered = check_page(client.get(page.path)).select("input[name=top]")
            data = {"top": [box["value"] for box in offered if box["value"].startswith("own-")][:3]}
        submit(client, page.path, data, status=302)
