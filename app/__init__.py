"""Prepare for your procedure: a shared decision-making service."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader

from .content.versions import Versions
from .extensions import csrf, db, limiter, login_manager, migrate
from .i18n import init_app as init_i18n
from .questionnaire.definition import QUESTIONNAIRE

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None, instance_path: str | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then FLASK_* variables, then test_config."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=instance_path,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    # nhsuk-frontend-jinja's macros expect ChainableUndefined (params.a.b on
    # missing a) and autoescape on for every template: Flask's default only
    # escapes .html names, so a macro's "text" would otherwise reach the page raw.
    app.jinja_options = {
        "autoescape": True,
        "undefined": ChainableUndefined,
        "loader": ChoiceLoader(
            [FileSystemLoader(str(ROOT / "templates")), PackageLoader("nhsuk_frontend_jinja")]
        ),
    }
    app.config.from_object("app.config")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env()
    if test_config:
        app.config.from_mapping(test_config)

    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'app.db'}"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))

    # The questionnaire every procedure's pages are built from; a test may give its own.
    app.config["QUESTIONNAIRE"] = app.config.get("QUESTIONNAIRE") or QUESTIONNAIRE
    app.extensions["versions"] = Versions(app.config["QUESTIONNAIRE"])

    db.init_app(app)
    migrate.init_app(app, db)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    init_i18n(app)

    from . import errors, invitations, models, security  # noqa: F401  (models: every table; invitations: its listener)
    from .cli import init_app as init_cli
    from .clinician import bp as clinician_bp
    from .components import init_app as init_components
    from .patient import bp as patient_bp
    from .service_pages import bp as pages_bp
    from .templating import init_app as init_templating

    # Patient forms check their own CSRF token (FlaskForm), so a timed-out
    # token re-shows the page with what was typed instead of a bare 400.
    csrf.exempt(patient_bp)
    app.register_blueprint(patient_bp)
    app.register_blueprint(clinician_bp)
    app.register_blueprint(pages_bp)
    errors.init_app(app)
    security.init_app(app)
    init_templating(app)
    # Addresses a patient writes down (the your-code page) are on SERVICE_URL, as emails' and letters' are.
    app.add_template_global(invitations.service_url)
    init_components(app)
    init_cli(app)
    return app


def _instance_secret_key(instance: Path) -> str:
    """Read the key made on first run, or make one; never a literal in code."""
    path = instance / "secret_key"
    if not path.exists():
        # Written aside then linked into place: two workers starting at once
        # agree on one key and never read a half-written file.
        draft = instance / f".secret_key.{os.getpid()}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()
