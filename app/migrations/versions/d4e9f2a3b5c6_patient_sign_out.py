"""patient sign-out

A number on each answer set that a patient's session cookie must match.
Signing out adds one, so a copied cookie is refused afterwards, as a
clinician's is (their sessions are rows of their own).

Revision ID: d4e9f2a3b5c6
Revises: c3d8e1f2a4b5
Create Date: 2026-12-02 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd4e9f2a3b5c6'
down_revision = 'c3d8e1f2a4b5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answer_set', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('answer_set', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
