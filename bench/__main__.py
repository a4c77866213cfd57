"""`make bench`: start the app under gunicorn on loopback, load it, print what it costs.

Each figure is set beside its floor (what Flask or WeasyPrint cost alone on
this machine, measured in the same run) and the target from issue 8. The table
goes to the terminal and, with every detail, to bench/results.json.
BENCHMARKS.md says how to read it and holds a run's numbers.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.content.publishing import check_folder
from app.content.versions import publish, versions
from app.extensions import db
from app.models import SUBMITTED, AnswerSet
from journey_helpers import section_answers  # tests/ (see bench/__init__.py)
from postgresql import Cluster  # tests/: the throwaway PostgreSQL the suite uses

from . import ladder, load
from .journey import Browser, Timings, one_journey, run_journeys
from .patients import make_patients, signed_in
from .render import render_times
from .report import table
from .seed import seed_submissions
from .server import WORKERS, Server
from .staff import list_variants, signed_in_clinician

RESULTS = Path(__file__).with_name("results.json")
STARTED = time.monotonic()  # the run's, for the total and each progress line
JOURNEY_PATIENTS = 4
JOURNEY_SECONDS = 4  # each round; sent and unsent journeys take turns, round after round
MEMORY_RENDERS = 500
LIST_SIZES = (1_000, 1_000_000)
LIST_SECONDS = 2  # each round, for each way of reading the list at each size
# What every server in the run is told, besides its database: a fixed key, so
# the cookies made here are good there, and no PDF download limit to hit.
SETTINGS = {"FLASK_SECRET_KEY": "bench-only-not-secret", "FLASK_PDF_LIMIT": "1000000 per minute",
            "FLASK_START_LIMIT": "1000000 per minute", "FLASK_SEND_LIMIT": "1000000 per minute"}
GET_PAGES = ["/tasks", "/about-you", "/about-the-procedure", "/benefits-and-risks", "/questions",
             "/questions/most-important", "/what-matters", "/consent", "/where-you-are", "/check-answers"]


def main(chosen: list[str]) -> None:
    """Run the parts named (all of them by default): patients, memory, list."""
    unknown = set(chosen) - set(PARTS)
    if unknown:
        sys.exit(f"Unknown part {', '.join(sorted(unknown))}: choose from {', '.join(PARTS)}")
    run = Run([name for name in PARTS if name in chosen or not chosen], Path(tempfile.mkdtemp(prefix="bench-")))
    run.results.update({"machine": _machine(), "settings": {
        "gunicorn_workers": WORKERS, "wrk_connections": load.CONNECTIONS, "rounds": load.ROUNDS,
        "seconds_per_round": load.ROUND_SECONDS}})
    print(f"Benchmarking; work files in {run.work}", flush=True)
    took = run.results["part_seconds"] = {}  # so a run creeping towards 10 minutes shows which part to trim
    try:
        for name in run.parts:
            part_started = time.monotonic()
            PARTS[name](run)
            took[name] = round(time.monotonic() - part_started)
    finally:
        run.close()
    results = run.results
    results["seconds"] = round(time.monotonic() - STARTED)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(table(results))
    parts = ", ".join(f"{name} {seconds} s" for name, seconds in took.items())
    print(f"\nEvery figure is in bench/results.json. {results['seconds']} s in all ({parts}).")


@dataclass
class Run:
    """What the parts share: which are running, a folder for work files, the results so far, the list's databases."""

    parts: list[str]
    work: Path
    results: dict = field(default_factory=dict)
    _seeder: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1))
    _lists: Future | None = None

    def seed_lists_meanwhile(self) -> None:
        """Start seeding the list's databases in the background, if the list is to run.

        Seeding takes a minute and measures nothing, so it may share the
        machine with a part that times nothing (memory), never with one that does.
        """
        if "list" in self.parts and self._lists is None:
            self._lists = self._seeder.submit(_list_databases, self.work)

    def list_sites(self) -> dict:
        self.seed_lists_meanwhile()
        return self._lists.result()[1]

    def close(self) -> None:
        self._seeder.shutdown()
        if self._lists is not None and self._lists.exception() is None:
            self._lists.result()[0].stop()


