"""A newer version published while a patient is part way: their answers move on to it, and they are told.

Unchanged pages stay done; pages with new or reworded items are to be
checked again; answers to removed items are kept, as given on the earlier
version. The next page they open says what changed.
"""

from __future__ import annotations

from flask import current_app, flash
from sqlalchemy.orm.exc import StaleDataError

from .. import audit, saving
from ..content.versions import Version
from ..models import AnswerSet, utcnow
from ..questionnaire import changes
from ..questionnaire.structure import ResolvedPage

UPDATED = "updated"  # the flash category: the page shows what changed, from the answer set's updates


def move_on(answer_set: AnswerSet, newer: Version, current: Version) -> Version:
    """Move the answer set to `newer` and save it; return the version it follows afterwards.

    If saving fails (another tab moved it first, the database is away), it
    stays on the version it had, which is still whole, and moves next time.
    """
    legacy = answer_set.content_version_id is None
    moved = changes.move_on(answer_set.answers, answer_set.pages_saved, None if legacy else current.questionnaire,
                            None if legacy else current.snapshot, newer.questionnaire, newer.snapshot,
                            newer.version, current.version)
    try:
        with saving.all_or_nothing():
            answer_set.answers = moved.answers
            answer_set.pages_saved = moved.pages_saved
            answer_set.earlier_answers = [*answer_set.earlier_answers, *moved.earlier]
            answer_set.updates = [*answer_set.updates, {
                "from": current.version, "to": newer.version, "at": utcnow().isoformat(timespec="seconds"),
                "changes": [c.as_dict() for c in moved.changes], "unknown": legacy,
            }]
            answer_set.content_version_id = newer.id
            audit.record("moved-version", answer_set, detail=f"{current.version} to {newer.version}")
    except (saving.SaveFailed, StaleDataError):
        current_app.logger.warning("Could not move answer set %s to version %s", answer_set.id, newer.version)
        return current
    flash(UPDATED, UPDATED)
    return newer


def to_recheck(answer_set: AnswerSet, version: Version, page: ResolvedPage) -> dict[str, str]:
    """Items on this page added or reworded since the patient saved it, with their earlier words ("" if new)."""
    saved_on = answer_set.pages_saved.get(page.key)
    if not saved_on or saved_on == version.version:
        return {}
    on_page = {item.id for item in page.items}
    found = {}
    for update in answer_set.updates:
        for change in update["changes"]:
            if change["id"] in on_page and change["kind"] in (changes.ADDED, changes.REWORDED):
                found[change["id"]] = change["before"]
    return found

