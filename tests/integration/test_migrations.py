import json
from datetime import date, datetime

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
        with db.engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO audit_event (at, actor, action, detail) "
                                       "VALUES (CURRENT_TIMESTAMP, 'system', 'published', '')")
        for statement in ("UPDATE audit_event SET action = 'nothing'", "DELETE FROM audit_event"):
            with pytest.raises(sa.exc.DatabaseError, match="audit events are never changed or deleted"), \
                    db.engine.begin() as connection:
                connection.exec_driver_sql(statement)
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) == {"alembic_version"}
        upgrade()  # and back up again: a downgrade leaves nothing behind that blocks it
        assert set(sa.inspect(db.engine).get_table_names()) == set(db.metadata.tables) | {"alembic_version"}
        db.engine.dispose()


# A set saved before versions were kept: one dict per section, as the journey stored answers then.
OLD_ANSWERS = {
    "about_you": {"name": "Ann Example", "nhs_number": "", "appointment_date": None, "companion": "yes",
                  "interpreter": "yes", "language": "Welsh", "support_needs": ""},
    "about_procedure": {"read": True},
    "questions": {"chosen": {"risks": "Burns?", "appointments": ""}, "own": ["Can I drive?"]},
    "top_questions": {"top": ["q:risks", "own:0"]},
    "what_matters": {"ratings": {"fewer-appointments": "very"}, "views": "Pain"},
    "consent": {"points": {"follow-up": "explain"}},
    "where_you_are": {"leaning": "have", "role": "myself", "sure": {"sure": "yes", "understand": "no"}},
}


def test_answers_saved_before_versions_move_to_item_ids_and_back(tmp_path, empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url}, instance_path=str(tmp_path / "i"))
    with app.app_context():
        upgrade(revision="4e1010569d1e")
        table = sa.table("answer_set", *(sa.column(c) for c in (
            "reference", "procedure_slug", "content_version", "token_hash", "resume_code_hash", "status",
            "version", "created_at", "updated_at")), sa.column("answers", sa.JSON))
        with db.engine.begin() as connection:
            connection.execute(table.insert().values(
                reference="PFP-ACDEFG", procedure_slug="liver-laser-ablation", content_version="0123456789ab",
                token_hash="t" * 64, resume_code_hash="c" * 64, status="in_progress", answers=OLD_ANSWERS,
                version=1, created_at=sa.func.now(), updated_at=sa.func.now()))
        upgrade()
        with db.engine.connect() as connection:
            row = connection.execute(sa.text("SELECT answers, pages_saved, content_version_id FROM answer_set")).one()
        answers, pages = (value if isinstance(value, dict) else json.loads(value) for value in row[:2])
        assert row[2] is None  # no version row to point at: the app reads it against its procedure's first
        assert answers["name"] == "Ann Example" and answers["language"] == "Welsh"
        assert answers["read_procedure"] is True and "read_benefits_risks" not in answers
        assert answers["ask_risks"] == "Burns?" and answers["ask_appointments"] == ""
        assert answers["own"] == [{"id": "own-1", "text": "Can I drive?"}]
        assert answers["top"] == ["ask_risks", "own-1"]
        assert answers["rate_fewer-appointments"] == "very" and answers["views"] == "Pain"
        assert answers["point_follow-up"] == "explain"
        assert (answers["leaning"], answers["sure_sure"], answers["sure_understand"]) == ("have", "yes", "no")
        assert pages == dict.fromkeys(OLD_ANSWERS, "0123456789ab")  # saved on a version we cannot name

        downgrade(revision="4e1010569d1e")
        with db.engine.connect() as connection:
            restored = connection.execute(sa.text("SELECT answers, content_version FROM answer_set")).one()
        old = restored[0] if isinstance(restored[0], dict) else json.loads(restored[0])
        assert old["questions"] == OLD_ANSWERS["questions"] and old["top_questions"] == OLD_ANSWERS["top_questions"]
        assert old["about_you"] == OLD_ANSWERS["about_you"] and restored[1] == "0123456789ab"
        db.engine.dispose()


