import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db


def test_migrations_build_the_schema_the_models_expect_and_undo_it(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}"}, instance_path=str(tmp_path / "i"))
    with app.app_context():
        upgrade()
        inspector = sa.inspect(db.engine)
        columns = {c["name"] for c in inspector.get_columns("answer_set")}
        assert columns == set(db.metadata.tables["answer_set"].columns.keys())
        downgrade(revision="base")
        assert "answer_set" not in sa.inspect(db.engine).get_table_names()
