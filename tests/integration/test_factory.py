from app import create_app


def make_app(tmp_path, test_config=None):
    return create_app(test_config, instance_path=str(tmp_path / "instance"))


def test_testing_flag_only_in_test_config(tmp_path):
    assert not make_app(tmp_path).testing
    assert make_app(tmp_path, {"TESTING": True}).testing


def test_default_database_is_sqlite_in_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("FLASK_SQLALCHEMY_DATABASE_URI", raising=False)
    app = make_app(tmp_path)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'instance' / 'app.db'}"


def test_secret_key_generated_into_instance_once(tmp_path, monkeypatch):
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    first = make_app(tmp_path).config["SECRET_KEY"]
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.read_text() == first
    assert len(first) == 64
    assert key_file.stat().st_mode & 0o077 == 0, "secret key must be readable by its owner only"
    assert make_app(tmp_path).config["SECRET_KEY"] == first


def test_config_precedence_defaults_instance_environment_test(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        'SERVICE_NAME = "From instance"\nPHASE = "Alpha"\nFEEDBACK_EMAIL = "a@b.nhs.uk"\n')
    monkeypatch.setenv("FLASK_PHASE", "From environment")
    monkeypatch.setenv("FLASK_FEEDBACK_EMAIL", "env@b.nhs.uk")

    app = make_app(tmp_path, {"FEEDBACK_EMAIL": "test@b.nhs.uk"})

    assert app.config["SESSION_COOKIE_HTTPONLY"] is True  # default from app/config.py
    assert app.config["SERVICE_NAME"] == "From instance"  # instance beats default
    assert app.config["PHASE"] == "From environment"  # environment beats instance
    assert app.config["FEEDBACK_EMAIL"] == "test@b.nhs.uk"  # test config beats all


def test_environment_sets_database_and_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path / 'other.db'}")
    monkeypatch.setenv("FLASK_SECRET_KEY", "from-env")
    app = make_app(tmp_path)
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("other.db")
    assert app.config["SECRET_KEY"] == "from-env"
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_nhs_macros_escape_text_they_are_given(tmp_path):
    """nhsuk-frontend-jinja's macros live in .jinja files, which Flask would not autoescape."""
    app = make_app(tmp_path, {"SECRET_KEY": "test-only"})
    template = '{% from "nhsuk/components/inset-text/macro.jinja" import insetText %}{{ insetText({"text": text}) }}'
    with app.test_request_context():
        html = app.jinja_env.from_string(template).render(text="<script>alert(1)</script>")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
