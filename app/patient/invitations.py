"""The invitation link staff send or print, and "email me my link" on the your-code page."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, session, url_for

from .. import audit, mail
from ..extensions import db, limiter
from ..i18n import gettext
from ..invitations import expired, open_invitation
from ..models import Invitation
from ..rate_limits import configured, failed
from . import access, bp, views
from .forms import EmailLinkForm


@bp.get("/invitation/<token>", endpoint="open_invitation")
@views.resume_limit(methods=["GET"])
def open_invitation_link(token: str):
    """Start the patient on the answer set made for them, or carry on with it."""
    invitation = Invitation.by_token(token)
    if invitation is None:
        return render_template("patient/link_not_found.html"), 404
    answer_set = invitation.answer_set
    if not answer_set.submitted and (invitation.cancelled_at or expired(invitation)):
        # Counted as a failed try, like a wrong link: the page is the same for either reason.
        return render_template("patient/invitation_closed.html", cancelled=invitation.cancelled_at is not None), 410
    first = open_invitation(invitation)
    if first:
        audit.record("opened", answer_set, detail="invitation link")
    db.session.commit()
    access.remember(answer_set, resume_code=access.code_from_link(answer_set, token), link_token=token)
    return redirect(url_for("patient.your_code" if first else "patient.tasks"))


def _this_answer_set() -> str:
    return f"email-link:{session.get(access.SESSION_KEY)}"


@bp.post("/your-code/email")
@limiter.limit(configured("EMAIL_LINK_LIMIT"), key_func=_this_answer_set, deduct_when=lambda r: not failed(r))
@limiter.limit(configured("EMAIL_LINK_LIMIT"), deduct_when=lambda r: not failed(r))
def email_my_link():
    """Send the patient their private link, to an address they give now."""
    answer_set = access.current()
    resume_link = access.resume_link()
    if answer_set is None or not resume_link:
        return redirect(url_for("patient.resume"))
    form = EmailLinkForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            form.csrf_token.errors = []
            flash(gettext("This page timed out. Press Email me my link again."))
        return views.your_code(email_form=form), 400
    delivery = mail.send(mail.resume_link(resume_link), form.email.data, answer_set=answer_set)
    audit.record("emailed-link", answer_set, detail=delivery.status)
    db.session.commit()
    if delivery.status == mail.SENT:
        flash(gettext("We have sent your link to %(email)s. It may take a few minutes to arrive.",
                      email=form.email.data), "success")
    else:
        current_app.logger.warning("Resume link email failed for answer set %s", answer_set.id)
        flash(gettext("Sorry, we could not send the email. Write down your resume code instead, or try again later."),
              "error")
    return redirect(url_for("patient.your_code"))
