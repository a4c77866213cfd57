"""Fill a database with answer sets shaped like a national deployment's, quickly.

`seed_submissions(url, count, procedures)` adds `count` answer sets to a
database whose tables already exist:

- both procedures, on the versions they are published at;
- spread evenly over CLINICS clinics (row n in the n-th, round the list), as
  a national deployment's trusts and teams would share it;
- about 90% sent, 10% still in progress;
- spread over the last two years, ids rising with time as real ones do
  (row i of count was last saved about (count - i) / count × 2 years ago);
- every sent set reviewed, hours to days after it came in, by one of a dozen
  seeded staff accounts; except those among each clinic's newest 80, its
  work queue;
- unique references ("PFP-" and 6 characters from CODE_ALPHABET) and unique
  link-token and resume-code hashes (64 hex characters, like real ones);
- answers in the shape the journey saves, by item id: every page for sent
  sets, the first few for sets in progress, drawn from a
  pool of made-up patients (app/questionnaire/examples.py), with an
  appointment date after the last save (and the same day in appointment_on,
  as saving About you sets it).

Every choice about row n comes from `_uniform(n, salt)`, a hash that Python
and PostgreSQL compute alike, so a count gives the same rows on both
databases and on every run.

PostgreSQL gets one INSERT … SELECT over generate_series, then VACUUM
(ANALYZE): the planner needs statistics, and a live table has long been
vacuumed (without it index-only scans still read the table, and autovacuum
would start in the middle of a benchmark). Then a CHECKPOINT, so the new
rows are not written out during one either (CHECKPOINT needs a superuser,
as the benchmark's throwaway cluster has). SQLite gets the same rows built in
Python, inserted in chunks.

A benchmark wants a fresh database: a reference the app made at random could
clash with a seeded one.
"""

from __future__ import annotations

import hashlib
import json
import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.content.versions import Version
from app.forms import nhs_number_is_valid
from app.models import CODE_ALPHABET, IN_PROGRESS, SUBMITTED, AnswerSet, Clinic, Clinician, utcnow
from app.questionnaire.definition import SURE_ITEMS
from app.questionnaire.examples import example_answers
from app.summary import support_needs

SPAN = timedelta(days=730)
IN_PROGRESS_SHARE = 0.10
# Each clinic's work queue: the sent sets among its newest 80 wait for review.
# A queue is as long as the clinic is behind, not a share of all it ever had,
# so it is the same at every size and lists at 10³ and 10⁶ fill the same pages.
CLINICS = 10
WAITING = 80 * CLINICS
REVIEWERS = 12
POOL_SIZE = 64  # made-up patients per kind (sent, in progress); procedures alternate
# References: row n's 6 characters are n scrambled by a bijection of 0 … 25⁶-1
# (a multiplier with no factor 5), so they are unique but not sequential.
REFERENCE_SPACE = len(CODE_ALPHABET) ** 6
REFERENCE_MULTIPLIER = 115_776_837
SALTS = {"status": 1, "answers": 2, "time": 3, "appointment": 4, "started": 5, "review": 6}
PRIME = 2**31 - 1
APPOINTMENT = "@appointment@"  # in the pooled answers, replaced per row
CHUNK = 5000

FIRST_NAMES = ["Ann", "Sam", "Priya", "Tomasz", "Grace", "Mohammed", "Eilidh", "Kofi", "Mei", "Dylan",
               "Fatima", "Gareth", "Aisha", "Bronwen", "Oluwaseun", "Joan", "Ravi", "Siobhan"]
LAST_NAMES = ["Example", "Sample", "Patel", "Nowak", "Jones", "Khan", "Campbell", "Mensah", "Chen", "Evans",
              "Ali", "Williams", "Hussain", "Davies", "Adeyemi", "Smith", "Sharma", "O'Neill"]
LANGUAGES = ["Polish", "Urdu", "Bengali", "Welsh", "Cantonese", "Somali", "Romanian", "Portuguese"]
FORMATS = ["large-print", "easy-read", "braille", "audio", "email"]
SUPPORT = ["Wheelchair access", "A hearing loop", "I need someone to help me fill in forms"]
NOTES = ["Will this hurt?", "I work nights", "My husband will drive me", "Can this be in the morning?"]
OWN_QUESTIONS = ["Can my daughter come in with me?", "Who can I call if I feel unwell at home?",
                 "How soon can I drive again?", "Will I need time off work?", "Can I keep taking my tablets?"]
VIEWS = ["I am worried about the pain afterwards.", "I want to get back to work quickly.",
         "I would rather avoid a big operation if I can.", "I care for my mum, so I cannot stay in hospital long."]


