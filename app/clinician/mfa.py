"""The second factor: a code from an authenticator app, or a recovery code, after the password.

Setting one up shows a QR code (and the key to type, for an app that cannot
scan), takes one code to prove the app has it, then shows ten recovery codes
once. Wrong codes count against the account like wrong passwords. Every step
is in the audit.
"""

from __future__ import annotations

from flask import Response, abort, current_app, flash, g, redirect, render_template, session, url_for
from flask_login import current_user

from .. import audit
from .. import second_factor as totp
from ..accounts import check_password
from ..extensions import db, limiter
from ..models import Clinician
from ..rate_limits import configured
from . import bp
from .auth import PASSWORD, PENDING, finish_sign_in, pending_clinician
from .forms import CodeForm, RecoveryCodeForm, SetUpCodeForm

SETUP = "totp_setup"  # the session key of a secret being set up, until a code confirms it
WRONG_CODE = "The code is not right, or it has been used. Enter the code your app shows now"
WRONG_RECOVERY_CODE = "The recovery code is not right, or it has been used. Check it and try again"
FEW_LEFT = 3


def mfa_key() -> str:
    """Wrong codes count for the account being signed in (or signed in), wherever they come from."""
    pending = session.get(PENDING)
    if current_user.is_authenticated:
        return f"mfa:{current_user.id}"
    return f"mfa:{pending.get('id') if isinstance(pending, dict) else 'none'}"


def _code_was_wrong(response) -> bool:
    return g.get("wrong_code", False)


# Only wrong codes count (a page of recovery codes is a 200 too).
limited = limiter.shared_limit(configured("MFA_LIMIT"), scope="mfa", key_func=mfa_key, methods=["POST"],
                               deduct_when=_code_was_wrong)


def _pending_or_sign_in() -> Clinician:
    clinician = pending_clinician()
    if clinician is None:
        flash("Your sign-in timed out. Sign in again.")
        abort(redirect(url_for("clinician.login")))
    return clinician


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limited
def second_factor():
    clinician = _pending_or_sign_in()
    if not clinician.has_second_factor:
        return redirect(url_for("clinician.set_up_second_factor"))
    form = CodeForm()
    if form.validate_on_submit():
        if totp.accept_code(clinician, form.code.data):
            return finish_sign_in(clinician, PASSWORD, "password and authenticator code", _pending_next())
        wrong_code(clinician, form, "a wrong authenticator code", WRONG_CODE)
    return render_template("clinician/second_factor.html", form=form)


@bp.route("/sign-in/recovery-code", methods=["GET", "POST"])
@limited
def recovery_code():
    clinician = _pending_or_sign_in()
    form = RecoveryCodeForm()
    if form.validate_on_submit():
        if clinician.has_second_factor and totp.use_recovery_code(clinician, form.code.data):
            left = totp.recovery_codes_left(clinician)
            audit.record("recovery-code-used", actor=clinician.email, detail=f"{left} left")
            next_page = _pending_next()
            response = finish_sign_in(clinician, PASSWORD, "password and recovery code", next_page)
            if left <= FEW_LEFT:
                flash(f"You have {left} recovery {'code' if left == 1 else 'codes'} left. "
                      "Make new ones on your account page.")
            return response
        wrong_code(clinician, form, "a wrong recovery code", WRONG_RECOVERY_CODE)
    return render_template("clinician/recovery_code.html", form=form)


def wrong_code(clinician: Clinician, form, why: str, message: str, action: str = "sign-in-failed") -> None:
    """A wrong code: audited, counted against the account, and said on the page."""
    g.wrong_code = True
    audit.record(action, actor=clinician.email, detail=f"second factor: {why}")
    db.session.commit()
    form.code.errors.append(message)
    form.code.data = ""


def _pending_next() -> str | None:
    return session.get(PENDING, {}).get("next")


@bp.route("/sign-in/set-up-code", methods=["GET", "POST"])
@limited
def set_up_second_factor():
    """A password accepted for an account that must have a second factor and has none: set it up now."""
    clinician = _pending_or_sign_in()
    if clinician.has_second_factor:
        return redirect(url_for("clinician.second_factor"))
    return _set_up(clinician, signing_in=True)


@bp.route("/account/second-factor", methods=["GET", "POST"])
@limited
def account_second_factor():
    """Set up (or replace) the second factor while signed in."""
    if current_user.session_method != PASSWORD:
        abort(404)  # single sign-on: the identity provider asks for the second factor
    return _set_up(current_user, signing_in=False)


def _set_up(clinician: Clinician, signing_in: bool):
    secret = session.get(SETUP)
    if not isinstance(secret, str) or len(secret) != 32:
        secret = session[SETUP] = totp.new_secret()
    form = CodeForm() if signing_in else SetUpCodeForm()
    if form.validate_on_submit():
        if not signing_in and not check_password(clinician, form.password.data):
            audit.record("mfa-setup-failed", actor=clinician.email, detail="a wrong password")
            db.session.commit()
            form.password.errors.append("Your password is not right")
        elif totp.accept_code(clinician, form.code.data, new_secret=secret):
            codes = totp.enrol(clinician, secret)
            session.pop(SETUP, None)
            audit.record("mfa-enrolled", actor=clinician.email, detail="authenticator app; 10 recovery codes")
            if signing_in:
                finish_sign_in(clinician, PASSWORD, "password and authenticator code (set up now)")
            db.session.commit()
            return recovery_codes_page(codes)
        else:
            wrong_code(clinician, form, "a wrong authenticator code while setting up", WRONG_CODE,
                       "mfa-setup-failed")
    action = url_for("clinician.set_up_second_factor" if signing_in else "clinician.account_second_factor")
    return render_template("clinician/set_up_second_factor.html", form=form, action=action,
                           key=totp.spaced(secret), signing_in=signing_in,
                           replacing=clinician.has_second_factor)


@bp.get("/second-factor/qr-code.svg")
def second_factor_qr_code():
    """The QR code of the secret being set up; only for the browser setting it up."""
    secret = session.get(SETUP)
    clinician = current_user if current_user.is_authenticated else pending_clinician()
    if not isinstance(secret, str) or clinician is None:
        abort(404)
    uri = totp.setup_uri(secret, clinician.email, current_app.config["MFA_ISSUER"])
    return Response(totp.qr_svg(uri), content_type="image/svg+xml", headers={"Cache-Control": "no-store"})


def recovery_codes_page(codes: list[str]):
    """Shown once, in answer to the post that made them: never stored, never shown again."""
    return render_template("clinician/recovery_codes.html", codes=codes)
