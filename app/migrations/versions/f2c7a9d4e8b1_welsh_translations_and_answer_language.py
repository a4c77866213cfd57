"""Welsh: each version keeps its translations; each answer set, the language it was answered in

A translation is part of what the patient read, so it is stored with the
version it translates (content_version.translations: by language, the
texts of the procedure's and the standard questions' translation files),
and a corrected translation is a new version, like corrected English.
Versions published before this have none: they read in English only.

answer_set.language is "en" or "cy", the language of the patient's last
save or of sending; the care team sees "Answered in Welsh", and exports
carry it. Sets from before this were answered in English.

Revision ID: f2c7a9d4e8b1
Revises: e5d04c1f9a27
Create Date: 2026-12-02 01:15:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f2c7a9d4e8b1'
down_revision = 'e5d04c1f9a27'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no table copy): on SQLite a copy of content_version would break the
    # foreign keys that answer sets and published procedures hold to it.
    op.add_column("content_version", sa.Column("translations", sa.JSON(), nullable=False, server_default="{}"))
    op.add_column("answer_set", sa.Column("language", sa.String(length=8), nullable=False, server_default="en"))


def downgrade():
    # Not in a batch either, for the same foreign keys: SQLite 3.35+ drops a column in place.
    op.drop_column("answer_set", "language")
    op.drop_column("content_version", "translations")
