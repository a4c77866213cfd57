"""clinician list indexes

Indexes for the submissions list at a national deployment's size (10⁶ answer
sets), chosen with EXPLAIN ANALYZE on PostgreSQL 15:

- ix_answer_set_submitted_at goes. PostgreSQL preferred it to ix_answer_set_list
  for the newest-first page, then read every in-progress set first (their
  submitted_at is NULL, and NULLs come first going backwards): 186 ms, not 0.1.
  ix_answer_set_list serves every query it did.
- ix_answer_set_list gains reviewed_at as its last column, so the "Reviewed"
  filter skips sets waiting for review inside the index (29 ms to 0.8 ms).
- ix_answer_set_reviewed_at becomes ix_answer_set_not_reviewed: only sets sent
  and waiting for review, in list order, so the "Not reviewed" list and its
  count read only those, on any page (the last page read the whole table).

Revision ID: 4e1010569d1e
Revises: 5691499df3c7
Create Date: 2026-11-30 06:12:32.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '4e1010569d1e'
down_revision = '5691499df3c7'
branch_labels = None
depends_on = None

NOT_REVIEWED = sa.text("status = 'submitted' AND reviewed_at IS NULL")


def upgrade():
    op.drop_index('ix_answer_set_submitted_at', table_name='answer_set')
    op.drop_index('ix_answer_set_reviewed_at', table_name='answer_set')
    op.drop_index('ix_answer_set_list', table_name='answer_set')
    op.create_index('ix_answer_set_list', 'answer_set', ['status', 'submitted_at', 'id', 'reviewed_at'], unique=False)
    op.create_index('ix_answer_set_not_reviewed', 'answer_set', ['submitted_at', 'id'], unique=False,
                    postgresql_where=NOT_REVIEWED, sqlite_where=NOT_REVIEWED)


def downgrade():
    op.drop_index('ix_answer_set_not_reviewed', table_name='answer_set')
    op.drop_index('ix_answer_set_list', table_name='answer_set')
    op.create_index('ix_answer_set_list', 'answer_set', ['status', 'submitted_at', 'id'], unique=False)
    op.create_index('ix_answer_set_reviewed_at', 'answer_set', ['reviewed_at'], unique=False)
    op.create_index('ix_answer_set_submitted_at', 'answer_set', ['submitted_at'], unique=False)
