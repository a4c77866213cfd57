"""Invitations: staff invite a patient, then print the letter, show the QR code, email the link or cancel."""

from __future__ import annotations

import base64

import sqlalchemy as sa
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import contains_eager
from wtforms.fields.choices import SelectChoice

from .. import audit, mail, saving
from ..components import typed
from ..content.versions import versions
from ..extensions import db
from ..i18n import WELSH, gettext, in_language
from ..invitations import (
    STATUS_COLOURS,
    appointment_at,
    invite,
    link,
    qr_code,
    status,
    uk_today,
    writing_languages,
)
from ..models import AnswerSet, Invitation, is_reference, utcnow
from ..pdf import PdfError, render_pdf
from ..templating import clock, long_date, uk_datetime
from . import bp, scope
from .forms import ActionForm, InvitationForm
from .views import procedure_titles

LISTED = 200  # invitations on the list at once, soonest appointment first


def _invitation_or_404(reference: str) -> Invitation:
    """An invitation of one of this person's clinics, by its answer set's reference."""
    if not is_reference(reference):
        abort(404)
    invitation = db.session.scalar(scope.visible(
        sa.select(Invitation).join(Invitation.answer_set).where(AnswerSet.reference == reference)
        .options(contains_eager(Invitation.answer_set)), Invitation.clinic_id))
    return invitation or abort(404)


@bp.get("/invitations")
def invitations():
    seen = scope.clinics()
    clinic = scope.chosen(seen, request.args.get("clinic"))
    rows = []
    if clinic is not None:
        query = (sa.select(Invitation).join(Invitation.answer_set).options(contains_eager(Invitation.answer_set))
                 .where(Invitation.clinic_id == clinic.id, AnswerSet.appointment_on >= uk_today())
                 .order_by(AnswerSet.appointment_on, AnswerSet.appointment_time, Invitation.id).limit(LISTED))
        for invitation in db.session.scalars(query):
            answer_set = invitation.answer_set
            rows.append((invitation, answer_set, status(answer_set, invitation), appointment_at(answer_set)))
    page = render_template("clinician/invitations.html", clinic=clinic, rows=rows, colours=STATUS_COLOURS,
                           listed=LISTED, clinic_items=scope.switch_items(seen, clinic), titles=procedure_titles())
    if clinic is not None:
        audit.listed("invitations", clinic.id)
        db.session.commit()  # after rendering: a commit expires what was loaded
    return page


def _invitation_form() -> InvitationForm:
    form = InvitationForm()
    form.clinic.choices = [SelectChoice(str(c.id), c.name) for c in scope.clinics()]
    if len(form.clinic.choices) > 1:
        form.clinic.choices.insert(0, SelectChoice("", "Select a clinic"))
    form.procedure.choices = [SelectChoice("", "Select a procedure")] + [
        SelectChoice(v.slug, v.procedure.title) for v in versions().live()]
    if request.method == "GET" and request.args.get("clinic"):
        form.clinic.data = request.args["clinic"]
    return form


@bp.route("/invitations/new", methods=["GET", "POST"])
def new_invitation():
    form = _invitation_form()
    if not form.clinic.choices:
        abort(403)  # in no clinic: nobody to invite for
    if not form.validate_on_submit():
        return render_template("clinician/new_invitation.html", form=form), 400 if form.errors else 200
    clinic = scope.chosen(scope.clinics(), form.clinic.data)
    try:
        invitation, _ = invite(
            clinic, versions().live_for(form.procedure.data), day=form.appointment_date.data,
            at=form.appointment_time.time, name=(form.name.data or "").strip(), nhs_number=form.nhs_number.data or "",
            email=form.email.data or "", mobile=form.mobile.data or "", created_by=current_user)
        audit.record("invited", invitation.answer_set, detail=f"for {clinic.name}")
        db.session.commit()
    except saving.SaveFailed:
        flash("Sorry, we could not save the invitation. We have kept what you typed. Try again in a minute.",
              saving.FAILED)
        return render_template("clinician/new_invitation.html", form=form), saving.UNAVAILABLE
    reference = invitation.answer_set.reference
    if invitation.email:
        _email(invitation, mail.invitation(link(invitation), reference, writing_languages(invitation)))
    flash(f"Invitation {reference} made." + (" We have emailed the link." if invitation.email and
                                               invitation.deliveries[-1].status == mail.SENT else ""), "success")
    return redirect(url_for("clinician.invitation", reference=reference))


def _email(invitation: Invitation, email: mail.Email) -> None:
    mail.send(email, invitation.email, invitation=invitation, answer_set=invitation.answer_set)
    audit.record("emailed", invitation.answer_set, detail=email.kind)
    db.session.commit()


