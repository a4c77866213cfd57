"""Where a patient page's time goes: the stack's own parts, added one at a time.

A small Flask app with nothing of ours but the model and the form, served by
the same gunicorn settings as the floor and the app. Each rung does what the
one before it did, plus one thing every journey page does:

1. reads the patient's signed session cookie and signs it again (it is
   renewed on every request, so the session lasts two hours from the last);
2. loads their answer set with the ORM;
3. builds the About you form from the saved answers, with its CSRF token;
4. prints the About you page's own bytes (about 20 KB) through a Jinja
   template that has nothing left to work out but the token.

The last rung is what such a page would cost if our templates, components,
headers and hooks cost nothing; the About you page itself is measured beside
it. gunicorn runs `bench.ladder:create_app()`, with the same FLASK_ settings
as the app.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from flask import Flask, render_template, session

from app.content import files
from app.extensions import db
from app.models import AnswerSet
from app.patient.access import SESSION_KEY
from app.questionnaire.definition import QUESTIONNAIRE
from app.questionnaire.forms import PageForm, page_form
from app.questionnaire.structure import resolve

RUNGS = {  # each adds its part to the ones before it
    "/session": "+ a signed session cookie, read and renewed",
    "/row": "+ the answer set, loaded by the ORM",
    "/form": "+ the About you form and its CSRF token",
    "/page": "+ the About you page's 20 KB, printed by a Jinja template",
}
TEMPLATE = "about-you.html"
TOKEN = re.compile(r'(name="csrf_token" type="hidden" value=")[^"]*(")')


def write_template(folder: Path, page: str) -> None:
    """The About you page as a template: the same bytes, with only its CSRF token left to fill in."""
    token = TOKEN.search(page)
    before, after = page[:token.end(1)], page[token.start(2):]
    (folder / TEMPLATE).write_text("{% raw %}" + before + "{% endraw %}{{ token }}{% raw %}" + after + "{% endraw %}")


def create_app() -> Flask:
    app = Flask(__name__, template_folder=os.environ["LADDER_TEMPLATES"])
    app.config.from_object("app.config")
    app.config.from_prefixed_env()
    db.init_app(app)

    # The About you form as the app builds it from the definition (it asks nothing procedure-specific).
    about_you = page_form(resolve(QUESTIONNAIRE, files.read_folder()[0][0].procedure).page("about_you"))

    def answer_set() -> AnswerSet:
        return db.session.get(AnswerSet, session[SESSION_KEY])

    def form() -> PageForm:
        answers = answer_set().answers
        filled = about_you()
        filled.prepare(answers)
        filled.load(answers)
        return filled

    @app.get("/session")
    def signed_session():
        return str(session[SESSION_KEY])

    @app.get("/row")
    def row():
        return str(len(answer_set().answers))

    @app.get("/form")
    def with_form():
        return form().csrf_token.current_token

    @app.get("/page")
    def page():
        return render_template(TEMPLATE, token=form().csrf_token.current_token)

    return app
