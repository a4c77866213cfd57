"""Which clinics' patients the signed-in member of staff may see: every query and check goes through here.

A service admin sees every clinic and the unassigned queue. Anyone else sees
the clinics they belong to and nothing more: another clinic's submission is
"not found", not "forbidden", so its reference is not confirmed to exist.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from ..extensions import db
from ..models import AnswerSet, Clinic

UNASSIGNED = "unassigned"  # the filter value for answer sets with no clinic (service admins only)


def visible(query: sa.Select, column=AnswerSet.clinic_id) -> sa.Select:
    """The query narrowed to rows of the clinics this person may see."""
    if current_user.is_admin:
        return query
    ids = sorted(current_user.clinic_ids)
    # One clinic (the usual case) as =, so the clinic-first indexes give rows in list order.
    return query.where(column == ids[0]) if len(ids) == 1 else query.where(column.in_(ids))


def clinics() -> list[Clinic]:
    """The clinics this person may see, by name."""
    query = sa.select(Clinic).order_by(Clinic.name)
    return list(db.session.scalars(visible(query, Clinic.id)))


def managed_clinics() -> list[Clinic]:
    return [c for c in clinics() if current_user.may_manage(c.id)]


def chosen(clinics_seen: list[Clinic], value: str | None) -> Clinic | None:
    """The clinic a link or form names, if this person may see it; else their first."""
    by_id = {str(c.id): c for c in clinics_seen}
    return by_id.get(value or "") or (clinics_seen[0] if clinics_seen else None)


def clinic_or_404(slug: str, manage: bool = False) -> Clinic:
    clinic = db.session.scalar(sa.select(Clinic).where(Clinic.slug == slug)) if len(slug) <= 60 else None
    if clinic is None or not current_user.may_see(clinic.id):
        abort(404)
    if manage and not current_user.may_manage(clinic.id):
        abort(403)
    return clinic


def switch_items(clinics_seen: list[Clinic], clinic: Clinic | None) -> list[dict]:
    """The clinic chooser's options, the one shown selected."""
    return [{"value": c.id, "text": c.name, "selected": clinic is not None and c.id == clinic.id}
            for c in clinics_seen]
