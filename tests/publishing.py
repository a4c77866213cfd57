"""The shipped procedures published into a database, as `flask content publish` leaves them, without an app.

With two clinics, as `flask clinics create` makes them: every test database
starts with both, so a test can show one clinic's staff never see the other's.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.content import checks
from app.content.versions import version_row
from app.extensions import db
from app.models import Clinic, PublishedProcedure
from app.questionnaire.definition import QUESTIONNAIRE

# (slug, name); their ids are 1 and 2. Patients who start alone land in the first (support.app_config).
CLINICS = (("breast-royal", "Breast surgery, Royal Example"), ("liver-general", "Liver unit, Example General"))
CLINIC_A, CLINIC_B = 1, 2
# The day the shipped files' review-by dates were last set: the test databases are built as if published then.
# tests/unit/test_content_checks.py checks the files against today, and fails once their review is due.
TODAY = date(2026, 12, 2)


def publish_shipped(url: str, tables: bool = True) -> None:
    """The app's tables (unless `tables` is false) and every shipped procedure published on its first version."""
    engine = sa.create_engine(url)
    try:
        if tables:
            db.metadata.create_all(engine)
        report = checks.check(QUESTIONNAIRE, TODAY)
        assert not report.problems, report.problems
        with Session(engine) as session:
            for content in report.passed:
                row = version_row(content, QUESTIONNAIRE, "test set-up")
                session.add(row)
                session.flush()
                session.add(PublishedProcedure(slug=row.slug, version_id=row.id))
            for slug, name in CLINICS:
                session.add(Clinic(slug=slug, name=name, inbox=f"{slug}@example.org"))
            session.commit()
    finally:
        engine.dispose()
