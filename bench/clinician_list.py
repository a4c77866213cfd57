"""Time the clinician submissions list with 10³ and 10⁶ answer sets on PostgreSQL 15.

    .venv/bin/python -m bench.clinician_list [--requests 200] [--sizes 1000 1000000]

Starts a throwaway PostgreSQL cluster (tests/postgresql.py), makes a database
per size with the app's tables, seeds it (bench/seed.py), signs a clinician in
through the real sign-in form, and times each variant of the list in the Flask
test client: the whole request, SQL and template, as a server would run it.
Requests take turns over every size and variant, in a shuffled order, so a
busy machine slows them all alike. Prints p50 and p95 per variant and size,
and the p95 ratio of the largest size to the smallest; the target is 1.5 or
less.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the throwaway cluster and the sign-in helper

from app import create_app  # noqa: E402
from app.clinician.auth import hash_password  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import SUBMITTED, AnswerSet, Clinician  # noqa: E402
from bench.seed import seed_submissions  # noqa: E402
from clinician_helpers import sign_in  # noqa: E402
from postgresql import Cluster  # noqa: E402
from support import app_config  # noqa: E402

LIVER = "liver-laser-ablation"
EMAIL, PASSWORD = "bench.nurse@example.org", "correct horse battery"
WARM_UP = 5


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 1_000_000])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per variant and size")
    args = parser.parse_args(argv)

    cluster = Cluster()
    try:
        sites = {}
        for size in args.sizes:
            started = time.perf_counter()
            sites[size] = Site(cluster, size)
            print(f"{size:>9,} answer sets seeded and signed in: {time.perf_counter() - started:.0f} s", file=sys.stderr)
        timings = time_round_robin(sites, args.requests)
        report(timings, args.sizes)
        for site in sites.values():
            site.close()
    finally:
        cluster.stop()


class Site:
    """One database of `size` answer sets, an app on it, and a signed-in clinician's browser."""

    def __init__(self, cluster: Cluster, size: int):
        url = cluster.fresh()
        self.app = create_app(app_config(url))
        with self.app.app_context():
            db.create_all()
        seed_submissions(url, size, self.app.extensions["catalogue"])
        with self.app.app_context():
            db.session.add(Clinician(email=EMAIL, password_hash=hash_password(PASSWORD)))
            db.session.commit()
        self.client = self.app.test_client()
        assert sign_in(self.client, EMAIL, PASSWORD).status_code == 302
        self.variants = self._variants()

    def _variants(self) -> dict[str, str]:
        """Each way a clinician reads the list, as the address their browser asks for."""
        with self.app.app_context():
            submitted = sa.select(AnswerSet).where(AnswerSet.status == SUBMITTED)
            newest_first = (AnswerSet.submitted_at.desc(), AnswerSet.id.desc())
            fifth_page = db.session.scalars(submitted.order_by(*newest_first).offset(4 * 25 - 1).limit(1)).one()
            tenth_page = db.session.scalars(submitted.order_by(*newest_first).offset(9 * 25 - 1).limit(1)).one()
            waiting = submitted.where(AnswerSet.reviewed_at.is_(None))
            last_waiting = db.session.scalars(waiting.order_by(AnswerSet.submitted_at, AnswerSet.id).offset(10).limit(1)).one()
            some = db.session.scalars(submitted.order_by(AnswerSet.id).offset(db.session.scalar(
                sa.select(sa.func.count()).select_from(submitted.subquery())) // 3).limit(1)).one()
        then = some.submitted_at  # about 16 months ago
        dates = (f"sent_from[day]=1&sent_from[month]={then.month}&sent_from[year]={then.year}"
                 f"&sent_to[day]=28&sent_to[month]={then.month}&sent_to[year]={then.year}")
        return {
            "first page": "/clinician/",
            "Older, page 5": f"/clinician/?after={cursor(fifth_page)}",
            "Older, page 10": f"/clinician/?after={cursor(tenth_page)}",
            "Newer, from page 10": f"/clinician/?before={cursor(tenth_page)}",
            "procedure": f"/clinician/?procedure={LIVER}",
            "not reviewed": "/clinician/?status=not-reviewed",
            "not reviewed, last page": f"/clinician/?status=not-reviewed&after={cursor(last_waiting)}",
            "reviewed": "/clinician/?status=reviewed",
            "procedure, not reviewed": f"/clinician/?procedure={LIVER}&status=not-reviewed",
            "sent dates (a month)": f"/clinician/?{dates}",
            "search by reference": f"/clinician/?reference={some.reference.removeprefix('PFP-').lower()}",
        }

    def close(self) -> None:
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


def cursor(answer_set: AnswerSet) -> str:
    """The list's paging cursor, as its Older and Newer links carry it."""
    return f"{answer_set.submitted_at.isoformat()}~{answer_set.id}"


def time_round_robin(sites: dict[int, Site], requests: int) -> dict[tuple[str, int], list[float]]:
    """Milliseconds per request for every (variant, size), taking turns in a shuffled order.

    Shuffled, because in a fixed order a pause that recurs (Python's garbage
    collector, another process) can fall on the same variant every round.
    """
    turns = [(size, name, url) for size, site in sites.items() for name, url in site.variants.items()]
    shuffle = random.Random(0).shuffle
    timings = {(name, size): [] for size, name, _ in turns}  # reported in this order
    for round_number in range(WARM_UP + requests):
        shuffle(turns)
        for size, name, url in turns:
            started = time.perf_counter()
            response = sites[size].client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (url, response.status_code)
            if round_number >= WARM_UP:
                timings[(name, size)].append(elapsed)
    return timings


def report(timings: dict[tuple[str, int], list[float]], sizes: list[int]) -> None:
    smallest, largest = min(sizes), max(sizes)
    header = "".join(f" | {size:>9,} p50 | {size:>9,} p95" for size in sizes)
    print(f"{'variant':<26}{header} | p95 ratio")
    worst = 0.0
    for name in dict.fromkeys(name for name, _ in timings):
        cells, p95 = "", {}
        for size in sizes:
            values = timings[(name, size)]
            p95[size] = statistics.quantiles(values, n=20)[-1]
            cells += f" | {statistics.median(values):>10.1f} ms | {p95[size]:>10.1f} ms"
        ratio = p95[largest] / p95[smallest]
        worst = max(worst, ratio)
        print(f"{name:<26}{cells} | {ratio:.2f}")
    print(f"worst p95 ratio, {largest:,} to {smallest:,}: {worst:.2f} (target 1.5 or less)")


if __name__ == "__main__":
    main()
