"""Signing clinicians in and out.

Each sign-in is a LoginSession row and the cookie holds only its secret. So
signing out, the idle and absolute limits and disabling an account all end a
session on the server: a copied or replayed cookie is refused at once.

A password alone does not sign in an account with a second factor, nor one
that must have one (service admins, and everyone when REQUIRE_MFA is on):
the browser holds a pending sign-in for a few minutes, and only the right
code (mfa.py) starts the session. Single sign-on (sso.py) leaves the second
factor to the identity provider.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from functools import wraps

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.orm import joinedload

from .. import audit
from ..accounts import check_password, find
from ..extensions import csrf, db, limiter, login_manager
from ..models import Clinician, LoginSession, digest, utcnow
from ..rate_limits import account_key, configured, failed
from . import bp
from .forms import LoginForm

SIGN_IN_FAILED = "Enter a correct email address and password"
LAST_SEEN_EVERY = timedelta(minutes=1)  # a write per minute, not per request
PENDING = "pending_sign_in"  # the session key of a password accepted, waiting for its second factor
PASSWORD, SSO = "password", "sso"


@login_manager.user_loader
def load_clinician(secret: str) -> Clinician | None:
    # The session, its account and the account's clinics in one query: every staff page needs all three.
    login = db.session.get(LoginSession, digest(secret), options=[
        joinedload(LoginSession.clinician).joinedload(Clinician.memberships)])
    if login is None or login.ended_at is not None:
        return None
    now = utcnow()
    config = current_app.config
    if (not login.clinician.active
            or now - login.last_seen_at > timedelta(minutes=config["CLINICIAN_IDLE_MINUTES"])
            or now - login.created_at > timedelta(hours=config["CLINICIAN_ABSOLUTE_HOURS"])):
        login.ended_at = now
        db.session.commit()
        return None
    if now - login.last_seen_at > LAST_SEEN_EVERY:
        login.last_seen_at = now
        db.session.commit()
    login.clinician.session_secret = secret
    login.clinician.session_method = login.method
    login.clinician.session_ends_at = min(
        login.last_seen_at + timedelta(minutes=config["CLINICIAN_IDLE_MINUTES"]),
        login.created_at + timedelta(hours=config["CLINICIAN_ABSOLUTE_HOURS"]),
    )
    return login.clinician


def admin_required(view):
    """A service admin's page."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def manager_required(view):
    """A page for those who manage a clinic: service admins and clinic admins (which clinic, the view checks)."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not (current_user.is_admin or current_user.managed_clinic_ids):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def second_factor_required(clinician: Clinician) -> bool:
    return clinician.is_admin or current_app.config["REQUIRE_MFA"]


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(configured("SIGN_IN_LIMIT"), key_func=account_key, methods=["POST"], deduct_when=failed)
@limiter.limit(configured("SIGN_IN_ADDRESS_LIMIT"), methods=["POST"], deduct_when=failed)
def login():
    passwords = current_app.config["PASSWORD_SIGN_IN"]
    form = LoginForm() if passwords else None
    if form is not None and form.validate_on_submit():
        email = form.email.data.strip().lower()
        clinician = find(email)
        if check_password(clinician, form.password.data) and clinician.active:
            return _password_accepted(clinician)
        record_failure(clinician, "no such account" if clinician is None
                       else "a wrong password" if clinician.active else "a disabled account")
        db.session.commit()
        form.password.errors.append(SIGN_IN_FAILED)
        form.password.data = ""
    elif form is None and request.method == "POST":
        abort(404)  # password sign-in is switched off: there is no form to post
    return render_template("clinician/login.html", form=form, sso=bool(current_app.config["OIDC_ISSUER"]),
                           sso_name=current_app.config["OIDC_PROVIDER_NAME"])


def record_failure(clinician: Clinician | None, why: str, method: str = "password") -> None:
    """A sign-in that failed, in the audit: whose account (never what was typed for an unknown one) and why."""
    audit.record("sign-in-failed", actor=clinician.email if clinician else "unknown account",
                 detail=f"{method}: {why}")


def _password_accepted(clinician: Clinician):
    if not (clinician.has_second_factor or second_factor_required(clinician)):
        return finish_sign_in(clinician, PASSWORD, "password", _next_page())
    session.clear()
    session[PENDING] = {"id": clinician.id, "at": utcnow().isoformat(), "next": _next_page()}
    audit.record("password-accepted", actor=clinician.email,
                 detail="second factor next" if clinician.has_second_factor else "second factor to set up")
    db.session.commit()
    return redirect(url_for("clinician.second_factor" if clinician.has_second_factor
                            else "clinician.set_up_second_factor"))


def pending_clinician() -> Clinician | None:
    """The account whose password was just accepted here, while its few minutes last."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    started = datetime.fromisoformat(pending.get("at", "2000-01-01"))
    if utcnow() - started > timedelta(minutes=current_app.config["MFA_PENDING_MINUTES"]):
        session.pop(PENDING, None)
        return None
    clinician = db.session.get(Clinician, pending.get("id"))
    return clinician if clinician is not None and clinician.active else None


def finish_sign_in(clinician: Clinician, method: str, how: str, next_page: str | None = None):
    """Start the session, audit how it was signed in, and go where the person was going."""
    _start_session(clinician, method)
    audit.record("signed-in", detail=how)
    db.session.commit()
    return redirect(next_page or url_for("clinician.submissions"))


# Signing out is exempt from CSRF: being signed out by another site harms
# nobody, and SameSite=Lax keeps other sites' POSTs cookie-less anyway.
@bp.post("/sign-out")
@csrf.exempt
def logout():
    provider_logout = None
    if current_user.is_authenticated:
        login = db.session.get(LoginSession, digest(current_user.session_secret))
        login.ended_at = utcnow()
        audit.record("signed-out")
        db.session.commit()
        if login.method == SSO:
            from .sso import provider_logout_url

            provider_logout = provider_logout_url(session.get("sso_id_token"))
    logout_user()
    session.clear()
    if provider_logout:
        return redirect(provider_logout)
    flash("You have signed out.")
    return redirect(url_for("clinician.login"))


def _start_session(clinician: Clinician, method: str) -> None:
    session.clear()  # a new session id: nothing planted before sign-in survives it
    secret = secrets.token_urlsafe(32)
    db.session.add(LoginSession(id=digest(secret), clinician=clinician, method=method))
    clinician.session_secret = secret
    clinician.session_method = method
    login_user(clinician)


def _next_page() -> str | None:
    target = request.args.get("next", "")
    return target if target.startswith("/clinician/") and not target.startswith("//") else None
