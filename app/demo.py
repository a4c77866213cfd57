"""Demo data for trying the clinician area: one account and a few sent answer sets.

Only made when someone runs `flask demo`; never part of set-up or tests' data.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

import sqlalchemy as sa

from . import audit, pdf
from .clinician.auth import hash_password
from .extensions import db
from .journey import SURE_ITEMS
from .models import AnswerSet, Clinician
from .templating import catalogue

DEMO_EMAIL = "demo.clinician@example.org"
PEOPLE = [
    ("Ann Example", "yes", "Polish", "not-sure", "together", "I am worried about the pain afterwards."),
    ("Sam Sample", "no", "", "have", "myself", "I want to get back to work quickly."),
    ("", "no", "", "not-have", "clinician", ""),
]


def _answers(procedure, person, index: int) -> dict:
    name, interpreter, language, leaning, role, views = person
    questions = catalogue().questions_for(procedure)
    chosen = {q.id: ("Can this be in the morning?" if i == 0 else "") for i, q in enumerate(questions[index:index + 3])}
    return {
        "about_you": {
            "name": name, "nhs_number": "", "companion": "yes", "interpreter": interpreter, "language": language,
            "support_needs": "Wheelchair access" if index == 1 else "",
            "appointment_date": (date.today() + timedelta(days=7 + index)).isoformat(),
        },
        "about_procedure": {"read": True},
        "benefits_risks": {"read": True},
        "questions": {"chosen": chosen, "own": ["Who can I call if I feel unwell at home?"]},
        "top_questions": {"top": [f"q:{next(iter(chosen))}", "own:0"]},
        "what_matters": {"ratings": {s.id: ("very", "quite", "not")[(i + index) % 3]
                                     for i, s in enumerate(procedure.what_matters)},
                         "views": views},
        "consent": {"points": {p.id: "explain" if i == index else "understand"
                               for i, p in enumerate(procedure.consent_points)}},
        "where_you_are": {"leaning": leaning, "role": role,
                          "sure": {key: "no" if i < index else "yes" for i, (key, _) in enumerate(SURE_ITEMS)}},
    }


def make_demo() -> tuple[str, str, list[str]]:
    """Returns the demo account's email, a fresh password, and the new references."""
    password = secrets.token_urlsafe(12)
    clinician = db.session.scalar(sa.select(Clinician).where(Clinician.email == DEMO_EMAIL))
    if clinician is None:
        clinician = Clinician(email=DEMO_EMAIL, role="admin")
        db.session.add(clinician)
    clinician.password_hash, clinician.active = hash_password(password), True
    references = []
    for procedure in catalogue():
        for index, person in enumerate(PEOPLE):
            answer_set, _, _ = AnswerSet.start(procedure.slug, procedure.version)
            answer_set.answers = _answers(procedure, person, index)
            answer_set.submit()
            db.session.add(answer_set)
            pdf.snapshot(answer_set)
            audit.record("submitted", answer_set, detail="demo data", actor=audit.SYSTEM)
            references.append(answer_set.reference)
    db.session.commit()
    return DEMO_EMAIL, password, references
