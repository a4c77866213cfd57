"""Clinician pages: the submissions list, one submission, review, notes, exports, audit."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm import aliased, joinedload, selectinload
from wtforms.fields.choices import SelectChoice

from .. import audit, pdf, saving
from ..content.publishing import today
from ..content.versions import is_overdue, versions
from ..extensions import csrf, db
from ..models import (
    SUBMITTED,
    AnswerSet,
    AuditEvent,
    ClinicianNote,
    ContentVersion,
    PublishedProcedure,
    is_reference,
    normalise_reference,
    utcnow,
)
from ..questionnaire.changes import changes
from ..rate_limits import pdf_limit
from ..summary import summarise
from ..templating import UK
from ..timeouts import extended, warn_before_timeout
from . import bp, exports, scope
from .auth import admin_required, manager_required
from .forms import NEEDS_FORMAT, NEEDS_INTERPRETER, NOT_REVIEWED, REVIEWED, AssignForm, FilterForm, NoteForm, ReviewForm

PAGE_SIZE = 25
# The list counts matching submissions up to this many and then says "more than".
# An exact count reads every matching row; past a thousand the figure changes
# nothing a clinic does, and the filters narrow the list.
COUNT_UP_TO = 1000


VERSION = re.compile(r"[0-9a-f]{12}")  # a content version's id (content/versions.py)
# Signing in and out, each step of it, and a reset link's page: everything else needs a signed-in clinician.
OPEN_ENDPOINTS = {"clinician.login", "clinician.logout", "clinician.second_factor", "clinician.recovery_code",
                  "clinician.set_up_second_factor", "clinician.second_factor_qr_code", "clinician.reset_password",
                  "clinician.sso_start", "clinician.sso_callback", "clinician.signed_out"}


@bp.before_request
def require_sign_in():
    """Every clinician page needs a signed-in clinician; only signing in and out are open."""
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    warn_before_timeout(_seconds_left(), "clinician.extend_session")
    return None


def _seconds_left() -> float:
    return (current_user.session_ends_at - utcnow()).total_seconds()


@bp.post("/session/extend")
def extend_session():
    """The timeout warning's button: this request itself renewed the sign-in (see auth.load_clinician)."""
    return extended(_seconds_left())


def _uk_midnight(day: date) -> datetime:
    """The start of a UK calendar day, as the naive UTC the database holds."""
    return datetime.combine(day, time.min, tzinfo=UK).astimezone(UTC).replace(tzinfo=None)


def _filter_form(procedures: list[tuple]) -> FilterForm:
    form = FilterForm(request.args)
    form.procedure.choices = [SelectChoice("", "All procedures")] + [SelectChoice(slug, title)
                                                                     for slug, title, *_ in procedures]
    seen = scope.clinics()
    form.clinic.choices = [SelectChoice("", "All your clinics" if not current_user.is_admin else "All clinics")] + [
        SelectChoice(str(c.id), c.name) for c in seen]
    if current_user.is_admin:
        form.clinic.choices.append(SelectChoice(scope.UNASSIGNED, "Unassigned"))
    if form.clinic.data not in {c.value for c in form.clinic.choices}:
        form.clinic.data = ""  # a clinic this person may not see filters nothing in: the scope still applies
    form.validate()
    return form


def _procedures() -> list[tuple[str, str, int | None, date | None]]:
    """(slug, latest title, live version id or None, its review-by date) of every procedure ever published,
    in one query.

    A withdrawn one is listed too: its answers are still there to find.
    """
    latest = sa.select(sa.func.max(ContentVersion.id)).group_by(ContentVersion.slug)
    live = sa.and_(PublishedProcedure.slug == ContentVersion.slug, PublishedProcedure.withdrawn_at.is_(None))
    live_version = aliased(ContentVersion)
    rows = db.session.execute(
        sa.select(ContentVersion.slug, ContentVersion.title, PublishedProcedure.version_id, live_version.review_by)
        .outerjoin(PublishedProcedure, live).outerjoin(live_version, live_version.id == PublishedProcedure.version_id)
        .where(ContentVersion.id.in_(latest)).order_by(ContentVersion.title))
    return [tuple(row) for row in rows]


