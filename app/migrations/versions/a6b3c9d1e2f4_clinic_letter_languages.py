"""Clinics: the language of their letters and emails, English or Welsh and English

Under the Welsh Language Standards a patient whose language is not known
is written to in Welsh and English. clinic.letters is "en" (English) or
"cy+en" (Welsh first, then English) for invitation letters and emails,
and reminders to a patient who has not yet used the service. Clinics
from before this wrote in English, and still do until an admin changes it.

Revision ID: a6b3c9d1e2f4
Revises: f2c7a9d4e8b1
Create Date: 2026-12-02 05:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a6b3c9d1e2f4'
down_revision = 'f2c7a9d4e8b1'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, as the revision before: no table copy under the foreign keys that point at clinic.
    op.add_column("clinic", sa.Column("letters", sa.String(length=8), nullable=False, server_default="en"))


def downgrade():
    op.drop_column("clinic", "letters")
