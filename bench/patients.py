"""Patients part way through their journeys, each with the cookie their browser would hold.

A benchmark that saves pages needs many answer sets: a save bumps the
version, so a second save of the same form would be refused as coming from a
stale tab. Each one here gets its own signed session cookie and CSRF token,
made with the app's own signing, as if the patient had just started.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask, session
from flask_wtf.csrf import generate_csrf

from app.extensions import db
from app.models import AnswerSet
from app.patient.access import SESSION_KEY


@dataclass(frozen=True)
class Patient:
    answer_set_id: int
    cookie: str  # the Cookie header's value
    csrf_token: str


def make_patients(app: Flask, count: int, answers_by_slug: dict[str, AnswerSet]) -> list[Patient]:
    """`count` answer sets holding these answers (procedures in turn), each with its browser's cookie.

    `answers_by_slug` holds an answer set per procedure to copy: its version, answers and saved pages.
    """
    slugs = list(answers_by_slug)
    with app.app_context():
        # References are drawn at random, so tens of thousands clash a few times:
        # draw again before the insert, as the app does after one (patient/views.py).
        taken = set(db.session.scalars(sa.select(AnswerSet.reference)))
        answer_sets = []
        for n in range(count):
            model = answers_by_slug[slugs[n % len(slugs)]]
            answer_set, _, _ = AnswerSet.start(model.procedure_slug, model.content_version_id)
            while answer_set.reference in taken:
                answer_set, _, _ = AnswerSet.start(model.procedure_slug, model.content_version_id)
            taken.add(answer_set.reference)
            answer_set.answers, answer_set.pages_saved = model.answers, model.pages_saved
            answer_sets.append(answer_set)
        db.session.add_all(answer_sets)
        db.session.commit()
        ids = [a.id for a in answer_sets]
    return signed_in(app, ids)


def signed_in(app: Flask, answer_set_ids: list[int]) -> list[Patient]:
    """A browser's cookie and form token for each answer set, as if the patient had just resumed."""
    serializer = app.session_interface.get_signing_serializer(app)
    patients = []
    for answer_set_id in answer_set_ids:
        with app.test_request_context():
            session.permanent = True
            session[SESSION_KEY] = answer_set_id
            token = generate_csrf()
            cookie = f"{app.config['SESSION_COOKIE_NAME']}={serializer.dumps(dict(session))}"
        patients.append(Patient(answer_set_id, cookie, token))
    return patients