def procedure_titles() -> dict[str, str]:
    """Every procedure ever published, by slug: its latest title."""
    return {slug: title for slug, title, *_ in _procedures()}


def _live_ids(procedures: list[tuple]) -> dict[str, int]:
    """The version each procedure's patients start on now, by slug."""
    return {slug: version_id for slug, _, version_id, _ in procedures if version_id}


def _matching(form: FilterForm, status: str | None = None) -> sa.Select:
    """Sent answer sets that match the filters; `status`, if given, in place of the form's."""
    status = status or form.status.data
    query = scope.visible(sa.select(AnswerSet).where(AnswerSet.status == SUBMITTED))
    if form.clinic.data == scope.UNASSIGNED:
        query = query.where(AnswerSet.clinic_id.is_(None))
    elif form.clinic.data:
        query = query.where(AnswerSet.clinic_id == int(form.clinic.data))
    if form.reference.data:
        query = query.where(AnswerSet.reference == normalise_reference(form.reference.data))
    if form.procedure.data:
        query = query.where(AnswerSet.procedure_slug == form.procedure.data)
    if status == REVIEWED:
        query = query.where(AnswerSet.reviewed_at.is_not(None))
    elif status == NOT_REVIEWED:
        query = query.where(AnswerSet.reviewed_at.is_(None))
    # The bare columns, as the partial indexes are defined (models.AnswerSet): each reads only the few it names.
    if NEEDS_INTERPRETER in (form.needs.data or []):
        query = query.where(AnswerSet.needs_interpreter)
    if NEEDS_FORMAT in (form.needs.data or []):
        query = query.where(AnswerSet.needs_format)
    if form.sent_from.data and not form.sent_from.errors:
        query = query.where(AnswerSet.submitted_at >= _uk_midnight(form.sent_from.data))
    if form.sent_to.data and not form.sent_to.errors:
        query = query.where(AnswerSet.submitted_at < _uk_midnight(form.sent_to.data + timedelta(days=1)))
    return query


def _cursor(answer_set: AnswerSet) -> str:
    return f"{answer_set.submitted_at.isoformat()}~{answer_set.id}"


def _parse_cursor(value: str | None) -> tuple[datetime, int] | None:
    try:
        stamp, ident = value.split("~")
        cursor = datetime.fromisoformat(stamp), int(ident)
    except (AttributeError, ValueError):
        return None
    return cursor if _row_id(cursor[1]) else None


def _row_id(value: int | None) -> bool:
    """Whether a number from a link could be a row id: an altered one must not reach the database."""
    return value is not None and 0 < value < 2**31


def _page(query: sa.Select) -> tuple[list[AnswerSet], str | None, str | None]:
    """One page, newest first, keyed on (submitted_at, id): stable while new ones arrive."""
    key = sa.tuple_(AnswerSet.submitted_at, AnswerSet.id)
    after, before = _parse_cursor(request.args.get("after")), _parse_cursor(request.args.get("before"))
    if before:
        rows = db.session.scalars(
            query.where(key > before).order_by(AnswerSet.submitted_at, AnswerSet.id).limit(PAGE_SIZE + 1)
        ).all()
        more_newer, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE][::-1]
        more_older = True
    else:
        if after:
            query = query.where(key < after)
        rows = db.session.scalars(
            query.order_by(AnswerSet.submitted_at.desc(), AnswerSet.id.desc()).limit(PAGE_SIZE + 1)
        ).all()
        more_older, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
        more_newer = after is not None
    newer = _cursor(rows[0]) if rows and more_newer else None
    older = _cursor(rows[-1]) if rows and more_older else None
    return rows, newer, older