def test_interpreter_answers_become_the_kind_of_interpreter_and_back(tmp_path, empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url}, instance_path=str(tmp_path / "i"))
    before = {"PFP-ACDEFG": {"interpreter": "yes", "language": "Polish"},
              "PFP-ACDEFH": {"interpreter": "yes", "language": "BSL please"},
              "PFP-ACDEFJ": {"interpreter": "no", "language": ""}}
    with app.app_context():
        upgrade(revision="b7c2d9e4f1a3")
        table = sa.table("answer_set", *(sa.column(c) for c in (
            "reference", "procedure_slug", "token_hash", "resume_code_hash", "status", "version", "created_at",
            "updated_at")), sa.column("answers", sa.JSON), sa.column("pages_saved", sa.JSON),
            sa.column("earlier_answers", sa.JSON), sa.column("updates", sa.JSON))
        with db.engine.begin() as connection:
            connection.execute(table.insert(), [dict(
                reference=reference, procedure_slug="liver-laser-ablation", token_hash=reference + "t",
                resume_code_hash=reference + "c", status="submitted", answers=answers, pages_saved={},
                earlier_answers=[], updates=[], version=1, created_at=datetime(2026, 1, 1),
                updated_at=datetime(2026, 1, 1)) for reference, answers in before.items()])

        def stored() -> dict:
            with db.engine.connect() as connection:
                rows = connection.execute(sa.text(
                    "SELECT reference, answers, needs_interpreter FROM answer_set ORDER BY reference")).all()
            return {r[0]: (r[1] if isinstance(r[1], dict) else json.loads(r[1]), bool(r[2])) for r in rows}

        upgrade()
        assert stored() == {
            "PFP-ACDEFG": ({"interpreter": "spoken", "language": "Polish"}, True),
            "PFP-ACDEFH": ({"interpreter": "bsl", "language": ""}, True),
            "PFP-ACDEFJ": ({"interpreter": "no", "language": ""}, False),
        }
        with db.engine.begin() as connection:
            connection.execute(sa.text("UPDATE answer_set SET answers = :answers WHERE reference = 'PFP-ACDEFJ'"),
                               {"answers": json.dumps({"interpreter": "no", "formats": ["braille"],
                                                       "support_needs": "A ramp"})})
        downgrade(revision="b7c2d9e4f1a3")
        with db.engine.connect() as connection:
            rows = dict(connection.execute(sa.text("SELECT reference, answers FROM answer_set")).all())
        answers = {k: v if isinstance(v, dict) else json.loads(v) for k, v in rows.items()}
        assert answers["PFP-ACDEFG"] == before["PFP-ACDEFG"]
        assert answers["PFP-ACDEFH"] == {"interpreter": "yes", "language": "British Sign Language"}
        assert answers["PFP-ACDEFJ"] == {"interpreter": "no", "support_needs": "Braille; A ramp"}
        db.engine.dispose()


def test_versions_published_before_review_dates_keep_their_document_and_are_flagged(tmp_path, empty_database_url):
    from app.content.files import PROCEDURES_DIR, STANDARD_QUESTIONS_FILE
    from app.content.versions import overdue, versions

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url}, instance_path=str(tmp_path / "i"))
    before = (PROCEDURES_DIR / "liver-laser-ablation.toml").read_text().replace("review_by = 2027-12-01\n", "")
    with app.app_context():
        upgrade(revision="b7c2d9e4f1a3")
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO content_version (version, slug, title, file_name, procedure_text, "
                "standard_questions_text, questionnaire, published_at, published_by) VALUES ('0123456789ab', "
                "'liver-laser-ablation', 'Laser ablation', 'liver-laser-ablation.toml', :text, :standard, '[]', "
                "CURRENT_TIMESTAMP, 'system')"), {"text": before, "standard": STANDARD_QUESTIONS_FILE.read_text()})
            connection.execute(sa.text("INSERT INTO published_procedure (slug, version_id, updated_at) "
                                       "VALUES ('liver-laser-ablation', 1, CURRENT_TIMESTAMP)"))
        upgrade()
        with db.engine.connect() as connection:
            row = connection.execute(sa.text(
                "SELECT source_document, source_sha256, review_by FROM content_version")).one()
        assert tuple(row) == ("nice-liver-laser-ablation-information-for-the-public.txt", None, None)
        assert versions().get(1).procedure.review_by is None  # still reads, as patients on it need
        assert [r.version for r in overdue(date(2026, 12, 2))] == ["0123456789ab"]  # flagged for a review date
        db.session.remove()  # its read ends, or PostgreSQL's ALTER TABLE waits on it for ever
        downgrade(revision="b7c2d9e4f1a3")
        assert "review_by" not in {c["name"] for c in sa.inspect(db.engine).get_columns("content_version")}
        db.engine.dispose()


def test_clinics_made_before_the_letter_setting_keep_writing_in_english(tmp_path, empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url}, instance_path=str(tmp_path / "i"))
    with app.app_context():
        upgrade(revision="f2c7a9d4e8b1")
        with db.engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO clinic (slug, name, inbox, created_at) "
                                       "VALUES ('breast-royal', 'Breast surgery', '', CURRENT_TIMESTAMP)")
        upgrade()
        with db.engine.begin() as connection:
            assert connection.exec_driver_sql("SELECT letters FROM clinic").scalar_one() == "en"
            connection.exec_driver_sql("UPDATE clinic SET letters = 'cy+en'")
        downgrade(revision="f2c7a9d4e8b1")
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT name FROM clinic").scalar_one() == "Breast surgery"
        db.engine.dispose()
