"""The content check and publishing as this app runs them: the command line and the staff pages call these.

Drafts are the files in CONTENT_DIR whose version patients do not see yet.
So there is one place content comes from, one check, and one way to publish,
whether an administrator presses Publish on a staff page or a deployment runs
`flask content publish`: the page and the command cannot disagree.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import current_app

from ..clock import utcnow
from ..models import ContentVersion
from ..templating import long_date, uk_time
from . import checks, files
from .versions import live_versions


def today() -> date:
    """Today in the UK, by the app's clock (app/clock.py)."""
    return uk_time(utcnow()).date()


def check_folder(only: list[Path] | None = None) -> checks.Report:
    """The content check on this app's files (or `only` these), with the versions patients see now held apart."""
    config = current_app.config
    return checks.check(config["QUESTIONNAIRE"], today(), live_versions(),
                        folder=Path(config["CONTENT_DIR"] or files.PROCEDURES_DIR),
                        standard_file=Path(config["STANDARD_QUESTIONS"] or files.STANDARD_QUESTIONS_FILE),
                        sources=Path(config["SOURCES_DIR"] or checks.SOURCES_DIR), only=only)


def overdue_message(row: ContentVersion) -> str:
    """A live version due for review, as 'file: field: what to do'."""
    when = (f"was due for review by {long_date(row.review_by)}" if row.review_by
            else "has no review-by date (it was published before they were kept)")
    return (f"{row.file_name}: review_by: version {row.version}, which patients see now, {when}. Patients still "
            "see it. Check it against the latest NICE guidance, then publish a version with a new review-by date")