@bp.get("/")
def submissions():
    procedures = _procedures()
    form = _filter_form(procedures)
    query = _matching(form)
    rows, newer, older = _page(query)
    # Of these, how many wait for review (none, if only reviewed ones are shown).
    waiting = _count_up_to(_matching(form, NOT_REVIEWED)) if form.status.data != REVIEWED else sa.literal(0)
    total, waiting = db.session.execute(sa.select(_count_up_to(query), waiting)).one()  # one round trip
    args = request.args.to_dict(flat=False)
    for name in ("after", "before"):
        args.pop(name, None)
    live = _live_ids(procedures)
    listed = []
    for answer_set in rows:
        version = versions().of(answer_set)
        updated = answer_set.procedure_slug in live and live[answer_set.procedure_slug] != version.id
        listed.append((answer_set, summarise(answer_set, version), updated))
    # Flagged to every member of staff: patients still see these, so someone should review them.
    overdue = [(title, review_by) for _, title, version_id, review_by in procedures
               if version_id and is_overdue(review_by, today())]
    page = render_template(
        "clinician/submissions.html", form=form, rows=listed, overdue=overdue,
        total=total, waiting=waiting, count_up_to=COUNT_UP_TO, newer=newer, older=older, args=args,
    )
    audit.listed("submissions", _listed_clinic(form), searched=bool((form.reference.data or "").strip()))
    db.session.commit()  # after rendering, as for one submission
    return page


def _listed_clinic(form: FilterForm) -> int | None:
    """The clinic a list was of, for its audit event: the one filtered to, or this person's only one."""
    if form.clinic.data and form.clinic.data.isdigit():
        return int(form.clinic.data)
    ids = current_user.clinic_ids
    return next(iter(ids)) if len(ids) == 1 and not current_user.is_admin else None


def _count_up_to(query: sa.Select) -> sa.ScalarSelect:
    """How many rows match, reading no more than COUNT_UP_TO + 1 of them: more than that means "more than"."""
    first = query.with_only_columns(AnswerSet.id).limit(COUNT_UP_TO + 1).subquery()
    return sa.select(sa.func.count()).select_from(first).scalar_subquery()


# The detail page shows who reviewed it and every note with its author: load
# them with the answer set, in one more query however many notes there are.
WITH_NOTES = (joinedload(AnswerSet.reviewed_by), selectinload(AnswerSet.notes).joinedload(ClinicianNote.author))


def _submitted_or_404(reference: str, *options) -> AnswerSet:
    if not is_reference(reference):
        abort(404)  # before the query: PostgreSQL refuses text with a NUL in it, as a 500
    answer_set = db.session.scalar(scope.visible(
        sa.select(AnswerSet).where(AnswerSet.reference == reference, AnswerSet.status == SUBMITTED).options(*options)
    ))
    if answer_set is None:
        abort(404)
    return answer_set


def _detail(answer_set: AnswerSet, note_form: NoteForm | None = None, status: int = 200):
    version = versions().of(answer_set)
    live = versions().live_for(answer_set.procedure_slug)
    # Sent on a version that has since been replaced: what changed, so the team can raise it at the appointment.
    since_sent = changes(version.snapshot, live.snapshot) if live and live.id != version.id else None
    note_form = note_form or NoteForm(formdata=None)
    return render_template(
        "clinician/submission.html", answer_set=answer_set, summary=summarise(answer_set, version),
        since_sent=since_sent, live=live, legacy=answer_set.content_version_id is None,
        review_form=ReviewForm(), note_form=note_form, form=note_form,  # form: the error summary and title
        assign_form=_assign_form(answer_set) if current_user.is_admin else None,
    ), status


def _assign_form(answer_set: AnswerSet) -> AssignForm:
    form = AssignForm(formdata=None, clinic=str(answer_set.clinic_id or ""))
    form.clinic.choices = [SelectChoice("", "Unassigned")] + [SelectChoice(str(c.id), c.name)
                                                              for c in scope.clinics()]
    return form


