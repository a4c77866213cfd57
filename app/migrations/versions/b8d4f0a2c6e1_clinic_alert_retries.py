"""Clinic alerts the mail server turned away for now are tried again

answer_set.alert_due_since is when a clinic's alert first failed for a
reason that may pass (no connection, a 4xx reply); the hourly reminders
run tries it again until it is sent, refused with a 5xx, or three days
have passed. A partial index finds the few waiting.

Revision ID: b8d4f0a2c6e1
Revises: a6b3c9d1e2f4
Create Date: 2026-12-02 08:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b8d4f0a2c6e1'
down_revision = 'a6b3c9d1e2f4'
branch_labels = None
depends_on = None

WAITING = sa.text("alert_due_since IS NOT NULL")


def upgrade():
    # Plain ADD COLUMN: no table copy under the foreign keys that point at answer_set.
    op.add_column("answer_set", sa.Column("alert_due_since", sa.DateTime(), nullable=True))
    op.create_index("ix_answer_set_alert_due", "answer_set", ["alert_due_since"],
                    postgresql_where=WAITING, sqlite_where=WAITING)


def downgrade():
    op.drop_index("ix_answer_set_alert_due", table_name="answer_set")
    op.drop_column("answer_set", "alert_due_since")
