"""Warning before a session runs out (WCAG 2.2.1 Timing adjustable).

A view that runs under a time limit calls `warn_before_timeout`; the layout
then carries a dialog that static/timeout.js opens shortly before the limit,
with one button that renews the session. Without JavaScript there is no
warning, but nothing is lost: a page posted after its session ended keeps
what was typed (patient/views.py, `carried_answers`).
"""

from __future__ import annotations

from flask import current_app, g, jsonify, url_for
from flask_wtf.csrf import generate_csrf


def warn_before_timeout(seconds: float, extend_endpoint: str) -> None:
    g.session_timeout = {
        "seconds": max(int(seconds), 0),
        "warning": min(current_app.config["SESSION_WARNING_SECONDS"], int(seconds) // 2),
        "extend_url": url_for(extend_endpoint),
    }


def extended(seconds: float):
    """The reply to "I need more time": the new time left, and a fresh form token so the page's forms stay valid."""
    response = jsonify(expires_in=int(seconds), csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response
