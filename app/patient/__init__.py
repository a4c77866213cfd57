"""The patient's side of the service: no account, at their own pace."""

from flask import Blueprint

bp = Blueprint("patient", __name__)

from . import invitations, leaving, sections, views  # noqa: E402,F401  (routes register on bp)