def patients(run: Run) -> None:
    """Patient pages beside the floor, whole journeys and PDF downloads on one server."""
    results, work = run.results, run.work
    app, url = _sqlite_app(work / "patients")
    with Server("app:create_app()", _env(url), work / "patients.log") as server:
        answers = _answers_from_real_journeys(server.url, app)
        results.update(_pages(app, server, answers, work))
        _say("the floor, patient pages and the stack's parts, in turns", {k: results[k] for k in PAGE_FIGURES})
        results["journeys"], results["journeys_unsent"] = _journeys(app, server)
        _say("journeys, sent and up to check answers", [results["journeys"], results["journeys_unsent"]])
        results["pdf_download"] = asdict(_downloads(app, server, work))
        _say("stored PDF download", results["pdf_download"])


def pdf_render(run: Run) -> None:
    """PDF render times, ours beside WeasyPrint alone and Chromium, with no server running.

    A part of its own, so the render can be measured again in a minute after a change to it.
    """
    app, url = _sqlite_app(run.work / "pdf")
    with Server("app:create_app()", _env(url), run.work / "pdf.log") as server:
        _answers_from_real_journeys(server.url, app)
    run.results["pdf_render"] = render_times(app)
    _say("PDF render", run.results["pdf_render"])


def memory(run: Run) -> None:
    """Worker memory over 500 PDFs; it times nothing, so the list's databases are seeded meanwhile."""
    run.seed_lists_meanwhile()
    app, url = _sqlite_app(run.work / "memory")
    with Server("app:create_app()", _env(url), run.work / "memory.log") as server:
        run.results["memory"] = _memory(app, server, _answers_from_real_journeys(server.url, app))
    _say("memory", run.results["memory"])


def clinician_list(run: Run) -> None:
    run.results["clinician_list"] = _clinician_list(run.list_sites(), run.work)
    _say("clinician list", run.results["clinician_list"])


PARTS = {"patients": patients, "pdf": pdf_render, "memory": memory, "list": clinician_list}
PAGE_FIGURES = ("floor", "patient_get", "patient_save", "ladder")


def _env(database_url: str) -> dict[str, str]:
    return {**SETTINGS, "FLASK_SQLALCHEMY_DATABASE_URI": database_url}


def _sqlite_app(folder: Path):
    """A new SQLite database made by the migrations, as `make run` makes it, and an app on it."""
    folder.mkdir()
    url = f"sqlite:///{folder / 'app.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SETTINGS["FLASK_SECRET_KEY"]},
                     instance_path=str(folder))
    _migrated_and_published(app)
    return app, url


def _migrated_and_published(app) -> None:
    """The schema from the migrations and the shipped procedures published, as `make run` leaves them."""
    with app.app_context():
        upgrade()
        report = check_folder()
        assert not report.problems, report.problems
        publish(report.passed, app.config["QUESTIONNAIRE"], actor="benchmark")
        db.session.commit()


def _live(app) -> list:
    with app.app_context():
        return versions().live()


def _answers_from_real_journeys(base_url: str, app) -> dict[str, AnswerSet]:
    """One whole journey per procedure through the server; their saved answer sets are the model for the rest."""
    for version in _live(app):
        one_journey(Browser(base_url, Timings()), version)
    with app.app_context():
        sent = db.session.scalars(sa.select(AnswerSet).where(AnswerSet.status == SUBMITTED)).all()
        db.session.expunge_all()
        return {a.procedure_slug: a for a in sent}


