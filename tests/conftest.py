"""Shared fixtures: apps, their databases and the app's clock, for the integration and browser tests.

Which database a test runs on is decided here, and its id says which:

- a test that builds an app runs on SQLite, once: `[sqlite]`;
- a test marked `both_databases` runs on PostgreSQL 15 as well: `[postgresql]`.
  Storage tests carry it (models, saving and rollback, faults, two writers,
  list queries and paging, migrations, purge, audit, exports that read rows,
  deployment on several servers); tests/integration/test_database_legs.py
  fails if one of them loses either leg.

Each test process (one per pytest-xdist worker) builds an app once for each
database and settings, and gives every test that app's database as the
template left it: the app's tables and the shipped procedures published,
nothing else, ids from 1. So every commit is a real commit. A test that
changes settings or adds routes asks for an app of its own with the
`fresh_app` marker; a shared app fails the test that changed it.
"""

from __future__ import annotations

import itertools
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from app import clock as app_clock
from app import create_app
from app import models as _models  # noqa: F401  (so db.metadata holds every table before any app is built)
from app.content.files import PROCEDURES_DIR
from app.extensions import db, limiter
from postgresql import Cluster
from publishing import CLINIC_A, publish_shipped
from support import app_config, check_page

DATABASES = ("sqlite", "postgresql")
pytest_plugins = ["servers.fixtures"]  # smtp_server, oidc_provider: real servers on loopback


def pytest_generate_tests(metafunc):
    """Every test with an app runs on SQLite; one marked both_databases on PostgreSQL too."""
    if "database_kind" in metafunc.fixturenames:
        both = metafunc.definition.get_closest_marker("both_databases") is not None
        metafunc.parametrize("database_kind", DATABASES if both else DATABASES[:1])


@pytest.fixture(scope="session")
def postgresql():
    """One PostgreSQL 15 cluster per test process; a missing server fails loudly, never skips."""
    try:
        cluster = Cluster()
    except RuntimeError as missing:
        pytest.fail(str(missing), pytrace=False)
    try:
        # It disposes its engine: a template being copied must have no connections.
        publish_shipped(cluster.url(cluster.template))
        yield cluster
    finally:
        cluster.stop()


class Databases:
    """This process's databases: each a copy of a template with the app's tables, or empty for migrations."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._names = itertools.count()
        self._sqlite_template: Path | None = None

    def fresh(self, cluster: Cluster | None, empty: bool = False) -> str:
        """A new database: SQLite without a cluster, else one on the cluster."""
        if cluster is not None:
            return cluster.fresh(empty=empty)
        path = self.folder / f"test-{next(self._names)}.db"
        if not empty:
            shutil.copyfile(self.sqlite_template(), path)
        return f"sqlite:///{path}"

    def emptied(self, app) -> None:
        """Put the app's database back as the template left it: the tables, the shipped procedures, ids from 1.

        SQLite gets a new copy of the template file. PostgreSQL's tables are
        truncated and the published procedures put back, which takes a tenth
        of the time of copying its template again.
        """
        app.extensions["versions"].forget()  # ids start from 1 again, and a test may have published others
        with app.app_context():
            db.session.remove()
            engine = db.engine
            engine.dispose()
            if engine.dialect.name == "sqlite":
                path = Path(engine.url.database)
                for journal in ("-wal", "-shm"):
                    path.with_name(path.name + journal).unlink(missing_ok=True)
                shutil.copyfile(self.sqlite_template(), path)
            else:
                tables = ", ".join(db.metadata.tables)
                with engine.begin() as connection:
                    connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
                publish_shipped(str(engine.url.render_as_string(hide_password=False)), tables=False)

    def sqlite_template(self) -> Path:
        if self._sqlite_template is None:
            path = self.folder / "template.db"
            publish_shipped(f"sqlite:///{path}")
            self._sqlite_template = path
        return self._sqlite_template


@pytest.fixture(scope="session")
def databases(tmp_path_factory) -> Databases:
    return Databases(tmp_path_factory.mktemp("databases"))


def _cluster(request, database_kind: str) -> Cluster | None:
    return request.getfixturevalue("postgresql") if database_kind == "postgresql" else None


@pytest.fixture
def database_url(request, database_kind, databases):
    """A new database with the app's tables, for this test alone; a PostgreSQL one is dropped afterwards."""
    cluster = _cluster(request, database_kind)
    url = databases.fresh(cluster)
    yield url
    if cluster is not None:
        cluster.drop(url)


