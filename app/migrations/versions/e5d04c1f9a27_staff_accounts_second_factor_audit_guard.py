"""staff accounts: single sign-on, a second factor, password resets; the database guards the audit

clinician.password_hash may be empty (an account that signs in only through
single sign-on); clinician.sso_subject names it at the identity provider;
totp_secret, totp_last_step and totp_enrolled_at hold its second factor.
recovery_code keeps argon2id hashes of its single-use recovery codes;
password_reset the hashes of reset links an admin issued. login_session says
how each session signed in.

audit_event gets triggers that refuse every UPDATE and DELETE (and TRUNCATE on
PostgreSQL), whoever sends them. The same statements are in app/models.py
(AUDIT_GUARDS), for tables made without migrations; this copy stays as it was.

Revision ID: e5d04c1f9a27
Revises: c3a8e5f0d2b6
Create Date: 2026-12-02 01:05:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e5d04c1f9a27'
down_revision = 'c3a8e5f0d2b6'
branch_labels = None
depends_on = None

REFUSAL = "audit events are never changed or deleted"
GUARDS = {
    "postgresql": (
        ["CREATE FUNCTION audit_event_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
         f"RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'insufficient_privilege'; END $$",
         "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event "
         "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse()"],
        ["DROP TRIGGER audit_event_append_only ON audit_event", "DROP FUNCTION audit_event_refuse()"],
    ),
    "sqlite": (
        [f"CREATE TRIGGER audit_event_no_{what} BEFORE {what.upper()} ON audit_event "
         f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END" for what in ("update", "delete")],
        [f"DROP TRIGGER audit_event_no_{what}" for what in ("update", "delete")],
    ),
}


def upgrade():
    op.create_table('password_reset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinician_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('issued_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['clinician_id'], ['clinician.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('password_reset', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_reset_clinician_id'), ['clinician_id'], unique=False)

    op.create_table('recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinician_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=255), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['clinician_id'], ['clinician.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_code_clinician_id'), ['clinician_id'], unique=False)

    with op.batch_alter_table('clinician', schema=None) as batch_op:
        batch_op.alter_column('password_hash', existing_type=sa.String(length=255), nullable=True)
        batch_op.add_column(sa.Column('sso_subject', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('totp_enrolled_at', sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint('uq_clinician_sso_subject', ['sso_subject'])

    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('method', sa.String(length=16), nullable=False, server_default='password'))

    for statement in GUARDS[op.get_bind().dialect.name][0]:
        op.execute(statement)


def downgrade():
    for statement in GUARDS[op.get_bind().dialect.name][1]:
        op.execute(statement)

    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.drop_column('method')

    # An account made by single sign-on has no password: it gets one nobody knows, and stays disabled.
    op.execute("UPDATE clinician SET password_hash = '!', active = false WHERE password_hash IS NULL")
    with op.batch_alter_table('clinician', schema=None) as batch_op:
        batch_op.drop_constraint('uq_clinician_sso_subject', type_='unique')
        batch_op.drop_column('totp_enrolled_at')
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_secret')
        batch_op.drop_column('sso_subject')
        batch_op.alter_column('password_hash', existing_type=sa.String(length=255), nullable=False)

    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_code_clinician_id'))

    op.drop_table('recovery_code')
    with op.batch_alter_table('password_reset', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_reset_clinician_id'))

    op.drop_table('password_reset')
