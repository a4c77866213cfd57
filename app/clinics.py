"""Clinics and who belongs to them: what the command line and the admin pages both do."""

from __future__ import annotations

import sqlalchemy as sa

from . import audit
from .extensions import db
from .models import CLINIC_ROLES, ENGLISH_LETTERS, LETTER_LANGUAGES, LETTER_WORDS, LOCAL, Clinic, Clinician, Membership


class ClinicError(ValueError):
    """A change that cannot be made; the message says why, in words for the person asking."""


def create(slug: str, name: str, inbox: str = "", letters: str = ENGLISH_LETTERS) -> Clinic:
    if db.session.scalar(sa.select(Clinic.id).where(Clinic.slug == slug)):
        raise ClinicError(f"There is already a clinic called {slug}")
    _check_letters(letters)
    clinic = Clinic(slug=slug, name=name, inbox=inbox, letters=letters)
    db.session.add(clinic)
    db.session.flush()
    audit.record("clinic-created", detail=f"{name} ({slug})", clinic_id=clinic.id)
    return clinic


def set_letters(clinic: Clinic, letters: str) -> None:
    """Change the languages the clinic writes to patients in; the audit says from what to what."""
    _check_letters(letters)
    if letters != clinic.letters:
        audit.record("clinic-changed", detail=f"letters in {LETTER_WORDS[clinic.letters]}, now "
                                              f"{LETTER_WORDS[letters]} ({clinic.slug})", clinic_id=clinic.id)
        clinic.letters = letters


def _check_letters(letters: str) -> None:
    if letters not in LETTER_LANGUAGES:
        raise ClinicError(f"Letters must be in one of {', '.join(LETTER_LANGUAGES)}")


def by_slug(slug: str) -> Clinic:
    clinic = db.session.scalar(sa.select(Clinic).where(Clinic.slug == slug))
    if clinic is None:
        raise ClinicError(f"There is no clinic called {slug}")
    return clinic


def add_member(clinic: Clinic, email: str, role: str, source: str = LOCAL) -> Membership:
    """Give an account a role in a clinic, or change the role it has; `source` says who decided (models.LOCAL)."""
    if role not in CLINIC_ROLES:
        raise ClinicError(f"The role must be one of {', '.join(CLINIC_ROLES)}")
    clinician = db.session.scalar(sa.select(Clinician).where(Clinician.email == email.strip().lower()))
    if clinician is None:
        raise ClinicError(f"There is no account for {email.strip()}. A service admin makes it first, on the "
                          "Accounts page or with flask users create")
    membership = db.session.scalar(sa.select(Membership).where(
        Membership.clinic_id == clinic.id, Membership.clinician_id == clinician.id))
    if membership is None:
        membership = Membership(clinic=clinic, clinician=clinician, role=role)
        db.session.add(membership)
    membership.role, membership.source = role, source
    how = " from single sign-on" if source != LOCAL else ""
    audit.record("member-added", detail=f"{clinician.email} as {role} of {clinic.slug}{how}", clinic_id=clinic.id)
    return membership


def remove_member(clinic: Clinic, email: str) -> None:
    membership = db.session.scalar(sa.select(Membership).join(Membership.clinician).where(
        Membership.clinic_id == clinic.id, Clinician.email == email.strip().lower()))
    if membership is None:
        raise ClinicError(f"{email.strip()} is not a member of {clinic.name}")
    audit.record("member-removed", detail=f"{membership.clinician.email} from {clinic.slug}", clinic_id=clinic.id)
    db.session.delete(membership)


def members(clinic: Clinic) -> list[Membership]:
    return list(db.session.scalars(sa.select(Membership).join(Membership.clinician)
                                   .where(Membership.clinic_id == clinic.id).order_by(Clinician.email)))