@bp.post("/submissions/<reference>/clinic")
@admin_required
def assign_clinic(reference: str):
    """A service admin sorts the unassigned queue: the submission moves to a clinic, whose staff then see it."""
    answer_set = _submitted_or_404(reference)
    form = AssignForm()
    clinic = next((c for c in scope.clinics() if str(c.id) == form.clinic.data), None)
    if form.validate_on_submit() and clinic is not None and clinic.id != answer_set.clinic_id:
        answer_set.clinic_id = clinic.id
        audit.record("assigned", answer_set, detail=f"to {clinic.name}", clinic_id=clinic.id)
        db.session.commit()
        flash(f"{reference} is now with {clinic.name}.", "success")
    return redirect(url_for("clinician.submission", reference=reference))


@bp.get("/submissions/<reference>")
def submission(reference: str):
    answer_set = _submitted_or_404(reference, *WITH_NOTES)
    audit.record("viewed", answer_set)
    page = _detail(answer_set)
    db.session.commit()  # after rendering: a commit expires what was loaded, and the page would load it all again
    return page


@bp.get("/submissions/<reference>/summary.pdf")
@pdf_limit()
def submission_pdf(reference: str):
    answer_set = _submitted_or_404(reference)
    audit.record("downloaded", answer_set)
    db.session.commit()
    return pdf.download(answer_set)


@bp.get("/submissions/<reference>/summary-large-print.pdf")
@pdf_limit()
def submission_large_print(reference: str):
    """The summary in large print, for a patient who needs it, made from what they sent."""
    answer_set = _submitted_or_404(reference)
    audit.record("downloaded", answer_set, detail="large print")
    db.session.commit()
    return pdf.large_print(answer_set)


@bp.post("/submissions/<reference>/review")
def review(reference: str):
    answer_set = _submitted_or_404(reference)
    if ReviewForm().validate_on_submit():
        try:
            with saving.all_or_nothing():
                answer_set.mark_reviewed(current_user)
                audit.record("reviewed", answer_set)
        except saving.SaveFailed:
            flash("Sorry, we could not mark this as reviewed. Try again in a minute.", saving.FAILED)
            return _detail(answer_set, status=saving.UNAVAILABLE)
        flash(f"{reference} is marked as reviewed.", "success")
    return redirect(url_for("clinician.submission", reference=reference))


# The note's own view checks CSRF, after sign-in has been checked: a form
# left open past its token's time limit then keeps the note typed into it.
@bp.post("/submissions/<reference>/notes")
@csrf.exempt
def add_note(reference: str):
    answer_set = _submitted_or_404(reference, *WITH_NOTES)
    form = NoteForm()
    try:
        csrf.protect()  # the token, and on HTTPS the Referer, as for every other staff form
    except CSRFError:
        flash("This page timed out, so we have not saved your note yet. We have kept what you typed. "
              "Press Add note to save it.")
        return _detail(answer_set, form)
    if not form.validate_on_submit():
        return _detail(answer_set, form, status=400)
    try:
        with saving.all_or_nothing():
            db.session.add(ClinicianNote(answer_set=answer_set, author=current_user, text=form.text.data.strip()))
            audit.record("noted", answer_set)
    except saving.SaveFailed:
        flash("Sorry, we could not save your note. We have kept what you typed. Try again in a minute.", saving.FAILED)
        return _detail(answer_set, form, status=saving.UNAVAILABLE)
    flash("Your note has been added.", "success")
    return redirect(url_for("clinician.submission", reference=reference, _anchor="notes"))


@bp.get("/export.csv")
def export_csv():
    procedures = _procedures()
    form = _filter_form(procedures)
    answer_sets = db.session.scalars(_matching(form).order_by(AnswerSet.submitted_at.desc(), AnswerSet.id.desc())).all()
    audit.record("exported", detail=f"CSV of {len(answer_sets)} submissions: {request.query_string.decode()[:300]}")
    db.session.commit()
    live = {slug: versions().get(version_id) for slug, version_id in _live_ids(procedures).items()}
    rows = [(a, versions().of(a), live.get(a.procedure_slug)) for a in answer_sets]
    # A byte-order mark, so Excel reads accents and emoji as UTF-8.
    body = "\ufeff" + exports.submissions_csv(rows, live.values())
    return _attachment(body, "text/csv; charset=utf-8", f"submissions-{date.today().isoformat()}.csv")


