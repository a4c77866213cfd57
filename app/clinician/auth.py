"""Signing clinicians in and out.

Each sign-in is a LoginSession row and the cookie holds only its secret. So
signing out, the idle and absolute limits and disabling an account all end a
session on the server: a copied or replayed cookie is refused at once.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import cache, wraps

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.orm import joinedload

from .. import audit
from ..extensions import csrf, db, limiter, login_manager
from ..models import Clinician, LoginSession, digest, utcnow
from ..rate_limits import account_key, configured, failed
from . import bp
from .forms import LoginForm

hasher = PasswordHasher()  # argon2id with the library's current recommended costs
SIGN_IN_FAILED = "Enter a correct email address and password"
LAST_SEEN_EVERY = timedelta(minutes=1)  # a write per minute, not per request


def hash_password(password: str) -> str:
    return hasher.hash(password)


@cache
def _unknown_email_hash() -> str:
    """Checked when the email is unknown, so a wrong email takes as long as a wrong password.

    Made on first use, not at import: every worker and CLI call would pay for it.
    """
    return hasher.hash(secrets.token_hex(16))


def check_password(clinician: Clinician | None, password: str) -> bool:
    try:
        hasher.verify(clinician.password_hash if clinician else _unknown_email_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    if clinician and hasher.check_needs_rehash(clinician.password_hash):
        clinician.password_hash = hasher.hash(password)
    return clinician is not None


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


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(configured("SIGN_IN_LIMIT"), key_func=account_key, methods=["POST"], deduct_when=failed)
@limiter.limit(configured("SIGN_IN_ADDRESS_LIMIT"), methods=["POST"], deduct_when=failed)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        clinician = db.session.scalar(sa.select(Clinician).where(Clinician.email == email))
        if check_password(clinician, form.password.data) and clinician.active:
            _start_session(clinician)
            audit.record("signed-in")
            db.session.commit()
            return redirect(_next_page() or url_for("clinician.submissions"))
        form.password.errors.append(SIGN_IN_FAILED)
        form.password.data = ""
    return render_template("clinician/login.html", form=form)


# Signing out is exempt from CSRF: being signed out by another site harms
# nobody, and SameSite=Lax keeps other sites' POSTs cookie-less anyway.
@bp.post("/sign-out")
@csrf.exempt
def logout():
    if current_user.is_authenticated:
        login = db.session.get(LoginSession, digest(current_user.session_secret))
        login.ended_at = utcnow()
        audit.record("signed-out")
        db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.")
    return redirect(url_for("clinician.login"))


def _start_session(clinician: Clinician) -> None:
    session.clear()  # a new session id: nothing planted before sign-in survives it
    secret = secrets.token_urlsafe(32)
    db.session.add(LoginSession(id=digest(secret), clinician=clinician))
    clinician.session_secret = secret
    login_user(clinician)


def _next_page() -> str | None:
    target = request.args.get("next", "")
    return target if target.startswith("/clinician/") and not target.startswith("//") else None
