"""Your account: change your password, set up your second factor, make new recovery codes."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from .. import accounts, audit, second_factor
from ..extensions import db, limiter
from ..models import digest
from ..rate_limits import configured, person_key
from . import bp
from .auth import PASSWORD
from .forms import ChangePasswordForm, CodeForm
from .mfa import WRONG_CODE, limited, recovery_codes_page, wrong_code


@bp.get("/account")
def account(codes_form: CodeForm | None = None):
    me = current_user
    return render_template(
        "clinician/account.html", me=me, by_password=me.session_method == PASSWORD,
        passwords=current_app.config["PASSWORD_SIGN_IN"] and me.password_hash is not None,
        codes_left=second_factor.recovery_codes_left(me) if me.has_second_factor else 0,
        codes_form=codes_form or CodeForm(formdata=None), form=codes_form)


@bp.post("/account/recovery-codes")
@limited
def new_recovery_codes():
    """Ten new recovery codes in place of the old, after a current authenticator code."""
    if not current_user.has_second_factor or current_user.session_method != PASSWORD:
        abort(404)
    form = CodeForm()
    if form.validate_on_submit():
        if second_factor.accept_code(current_user, form.code.data):
            codes = second_factor.new_recovery_codes(current_user)
            audit.record("recovery-codes-replaced", detail="10 new; the old ones no longer work")
            db.session.commit()
            return recovery_codes_page(codes)
        wrong_code(current_user, form, "a wrong authenticator code for new recovery codes", WRONG_CODE,
                   "mfa-failed")
    return account(form), 400


@bp.route("/account/password", methods=["GET", "POST"])
@limiter.limit(configured("SIGN_IN_LIMIT"), key_func=person_key, methods=["POST"], scope="change-password",
               deduct_when=lambda response: response.status_code == 400)
def change_password():
    """A new password, after the current one: a session left open on a shared computer cannot take the account."""
    me = current_user
    if not current_app.config["PASSWORD_SIGN_IN"] or me.password_hash is None:
        abort(404)
    form = ChangePasswordForm()
    if form.validate_on_submit():
        problem = accounts.password_problem(form.password.data, me.email)
        if not accounts.check_password(me, form.current.data):
            audit.record("password-change-failed", detail="a wrong current password")
            db.session.commit()
            form.current.errors.append("Your current password is not right")
        elif problem:
            form.password.errors.append(problem)
        else:
            accounts.change_password(me, form.password.data, keep_session=_this_session())
            db.session.commit()
            flash("Your password has been changed. You have been signed out everywhere else.", "success")
            return redirect(url_for("clinician.account"))
    status = 400 if form.errors else 200
    return render_template("clinician/change_password.html", form=form), status


def _this_session() -> str:
    return digest(current_user.session_secret)
