"""The clinician area: sign in, submissions, review, notes, audit and exports."""

from flask import Blueprint

bp = Blueprint("clinician", __name__, url_prefix="/clinician")

from . import account, accounts, appointments, auth, clinics, invitations, metrics, mfa, sso, views  # noqa: E402,F401,I001
