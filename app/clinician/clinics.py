"""Admin pages for clinics: service admins make clinics; clinic admins and service admins manage members."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from .. import clinics as clinic_changes
from ..extensions import db
from ..models import LETTER_WORDS
from . import bp, scope
from .auth import admin_required, manager_required
from .forms import ActionForm, ClinicForm, LettersForm, MemberForm


@bp.get("/clinics")
@manager_required
def clinics(form: ClinicForm | None = None):
    return render_template("clinician/clinics.html", clinics=scope.managed_clinics(), letter_words=LETTER_WORDS,
                           form=form or (ClinicForm(formdata=None) if current_user.is_admin else None))


@bp.post("/clinics")
@admin_required
def create_clinic():
    form = ClinicForm()
    if form.validate_on_submit():
        try:
            clinic = clinic_changes.create(form.slug.data, form.name.data.strip(), form.inbox.data,
                                           form.letters.data)
        except clinic_changes.ClinicError as error:
            form.slug.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"{clinic.name} is made. Add its members below.", "success")
            return redirect(url_for("clinician.clinic", slug=clinic.slug))
    return clinics(form), 400


@bp.get("/clinics/<slug>")
@manager_required
def clinic(slug: str, form: MemberForm | None = None, letters_form: LettersForm | None = None):
    chosen = scope.clinic_or_404(slug, manage=True)
    return render_template("clinician/clinic.html", clinic=chosen, members=clinic_changes.members(chosen),
                           form=form or MemberForm(formdata=None), action_form=ActionForm(),
                           letters_form=letters_form or LettersForm(formdata=None, letters=chosen.letters),
                           letter_words=LETTER_WORDS)


@bp.post("/clinics/<slug>/letters")
@manager_required
def set_letters(slug: str):
    """A clinic admin (or service admin) says which languages the clinic writes to patients in."""
    chosen = scope.clinic_or_404(slug, manage=True)
    form = LettersForm()
    if not form.validate_on_submit():
        return clinic(slug, letters_form=form), 400
    clinic_changes.set_letters(chosen, form.letters.data)
    db.session.commit()
    flash(f"{chosen.name} now writes to patients in {LETTER_WORDS[chosen.letters]}.", "success")
    return redirect(url_for("clinician.clinic", slug=slug))


@bp.post("/clinics/<slug>/members")
@manager_required
def add_member(slug: str):
    chosen = scope.clinic_or_404(slug, manage=True)
    form = MemberForm()
    if form.validate_on_submit():
        try:
            clinic_changes.add_member(chosen, form.email.data, form.role.data)
        except clinic_changes.ClinicError as error:
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"{form.email.data.strip().lower()} is now a member of {chosen.name}.", "success")
            return redirect(url_for("clinician.clinic", slug=slug))
    return clinic(slug, form), 400


@bp.post("/clinics/<slug>/members/<int:member_id>/remove")
@manager_required
def remove_member(slug: str, member_id: int):
    chosen = scope.clinic_or_404(slug, manage=True)
    member = next((m for m in clinic_changes.members(chosen) if m.id == member_id), None)
    if member is None:
        abort(404)
    if ActionForm().validate_on_submit():
        clinic_changes.remove_member(chosen, member.clinician.email)
        db.session.commit()
        flash(f"{member.clinician.email} is no longer a member of {chosen.name}.", "success")
    return redirect(url_for("clinician.clinic", slug=slug))
