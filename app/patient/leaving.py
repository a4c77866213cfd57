"""Leaving: signing out on a shared computer, and deleting answers that have not been sent."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, url_for
from sqlalchemy.orm.exc import StaleDataError

from .. import audit, saving
from ..extensions import db
from ..i18n import clear_session, gettext
from ..i18n import lazy_gettext as _l
from ..models import AnswerSet
from . import access, bp
from .forms import DeleteForm

SIGN_OUT_FAILED_MESSAGE = _l("Sorry, we could not finish signing you out everywhere. This browser is signed out. "
                              "If you used another device, sign out there too.")
DELETE_FAILED_MESSAGE = _l("Sorry, we could not delete your answers. They are still saved. Try again in a minute.")
# Asks the browser to drop what it kept of this site's pages (the Back button's copies among them).
CLEAR_CACHE = {"Clear-Site-Data": '"cache"'}


def end_session(answer_set: AnswerSet | None):
    """Sign out every browser on this answer set, then say how to come back."""
    ended = answer_set is None
    for _ in range(2):
        try:
            with saving.all_or_nothing():
                access.sign_out(answer_set)
                if answer_set is not None:
                    audit.record("signed-out", answer_set)
            ended = True
            break
        except StaleDataError:
            db.session.refresh(answer_set)  # another tab saved a moment before: sign out on top of it
        except saving.SaveFailed:
            break
    clear_session()  # this browser, whatever the database said (but its language)
    if not ended:
        current_app.logger.warning("Could not end the sessions of answer set %s", answer_set.id)
        flash(str(SIGN_OUT_FAILED_MESSAGE), saving.FAILED)
    return redirect(url_for("patient.signed_out")), 302, CLEAR_CACHE


@bp.post("/sign-out")
def sign_out():
    """No CSRF check: signing someone out harms nobody, and a stale page must never stop a patient leaving."""
    return end_session(access.current())


@bp.get("/signed-out")
def signed_out():
    return render_template("patient/signed_out.html")


@bp.route("/delete-my-answers", methods=["GET", "POST"])
def delete_answers():
    """A confirmation page, then the answer set is deleted with everything that hangs off it."""
    form = DeleteForm()
    status = 200
    if form.validate_on_submit():
        answer_set = g.answer_set
        try:
            with saving.all_or_nothing():
                # The audit keeps only that a set with this reference was deleted, by the patient.
                audit.record("deleted-by-patient", answer_set)
                db.session.delete(answer_set)  # its PDF and notes go with it (ON DELETE CASCADE)
        except (saving.SaveFailed, StaleDataError):
            flash(str(DELETE_FAILED_MESSAGE), saving.FAILED)
            status = saving.UNAVAILABLE
        else:
            access.sign_out(None)
            return redirect(url_for("patient.answers_deleted")), 302, CLEAR_CACHE
    elif form.csrf_token.errors:
        form.csrf_token.errors = []
        flash(gettext("This page timed out, so we have not deleted anything. Press Yes, delete my answers again."))
    return render_template("patient/delete.html", form=form, answer_set=g.answer_set, procedure=g.procedure), status


@bp.get("/answers-deleted")
def answers_deleted():
    return render_template("patient/deleted.html")
