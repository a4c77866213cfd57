"""The clinician area: sign in, submissions, review, notes, audit and exports."""

from flask import Blueprint

bp = Blueprint("clinician", __name__, url_prefix="/clinician")

from . import (  # noqa: E402,F401  (routes register on bp)
    account,
    accounts,
    appointments,
    auth,
    clinics,
    content,
    invitations,
    metrics,
    mfa,
    sso,
    views,
)
