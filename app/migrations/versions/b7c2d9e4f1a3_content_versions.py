"""content versions, and answers stored by item id

Each published version of a procedure becomes a row that is never changed
(content_version), with the one patients start on now (published_procedure).
An answer set points at its version, and its answers move from one dict per
section to one entry per questionnaire item, keyed by the item's id, with
the pages it has saved beside them.

Sets made before this have no version row to point at: content_version_id
stays empty, and the app shows them against their procedure's first stored
version (an unsent one moves on to the current version, every saved page to
be checked again).

Revision ID: b7c2d9e4f1a3
Revises: 4e1010569d1e
Create Date: 2026-12-01 22:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7c2d9e4f1a3'
down_revision = '4e1010569d1e'
branch_labels = None
depends_on = None

ANSWER_SETS = sa.table(
    "answer_set", sa.column("id", sa.Integer), sa.column("answers", sa.JSON),
    sa.column("pages_saved", sa.JSON), sa.column("content_version", sa.String),
)
# The old sections, in the order the journey saved them; each became a page of the same key.
SECTIONS = ("about_you", "about_procedure", "benefits_risks", "questions", "top_questions", "what_matters",
            "consent", "where_you_are")


def by_item(old: dict) -> dict:
    """One section's dict each (the old shape) to one entry per item id (the new one)."""
    about = old.get("about_you", {})
    questions = old.get("questions", {})
    own = [{"id": f"own-{i + 1}", "text": text} for i, text in enumerate(questions.get("own", []))]
    new = {key: about[key] for key in about}
    if old.get("about_procedure", {}).get("read"):
        new["read_procedure"] = True
    if old.get("benefits_risks", {}).get("read"):
        new["read_benefits_risks"] = True
    if "questions" in old:
        new |= {f"ask_{qid}": note for qid, note in questions.get("chosen", {}).items()}
        new["own"] = own
    if "top_questions" in old:
        own_ids = {f"own:{i}": q["id"] for i, q in enumerate(own)}
        new["top"] = [own_ids.get(key, "ask_" + key.removeprefix("q:")) for key in old["top_questions"].get("top", [])]
    matters = old.get("what_matters", {})
    new |= {f"rate_{sid}": rating for sid, rating in matters.get("ratings", {}).items()}
    if "views" in matters:
        new["views"] = matters["views"]
    new |= {f"point_{pid}": mark for pid, mark in old.get("consent", {}).get("points", {}).items()}
    where = old.get("where_you_are", {})
    new |= {key: where[key] for key in ("leaning", "role") if key in where}
    new |= {f"sure_{key}": value for key, value in where.get("sure", {}).items()}
    return new


def by_section(new: dict, saved: dict) -> dict:
    """Back to the old shape, for a downgrade."""
    old = {}
    if "about_you" in saved:
        old["about_you"] = {k: new.get(k) for k in ("name", "nhs_number", "appointment_date", "companion",
                                                    "interpreter", "language", "support_needs")}
    for page, item in (("about_procedure", "read_procedure"), ("benefits_risks", "read_benefits_risks")):
        if page in saved:
            old[page] = {"read": bool(new.get(item))}
    own = new.get("own", [])
    if "questions" in saved:
        chosen = {k.removeprefix("ask_"): v for k, v in new.items() if k.startswith("ask_") and v is not None}
        old["questions"] = {"chosen": chosen, "own": [q["text"] for q in own]}
    if "top_questions" in saved:
        own_keys = {q["id"]: f"own:{i}" for i, q in enumerate(own)}
        old["top_questions"] = {"top": [own_keys.get(k, "q:" + k.removeprefix("ask_")) for k in new.get("top", [])]}
    if "what_matters" in saved:
        old["what_matters"] = {"ratings": {k.removeprefix("rate_"): v for k, v in new.items() if k.startswith("rate_")},
                               "views": new.get("views", "")}
    if "consent" in saved:
        old["consent"] = {"points": {k.removeprefix("point_"): v for k, v in new.items() if k.startswith("point_")}}
    if "where_you_are" in saved:
        old["where_you_are"] = {"leaning": new.get("leaning"), "role": new.get("role"),
                                "sure": {k.removeprefix("sure_"): v for k, v in new.items() if k.startswith("sure_")}}
    return old


def upgrade():
    op.create_table('content_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=12), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('file_name', sa.String(length=120), nullable=False),
    sa.Column('procedure_text', sa.Text(), nullable=False),
    sa.Column('standard_questions_text', sa.Text(), nullable=False),
    sa.Column('questionnaire', sa.JSON(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('published_by', sa.String(length=254), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('version')
    )
    with op.batch_alter_table('content_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_version_slug'), ['slug'], unique=False)

    op.create_table('published_procedure',
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['content_version.id'], ),
    sa.PrimaryKeyConstraint('slug')
    )
    with op.batch_alter_table('answer_set', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_version_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('pages_saved', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('earlier_answers', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('updates', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.create_foreign_key('fk_answer_set_content_version_id_content_version', 'content_version',
                                    ['content_version_id'], ['id'])

    connection = op.get_bind()
    for row in connection.execute(sa.select(ANSWER_SETS.c.id, ANSWER_SETS.c.answers, ANSWER_SETS.c.content_version)):
        old = row.answers or {}
        saved = {key: row.content_version for key in SECTIONS if key in old}
        connection.execute(ANSWER_SETS.update().where(ANSWER_SETS.c.id == row.id)
                           .values(answers=by_item(old), pages_saved=saved))

    with op.batch_alter_table('answer_set', schema=None) as batch_op:
        batch_op.drop_column('content_version')


def downgrade():
    with op.batch_alter_table('answer_set', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_version', sa.String(length=12), nullable=False, server_default=''))
    connection = op.get_bind()
    for row in connection.execute(sa.select(ANSWER_SETS.c.id, ANSWER_SETS.c.answers, ANSWER_SETS.c.pages_saved)):
        connection.execute(ANSWER_SETS.update().where(ANSWER_SETS.c.id == row.id).values(
            answers=by_section(row.answers or {}, row.pages_saved or {}),
            content_version=next(iter((row.pages_saved or {}).values()), "")))
    with op.batch_alter_table('answer_set', schema=None) as batch_op:
        batch_op.drop_constraint('fk_answer_set_content_version_id_content_version', type_='foreignkey')
        batch_op.drop_column('updates')
        batch_op.drop_column('earlier_answers')
        batch_op.drop_column('pages_saved')
        batch_op.drop_column('content_version_id')

    op.drop_table('published_procedure')
    with op.batch_alter_table('content_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_version_slug'))
    op.drop_table('content_version')
