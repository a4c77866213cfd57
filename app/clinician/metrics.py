"""How a clinic is doing over the last 30 days, as numbers and a small chart drawn on the server."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import render_template, request
from sqlalchemy.orm import joinedload

from ..clock import utcnow
from ..extensions import db
from ..invitations import before_appointment
from ..models import AnswerSet
from ..questionnaire.definition import needs_more_support, sure_score
from . import bp, scope

PERIOD_DAYS = 30


@dataclass(frozen=True)
class Measure:
    label: str
    count: int
    of: str = ""  # what it is a share of, for the words beside the bar


@dataclass(frozen=True)
class Metrics:
    measures: tuple[Measure, ...]
    sent: int
    needing_support: int

    @property
    def support_share(self) -> int | None:
        """Of those sent, the percentage with SURE 3 or less (none when nothing was sent)."""
        return round(100 * self.needing_support / self.sent) if self.sent else None

    @property
    def largest(self) -> int:
        return max([m.count for m in self.measures] + [1])


def clinic_metrics(clinic_id: int, since) -> Metrics:
    """Everyone the clinic invited, or who started for it alone, in the period: how far each got."""
    rows = db.session.scalars(
        sa.select(AnswerSet).options(joinedload(AnswerSet.invitation))
        .where(AnswerSet.clinic_id == clinic_id, AnswerSet.created_at >= since)).all()
    invited = [a for a in rows if a.invitation is not None]
    started = [a for a in rows if a.pages_saved]
    sent = [a for a in rows if a.submitted]
    support = [a for a in sent if needs_more_support(sure_score(a.answers))]
    measures = (
        Measure("Invited", len(invited)),
        Measure("Opened the link", sum(a.invitation.opened_at is not None for a in invited), "invited"),
        Measure("Started", len(started)),
        Measure("Sent", len(sent)),
        Measure("Sent before the appointment", sum(before_appointment(a.submitted_at, a) for a in sent)),
        Measure("Reviewed before the appointment", sum(before_appointment(a.reviewed_at, a) for a in sent)),
    )
    return Metrics(measures, len(sent), len(support))


@bp.get("/metrics")
def metrics():
    seen = scope.clinics()
    clinic = scope.chosen(seen, request.args.get("clinic"))
    since = utcnow() - timedelta(days=PERIOD_DAYS)
    found = clinic_metrics(clinic.id, since) if clinic else None
    return render_template("clinician/metrics.html", clinic=clinic, metrics=found, days=PERIOD_DAYS,
                           clinic_items=scope.switch_items(seen, clinic))
