"""Staff accounts as the command line and the accounts page both change them.

Made, enabled and disabled; given a service role; a new password, typed by
its owner or set through a single-use link an admin issued; a second factor
taken away when its phone is lost. Every change is audited in the caller's
transaction, and a change that should end sessions ends them at once.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import cache

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from . import audit
from .extensions import db
from .models import ROLES, Clinician, LoginSession, PasswordReset, RecoveryCode, digest, utcnow

PASSWORD_MIN = 12
PASSWORD_MAX = 1000  # argon2 takes any length; this only stops a megabyte being hashed
hasher = PasswordHasher()  # argon2id with the library's current recommended costs


class AccountError(ValueError):
    """A change that cannot be made; the message says why, in words for the person asking."""


def hash_password(password: str) -> str:
    return hasher.hash(password)


@cache
def _unknown_email_hash() -> str:
    """Checked when there is no password to check, so a wrong email takes as long as a wrong password.

    Made on first use, not at import: every worker and CLI call would pay for it.
    """
    return hasher.hash(secrets.token_hex(16))


def check_password(clinician: Clinician | None, password: str) -> bool:
    """Whether this is the account's password; always as slow as a real check."""
    stored = clinician.password_hash if clinician and clinician.password_hash else None
    try:
        hasher.verify(stored or _unknown_email_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    if stored and hasher.check_needs_rehash(stored):
        clinician.password_hash = hasher.hash(password)
    return stored is not None


def password_problem(password: str, email: str = "") -> str | None:
    """What is wrong with a new password, as an instruction; None if nothing."""
    if len(password) < PASSWORD_MIN:
        return f"Password must be {PASSWORD_MIN} characters or more"
    if len(password) > PASSWORD_MAX:
        return f"Password must be {PASSWORD_MAX:,} characters or fewer"
    if email and password.strip().lower() in {email.lower(), email.split("@")[0].lower()}:
        return "Password must not be your email address"
    return None


def by_email(email: str) -> Clinician:
    clinician = find(email)
    if clinician is None:
        raise AccountError(f"There is no account for {email.strip()}")
    return clinician


def find(email: str) -> Clinician | None:
    return db.session.scalar(sa.select(Clinician).where(Clinician.email == email.strip().lower()))


def create(email: str, role: str, password: str | None, how: str = "") -> Clinician:
    """A new account; with no password it signs in only through single sign-on."""
    email = email.strip().lower()
    existing = find(email)
    if existing is not None:
        hint = " (disabled: enable it with flask users enable)" if not existing.active else ""
        raise AccountError(f"{email} already has an account{hint}")
    _check_role(role)
    clinician = Clinician(email=email, role=role, password_hash=hash_password(password) if password else None)
    db.session.add(clinician)
    audit.record("user-created", detail=f"{email} ({role}){how}")
    return clinician


def disable(clinician: Clinician) -> None:
    """Stop the account signing in, and end its sessions now."""
    if not clinician.active:
        raise AccountError(f"{clinician.email} is already disabled")
    clinician.active = False
    end_sessions(clinician)
    audit.record("user-disabled", detail=clinician.email)


def enable(clinician: Clinician) -> None:
    """Let a disabled account sign in again, with what it had: its password, second factor and clinics."""
    if clinician.active:
        raise AccountError(f"{clinician.email} is already enabled")
    clinician.active = True
    audit.record("user-enabled", detail=clinician.email)


def set_role(clinician: Clinician, role: str, how: str = "") -> None:
    _check_role(role)
    if clinician.role == role:
        return
    audit.record("role-changed", detail=f"{clinician.email} from {clinician.role} to {role}{how}")
    clinician.role = role


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"The role must be one of {', '.join(ROLES)}")


def end_sessions(clinician: Clinician, keep: str | None = None) -> None:
    """End every open session of this account, except the one whose id is `keep`."""
    query = sa.update(LoginSession).where(LoginSession.clinician_id == clinician.id, LoginSession.ended_at.is_(None))
    if keep:
        query = query.where(LoginSession.id != keep)
    db.session.execute(query.values(ended_at=utcnow()))


def sign_out_everywhere(clinician: Clinician) -> None:
    """An admin ends every session of the account now (a lost laptop, a shared login); it can sign in again."""
    end_sessions(clinician)
    audit.record("sessions-ended", detail=clinician.email)


def change_password(clinician: Clinician, password: str, keep_session: str | None = None) -> None:
    """Its owner set a new one: their other sessions end (a thief's among them), this one goes on."""
    clinician.password_hash = hash_password(password)
    end_sessions(clinician, keep=keep_session)
    audit.record("password-changed", detail=clinician.email)


def issue_reset(clinician: Clinician, issued_by: str, minutes: int) -> str:
    """A single-use link's token to set a new password, for `minutes`; earlier unused links stop working."""
    if not clinician.active:
        raise AccountError(f"{clinician.email} is disabled: enable the account first")
    now = utcnow()
    db.session.execute(sa.update(PasswordReset).where(
        PasswordReset.clinician_id == clinician.id, PasswordReset.used_at.is_(None)).values(used_at=now))
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordReset(clinician=clinician, token_hash=digest(token), issued_by=issued_by,
                                 created_at=now, expires_at=now + timedelta(minutes=minutes)))
    audit.record("reset-link-issued", detail=f"{clinician.email}, valid {minutes} minutes")
    return token


def reset_for(token: str) -> PasswordReset | None:
    """The reset a link names, while it is unused, unexpired and its account enabled."""
    if not 20 <= len(token) <= 100:
        return None
    reset = db.session.scalar(sa.select(PasswordReset).where(PasswordReset.token_hash == digest(token)))
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow() or not reset.clinician.active:
        return None
    return reset


def use_reset(reset: PasswordReset, password: str) -> bool:
    """Set the new password, once: two posts of the same link at once set it once. Every session ends."""
    claimed = db.session.execute(sa.update(PasswordReset).where(
        PasswordReset.id == reset.id, PasswordReset.used_at.is_(None)).values(used_at=utcnow()))
    if claimed.rowcount != 1:
        return False
    clinician = reset.clinician
    clinician.password_hash = hash_password(password)
    end_sessions(clinician)
    audit.record("password-reset", detail=f"{clinician.email} by a link from {reset.issued_by}",
                 actor=clinician.email)
    return True


def remove_second_factor(clinician: Clinician) -> None:
    """Its phone and recovery codes are lost: the next password sign-in sets a new one up (if required)."""
    if not clinician.has_second_factor:
        raise AccountError(f"{clinician.email} has no second factor set up")
    clinician.totp_secret = clinician.totp_last_step = clinician.totp_enrolled_at = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.clinician_id == clinician.id))
    end_sessions(clinician)
    audit.record("mfa-removed", detail=clinician.email)
