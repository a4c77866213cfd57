"""Each engine's own settings, checked on that engine: SQLite's journal and locks, PostgreSQL's dropped connections."""

from __future__ import annotations

import sqlalchemy as sa

from app import create_app
from app.extensions import db
from journey_helpers import start
from support import app_config, check_page

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
