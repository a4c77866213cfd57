"""Shared fixtures: an app on a throwaway instance folder and database.

Every test that touches the database runs twice: on SQLite (the default
install) and on PostgreSQL (what a hospital runs behind several app servers).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from app import create_app
from app.extensions import db
from postgresql import Cluster
from support import app_config, check_page

DATABASES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgresql():
    """One PostgreSQL 15 cluster for the run; a missing server fails loudly, never skips."""
    try:
        cluster = Cluster()
    except RuntimeError as missing:
        pytest.fail(str(missing), pytrace=False)
    try:
        template = create_app({"SQLALCHEMY_DATABASE_URI": cluster.url(cluster.template)})
        with template.app_context():
            db.create_all()
            db.engine.dispose()  # a template being copied must have no connections
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=DATABASES)
def database_kind(request):
    return request.param


def _fresh_database(request, tmp_path, kind: str, empty: bool):
    """Yield a new database's URL; a PostgreSQL one is dropped afterwards."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / ('empty.db' if empty else 'test.db')}"
        if not empty:
            engine = sa.create_engine(url)  # the tables only: no need to build a whole app for them
            db.metadata.create_all(engine)
            engine.dispose()
        yield url
        return
    cluster = request.getfixturevalue("postgresql")
    url = cluster.fresh(empty=empty)  # copied from the template, which has the tables
    yield url
    cluster.drop(url)


@pytest.fixture
def database_url(request, tmp_path, database_kind):
    """A fresh database with the app's tables, on each kind in turn."""
    yield from _fresh_database(request, tmp_path, database_kind, empty=False)


@pytest.fixture
def empty_database_url(request, tmp_path, database_kind):
    """A fresh database with no tables at all, for migrations."""
    yield from _fresh_database(request, tmp_path, database_kind, empty=True)


@pytest.fixture
def make_app(tmp_path, database_url):
    """Build apps on this test's database and instance folder, as a restarted server would; closed afterwards."""
    made = []

    def make(**overrides):
        config = app_config(database_url, **overrides)
        made.append(create_app({k: v for k, v in config.items() if v is not None},
                               instance_path=str(tmp_path / "instance")))
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def get_page(client):
    """Request a page, check its status and shape, return it parsed."""

    def get(url: str, status: int = 200) -> BeautifulSoup:
        return check_page(client.get(url), status)

    return get


@pytest.fixture
def make_clinician(app):
    """Make an account as `flask users create` would; returns its email and password."""
    from app.clinician.auth import hash_password
    from app.models import Clinician

    def make(email: str = "nurse@example.org", role: str = "clinician", password: str = "correct horse battery"):
        with app.app_context():
            db.session.add(Clinician(email=email, role=role, password_hash=hash_password(password)))
            db.session.commit()
        return email, password

    return make

