"""The clinician area: sign in, submissions, review, notes, audit and exports."""

from flask import Blueprint

bp = Blueprint("clinician", __name__, url_prefix="/clinician")

from . import appointments, auth, clinics, content, invitations, metrics, views  # noqa: E402,F401  (routes register on bp)
