"""A signed-in clinician of one clinic, and each way they read the submissions list.

The seed spreads answer sets over its clinics (bench/seed.py); the clinician
belongs to the first, so every list is one clinic's share of the rows, as a
clinician of a national deployment would see it.
"""

from __future__ import annotations

from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Flask

from app.accounts import hash_password
from app.clinician.forms import NEEDS_FORMAT, NEEDS_INTERPRETER, NOT_REVIEWED, REVIEWED
from app.clinician.views import PAGE_SIZE
from app.clinician.views import _cursor as cursor  # the list's own paging cursor, as its links carry it
from app.content.versions import versions
from app.extensions import db
from app.models import SUBMITTED, AnswerSet, Clinic, Clinician, Membership
from app.templating import uk_time

from .journey import Browser, Timings

EMAIL = "bench.nurse@example.org"
PASSWORD = "bench only, not a real password"


def first_clinic(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Clinic.id).where(Clinic.slug == "bench-clinic-01"))


def signed_in_clinician(app: Flask, base_url: str) -> str:
    """Make a clinician of the first seeded clinic and sign in through the sign-in page; returns the Cookie header."""
    clinic_id = first_clinic(app)
    with app.app_context():
        clinician = Clinician(email=EMAIL, password_hash=hash_password(PASSWORD))
        db.session.add_all([clinician, Membership(clinician=clinician, clinic_id=clinic_id)])
        db.session.commit()
    browser = Browser(base_url, Timings())
    browser.get("/clinician/sign-in")
    browser.post("/clinician/sign-in", {"email": EMAIL, "password": PASSWORD})
    return browser.cookie


def list_variants(app: Flask) -> dict[str, str]:
    """Each way a clinician reads the list, as the address their browser asks for.

    The later pages and the last "not reviewed" page were the slowest at 10⁶
    before the list had its indexes, so they stay in. Pages come by keyset
    (after or before a row), so page 11 stands for every later page.
    """
    clinic_id = first_clinic(app)
    with app.app_context():
        submitted = sa.select(AnswerSet).where(AnswerSet.status == SUBMITTED, AnswerSet.clinic_id == clinic_id)
        newest_first = (AnswerSet.submitted_at.desc(), AnswerSet.id.desc())

        def last_on_page(query, page: int) -> AnswerSet:
            return db.session.scalars(query.order_by(*newest_first).offset(page * PAGE_SIZE - 1).limit(1)).one()

        total = db.session.scalar(sa.select(sa.func.count()).select_from(submitted.subquery()))
        # One clinic of the 10³ site has about 90 sent sets: fewer than ten pages.
        tenth = last_on_page(submitted, min(10, total // PAGE_SIZE))
        waiting = submitted.where(AnswerSet.reviewed_at.is_(None))
        last_waiting = db.session.scalars(
            waiting.order_by(AnswerSet.submitted_at, AnswerSet.id).offset(10).limit(1)).one()
        some = db.session.scalars(submitted.order_by(AnswerSet.id).offset(total // 3).limit(1)).one()
        # Dates two pages apart: between them a full page at every size, so both sizes print as many
        # rows (one clinic's month at 10³ held 4, at 10⁶ hundreds). A 10³ clinic has about 90 sent.
        newest = submitted.order_by(*newest_first)
        latest, earlier = (db.session.scalars(newest.offset(offset).limit(1)).one()
                           for offset in (total // 4, total // 4 + 2 * PAGE_SIZE))
        procedure = versions().live()[0].slug
    dates = {f"{name}[{part}]": getattr(uk_time(row.submitted_at), part)
             for name, row in (("sent_from", earlier), ("sent_to", latest)) for part in ("day", "month", "year")}
    return {name: "/clinician/" + (f"?{urlencode(query)}" if query else "") for name, query in {
        "first page": {},
        "Older, page 11": {"after": cursor(tenth)},
        "Newer, from page 11": {"before": cursor(tenth)},
        "one procedure": {"procedure": procedure},
        "not reviewed": {"status": NOT_REVIEWED},
        "not reviewed, last page": {"status": NOT_REVIEWED, "after": cursor(last_waiting)},
        "reviewed": {"status": REVIEWED},
        "one procedure, not reviewed": {"procedure": procedure, "status": NOT_REVIEWED},
        "needs an interpreter": {"needs": NEEDS_INTERPRETER},
        "needs another format, not reviewed": {"needs": NEEDS_FORMAT, "status": NOT_REVIEWED},
        "sent between two dates": dates,
        "search by reference": {"reference": some.reference.removeprefix("PFP-").lower()},
    }.items()}