@pytest.fixture
def empty_database_url(request, database_kind, databases):
    """A new database with no tables at all, for migrations."""
    cluster = _cluster(request, database_kind)
    url = databases.fresh(cluster, empty=True)
    yield url
    if cluster is not None:
        cluster.drop(url)


@pytest.fixture
def make_app(tmp_path, database_url):
    """Build apps on this test's own database and instance folder, as a restarted server would; closed afterwards."""
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


@pytest.fixture(scope="session")
def shared_apps(tmp_path_factory):
    """The apps this process has built, by database and settings: templates compiled and components kept once."""
    apps: dict[tuple, object] = {}
    yield apps
    for app in apps.values():
        with app.app_context():
            db.engine.dispose()


def _what_a_test_may_not_change(app) -> tuple:
    return dict(app.config), sorted(app.view_functions)


@pytest.fixture
def app_with(request, database_kind, databases, shared_apps, tmp_path_factory):
    """`app_with(**settings)`: the app with these settings, built once per process and database,
    on an emptied database, its rate limits cleared. With the fresh_app marker, a new app for this test."""
    lent = []

    def get(**settings):
        if request.node.get_closest_marker("fresh_app"):
            return request.getfixturevalue("make_app")(**settings)
        key = (database_kind, repr(sorted(settings.items())))
        app = shared_apps.get(key)
        if app is None:
            url = databases.fresh(_cluster(request, database_kind))
            instance = tmp_path_factory.mktemp("instance")
            app = shared_apps[key] = create_app(app_config(url, **settings), instance_path=str(instance))
        else:
            databases.emptied(app)
        limiter.reset()  # counts are kept per process, not per app
        lent.append((app, _what_a_test_may_not_change(app)))
        return app

    yield get
    for app, before in lent:
        assert _what_a_test_may_not_change(app) == before, (
            "this test changed a shared app's settings or routes: mark it @pytest.mark.fresh_app")


@pytest.fixture
def app(app_with):
    return app_with()


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
    """Make an account as `flask users create` would, a member of the first test clinic unless told otherwise;
    returns its email and password."""
    from app.clinician.auth import hash_password
    from app.models import Clinician, Membership

    def make(email: str = "nurse@example.org", role: str = "clinician", password: str = "correct horse battery",
             clinic_id: int | None = CLINIC_A, clinic_role: str = "clinician"):
        with app.app_context():
            clinician = Clinician(email=email, role=role, password_hash=hash_password(password))
            db.session.add(clinician)
            if clinic_id is not None:
                db.session.add(Membership(clinician=clinician, clinic_id=clinic_id, role=clinic_role))
            db.session.commit()
        return email, password

    return make


@pytest.fixture
def content_dir(tmp_path):
    """A copy of the shipped procedure files that a test may break (support.edit)."""
    folder = tmp_path / "procedures"
    shutil.copytree(PROCEDURES_DIR, folder)
    return folder


class Clock:
    """The app's clock (app/clock.py), moved forward for one test and put back after it."""

    def __init__(self, monkeypatch):
        self._monkeypatch = monkeypatch

    def forward(self, **delta) -> None:
        """Move the app's time on, as if that long had passed: `forward(minutes=31)`."""
        self._monkeypatch.setattr(app_clock, "ahead", app_clock.ahead + timedelta(**delta))


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)