def seed_submissions(database_url: str, count: int, procedures: list[Version]) -> None:
    """Add `count` answer sets, as a national deployment would hold them, to an existing database."""
    engine = sa.create_engine(database_url)
    try:
        with engine.begin() as connection:
            first = (connection.scalar(sa.select(sa.func.max(AnswerSet.id))) or 0) + 1
            rows = Rows(first, count, utcnow(), _reviewers(connection), _pool(procedures), seeded_clinics(connection))
            if engine.dialect.name == "postgresql":
                with _indexes_made_afterwards(connection):
                    _insert_postgresql(connection, rows)
            else:
                for start in range(first, first + count, CHUNK):
                    connection.execute(AnswerSet.__table__.insert(), [rows.row(n) for n in
                                                                     range(start, min(start + CHUNK, first + count))])
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM (ANALYZE) answer_set, clinician")
                # Written to disk now, not by the checkpointer in the middle of a benchmark.
                connection.exec_driver_sql("CHECKPOINT")
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Pooled:
    """One made-up patient's answers, as JSON with a placeholder for the appointment date."""

    submitted: bool
    index: int
    slug: str
    version_id: int
    saves: int
    answers: str
    pages: str
    needs_interpreter: bool
    needs_format: bool


@dataclass(frozen=True)
class Rows:
    """What row n holds: the recipe both databases follow."""

    first: int
    count: int
    now: datetime
    reviewers: list[int]
    pool: list[Pooled]
    clinics: list[int]

    def row(self, n: int) -> dict:
        submitted = _uniform(n, "status") >= IN_PROGRESS_SHARE
        pooled = self.pool[(0 if submitted else POOL_SIZE) + int(_uniform(n, "answers") * POOL_SIZE)]
        saved = self.now - SPAN * ((self.first + self.count - 1 - n + _uniform(n, "time")) / self.count)
        appointment = (saved + timedelta(days=7 + int(_uniform(n, "appointment") * 35))).date()
        reviewed = submitted and n - self.first < self.count - WAITING
        return {
            "reference": _reference(n),
            "procedure_slug": pooled.slug,
            "content_version_id": pooled.version_id,
            "token_hash": hashlib.sha256(f"bench-token:{n}".encode()).hexdigest(),
            "resume_code_hash": hashlib.sha256(f"bench-code:{n}".encode()).hexdigest(),
            "status": SUBMITTED if submitted else IN_PROGRESS,
            "answers": json.loads(pooled.answers.replace(APPOINTMENT, appointment.isoformat())),
            "clinic_id": self.clinics[n % len(self.clinics)],
            "appointment_on": appointment if APPOINTMENT in pooled.answers else None,
            "pages_saved": json.loads(pooled.pages), "earlier_answers": [], "updates": [],
            "version": pooled.saves + 1,
            "needs_interpreter": pooled.needs_interpreter, "needs_format": pooled.needs_format,
            "created_at": saved - timedelta(days=3) * _uniform(n, "started"),
            "updated_at": saved,
            "submitted_at": saved if submitted else None,
            "reviewed_at": saved + timedelta(hours=2) + timedelta(days=5) * _uniform(n, "review") if reviewed else None,
            "reviewed_by_id": self.reviewers[n % len(self.reviewers)] if reviewed else None,
        }


def _uniform(n: int, salt: str) -> float:
    """A number in [0, 1) fixed by n and salt: a step along the field mod a prime, squared twice to mix.

    Integer arithmetic only (md5 per draw made PostgreSQL spend 14 s on 10⁶
    rows), and every product fits a bigint; `_sql_uniform` is the same in SQL.
    """
    k = SALTS[salt]
    x = (n * 48271 + k * 1_000_003) % PRIME
    x = (x * x + k) % PRIME
    x = (x * x + k) % PRIME
    return x / PRIME


def _sql_uniform(salt: str) -> str:
    k = SALTS[salt]
    x = f"((n::bigint * 48271 + {k * 1_000_003}) % {PRIME})"
    x = f"(({x} * {x} + {k}) % {PRIME})"
    x = f"(({x} * {x} + {k}) % {PRIME})"
    return f"({x} / {PRIME}::float8)"