def _pages(app, server, answers, work) -> dict:
    """The floor, patient pages, saves and each rung of bench/ladder.py, all in turns,
    each read by the same patients."""
    patients = make_patients(app, 200, answers)
    templates = work / "ladder"
    templates.mkdir()
    ladder.write_template(templates, _page_as(patients[0], server.url, "/about-you"))
    env = {**_env(app.config["SQLALCHEMY_DATABASE_URI"]), "LADDER_TEMPLATES": str(templates)}
    with Server("bench.hello:app", {}, work / "hello.log") as hello, \
            Server("bench.ladder:create_app()", env, work / "ladder.log") as rungs:
        subjects = {
            "floor": load.Subject(hello.url, [load.Request("GET", "/")], 200),
            "patient_get": load.Subject(
                server.url, [load.Request("GET", page, p.cookie) for p in patients for page in GET_PAGES], 200),
            "patient_save": _patient_saves(app, server, answers),
            "/about-you": load.Subject(server.url, [load.Request("GET", "/about-you", p.cookie) for p in patients],
                                       200),
            **{rung: load.Subject(rungs.url, [load.Request("GET", rung, p.cookie) for p in patients], 200)
               for rung in ladder.RUNGS},
        }
        measured = {name: asdict(load.fastest(rounds)) for name, rounds in load.in_turns(subjects, work).items()}
    return {"floor": measured.pop("floor"), "patient_get": measured.pop("patient_get"),
            "patient_save": measured.pop("patient_save"), "ladder": measured}


def _page_as(patient, base_url: str, path: str) -> str:
    browser = Browser(base_url, Timings())
    browser.cookie = patient.cookie
    return browser.get(path)


def _patient_saves(app, server, answers) -> load.Subject:
    """Save and continue on About you, each save by a different patient (a second would be a stale tab)."""
    form = dict(section_answers(_live(app)[0]))["/about-you"]
    # A share each for the warm-up and every round: more than the fastest round could send.
    patients = make_patients(app, 12_000, answers)
    return load.Subject(server.url, [
        load.Request("POST", "/about-you", p.cookie, {**form, "csrf_token": p.csrf_token, "version": "1"})
        for p in patients], 302, once=True)


def _journeys(app, server) -> tuple[dict, dict]:
    """Patients at once, each making journeys one after another, sent ones (a PDF made each) and unsent in turns.

    Each kind keeps its fastest round, as load.fastest does.
    """
    rounds: dict[bool, list[dict]] = {True: [], False: []}
    for _ in range(load.ROUNDS):
        for send in rounds:
            rounds[send].append(_journey_figures(*run_journeys(
                server.url, _live(app), JOURNEY_PATIENTS, JOURNEY_SECONDS, send)))
    sent, unsent = (max(rounds[send], key=lambda figures: figures["per_second"]) for send in (True, False))
    return sent, unsent


def _journey_figures(timings: Timings, seconds: float) -> dict:
    every = timings.all()
    return {
        "patients": JOURNEY_PATIENTS, "journeys": timings.journeys, "seconds": round(seconds, 2),
        "per_second": timings.journeys / seconds,
        "requests": len(every), "p50_ms": _percentile(every, 50), "p95_ms": _percentile(every, 95),
        "steps": {step: {"count": len(times), "p50_ms": _percentile(times, 50), "p95_ms": _percentile(times, 95)}
                  for step, times in timings.steps.items()},
    }


def _downloads(app, server, work) -> load.Load:
    """The stored summary PDF, downloaded by patients who have sent their answers."""
    with app.app_context():
        sent = db.session.scalars(sa.select(AnswerSet.id).where(AnswerSet.status == SUBMITTED)).all()
    patients = signed_in(app, sent)
    downloads = load.Subject(server.url, [load.Request("GET", "/summary.pdf", p.cookie) for p in patients], 200)
    return load.fastest(load.in_turns({"download": downloads}, work)["download"])


def _memory(app, server, answers) -> dict:
    """Each worker's memory after a warm-up, then after MEMORY_RENDERS more summaries are made.

    The warm-up (25 renders a worker) fills what a worker fills once (fonts,
    caches, the database's pages); what grows after it is what would grow for
    as long as the worker runs.
    """
    warm_up = 25 * WORKERS
    patients = make_patients(app, warm_up + MEMORY_RENDERS, answers)
    _send_all(server.url, patients[:warm_up])
    before = server.worker_memory_mb()
    _send_all(server.url, patients[warm_up:])
    after = server.worker_memory_mb()
    with app.app_context():
        made = db.session.scalar(sa.select(sa.func.count()).select_from(AnswerSet).where(AnswerSet.status == SUBMITTED))
    return {"renders": MEMORY_RENDERS, "sent": made, "before_mb": before, "after_mb": after,
            "growth_mb": sum(after) - sum(before)}


