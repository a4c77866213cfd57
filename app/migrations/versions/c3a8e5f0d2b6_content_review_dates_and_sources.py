"""content versions: review-by date and source document

Each published version keeps the date by which it is to be checked against
NICE again (from its file, so staff pages can flag an overdue one without
reading the text), and the name and SHA-256 of the source document its
figures were traced in. Versions published before this keep no hash (the
document they were read against was not recorded); their document's name
is read from their stored file.

Revision ID: c3a8e5f0d2b6
Revises: d4e9f2a3b5c6
Create Date: 2026-12-02 09:00:00.000000

"""
import tomllib

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c3a8e5f0d2b6'
down_revision = 'd4e9f2a3b5c6'
branch_labels = None
depends_on = None

VERSIONS = sa.table("content_version", sa.column("id", sa.Integer), sa.column("procedure_text", sa.Text),
                    sa.column("review_by", sa.Date), sa.column("source_document", sa.String))


def upgrade():
    with op.batch_alter_table('content_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_by', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('source_document', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('source_sha256', sa.String(length=64), nullable=True))

    connection = op.get_bind()
    for row in connection.execute(sa.select(VERSIONS.c.id, VERSIONS.c.procedure_text)):
        data = tomllib.loads(row.procedure_text)
        document = data.get("source", {}).get("document") or None
        connection.execute(VERSIONS.update().where(VERSIONS.c.id == row.id)
                           .values(source_document=document, review_by=data.get("review_by")))


def downgrade():
    # Not in a batch: on SQLite a batch drop copies the table and drops the old one, which the
    # published_procedure and answer_set rows pointing at it refuse. SQLite 3.35+ drops a column in place.
    for column in ('source_sha256', 'source_document', 'review_by'):
        op.drop_column('content_version', column)
