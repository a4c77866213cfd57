"""A clinic's next 14 days by appointment, and "print all for this day"."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pikepdf
import sqlalchemy as sa
from flask import Response, abort, render_template, request
from sqlalchemy.orm import joinedload, undefer

from .. import audit, pdf
from ..content.versions import versions
from ..extensions import db, limiter
from ..invitations import STATUS_COLOURS, appointment_at, status, uk_today
from ..models import AnswerSet, Clinic, SummaryPdf
from ..rate_limits import configured, person_key
from ..summary import Summary, summarise
from . import bp, scope
from .views import procedure_titles

DAYS = 14


@dataclass(frozen=True)
class Appointment:
    answer_set: AnswerSet
    summary: Summary
    status: str
    starts: datetime | None
    invited: bool


@bp.app_template_global()
def needs(summary: Summary, sent: bool) -> list[str]:
    """What the clinic must act on before the day: more support (once sent), an interpreter, another format,
    other support."""
    found = []
    if sent and summary.needs_more_support:
        found.append(f"SURE {summary.sure_score} of 4: may want more support")
    if summary.needs_interpreter:
        found.append(f"Interpreter: {summary.interpreter}")
    if summary.formats:
        found.append(f"Format: {', '.join(summary.formats)}")
    if summary.other_support:
        found.append(f"Other support: {summary.other_support}")
    return found


def _day(value: str | None, days: list[date]) -> date | None:
    try:
        chosen = date.fromisoformat(value or "")
    except ValueError:
        return None
    return chosen if chosen in days else None


def booked(clinic: Clinic, first: date, last: date, procedure: str = "") -> list[Appointment]:
    """Every invited or self-started patient of the clinic with an appointment in these days, soonest first."""
    query = (sa.select(AnswerSet).options(joinedload(AnswerSet.invitation))
             .where(AnswerSet.clinic_id == clinic.id, AnswerSet.appointment_on.between(first, last)))
    if procedure:
        query = query.where(AnswerSet.procedure_slug == procedure)
    found = []
    for answer_set in db.session.scalars(query):
        invitation = answer_set.invitation
        found.append(Appointment(answer_set, summarise(answer_set, versions().of(answer_set)),
                                 status(answer_set, invitation), appointment_at(answer_set), invitation is not None))
    # Sorted here: a self-started patient gives a day but no time, and SQL engines order NULLs differently.
    return sorted(found, key=lambda a: (a.answer_set.appointment_on, a.answer_set.appointment_time is None,
                                        a.answer_set.appointment_time or datetime.min.time(), a.answer_set.id))


@bp.get("/appointments")
def appointments():
    seen = scope.clinics()
    clinic = scope.chosen(seen, request.args.get("clinic"))
    today = uk_today()
    days = [today + timedelta(days=n) for n in range(DAYS)]
    day = _day(request.args.get("day"), days)
    titles = procedure_titles()
    procedure = request.args.get("procedure", "") if request.args.get("procedure") in titles else ""
    rows = booked(clinic, day or days[0], day or days[-1], procedure) if clinic else []
    by_day: dict[date, list[Appointment]] = {}
    for row in rows:
        by_day.setdefault(row.answer_set.appointment_on, []).append(row)
    filters = {"clinic": clinic.id if clinic else None, "procedure": procedure}
    return render_template(
        "clinician/appointments.html", clinic=clinic, by_day=by_day, colours=STATUS_COLOURS, day=day,
        clinic_items=scope.switch_items(seen, clinic), filters=filters,
        day_items=[{"value": "", "text": f"All {DAYS} days", "selected": day is None}] + [
            {"value": d.isoformat(), "text": _day_name(d, today), "selected": d == day} for d in days],
        procedure_items=[{"value": "", "text": "All procedures", "selected": not procedure}] + [
            {"value": slug, "text": title, "selected": slug == procedure} for slug, title in titles.items()],
        sent_count={d: sum(r.answer_set.submitted for r in found) for d, found in by_day.items()},
    )


def _day_name(day: date, today: date) -> str:
    words = {0: "Today", 1: "Tomorrow"}.get((day - today).days)
    return f"{words}, {day.strftime('%A')} {day.day} {day.strftime('%B')}" if words else \
        f"{day.strftime('%A')} {day.day} {day.strftime('%B')}"


@bp.get("/appointments/print")
@limiter.limit(configured("DAY_PRINT_LIMIT"), key_func=person_key, scope="day-print")
def print_day():
    """Every sent summary for one day's appointments, as one PDF in appointment order; each one audited."""
    seen = scope.clinics()
    clinic = scope.chosen(seen, request.args.get("clinic"))
    today = uk_today()
    day = _day(request.args.get("day"), [today + timedelta(days=n) for n in range(DAYS)])
    if clinic is None or day is None:
        abort(404)
    sent = [a.answer_set for a in booked(clinic, day, day) if a.answer_set.submitted]
    if not sent:
        abort(404)
    stored = {p.answer_set_id: p for p in db.session.scalars(
        sa.select(SummaryPdf).where(SummaryPdf.answer_set_id.in_([a.id for a in sent]))
        .options(undefer(SummaryPdf.data)))}
    day_pdf, out = pikepdf.new(), io.BytesIO()
    summaries = []  # each stays open until the day's PDF is written: its pages are copied then
    for answer_set in sent:
        summary_pdf = stored.get(answer_set.id) or pdf.snapshot(answer_set, versions().of(answer_set))
        summaries.append(pikepdf.open(io.BytesIO(summary_pdf.data)))
        day_pdf.pages.extend(summaries[-1].pages)
        audit.record("printed", answer_set, detail=f"with the day's list for {day.isoformat()}")
    audit.record("printed-day", detail=f"{len(sent)} summaries for {day.isoformat()}", clinic_id=clinic.id)
    db.session.commit()
    day_pdf.save(out)
    for summary in summaries:
        summary.close()
    return Response(out.getvalue(), content_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="summaries-{clinic.slug}-{day.isoformat()}.pdf"',
        "Cache-Control": "no-store"})

