"""The database settings a deployment relies on, checked on the real engines."""

from __future__ import annotations

import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.models import AnswerSet
from journey_helpers import start, submit
from support import SESSION_COOKIE, app_config, check_page

LIVER = "liver-laser-ablation"


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path):
    app = create_app(app_config(f"sqlite:///{tmp_path / 'app.db'}"), instance_path=str(tmp_path / "i"))
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_a_dropped_postgresql_connection_is_replaced_before_a_patient_notices(tmp_path, postgresql):
    """A database restart or failover cuts pooled connections; pool_pre_ping finds out before use."""
    app = create_app(app_config(postgresql.fresh()), instance_path=str(tmp_path / "i"))
    client = app.test_client()
    start(client, LIVER)
    with app.app_context():
        assert db.engine.pool._pre_ping
        name = db.engine.url.database
    postgresql.execute(sa.text(
        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'").text)
    check_page(client.get("/tasks"))
    with app.app_context():
        db.engine.dispose()


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
        assert answers["about_you"]["name"] == "Ann Example" and "about_procedure" in answers
