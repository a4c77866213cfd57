"""Rate limits on guessing and scraping: signing in, resume codes and links, PDF downloads, starting and sending.

The counts live in RATELIMIT_STORAGE_URI: memory for one process (the
default), Redis when several app servers must share them (see SECURITY.md).
"""

from __future__ import annotations

import math
import time

from flask import Response, current_app, g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from .extensions import limiter


def configured(name: str):
    """A limit read from the config at request time, so a deployment can tune it."""
    return lambda: current_app.config[name]


def failed(response: Response) -> bool:
    """A sign-in or resume that let nobody in: only these count, so a patient's own visits never lock them out."""
    return response.status_code not in (302, 303, 307)


def made_a_pdf(response: Response) -> bool:
    """A send that got as far as making the summary: only these count, not a send refused as unfinished."""
    return g.get("made_a_pdf", False)


def account_key() -> str:
    """The email being tried: spreading guesses over many addresses does not help."""
    return "account:" + request.form.get("email", "").strip().lower()


def person_key() -> str:
    """A signed-in clinician counts alone (a hospital's staff share one address); anyone else by address."""
    if current_user.is_authenticated:
        return f"clinician:{current_user.id}"
    return get_remote_address()


def pdf_limit():
    """One count for every summary a person downloads, standard or large print: each may be a fresh render."""
    return limiter.shared_limit(configured("PDF_LIMIT"), scope="pdf", key_func=person_key)


def seconds_until_allowed() -> int:
    """How long until the limit just broken lets this person try again."""
    limit = limiter.current_limit
    return max(1, math.ceil(limit.window.reset_time - time.time())) if limit else 60
