"""A second factor for password sign-in: TOTP (RFC 6238) and ten single-use recovery codes.

A code is accepted for the current 30-second step or one step either side
(a phone's clock a little out), and never twice: the account keeps the last
step it accepted, and a code must be of a later step. That is claimed by one
UPDATE, so two sign-ins racing with the same code let one in. Recovery codes
are random, shown once and kept only as salted SHA-256 hashes; each is
claimed the same way.
"""

from __future__ import annotations

import hmac
import io
import secrets
from datetime import UTC, datetime

import pyotp
import segno
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .extensions import db
from .models import CODE_ALPHABET, Clinician, RecoveryCode, utcnow

STEP_SECONDS = 30
DRIFT_STEPS = 1
RECOVERY_CODES = 10
RECOVERY_CHARS = 10  # about 46 bits each, from the alphabet of resume codes: easy to read and type
# argon2id at OWASP's recommended minimum (19 MiB, 2 passes): ten are made at once and up to ten
# checked at a sign-in, and each code is random, unlike a password a person chose.
recovery_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def setup_uri(secret: str, email: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_svg(uri: str) -> bytes:
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=4, border=4, xmldecl=False, svgns=True,
                                     title="QR code to set up your authenticator app", svgclass=None,
                                     lineclass=None)
    return out.getvalue()


def spaced(secret: str) -> str:
    """The setup key in groups of four, to type into an app that cannot scan."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def step_at(moment: datetime) -> int:
    return int(moment.replace(tzinfo=UTC).timestamp()) // STEP_SECONDS


def code_for(secret: str, step: int) -> str:
    return pyotp.TOTP(secret).generate_otp(step)


def matching_step(secret: str, typed: str, now: datetime, after: int | None = None) -> int | None:
    """The time step whose code this is, within one step of now and later than `after`; None if none."""
    code = "".join(typed.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    current = step_at(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if (after is None or step > after) and hmac.compare_digest(code_for(secret, step), code):
            return step
    return None


def accept_code(clinician: Clinician, typed: str, new_secret: str | None = None) -> bool:
    """Whether the code is right and not used before; if so it is now used.

    With `new_secret` (one being set up) the codes of the old one do not count: a code of the step just
    used to sign in is a new code.
    """
    secret = new_secret or clinician.totp_secret
    step = matching_step(secret, typed, utcnow(), None if new_secret else clinician.totp_last_step)
    if step is None:
        return False
    last = Clinician.totp_last_step
    claim = sa.update(Clinician).where(Clinician.id == clinician.id)
    if not new_secret:
        claim = claim.where(sa.or_(last.is_(None), last < step))
    if db.session.execute(claim.values(totp_last_step=step)).rowcount != 1:
        return False
    clinician.totp_last_step = step
    return True


def enrol(clinician: Clinician, secret: str) -> list[str]:
    """The confirmed secret becomes the account's second factor; returns its new recovery codes."""
    clinician.totp_secret = secret
    clinician.totp_enrolled_at = utcnow()
    return new_recovery_codes(clinician)


def new_recovery_codes(clinician: Clinician) -> list[str]:
    """Ten new codes, replacing any earlier ones; returned once, stored hashed."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.clinician_id == clinician.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(RECOVERY_CHARS))
        db.session.add(RecoveryCode(clinician_id=clinician.id, code_hash=recovery_hasher.hash(chars)))
        codes.append(f"{chars[:5]}-{chars[5:]}")
    return codes


def use_recovery_code(clinician: Clinician, typed: str) -> bool:
    """Whether this is one of the account's unused codes; if so it is now used."""
    chars = "".join(c for c in typed.upper() if c.isalnum())
    if len(chars) != RECOVERY_CHARS:
        return False
    for code in _unused(clinician):
        if _matches(code.code_hash, chars):
            claimed = db.session.execute(sa.update(RecoveryCode).where(
                RecoveryCode.id == code.id, RecoveryCode.used_at.is_(None)).values(used_at=utcnow()))
            return claimed.rowcount == 1
    return False


def recovery_codes_left(clinician: Clinician) -> int:
    return len(_unused(clinician))


def _unused(clinician: Clinician) -> list[RecoveryCode]:
    return list(db.session.scalars(sa.select(RecoveryCode).where(
        RecoveryCode.clinician_id == clinician.id, RecoveryCode.used_at.is_(None))))


def _matches(code_hash: str, chars: str) -> bool:
    try:
        return recovery_hasher.verify(code_hash, chars)
    except (VerificationError, InvalidHashError):
        return False
