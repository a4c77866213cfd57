"""Saving what a request changed: all of it or none of it, and a plain answer when the database fails.

Every page that writes runs its changes (answers, notes, audit events) in one
`with all_or_nothing():` block, so a lost connection, a full disk or a
deadlock leaves nothing half-saved, and the page can be shown again with what
the person typed.
"""

from __future__ import annotations

from contextlib import contextmanager

from flask import current_app, request
from sqlalchemy.exc import IntegrityError, SQLAlchemyError, StatementError
from sqlalchemy.orm.exc import StaleDataError

from .extensions import db

# The database, not the person, is at fault, and it may well work in a minute.
UNAVAILABLE = 503
# Flash category for a failed save: the page announces it at once (role="alert").
FAILED = "error"


class SaveFailed(Exception):
    """The database did not take the changes; every one of them was rolled back."""


@contextmanager
def all_or_nothing():
    """Commit the block's changes together; on any error roll them all back.

    StaleDataError comes out as it is (someone else saved first: the caller
    says so); any other database error is logged and comes out as SaveFailed.
    """
    try:
        yield
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise
    except SQLAlchemyError as error:
        db.session.rollback()
        # Not logger.exception, and only the driver's first line: the rest (the SQL's
        # parameters, PostgreSQL's DETAIL) can hold a patient's answers.
        cause = error.orig if isinstance(error, StatementError) and error.orig else error
        first_line = next(iter(str(cause).splitlines()), "")
        current_app.logger.error(
            "Could not save %s %s, rolled back: %s: %s", request.method, request.path, type(cause).__name__, first_line
        )
        raise SaveFailed from error
    except BaseException:
        db.session.rollback()
        raise


REFERENCE_DRAWS = 3


def with_fresh_reference(make):
    """Save what `make()` adds (a new answer set and what goes with it) and return what it returned.

    A reference is drawn at random and short enough to read out on the phone,
    so with a million answer sets stored about one draw in 250 is taken
    already: then `make` is called again, for a new draw.
    """
    for attempt in range(1, REFERENCE_DRAWS + 1):
        try:
            with all_or_nothing():
                made = make()
            return made
        except SaveFailed as failed:
            if attempt == REFERENCE_DRAWS or not isinstance(failed.__cause__, IntegrityError):
                raise