def _send_all(base_url: str, patients) -> None:
    """Send every patient's answers (one summary rendered each), two at a time, one per worker."""
    queue = list(patients)
    lock = threading.Lock()

    def sender():
        while True:
            with lock:
                if not queue:
                    return
                patient = queue.pop()
            browser = Browser(base_url, Timings())
            browser.cookie = patient.cookie
            browser.hidden = {"csrf_token": patient.csrf_token, "version": "1"}
            browser.post("/check-answers", {})

    threads = [threading.Thread(target=sender) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _list_databases(work: Path) -> tuple[Cluster, dict]:
    """A throwaway PostgreSQL and, in it, a database for each list size, seeded."""
    cluster = Cluster()
    try:
        return cluster, {size: _list_site(cluster, size, work) for size in LIST_SIZES}
    except BaseException:
        cluster.stop()
        raise


def _clinician_list(sites: dict, work: Path) -> dict:
    """Each way of reading the list at 10³ and at 10⁶ answer sets, each size its own database and server.

    Way by way, the two sizes take turns, round after round (load.in_turns),
    so a slower spell of a shared machine falls on both alike.
    """
    with Server("app:create_app()", _env(sites[LIST_SIZES[0]]["url"]), work / "list-small.log") as small, \
            Server("app:create_app()", _env(sites[LIST_SIZES[1]]["url"]), work / "list-large.log") as large:
        servers = dict(zip(LIST_SIZES, (small, large)))
        cookies = {size: signed_in_clinician(sites[size]["app"], servers[size].url) for size in LIST_SIZES}
        measured = {size: {} for size in LIST_SIZES}
        shown = {size: _rows_shown(servers[size].url, cookies[size], sites[size]["variants"]) for size in LIST_SIZES}
        for way, name in enumerate(sites[LIST_SIZES[0]]["variants"]):
            subjects = {size: load.Subject(servers[size].url, [
                load.Request("GET", sites[size]["variants"][name], cookies[size])], 200) for size in LIST_SIZES}
            # Once the servers are warm, a warm-up per way adds nothing the
            # lowest-p95 round does not: a cold first round is never the lowest.
            for size, rounds in load.in_turns(subjects, work, seconds=LIST_SECONDS, warm_up=way == 0).items():
                # The target is on p95: keep the round with the lowest, as
                # one slow spell moves a p95 of a few hundred requests a lot.
                measured[size][name] = {**asdict(min(rounds, key=lambda round: round.p95_ms)),
                                        "rows": shown[size][name]}
    return {str(size): {"seeded_seconds": sites[size]["seeded_seconds"], "variants": measured[size],
                        "paths": sites[size]["variants"]} for size in LIST_SIZES}


def _rows_shown(base_url: str, cookie: str, variants: dict[str, str]) -> dict[str, int]:
    """How many answer sets each way of reading the list prints: a page of 8 costs less than one of 25,
    whatever the database's size, so a ratio means most where both sizes print as many."""
    browser = Browser(base_url, Timings())
    browser.cookie = cookie
    # Each row links to its submission; nothing else on the page does.
    return {name: browser.get(path).count('href="/clinician/submissions/') for name, path in variants.items()}


def _list_site(cluster: Cluster, size: int, work: Path) -> dict:
    """A PostgreSQL database made by the migrations and seeded with `size` answer sets, and the list's addresses."""
    url = cluster.fresh(empty=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SETTINGS["FLASK_SECRET_KEY"]},
                     instance_path=str(work / f"list-{size}"))
    _migrated_and_published(app)
    seeding = time.monotonic()
    seed_submissions(url, size, _live(app))
    seeded_seconds = round(time.monotonic() - seeding, 1)
    variants = list_variants(app)
    with app.app_context():
        db.engine.dispose()
    return {"url": url, "app": app, "variants": variants, "seeded_seconds": seeded_seconds}


def _percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]


def _machine() -> dict:
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "system": platform.platform()}


def _say(what: str, figures) -> None:
    print(f"  {time.monotonic() - STARTED:4.0f} s  {what}: {json.dumps(figures)[:300]}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