def _reference(n: int) -> str:
    scrambled = (n * REFERENCE_MULTIPLIER) % REFERENCE_SPACE
    return "PFP-" + "".join(CODE_ALPHABET[scrambled // 25**k % 25] for k in range(6))


def _sql_reference() -> str:
    scrambled = f"(n::bigint * {REFERENCE_MULTIPLIER} % {REFERENCE_SPACE})"
    return "'PFP-' || " + " || ".join(
        f"substr('{CODE_ALPHABET}', ({scrambled} / {25**k} % 25)::int + 1, 1)" for k in range(6)
    )


def _insert_postgresql(connection, rows: Rows) -> None:
    """The same rows as Rows.row, made by the server in one statement."""
    connection.exec_driver_sql(
        "CREATE TEMPORARY TABLE bench_pool (submitted boolean, index integer, slug text, version_id integer,"
        " saves integer, answers text, pages text, needs_interpreter boolean, needs_format boolean,"
        " PRIMARY KEY (submitted, index)) ON COMMIT DROP"
    )
    connection.execute(
        sa.text("INSERT INTO bench_pool VALUES (:submitted, :index, :slug, :version_id, :saves, :answers, :pages,"
                " :needs_interpreter, :needs_format)"),
        [vars(p) for p in rows.pool],
    )
    u = _sql_uniform
    connection.execute(sa.text(f"""
        WITH numbered AS (
            SELECT n, {u('status')} >= :in_progress_share AS submitted,
                   floor({u('answers')} * :pool_size)::int AS pick,
                   CAST(:now AS timestamp)
                     - :span * (({rows.first + rows.count - 1} - n + {u('time')}) / :count) AS saved
            FROM generate_series({rows.first}, {rows.first + rows.count - 1}) AS n
        )
        INSERT INTO answer_set (reference, procedure_slug, content_version_id, token_hash, resume_code_hash, status,
                                answers, pages_saved, earlier_answers, updates, version, created_at, updated_at,
                                submitted_at, reviewed_at, reviewed_by_id, clinic_id, appointment_on,
                                needs_interpreter, needs_format)
        SELECT {_sql_reference()}, p.slug, p.version_id,
               encode(sha256(convert_to('bench-token:' || n, 'UTF8')), 'hex'),
               encode(sha256(convert_to('bench-code:' || n, 'UTF8')), 'hex'),
               CASE WHEN r.submitted THEN '{SUBMITTED}' ELSE '{IN_PROGRESS}' END,
               replace(p.answers, '{APPOINTMENT}',
                       to_char(saved + make_interval(days => 7 + floor({u('appointment')} * 35)::int),
                               'YYYY-MM-DD'))::json,
               p.pages::json, '[]'::json, '[]'::json,
               p.saves + 1, saved - interval '3 days' * {u('started')}, saved,
               CASE WHEN r.submitted THEN saved END,
               CASE WHEN reviewed THEN saved + interval '2 hours' + interval '5 days' * {u('review')} END,
               CASE WHEN reviewed THEN (CAST(:reviewers AS integer[]))[1 + n % {len(rows.reviewers)}] END,
               (CAST(:clinics AS integer[]))[1 + n % {len(rows.clinics)}],
               CASE WHEN position('{APPOINTMENT}' in p.answers) > 0
                    THEN (saved + make_interval(days => 7 + floor({u('appointment')} * 35)::int))::date END,
               p.needs_interpreter, p.needs_format
        FROM (SELECT *, submitted AND n - {rows.first} < :reviewed_count AS reviewed FROM numbered) AS r
        JOIN bench_pool AS p ON p.submitted = r.submitted AND p.index = r.pick
    """), {
        "in_progress_share": IN_PROGRESS_SHARE, "pool_size": POOL_SIZE, "now": rows.now, "span": SPAN,
        "count": rows.count, "reviewers": rows.reviewers, "reviewed_count": rows.count - WAITING,
        "clinics": rows.clinics,
    })


@contextmanager
def _indexes_made_afterwards(connection):
    """Drop answer_set's indexes and unique constraints (not its key), then make them again as they were.

    Building an index once over all the rows is much quicker than growing it
    a row at a time in random order (for 10⁶ rows, 11 s instead of 38 s). It
    is all in the seeding transaction: if seeding fails, the schema is as it was.
    """
    table = "'answer_set'::regclass"
    constraints = connection.execute(sa.text(
        f"SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = {table} AND contype = 'u'"
    )).all()
    indexes = connection.execute(sa.text(
        f"SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = {table}"
        f" AND NOT indisprimary AND indexrelid NOT IN (SELECT conindid FROM pg_constraint WHERE conrelid = {table})"
    )).all()
    for name, _ in constraints:
        connection.exec_driver_sql(f'ALTER TABLE answer_set DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        connection.exec_driver_sql(f"DROP INDEX {name}")
    yield
    connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
    for name, definition in constraints:
        connection.exec_driver_sql(f'ALTER TABLE answer_set ADD CONSTRAINT "{name}" {definition}')
    for _, definition in indexes:
        connection.exec_driver_sql(definition)


def seeded_clinics(connection) -> list[int]:
    """The CLINICS clinics the rows belong to, made if missing; their ids in order."""
    slugs = [f"bench-clinic-{i:02d}" for i in range(1, CLINICS + 1)]
    table = Clinic.__table__
    existing = set(connection.scalars(sa.select(table.c.slug).where(table.c.slug.in_(slugs))))
    missing = [{"slug": s, "name": f"Bench clinic {s[-2:]}", "inbox": "", "created_at": utcnow() - SPAN}
               for s in slugs if s not in existing]
    if missing:
        connection.execute(table.insert(), missing)
    return list(connection.scalars(sa.select(table.c.id).where(table.c.slug.in_(slugs)).order_by(table.c.slug)))


def _reviewers(connection) -> list[int]:
    """A dozen staff accounts that review; their password hash matches no password, so none can sign in."""
    emails = [f"bench.reviewer{i:02d}@example.org" for i in range(1, REVIEWERS + 1)]
    table = Clinician.__table__
    existing = set(connection.scalars(sa.select(table.c.email).where(table.c.email.in_(emails))))
    missing = [{"email": e, "password_hash": "!", "role": "clinician", "active": True, "created_at": utcnow() - SPAN}
               for e in emails if e not in existing]
    if missing:
        connection.execute(table.insert(), missing)
    return list(connection.scalars(sa.select(table.c.id).where(table.c.email.in_(emails)).order_by(table.c.id)))


def _pool(procedures: list[Version]) -> list[Pooled]:
    """POOL_SIZE sent patients, then POOL_SIZE in progress, alternating between the procedures."""
    pool = []
    for submitted in (True, False):
        for index in range(POOL_SIZE):
            version = procedures[index % len(procedures)]
            rng = random.Random(f"{submitted}-{index}")
            answers = _answers(version, rng)
            pages = [page.key for page in version.questionnaire.pages]
            if not submitted:  # stopped part way: the pages before some point
                pages = pages[:rng.randint(1, len(pages) - 1)]
                kept = {item.id for key in pages for item in version.questionnaire.page(key).items}
                answers = {k: v for k, v in answers.items() if k in kept}
            pool.append(Pooled(submitted, index, version.slug, version.id, len(pages), json.dumps(answers),
                               json.dumps(dict.fromkeys(pages, version.version)),
                               *support_needs(version.questionnaire, answers)))
    return pool


def _answers(version: Version, rng: random.Random) -> dict:
    """Every item answered (app/questionnaire/examples.py), the words people type drawn from the pools above."""
    interpreter = rng.choices(["spoken", "bsl", "no", None], [7, 1, 80, 12])[0]
    questions = version.procedure.all_questions
    chosen = {f"ask_{q.id}": rng.choice(NOTES) if rng.random() < 0.2 else ""
              for q in rng.sample(questions, rng.randint(1, min(6, len(questions))))}
    given = {
        "name": "" if rng.random() < 0.15 else f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        "nhs_number": _nhs_number(rng) if rng.random() < 0.7 else "",
        "appointment_date": APPOINTMENT if rng.random() < 0.8 else None,
        "companion": rng.choice(["yes", "no", "not-sure", None]),
        "interpreter": interpreter,
        "language": rng.choice(LANGUAGES) if interpreter == "spoken" else "",
        "formats": rng.sample(FORMATS, 1) if rng.random() < 0.06 else [],
        "support_needs": rng.choice(SUPPORT) if rng.random() < 0.15 else "",
        **{f"ask_{q.id}": None for q in questions}, **chosen,
        "own": [{"id": f"own-{i}", "text": text}
                for i, text in enumerate(rng.sample(OWN_QUESTIONS, rng.choice([0, 0, 1, 1, 2])))],
        "views": rng.choice(VIEWS) if rng.random() < 0.5 else "",
        **{f"point_{p.id}": "explain" if rng.random() < 0.2 else "understand"
           for p in version.procedure.all_consent_points},
        **{f"rate_{s.id}": rng.choice(["not", "quite", "very", "very"]) for s in version.procedure.what_matters},
        "leaning": rng.choice(["have", "have", "not-have", "not-sure"]),
        "role": rng.choice(["myself", "together", "together", "clinician"]),
        **{key: "yes" if rng.random() < 0.75 else "no" for key, _ in SURE_ITEMS},
    }
    return example_answers(version.questionnaire, rng, given)


def _nhs_number(rng: random.Random) -> str:
    """A valid NHS number from the 999 range the NHS keeps for testing."""
    while not nhs_number_is_valid(digits := f"999{rng.randrange(10**7):07d}"):
        pass
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
