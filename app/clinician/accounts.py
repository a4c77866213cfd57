"""Running staff accounts (service admins): make, enable and disable, role, clinics, reset links, second factors.

And the page a reset link opens, where its owner sets a new password.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from .. import accounts, audit
from .. import clinics as clinic_changes
from ..extensions import db, limiter
from ..invitations import service_url
from ..models import ADMIN, Clinician, Membership
from ..rate_limits import configured
from . import bp, scope
from .auth import admin_required
from .forms import AccountMembershipForm, ActionForm, NewAccountForm, NewPasswordForm, RoleForm

LINK_NOT_VALID = "This link has expired or has been used"


@bp.get("/accounts")
@admin_required
def accounts_list(form: NewAccountForm | None = None):
    everyone = db.session.scalars(sa.select(Clinician).order_by(Clinician.email).options(
        selectinload(Clinician.memberships).joinedload(Membership.clinic))).all()
    return render_template("clinician/accounts.html", accounts=everyone,
                           form=form or NewAccountForm(formdata=None))


@bp.post("/accounts")
@admin_required
def create_account():
    """A new account with no password: a reset link (shown next) lets its owner set one."""
    form = NewAccountForm()
    if form.validate_on_submit():
        try:
            clinician = accounts.create(form.email.data, "clinician", None)
        except accounts.AccountError as error:
            form.email.errors.append(str(error))
        else:
            db.session.flush()
            flash(f"The account for {clinician.email} is made. Add them to their clinics, then give them a "
                  "link to set their password.", "success")
            db.session.commit()
            return redirect(url_for("clinician.account_detail", account_id=clinician.id))
    return accounts_list(form), 400


def _account_or_404(account_id: int) -> Clinician:
    clinician = db.session.get(Clinician, account_id) if 0 < account_id < 2**31 else None
    return clinician or abort(404)


@bp.get("/accounts/<int:account_id>")
@admin_required
def account_detail(account_id: int, role_form: RoleForm | None = None,
                   membership_form: AccountMembershipForm | None = None, reset_link: str | None = None):
    clinician = _account_or_404(account_id)
    membership_form = membership_form or AccountMembershipForm(formdata=None)
    membership_form.clinic.choices = [SelectChoice("", "Select a clinic")] + [
        SelectChoice(str(c.id), c.name) for c in scope.clinics()]
    return render_template(
        "clinician/account_detail.html", account=clinician, action_form=ActionForm(),
        role_form=role_form or RoleForm(formdata=None, role=clinician.role), membership_form=membership_form,
        form=role_form or membership_form, reset_link=reset_link, yourself=clinician.id == current_user.id,
        passwords=current_app.config["PASSWORD_SIGN_IN"], reset_minutes=current_app.config["PASSWORD_RESET_MINUTES"])


def _changed(account_id: int, change, done: str):
    """Make one change to an account from its page: refused with the reason, or saved and said."""
    clinician = _account_or_404(account_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if clinician.id == current_user.id:
        flash("You cannot change your own account here: ask another service admin.")
        return redirect(url_for("clinician.account_detail", account_id=account_id))
    try:
        change(clinician)
    except accounts.AccountError as error:
        flash(str(error))
    else:
        db.session.commit()
        flash(done.format(email=clinician.email), "success")
    return redirect(url_for("clinician.account_detail", account_id=account_id))


@bp.post("/accounts/<int:account_id>/disable")
@admin_required
def disable_account(account_id: int):
    return _changed(account_id, accounts.disable, "{email} is disabled. Their sessions have ended.")


@bp.post("/accounts/<int:account_id>/enable")
@admin_required
def enable_account(account_id: int):
    return _changed(account_id, accounts.enable, "{email} can sign in again.")


@bp.post("/accounts/<int:account_id>/sign-out")
@admin_required
def sign_out_account(account_id: int):
    return _changed(account_id, accounts.sign_out_everywhere, "{email} is signed out everywhere.")


@bp.post("/accounts/<int:account_id>/second-factor/remove")
@admin_required
def remove_second_factor(account_id: int):
    return _changed(account_id, accounts.remove_second_factor,
                    "{email}'s second factor is removed. They will set up a new one when they next sign in.")


@bp.post("/accounts/<int:account_id>/role")
@admin_required
def change_role(account_id: int):
    form = RoleForm()
    if not form.validate_on_submit():
        return account_detail(account_id, role_form=form), 400
    words = "a service admin" if form.role.data == ADMIN else "a clinician"
    return _changed(account_id, lambda clinician: accounts.set_role(clinician, form.role.data),
                    "{email} is now " + words + ".")


@bp.post("/accounts/<int:account_id>/reset-link")
@admin_required
def issue_reset_link(account_id: int):
    """The link is shown once, on this page, for the admin to give its owner; only its hash is kept."""
    clinician = _account_or_404(account_id)
    if not ActionForm().validate_on_submit() or not current_app.config["PASSWORD_SIGN_IN"]:
        abort(400)
    try:
        token = accounts.issue_reset(clinician, current_user.email, current_app.config["PASSWORD_RESET_MINUTES"])
    except accounts.AccountError as error:
        flash(str(error))
        return redirect(url_for("clinician.account_detail", account_id=account_id))
    db.session.commit()
    return account_detail(account_id, reset_link=service_url("clinician.reset_password", token=token))


@bp.post("/accounts/<int:account_id>/clinics")
@admin_required
def add_account_to_clinic(account_id: int):
    clinician = _account_or_404(account_id)
    form = AccountMembershipForm()
    form.clinic.choices = [SelectChoice(str(c.id), c.name) for c in scope.clinics()]
    if not form.validate_on_submit():
        return account_detail(account_id, membership_form=form), 400
    clinic = next(c for c in scope.clinics() if str(c.id) == form.clinic.data)
    clinic_changes.add_member(clinic, clinician.email, form.clinic_role.data)
    db.session.commit()
    flash(f"{clinician.email} is now a member of {clinic.name}.", "success")
    return redirect(url_for("clinician.account_detail", account_id=account_id))


@bp.post("/accounts/<int:account_id>/clinics/<int:membership_id>/remove")
@admin_required
def remove_account_from_clinic(account_id: int, membership_id: int):
    clinician = _account_or_404(account_id)
    membership = next((m for m in clinician.memberships if m.id == membership_id), None)
    if membership is None or not ActionForm().validate_on_submit():
        abort(404)
    clinic_changes.remove_member(membership.clinic, clinician.email)
    db.session.commit()
    flash(f"{clinician.email} is no longer a member of {membership.clinic.name}.", "success")
    return redirect(url_for("clinician.account_detail", account_id=account_id))


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(configured("RESUME_LIMIT"), methods=["POST"], scope="reset-password",
               deduct_when=lambda response: response.status_code == 404)
def reset_password(token: str):
    """Set a new password through a link an admin issued: once, while it lasts."""
    reset = accounts.reset_for(token) if current_app.config["PASSWORD_SIGN_IN"] else None
    if reset is None:
        return render_template("clinician/reset_link_not_valid.html", heading=LINK_NOT_VALID), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        problem = accounts.password_problem(form.password.data, reset.clinician.email)
        if problem:
            form.password.errors.append(problem)
        elif accounts.use_reset(reset, form.password.data):
            db.session.commit()
            flash("Your new password is set. Sign in with it.", "success")
            return redirect(url_for("clinician.login"))
        else:
            return render_template("clinician/reset_link_not_valid.html", heading=LINK_NOT_VALID), 404
    if request.method == "GET":
        audit.record("reset-link-opened", actor=reset.clinician.email)
        db.session.commit()
    return render_template("clinician/reset_password.html", form=form, email=reset.clinician.email), \
        400 if form.errors else 200
