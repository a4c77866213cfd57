"""support needs a clinic can plan from

The interpreter question now says which kind (a spoken language, or British
Sign Language) and information formats are choices, as the NHS Accessible
Information Standard asks. Two columns say what each set needs, worked out
from its answers on every save, with a partial index each so the staff list
can filter by them at any size (few sets need either).

Existing answers: interpreter "yes" becomes "spoken", or "bsl" when the
language written was sign language (then no spoken language is kept); the
columns are filled from that. Downgrading puts "yes" back and writes any
formats chosen into the free-text support needs, so nothing is lost.

Revision ID: c3d8e1f2a4b5
Revises: 154b61a6f2b0
Create Date: 2026-12-02 09:00:00.000000

"""
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c3d8e1f2a4b5'
down_revision = '154b61a6f2b0'
branch_labels = None
depends_on = None

ANSWER_SETS = sa.table(
    "answer_set", sa.column("id", sa.Integer), sa.column("answers", sa.JSON),
    sa.column("needs_interpreter", sa.Boolean), sa.column("needs_format", sa.Boolean),
)
SIGN_LANGUAGE = re.compile(r"\b(bsl|sign)\b", re.IGNORECASE)
FORMAT_WORDS = {"large-print": "Large print", "easy-read": "Easy read", "braille": "Braille", "audio": "Audio",
                "email": "By email"}
NEEDS = ("needs_interpreter", "needs_format")


def upgraded(answers: dict) -> dict:
    """The old yes/no interpreter answer as the new kinds."""
    if answers.get("interpreter") != "yes":
        return answers
    if SIGN_LANGUAGE.search(answers.get("language") or ""):
        return {**answers, "interpreter": "bsl", "language": ""}
    return {**answers, "interpreter": "spoken"}


def downgraded(answers: dict) -> dict:
    answers = dict(answers)
    kind = answers.get("interpreter")
    if kind == "bsl":
        answers["interpreter"], answers["language"] = "yes", "British Sign Language"
    elif kind == "spoken":
        answers["interpreter"] = "yes"
    formats = [FORMAT_WORDS.get(value, value) for value in answers.pop("formats", None) or []]
    if formats:
        answers["support_needs"] = "; ".join(filter(None, [", ".join(formats), answers.get("support_needs")]))
    return answers


def _rewrite(change) -> None:
    connection = op.get_bind()
    for row in connection.execute(sa.select(ANSWER_SETS.c.id, ANSWER_SETS.c.answers)).all():
        old = row.answers or {}
        new = change(old)
        if new != old:
            connection.execute(ANSWER_SETS.update().where(ANSWER_SETS.c.id == row.id).values(
                answers=new, needs_interpreter=new.get("interpreter") in ("spoken", "bsl")))


def upgrade():
    with op.batch_alter_table('answer_set', schema=None) as batch_op:
        batch_op.add_column(sa.Column('needs_interpreter', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('needs_format', sa.Boolean(), server_default=sa.false(), nullable=False))
    _rewrite(upgraded)
    for need in NEEDS:
        # And a clinic-first twin of each, as the list's own indexes have, for one clinic's staff.
        for name, columns in ((f'ix_answer_set_{need}', ['submitted_at', 'id', 'reviewed_at']),
                              (f'ix_answer_set_clinic_{need}', ['clinic_id', 'submitted_at', 'id', 'reviewed_at'])):
            op.create_index(name, 'answer_set', columns, unique=False,
                            postgresql_where=sa.text(f"status = 'submitted' AND {need}"),
                            sqlite_where=sa.text(f"status = 'submitted' AND {need} = 1"))


def downgrade():
    for need in NEEDS:
        op.drop_index(f'ix_answer_set_clinic_{need}', table_name='answer_set')
        op.drop_index(f'ix_answer_set_{need}', table_name='answer_set')
    _rewrite(downgraded)
    with op.batch_alter_table('answer_set', schema=None) as batch_op:
        batch_op.drop_column('needs_format')
        batch_op.drop_column('needs_interpreter')
