"""Demo data for trying the clinician area: a clinic, its admin, sent answer sets and invitations.

Only made when someone runs `flask demo`; never part of set-up or tests' data.
"""

from __future__ import annotations

import random
import secrets
from datetime import date, time, timedelta

import sqlalchemy as sa

from . import audit, clinics, pdf
from .clinician.auth import hash_password
from .clock import utcnow
from .content.versions import Version, versions
from .extensions import db
from .invitations import invite, uk_today
from .models import CLINIC_ADMIN, SUBMITTED, AnswerSet, AuditEvent, Clinic, Clinician, Membership
from .questionnaire.definition import SURE_ITEMS
from .questionnaire.examples import example_answers
from .summary import support_needs

DEMO_EMAIL = "demo.clinician@example.org"
DEMO_CLINIC = ("demo", "Demo clinic, Example Hospital", "")
INVITED = [(1, time(9, 30), "Priya Patel", "not opened"), (2, time(11), "Tomasz Nowak", "opened"),
           (3, time(14, 15), "Grace Jones", "in progress")]
DEMO_DETAIL = "demo data"  # the audit detail of a demo set's "submitted": how demo sets are told from real ones
PEOPLE = [
    ("Ann Example", "spoken", "Polish", "not-sure", "together", "I am worried about the pain afterwards."),
    ("Sam Sample", "no", "", "have", "myself", "I want to get back to work quickly."),
    ("", "no", "", "not-have", "clinician", ""),
]


def _answers(version: Version, person, index: int) -> dict:
    """Every item answered: these people's own words, the rest drawn (app/questionnaire/examples.py)."""
    name, interpreter, language, leaning, role, views = person
    first_question = version.procedure.all_questions[index]
    own = {"id": f"own-{secrets.token_hex(4)}", "text": "Who can I call if I feel unwell at home?"}
    given = {
        "name": name, "companion": "yes", "interpreter": interpreter, "language": language,
        "formats": ["large-print"] if index == 2 else [],
        "support_needs": "Wheelchair access" if index == 1 else "",
        "appointment_date": (date.today() + timedelta(days=7 + index)).isoformat(),
        f"ask_{first_question.id}": "Can this be in the morning?", "own": [own],
        "top": [f"ask_{first_question.id}", own["id"]], "views": views, "leaning": leaning, "role": role,
        **{key: "no" if i < index else "yes" for i, (key, _) in enumerate(SURE_ITEMS)},
    }
    return example_answers(version.questionnaire, random.Random(index), given)


def real_submissions() -> int:
    """How many sent answer sets are patients' own, not made by an earlier `flask demo`."""
    demo = sa.select(AuditEvent.reference).where(AuditEvent.action == "submitted", AuditEvent.detail == DEMO_DETAIL)
    return db.session.scalar(sa.select(sa.func.count()).select_from(AnswerSet).where(
        AnswerSet.status == SUBMITTED, AnswerSet.reference.not_in(demo)))


def make_demo() -> tuple[str, str, list[str]]:
    """Returns the demo account's email, a fresh password, and the new references."""
    password = secrets.token_urlsafe(12)
    clinician = db.session.scalar(sa.select(Clinician).where(Clinician.email == DEMO_EMAIL))
    if clinician is None:
        clinician = Clinician(email=DEMO_EMAIL, role="admin")
        db.session.add(clinician)
    clinician.password_hash, clinician.active = hash_password(password), True
    clinic = db.session.scalar(sa.select(Clinic).where(Clinic.slug == DEMO_CLINIC[0]))
    if clinic is None:
        clinic = clinics.create(*DEMO_CLINIC)
    if clinic.id not in clinician.clinic_ids:
        db.session.add(Membership(clinic=clinic, clinician=clinician, role=CLINIC_ADMIN))
    references = []
    for version in versions().live():
        for index, person in enumerate(PEOPLE):
            answer_set, _, _ = AnswerSet.start(version.slug, version.id, clinic_id=clinic.id)
            answer_set.answers = _answers(version, person, index)
            answer_set.needs_interpreter, answer_set.needs_format = support_needs(version.questionnaire,
                                                                                  answer_set.answers)
            answer_set.pages_saved = {page.key: version.version for page in version.questionnaire.pages}
            answer_set.submit()
            db.session.add(answer_set)
            pdf.snapshot(answer_set, version)
            audit.record("submitted", answer_set, detail=DEMO_DETAIL, actor=audit.SYSTEM)
            references.append(answer_set.reference)
    references += _invited(clinic, clinician)
    db.session.commit()
    return DEMO_EMAIL, password, references


def _invited(clinic: Clinic, clinician: Clinician) -> list[str]:
    """Invitations for the next few days: one not opened, one opened, one part way through."""
    version = versions().live()[0]
    made = []
    for days, at, name, state in INVITED:
        invitation, _ = invite(clinic, version, day=uk_today() + timedelta(days=days), at=at, name=name,
                               created_by=clinician)
        answer_set = invitation.answer_set
        if state != "not opened":
            invitation.opened_at = utcnow()
        if state == "in progress":
            first = version.questionnaire.pages[0]
            answers = {**answer_set.answers, "companion": "yes"}
            answer_set.save_page(first.key, answers, version.version, support_needs(version.questionnaire, answers))
        made.append(answer_set.reference)
    return made