@bp.get("/invitations/<reference>")
def invitation(reference: str):
    invitation = _invitation_or_404(reference)
    answer_set = invitation.answer_set
    url = link(invitation)
    return render_template(
        "clinician/invitation.html", invitation=invitation, answer_set=answer_set, rows=_rows(invitation),
        status=status(answer_set, invitation), colours=STATUS_COLOURS, link=url, qr_svg=qr_code(url, "svg").decode(),
        action_form=ActionForm(), kinds=mail.KIND_WORDS)


def _rows(invitation: Invitation) -> list[dict]:
    """The invitation's facts as a summary list; what staff typed about the patient stays text."""
    answer_set, starts = invitation.answer_set, appointment_at(invitation.answer_set)
    answers = answer_set.answers
    made = f"{uk_datetime(invitation.created_at)}" + (f" by {invitation.created_by.email}"
                                                      if invitation.created_by else "")
    facts = [
        ("Procedure", versions().of(answer_set).procedure.title),
        ("Appointment", f"{long_date(starts)}, {clock(starts)}"),
        ("Name", answers.get("name") or "Not given"),
        ("NHS number", answers.get("nhs_number") or "Not given"),
        ("Email", invitation.email or "Not given"),
        ("Mobile", invitation.mobile or "Not given"),
        ("Made", made),
        ("Opened", uk_datetime(invitation.opened_at) if invitation.opened_at else "Not yet"),
    ]
    if invitation.cancelled_at:
        facts.append(("Cancelled", uk_datetime(invitation.cancelled_at)))
    return [{"key": {"text": key}, "value": {"text": typed(value)}} for key, value in facts]


@bp.get("/invitations/<reference>/qr.<kind>")
def invitation_qr(reference: str, kind: str):
    if kind not in ("svg", "png"):
        abort(404)
    invitation = _invitation_or_404(reference)
    audit.record("qr-code", invitation.answer_set, detail=kind.upper())
    db.session.commit()
    return Response(qr_code(link(invitation), kind), content_type="image/svg+xml" if kind == "svg" else "image/png",
                    headers={"Content-Disposition": f'attachment; filename="invitation-{reference}.{kind}"',
                             "Cache-Control": "no-store"})


@bp.get("/invitations/<reference>/letter.pdf")
def invitation_letter(reference: str):
    """The A4 letter to post or hand over: the link, its QR code, the appointment and what to do."""
    invitation = _invitation_or_404(reference)
    answer_set = invitation.answer_set
    html = render_template("clinician/letter.html", parts=_letter_parts(invitation), reference=reference,
                           clinic_name=invitation.clinic.name)
    try:
        data = render_pdf(html)
    except PdfError:
        abort(500)
    audit.record("letter-printed", answer_set)
    db.session.commit()
    return Response(data, content_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="invitation-{reference}.pdf"', "Cache-Control": "no-store"})


def _letter_parts(invitation: Invitation) -> list[dict]:
    """The letter's page in each of the clinic's letter languages, each rendered in its own language."""
    answer_set, url = invitation.answer_set, link(invitation)
    version = versions().of(answer_set)
    qr_data_uri = "data:image/png;base64," + base64.b64encode(qr_code(url, "png")).decode()
    # A Jinja macro returns autoescaped Markup: the patient's name and the link are escaped in it.
    letter_part = current_app.jinja_env.get_template("clinician/letter_part.html").module.letter_part
    parts = []
    for language in invitation.clinic.letter_languages:
        with in_language(language):
            service_name = gettext(current_app.config["SERVICE_NAME"])
            body = letter_part(invitation=invitation, answer_set=answer_set, link=url,
                               starts=appointment_at(answer_set), qr_data_uri=qr_data_uri,
                               procedure=version.in_language(language).procedure,
                               name=answer_set.answers.get("name", ""), service_name=service_name)
            parts.append({
                "html_lang": "cy" if language == WELSH else "en-GB", "title": gettext("Get ready for your appointment"),
                "service_name": service_name, "body": body})
    return parts


@bp.post("/invitations/<reference>/email")
def email_invitation(reference: str):
    invitation = _invitation_or_404(reference)
    if ActionForm().validate_on_submit() and invitation.email and not invitation.cancelled_at:
        _email(invitation, mail.invitation(link(invitation), reference, writing_languages(invitation)))
        sent = invitation.deliveries[-1].status == mail.SENT
        flash("We have emailed the link again." if sent else "The email was not sent: see the delivery log.",
              "success" if sent else "error")
    return redirect(url_for("clinician.invitation", reference=reference))


@bp.post("/invitations/<reference>/cancel")
def cancel_invitation(reference: str):
    """The link stops working; what the patient already sent stays."""
    invitation = _invitation_or_404(reference)
    if ActionForm().validate_on_submit() and not invitation.cancelled_at and not invitation.answer_set.submitted:
        invitation.cancelled_at = utcnow()
        audit.record("invitation-cancelled", invitation.answer_set)
        db.session.commit()
        flash(f"Invitation {reference} is cancelled. Its link no longer works.", "success")
    return redirect(url_for("clinician.invitation", reference=reference))
