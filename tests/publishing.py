"""The shipped procedures published into a database, as `flask content publish` leaves them, without an app."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.content import files
from app.content.versions import version_row
from app.extensions import db
from app.models import PublishedProcedure
from app.questionnaire.definition import QUESTIONNAIRE


def publish_shipped(url: str, tables: bool = True) -> None:
    """The app's tables (unless `tables` is false) and every shipped procedure published on its first version."""
    engine = sa.create_engine(url)
    try:
        if tables:
            db.metadata.create_all(engine)
        found, problems = files.read_folder()
        assert not problems, problems
        with Session(engine) as session:
            for content in found:
                row = version_row(content, QUESTIONNAIRE, "test set-up")
                session.add(row)
                session.flush()
                session.add(PublishedProcedure(slug=row.slug, version_id=row.id))
            session.commit()
    finally:
        engine.dispose()
