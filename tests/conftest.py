"""Shared fixtures: an app on a throwaway instance folder and database."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from app import create_app
from app.extensions import db
from support import check_page

@pytest.fixture
def app(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}",
        },
        instance_path=str(tmp_path / "instance"),
    )
    with app.app_context():
        db.create_all()
    yield app


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