@bp.get("/fhir/Questionnaire/<slug>")
@bp.get("/fhir/Questionnaire/<slug>/<version>")
def fhir_questionnaire(slug: str, version: str | None = None):
    """A procedure's Questionnaire: the version patients start on now, or any version ever published."""
    live = versions().live_for(slug)
    if version is None:
        chosen = live or abort(404)
    elif not VERSION.fullmatch(version):
        abort(404)  # before the query, as for references
    else:
        row_id = db.session.scalar(sa.select(ContentVersion.id).where(
            ContentVersion.slug == slug, ContentVersion.version == version))
        chosen = versions().get(row_id) if row_id else abort(404)
    # ?language=cy: the same version's Questionnaire in Welsh (one resource per language, README "Welsh").
    language = request.args.get("language", "en")
    if language not in ("en", *chosen.translated):
        abort(404)
    resource = exports.questionnaire(chosen, current_app.config["FHIR_BASE_URL"], live=live is not None
                                     and live.id == chosen.id, language=language)
    suffix = "" if language == "en" else f"-{language}"
    return _attachment(json.dumps(resource, indent=2), "application/fhir+json",
                       f"questionnaire-{slug}-{chosen.version}{suffix}.json")


@bp.get("/submissions/<reference>/fhir")
def submission_fhir(reference: str):
    answer_set = _submitted_or_404(reference)
    resource = exports.questionnaire_response(answer_set, versions().of(answer_set),
                                              current_app.config["FHIR_BASE_URL"], answer_set.clinic)
    audit.record("exported", answer_set, detail="FHIR QuestionnaireResponse")
    db.session.commit()
    return _attachment(json.dumps(resource, indent=2), "application/fhir+json", f"response-{reference}.json")


def _attachment(body: str, content_type: str, filename: str) -> Response:
    return Response(body, content_type=content_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store",
    })


@bp.get("/audit")
@manager_required
def audit_log():
    """Every event for a service admin; a clinic admin's clinics' events for them."""
    query = sa.select(AuditEvent).order_by(AuditEvent.id.desc())
    if not current_user.is_admin:
        query = query.where(AuditEvent.clinic_id.in_(sorted(current_user.managed_clinic_ids)))
    older_than = request.args.get("before", type=int)
    if _row_id(older_than):
        query = query.where(AuditEvent.id < older_than)
    events = db.session.scalars(query.limit(PAGE_SIZE * 2)).all()
    older = events[-1].id if len(events) == PAGE_SIZE * 2 else None
    return render_template("clinician/audit.html", events=events, older=older)


# Each staff page's place in the header: (endpoint, words, who sees it).
NAVIGATION = (
    ("clinician.submissions", "Submissions", None),
    ("clinician.appointments", "Appointments", None),
    ("clinician.invitations", "Invitations", None),
    ("clinician.metrics", "How the clinic is doing", None),
    ("clinician.clinics", "Clinics", "manager"),
    ("clinician.accounts_list", "Accounts", "admin"),
    ("clinician.content", "Content", "admin"),
    ("clinician.audit_log", "Audit", "manager"),
)
# Pages under a header item, so it stays marked as where they are.
SECTIONS = {"clinician.submission": "clinician.submissions", "clinician.new_invitation": "clinician.invitations",
            "clinician.invitation": "clinician.invitations", "clinician.clinic": "clinician.clinics",
            "clinician.account_detail": "clinician.accounts_list",
            **{f"clinician.content_{page}": "clinician.content"
               for page in ("versions", "changes", "publish", "preview")}}


@bp.context_processor
def navigation() -> dict:
    if not current_user.is_authenticated:
        return {"navigation": None}
    manager = current_user.is_admin or bool(current_user.managed_clinic_ids)
    allowed = {None, *(["manager"] if manager else []), *(["admin"] if current_user.is_admin else [])}
    here = SECTIONS.get(request.endpoint, request.endpoint)
    return {"navigation": [{"href": url_for(endpoint), "text": words, "current": endpoint == here}
                           for endpoint, words, who in NAVIGATION if who in allowed]}
