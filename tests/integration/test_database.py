"""The database settings a deployment relies on, checked on the real engines."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AnswerSet
from journey_helpers import start, submit
from support import SESSION_COOKIE, check_page

pytestmark = pytest.mark.both_databases  # storage: runs on SQLite and PostgreSQL

LIVER = "liver-laser-ablation"


def test_a_server_restart_between_pages_loses_nothing(make_app):
    """A new process, the same instance folder and database: the patient carries on as if nothing happened."""
    # SECRET_KEY=None: the real key, generated into the instance folder, so it outlives the process.
    before = make_app(SECRET_KEY=None)
    client = before.test_client()
    start(client, LIVER)
    submit(client, "/about-you", {"name": "Ann Example", "companion": "no", "interpreter": "no"}, status=302)

    after = make_app(SECRET_KEY=None)
    restarted = after.test_client()
    restarted.set_cookie(SESSION_COOKIE, client.get_cookie(SESSION_COOKIE).value)
    page = check_page(restarted.get("/about-you"))
    assert page.select_one("input[name=name]")["value"] == "Ann Example"
    submit(restarted, "/about-the-procedure", status=302)
    with after.app_context():
        answers = db.session.scalars(sa.select(AnswerSet)).one().answers
        assert answers["name"] == "Ann Example" and answers["read_procedure"] is True
