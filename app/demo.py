"""Demo data for trying the clinician area: one account and a few sent answer sets.

Only made when someone runs `flask demo`; never part of set-up or tests' data.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

import sqlalchemy as sa

from . import audit, pdf
from .clinician.auth import hash_password
from .content.versions import Version, versions
from .extensions import db
from .models import AnswerSet, Clinician
from .questionnaire.definition import SURE_ITEMS

DEMO_EMAIL = "demo.clinician@example.org"
PEOPLE = [
    ("Ann Example", "yes", "Polish", "not-sure", "together", "I am worried about the pain afterwards."),
    ("Sam Sample", "no", "", "have", "myself", "I want to get back to work quickly."),
    ("", "no", "", "not-have", "clinician", ""),
]


def _answers(version: Version, person, index: int) -> dict:
    """Answers as the journey stores them: each under its item's id (app/questionnaire/definition.py)."""
    procedure = version.procedure
    name, interpreter, language, leaning, role, views = person
    asked = procedure.all_questions[index:index + 3]
    own_id = f"own-{secrets.token_hex(4)}"
    return {
        "name": name, "nhs_number": "", "companion": "yes", "interpreter": interpreter, "language": language,
        "support_needs": "Wheelchair access" if index == 1 else "",
        "appointment_date": (date.today() + timedelta(days=7 + index)).isoformat(),
        "read_procedure": True, "read_benefits_risks": True,
        **{f"ask_{q.id}": ("Can this be in the morning?" if i == 0 else "") for i, q in enumerate(asked)},
        "own": [{"id": own_id, "text": "Who can I call if I feel unwell at home?"}],
        "top": [f"ask_{asked[0].id}", own_id],
        **{f"rate_{s.id}": ("very", "quite", "not")[(i + index) % 3] for i, s in enumerate(procedure.what_matters)},
        "views": views,
        **{f"point_{p.id}": "explain" if i == index else "understand"
           for i, p in enumerate(procedure.all_consent_points)},
        "leaning": leaning, "role": role,
        **{key: "no" if i < index else "yes" for i, (key, _) in enumerate(SURE_ITEMS)},
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
    for version in versions().live():
        for index, person in enumerate(PEOPLE):
            answer_set, _, _ = AnswerSet.start(version.slug, version.id)
            answer_set.answers = version.questionnaire.reconcile(_answers(version, person, index))
            answer_set.pages_saved = {page.key: version.version for page in version.questionnaire.pages}
            answer_set.submit()
            db.session.add(answer_set)
            pdf.snapshot(answer_set, version)
            audit.record("submitted", answer_set, detail="demo data", actor=audit.SYSTEM)
            references.append(answer_set.reference)
    db.session.commit()
    return DEMO_EMAIL, password, references
