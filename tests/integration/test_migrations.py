import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db

pytestmark = pytest.mark.both_databases  # storage: runs on SQLite and PostgreSQL


def test_migrations_build_the_schema_the_models_expect_and_undo_it(tmp_path, empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url}, instance_path=str(tmp_path / "i"))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == [], "the models and the migrations disagree: run flask db migrate"
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) == {"alembic_version"}
        upgrade()  # and back up again: a downgrade leaves nothing behind that blocks it
        assert set(sa.inspect(db.engine).get_table_names()) == set(db.metadata.tables) | {"alembic_version"}
        db.engine.dispose()
