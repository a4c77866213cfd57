"""Fixtures the clinician area's tests share: a signed-in clinician, and an answer set sent through the journey."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AnswerSet
from clinician_helpers import sign_in
from journey_helpers import complete_all_sections, start, submit

BREAST = "breast-interstitial-laser-therapy"


@pytest.fixture
def signed_in(app, client, make_clinician):
    email, password = make_clinician()
    assert sign_in(client, email, password).status_code == 302
    return email


@pytest.fixture
def sent(app, client):
    """One answer set sent through the real patient journey; returns its reference."""
    patient = app.test_client()
    start(patient, BREAST)
    complete_all_sections(patient, BREAST, app)
    submit(patient, "/check-answers", status=302)
    with app.app_context():
        return db.session.scalars(sa.select(AnswerSet.reference)).one()
